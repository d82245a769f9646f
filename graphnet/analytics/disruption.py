"""Disruption (key player): how the network falls apart as people are removed.

Strategies (``strategies``):

``degree`` / ``betweenness``
    Rank once on the intact network and remove in that order (block removal).
``degree-seq`` / ``betweenness-seq``
    Recompute the measure after every removal and remove the current top
    (sequential removal: the usual "network attack").
``keyplayer``
    Borgatti's (2006) greedy key-player set for fragmentation: at each step
    remove the person whose removal maximises fragmentation
    ``F = 1 - sum_k s_k (s_k - 1) / (n (n - 1))`` (``s_k`` the component sizes,
    ``n`` the size of the *original* network; removed people count as
    isolates), ties by uid.

After each removal the curve records the largest component as a fraction of
the original ``n`` and the reachability ``R = sum_k s_k (s_k - 1) / (n (n - 1))``
(the share of ordered pairs still connected; ``R = 1 - F``). Betweenness uses
lengths = 1/weight; the graph is read undirected. Ties in every ranking
(values equal to 12 significant digits, as in the other reports) are broken
by uid, so curves are reproducible without a seed and the same whatever the
engine. ``betweenness=`` replaces the betweenness kernel (a function of the
remaining graph): the report's ``engine="gds"`` passes one that computes it
in Neo4j GDS, re-projecting the remaining graph at each step of
``betweenness-seq``.

>>> import networkx as nx
>>> rows = curves(nx.star_graph(4), ["degree"], steps=1)
>>> [(r["step"], r["removed"], r["largest"], r["reachability"]) for r in rows]
[(0, None, 1.0, 1.0), (1, 0, 0.2, 0.0)]
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx

from ..errors import GraphnetError
from . import engines
from .measures import simple
from .reports import _key

__all__ = ["STRATEGIES", "fragmentation", "reachability", "curves", "keyplayer", "write_csv", "plot"]

STRATEGIES = ("degree", "degree-seq", "betweenness", "betweenness-seq", "keyplayer")


def reachability(G: nx.Graph, n: int | None = None) -> float:
    """Share of ordered pairs of the original ``n`` people still connected.

    >>> reachability(nx.path_graph(3))
    1.0
    """
    n = G.number_of_nodes() if n is None else n
    if n < 2:
        return 0.0
    return sum(len(c) * (len(c) - 1) for c in nx.connected_components(G)) / (n * (n - 1))


def fragmentation(G: nx.Graph, n: int | None = None) -> float:
    """Borgatti's fragmentation ``1 - reachability``."""
    return 1.0 - reachability(G, n)


def _largest(G: nx.Graph, n: int) -> float:
    if n == 0 or G.number_of_nodes() == 0:
        return 0.0
    return max(len(c) for c in nx.connected_components(G)) / n


def _top(values: dict[Any, float]) -> Any:
    return min(values, key=lambda k: (-_key(values[k]), str(k)))


def keyplayer(G: nx.Graph, k: int) -> list:
    """Greedy key-player set of size ``k`` for fragmentation (removal order)."""
    H = nx.Graph(simple(G, directed=False))
    n = H.number_of_nodes()
    out = []
    for _ in range(min(k, n)):
        best = None
        best_r = 2.0
        for v in sorted(H, key=str):
            nbrs = list(H[v])
            H.remove_node(v)
            r = reachability(H, n)
            H.add_node(v)
            H.add_edges_from((v, u, G.get_edge_data(v, u) or {}) for u in nbrs)
            if r < best_r - 1e-15:
                best, best_r = v, r
        out.append(best)
        H.remove_node(best)
    return out


def _order(H: nx.Graph, strategy: str, steps: int, engine: str,
           betweenness: Callable[[nx.Graph], dict] | None = None) -> list:
    if betweenness is None:
        def betweenness(W: nx.Graph) -> dict:
            return engines.betweenness(W, distance="distance", engine=engine)
    if strategy == "degree":
        deg = dict(H.degree())
        return sorted(H, key=lambda v: (-deg[v], str(v)))[:steps]
    if strategy == "betweenness":
        bc = betweenness(H)
        return sorted(H, key=lambda v: (-_key(bc[v]), str(v)))[:steps]
    if strategy == "keyplayer":
        return keyplayer(H, steps)
    W = nx.Graph(H)
    out = []
    for _ in range(min(steps, len(W))):
        if strategy == "degree-seq":
            values = {v: float(d) for v, d in W.degree()}
        else:
            values = betweenness(W)
        v = _top(values)
        out.append(v)
        W.remove_node(v)
    return out


def curves(G: nx.Graph, strategies: list[str] | tuple[str, ...] = STRATEGIES, *, steps: int = 10,
           engine: str = "auto", betweenness: Callable[[nx.Graph], dict] | None = None) -> list[dict[str, Any]]:
    """One row per strategy and step: ``strategy``, ``step``, ``removed``, ``largest``, ``reachability``.

    ``betweenness``: a function of a graph giving its betweenness (lengths
    ``distance``), used instead of ``engines.betweenness(..., engine=engine)``.
    """
    unknown = [s for s in strategies if s not in STRATEGIES]
    if unknown:
        raise GraphnetError(f"unknown strategy {unknown[0]!r}; use {', '.join(STRATEGIES)}")
    H = simple(G, directed=False)
    n = H.number_of_nodes()
    rows = []
    for strategy in strategies:
        W = nx.Graph(H)
        rows.append({"strategy": strategy, "step": 0, "removed": None, "largest": _largest(W, n),
                     "reachability": reachability(W, n)})
        for i, v in enumerate(_order(H, strategy, steps, engine, betweenness), 1):
            W.remove_node(v)
            rows.append({"strategy": strategy, "step": i, "removed": v, "largest": _largest(W, n),
                         "reachability": reachability(W, n)})
    return rows


def write_csv(rows: list[dict[str, Any]], path: str | Path) -> None:
    import csv

    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=["strategy", "step", "removed", "largest", "reachability"], extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)


def plot(rows: list[dict[str, Any]], path: str | Path, title: str = "Disruption") -> None:
    """Largest component and reachability against people removed, one line per strategy (PNG)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(11, 4), constrained_layout=True)
    for strategy in dict.fromkeys(r["strategy"] for r in rows):
        rs = [r for r in rows if r["strategy"] == strategy]
        axes[0].plot([r["step"] for r in rs], [r["largest"] for r in rs], marker="o", label=strategy)
        axes[1].plot([r["step"] for r in rs], [r["reachability"] for r in rs], marker="o", label=strategy)
    axes[0].set(xlabel="people removed", ylabel="largest component (share of n)", ylim=(0, 1.05))
    axes[1].set(xlabel="people removed", ylabel="reachability (pairs still connected)", ylim=(0, 1.05))
    axes[1].legend()
    fig.suptitle(title)
    fig.savefig(path, dpi=120)
    plt.close(fig)
