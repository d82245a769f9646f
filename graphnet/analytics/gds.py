"""In-database measures with Neo4j Graph Data Science (``--engine gds``).

For graphs too large to pull into Python, the same measures run inside Neo4j
when the managed server was built with GDS (``GRAPHNET_GDS=1 graphnet db
build``; OpenGDS 2.13 from Maven Central) or an external server carries it.
Each call projects person-to-person evidence ties of the schema's types into
a GDS in-memory graph (``cypher/gds_project.cypher``: parallel and, for an
undirected graph, reciprocal relationships summed into one tie of
``weight``, ``distance = 1/weight``), runs the algorithm, streams the scores
and drops the projection, also on error.

Scores are rescaled to NetworkX's definitions so they compare with the Python
path (:mod:`graphnet.analytics.engines` on :func:`python_graph`, the same
ties in NetworkX):

``betweenness``
    weighted by ``distance``; GDS counts an undirected pair once, so its raw
    scores are normalised like ``nx.betweenness_centrality`` (over ordered
    pairs). Equal values.
``pagerank``
    weighted by ``weight``; GDS scores are not a distribution (they sum to
    about n) and GDS does not redistribute the walk of a node without
    out-ties, so the scores are divided by their sum, which gives NetworkX's
    values also when some node has no out-tie (see below). Equal to the exact
    solution (the igraph engine, or ``nx.pagerank`` with a tiny ``tol``);
    ``nx.pagerank``'s default ``tol=1e-6`` stops within
    ``alpha / (1 - alpha) * n * 1e-6`` (L1) of it.
``closeness``
    unweighted (GDS closeness ignores weights), Wasserman-Faust: equal to
    ``nx.closeness_centrality(G)`` (no distance).
``eigenvector``
    unweighted: GDS's weighted eigenvector differs from NetworkX's (measured:
    0.07 apart on a 60-node graph), its unweighted one equals
    ``nx.eigenvector_centrality_numpy(G)`` (unit L2 norm) on a connected
    projection.

Burt's constraint and effective size have no GDS algorithm; use the Python
engines for those.

The reports (``graphnet report centrality|brokers|syndicates|behind|disruption --engine gds``) use
:func:`graph_measures` instead: it projects the report's own NetworkX graph
(its nodes and ties as lists, through ``cypher/gds_project_graph.cypher``),
so the time window, case, province and source filters, collapsed merged
records and redaction are exactly those of the Python path, by construction.
It runs :data:`GRAPH_MEASURES` there (degree, strength, betweenness on
``distance``, PageRank on ``weight``): GDS closeness, harmonic and
eigenvector centrality are unweighted, so they cannot give the reports'
weighted values and stay in Python.

The same projection (:func:`projected`) serves ``syndicates`` and ``behind``
(betweenness once, then one personalised PageRank per syndicate:
:meth:`Projection.personalized_pagerank`); ``disruption`` projects the
remaining graph again at each step of ``betweenness-seq`` (measured, 831
people: 0.08 s projection + 0.1 s betweenness a step; 3,781 people and
19,585 ties: 0.3 s + 1.5-3 s, about igraph's time, NetworkX's is 100 s).

Personalised PageRank (``sourceNodes``): GDS restarts the walk on the
sources, ``1 - alpha`` each, and again lets the walk of a node without ties
leak; NetworkX restarts on the personalisation (uniform over the sources),
also from such nodes. Both solve ``(I - a P') y = c u`` (``u`` uniform over
the sources), only ``c`` differs, so dividing by the sum gives NetworkX's
exact solution again (tests/test_gds.py: within 1e-12 of ``nx.pagerank`` with
``tol=1e-15`` and of igraph's PRPACK, with sources with and without ties).
GDS stops when no score moves by more than ``tolerance``; personalised
scores are small, so :data:`PERSONALIZED_PAGERANK` uses 1e-15.

PageRank and nodes without out-ties: GDS lets their walk leak out, NetworkX
restarts it by the personalisation (uniform). The leaky solution ``x`` solves
``x = a P'x + (1-a) u`` and NetworkX's ``p = a P'p + (a m + 1 - a) u`` (``m``:
the dangling nodes' share of ``p``), so ``p`` is ``x`` rescaled: dividing
GDS's scores by their sum gives NetworkX's PageRank exactly, with or without
such nodes (tests/test_gds.py checks both). Measured on the shared CAVIAR
and Krebs networks and on a resolved synthetic province (831 people, 422
without ties) under every report filter: betweenness, degree and strength
within 1e-13 of the networkx engine, PageRank within 1e-12 of the exact one.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterable, Iterator
from typing import Any

import networkx as nx

from ..errors import GraphnetError
from ..resources import cypher
from ..schema import load_schema

__all__ = [
    "MEASURES",
    "GRAPH_MEASURES",
    "available",
    "require",
    "version",
    "person_types",
    "project",
    "centrality",
    "python_graph",
    "graph_measures",
    "projected",
    "Projection",
    "PERSONALIZED_PAGERANK",
]

# measure -> (GDS procedure, configuration); procedures come from this
# whitelist only, never from user input.
MEASURES: dict[str, tuple[str, dict[str, Any]]] = {
    "betweenness": ("gds.betweenness.stream", {"relationshipWeightProperty": "distance"}),
    "pagerank": (
        "gds.pageRank.stream",
        {"relationshipWeightProperty": "weight", "dampingFactor": 0.85, "maxIterations": 10_000, "tolerance": 1e-12},
    ),
    "closeness": ("gds.closeness.stream", {"useWassermanFaust": True}),
    "eigenvector": ("gds.eigenvector.stream", {"maxIterations": 10_000, "tolerance": 1e-12}),
}


#: measures :func:`graph_measures` runs in GDS, each equal to
#: :func:`graphnet.analytics.measures.centrality`'s on the same graph.
GRAPH_MEASURES: dict[str, tuple[str, dict[str, Any]]] = {
    "degree": ("gds.degree.stream", {}),
    "strength": ("gds.degree.stream", {"relationshipWeightProperty": "weight"}),
    "betweenness": MEASURES["betweenness"],
    "pagerank": MEASURES["pagerank"],
}

#: personalised PageRank (``sourceNodes`` added per call). GDS stops when no
#: node's score changes by more than ``tolerance``; the scores of a walk
#: restarted on a few sources are small, so 1e-12 leaves them ~1e-10 from the
#: exact solution (measured) and 1e-15 within 3e-13 (150-200 iterations).
PERSONALIZED_PAGERANK: tuple[str, dict[str, Any]] = (
    "gds.pageRank.stream", {**MEASURES["pagerank"][1], "tolerance": 1e-15},
)

NO_GDS = (
    "engine gds needs Neo4j's Graph Data Science library and this server has none: run the local server "
    "built with it (graphnet db stop, then GRAPHNET_GDS=1 graphnet db start; the first start builds it, "
    "about 45 s) or a Neo4j with the GDS plugin, or use --engine auto"
)


def available(db: Any) -> bool:
    """True when the server carries the GDS procedures."""
    rows = db.read(cypher("gds_available"))
    return bool(rows and rows[0]["available"])


def require(db: Any) -> None:
    """Raise a one-line :class:`GraphnetError` when the server has no GDS."""
    if not available(db):
        raise GraphnetError(NO_GDS)


def version(db: Any) -> str:
    """The GDS library version of the server (e.g. ``2.13.9``)."""
    return str(db.read(cypher("gds_version"))[0]["version"])


def person_types(types: Iterable[str] | None = None) -> list[str]:
    """Evidence relationship types between persons (checked against the schema).

    >>> "KNOWS" in person_types() and "SAME_AS" not in person_types()
    True
    >>> person_types(["NOPE"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    graphnet.errors.SchemaError: unknown relationship type 'NOPE'; the schema has: ...
    """
    schema = load_schema()
    if types is None:
        return [
            t
            for t in schema.evidence_types
            if "Person" in schema.relationship(t).sources and "Person" in schema.relationship(t).targets
        ]
    return [schema.check_type(t) for t in types]


@contextlib.contextmanager
def project(db: Any, types: Iterable[str] | None = None, *, directed: bool = False) -> Iterator[dict[str, Any]]:
    """A GDS projection of person ties, dropped when the block ends.

    Yields ``{"graph": name, "nodes": n, "relationships": m, "types": [...]}``.
    """
    require(db)
    checked = person_types(types)
    name = f"graphnet-{uuid.uuid4().hex}"
    try:
        rows = db.read(cypher("gds_project"), graph=name, types=checked, directed=directed)
        info = dict(rows[0]) if rows else {"graph": name, "nodes": 0, "relationships": 0}
        info["types"] = checked
        info["directed"] = directed
        yield info
    finally:
        db.read(cypher("gds_drop"), graph=name)


def _stream(db: Any, graph: str, measure: str) -> dict[str, float]:
    if measure not in MEASURES:
        raise GraphnetError(f"measure {measure!r} has no GDS algorithm; GDS runs: {', '.join(MEASURES)}")
    procedure, config = MEASURES[measure]
    query = cypher("gds_stream").replace("{procedure}", procedure)
    return {r["uid"]: float(r["score"]) for r in db.read(query, graph=graph, config=config)}


def centrality(
    db: Any, measures: Iterable[str] = ("betweenness",), types: Iterable[str] | None = None, *, directed: bool = False
) -> dict[str, Any]:
    """Measures computed in Neo4j, on NetworkX's scale.

    Returns ``{"graph": projection info, measure: {uid: value}, ...}``; nodes
    without ties are not in the projection and so not in the result.
    """
    wanted = list(measures)
    with project(db, types, directed=directed) as info:
        n = int(info["nodes"])
        out: dict[str, Any] = {"graph": {**info, "engine": "gds"}}
        for measure in wanted:
            raw = _stream(db, info["graph"], measure)
            out[measure] = _rescale(measure, raw, n, directed)
    return out


def _rescale(measure: str, raw: dict[str, float], n: int, directed: bool) -> dict[str, float]:
    if measure == "betweenness":
        # GDS counts an undirected pair once (as igraph); NetworkX normalises
        # over ordered pairs: 2 / ((n-1)(n-2)) undirected, 1 / (...) directed.
        if n < 3:
            return raw
        scale = (1.0 if directed else 2.0) / ((n - 1) * (n - 2))
        return {k: v * scale for k, v in raw.items()}
    if measure == "pagerank":
        total = sum(raw.values())
        return {k: v / total for k, v in raw.items()} if total else raw
    return raw


def python_graph(db: Any, types: Iterable[str] | None = None, *, directed: bool = False) -> nx.Graph:
    """The ties :func:`project` gives GDS, as a NetworkX graph (``weight``, ``distance``)."""
    G = nx.DiGraph() if directed else nx.Graph()
    for r in db.stream(cypher("gds_edges"), types=person_types(types), directed=directed):
        G.add_edge(r["a"], r["b"], weight=r["weight"], distance=1.0 / r["weight"])
    return G


class Projection:
    """A report's NetworkX graph projected into GDS (made by :func:`projected`).

    Runs :data:`GRAPH_MEASURES` (:meth:`measures`) and personalised PageRank
    (:meth:`personalized_pagerank`) on the same in-memory graph, each on the
    Python path's scale; a GDS failure is one :class:`GraphnetError` line.
    """

    def __init__(self, db: Any, name: str, nodes: list[Any], ties: int) -> None:
        self.db, self.name, self.nodes, self.ties = db, name, nodes, ties
        self.index = {v: i for i, v in enumerate(nodes)}

    def _stream(self, procedure: str, config: dict[str, Any]) -> dict[Any, float]:
        from neo4j.exceptions import Neo4jError

        query = cypher("gds_stream_ids").replace("{procedure}", procedure)
        try:
            rows = self.db.read(query, graph=self.name, config=config)
        except Neo4jError as e:
            raise GraphnetError(f"GDS failed on the report's graph ({len(self.nodes)} nodes, {self.ties} ties): "
                                f"{e.message or e}") from e
        return {self.nodes[r["id"]]: float(r["score"]) for r in rows}

    def measures(self, measures: Iterable[str]) -> dict[str, dict[Any, float]]:
        """``measures.centrality(G, measures)`` computed by GDS (names from :data:`GRAPH_MEASURES`)."""
        wanted = list(dict.fromkeys(measures))
        unknown = [m for m in wanted if m not in GRAPH_MEASURES]
        if unknown:
            raise GraphnetError(f"measure {unknown[0]!r} does not run in GDS; GDS runs: {', '.join(GRAPH_MEASURES)}")
        n = len(self.nodes)
        out: dict[str, dict[Any, float]] = {}
        for m in wanted:
            if n == 0:
                out[m] = {}
                continue
            procedure, config = GRAPH_MEASURES[m]
            raw = self._stream(procedure, config)
            if m == "degree":
                # as nx.degree_centrality (measures.centrality gives 0 to a lone node)
                s = 1.0 / (n - 1) if n > 1 else 0.0
                out[m] = {v: x * s for v, x in raw.items()}
            elif m == "strength":
                out[m] = raw
            else:
                out[m] = _rescale(m, raw, n, False)
        return out

    def personalized_pagerank(self, sources: Iterable[Any]) -> dict[Any, float]:
        """``nx.pagerank(G, personalization={s: 1 for s in sources})`` (weight = strength, alpha 0.85), exactly.

        GDS's ``sourceNodes`` restart the walk on the sources, ``1 - alpha``
        each, and let the walk of a node without ties leak; divided by their
        sum the scores are NetworkX's (see the module docstring).
        """
        ids = sorted({self.index[s] for s in sources})
        if not ids:
            raise ZeroDivisionError("personalization vector sums to zero")  # as NetworkX
        procedure, config = PERSONALIZED_PAGERANK
        raw = self._stream(procedure, {**config, "sourceNodes": ids})
        total = sum(raw.values())
        return {k: v / total for k, v in raw.items()} if total else raw


@contextlib.contextmanager
def projected(db: Any, G: nx.Graph) -> Iterator[Projection]:
    """``G`` in GDS for the length of the block (dropped at the end, also on error).

    ``G`` is read as :func:`graphnet.analytics.measures.centrality` reads it
    (the simple undirected graph, parallel and reciprocal weights summed) and
    sent to GDS as it is: its nodes (with the ones without ties) and ties
    with their ``weight`` and ``distance``. An empty graph is not projected.
    """
    from neo4j.exceptions import Neo4jError

    from .measures import simple

    require(db)
    H = simple(G, directed=False)
    nodes = list(H)
    n = len(nodes)
    index = {v: i for i, v in enumerate(nodes)}
    edges: list[list[Any]] = []
    for u, v, d in H.edges(data=True):
        w, dist = float(d.get("weight", 1.0)), float(d.get("distance", 1.0))
        if not (0 < w < float("inf") and 0 < dist < float("inf")):
            raise GraphnetError(
                f"tie {u} - {v} has weight {w} and distance {dist}: GDS needs positive finite values; "
                "use --engine auto"
            )
        edges.append([index[u], index[v], w, dist])
    proj = Projection(db, f"graphnet-{uuid.uuid4().hex}", nodes, len(edges))
    if n == 0:
        yield proj
        return
    tied = {i for e in edges for i in e[:2]}
    edges += [[i, None, None, None] for i in range(n) if i not in tied]
    try:
        try:
            db.read(cypher("gds_project_graph"), graph=proj.name, edges=edges, directed=False)
        except Neo4jError as e:
            raise GraphnetError(f"GDS could not project the report's graph ({n} nodes, {proj.ties} ties): "
                                f"{e.message or e}") from e
        yield proj
    finally:
        db.read(cypher("gds_drop"), graph=proj.name)


def graph_measures(db: Any, G: nx.Graph, measures: Iterable[str] = ("betweenness",)) -> dict[str, dict[Any, float]]:
    """Measures of a NetworkX graph computed in Neo4j, equal to the Python path's.

    ``measures.centrality(G, measures)`` computed by GDS on :func:`projected`
    ``G``; ``measures`` come from :data:`GRAPH_MEASURES`. The projection is
    dropped at the end, also on error; a GDS failure is one
    :class:`GraphnetError` line.
    """
    wanted = list(dict.fromkeys(measures))
    unknown = [m for m in wanted if m not in GRAPH_MEASURES]
    if unknown:
        raise GraphnetError(f"measure {unknown[0]!r} does not run in GDS; GDS runs: {', '.join(GRAPH_MEASURES)}")
    with projected(db, G) as proj:
        return proj.measures(wanted)
