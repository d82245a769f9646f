"""Centrality and structure measures on any projection.

Weight semantics (stated in every report): an edge's ``weight`` is a
*strength* (contacts counted, or rarity-weighted shared things: more =
closer). Measures that read lengths - betweenness, closeness, harmonic -
use ``distance`` = 1/weight, so a pair who called each other 50 times are
closer than a pair who called once. Measures that read strengths - weighted
degree, eigenvector, PageRank, Burt's constraint and effective size - use
``weight``. Betweenness is exact (all pairs) unless the engine says otherwise.

The heavy kernels run through :mod:`graphnet.analytics.engines` (NetworkX is
the reference; ``engine`` picks a faster library for big graphs).

>>> import networkx as nx
>>> G = nx.star_graph(3)
>>> round(degree_centralization(G), 6)
1.0
>>> centrality(G, ["degree", "strength"])["strength"][0]
3.0
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import networkx as nx

from . import engines

__all__ = [
    "MEASURES",
    "SEMANTICS",
    "simple",
    "centrality",
    "degree_centralization",
    "density",
    "structure",
]

#: measure name -> what it reads
SEMANTICS = {
    "degree": "degree centrality: number of distinct contacts / (n-1), unweighted",
    "strength": "weighted degree: sum of tie weights (strengths)",
    "betweenness": "exact betweenness, normalised; path lengths = distance = 1/weight",
    "closeness": "closeness (Wasserman-Faust for disconnected graphs); lengths = 1/weight",
    "harmonic": "harmonic centrality: sum of 1/length to every other person; lengths = 1/weight",
    "eigenvector": "eigenvector centrality; weight = strength",
    "pagerank": "PageRank (alpha 0.85); weight = strength",
    "constraint": "Burt's constraint (low = a broker spanning structural holes); weight = strength",
    "effective_size": "Burt's effective size (non-redundant contacts); weight = strength",
    "core": "k-core number (unweighted)",
}
MEASURES = tuple(SEMANTICS)


def simple(G: nx.Graph, *, directed: bool | None = None) -> nx.Graph:
    """A simple graph (no parallel edges, no self-loops) with weights summed.

    Multigraph parallel ties add their ``weight``; ``distance`` is recomputed
    as 1/weight. ``directed=False`` drops direction (reciprocal weights sum).

    >>> M = nx.MultiGraph(); _ = M.add_edge(1, 2, weight=2.0); _ = M.add_edge(1, 2, weight=3.0)
    >>> simple(M).edges[1, 2]["weight"], simple(M).edges[1, 2]["distance"]
    (5.0, 0.2)
    """
    directed = G.is_directed() if directed is None else directed
    if not G.is_multigraph() and directed == G.is_directed() and nx.number_of_selfloops(G) == 0:
        return G
    H = nx.DiGraph() if directed else nx.Graph()
    H.graph.update(G.graph)
    H.add_nodes_from(G.nodes(data=True))
    for u, v, d in G.edges(data=True):
        if u == v:
            continue
        w = float(d.get("weight", 1.0) or 1.0)
        if H.has_edge(u, v):
            H.edges[u, v]["weight"] += w
        else:
            H.add_edge(u, v, weight=w, type=d.get("type"), layer=d.get("layer"))
    for _, _, d in H.edges(data=True):
        d["distance"] = 1.0 / d["weight"]
    return H


def density(G: nx.Graph) -> float:
    """Density of the simple undirected graph (0 for fewer than two nodes)."""
    return nx.density(simple(G, directed=False))


def degree_centralization(G: nx.Graph) -> float:
    """Freeman's degree centralisation of the undirected simple graph, in [0, 1].

    ``sum(max_deg - deg_i) / ((n-1)(n-2))``: 1 for a star, 0 for a regular graph.
    """
    H = simple(G, directed=False)
    n = H.number_of_nodes()
    if n < 3:
        return 0.0
    deg = [d for _, d in H.degree()]
    top = max(deg)
    return sum(top - d for d in deg) / ((n - 1) * (n - 2))


def centrality(G: nx.Graph, measures: Iterable[str] = MEASURES, *, engine: str = "auto") -> dict[str, dict[Any, float]]:
    """Each requested measure as ``{node: value}`` on the simple undirected graph.

    Parameters
    ----------
    G : networkx.Graph
        Any projection (multigraphs are collapsed with weights summed).
    measures : iterable of str
        Names from :data:`MEASURES`.
    engine : str
        Passed to :mod:`~graphnet.analytics.engines` (auto, networkx, igraph, gds).
    """
    H = simple(G, directed=False)
    out: dict[str, dict[Any, float]] = {}
    for m in measures:
        if m not in SEMANTICS:
            from ..errors import GraphnetError

            raise GraphnetError(f"unknown measure {m!r}; use {', '.join(MEASURES)}")
        if H.number_of_nodes() == 0:
            out[m] = {}
            continue
        if m == "degree":
            out[m] = nx.degree_centrality(H) if H.number_of_nodes() > 1 else {n: 0.0 for n in H}
        elif m == "strength":
            out[m] = {n: float(s) for n, s in H.degree(weight="weight")}
        elif m == "betweenness":
            out[m] = engines.betweenness(H, distance="distance", engine=engine)
        elif m == "closeness":
            out[m] = engines.closeness(H, distance="distance", engine=engine)
        elif m == "harmonic":
            out[m] = engines.harmonic(H, distance="distance", engine=engine)
        elif m == "eigenvector":
            out[m] = _eigenvector(H, engine)
        elif m == "pagerank":
            out[m] = engines.pagerank(H, weight="weight", engine=engine)
        elif m == "constraint":
            out[m] = engines.constraint(H, weight="weight", engine=engine)
        elif m == "effective_size":
            out[m] = engines.effective_size(H, weight="weight", engine=engine)
        elif m == "core":
            out[m] = {n: float(c) for n, c in nx.core_number(H).items()}
    return out


def _eigenvector(H: nx.Graph, engine: str) -> dict[Any, float]:
    """Eigenvector centrality per connected component (scaled by component size).

    On a disconnected graph the leading eigenvector lives on one component
    only; computing per component keeps every person's score meaningful.
    """
    if H.number_of_edges() == 0:
        return {n: 0.0 for n in H}
    if nx.is_connected(H) and len(H) > 2:
        return engines.eigenvector(H, weight="weight", engine=engine)
    out: dict[Any, float] = {}
    n = H.number_of_nodes()
    comps = list(nx.connected_components(H))
    which = {v: i for i, comp in enumerate(comps) for v in comp}
    ordered: list[list] = [[] for _ in comps]  # each component's people in H's order, not a set's
    for v in H:
        ordered[which[v]].append(v)
    for comp in ordered:
        if len(comp) <= 2:  # a lone tie: both ends 1/sqrt(2), whatever its weight
            out.update({c: (len(comp) - 1) / (2**0.5) * len(comp) / n for c in comp})
            continue
        sub = engines.eigenvector(H.subgraph(comp), weight="weight", engine=engine, nodes=comp)
        out.update({k: v * len(comp) / n for k, v in sub.items()})
    return {v: out[v] for v in H}


def structure(G: nx.Graph, *, engine: str = "auto") -> dict[str, Any]:
    """Articulation points, bridges, k-core numbers and components of the undirected graph.

    Articulation points and bridges come from :func:`engines.cut_structure`
    (igraph on a big graph, the same sets as NetworkX).

    >>> s = structure(nx.path_graph(3))
    >>> s["articulation_points"], s["bridges"]
    ([1], [(0, 1), (1, 2)])
    """
    H = simple(G, directed=False)
    points, bridges, _ = engines.cut_structure(H, engine=engine)
    return {
        "articulation_points": sorted(points, key=str),
        "bridges": sorted((tuple(sorted(e, key=str)) for e in bridges), key=str),
        "core": nx.core_number(H) if H.number_of_nodes() else {},
        "components": [sorted(c, key=str) for c in sorted(nx.connected_components(H), key=len, reverse=True)],
        "density": nx.density(H),
        "degree_centralization": degree_centralization(H),
    }
