"""Loading: agency spreadsheets and published datasets into one provenance-tracked graph.

Public API (other modules and the CLI call these):

* :func:`load_file` ``(db, definition, path, *, rejects_dir=None, namespace=None, progress=False) -> LoadSummary``
* :func:`load_plan` ``(db, plan_path, **kw) -> list[LoadSummary]``
* :func:`load_files` ``(db, definition, paths, **kw) -> list[LoadSummary]``
* :func:`list_definitions` ``() -> list[(name, description)]``
* :func:`read_definition` ``(name_or_path) -> Definition``

>>> ("edge_list", "A generic edge list - source, target, optional weight, type and phase") in list_definitions()
True
"""

from .definition import Definition, list_definitions, parse_definition, read_definition
from .load import LoadSummary, load_file, load_files, load_plan, source_uid, unload_file

__all__ = [
    "Definition",
    "LoadSummary",
    "list_definitions",
    "load_file",
    "load_files",
    "load_plan",
    "parse_definition",
    "read_definition",
    "source_uid",
    "unload_file",
]
