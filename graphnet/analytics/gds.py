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
    out-ties, so the scores are divided by their sum: equal to NetworkX's
    when no node is dangling (every node of an undirected projection has a
    tie), equal rankings otherwise only approximately.
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

__all__ = ["MEASURES", "available", "person_types", "project", "centrality", "python_graph"]

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


def available(db: Any) -> bool:
    """True when the server carries the GDS procedures."""
    rows = db.read(cypher("gds_available"))
    return bool(rows and rows[0]["available"])


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
    if not available(db):
        raise GraphnetError(
            "engine gds needs the Graph Data Science library in Neo4j: rebuild the local server with "
            "GRAPHNET_GDS=1 graphnet db build (then graphnet db start), or use --engine auto"
        )
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
