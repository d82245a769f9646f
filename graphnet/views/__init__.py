"""Investigator views: interactive, offline, escaped pyvis network pages.

``build_view(G)`` returns a pyvis network (display it in a notebook);
``write_view(G, path)`` writes one self-contained HTML file and
``render_view(G)`` returns that HTML as a string (evidence bundles embed it).
``view(db, path, around=...)`` selects the graph from Neo4j first: it is what
``graphnet view`` runs.

>>> import networkx as nx
>>> G = nx.Graph()
>>> G.add_node("p1", label="Person", name="<img src=x onerror=alert(1)>", roles=["victim"])
>>> page = render_view(G, title="demo")
>>> "<img src=x" in page, "\\\\u003cimg src=x" in page
(False, True)
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import networkx as nx

from ..outputs import write_output
from .build import DEFAULT_LIMIT, SIZE_MEASURES, ViewNetwork, ViewTooLarge, build_view, describe_refs, parse_ref
from .collapse import COLLAPSE_MODES, collapse
from .page import render_page, safe_json
from .select import view, view_graph

__all__ = [
    "build_view",
    "render_view",
    "write_view",
    "view",
    "view_graph",
    "collapse",
    "ViewNetwork",
    "ViewTooLarge",
    "DEFAULT_LIMIT",
    "SIZE_MEASURES",
    "COLLAPSE_MODES",
    "describe_refs",
    "parse_ref",
    "safe_json",
]


def render_view(G: nx.Graph, **kwargs: Any) -> str:
    """The view of ``G`` as one self-contained HTML page (a string).

    Takes the keyword arguments of :func:`build_view`.
    """
    return render_page(build_view(G, **kwargs))


def write_view(G: nx.Graph, path: str | os.PathLike, **kwargs: Any) -> Path:
    """Write the view of ``G`` to ``path`` (one offline HTML file); returns the path.

    Takes the keyword arguments of :func:`build_view`. Missing folders are
    created; the file is written to a temporary name and renamed, so a failed
    run never leaves half a page (:func:`graphnet.outputs.write_output`).
    """
    return write_output(path, render_view(G, **kwargs))
