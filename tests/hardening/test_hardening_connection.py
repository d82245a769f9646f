"""Hardening (f): an unreachable server and a wrong password give one clear line.

Every command group that reaches Neo4j is run as a real process (``python -m
graphnet``) against a port nothing listens on and against the test server
with a wrong password: exit code non-zero, exactly one line on stderr naming
the problem, no stack trace, nothing written.
"""

from __future__ import annotations

import os
import time
import subprocess
import sys
from pathlib import Path

import pytest

from graphnet.db import server

pytestmark = pytest.mark.slow


def _commands(tmp: Path) -> list[list[str]]:
    edges = tmp / "edges.csv"
    edges.write_text("source,target,weight\na,b,1\n")
    return [
        ["db", "init"],
        ["db", "clear", "--yes"],
        ["load", "edge_list", str(edges)],
        ["report", "brokers"],
        ["report", "centrality"],
        ["report", "communities"],
        ["report", "syndicates"],
        ["report", "hypotheses"],
        ["report", "disruption"],
        ["report", "behind", "someone"],
        ["resolve"],
        ["resolve", "list"],
        ["resolve", "undo", "a:1", "b:2"],
        ["view", str(tmp / "view.html")],
        ["evidence", "export", "--around", "someone", str(tmp / "bundle")],
    ]


def _run(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    full = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "GRAPHNET_"))}
    full.update(env)
    return subprocess.run(
        [sys.executable, "-m", "graphnet", *args], capture_output=True, text=True, env=full, cwd=cwd, timeout=300
    )


def _one_line(r: subprocess.CompletedProcess, args: list[str]) -> str:
    assert r.returncode != 0, (args, r.stdout, r.stderr)
    assert "Traceback" not in r.stderr and "Traceback" not in r.stdout, (args, r.stderr)
    lines = [ln for ln in r.stderr.strip().splitlines() if ln.strip()]
    assert len(lines) == 1, (args, r.stderr)
    return lines[0]


def test_unreachable_server_every_command(tmp_path):
    uri = f"bolt://127.0.0.1:{server.free_port()}"
    failures = []
    for args in _commands(tmp_path):
        r = _run(args, {"NEO4J_URI": uri, "GRAPHNET_REDACT_KEY": "k"}, tmp_path)
        try:
            line = _one_line(r, args)
            assert line.startswith(f"Error: cannot reach Neo4j at {uri}"), line
        except AssertionError as e:
            failures.append(f"graphnet {' '.join(args)}: {e}")
    assert not (tmp_path / "bundle").exists() and not (tmp_path / "view.html").exists()
    assert not failures, "\n".join(failures)


def test_wrong_password_every_command(tmp_path, neo4j_settings):
    uri = neo4j_settings.uri if neo4j_settings.external else f"bolt://127.0.0.1:{neo4j_settings.port}"
    failures = []
    for args in _commands(tmp_path):
        time.sleep(6)  # Neo4j locks the user for 5 s after 3 failed logins (see the next test)
        r = _run(args, {"NEO4J_URI": uri, "NEO4J_PASSWORD": "definitely-wrong-pw", "GRAPHNET_REDACT_KEY": "k"}, tmp_path)
        try:
            line = _one_line(r, args)
            assert "refused the credentials of user 'neo4j'" in line, line
        except AssertionError as e:
            failures.append(f"graphnet {' '.join(args)}: {e}")
    assert not failures, "\n".join(failures)


def test_repeated_wrong_password_is_still_one_line(tmp_path, neo4j_settings):
    uri = neo4j_settings.uri if neo4j_settings.external else f"bolt://127.0.0.1:{neo4j_settings.port}"
    env = {"NEO4J_URI": uri, "NEO4J_PASSWORD": "definitely-wrong-pw"}
    try:
        for _ in range(4):
            r = _run(["report", "centrality"], env, tmp_path)
            _one_line(r, ["report", "centrality"])
    finally:
        time.sleep(6)  # let the lock expire for the other tests
