"""In-database measures (GDS) equal the Python path (issue 7).

Needs a Neo4j with Graph Data Science: the ``gds_*`` fixtures of
tests/conftest.py start, for this module, a managed server built with
``-Pgds`` (own home, own port, build directory beside the session's with
``-gds`` appended). It runs when that build is already present
(``scripts/install`` makes it under CI=true or GRAPHNET_GDS=1; ``GRAPHNET_GDS=1
graphnet db build`` does too), or builds it when CI=true or GRAPHNET_GDS=1 is
set (about 45 s with a warm Maven cache); otherwise it is skipped, and says
why. Under CI=true a server without GDS fails the run.

The report tests compare ``graphnet report centrality|brokers --engine gds``
with ``--engine networkx`` on the shared CAVIAR and Krebs networks and on a
resolved synthetic province under every report filter, and ``syndicates``,
``behind`` and ``disruption`` (betweenness strategies) on CAVIAR and the
province.
"""

from __future__ import annotations

import json
import random
from fractions import Fraction

import networkx as nx
import pytest
from click.testing import CliRunner

from graphnet import db as dbapi
from graphnet.analytics import engines, gds, reports, syndicates
from graphnet.analytics import measures as M
from graphnet.cli import main
from graphnet.errors import GraphnetError, SchemaError

pytestmark = [pytest.mark.neo4j, pytest.mark.gds]


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


def test_gds_directed_betweenness_and_pagerank(gds_db):
    _fill(gds_db, 80, 240, seed=5)
    out = gds.centrality(gds_db, ["betweenness", "pagerank"], directed=True)
    H = gds.python_graph(gds_db, directed=True)
    _close(out["betweenness"], nx.betweenness_centrality(H, weight="distance"))
    _close(out["betweenness"], nx.betweenness_centrality(_exact(H), weight="distance"))
    # nodes without out-ties: GDS lets their walk leak, NetworkX restarts it;
    # rescaled to sum 1 the two are the same (see graphnet.analytics.gds)
    assert any(H.out_degree(v) == 0 for v in H)
    _close(out["pagerank"], nx.pagerank(H, tol=1e-15, max_iter=100_000))


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


# --------------------------------------------------------------------------- reports with --engine gds

ALPHA = 0.85


def _pagerank_bound(n: int) -> float:
    """How far nx.pagerank's default stop (tol=1e-6) may leave a value from the exact one (engines.pagerank)."""
    return ALPHA / (1 - ALPHA) * n * 1e-6


def _report(env: dict[str, str], *args: str) -> dict:
    r = CliRunner().invoke(main, ["report", *args, "--format", "json"], env=env)
    assert r.exit_code == 0, r.output
    return json.loads(r.output)


def _same_rows(got: list[dict], ref: list[dict], n: int, *, pagerank: str = "networkx") -> None:
    """Same people in the same order with the same values: 1e-9, PageRank within the reference's own error."""
    assert [r["uid"] for r in got] == [r["uid"] for r in ref]
    tol_pr = _pagerank_bound(n) if pagerank == "networkx" else 1e-9
    for a, b in zip(got, ref):
        assert a.keys() == b.keys()
        for k, v in b.items():
            if isinstance(v, float) and isinstance(a[k], float):
                if v != v:  # NaN: a node without ties (constraint, effective size)
                    assert a[k] != a[k], (a["uid"], k)
                    continue
                assert abs(a[k] - v) <= (tol_pr if k == "pagerank" else 1e-9), (a["uid"], k, a[k], v)
            else:
                assert a[k] == v, (a["uid"], k)


def _load_published(db, datasets, tmp_path, name: str) -> None:
    from graphnet import loading

    files = {
        "caviar": [("caviar", "caviar/caviar_full_undirected_edges.csv"), ("caviar_nodes", "caviar/caviar_nodes.csv")],
        "krebs": [("krebs_911", "krebs_911/krebs911_edges.csv")],
    }[name]
    for definition, rel in files:
        loading.load_file(db, definition, datasets / rel, rejects_dir=tmp_path)


@pytest.mark.parametrize("dataset", ["caviar", "krebs"])
def test_report_engine_gds_equals_networkx_on_published_networks(gds_db, gds_cli_env, datasets, tmp_path, dataset):
    _load_published(gds_db, datasets, tmp_path, dataset)
    for args in (["centrality", "--top", "500"], ["brokers", "--top", "500"]):
        got = _report(gds_cli_env, *args, "--engine", "gds")
        ref = _report(gds_cli_env, *args, "--engine", "networkx")
        n = ref["graph"]["nodes"]
        assert n == got["graph"]["nodes"] == len(ref["rows"]) > 50
        assert {k: v for k, v in got["graph"].items() if k not in ("engine", "engines", "gds_version")} == {
            k: v for k, v in ref["graph"].items() if k not in ("engine", "engines")}
        _same_rows(got["rows"], ref["rows"], n)
        engines_used = got["graph"]["engines"]
        assert engines_used["betweenness"] == "gds" and got["graph"]["gds_version"].startswith("2.")
        if args[0] == "centrality":
            assert {m for m, e in engines_used.items() if e == "gds"} == {"degree", "strength", "betweenness", "pagerank"}
            # the rest in Python with auto: NetworkX on a graph this small, but constraint and effective
            # size always compiled (NetworkX's sums over sets change their last digits from run to run)
            assert engines_used["closeness"] == "networkx" and engines_used["constraint"] == "igraph"
        else:
            assert engines_used["constraint"] == engines_used["effective_size"] == "igraph"
            assert engines_used["brokerage"] == "python"
        assert any("computed by:" in note and "Neo4j GDS" in note for note in got["notes"])
    # PageRank: GDS gives the exact solution, as the igraph engine (PRPACK)
    got = _report(gds_cli_env, "centrality", "--by", "pagerank", "--top", "500", "--engine", "gds")
    ref = _report(gds_cli_env, "centrality", "--by", "pagerank", "--top", "500", "--engine", "igraph")
    pr_got = {r["uid"]: r["pagerank"] for r in got["rows"]}
    pr_ref = {r["uid"]: r["pagerank"] for r in ref["rows"]}
    _close(pr_got, pr_ref, 1e-9)
    assert _ranking(pr_got) == _ranking(pr_ref)


_FINGERPRINT = "RETURN COUNT { MATCH (n) } AS nodes, COUNT { MATCH ()-[r]->() } AS rels"


@pytest.fixture(scope="module")
def province_plan(tmp_path_factory):
    from graphnet.synth import generate

    tmp = tmp_path_factory.mktemp("gds-province")
    s = generate(tmp / "scenario", seed=4, cases=8, syndicates=2, background=201)
    return {"plan": s.out_dir / "load-plan.yaml", "rejects": tmp / "rejects", "loaded": None}


@pytest.fixture
def province(gds_conn, province_plan):
    """A small synthetic province (831 people), loaded and resolved (merged records to collapse).

    Loaded again when a test in between has emptied the database.
    """
    from graphnet import loading, resolution

    if province_plan["loaded"] != dict(gds_conn.read(_FINGERPRINT)[0]):
        dbapi.clear(gds_conn)
        dbapi.apply_schema(gds_conn)
        loading.load_plan(gds_conn, province_plan["plan"], rejects_dir=province_plan["rejects"])
        resolution.resolve(gds_conn)
        province_plan["loaded"] = dict(gds_conn.read(_FINGERPRINT)[0])
    cases = [r["uid"] for r in gds_conn.read("MATCH (c:Case) RETURN c.uid AS uid ORDER BY uid LIMIT 2")]
    return gds_conn, cases


def test_report_engine_gds_follows_filters_merges_and_redaction(province):
    from graphnet.redact import Redactor

    db, cases = province
    G = reports.graph_of(db, "persons")
    assert G.graph["merged_records"] > 0 and any(G.degree(v) == 0 for v in G)  # collapsed merges, lone people
    # the measures GDS computes (the others are the same Python code for both engines;
    # the brokerage counts are slow in Python: one small graph)
    in_db = ("degree", "strength", "betweenness", "pagerank")
    runs = [
        (reports.centrality, {}),
        (reports.centrality, {"since": "2018-04-01", "until": "2018-04-30"}),
        (reports.centrality, {"cases": cases}),
        (reports.centrality, {"province": "Kalimantan Barat", "projection": "layer:phone"}),
        (reports.centrality, {"sources": ["call_records", "lodging_guests"]}),
        (reports.centrality, {"redactor": Redactor("a test key")}),
        (reports.brokers, {"cases": cases}),
    ]
    for report, kw in runs:
        if report is reports.centrality:
            kw = {**kw, "measures": in_db}
        got = report(db, top=10_000, engine="gds", **kw)
        ref = report(db, top=10_000, engine="networkx", **kw)
        n = ref.graph["nodes"]
        assert n == got.graph["nodes"] > 10 and ref.graph["edges"] == got.graph["edges"], kw
        _same_rows(got.rows, ref.rows, n)


def test_graph_measures_equal_python_with_lone_nodes_and_parallel_ties(gds_db):
    rng = random.Random(11)
    G = nx.MultiDiGraph()
    G.add_nodes_from(f"p{i:03d}" for i in range(90))  # 90 people, some without ties
    for _ in range(160):
        u, v = rng.sample(range(70), 2)
        G.add_edge(f"p{u:03d}", f"p{v:03d}", weight=rng.choice([0.5, 1.0, 2.0, 4.0]))
    out = gds.graph_measures(gds_db, G, ["degree", "strength", "betweenness", "pagerank"])
    H = M.simple(G, directed=False)
    ref = M.centrality(G, ["degree", "strength", "betweenness"], engine="networkx")
    for m in ("degree", "strength", "betweenness"):
        _close(out[m], ref[m])
    _close(out["pagerank"], nx.pagerank(H, tol=1e-15, max_iter=100_000))
    _close(out["pagerank"], engines.pagerank(H, engine="igraph"))
    assert len(out["pagerank"]) == 90
    assert gds_db.read("CALL gds.graph.list() YIELD graphName RETURN count(*) AS n")[0]["n"] == 0
    assert gds.graph_measures(gds_db, nx.Graph(), ["pagerank"]) == {"pagerank": {}}
    with pytest.raises(GraphnetError, match="does not run in GDS"):
        gds.graph_measures(gds_db, G, ["closeness"])
    with pytest.raises(GraphnetError, match="pass the Database"):
        reports.centrality(G, engine="gds")


def test_report_engine_gds_without_gds_is_one_clear_line(db, cli_env):
    if gds.available(db):
        pytest.skip("the session's server carries GDS")
    runner = CliRunner()
    for args in (["centrality"], ["brokers"], ["syndicates"], ["behind", "someone"], ["disruption"]):
        r = runner.invoke(main, ["report", *args, "--engine", "gds"], env=cli_env)
        assert r.exit_code == 1, r.output
        assert r.output.strip().splitlines() == [
            f"Error: {gds.NO_GDS}"
        ] and "GRAPHNET_GDS=1 graphnet db start" in r.output and "Traceback" not in r.output
    for args in (["communities"], ["hypotheses"]):
        r = runner.invoke(main, ["report", *args, "--engine", "gds"], env=cli_env)
        assert r.exit_code == 1, r.output
        assert r.output.strip().splitlines() == [
            f"Error: report {args[0]} runs in Python: it accepts --engine auto, networkx or igraph "
            "(--engine gds works for the reports centrality, brokers, syndicates, behind, disruption)"
        ]


# --------------------------------------------------------------------------- syndicates, behind, disruption


def _sparse_graph(seed: int) -> nx.MultiGraph:
    """60 tied people and 6 without ties, parallel ties (summed), weights 1/3 .. 4."""
    rng = random.Random(seed)
    G = nx.MultiGraph()
    G.add_nodes_from(f"p{i:03d}" for i in range(66))
    for u, v in nx.gnm_random_graph(60, 100, seed=seed).edges:
        for _ in range(rng.choice([1, 1, 2])):
            G.add_edge(f"p{u:03d}", f"p{v:03d}", weight=rng.choice([1 / 3, 0.5, 1.0, 2.0, 4.0]))
    return G


def test_personalized_pagerank_equals_the_exact_solution(gds_db):
    # GDS restarts the walk on sourceNodes (1 - alpha each) and lets a node
    # without ties leak its walk; NetworkX restarts by the personalisation
    # (dangling walks too). Both solve (I - alpha P') x = c u for some c, so
    # GDS's scores divided by their sum are NetworkX's; with tolerance 1e-15.
    G = _sparse_graph(2)
    H = M.simple(G, directed=False)
    lone = [v for v in H if H.degree(v) == 0]
    assert lone
    with gds.projected(gds_db, G) as proj:
        for sources in (["p000"], ["p000", "p005", "p007"], ["p003", lone[0]], [lone[0], lone[1], "p010"], lone[:1]):
            got = proj.personalized_pagerank(sources)
            pers = {s: 1 for s in sources}
            exact = nx.pagerank(H, personalization=pers, tol=1e-15, max_iter=100_000)
            _close(got, exact, 1e-12)
            _close(got, engines.pagerank(H, personalization=pers, engine="igraph"), 1e-12)
            _close(got, syndicates.personalized_pagerank(H, sources, engine="networkx"), 1e-12)
        # the same projection serves the other measures
        _close(proj.measures(["betweenness"])["betweenness"], nx.betweenness_centrality(H, weight="distance"))
        with pytest.raises(ZeroDivisionError):
            proj.personalized_pagerank([])
    assert gds_db.read("CALL gds.graph.list() YIELD graphName RETURN count(*) AS n")[0]["n"] == 0


def _same(a, b, tol: float, where: str = "") -> None:
    """Equal structures; floats within ``tol``."""
    if isinstance(a, float) and isinstance(b, float):
        assert abs(a - b) <= tol, (where, a, b)
    elif isinstance(a, dict) and isinstance(b, dict):
        assert a.keys() == b.keys(), where
        for k in a:
            _same(a[k], b[k], tol, f"{where}.{k}")
    elif isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b)):
            _same(x, y, tol, f"{where}[{i}]")
    else:
        assert a == b, (where, a, b)


_ENGINE_KEYS = ("engine", "engines", "gds_version")


def _same_report(got, ref, tol: float = 1e-9) -> float:
    """Same rows in the same order, same sections and graph (but the engine fields); returns the largest difference."""
    assert [(r.get("syndicate"), r.get("strategy"), r["uid"] if "uid" in r else r.get("removed")) for r in got.rows] == [
        (r.get("syndicate"), r.get("strategy"), r["uid"] if "uid" in r else r.get("removed")) for r in ref.rows]
    _same(got.rows, ref.rows, tol, "rows")
    _same(got.sections, ref.sections, tol, "sections")
    _same({k: v for k, v in got.graph.items() if k not in _ENGINE_KEYS},
          {k: v for k, v in ref.graph.items() if k not in _ENGINE_KEYS}, 0.0, "graph")
    assert got.notes[:-1] == ref.notes[:-1] and got.notes[-1].startswith("computed by:")
    assert "Neo4j GDS 2." in got.notes[-1] and got.graph["gds_version"].startswith("2.")
    return max((abs(a[k] - b[k]) for a, b in zip(got.rows, ref.rows) for k in a
                if isinstance(a[k], float) and isinstance(b[k], float)), default=0.0)


def test_syndicates_and_behind_engine_gds_equal_networkx_on_a_province(province):
    from graphnet.redact import Redactor

    db, cases = province
    convicts: set[str] = set()
    for kw in ({}, {"cases": cases, "since": "2018-04-01"}, {"redactor": Redactor("a test key")}):
        got = syndicates.syndicates(db, top=10_000, engine="gds", **kw)
        ref = syndicates.syndicates(db, top=10_000, engine="networkx", **kw)
        if not kw:
            convicts = {c["uid"] for s in ref.sections for c in s["convicted"]}
        assert got.rows and (kw or len(got.rows) > 100 and len(got.sections) > 1), kw
        # measured: score, P, B within 1e-12 (PageRank: both the exact solution)
        _same_report(got, ref, 1e-9)
        assert got.graph["engines"] == {"betweenness": "gds", "personalized_pagerank": "gds",
                                        "communities": "python-louvain"}
        assert ref.graph["engines"] == {"betweenness": "networkx", "personalized_pagerank": "networkx",
                                        "communities": "python-louvain"}
        assert "python-louvain (seeded)" in got.notes[-1]
    assert len(convicts) >= 2
    for person in sorted(convicts)[:2]:
        got = syndicates.behind(db, person, top=10_000, engine="gds")
        ref = syndicates.behind(db, person, top=10_000, engine="networkx")
        assert len(got.rows) > 20
        _same_report(got, ref, 1e-9)
        assert got.graph["engines"] == {"betweenness": "gds", "personalized_pagerank": "gds"}


def test_disruption_engine_gds_equals_networkx_on_a_province(province):
    db, cases = province
    strategies = ("betweenness", "betweenness-seq", "degree")
    for kw in ({"top": 6}, {"top": 10, "cases": cases}):
        got = reports.disruption(db, engine="gds", strategies=strategies, **kw)
        ref = reports.disruption(db, engine="networkx", strategies=strategies, **kw)
        assert got.graph["nodes"] > 20
        _same_report(got, ref, 0.0)  # the same people removed: the same curves
        assert got.graph["engines"] == {"betweenness": "gds", "betweenness-seq": "gds", "degree": "python"}
        assert ref.graph["engines"] == {"betweenness": "networkx", "betweenness-seq": "networkx", "degree": "python"}


def test_report_cli_engine_gds_syndicates_behind_disruption_on_caviar(gds_db, gds_cli_env, datasets, tmp_path):
    _load_published(gds_db, datasets, tmp_path, "caviar")
    for args in (["behind", "caviar:n1", "--top", "500"], ["behind", "caviar:n12", "--top", "500"],
                 ["disruption", "--top", "8"], ["syndicates"]):
        got = _report(gds_cli_env, *args, "--engine", "gds")
        ref = _report(gds_cli_env, *args, "--engine", "networkx")
        drop = lambda g: {k: v for k, v in g.items() if k not in _ENGINE_KEYS}  # noqa: E731
        assert drop(got["graph"]) == drop(ref["graph"])
        _same(got["rows"], ref["rows"], 1e-9, "rows")
        _same(got["sections"], ref["sections"], 1e-9, "sections")
        used = got["graph"]["engines"]
        if args[0] == "behind":
            assert len(got["rows"]) > 100 and used == {"betweenness": "gds", "personalized_pagerank": "gds"}
        elif args[0] == "disruption":
            assert used == {"degree": "python", "degree-seq": "python", "betweenness": "gds",
                            "betweenness-seq": "gds", "keyplayer": "python"}
        else:  # CAVIAR has no cases: no syndicate, so no B or P is computed, and the report says why
            assert got["rows"] == [] and used == {"communities": "python-louvain"}
            assert got["notes"][0].startswith("NO CASES in this graph")
            continue
        assert any("computed by:" in note and "Neo4j GDS" in note for note in got["notes"])


def test_the_gds_server_runs_from_its_own_build_beside_the_plain_one(gds_settings, gds_cli_env, neo4j_settings):
    """The fixtures and the CLI environment name one GDS build folder: the plain one's with -gds appended."""
    from graphnet.config import Settings
    from graphnet.db import server

    if gds_settings.external:
        pytest.skip("NEO4J_URI names the server; no managed build")
    plain = neo4j_settings.server_build_dir
    assert gds_settings.server_build_dir == plain.with_name(plain.name + "-gds")
    assert Settings.from_env(gds_cli_env).server_build_dir == gds_settings.server_build_dir
    assert server.classpath_ready(gds_settings) and server.classpath_ready(neo4j_settings)
