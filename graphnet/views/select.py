"""Which part of the graph a view draws: around someone, a community, a syndicate, a path, a projection.

The graph comes from :func:`graphnet.analytics.projections.project` (merged
person records collapsed, ``--since/--until`` applied, hypotheses only when
asked), so a view shows exactly the graph the reports ran on. Provenance refs
are resolved to the loaded files' paths (``cypher/view_sources.cypher``).
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import networkx as nx

from ..db.walk import Walk
from ..errors import GraphnetError, NotFound
from ..resources import cypher
from .build import DEFAULT_LIMIT, ViewTooLarge
from .collapse import collapse as collapse_graph

__all__ = ["view", "view_graph", "source_paths", "around", "between", "neighbourhood"]

_MAX_PATHS = 25
#: records a neighbourhood found in the database may hold; past it a view projects the whole graph
NEIGHBOURHOOD_MAX = 200_000


def _analytics() -> Any:
    # imported when first needed: render_view/write_view (evidence bundles) never need it
    from ..analytics import projections

    return projections


def source_paths(db: Any, G: nx.Graph) -> dict[str, str]:
    """``{source uid: path}`` for every source a node or tie of ``G`` cites."""
    from .build import parse_ref

    refs: set[str] = set()
    for _, d in G.nodes(data=True):
        refs.update(d.get("src") or [])
    for *_, d in G.edges(data=True):
        refs.update(d.get("src") or [])
    uids = sorted({parse_ref(r)[0] for r in refs})
    if not uids:
        return {}
    return {row["uid"]: row["path"] for row in db.read(cypher("view_sources"), uids=uids) if row["path"]}


def _undirected_simple(G: nx.Graph) -> nx.Graph:
    """``G`` without direction, parallel ties or loops; nodes and each node's neighbours in uid order.

    The order makes :func:`between`'s choice of chains (when more than
    ``max_paths`` are shortest) depend on the graph alone, not on the order
    the database returned its records.
    """
    U = nx.Graph()
    U.add_nodes_from(sorted(G, key=str))
    U.add_edges_from(sorted({tuple(sorted((u, v), key=str)) for u, v in G.edges() if u != v},
                            key=lambda e: (str(e[0]), str(e[1]))))  # fmt: skip
    return U


def around(G: nx.Graph, center: Any, hops: int = 1) -> nx.Graph:
    """The subgraph within ``hops`` ties of ``center`` (ties in either direction).

    >>> G = nx.path_graph(5)
    >>> sorted(around(G, 2, hops=1))
    [1, 2, 3]
    """
    if hops < 0:
        raise GraphnetError(f"--hops must be 0 or more, not {hops}")
    reach = nx.single_source_shortest_path_length(_undirected_simple(G), center, cutoff=hops)
    return G.subgraph(reach).copy()


def _walk(db: Any, uid: str, types: list[str]) -> Walk:
    """A walk from the record ``uid`` (any label but Source) and the records merged with it (empty: no record)."""
    return Walk(db, [r["id"] for r in db.read(cypher("view_start"), uid=uid)], types, rels=False)


def _tie_types(hypotheses: bool) -> list[str]:
    from ..schema import load_schema

    return list(load_schema().evidence_types) + (["HYPOTHESIS"] if hypotheses else [])


def neighbourhood(db: Any, uid: str, hops: int, *, hypotheses: bool = False,
                  limit: int = NEIGHBOURHOOD_MAX) -> list[str] | None:  # fmt: skip
    """The record uids within ``hops`` ties of the record ``uid``, found in the database hop by hop.

    Every record merged with one found is found too, and ties are followed
    whatever their date or source, so the ``full`` projection of these
    records alone holds all that :func:`around` keeps of the whole one: a
    view around one person in a national database need not project 1.1
    million records first. None when ``uid`` is no record (a name: the
    whole projection finds it) or past ``limit`` records.
    """
    walk = _walk(db, uid, _tie_types(hypotheses))
    while walk.radius < hops and not walk.complete:
        walk.grow()
        if len(walk.nodes) > limit:
            return None
    return sorted(walk.uids()) or None


def _path_graph(db: Any, proj: Any, name: str, path: Sequence[str], filters: dict[str, Any],
                limit: int = NEIGHBOURHOOD_MAX) -> tuple[nx.Graph, tuple]:  # fmt: skip
    """The projection ``--path A B`` needs, and the nodes of A and B in it.

    On the ``full`` projection with two records, the graph projected is only
    the records within ``ra`` ties of A and ``rb`` ties of B, grown in the
    database (the walk with the smaller frontier first) until a chain of at
    most ``ra + rb`` ties joins A and B in that projection. Every shortest
    chain of the whole projection is then inside it: a node ``i`` ties from A
    on a chain of ``L <= ra + rb`` ties is within ``ra`` of A or within
    ``rb`` of B. With a complete walk (the record's whole component) the
    projection holds the whole component, chains or none. A name, or walks
    past ``limit`` records, projects the whole graph, as does A or B missing
    from the narrowed one (so the NotFound message is the whole graph's).
    """
    if name == "full":
        types = _tie_types(filters.get("hypotheses", False))
        walks = [_walk(db, ref, types) for ref in path]
        while all(x.nodes for x in walks) and sum(len(x.nodes) for x in walks) <= limit:
            done = any(x.complete for x in walks)
            if done or walks[0].nodes & walks[1].nodes:
                within = sorted(walks[0].uids() | walks[1].uids())
                G = proj.project(db, name, within=within, **filters)
                try:
                    a, b = (proj.find_node(G, ref) for ref in path)
                except NotFound:
                    break
                try:
                    length = nx.shortest_path_length(_undirected_simple(G), a, b)
                except nx.NetworkXNoPath:
                    length = None
                if done or (length is not None and length <= walks[0].radius + walks[1].radius):
                    return G, (a, b)
            min(walks, key=lambda x: len(x.frontier)).grow()  # none is complete here
    G = proj.project(db, name, **filters)
    return G, tuple(proj.find_node(G, ref) for ref in path)


def between(G: nx.Graph, a: Any, b: Any, *, max_paths: int = _MAX_PATHS) -> nx.Graph:
    """Every shortest chain (fewest ties) from ``a`` to ``b``, at most ``max_paths`` of them.

    Only the ties along the chains are kept.

    >>> G = nx.cycle_graph(4)
    >>> sorted(between(G, 0, 2).edges())
    [(0, 1), (0, 3), (1, 2), (2, 3)]
    """
    U = _undirected_simple(G)
    try:
        chains = list(itertools.islice(nx.all_shortest_paths(U, a, b), max_paths))
    except nx.NetworkXNoPath:
        raise NotFound(f"no chain of ties links {a} and {b} in this graph") from None
    pairs = {frozenset(p) for chain in chains for p in zip(chain, chain[1:])}
    H = G.__class__()
    H.graph.update(G.graph)
    H.add_nodes_from((n, G.nodes[n]) for chain in chains for n in chain)
    if G.is_multigraph():
        H.add_edges_from((u, v, k, d) for u, v, k, d in G.edges(keys=True, data=True) if frozenset((u, v)) in pairs)
    else:
        H.add_edges_from((u, v, d) for u, v, d in G.edges(data=True) if frozenset((u, v)) in pairs)
    H.graph["paths"] = len(chains)
    return H


def _community_members(G: nx.Graph, community: str, seed: int, runs: int = 10, time_limit: float | None = None) -> set:
    """Members of community ``community`` numbered as ``graphnet report communities --seed --runs`` numbers them."""
    from ..analytics import communities as cm

    result = cm.stability(G, runs=runs, seed=seed, time_limit=time_limit)
    for c in result["communities"]:
        if str(c["id"]) == str(community):
            return set(c["members"])
    ids = ", ".join(str(c["id"]) for c in result["communities"][:20])
    raise NotFound(f"no community {community!r} (seed {seed}, {runs} runs); communities: {ids}; see `graphnet report communities`")


def _syndicate_graph(G: nx.Graph, syndicate: str, seed: int) -> nx.Graph:
    """The convicts of a syndicate, the uncharged candidates behind them and the paths between them."""
    from ..analytics import syndicates as synd

    report = synd.syndicates(G, seed=seed)
    wanted = str(syndicate).upper()
    wanted = wanted if wanted.startswith("S") else f"S{wanted}"
    for section in report.sections:
        if str(section["id"]).upper() != wanted:
            continue
        convicts = [p["uid"] for p in section["convicted"]]
        candidates = {c["uid"]: c for c in section["candidates"]}
        nodes = set(convicts) | set(candidates)
        for c in candidates.values():
            for path in c.get("paths") or []:
                nodes.update(path["nodes"])
        H = G.subgraph(n for n in nodes if n in G).copy()
        for n in convicts:
            if n in H:
                H.nodes[n]["convicted"] = True
        for n, c in candidates.items():
            if n in H:
                H.nodes[n].update(organiser_candidate=True, syndicate_score=round(float(c["score"]), 3))
        H.graph["syndicate"] = section["id"]
        return H
    ids = ", ".join(str(s["id"]) for s in report.sections)
    raise NotFound(f"no syndicate {syndicate!r}; syndicates: {ids or 'none'}; see `graphnet report syndicates`")


def view_graph(
    db: Any,
    *,
    around_ref: str | None = None,
    hops: int = 1,
    community: str | None = None,
    syndicate: str | None = None,
    path: Sequence[str] | None = None,
    projection: str | None = None,
    since: str | None = None,
    until: str | None = None,
    cases: Sequence[str] | None = None,
    province: str | None = None,
    sources: Sequence[str] | None = None,
    hypotheses: bool = False,
    seed: int = 0,
    runs: int = 10,
    time_limit: float | None = None,
) -> tuple[nx.Graph, dict[str, Any]]:
    """The graph a view draws, and facts about how it was chosen (for the page footer).

    ``community``: numbered as ``graphnet report communities --seed --runs``
    numbers it (``runs`` Louvain seeds, stopped beyond ``time_limit`` minutes
    on a large graph).

    ``since``/``until``/``cases``/``province``/``sources`` narrow the
    projection as they narrow the reports (so ``--community N --source F``
    draws community N of ``graphnet report communities --source F``).
    """
    chosen = [x for x in (around_ref, community, syndicate, path) if x]
    if len(chosen) > 1:
        raise GraphnetError("choose one of --around, --community, --syndicate, --path")
    proj = _analytics()
    name = projection or ("persons" if (community is not None or syndicate is not None) else "full")
    filters = {"since": since, "until": until, "cases": cases or None, "province": province,
               "sources": sources or None, "hypotheses": hypotheses}  # fmt: skip
    # around a record of the full projection: only its neighbourhood in the database is projected
    within = neighbourhood(db, around_ref, hops, hypotheses=hypotheses) if around_ref and name == "full" else None
    if path:  # between two records of the full projection: only the records around both ends are projected
        G, ends = _path_graph(db, proj, name, path, filters)
    else:
        G = proj.project(db, name, within=within, **filters)
    meta: dict[str, Any] = {"projection": name, "since": since, "until": until}
    meta |= {k: v for k, v in (("cases", ", ".join(cases or [])), ("province", province),
                                ("sources", ", ".join(sources or []))) if v}
    narrowed = [f"--{k}" for k, v in (("since", since), ("until", until), ("case", cases), ("province", province),
                                      ("source", sources)) if v]
    if around_ref:
        try:
            try:
                center = proj.find_node(G, around_ref)
            except NotFound:
                if within is None:
                    raise
                G = proj.project(db, name, **filters)  # outside the narrowed graph: said as the whole one says it
                center = proj.find_node(G, around_ref)
        except NotFound as e:
            if not narrowed:
                raise
            raise NotFound(f"{e} (the graph was narrowed by {', '.join(narrowed)}: it may be outside them)") from None
        G = around(G, center, hops)
        meta["around"] = f"{center} ({hops} hop{'s' if hops != 1 else ''})"
    elif path:
        a, b = ends
        G = between(G, a, b)
        meta["path"] = f"{a} to {b}: {G.graph['paths']} shortest chain(s)"
    elif community is not None:
        members = _community_members(G, community, seed, runs, time_limit)
        G = G.subgraph(members).copy()
        nx.set_node_attributes(G, str(community), "community")
        meta["community"] = f"{community} (seed {seed}, {runs} runs)"
    elif syndicate is not None:
        G = _syndicate_graph(G, syndicate, seed)
        meta["syndicate"] = f"{G.graph['syndicate']} (seed {seed}; candidates are leads, not findings)"
    return G, meta


def view(
    db: Any,
    out: str | os.PathLike,
    *,
    around: str | None = None,
    hops: int = 1,
    community: str | None = None,
    syndicate: str | None = None,
    path: Sequence[str] | None = None,
    projection: str | None = None,
    since: str | None = None,
    until: str | None = None,
    cases: Sequence[str] | None = None,
    province: str | None = None,
    sources: Sequence[str] | None = None,
    size_by: str | None = None,
    color_by: str = "label",
    redact: Any = None,
    limit: int | None = DEFAULT_LIMIT,
    collapse: str | None = None,
    hypotheses: bool = False,
    seed: int = 0,
    title: str | None = None,
    runs: int = 10,
    time_limit: float | None = None,
) -> dict[str, Any]:
    """Select a part of the graph in Neo4j and write its offline view to ``out``.

    This is what ``graphnet view`` runs. Returns ``path``, ``nodes``,
    ``edges``, ``title`` of the written page. Raises
    :class:`~graphnet.views.build.ViewTooLarge` (naming the node count) when
    the view is over ``limit`` nodes: narrow it or ``collapse`` it
    (``community`` or ``lodging``).
    """
    from ..redact import Redactor, protection_in
    from . import write_view

    protection = None
    if redact is not None:  # who is protected, decided on the whole database as for evidence bundles
        redact = redact if isinstance(redact, Redactor) else Redactor(redact)
        protection = protection_in(db, redact)
    try:
        G, meta = view_graph(
            db, around_ref=around, hops=hops, community=community, syndicate=syndicate, path=path,
            projection=projection, since=since, until=until, cases=cases, province=province, sources=sources,
            hypotheses=hypotheses, seed=seed, runs=runs, time_limit=time_limit,
        )  # fmt: skip
    except NotFound as e:
        if protection is None:
            raise
        raise NotFound(protection.text(str(e))) from None  # the closest names it offers may be victims
    if G.number_of_nodes() == 0:
        raise NotFound("nothing to draw: the selection has no nodes (check --since/--until, --case, --province, "
                       "--source and the database)")
    if color_by == "community" and not any(d.get("community") is not None for _, d in G.nodes(data=True)):
        from ..analytics import communities as cm

        result = cm.louvain(G, seed=seed)
        nx.set_node_attributes(G, result["partition"], "community")
        meta["communities"] = f"Louvain (seed {seed}), modularity {result['modularity']:.3f}"
    drawn = G
    if collapse:
        drawn = collapse_graph(G, collapse, seed=seed)
        meta["collapsed"] = f"{drawn.graph['collapse']}: {G.number_of_nodes()} nodes drawn as {drawn.number_of_nodes()}"
    if limit is not None and drawn.number_of_nodes() > limit:
        raise ViewTooLarge(drawn.number_of_nodes(), limit)
    if protection is not None:  # an --around victim, a record uid built from her name: by pseudonym
        meta = {k: protection.text(v) if isinstance(v, str) else v for k, v in meta.items()}
    if title is None:
        what = next((f"{k} {v}" for k, v in meta.items() if k in {"around", "path", "community", "syndicate"}), None)
        title = f"graphnet: {what or 'projection ' + meta['projection']}"
    written = write_view(
        drawn, out, size_by=size_by, color_by=color_by, redact=redact, protection=protection,
        sources=source_paths(db, drawn),
        title=title, limit=limit, seed=seed, meta=meta, hypotheses=hypotheses or None,
    )  # fmt: skip
    return {"path": Path(written), "nodes": drawn.number_of_nodes(), "edges": drawn.number_of_edges(), "title": title}
