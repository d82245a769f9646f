"""Group nodes so a large view stays drawable: a community, or a lodging with its guests, as one node.

>>> import networkx as nx
>>> G = nx.Graph()
>>> G.add_node("L", label="Lodging", name="Kos Melati")
>>> for g in ("g1", "g2"):
...     G.add_node(g, label="Person", roles=["victim"])
...     G.add_edge(g, "L", type="STAYED_AT", src=[f"s:lodging:{g[1]}"])
>>> G.add_node("op", label="Person", roles=["lodging_operator"])
>>> G.add_edge("op", "L", type="OPERATES")
>>> G.add_edge("g1", "op", type="KNOWS")
>>> H = collapse(G, "lodging")
>>> sorted(H), H.nodes["L"]["name"], H.nodes["L"]["members"]
(['L', 'g1', 'op'], 'Kos Melati', ['g2'])
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

import networkx as nx

from ..errors import GraphnetError
from .style import node_kind

__all__ = ["collapse", "COLLAPSE_MODES"]

COLLAPSE_MODES = ("community", "lodging")


def _neighbours(G: nx.Graph, n: Any) -> set:
    if G.is_directed():
        return set(G.successors(n)) | set(G.predecessors(n))
    return set(G.neighbors(n))


def _communities(G: nx.Graph, communities: Any, seed: int) -> tuple[dict[Any, Any], str]:
    if communities is not None:
        if isinstance(communities, Mapping):
            return dict(communities), "given"
        return {n: i for i, members in enumerate(communities) for n in members}, "given"
    given = {n: d["community"] for n, d in G.nodes(data=True) if d.get("community") is not None}
    if given:
        return given, "node attribute community"
    simple = nx.Graph()
    simple.add_nodes_from(G)
    for u, v, d in G.edges(data=True):
        if u != v:
            w = float(d.get("weight") or 1.0)
            simple.add_edge(u, v, weight=simple[u][v]["weight"] + w if simple.has_edge(u, v) else w)
    parts = nx.community.louvain_communities(simple, weight="weight", seed=seed)
    parts = sorted(parts, key=lambda c: (-len(c), min(map(str, c))))
    return {n: i for i, members in enumerate(parts) for n in members}, f"louvain (networkx, seed {seed})"


def _merge(G: nx.Graph, groups: dict[Any, Any], group_data: dict[Any, dict]) -> nx.Graph:
    """Contract each node to its group id (nodes not in ``groups`` stay); ties between groups aggregate."""
    H = nx.MultiDiGraph() if G.is_directed() else nx.MultiGraph()
    H.graph.update(G.graph)
    for n, d in G.nodes(data=True):
        if n not in groups:
            H.add_node(n, **d)
    for gid, data in group_data.items():
        H.add_node(gid, **data)
    agg: dict[tuple, dict[str, Any]] = {}
    internal: dict[Any, int] = defaultdict(int)
    for u, v, d in G.edges(data=True):
        gu, gv = groups.get(u, u), groups.get(v, v)
        if gu == gv and (u in groups or v in groups):
            internal[gu] += 1
            continue
        if u not in groups and v not in groups:
            H.add_edge(u, v, **d)
            continue
        key = (gu, gv, d.get("type"))
        entry = agg.setdefault(key, {"type": d.get("type"), "layer": d.get("layer"), "weight": 0.0, "src": [], "ties": 0})
        entry["weight"] += float(d.get("weight") or 1.0)
        entry["ties"] += 1
        entry["src"].extend(r for r in (d.get("src") or []) if r not in entry["src"])
    for (gu, gv, _t), data in agg.items():
        data["distance"] = 1.0 / data["weight"] if data["weight"] else None
        H.add_edge(gu, gv, **{k: v for k, v in data.items() if v is not None})
    for gid, count in internal.items():
        H.nodes[gid]["internal_ties"] = count
    return H


def collapse(G: nx.Graph, by: str, *, communities: Any = None, seed: int = 0) -> nx.Graph:
    """A copy of ``G`` with groups of nodes contracted into one node each.

    Parameters
    ----------
    by : {"community", "lodging"}
        ``community``: every community of two or more nodes becomes one node
        (communities from ``communities``, else the nodes' ``community``
        attribute, else Louvain with ``seed``). ``lodging``: each lodging
        absorbs the people whose only ties are to that lodging (typically the
        guests), who are counted on it instead of drawn.
    communities : mapping node -> id, list of sets, or None
    seed : int
        Seed of the Louvain run when communities must be found (recorded in
        ``H.graph["collapse"]``).

    Returns
    -------
    A multigraph; ties between groups are aggregated per relationship type
    (``weight`` summed, ``src`` united, ``ties`` counted).
    """
    if by not in COLLAPSE_MODES:
        raise GraphnetError(f"cannot collapse by {by!r}; choose one of: {', '.join(COLLAPSE_MODES)}")
    groups: dict[Any, Any] = {}
    group_data: dict[Any, dict] = {}
    if by == "community":
        membership, how = _communities(G, communities, seed)
        members: dict[Any, list] = defaultdict(list)
        for n in G:
            if n in membership:
                members[membership[n]].append(n)
        for cid, ms in members.items():
            if len(ms) < 2:
                continue
            gid = f"community:{cid}"
            for m in ms:
                groups[m] = gid
            group_data[gid] = {
                "label": None,
                "name": f"community {cid} ({len(ms)} nodes)",
                "collapsed": True,
                "community": cid,
                "members": sorted(map(str, ms)),
                "member_kinds": [node_kind(G.nodes[m]) for m in ms],
                "src": sorted({r for m in ms for r in (G.nodes[m].get("src") or [])}),
            }
        note = f"communities as nodes ({how})"
    else:
        for lodging, d in G.nodes(data=True):
            if d.get("label") != "Lodging":
                continue
            guests = [
                p for p in _neighbours(G, lodging)
                if G.nodes[p].get("label") == "Person" and _neighbours(G, p) == {lodging}
            ]  # fmt: skip
            if not guests:
                continue
            for p in guests:
                groups[p] = lodging
            group_data[lodging] = {
                **d,
                "collapsed": True,
                "members": sorted(map(str, guests)),
                "member_kinds": [node_kind(G.nodes[p]) for p in guests],
            }
            groups[lodging] = lodging
        note = "lodgings with their guests as nodes"
    H = _merge(G, groups, group_data)
    H.graph["collapse"] = note
    return H
