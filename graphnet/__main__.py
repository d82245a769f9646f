"""``python -m graphnet`` runs the command line."""

from .cli import run

run()
