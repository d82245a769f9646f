"""Files shipped with graphnet: Cypher queries, loader definitions, report templates.

They live at the top of the repository (``cypher/``, ``loaders/``,
``reports/``) and are installed as the packages ``graphnet.resources.queries`` (from ``cypher/``),
``.loaders`` and ``.reports``, so they are found the same way from an
editable install and from a wheel.

>>> "schema" in cypher_names()
True
>>> cypher("schema").startswith("// Generated")
True
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable

from ..errors import GraphnetError

__all__ = ["cypher", "cypher_names", "loader_definitions", "loader_definition", "report_template"]

_CYPHER = "graphnet.resources.queries"
_LOADERS = "graphnet.resources.loaders"
_REPORTS = "graphnet.resources.reports"


def _files(package: str, suffix: str) -> dict[str, Traversable]:
    return {
        f.name[: -len(suffix)]: f
        for f in resources.files(package).iterdir()
        if f.is_file() and f.name.endswith(suffix)
    }


def cypher_names() -> list[str]:
    """Names of the shipped Cypher files (without ``.cypher``)."""
    return sorted(_files(_CYPHER, ".cypher"))


def cypher(name: str) -> str:
    """The text of ``cypher/NAME.cypher``."""
    files = _files(_CYPHER, ".cypher")
    if name not in files:
        raise GraphnetError(f"no Cypher file named {name!r}; shipped: {', '.join(sorted(files))}")
    return files[name].read_text(encoding="utf-8")


def loader_definitions() -> dict[str, Traversable]:
    """Shipped loader definitions by name (file name without ``.yaml``)."""
    return dict(sorted(_files(_LOADERS, ".yaml").items()))


def loader_definition(name: str) -> Traversable:
    files = loader_definitions()
    if name not in files:
        raise GraphnetError(f"no shipped loader definition named {name!r}; run `graphnet loaders` to list them")
    return files[name]


def report_template(name: str) -> str:
    """The text of ``reports/NAME`` (a Jinja2 template)."""
    path = resources.files(_REPORTS).joinpath(name)
    if not path.is_file():
        raise GraphnetError(f"no report template named {name!r}")
    return path.read_text(encoding="utf-8")
