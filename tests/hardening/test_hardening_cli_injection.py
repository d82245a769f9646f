"""Hardening (d), command line: injection strings in every option that reaches a query.

Each command runs in-process (click's CliRunner) against the test server with
a payload where a person, record, namespace or filter goes. Whatever the exit
code, the answer is a clear line (no stack trace) and the graph is unchanged
(commands that only read) or holds the payload as data only (load). The
options: persons and records (``--around``, ``--path``, ``--between``, ``behind``,
``resolve``), filters (``--case``, ``--province``, ``--source``, ``--since``,
``--until``, ``--projection layer:...``), named queries and their parameters
(``--query``, ``--param``; a named query that writes, ``db_clear``, runs in a
read transaction and is refused).
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from graphnet.cli import main

from hardening_data import PAYLOADS, snapshot, write_csv

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]


def _seed(db) -> None:
    db.write(
        "CREATE (a:Person {uid: 'police:1', name: 'Ani', roles: ['victim'], src: ['s:2']})"
        "-[:RECRUITED {key: '', weight: 1.0, src: ['s:2']}]->(b:Person {uid: 'police:2', name: 'Budi', roles: ['recruiter'], src: ['s:3']})"
    )


@pytest.mark.parametrize("payload", PAYLOADS)
def test_read_commands_leave_graph_unchanged(db, cli_env, tmp_path, payload):
    _seed(db)
    before = snapshot(db)
    runner = CliRunner()
    commands = [
        ["report", "behind", payload],
        ["report", "centrality", "--since", payload],
        ["report", "brokers", "--province", payload],
        ["resolve", "undo", payload, "police:1"],
        ["resolve", "accept", "police:1", payload],
        ["view", str(tmp_path / "v.html"), "--around", payload],
        ["evidence", "export", "--around", payload, str(tmp_path / "bundle")],
        ["report", "syndicates", "--case", payload],
        ["report", "communities", "--source", payload],
        ["report", "hypotheses", "--province", payload, "--store"],
        ["report", "disruption", "--projection", f"layer:{payload}"],
        ["report", "centrality", "--until", payload, "--case", payload],
        ["view", str(tmp_path / "v.html"), "--path", payload, "police:1"],
        ["view", str(tmp_path / "v.html"), "--path", "police:1", payload],
        ["view", str(tmp_path / "v.html"), "--around", "police:1", "--case", payload, "--source", payload],
        ["view", str(tmp_path / "v.html"), "--projection", f"layer:{payload}"],
        ["evidence", "export", "--between", payload, "police:2", str(tmp_path / "b2")],
        ["evidence", "export", "--around", "police:1", "--since", payload, str(tmp_path / "b3")],
        ["evidence", "export", "--query", payload, str(tmp_path / "b4")],
        ["evidence", "export", "--query", "evidence_case", "--param", f"case={payload}",
         str(tmp_path / "b5")],
        ["evidence", "export", "--query", "db_clear", str(tmp_path / "b6")],
    ]
    problems = []
    for args in commands:
        r = runner.invoke(main, args, env={**cli_env, "GRAPHNET_REDACT_KEY": "k"})
        if r.exception is not None and not isinstance(r.exception, SystemExit):
            problems.append(f"{args[:2]}: crashed with {type(r.exception).__name__}: {r.exception}")
        last = (r.output or "").strip().splitlines()[-1:]
        if r.exit_code != 0 and not (last and last[0].startswith("Error: ")):
            problems.append(f"{args[:2]}: exit code {r.exit_code} without a closing 'Error:' line: {last}")
        if "Traceback" in (r.output or ""):
            problems.append(f"{args[:2]}: stack trace in the output")
        if snapshot(db) != before:
            problems.append(f"{args[:2]}: changed the graph")
            break
    assert not problems, "\n".join(problems)


def test_load_namespace_and_cells_are_data(db, cli_env, tmp_path):
    _seed(db)
    path = write_csv(tmp_path / "e.csv", ["source", "target", "type"],
                     [{"source": p, "target": f"{p}2", "type": "KNOWS"} for p in PAYLOADS])  # fmt: skip
    r = CliRunner().invoke(main, ["load", "edge_list", str(path), "--namespace", PAYLOADS[0], "--no-progress"], env=cli_env)
    assert r.exit_code == 0, r.output
    kept = db.read("MATCH (n {uid: 'police:1'})-[:RECRUITED]->({uid: 'police:2'}) RETURN n.name AS name")
    assert kept == [{"name": "Ani"}]
    names = {x["name"] for x in db.read("MATCH (n:Person) RETURN n.name AS name")}
    assert set(PAYLOADS) <= names
