"""Turn a NetworkX graph (the projection attribute contract) into a pyvis network.

The node and edge lists are built directly (pyvis's ``from_nx`` and
``add_edge`` scan every existing edge per insertion: quadratic), styled by
:mod:`graphnet.views.style`, and carry plain-text tooltips that name the
source files and rows behind every node and tie.

>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("police:P1", label="Person", name="Siti", roles=["victim"], src=["ab12:police_cases:2"])
>>> G.add_node("police:P2", label="Person", name="Budi", roles=["recruiter"], src=["ab12:police_cases:3"])
>>> _ = G.add_edge("police:P2", "police:P1", type="RECRUITED", weight=1.0, src=["ab12:victim_statements:5"])
>>> net = build_view(G, sources={"ab12:police_cases": "police.csv"})
>>> [n["kind"] for n in net.nodes]
['victim', 'recruiter']
>>> print(net.nodes[0]["title"].splitlines()[-1])
  police.csv, row 2
"""

from __future__ import annotations

import math
import random
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx
from pyvis.network import Network

from ..errors import GraphnetError
from ..redact import Redactor, redact_graph
from ..schema import load_schema
from . import style

__all__ = [
    "build_view",
    "ViewNetwork",
    "ViewTooLarge",
    "DEFAULT_LIMIT",
    "SIZE_MEASURES",
    "node_sizes",
    "layout_positions",
    "parse_ref",
    "describe_refs",
]

DEFAULT_LIMIT = 1500
SIZE_MEASURES = ("degree", "betweenness", "pagerank")
# Above this many nodes the layout is computed in Python (igraph, seeded) and the
# browser draws it without physics: vis-network's own layout of thousands of nodes takes
# a minute on a workstation, and a precomputed one is the same every time.
PRECOMPUTE_LAYOUT_ABOVE = 150
_SPRING_LENGTH = 110
# Exact betweenness is cubic-ish; above this many nodes sample k pivots (seeded).
_BETWEENNESS_EXACT_MAX = 1000
_MAX_SOURCE_LINES = 12
_MAX_LABEL = 40
# Attributes that are structure or shown elsewhere, never listed as properties.
_HIDDEN_ATTRS = {
    "label", "name", "roles", "src", "uid", "records", "type", "layer", "distance",
    "collapsed", "members", "member_kinds", "redacted", "hypothesis", "community",
    "convicted", "organiser_candidate",
}  # fmt: skip


class ViewTooLarge(GraphnetError):
    """A view would draw more nodes than its limit (it would freeze a browser)."""

    def __init__(self, nodes: int, limit: int):
        self.nodes, self.limit = nodes, limit
        super().__init__(
            f"this view would draw {nodes} nodes, over the limit of {limit}: narrow it "
            "(fewer --hops, --since/--until, --projection layer:<layer>), group nodes with --collapse community "
            "or --collapse lodging, or raise --limit"
        )


class ViewNetwork(Network):
    """A pyvis :class:`~pyvis.network.Network` whose HTML is graphnet's offline page.

    ``generate_html``/``write_html``/``show`` (pyvis's own API, used in
    notebooks) all produce the self-contained, escaped page of
    :func:`graphnet.views.page.render_page`; ``_repr_html_`` shows it inline
    in Jupyter through an ``iframe srcdoc``.
    """

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("cdn_resources", "in_line")
        super().__init__(**kwargs)
        self.graphnet: dict[str, Any] = {}

    def generate_html(self, name: str = "index.html", local: bool = True, notebook: bool = False) -> str:
        from .page import render_page

        self.html = render_page(self)
        return self.html

    def _repr_html_(self) -> str:
        import html

        return (
            f'<iframe srcdoc="{html.escape(self.generate_html(), quote=True)}" '
            f'style="width:100%;height:{html.escape(str(self.height))};border:0"></iframe>'
        )


def parse_ref(ref: str) -> tuple[str, str]:
    """Split a provenance ref ``"<source uid>:<row>"`` into source uid and row.

    The source uid itself contains a colon (``<sha16>:<definition>``), so the
    row is whatever follows the last one.

    >>> parse_ref("0123456789abcdef:police_cases:14")
    ('0123456789abcdef:police_cases', '14')
    >>> parse_ref("no-row")
    ('no-row', '')
    """
    ref = str(ref)
    if ":" not in ref:
        return ref, ""
    source, row = ref.rsplit(":", 1)
    return source, row


def describe_refs(refs: Iterable[str], sources: Mapping[str, str] | None = None) -> list[str]:
    """Human lines ``"<path>, row <n>"`` for provenance refs (source uid kept when unknown).

    >>> describe_refs(["s1:police:2", "s1:police:9", "s2:x:3"], {"s1:police": "police.csv"})
    ['police.csv, row 2', 'police.csv, row 9', 's2:x, row 3']
    """
    sources = sources or {}
    out = []
    for ref in refs or []:
        source, row = parse_ref(ref)
        where = sources.get(source, source)
        out.append(f"{where}, row {row}" if row else str(where))
    return out


def _text(value: Any) -> str:
    if isinstance(value, (list, tuple, set, frozenset)):
        return ", ".join(_text(v) for v in value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _source_lines(refs: Any, sources: Mapping[str, str] | None) -> list[str]:
    if isinstance(refs, str):
        refs = [refs]
    lines = describe_refs(sorted(set(refs or []), key=_natural), sources)
    if not lines:
        return ["sources: none recorded"]
    shown = [f"  {line}" for line in lines[:_MAX_SOURCE_LINES]]
    if len(lines) > _MAX_SOURCE_LINES:
        shown.append(f"  ... and {len(lines) - _MAX_SOURCE_LINES} more")
    return [f"sources ({len(lines)}):", *shown]


def _natural(ref: str) -> tuple[str, int, str]:
    source, row = parse_ref(ref)
    return (source, int(row) if row.isdigit() else -1, row)


def _properties(data: Mapping[str, Any]) -> list[str]:
    lines = []
    for key in sorted(data):
        if key in _HIDDEN_ATTRS or key.startswith("_"):
            continue
        value = data[key]
        if value is None or value == "" or value == []:
            continue
        lines.append(f"{key}: {_text(value)}")
    return lines


def _node_title(uid: str, data: Mapping[str, Any], sources: Mapping[str, str] | None) -> str:
    kind = style.node_kind(data)
    kind_name = data.get("label") or ("community (collapsed)" if data.get("collapsed") else "unknown")
    lines = [str(data.get("name") or uid), f"type: {kind_name}"]
    roles = data.get("roles")
    if roles:
        lines.append(f"roles: {_text(roles)}")
    if style.is_convicted(data):
        lines.append("convicted")
    if kind == "organiser":
        lines.append("organiser candidate (analysis, not a finding)")
    lines.append(f"uid: {uid}")
    if data.get("community") is not None:
        lines.append(f"community: {data['community']}")
    if data.get("collapsed"):
        lines.append(f"collapsed group of {len(data.get('members') or [])} nodes:")
        counts = Counter(data.get("member_kinds") or [])
        lines += [f"  {n} {style.NODE_KINDS.get(k, (k,))[0]}" for k, n in counts.most_common()]
    records = data.get("records")
    if records and len(records) > 1:
        lines.append(f"records: {_text(records)}")
    if data.get("redacted"):
        lines.append("identity protected (pseudonym)")
    lines += _properties(data)
    lines += _source_lines(data.get("src"), sources)
    return "\n".join(lines)


def _edge_title(u_name: str, v_name: str, data: Mapping[str, Any], sources: Mapping[str, str] | None) -> str:
    rtype = str(data.get("type") or "tie")
    arrow = "-" if rtype in style.SYMMETRIC_TYPES or data.get("undirected") else "->"
    lines = [f"{rtype}: {u_name} {arrow} {v_name}"]
    if rtype == "HYPOTHESIS" or data.get("hypothesis"):
        lines.append("HYPOTHESIS: a suspected tie from link prediction, not evidence")
    if data.get("layer"):
        lines.append(f"layer: {data['layer']}")
    lines += _properties(data)
    lines += _source_lines(data.get("src"), sources)
    return "\n".join(lines)


def _group_suffix(data: Mapping[str, Any]) -> str:
    if not (data.get("collapsed") and data.get("label")):
        return ""
    k = len(data.get("members") or [])
    return f" + {k} guest{'s' if k != 1 else ''}" if data.get("label") == "Lodging" else f" + {k}"


def _short(text: str) -> str:
    return text if len(text) <= _MAX_LABEL else text[: _MAX_LABEL - 1] + "\u2026"


def node_sizes(G: nx.Graph, size_by: str | Mapping[Any, float] | None, *, seed: int = 0) -> tuple[dict, dict]:
    """Node sizes (pixels) and a note on how they were measured.

    ``size_by`` is ``degree``, ``betweenness`` (hops; sampled with ``seed``
    above 1,000 nodes), ``pagerank`` (weight = strength), the name of a node
    attribute, or a mapping node -> value. Sizes run from 10 to 40 pixels with
    the square root of the value (area follows the measure).

    >>> sizes, note = node_sizes(nx.star_graph(3), "degree")
    >>> sizes[0], sizes[1], note["size_by"]
    (40.0, 27.32, 'degree')
    """
    note: dict[str, Any] = {"size_by": None}
    if size_by is None or G.number_of_nodes() == 0:
        return {n: 16.0 for n in G}, note
    simple = nx.Graph()
    simple.add_nodes_from(G)
    for u, v, d in G.edges(data=True):
        if u == v:
            continue
        w = float(d.get("weight") or 1.0)
        if simple.has_edge(u, v):
            simple[u][v]["weight"] += w
        else:
            simple.add_edge(u, v, weight=w)
    if isinstance(size_by, Mapping):
        values = {n: float(size_by.get(n, 0) or 0) for n in G}
        note["size_by"] = "given values"
    elif size_by == "degree":
        values = dict(simple.degree())
        note["size_by"] = "degree"
    elif size_by == "betweenness":
        n = simple.number_of_nodes()
        k = None if n <= _BETWEENNESS_EXACT_MAX else _BETWEENNESS_EXACT_MAX // 2
        values = nx.betweenness_centrality(simple, k=k, seed=seed, weight=None)
        note.update(size_by="betweenness (hops)", k=k, seed=seed if k else None)
    elif size_by == "pagerank":
        values = nx.pagerank(simple, weight="weight")
        note["size_by"] = "pagerank (weight = strength)"
    else:
        if not any(size_by in d for _, d in G.nodes(data=True)):
            raise GraphnetError(
                f"cannot size nodes by {size_by!r}: not one of {', '.join(SIZE_MEASURES)} nor a node attribute"
            )
        values = {}
        for node, d in G.nodes(data=True):
            try:
                values[node] = float(d.get(size_by) or 0)
            except (TypeError, ValueError):
                raise GraphnetError(f"node {node}: {size_by} = {d.get(size_by)!r} is not a number") from None
        note["size_by"] = f"attribute {size_by}"
    top = max(values.values(), default=0.0)
    if top <= 0:
        return {n: 16.0 for n in G}, note
    return {n: round(10.0 + 30.0 * math.sqrt(max(values.get(n, 0.0), 0.0) / top), 2) for n in G}, note


# Things whose uid is an identifier (a number): in a redacted view, the shared
# things an edge lists in ``via`` are named by pseudonym, as redact_graph names them.
_IDENTIFIER_PREFIXES = {"phone:": "PHO-", "account:": "ACC-", "doc:": "DOC-"}


def _pseudonymise_via(G: nx.Graph, redactor: Redactor) -> None:
    for *_, d in G.edges(data=True):
        via = d.get("via")
        if not via:
            continue
        items = [via] if isinstance(via, str) else list(via)
        out = []
        for item in items:
            prefix = next((p for k, p in _IDENTIFIER_PREFIXES.items() if str(item).startswith(k)), None)
            out.append(redactor.pseudonym(str(item), prefix) if prefix else item)
        d["via"] = out


def _community_map(G: nx.Graph, communities: Any) -> dict[Any, Any]:
    if communities is None:
        return {n: d["community"] for n, d in G.nodes(data=True) if d.get("community") is not None}
    if isinstance(communities, Mapping):
        return dict(communities)
    return {n: i for i, members in enumerate(communities) for n in members}


def _with_hypotheses(G: nx.Graph, hypotheses: Any) -> nx.Graph:
    """A copy of ``G`` in uid order (:func:`_in_uid_order`): non-evidence ties dropped unless asked,
    given hypothesised ties added, flagged."""
    schema = load_schema()
    H = _in_uid_order(G)
    drop = []
    for u, v, *rest in H.edges(keys=True, data=True) if H.is_multigraph() else H.edges(data=True):
        d = rest[-1]
        rtype = d.get("type")
        if rtype == "SAME_AS" and d.get("status", "applied") != "applied":
            drop.append((u, v, *rest[:-1]))
        elif (rtype == "HYPOTHESIS" or d.get("hypothesis")) and not hypotheses:
            drop.append((u, v, *rest[:-1]))
        elif rtype in schema.relationships and not schema.relationships[rtype].evidence and rtype != "SAME_AS":
            if not hypotheses:
                drop.append((u, v, *rest[:-1]))
    H.remove_edges_from(drop)
    if hypotheses and hypotheses is not True:
        for item in hypotheses:
            u, v, *more = item
            data = dict(more[0]) if more and isinstance(more[0], Mapping) else {}
            if more and not isinstance(more[0], Mapping):
                data["score"] = more[0]
            data.update(type="HYPOTHESIS", layer="hypothesis", hypothesis=True)
            for n in (u, v):
                if n not in H:
                    raise GraphnetError(f"hypothesised tie {u} - {v}: node {n} is not in the view")
            H.add_edge(u, v, **data)
    return H


def _in_uid_order(G: nx.Graph) -> nx.Graph:
    """A copy of ``G`` with its nodes and ties in uid order: the same graph draws the same page.

    A selection is often a subgraph view, which lists its nodes in the
    order of a Python set, and that order changes from one process to the
    next (string hashing): the layout, the sizes and the page followed it.

    >>> G = nx.Graph([("b", "a"), ("c", "a")])
    >>> H = _in_uid_order(G.subgraph({"c", "a", "b"}))
    >>> list(H), list(H.edges)
    (['a', 'b', 'c'], [('a', 'b'), ('a', 'c')])
    """
    H = G.__class__()
    H.graph.update(G.graph)
    H.add_nodes_from(sorted(G.nodes(data=True), key=lambda nd: str(nd[0])))
    if G.is_directed():
        ends = lambda u, v: (str(u), str(v))  # noqa: E731
    else:
        ends = lambda u, v: tuple(sorted((str(u), str(v))))  # noqa: E731
    if G.is_multigraph():
        H.add_edges_from(sorted(G.edges(keys=True, data=True), key=lambda e: (*ends(e[0], e[1]), str(e[2]))))
    else:
        H.add_edges_from(sorted(G.edges(data=True), key=lambda e: ends(e[0], e[1])))
    return H


def build_view(
    G: nx.Graph,
    *,
    size_by: str | Mapping[Any, float] | None = None,
    color_by: str = "label",
    communities: Any = None,
    hypotheses: Any = None,
    redact: Redactor | bytes | str | None = None,
    protection: Any = None,
    sources: Mapping[str, str] | None = None,
    title: str = "graphnet view",
    limit: int | None = DEFAULT_LIMIT,
    seed: int = 0,
    meta: Mapping[str, Any] | None = None,
    height: str = "100%",
    made: str | None = None,
) -> ViewNetwork:
    """Build the interactive view of ``G`` as a pyvis network.

    Parameters
    ----------
    G : networkx graph
        Any graph following the projection attribute contract (node ``label``,
        ``name``, ``roles``, ``src``; edge ``type``, ``layer``, ``weight``,
        ``src``, ...). Nodes without attributes are drawn as "other".
    size_by : {"degree", "betweenness", "pagerank"}, attribute name, mapping or None
        What node size shows (see :func:`node_sizes`).
    color_by : {"label", "community"}
        Fill colour by entity type and role (default; communities then show as
        the border colour) or by community.
    communities : mapping node -> id, list of sets, or None
        Community membership (default: the nodes' ``community`` attribute).
    hypotheses : None, True or iterable of (u, v[, score or data])
        Hypothesised ties are hidden unless given: ``True`` keeps the
        ``HYPOTHESIS`` edges of ``G``, an iterable adds those ties. They are
        drawn dashed grey and labelled "hypothesis".
    redact : Redactor, key or None
        Pseudonymise victims (:func:`graphnet.redact.redact_graph`) before
        anything is drawn.
    protection : graphnet.redact.Protection or None
        Who ``redact`` protects, decided on a larger graph (the database's
        records: :func:`graphnet.redact.protection_in`); by
        default decided on ``G`` itself.
    sources : mapping source uid -> path
        Resolves provenance refs to file paths in tooltips.
    title : str
        Page heading (escaped).
    limit : int or None
        Refuse (:class:`ViewTooLarge`) to draw more nodes than this.
    seed : int
        Seed of the layout and of any sampled measure (recorded in the page).
    meta : mapping
        Extra facts about the graph shown in the page footer (projection,
        window, filters).
    made : str, optional
        What the page says about when it was made (default: the current UTC
        time); pass a fixed text for byte-identical pages (evidence bundles).

    Returns
    -------
    ViewNetwork
        A pyvis network; ``write_view``/``render_view`` produce its page.
    """
    if color_by not in {"label", "community"}:
        raise GraphnetError(f"color_by must be 'label' or 'community', not {color_by!r}")
    if limit is not None and G.number_of_nodes() > limit:
        raise ViewTooLarge(G.number_of_nodes(), limit)
    H = _with_hypotheses(G, hypotheses)
    comm = _community_map(H, communities)
    if comm:
        nx.set_node_attributes(H, {n: c for n, c in comm.items() if n in H}, "community")
    sizes, size_note = node_sizes(H, size_by, seed=seed)
    nx.set_node_attributes(H, sizes, "_size")
    if redact is not None:
        redactor = redact if isinstance(redact, Redactor) else Redactor(redact)
        H = redact_graph(H, redactor, protection=protection)
        _pseudonymise_via(H, redactor)

    directed = H.is_directed()
    net = ViewNetwork(height=height, width="100%", directed=directed, heading=title)
    kinds: set[str] = set()
    layers: set[str] = set()
    convicts = False
    names: dict[Any, str] = {}
    vis_nodes = []
    for n, d in H.nodes(data=True):
        uid = str(n)
        kind = style.node_kind(d)
        kinds.add(kind)
        text, shape, fill, _ = style.NODE_KINDS[kind]
        name = str(d.get("name") or uid)
        names[n] = name
        convicted = style.is_convicted(d)
        convicts |= convicted
        community = d.get("community")
        border = fill
        if community is not None:
            border = style.community_colour(community)
            if color_by == "community":
                fill, border = border, "#333333"
        if convicted:
            border = "#000000"
        node = {
            "id": uid,
            "label": ("\u2696 " if convicted else "") + _short(name) + _group_suffix(d),
            "title": _node_title(uid, d, sources),
            "shape": shape,
            "size": d.get("_size", 16.0),
            "font": {"size": round(11 + 0.6 * (d.get("_size", 16.0) - 10), 1)},
            "color": {"background": fill, "border": border, "highlight": {"background": fill, "border": "#000000"}},
            "borderWidth": 5 if convicted else (3 if community is not None else 1),
            "kind": kind,
            "kindText": text,
            "type": d.get("label") or "",
            "roles": [str(r) for r in (d.get("roles") or [])] if not isinstance(d.get("roles"), str) else [d["roles"]],
            "community": None if community is None else str(community),
            "search": f"{name} {uid}".lower(),
        }
        vis_nodes.append(node)
    net.nodes = vis_nodes
    net.node_ids = [v["id"] for v in vis_nodes]
    net.node_map = {v["id"]: v for v in vis_nodes}

    vis_edges = []
    pair_count: dict[tuple[str, str], int] = defaultdict(int)
    schema = load_schema()
    edge_iter = H.edges(keys=True, data=True) if H.is_multigraph() else ((u, v, None, d) for u, v, d in H.edges(data=True))
    for i, (u, v, _k, d) in enumerate(edge_iter):
        rtype = str(d.get("type") or "")
        rel = schema.relationships.get(rtype)
        layer = d.get("layer") or (rel.layer if rel else ("hypothesis" if d.get("hypothesis") else "other"))
        layers.add(layer)
        weight = float(d.get("weight") or 1.0)
        edge = {
            "id": f"e{i}",
            "from": str(u),
            "to": str(v),
            "title": _edge_title(names[u], names[v], {**d, "layer": layer}, sources),
            "width": round(1.0 + 1.5 * math.log1p(max(weight, 0.0)), 2),
            "type": rtype,
            "layer": layer,
            **style.edge_style({**d, "layer": layer}, directed=directed),
        }
        pair = tuple(sorted((str(u), str(v))))
        index = pair_count[pair]
        pair_count[pair] += 1
        if index:
            edge["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": 0.12 * index * (1 if index % 2 else -1)}
        vis_edges.append(edge)
    net.edges = vis_edges

    n_nodes = len(vis_nodes)
    precomputed = n_nodes > PRECOMPUTE_LAYOUT_ABOVE
    if precomputed:
        positions = layout_positions(H, seed=seed)
        for node in vis_nodes:
            node["x"], node["y"] = positions[node["id"]]
    net.options = _options(n_nodes, len(vis_edges), seed, precomputed=precomputed)
    info: dict[str, Any] = {
        "nodes": n_nodes,
        "edges": len(vis_edges),
        "seed": seed,
        "layout": f"igraph Fruchterman-Reingold (seed {seed}), computed before drawing" if precomputed else f"vis-network physics (seed {seed})",
        **size_note,
        "colour": "community" if color_by == "community" else "entity type and role",
        "redacted": "victims pseudonymised" if redact is not None else "no",
        "hypotheses": "shown (dashed grey, not evidence)" if hypotheses else "hidden",
        **{k: v for k, v in (meta or {}).items() if v is not None},
    }
    info = {k.replace("_", " "): v for k, v in info.items() if v is not None}
    for key in ("projection", "since", "until"):
        if key in G.graph and key not in info and G.graph[key] is not None:
            info[key] = G.graph[key]
    net.graphnet = {
        "title": title,
        "made": made,
        "legend": style.legend(kinds, layers, convicts=convicts, hypotheses=bool(hypotheses)),
        "info": info,
        "communities": sorted({v["community"] for v in vis_nodes if v["community"] is not None}, key=_natural_key),
    }
    return net


def _natural_key(value: str) -> tuple[int, str]:
    return (int(value), "") if value.isdigit() else (1 << 30, value)


def layout_positions(G: nx.Graph, *, seed: int = 0, spring_length: float = _SPRING_LENGTH) -> dict[str, tuple[float, float]]:
    """Seeded Fruchterman-Reingold positions (igraph), scaled so a typical tie is ``spring_length`` pixels.

    Keys are the node ids as the page uses them (``str(node)``); the same
    graph and seed give the same picture.

    >>> a = layout_positions(nx.path_graph(4), seed=1)
    >>> a == layout_positions(nx.path_graph(4), seed=1), sorted(a)
    (True, ['0', '1', '2', '3'])
    """
    import igraph as ig

    nodes = list(G)
    index = {n: i for i, n in enumerate(nodes)}
    pairs = {(min(index[u], index[v]), max(index[u], index[v])) for u, v in G.edges() if u != v}
    graph = ig.Graph(n=len(nodes), edges=sorted(pairs))
    ig.set_random_number_generator(random.Random(seed))
    try:
        coords = graph.layout_fruchterman_reingold(grid="auto", niter=500).coords if nodes else []
    finally:
        ig.set_random_number_generator(random)
    lengths = sorted(math.dist(coords[a], coords[b]) for a, b in pairs)
    typical = lengths[len(lengths) // 2] if lengths else 1.0
    scale = spring_length / typical if typical > 0 else 1.0
    return {str(n): (round(coords[i][0] * scale, 1), round(coords[i][1] * scale, 1)) for i, n in enumerate(nodes)}


def _options(n_nodes: int, n_edges: int, seed: int, *, precomputed: bool = False) -> dict[str, Any]:
    """vis-network options: physics that settles, then stops (see view.js)."""
    big = n_nodes > 500
    return {
        "autoResize": True,
        "layout": {"randomSeed": seed, "improvedLayout": not precomputed},
        "physics": {
            "enabled": n_nodes > 1 and not precomputed,
            "solver": "barnesHut",
            "barnesHut": {
                "gravitationalConstant": -3000 if big else -6000,
                "springLength": 110,
                "springConstant": 0.04,
                "damping": 0.3,
                "avoidOverlap": 0.1,
            },
            "stabilization": {
                "enabled": True,
                "iterations": 1000,
                "updateInterval": 25,
                "fit": True,
            },
            "minVelocity": 1.0,
            "maxVelocity": 40,
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 120,
            "hideEdgesOnDrag": big,
            "hideEdgesOnZoom": n_edges > 3000,
            "multiselect": True,
            "navigationButtons": False,
        },
        "nodes": {
            "font": {"size": 12, "face": "sans-serif", "strokeWidth": 3, "strokeColor": "#ffffff"},
            # small labels appear as the investigator zooms in; big nodes keep theirs
            "scaling": {"label": {"enabled": True, "drawThreshold": 13 if n_nodes > 150 else (9 if n_nodes > 60 else 5), "maxVisible": 30}},
        },
        "edges": {"smooth": {"enabled": not big, "type": "continuous", "roundness": 0.3}, "selectionWidth": 2},
    }
