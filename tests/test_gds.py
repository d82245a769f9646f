"""In-database measures (GDS) equal the Python path (issue 7).

Needs a Neo4j with Graph Data Science: this module starts its own managed
server built with ``-Pgds`` (own home, own port). It runs when that build is
already present (``GRAPHNET_GDS=1 graphnet db build`` with the default build
directory + ``-gds``), or when GRAPHNET_GDS=1 is set (it then builds it: about
25 s with a warm Maven cache); otherwise it is skipped, and says why.
"""

from __future__ import annotations

import random
from fractions import Fraction

import networkx as nx
import pytest

from graphnet import db as dbapi
from graphnet.analytics import engines, gds
from graphnet.config import get_settings
from graphnet.db import server
from graphnet.errors import GraphnetError, SchemaError

pytestmark = [pytest.mark.neo4j, pytest.mark.gds]


@pytest.fixture(scope="module")
def gds_db(tmp_path_factory, neo4j_settings):
    base = get_settings()
    if base.external:
        database = dbapi.connect(base)
        if not gds.available(database):
            database.close()
            pytest.skip("the external Neo4j (NEO4J_URI) has no GDS")
        yield database
        database.close()
        return
    settings = base.replace(
        gds=True,
        build_dir=neo4j_settings.server_build_dir.with_name(neo4j_settings.server_build_dir.name + "-gds"),
        home=tmp_path_factory.mktemp("gds-home"),
        port=server.free_port(),
    )
    if not server.classpath_ready(settings) and not base.gds:
        pytest.skip("no GDS build; set GRAPHNET_GDS=1 to build one (graphnet db build)")
    server.start(settings, timeout=300)
    database = dbapi.connect(settings)
    try:
        assert gds.available(database)
        yield database
    finally:
        database.close()
        server.stop(settings)


def _fill(db, n: int, m: int, seed: int) -> None:
    dbapi.clear(db)
    G = nx.gnm_random_graph(n, m, seed=seed)
    rng = random.Random(seed)
    rows = [
        {"a": f"p{u:04d}", "b": f"p{v:04d}", "w": rng.choice([1.0, 2.0, 4.0, 0.5]), "t": rng.choice(["KNOWS", "MET", "CALLED"])}
        for u, v in G.edges
    ]
    # reciprocal and parallel ties: the projection must sum them like Python.
    # Weights stay powers of two, so every distance 1/weight and every path
    # length is exact in binary: no tie depends on rounding (see test_engines).
    rows += [{"a": r["b"], "b": r["a"], "w": r["w"], "t": "MET"} for r in rows[::7]]
    db.write("UNWIND $ids AS id CREATE (:Person {uid: id, name: id})", ids=[f"p{i:04d}" for i in range(n)])
    for t in ("KNOWS", "MET", "CALLED"):
        db.write(
            "UNWIND $rows AS r MATCH (a:Person {uid: r.a}), (b:Person {uid: r.b}) "
            f"CREATE (a)-[:{t} {{weight: r.w}}]->(b)",  # t from the fixed tuple above
            rows=[r for r in rows if r["t"] == t],
        )


def _exact(H: nx.Graph) -> nx.Graph:
    """Distances as exact fractions: NetworkX's float ties depend on rounding (see test_engines)."""
    E = H.copy()
    for _, _, d in E.edges(data=True):
        d["distance"] = 1 / Fraction(d["weight"])
    return E


def _close(a: dict, b: dict, tol: float = 1e-9) -> None:
    assert set(a) == set(b)
    worst = max((abs(a[k] - b[k]) for k in b), default=0.0)
    assert worst <= tol, worst


def _ranking(values: dict) -> list:
    return [k for k, _ in sorted(values.items(), key=lambda kv: (-round(kv[1], 9), kv[0]))]


def test_gds_equals_python_path(gds_db):
    _fill(gds_db, 120, 400, seed=3)
    out = gds.centrality(gds_db, ["betweenness", "pagerank", "closeness", "eigenvector"])
    H = gds.python_graph(gds_db)
    assert out["graph"]["nodes"] == H.number_of_nodes() and nx.is_connected(H)
    # 120 nodes: the NetworkX engine; same values from the igraph engine
    for engine in ("networkx", "igraph"):
        ref = {
            "betweenness": engines.betweenness(H, distance="distance", engine=engine),
            "closeness": engines.closeness(H, engine=engine),
            "eigenvector": engines.eigenvector(H, weight=None, engine=engine),
        }
        for measure, values in ref.items():
            _close(out[measure], values, 1e-6 if measure == "eigenvector" else 1e-9)
            assert _ranking(out[measure]) == _ranking(values)
    _close(out["pagerank"], nx.pagerank(H, tol=1e-15, max_iter=100_000), 1e-9)
    assert _ranking(out["pagerank"]) == _ranking(engines.pagerank(H, engine="igraph"))


def test_gds_directed_betweenness(gds_db):
    _fill(gds_db, 80, 240, seed=5)
    out = gds.centrality(gds_db, ["betweenness"], directed=True)
    H = gds.python_graph(gds_db, directed=True)
    _close(out["betweenness"], nx.betweenness_centrality(H, weight="distance"))
    _close(out["betweenness"], nx.betweenness_centrality(_exact(H), weight="distance"))


def test_projection_is_dropped_and_types_checked(gds_db):
    _fill(gds_db, 10, 20, seed=1)
    gds.centrality(gds_db, ["pagerank"], types=["KNOWS"])
    assert gds_db.read("CALL gds.graph.list() YIELD graphName RETURN count(*) AS n")[0]["n"] == 0
    with pytest.raises(SchemaError, match="unknown relationship type"):
        gds.centrality(gds_db, ["pagerank"], types=["KNOWS`]->() DETACH DELETE n //"])
    with pytest.raises(GraphnetError, match="no GDS algorithm"):
        gds.centrality(gds_db, ["constraint"])
    assert gds_db.read("CALL gds.graph.list() YIELD graphName RETURN count(*) AS n")[0]["n"] == 0
    assert gds_db.read("MATCH (n:Person) RETURN count(n) AS n")[0]["n"] == 10


def test_without_gds_a_clear_error(db):
    if gds.available(db):
        pytest.skip("the session's server carries GDS")
    with pytest.raises(GraphnetError, match="GRAPHNET_GDS=1"):
        gds.centrality(db, ["betweenness"])
