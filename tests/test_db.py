"""Foundation: the managed Neo4j, the schema, the driver round trip, clear errors."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from graphnet import db as dbapi
from graphnet.cli import main
from graphnet.db import server
from graphnet.errors import ConnectionFailed, ServerOutOfMemory
from graphnet.resources import cypher
from graphnet.schema import load_schema, schema_cypher

from processes import ctrl_c_enabled


def test_schema_cypher_file_matches_schema_yaml():
    assert cypher("schema") == schema_cypher()


def test_every_label_has_a_uniqueness_constraint_in_schema_cypher():
    text = cypher("schema")
    for label in load_schema().labels:
        assert f"FOR (n:`{label}`) REQUIRE n.uid IS UNIQUE" in text


def test_schema_init_twice_is_idempotent(db):
    def shape():
        cons = db.read("SHOW CONSTRAINTS YIELD name, labelsOrTypes, properties RETURN name ORDER BY name")
        idx = db.read("SHOW INDEXES YIELD name, state RETURN name, state ORDER BY name")
        return cons, idx

    dbapi.apply_schema(db)
    first = shape()
    dbapi.apply_schema(db)
    assert shape() == first
    names = {c["name"] for c in first[0]}
    assert {f"{label.lower()}_uid" for label in load_schema().labels} <= names
    assert all(i["state"] == "ONLINE" for i in first[1])


def _drop_schema(db) -> None:
    for r in db.read("SHOW CONSTRAINTS YIELD name RETURN name"):
        db.write(f"DROP CONSTRAINT `{r['name']}`")
    for r in db.read("SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP' RETURN name"):
        db.write(f"DROP INDEX `{r['name']}`")


@pytest.mark.parametrize("writer", ["load", "resolve"])
def test_commands_that_write_create_a_missing_schema_first(db, neo4j_settings, tmp_path, writer):
    """`graphnet db start` then `graphnet load` (no `db init`): the load creates the constraints before it merges,
    so no MERGE scans a whole label and two loads cannot make one node twice; `resolve` likewise."""
    from graphnet.loading import load_file
    from graphnet.resolution import resolve

    path = tmp_path / "people.csv"
    path.write_text("id,name,role\nA,Dina Manek,driver\nB,Dina Manek,driver\n", encoding="utf-8")
    if writer == "resolve":  # one woman in two agencies' files, by NIK: one merge to write
        (tmp_path / "docs.csv").write_text(
            "doc_no,kind,visa_type,holder_name,holder_nik,birth_date,issued_on,issuing_office,officer_name\n"
            "B1234567,passport,,Siti Aminah,6171014101080001,1998-01-01,2017-12-01,Kantor Imigrasi Pontianak,Fitri\n",
            encoding="utf-8")  # fmt: skip
        (tmp_path / "sims.csv").write_text("msisdn,subscriber_name,nik,operator,registered_on\n"
                                           "+62 812 3456 7890,Siti Aminah,6171014101080001,Telkomsel,2016-05-05\n",
                                           encoding="utf-8")  # fmt: skip
        load_file(db, "travel_documents", tmp_path / "docs.csv", rejects_dir=tmp_path)
        load_file(db, "phone_subscribers", tmp_path / "sims.csv", rejects_dir=tmp_path)
    _drop_schema(db)
    assert not dbapi.schema_names() & {r["name"] for r in db.read("SHOW INDEXES YIELD name RETURN name")}
    with dbapi.connect(neo4j_settings) as fresh:  # a new command's connection
        if writer == "load":
            load_file(fresh, "node_table", path, rejects_dir=tmp_path)
        else:
            assert resolve(fresh).applied
    names = {r["name"] for r in db.read("SHOW INDEXES YIELD name, state WHERE state = 'ONLINE' RETURN name")}
    assert dbapi.schema_names() <= names
    with db.session() as s:
        plan = str(s.run("EXPLAIN MATCH (n:Person {uid: $uid}) RETURN n", uid="x").consume().plan)
    assert "NodeUniqueIndexSeek" in plan


def test_uniqueness_constraint_is_enforced(db):
    db.write("CREATE (:Person {uid: $uid})", uid="p1")
    try:
        db.write("CREATE (:Person {uid: $uid})", uid="p1")
    except Exception as e:  # the server refuses: ConstraintValidationFailed
        assert "already exists" in str(e)
    else:
        raise AssertionError("a second Person with the same uid was accepted")


def test_write_read_round_trip_with_parameters(db):
    hostile = "Siti'); MATCH (n) DETACH DELETE n //"
    db.write("CREATE (:Person {uid: $uid, name: $name, roles: $roles})", uid="p1", name=hostile, roles=["victim"])
    rows = db.read("MATCH (p:Person {uid: $uid}) RETURN p.name AS name, p.roles AS roles", uid="p1")
    assert rows == [{"name": hostile, "roles": ["victim"]}]


def test_cli_db_init_and_status(cli_env, neo4j_settings):
    runner = CliRunner()
    r = runner.invoke(main, ["db", "init"], env=cli_env)
    assert r.exit_code == 0, r.output
    assert re.search(r"schema applied: \d+ constraints and indexes", r.output)
    r = runner.invoke(main, ["db", "status"], env=cli_env)
    assert r.exit_code == 0, r.output
    assert "running   Neo4j 5.26" in r.output
    assert f"bolt://127.0.0.1:{neo4j_settings.port}" in r.output


def _graphnet(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")} | env
    return subprocess.run(
        [sys.executable, "-m", "graphnet", *args], capture_output=True, text=True, env=full_env, timeout=300
    )


def test_start_status_stop_leaves_no_process(tmp_path, neo4j_settings):
    """A second managed server, driven through the real command, in its own home."""
    env = {
        "GRAPHNET_HOME": str(tmp_path / "home"),
        "GRAPHNET_NEO4J_PORT": str(server.free_port()),
        "GRAPHNET_BUILD_DIR": str(neo4j_settings.server_build_dir),
    }
    started = _graphnet("db", "start", env=env)
    assert started.returncode == 0, started.stderr
    assert "running   Neo4j 5.26" in started.stdout
    pid = int(re.search(r"pid (\d+)", started.stdout).group(1))
    assert Path(f"/proc/{pid}").exists()
    again = _graphnet("db", "start", env=env)  # already running: same server
    assert f"pid {pid}" in again.stdout
    status = _graphnet("db", "status", env=env)
    assert f"pid {pid}" in status.stdout and "store" in status.stdout
    stopped = _graphnet("db", "stop", env=env)
    assert stopped.returncode == 0 and "stopped" in stopped.stdout
    assert not server._alive(pid)
    assert "stopped" in _graphnet("db", "status", env=env).stdout


def test_a_restart_keeps_the_password_and_a_new_credentials_file_is_taken(tmp_path, neo4j_settings):
    """A restart skips setting the password when it already logs in; a new ``credentials`` file still takes."""
    from neo4j import GraphDatabase
    from neo4j.exceptions import AuthError

    settings = neo4j_settings.replace(home=tmp_path / "home", port=server.free_port())

    def logs_in(password: str) -> bool:
        with GraphDatabase.driver(f"bolt://127.0.0.1:{settings.port}", auth=("neo4j", password)) as driver:
            try:
                driver.verify_connectivity()
            except AuthError:
                return False
        return True

    first = server.managed_password(settings)
    try:
        for password in (first, first, "a-new-password-of-the-user"):
            (settings.server_home / "credentials").write_text(password)
            server.start(settings)
            assert logs_in(password)
            with dbapi.connect(settings) as db:  # graphnet's own connection reads the credentials file
                assert db.read("RETURN 1 AS one")[0]["one"] == 1
            server.stop(settings)
        server.start(settings)
        assert not logs_in(first)
    finally:
        server.stop(settings)


def test_start_stopped_while_waiting_leaves_no_server_behind(tmp_path, neo4j_settings):
    """Ctrl-C while `graphnet db start` waits for Neo4j to be ready: exit code 130, one line, and the server it had
    launched (in a session of its own, so Ctrl-C never reaches it) is stopped, not left running unnamed."""
    import signal
    import time

    home = tmp_path / "home"
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")} | {
        "GRAPHNET_HOME": str(home), "GRAPHNET_NEO4J_PORT": str(server.free_port()),
        "GRAPHNET_BUILD_DIR": str(neo4j_settings.server_build_dir),
    }  # fmt: skip
    servers = lambda: [p for p in Path("/proc").iterdir() if p.name.isdigit() and str(home) in _cmdline(p)  # noqa: E731
                       and server.MAIN_CLASS in _cmdline(p)]  # fmt: skip
    proc = subprocess.Popen([sys.executable, "-m", "graphnet", "db", "start"], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            preexec_fn=ctrl_c_enabled)  # fmt: skip
    deadline = time.monotonic() + 120
    while not servers() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert servers() and proc.poll() is None, f"no server was launched: {proc.communicate()}"
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert err.strip() == "Interrupted.", err
    assert not servers()
    status = _graphnet("db", "status", env=env)
    assert status.stdout.startswith("stopped"), status.stdout


def _cmdline(p: Path) -> str:
    try:
        return (p / "cmdline").read_bytes().decode("utf-8", "replace")
    except OSError:
        return ""


def test_unreachable_server_gives_one_clear_line():
    r = _graphnet("db", "init", env={"NEO4J_URI": f"bolt://127.0.0.1:{server.free_port()}"})
    assert r.returncode == 1
    assert "Traceback" not in r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: cannot reach Neo4j at bolt://127.0.0.1:")


def test_wrong_password_gives_one_clear_line(neo4j_settings):
    uri = f"bolt://127.0.0.1:{neo4j_settings.port}"
    if neo4j_settings.external:
        uri = neo4j_settings.uri
    r = _graphnet("db", "init", env={"NEO4J_URI": uri, "NEO4J_PASSWORD": "definitely-wrong-pw"})
    assert r.returncode == 1
    assert "Traceback" not in r.stderr
    assert r.stderr.strip().splitlines() == [
        f"Error: Neo4j at {uri} refused the credentials of user 'neo4j'; check NEO4J_USERNAME and NEO4J_PASSWORD"
    ]


def test_managed_server_not_running_is_a_clear_error(tmp_path):
    r = _graphnet("db", "init", env={"GRAPHNET_HOME": str(tmp_path)})
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "the local Neo4j is not running" in r.stderr


def test_java_25_is_passed_over(tmp_path):
    from graphnet.config import Settings

    temurin = next(Path("/usr/lib/jvm").glob("temurin-2[5-9]*"), None)
    home = server.find_java(Settings(java_home=temurin))
    assert server._java_major(home / "bin" / "java") in server.SUPPORTED_JAVA


def test_a_query_neo4j_lacks_memory_for_is_one_clear_error(tmp_path, neo4j_settings):
    """Neo4j ends a transaction that would pass its memory limit (70% of the managed server's 1 GB heap):
    graphnet says what to do (more heap, or narrower work) instead of the driver's stack trace, and the
    server goes on. A server of the test's own: the shared one is not pushed to its limit."""
    if neo4j_settings.external:
        pytest.skip("needs a managed server (NEO4J_URI is set)")
    settings = neo4j_settings.replace(home=tmp_path / "home", port=server.free_port())
    server.start(settings, timeout=300)
    try:
        with dbapi.connect(settings) as d:
            with pytest.raises(ServerOutOfMemory, match=r"GRAPHNET_NEO4J_HEAP=4g graphnet db start") as got:
                list(d.stream("UNWIND range(1, $n) AS x RETURN collect(x) AS xs", n=300_000_000))
            assert "OutOfMemory" in got.value.__cause__.code  # Neo4j's own refusal, not ours
            assert "Neo4j ran out of memory for this work (" in str(got.value)
            assert d.read("RETURN 1 AS one") == [{"one": 1}]
    finally:
        server.stop(settings)


def test_a_lost_connection_raised_outside_database_calls_is_one_clear_line():
    """What the command line says for a driver error from a session of a loader's or resolution's own."""
    import neo4j

    with neo4j.GraphDatabase.driver(f"bolt://127.0.0.1:{server.free_port()}", auth=("neo4j", "x")) as driver:
        with pytest.raises(neo4j.exceptions.ServiceUnavailable) as got:
            driver.verify_connectivity()
    said = dbapi.user_error(got.value)
    assert isinstance(said, ConnectionFailed) and str(said).startswith("lost the connection to Neo4j (")
    assert dbapi.user_error(ValueError("a bug")) is None  # anything else keeps its stack trace
