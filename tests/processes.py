"""Helpers for tests that run ``graphnet`` in a process of its own and stop it as a user would."""

from __future__ import annotations

import signal


def ctrl_c_enabled() -> None:
    """``preexec_fn`` of the child: SIGINT acts as at a terminal (a test run started in the background ignores it)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
