"""A synthetic scenario loads into the real Neo4j through the shipped definitions.

Every row of every file is either in the provenance (`src`) of some node or
relationship, or in a rejects file; and the rejects are exactly the broken
rows the generator planted and listed in truth.json.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict

import pytest

from graphnet.synth import FILES, generate

pytestmark = pytest.mark.neo4j
loading = pytest.importorskip("graphnet.loading")


def test_every_row_is_in_provenance_or_rejects_and_rejects_are_the_planted_rows(db, tmp_path):
    s = generate(tmp_path / "scenario", seed=4, cases=8, syndicates=2, background=201, broken_rows=11)
    truth = json.loads((s.out_dir / "truth.json").read_text(encoding="utf-8"))
    rejects_dir = tmp_path / "rejects"
    summaries = loading.load_plan(db, s.out_dir / "load-plan.yaml", rejects_dir=rejects_dir)
    assert [x.definition for x in summaries] == list(FILES)
    assert {x.definition: x.rows_read for x in summaries} == s.rows

    rejected = set()
    for path in rejects_dir.glob("*.rejects.csv"):
        definition = path.name.split(".")[0]
        with path.open(encoding="utf-8", newline="") as fh:
            for r in csv.DictReader(fh):
                rejected.add((definition, int(r["row"]), r["field"]))
    planted = {(b["definition"], b["row"], b["field"]) for b in truth["broken_rows"]}
    assert len(planted) == s.broken_rows >= 9  # a tiny scenario may lack a candidate row in one file
    assert rejected == planted

    definition_of = {r["uid"]: r["definition"] for r in db.read("MATCH (s:Source) RETURN s.uid AS uid, s.definition AS definition")}
    refs = db.read("MATCH (n) WHERE n.src IS NOT NULL UNWIND n.src AS ref RETURN DISTINCT ref "
                   "UNION MATCH ()-[r]->() WHERE r.src IS NOT NULL UNWIND r.src AS ref RETURN DISTINCT ref")
    loaded = defaultdict(set)
    for r in refs:
        uid, row = r["ref"].rsplit(":", 1)
        loaded[definition_of[uid]].add(int(row))
    for file, n in s.rows.items():
        bad = {row for d, row, _ in planted if d == file}
        assert loaded[file] | bad == set(range(2, n + 2)), file
        assert not loaded[file] & bad, file


def test_organisers_reach_the_graph_only_through_phones_money_and_lodgings(db, tmp_path):
    s = generate(tmp_path / "scenario", seed=9, cases=8, syndicates=2, background=201)
    truth = json.loads((s.out_dir / "truth.json").read_text(encoding="utf-8"))
    loading.load_plan(db, s.out_dir / "load-plan.yaml", rejects_dir=tmp_path / "rejects")
    for pid in truth["organisers"]:
        person = truth["persons"][pid]
        phones = [f"phone:{p}" for p in person["phones"]]
        rows = db.read(
            "MATCH (p:Phone)-[r:CALLED]-() WHERE p.uid IN $phones RETURN count(r) AS calls", phones=phones)
        assert rows[0]["calls"] > 0
        # no case in the graph lists the organiser (by NIK) as involved
        rows = db.read("MATCH (p:Person {nik: $nik})-[:INVOLVED_IN|CONVICTED_IN]->(:Case) RETURN count(p) AS n",
                       nik=person["nik"])
        assert rows[0]["n"] == 0


def test_readme_path_synth_then_load_from_the_cli(db, cli_env, tmp_path):
    """`graphnet synth DIR` then `graphnet load --plan DIR/load-plan.yaml`, as the README shows."""
    from click.testing import CliRunner

    from graphnet.cli import main

    runner = CliRunner(env=cli_env)
    out = tmp_path / "scenario"
    r = runner.invoke(main, ["synth", str(out), "--seed", "7", "--cases", "6", "--syndicates", "1",
                             "--background", "151"])
    assert r.exit_code == 0, r.output
    truth = json.loads((out / "truth.json").read_text(encoding="utf-8"))
    r = runner.invoke(main, ["load", "--plan", str(out / "load-plan.yaml"), "--rejects", str(tmp_path / "rej"),
                             "--no-progress"])
    assert r.exit_code == 0, r.output
    sources = db.read("MATCH (s:Source) RETURN s.definition AS d, s.rows AS rows, s.sha256 AS sha")
    assert {x["d"]: x["sha"] for x in sources} == {f: v["sha256"] for f, v in truth["files"].items()}
    cases = db.read("MATCH (c:Case) RETURN count(c) AS n")[0]["n"]
    assert cases == len(truth["cases"])
