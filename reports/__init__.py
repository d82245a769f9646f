"""Report templates of graphnet (package data: graphnet.resources.reports)."""
