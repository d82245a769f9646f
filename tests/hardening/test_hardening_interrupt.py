"""Hardening: a user stops a command that writes (Ctrl-C, or SIGTERM to the process).

The ``graphnet`` process gets the signal in the middle of writing, as a user
at a terminal or a job scheduler sends it. It must end with one line that
says what the graph holds now (no stack trace), exit code 130, and the graph
must be exactly what it was before the command: what the command had written
is taken back. The same command run again then gives the graph of a run that
was never interrupted.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from graphnet import db as dbapi
from graphnet.loading import load_file
from graphnet.resolution import resolve
from graphnet.synth import generate

from hardening_data import call_records, duplicates, snapshot
from processes import ctrl_c_enabled

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]


def _start(args: list[str], cli_env: dict[str, str], cwd: Path, *, code: str | None = None) -> subprocess.Popen:
    """``graphnet ARGS`` in its own process (``code``: Python that runs first, then the command line)."""
    env = {**os.environ, **cli_env}
    run = f"import sys\n{code or 'pass'}\nsys.argv = ['graphnet', *sys.argv[1:]]\nfrom graphnet.cli import run\nrun()"
    return subprocess.Popen([sys.executable, "-c", run, *args], env=env, cwd=cwd, preexec_fn=ctrl_c_enabled,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip


def _when(probe, query: str, proc: subprocess.Popen, timeout: float = 300) -> int:
    """Poll ``query`` (a count) until it is positive while ``proc`` runs; the count."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        n = probe.read(query)[0]["n"]
        if n > 0:
            return n
        time.sleep(0.05)
    return 0


def _stopped(proc: subprocess.Popen, sig: int) -> tuple[int, str]:
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=300)
    return proc.returncode, err


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_a_load_stopped_mid_file_takes_back_that_file_and_a_rerun_completes_it(db, cli_env, tmp_path, sig):
    first = call_records(tmp_path / "first.csv", rows=2_000, seed=3, numbers=600)
    second = call_records(tmp_path / "second.csv", rows=60_000, seed=4, numbers=600)  # shares phones with first
    load_file(db, "call_records", first, rejects_dir=tmp_path)
    before = snapshot(db)
    sources = db.read("MATCH (s:Source) RETURN s.uid AS uid, s.status AS status")

    rels = len(before[1])
    proc = _start(["load", "call_records", str(first), str(second), "--rejects", str(tmp_path)], cli_env, tmp_path)
    written = _when(db, f"MATCH ()-[r:CALLED]->() WITH count(r) AS c RETURN CASE WHEN c > {rels} THEN c ELSE 0 END AS n",
                    proc)  # fmt: skip
    assert written > 0 and proc.poll() is None, f"the load ended before it could be stopped: {proc.communicate()}"
    time.sleep(0.3)  # a few chunks in
    code, err = _stopped(proc, sig)

    assert code == 130, err
    assert "Traceback" not in err
    said, *last = err.strip().splitlines()
    assert "second.csv: interrupted; taking back what the load wrote (its first " in said, err
    assert said.endswith(" rows). Ctrl-C again leaves it as it is, for the same command to complete"), err
    assert len(last) == 2, err
    assert last[0].startswith("Interrupted: ") and "second.csv: interrupted; what the load had written" in last[0], err
    assert last[1] == ("the 1 file before it stays loaded (first.csv): the same command again skips it and loads "
                       "the rest"), err
    assert snapshot(db) == before
    assert db.read("MATCH (s:Source) RETURN s.uid AS uid, s.status AS status") == sources

    again = _start(["load", "call_records", str(first), str(second), "--rejects", str(tmp_path)], cli_env, tmp_path)
    out, err = again.communicate(timeout=600)
    assert again.returncode == 0, err
    resumed = snapshot(db)
    assert duplicates(db) == {"nodes": 0, "relationships": 0}
    dbapi.clear(db)
    load_file(db, "call_records", first, rejects_dir=tmp_path)
    load_file(db, "call_records", second, rejects_dir=tmp_path)
    assert resumed == snapshot(db)


def test_a_load_interrupted_twice_stays_marked_loading_and_the_rerun_completes_it(db, tmp_path, monkeypatch):
    """Ctrl-C again while the load is taken back: what it wrote stays, marked 'loading', and the message says a
    rerun completes it; the rerun gives the uninterrupted graph."""
    from graphnet.errors import Interrupted
    from graphnet.loading import load as load_module

    path = call_records(tmp_path / "calls.csv", rows=6_000, seed=5, numbers=400)
    chunks = 0
    real_write, real_retract = load_module.write_chunk, load_module._retract

    def write_then_ctrl_c(*args, **kw):
        nonlocal chunks
        real_write(*args, **kw)
        chunks += 1
        if chunks == 2:
            raise KeyboardInterrupt

    def ctrl_c_again(*args, **kw):
        raise KeyboardInterrupt

    monkeypatch.setattr(load_module, "write_chunk", write_then_ctrl_c)
    monkeypatch.setattr(load_module, "_retract", ctrl_c_again)
    with pytest.raises(Interrupted, match="interrupted again while taking the load back; what it wrote stays, "
                                          "its Source .* marked 'loading': run the same load again"):  # fmt: skip
        load_file(db, "call_records", path, rejects_dir=tmp_path, chunk_rows=1_000)
    assert db.read("MATCH (s:Source) RETURN s.status AS s") == [{"s": "loading"}]
    assert db.read("MATCH ()-[r:CALLED]->() RETURN count(r) AS n")[0]["n"] > 0

    monkeypatch.setattr(load_module, "write_chunk", real_write)
    monkeypatch.setattr(load_module, "_retract", real_retract)
    summary = load_file(db, "call_records", path, rejects_dir=tmp_path, chunk_rows=1_000)
    assert summary.resumed and summary.rows_read == 6_000
    resumed = snapshot(db)
    dbapi.clear(db)
    load_file(db, "call_records", path, rejects_dir=tmp_path, chunk_rows=1_000)
    assert resumed == snapshot(db)


def test_resolve_stopped_while_writing_takes_its_decisions_back(db, cli_env, tmp_path):
    """``graphnet resolve`` stopped (SIGTERM) between two of its write transactions: no decision of the run
    stays, the graph is as before, and a rerun writes what an uninterrupted run writes."""
    scenario = tmp_path / "scenario"
    generate(scenario, preset="province", seed=2)
    from graphnet.loading import load_plan

    load_plan(db, scenario / "load-plan.yaml", rejects_dir=tmp_path)
    before = snapshot(db)

    # the real command, one decision per write transaction: a write long enough to stop in the middle
    proc = _start(["resolve"], cli_env, tmp_path, code="from graphnet.resolution import resolver; resolver.WRITE_BATCH = 1")
    written = _when(db, "MATCH ()-[r:SAME_AS]->() RETURN count(r) AS n", proc)
    assert written > 0 and proc.poll() is None, f"resolve ended before it could be stopped: {proc.communicate()}"
    code, err = _stopped(proc, signal.SIGTERM)
    assert code == 130, err
    assert "Traceback" not in err
    assert err.startswith("Interrupted: resolution interrupted; the decisions it had written were taken back"), err
    assert snapshot(db) == before

    done = _start(["resolve"], cli_env, tmp_path)
    _, err = done.communicate(timeout=600)
    assert done.returncode == 0, err
    resolved = snapshot(db)
    dbapi.clear(db)
    load_plan(db, scenario / "load-plan.yaml", rejects_dir=tmp_path)
    resolve(db)
    assert snapshot(db) == resolved  # decision times are relationship properties the snapshot leaves out


#: run before the command: SIGINT sent to itself when ``resolve`` fetches a query of its last transaction
#: (upgrades and flags), so the signal arrives, held, while that transaction runs
_CTRL_C_IN_LAST_STEP = """
import os, signal
from graphnet.resolution import resolver
_cypher = resolver.cypher
def cypher(name):
    if name in ("resolution_upgrade", "resolution_flag_add", "resolution_flag_remove"):
        os.kill(os.getpid(), signal.SIGINT)
    return _cypher(name)
resolver.cypher = cypher
"""


def test_resolve_stopped_in_its_last_transaction_keeps_the_whole_run(db, cli_env, tmp_path):
    """Ctrl-C while ``resolve`` writes its upgrades and flags (the last transaction): that transaction
    commits, and the run stands whole, equal to an uninterrupted one, instead of its new decisions being
    taken back and its flags left."""
    scenario = tmp_path / "scenario"
    generate(scenario, preset="province", seed=2)
    from graphnet.loading import load_plan

    load_plan(db, scenario / "load-plan.yaml", rejects_dir=tmp_path)
    proc = _start(["resolve"], cli_env, tmp_path, code=_CTRL_C_IN_LAST_STEP)
    _, err = proc.communicate(timeout=600)
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    assert err.startswith("Interrupted: the resolution had been written in full when it was stopped"), err
    stopped = snapshot(db), db.read(_DECISIONS)

    dbapi.clear(db)
    load_plan(db, scenario / "load-plan.yaml", rejects_dir=tmp_path)
    report = resolve(db)
    assert report.flagged, "the scenario must give flags, or the last transaction is empty"
    assert (snapshot(db), db.read(_DECISIONS)) == stopped


_DECISIONS = ("MATCH (a)-[r:SAME_AS]->(b) RETURN a.uid AS a, b.uid AS b, r.status AS status, r.reason AS reason "
              "ORDER BY a, b")


#: run before the command: its reads (``Database.stream``, or ``Database.read``) replaced by a query the
#: server would run for hours (10^12 rows counted), and Ctrl-C sent to itself once the driver waits on it
_ENDLESS_READ = """
import os, signal, threading
from graphnet import db as dbapi
ENDLESS = "UNWIND range(1, 1000000) AS a UNWIND range(1, 1000000) AS b WITH count(*) AS endless RETURN endless"
_stream, _read = dbapi.Database.stream, dbapi.Database.read
def ctrl_c_soon():
    threading.Timer(1.0, lambda: os.kill(os.getpid(), signal.SIGINT)).start()
def stream(self, query, **params):
    ctrl_c_soon()
    yield from _stream(self, ENDLESS)
def read(self, query, **params):
    ctrl_c_soon()
    return _read(self, ENDLESS)
dbapi.Database.{method} = {method}
"""


@pytest.mark.parametrize("method, command", [("stream", ["resolve"]), ("read", ["resolve", "list"])])
def test_a_long_read_stopped_ends_at_once_and_ends_its_query(db, cli_env, tmp_path, method, command):
    """Ctrl-C while a command waits on a long read (a streamed one: resolve's read of every record, a
    report's projection; or one read whole: a GDS algorithm, an evidence selection): the command ends
    without waiting for the query, with one line, and the server's transaction ends with it. Before, the
    command waited for the query to finish (here, hours)."""
    proc = _start(command, cli_env, tmp_path, code=_ENDLESS_READ.replace("{method}", method))
    try:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 130, err
        assert err == "Interrupted.\n"
        deadline = time.monotonic() + 60
        while _endless(db) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not _endless(db), "the server still runs the query of the stopped command"
    finally:
        proc.kill()
        for tx in _endless(db):  # not to leave the test server counting for hours
            db.write("TERMINATE TRANSACTION $id", id=tx)


def _endless(db) -> list[str]:
    return [r["id"] for r in db.read("SHOW TRANSACTIONS YIELD transactionId AS id, currentQuery AS q "
                                     "WHERE q CONTAINS 'AS endless' AND NOT q STARTS WITH 'SHOW' RETURN id")]
