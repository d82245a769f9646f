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

__all__ = ["ROLES", "brokerage", "role_of"]

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
        parallel edges of a multigraph count once).
    group : str or callable
        Node attribute holding the group, or a function node -> group.

    Returns
    -------
    dict
        ``{node: {role: count, ..., "total": count}}`` for every node.
    """
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
