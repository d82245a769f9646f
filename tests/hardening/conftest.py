"""Hardening suite: quiet the driver's schema notifications (warnings about
property keys not yet in an empty database fill the log otherwise)."""

import logging

logging.getLogger("neo4j.notifications").setLevel(logging.ERROR)
