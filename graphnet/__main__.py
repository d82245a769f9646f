"""``python -m graphnet`` runs the command line."""

from .cli import main

main()
