"""``graphnet load --plan --bulk``: the offline importer gives the graph the Cypher loader gives.

Real parts only: the session Neo4j for the incremental load, and a managed
Neo4j of the test's own (own home and port) that the bulk load stops,
imports into and starts again.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from graphnet import db as dbapi
from graphnet import synth
from graphnet.cli import main
from graphnet.db import server
from graphnet.errors import GraphnetError
from graphnet.loading import bulk, bulk_graph, load_file, load_plan

from processes import ctrl_c_enabled

pytestmark = pytest.mark.neo4j


def dump(db) -> tuple[list[str], list[str]]:
    """Every node and relationship with every property, list order kept (Source load times left out)."""
    nodes = db.read("MATCH (n) RETURN labels(n) AS labels, properties(n) AS p")
    rels = db.read("MATCH (a)-[r]->(b) RETURN type(r) AS t, a.uid AS a, b.uid AS b, properties(r) AS p")
    n = sorted(
        json.dumps([sorted(x["labels"]), {k: v for k, v in x["p"].items() if k != "loaded_at"}], sort_keys=True)
        for x in nodes
    )  # fmt: skip
    r = sorted(json.dumps([x["t"], x["a"], x["b"], x["p"]], sort_keys=True) for x in rels)
    return n, r


@pytest.fixture(scope="module")
def bulk_server(neo4j_settings, tmp_path_factory):
    """A managed Neo4j of this module's own: the bulk load stops and restarts it."""
    if neo4j_settings.external:
        pytest.skip("--bulk needs a managed server (NEO4J_URI is set)")
    settings = neo4j_settings.replace(home=tmp_path_factory.mktemp("bulk-home"), port=server.free_port())
    server.start(settings, timeout=300)
    try:
        yield settings
    finally:
        server.stop(settings)


@pytest.fixture
def own_server(bulk_server):
    """That server, running, emptied, with the schema applied."""
    server.start(bulk_server, timeout=300)  # a test may have left it stopped; starting a running one is a no-op
    with dbapi.connect(bulk_server) as db:
        dbapi.clear(db)
        dbapi.apply_schema(db)
    return bulk_server


@pytest.fixture(scope="module")
def scenario(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("bulk-scenario")
    synth.generate(out, seed=5, cases=6, syndicates=2, background=120)
    return out / "load-plan.yaml"


def test_bulk_gives_the_graph_of_the_cypher_loader(db, own_server, scenario, tmp_path):
    seq = load_plan(db, scenario, rejects_dir=tmp_path / "seq")
    expected = dump(db)
    assert bulk_graph.fork_available(), "the parallel mapping would not be tested"
    out = bulk.bulk_load_plan(own_server, scenario, rejects_dir=tmp_path / "bulk", workers=2)
    with dbapi.connect(own_server) as b:
        got = dump(b)
        constraints = {r["name"] for r in b.read("SHOW CONSTRAINTS YIELD name RETURN name")}
        indexes_online = b.read("SHOW INDEXES YIELD state WHERE state <> 'ONLINE' RETURN count(*) AS n")[0]["n"]
    assert len(expected[0]) > 1000 and len(expected[1]) > 1000  # a real scenario, not a toy
    assert got[0] == expected[0]  # nodes: labels, every property, src order, flags, Source nodes
    assert got[1] == expected[1]  # relationships: type, ends, key, weight, sums, src order
    with dbapi.connect(own_server) as b:
        assert {r["name"] for r in b.read("SHOW CONSTRAINTS YIELD name RETURN name")} == constraints
    with db.session() as s:
        assert {r["name"] for r in s.run("SHOW CONSTRAINTS YIELD name RETURN name")} == constraints
    assert indexes_online == 0
    # the same rejects files, byte for byte, and the same per-file counts
    seq_rejects = sorted((tmp_path / "seq").glob("*.rejects.csv"))
    assert seq_rejects, "the scenario plants broken rows"
    for f in seq_rejects:
        assert (tmp_path / "bulk" / f.name).read_bytes() == f.read_bytes()
    assert [(s.rows_read, s.rows_loaded, s.rows_rejected, s.nodes_created, s.relationships_created) for s in out] == [
        (s.rows_read, s.rows_loaded, s.rows_rejected, s.nodes_created, s.relationships_created) for s in seq
    ]
    # the ordinary loader then sees the bulk load's Sources: loading the plan again changes nothing
    with dbapi.connect(own_server) as b:
        again = load_plan(b, scenario, rejects_dir=tmp_path / "bulk")
        assert all(s.skipped for s in again)
        assert dump(b) == got


def test_a_first_bulk_load_on_a_new_home_starts_neo4j_once(neo4j_settings, scenario, tmp_path):
    """No store yet: nothing to count, so the load does not start Neo4j before the import (only after it)."""
    if neo4j_settings.external:
        pytest.skip("--bulk needs a managed server (NEO4J_URI is set)")
    settings = neo4j_settings.replace(home=tmp_path / "home", port=server.free_port())
    assert server.never_created(settings)
    try:
        out = bulk.bulk_load_plan(settings, scenario, rejects_dir=tmp_path)
        log = server._log_file(settings).read_text(encoding="utf-8", errors="replace")
        assert log.count(server.READY) == 1  # the start after the import, no start before it
        assert not server.never_created(settings)  # running
        with dbapi.connect(settings) as b:
            assert b.read("MATCH (s:Source {status: 'complete'}) RETURN count(s) AS n")[0]["n"] == len(out) == 11
            assert b.read("MATCH (n) RETURN count(n) AS n")[0]["n"] > 1000
        server.stop(settings)
        assert not server.never_created(settings)  # stopped, but the store exists: a second bulk load counts first
        with pytest.raises(GraphnetError, match="only into an empty database, and this one holds"):
            bulk.bulk_load_plan(settings, scenario, rejects_dir=tmp_path)
    finally:
        server.stop(settings)


def test_bulk_refuses_a_database_that_holds_anything(own_server, scenario, tmp_path, datasets):
    with dbapi.connect(own_server) as b:
        load_file(b, "krebs_911", datasets / "krebs_911" / "krebs911_edges.csv", rejects_dir=tmp_path)
        before = dump(b)
    with pytest.raises(GraphnetError, match="only into an empty database, and this one holds"):
        bulk.bulk_load_plan(own_server, scenario, rejects_dir=tmp_path)
    with dbapi.connect(own_server) as b:
        assert dump(b) == before


def test_bulk_refuses_an_external_server(neo4j_settings, scenario):
    settings = neo4j_settings.replace(uri="bolt://127.0.0.1:1")
    with pytest.raises(GraphnetError, match="cannot load into the server NEO4J_URI names"):
        bulk.bulk_load_plan(settings, scenario)


def test_failed_import_leaves_an_empty_database(own_server, scenario, tmp_path, monkeypatch):
    """A real importer failure (a relationship to a node no file gave) leaves nothing behind."""
    write_csv = bulk.write_csv

    def broken(graph, folder, **kw):
        files = write_csv(graph, folder, **kw)
        path = folder / "broken.csv"
        path.write_text(':START_ID,:END_ID\n"0","999999999"\n', encoding="utf-8")  # an id no node has
        files.args.append(f"--relationships=KNOWS={path}")
        return files

    monkeypatch.setattr(bulk, "write_csv", broken)
    with pytest.raises(GraphnetError, match="the Neo4j importer failed"):
        bulk.bulk_load_plan(own_server, scenario, rejects_dir=tmp_path)
    with dbapi.connect(own_server) as b:
        assert b.read("MATCH (n) RETURN count(n) AS n")[0]["n"] == 0
        assert b.read("SHOW CONSTRAINTS YIELD name RETURN count(*) AS n")[0]["n"] > 0


def test_mapping_killed_for_memory_says_so_and_leaves_an_empty_running_database(own_server, scenario, tmp_path,
                                                                               monkeypatch):
    """The kernel's out-of-memory killer ends the mapping process (SIGKILL, the real signal, sent by the
    process to itself while its graph is in memory): one clear error naming the cause, the server up again,
    the database empty."""
    parent = os.getpid()

    def killed(graph, folder, **kw):
        assert os.getpid() != parent, "the mapping ran in the test process"  # never SIGKILL pytest itself
        os.kill(os.getpid(), signal.SIGKILL)

    assert bulk_graph.fork_available(), "the bulk mapping is forked on Linux with one thread"
    monkeypatch.setattr(bulk, "write_csv", killed)
    with pytest.raises(GraphnetError, match=r"killed \(SIGKILL\).*lack of memory.*without --bulk") as e:
        bulk.bulk_load_plan(own_server, scenario, rejects_dir=tmp_path)
    assert "Traceback" not in str(e.value)
    with dbapi.connect(own_server) as b:
        assert b.read("MATCH (n) RETURN count(n) AS n")[0]["n"] == 0
        assert b.read("SHOW CONSTRAINTS YIELD name RETURN count(*) AS n")[0]["n"] > 0


def test_cli_bulk(own_server, scenario, tmp_path):
    env = {"GRAPHNET_HOME": str(own_server.home), "GRAPHNET_NEO4J_PORT": str(own_server.port),
           "GRAPHNET_BUILD_DIR": str(own_server.server_build_dir)}  # fmt: skip
    runner = CliRunner()
    r = runner.invoke(main, ["load", "--bulk", "caviar", "x.csv"], env=env)
    assert r.exit_code == 2 and "--bulk loads a whole plan" in r.output
    r = runner.invoke(main, ["load", "--plan", str(scenario), "--bulk", "--rejects", str(tmp_path)], env=env)
    assert r.exit_code == 0, r.output
    assert "total:" in r.output and "call_records.csv" in r.output
    with dbapi.connect(own_server) as b:
        assert b.read("MATCH (s:Source {status: 'complete'}) RETURN count(s) AS n")[0]["n"] == 11
    r = runner.invoke(main, ["load", "--plan", str(scenario), "--bulk", "--rejects", str(tmp_path)], env=env)
    assert r.exit_code == 1 and "only into an empty database" in r.output
    assert "Traceback" not in r.output


def _bulk_in_the_import(settings, scenario: Path, tmp_path: Path) -> subprocess.Popen:
    """``graphnet load --plan SCENARIO --bulk`` in its own process, once Neo4j's importer writes the store
    (Ctrl-C acts in it as at a terminal, even when the test run ignores SIGINT)."""
    env = {**os.environ, "GRAPHNET_HOME": str(settings.home), "GRAPHNET_NEO4J_PORT": str(settings.port),
           "GRAPHNET_BUILD_DIR": str(settings.server_build_dir)}  # fmt: skip
    env.pop("NEO4J_URI", None)
    marker = server.import_marker(settings)
    proc = subprocess.Popen([sys.executable, "-m", "graphnet", "load", "--plan", str(scenario), "--bulk",
                             "--rejects", str(tmp_path)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True, preexec_fn=ctrl_c_enabled)  # fmt: skip
    deadline = time.monotonic() + 300
    while not marker.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert marker.exists(), f"the import never started: {proc.communicate()[1] if proc.poll() is not None else ''}"
    time.sleep(0.5)  # the importer's JVM is up and writing
    return proc


def _importers(settings) -> list[Path]:
    return [p for p in Path("/proc").iterdir()
            if p.name.isdigit() and _cmdline(p).count("AdminTool") and str(settings.server_home) in _cmdline(p)]  # fmt: skip


def test_a_load_killed_during_the_import_leaves_an_empty_database(own_server, scenario, tmp_path):
    """SIGKILL the bulk load while Neo4j's importer writes the store: the importer dies with it, and the
    next start removes the half-written store, so the database is empty (as before the load) and loads again."""
    proc = _bulk_in_the_import(own_server, scenario, tmp_path)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 30
    while _importers(own_server) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _importers(own_server), "the importer outlived the killed load"
    marker = server.import_marker(own_server)
    assert marker.exists()
    server.start(own_server, timeout=300)
    assert not marker.exists()
    with dbapi.connect(own_server) as b:
        assert b.read("MATCH (n) RETURN count(n) AS n")[0]["n"] == 0
        dbapi.apply_schema(b)
    out = bulk.bulk_load_plan(own_server, scenario, rejects_dir=tmp_path)
    with dbapi.connect(own_server) as b:
        assert b.read("MATCH (s:Source) RETURN count(s) AS n")[0]["n"] == len(out)


def test_a_load_stopped_during_the_import_leaves_the_database_running_and_empty(own_server, scenario, tmp_path):
    """Ctrl-C (SIGINT to graphnet) while Neo4j's importer writes the store: one line, exit code 130, no
    importer left, and the database running, empty and with its schema, as before the load."""
    proc = _bulk_in_the_import(own_server, scenario, tmp_path)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    assert "Interrupted: interrupted during the import; nothing was imported, the database is empty as before" in err, err
    assert not server.import_marker(own_server).exists()
    assert not _importers(own_server)
    with dbapi.connect(own_server) as b:  # running: no start needed
        assert b.read("MATCH (n) RETURN count(n) AS n")[0]["n"] == 0
        assert b.read("SHOW CONSTRAINTS YIELD name RETURN count(*) AS n")[0]["n"] > 0


def _cmdline(p: Path) -> str:
    try:
        return (p / "cmdline").read_bytes().decode("utf-8", "replace")
    except OSError:
        return ""


def test_lists_the_importer_cannot_read_are_set_after_it(db, own_server, tmp_path):
    """An empty list, an element holding the array delimiter: the Cypher loader's graph all the same."""
    (tmp_path / "actors.csv").write_text("id,label_es,role_en\n1,Ana,/\n2,Beto,victim/driver\n3,Cata, / \n",
                                         encoding="utf-8")
    (tmp_path / "people.csv").write_text("id,name,role\nA,Dina,lookout\x1fdriver\nB,Eko,driver\n", encoding="utf-8")
    (tmp_path / "plan.yaml").write_text("- {definition: mexico_ht_nodes, file: actors.csv}\n"
                                        "- {definition: node_table, file: people.csv}\n", encoding="utf-8")
    load_plan(db, tmp_path / "plan.yaml", rejects_dir=tmp_path / "seq")
    expected = dump(db)
    roles = {r["uid"]: r["roles"] for r in db.read("MATCH (n:Person) RETURN n.uid AS uid, n.roles AS roles")}
    assert roles["mexico:1"] == [] and roles["edges:A"] == ["lookout\x1fdriver"]  # what --bulk must give too
    bulk.bulk_load_plan(own_server, tmp_path / "plan.yaml", rejects_dir=tmp_path / "bulk", workers=1)
    with dbapi.connect(own_server) as b:
        assert dump(b) == expected


def test_lane_files_give_the_graph_of_the_cypher_loader(db, own_server, tmp_path, monkeypatch):
    """Relationships written column-wise (bulk_lanes): absent sums and dates unset, empty keys kept, sums to the bit."""
    from test_bulk_columnar import EDGE_ROWS, HEADER
    from test_bulk_lanes import MONEY_ROWS, _money

    monkeypatch.setattr(bulk_graph, "CHUNK_ROWS", 3)  # and chunk_rows=3 for the Cypher loader
    (tmp_path / "a.csv").write_text(HEADER + "".join(line + "\n" for line in EDGE_ROWS), encoding="utf-8")
    (tmp_path / "b.csv").write_text(HEADER + '"+6281101234567",0811-0123-4568,2018-03-01 10:00:00,1,voice\n',
                                    encoding="utf-8")  # fmt: skip
    _money(tmp_path / "m1.csv", MONEY_ROWS)
    _money(tmp_path / "m2.csv", MONEY_ROWS[3:6])
    files = [("call_records", "a.csv"), ("money_transfers", "m1.csv"), ("call_records", "b.csv"),
             ("money_transfers", "m2.csv")]  # fmt: skip
    plan = tmp_path / "plan.yaml"
    plan.write_text("".join(f"- {{definition: {d}, file: {f}}}\n" for d, f in files))
    for d, f in files:
        load_file(db, d, tmp_path / f, rejects_dir=tmp_path / "seq", chunk_rows=3)
    expected = dump(db)
    paid = [json.loads(r) for r in expected[1] if json.loads(r)[0] == "PAID"]
    assert any("amount" not in p and "date" not in p and p["key"] == "" for _, _, _, p in paid)
    bulk.bulk_load_plan(own_server, plan, rejects_dir=tmp_path / "bulk", workers=2)
    with dbapi.connect(own_server) as b:
        assert dump(b) == expected
