"""Analyst reports: one function per ``graphnet report`` command.

Each takes a :class:`~graphnet.db.Database` (projected with the given
projection and filters) or an already projected NetworkX graph, and returns a
:class:`~graphnet.reporting.Report` that states the graph it ran on
(projection, window, filters, nodes, edges, seed, engine, weight semantics)
so a reader can reproduce it.
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from ..errors import GraphnetError
from ..reporting import Report, person_info
from . import measures as M
from .brokerage import ROLES, brokerage
from .projections import describe, project

__all__ = ["graph_of", "centrality", "brokers"]

_FILTERS = ("since", "until", "cases", "province", "sources")


def graph_of(db_or_G: Any, projection: str = "persons", *, directed: bool = False, **filters: Any) -> nx.Graph:
    """``db_or_G`` itself when it is a graph, else its projection with the filters."""
    if isinstance(db_or_G, nx.Graph):
        return db_or_G
    unknown = set(filters) - set(_FILTERS)
    if unknown:
        raise TypeError(f"unknown filters {sorted(unknown)}")
    return project(db_or_G, projection, directed=directed, **{k: v for k, v in filters.items() if v})


def _person_cols(G: nx.Graph, n: Any) -> dict[str, Any]:
    info = person_info(G, n)
    return {
        "name": info["name"],
        "uid": n,
        "identifiers": info["identifiers"],
        "roles": info["roles"],
        "cases": info["cases"],
        "sources": info["sources"],
    }


def centrality(
    db_or_G: Any,
    *,
    projection: str = "persons",
    top: int = 20,
    by: str = "betweenness",
    measures: tuple[str, ...] = ("degree", "strength", "betweenness", "closeness", "eigenvector", "pagerank", "constraint"),
    engine: str = "auto",
    **filters: Any,
) -> Report:
    """The top people by one measure, with every other measure beside them.

    Ranks by ``by`` (descending; ascending for ``constraint``, where low means
    a broker), ties broken by uid. Non-person nodes of the ``full`` projection
    are ranked too, so use a person projection to rank people only.
    """
    if by not in M.SEMANTICS:
        raise GraphnetError(f"unknown measure {by!r}; use {', '.join(M.MEASURES)}")
    G = graph_of(db_or_G, projection, **filters)
    wanted = tuple(dict.fromkeys((by, *measures)))
    values = M.centrality(G, wanted, engine=engine)
    sign = 1.0 if by == "constraint" else -1.0
    ranked = sorted(values[by], key=lambda n: (sign * values[by][n], str(n)))
    rows = []
    for rank, n in enumerate(ranked[:top], 1):
        row: dict[str, Any] = {"rank": rank, **_person_cols(G, n)}
        for m in wanted:
            row[m] = values[m].get(n)
        rows.append(row)
    H = M.simple(G, directed=False)
    graph = describe(G) | {"engine": engine, "ranked_by": by, "density": nx.density(H) if len(H) else 0.0,
                           "degree_centralization": M.degree_centralization(H)}
    notes = [f"{m}: {M.SEMANTICS[m]}" for m in wanted]
    columns = ["rank", "name", "uid", "identifiers", "roles", "cases", *wanted, "sources"]
    return Report("centrality", f"Centrality: top {top} by {by}", graph, notes, columns, rows)


def brokers(
    db_or_G: Any,
    *,
    projection: str = "persons",
    group: str = "stage",
    top: int = 20,
    engine: str = "auto",
    **filters: Any,
) -> Report:
    """Brokers: Gould-Fernandez roles by ``group``, with betweenness and Burt's constraint.

    Ranked by total brokerage (open two-paths brokered), then betweenness. The
    projection is read as directed (direct ties keep their direction; shared
    things and symmetric ties count both ways). When no one has the
    ``group`` attribute, roles fall back to the person's first role.
    """
    G = graph_of(db_or_G, projection, directed=True, **filters)
    D = M.simple(G, directed=True)
    attr = group
    if not any(d.get(group) for _, d in D.nodes(data=True)):
        attr = "first role"
        key = lambda n: (D.nodes[n].get("roles") or [None])[0]  # noqa: E731
        counts = brokerage(D, key)
    else:
        counts = brokerage(D, group)
    values = M.centrality(D, ("betweenness", "constraint", "effective_size"), engine=engine)
    ranked = sorted(D, key=lambda n: (-counts[n]["total"], -values["betweenness"].get(n, 0.0), str(n)))
    rows = []
    for rank, n in enumerate(ranked[:top], 1):
        grp = D.nodes[n].get(group) if attr == group else (D.nodes[n].get("roles") or [None])[0]
        rows.append({"rank": rank, **_person_cols(D, n), "group": grp, **{r: counts[n][r] for r in ROLES},
                     "total": counts[n]["total"], **{m: values[m].get(n) for m in values}})
    graph = describe(G) | {"engine": engine, "groups": attr, "directed": True}
    notes = [
        "brokerage (Gould & Fernandez 1989): open two-paths a->b->c (no tie a->c) brokered by b; "
        "coordinator a=b=c, consultant a=c!=b, representative a=b!=c, gatekeeper a!=b=c, liaison all different",
        f"groups: node attribute {attr!r}",
        f"betweenness: {M.SEMANTICS['betweenness']}",
        f"constraint: {M.SEMANTICS['constraint']}",
    ]
    columns = ["rank", "name", "uid", "identifiers", "roles", "cases", "group", *ROLES, "total",
               "betweenness", "constraint", "effective_size", "sources"]
    return Report("brokers", f"Brokers: top {top} by Gould-Fernandez brokerage", graph, notes, columns, rows)
