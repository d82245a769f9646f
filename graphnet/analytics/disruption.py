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
from ..outputs import write_output
from . import engines
from .measures import simple
from .reports import _key

__all__ = ["STRATEGIES", "fragmentation", "reachability", "removal_pairs", "curves", "keyplayer", "write_csv", "plot"]

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


class _Components:
    """Largest component and reachability of ``H`` minus a set of people, without copying ``H``.

    The ties are kept once as integer arrays; each measurement drops the ties
    of the removed people and labels the components with SciPy (C), so a
    curve step costs one pass over the ties instead of a graph copy. Gives
    exactly :func:`reachability` and the largest component of
    ``H.subgraph(others)`` over the original ``n``.

    >>> c = _Components(nx.path_graph(4))
    >>> c.measure([]), c.measure([1])
    ((1.0, 1.0), (0.5, 0.16666666666666666))
    """

    def __init__(self, H: nx.Graph):
        import numpy as np

        self.nodes = list(H)
        self.index = {v: i for i, v in enumerate(self.nodes)}
        index = self.index
        m = H.number_of_edges()
        self.src = np.fromiter((index[u] for u, _ in H.edges()), dtype=np.int64, count=m)
        self.dst = np.fromiter((index[v] for _, v in H.edges()), dtype=np.int64, count=m)

    def measure(self, removed: list) -> tuple[float, float]:
        """``(largest, reachability)`` once ``removed`` are gone (both as shares of the original ``n``)."""
        import numpy as np
        import scipy.sparse as sp
        from scipy.sparse.csgraph import connected_components

        n = len(self.nodes)
        alive = np.ones(n, dtype=bool)
        alive[[self.index[v] for v in removed]] = False
        if n == 0 or not alive.any():
            return 0.0, 0.0
        keep = alive[self.src] & alive[self.dst]
        A = sp.coo_array((np.ones(int(keep.sum()), dtype=np.int8), (self.src[keep], self.dst[keep])), shape=(n, n))
        _, labels = connected_components(A, directed=False)
        sizes = np.bincount(labels[alive]).astype(np.int64)
        sizes = sizes[sizes > 0]
        pairs = int((sizes * (sizes - 1)).sum())
        return int(sizes.max()) / n, (pairs / (n * (n - 1)) if n >= 2 else 0.0)


def _top(values: dict[Any, float]) -> Any:
    return min(values, key=lambda k: (-_key(values[k]), str(k)))


def removal_pairs(adj: list[list[int]], alive: list[bool]) -> list[int]:
    """For each alive vertex ``v``: connected ordered pairs left once ``v`` alone is removed.

    ``adj``: neighbour indices of a simple undirected graph; ``alive``: the
    vertices still there. One depth-first search (Tarjan's low points) finds,
    for every vertex, the pieces its component falls into without it: each
    child subtree whose low point does not reach above the vertex is cut
    off, the rest stays together. So the whole greedy step of
    :func:`keyplayer` costs ``O(n + m)`` instead of one component search per
    candidate. Removed vertices get 0.

    >>> removal_pairs([[1], [0, 2], [1]], [True, True, True])  # path a-b-c
    [2, 0, 2]
    """
    n = len(adj)
    disc = [-1] * n
    low = [0] * n
    size = [1] * n
    cut = [0] * n  # vertices cut off from the component when v goes
    cut_pairs = [0] * n  # ordered pairs inside those pieces
    components: list[tuple[list[int], int]] = []
    total = 0
    clock = 0
    for root in range(n):
        if not alive[root] or disc[root] >= 0:
            continue
        members = [root]
        disc[root] = low[root] = clock
        clock += 1
        stack = [(root, -1, iter(adj[root]))]
        while stack:
            v, parent, neighbours = stack[-1]
            for u in neighbours:
                if not alive[u] or u == parent:
                    continue
                if disc[u] < 0:
                    disc[u] = low[u] = clock
                    clock += 1
                    members.append(u)
                    stack.append((u, v, iter(adj[u])))
                    break
                if disc[u] < low[v]:
                    low[v] = disc[u]
            else:
                stack.pop()
                if parent >= 0:
                    if low[v] < low[parent]:
                        low[parent] = low[v]
                    size[parent] += size[v]
                    if low[v] >= disc[parent]:
                        cut[parent] += size[v]
                        cut_pairs[parent] += size[v] * (size[v] - 1)
        s = len(members)
        total += s * (s - 1)
        components.append((members, s))
    pairs = [0] * n
    for members, s in components:
        base = total - s * (s - 1)
        for v in members:
            rest = s - 1 - cut[v]
            pairs[v] = base + cut_pairs[v] + rest * (rest - 1)
    return pairs


def keyplayer(G: nx.Graph, k: int) -> list:
    """Greedy key-player set of size ``k`` for fragmentation (removal order).

    At each step the person whose removal leaves the fewest connected pairs
    (ties: the first by ``str``), found for everyone at once by
    :func:`removal_pairs`: ``O(k (n + m))``.

    >>> keyplayer(nx.path_graph(5), 2)
    [2, 0]
    """
    H = simple(G, directed=False)
    nodes = sorted(H, key=str)
    index = {v: i for i, v in enumerate(nodes)}
    adj = [[index[u] for u in H[v] if u != v] for v in nodes]
    alive = [True] * len(nodes)
    out = []
    for _ in range(min(k, len(nodes))):
        pairs = removal_pairs(adj, alive)
        best = min((i for i in range(len(nodes)) if alive[i]), key=pairs.__getitem__)  # first minimum: str order
        out.append(nodes[best])
        alive[best] = False
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
    out = []
    if strategy == "degree-seq":  # degrees kept up to date instead of a copy of the graph
        values = {v: float(d) for v, d in H.degree()}
        for _ in range(min(steps, len(values))):
            v = _top(values)
            out.append(v)
            del values[v]
            for u in H[v]:
                if u in values and u != v:
                    values[u] -= 1.0
        return out
    W = nx.Graph(H)
    for _ in range(min(steps, len(W))):
        v = _top(betweenness(W))
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
    components = _Components(H)
    rows = []
    for strategy in strategies:
        removed: list = []
        largest, reach = components.measure(removed)
        rows.append({"strategy": strategy, "step": 0, "removed": None, "largest": largest, "reachability": reach})
        for i, v in enumerate(_order(H, strategy, steps, engine, betweenness), 1):
            removed.append(v)
            largest, reach = components.measure(removed)
            rows.append({"strategy": strategy, "step": i, "removed": v, "largest": largest, "reachability": reach})
    return rows


def write_csv(rows: list[dict[str, Any]], path: str | Path) -> None:
    import csv
    import io

    buf = io.StringIO(newline="")
    w = csv.DictWriter(buf, fieldnames=["strategy", "step", "removed", "largest", "reachability"], extrasaction="ignore")
    w.writeheader()
    w.writerows(rows)
    write_output(path, buf.getvalue())


def plot(rows: list[dict[str, Any]], path: str | Path, title: str = "Disruption") -> None:
    """Largest component and reachability against people removed, one line per strategy (PNG)."""
    import io

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
    png = io.BytesIO()
    fig.savefig(png, dpi=120, format="png")
    plt.close(fig)
    write_output(path, png.getvalue())
