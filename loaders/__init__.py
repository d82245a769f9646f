"""Declarative loader definitions shipped with graphnet (package data: graphnet.resources.loaders)."""
