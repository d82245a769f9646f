"""Thin slice: the caviar definition through the real writer and CLI."""

from __future__ import annotations

import csv

from click.testing import CliRunner

from graphnet.cli import main
from graphnet.loading import load_file


def test_caviar_full_loads_with_published_counts(db, datasets, tmp_path):
    path = datasets / "caviar" / "caviar_full_undirected_edges.csv"
    s = load_file(db, "caviar", path, rejects_dir=tmp_path)
    assert db.read("MATCH (p:Person) RETURN count(p) AS n")[0]["n"] == 110
    assert db.read("MATCH ()-[r:CALLED]->() RETURN count(r) AS n")[0]["n"] == 205
    total = sum(float(r["weight"]) for r in csv.DictReader(path.open()))
    assert db.read("MATCH ()-[r:CALLED]->() RETURN sum(r.weight) AS w")[0]["w"] == total
    assert s.rows_read == 205 and s.rows_rejected == 0
    assert s.relationships_created == 205 and s.nodes_created == 110


def test_cli_load_and_loaders(db, datasets, cli_env, tmp_path):
    r = CliRunner().invoke(main, ["loaders"], env=cli_env)
    assert r.exit_code == 0, r.output
    assert "caviar" in r.output
