"""Gould-Fernandez brokerage roles on a directed graph with groups.

Gould and Fernandez (1989, *Sociological Methodology* 19) count, for each
person ``b``, the open two-paths ``a -> b -> c`` (``a != c`` and no tie
``a -> c``) that ``b`` brokers, classified by the groups of the three people:

==================  =====================  ===============================================
role                groups                 in a trafficking chain
==================  =====================  ===============================================
coordinator         a = b = c              links two people of its own stage
consultant          a = c != b             an outsider serving one stage (itinerant broker)
representative      a = b != c             passes its stage's work on to another stage
gatekeeper          a != b = c             lets another stage in to its own
liaison             a, b, c all different  ties two other stages together
==================  =====================  ===============================================

Groups are any node attribute: the trafficking ``stage`` (recruiting,
papers, transport, lodging, employment, money), ``group``, a Louvain
community... People without the attribute form the group ``None``. This is
the definition of ``sna::brokerage`` in R's statnet (which NetworkX lacks).
Undirected graphs are read as having both directions.

>>> import networkx as nx
>>> G = nx.DiGraph([("a", "b"), ("b", "c")])
>>> nx.set_node_attributes(G, {"a": "recruit", "b": "papers", "c": "transport"}, "stage")
>>> brokerage(G, "stage")["b"]["liaison"]
1
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

import networkx as nx
import numpy as np

__all__ = ["ROLES", "brokerage", "brokerage_reference", "role_of"]

ROLES = ("coordinator", "consultant", "representative", "gatekeeper", "liaison")


def role_of(ga: Any, gb: Any, gc: Any) -> str:
    """The role of ``b`` in ``a -> b -> c`` given the three groups.

    >>> role_of(1, 1, 2), role_of(2, 1, 1), role_of(1, 2, 1)
    ('representative', 'gatekeeper', 'consultant')
    """
    if ga == gb == gc:
        return "coordinator"
    if ga == gc:
        return "consultant"
    if ga == gb:
        return "representative"
    if gb == gc:
        return "gatekeeper"
    return "liaison"


def brokerage(G: nx.Graph, group: str | Callable[[Hashable], Any] = "stage") -> dict[Hashable, dict[str, int]]:
    """Counts of each brokerage role for every node.

    Parameters
    ----------
    G : networkx.DiGraph
        Directed ties (an undirected graph counts each tie both ways;
        parallel edges of a multigraph count once; self-loops are ignored).
    group : str or callable
        Node attribute holding the group, or a function node -> group.

    Returns
    -------
    dict
        ``{node: {role: count, ..., "total": count}}`` for every node.

    The two-paths are enumerated with numpy (:func:`_counts_numpy`); groups
    that cannot serve as dict keys (unhashable, or a value not equal to
    itself such as NaN) take the reference loop :func:`brokerage_reference`.
    Both give the same counts (``tests/test_analytics_brokerage.py``).
    """
    D = nx.DiGraph(G) if not G.is_directed() or G.is_multigraph() else G
    key = group if callable(group) else (lambda n: D.nodes[n].get(group))
    nodes = list(D)
    groups = [key(n) for n in nodes]
    codes = _group_codes(groups)
    if codes is None:
        return brokerage_reference(D, group)
    counts = _counts_numpy(D, nodes, codes)
    names = (*ROLES, "total")
    return {n: dict(zip(names, row)) for n, row in zip(nodes, counts.tolist())}


def brokerage_reference(G: nx.Graph, group: str | Callable[[Hashable], Any] = "stage") -> dict[Hashable, dict[str, int]]:
    """The same counts as :func:`brokerage`, node by node in pure Python (the definition)."""
    D = nx.DiGraph(G) if not G.is_directed() or G.is_multigraph() else G
    key = group if callable(group) else (lambda n: D.nodes[n].get(group))
    g = {n: key(n) for n in D}
    out = {n: dict.fromkeys((*ROLES, "total"), 0) for n in D}
    for b in D:
        succ = [c for c in D.successors(b) if c != b]
        for a in D.predecessors(b):
            if a == b:
                continue
            asucc = D._succ[a]
            for c in succ:
                if c == a or c in asucc:
                    continue
                out[b][role_of(g[a], g[b], g[c])] += 1
                out[b]["total"] += 1
    return out


def _group_codes(groups: list[Any]) -> np.ndarray | None:
    """Integer code per node, equal codes exactly when the groups are ``==``; None if unsure."""
    index: dict[Any, int] = {}
    codes = np.empty(len(groups), dtype=np.int64)
    try:
        for i, x in enumerate(groups):
            if not x == x:  # NaN: == and dict keys disagree
                return None
            codes[i] = index.setdefault(x, len(index))
    except (TypeError, ValueError):  # unhashable group value, or == not a bool
        return None
    return codes


# Enumerate at most this many two-paths at once (memory: ~50 bytes each).
_CHUNK = 2_000_000


def _counts_numpy(D: nx.DiGraph, nodes: list[Hashable], codes: np.ndarray) -> np.ndarray:
    """Role counts (columns: ROLES then total) per node, enumerating two-paths in numpy."""
    n = len(nodes)
    out = np.zeros((n, len(ROLES) + 1), dtype=np.int64)
    if n == 0:
        return out
    index = {v: i for i, v in enumerate(nodes)}
    m = D.number_of_edges()
    ends = np.fromiter((index[x] for e in D.edges() for x in e), dtype=np.int64, count=2 * m).reshape(m, 2)
    src, dst = ends[:, 0], ends[:, 1]
    keep = src != dst  # a self-loop brokers nothing
    src, dst = src[keep], dst[keep]
    if not src.size:
        return out
    # ties as sorted keys a * n + c, to test "a -> c exists" by binary search
    tie_keys = np.unique(src * n + dst)
    # in-ties grouped by broker b (a -> b), out-ties grouped by b (b -> c)
    order_in = np.argsort(dst, kind="stable")
    in_a, in_b = src[order_in], dst[order_in]
    order_out = np.argsort(src, kind="stable")
    out_c = dst[order_out]
    out_deg = np.bincount(src, minlength=n)
    out_ptr = np.concatenate([[0], np.cumsum(out_deg)])
    # each in-tie (a, b) pairs with every out-tie of b
    per_in = out_deg[in_b]
    ends = np.cumsum(per_in)
    starts = ends - per_in
    counts = np.zeros(n * 5, dtype=np.int64)
    lo = 0
    while lo < in_a.size:
        # a block of in-ties whose two-paths fit in one chunk (at least one in-tie)
        hi = int(np.searchsorted(ends, starts[lo] + _CHUNK, side="right"))
        hi = max(hi, lo + 1)
        reps = per_in[lo:hi]
        total = int(reps.sum())
        if total:
            a = np.repeat(in_a[lo:hi], reps)
            b = np.repeat(in_b[lo:hi], reps)
            offset = np.arange(total) - np.repeat(starts[lo:hi] - starts[lo], reps)
            c = out_c[out_ptr[b] + offset]
            ok = a != c
            a, b, c = a[ok], b[ok], c[ok]
            closed_key = a * n + c
            pos = np.searchsorted(tie_keys, closed_key)
            pos[pos == tie_keys.size] = 0
            open_ = tie_keys[pos] != closed_key
            a, b, c = a[open_], b[open_], c[open_]
            ga, gb, gc = codes[a], codes[b], codes[c]
            # role index as in ROLES, with role_of's order of tests
            role = np.full(a.size, 4, dtype=np.int64)  # liaison
            role[gb == gc] = 3  # gatekeeper
            role[ga == gb] = 2  # representative
            role[ga == gc] = 1  # consultant
            role[(ga == gb) & (gb == gc)] = 0  # coordinator
            counts += np.bincount(b * 5 + role, minlength=n * 5)
        lo = hi
    out[:, :5] = counts.reshape(n, 5)
    out[:, 5] = out[:, :5].sum(axis=1)
    return out
