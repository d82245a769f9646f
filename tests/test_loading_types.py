"""A data file asserts evidence only: a relationship type read from a column cannot be SAME_AS or HYPOTHESIS.

Merges (SAME_AS) are decisions of `graphnet resolve`, hypotheses (HYPOTHESIS)
are written by `graphnet report hypotheses --store`; the schema marks both
``evidence: false``. The definition checks the types it fixes or maps
(definition.py ``_check_evidence_type``); the mapper checks a type a row
chooses, the same in the reference and the compiled mapper.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from graphnet.loading import load_file, read_definition
from graphnet.loading.mapper import ReferenceRowMapper, RowMapper, RowProblems
from graphnet.schema import load_schema

NOT_EVIDENCE = sorted(t for t, r in load_schema().relationships.items() if not r.evidence)


def test_the_schema_marks_merges_and_hypotheses_as_not_evidence():
    assert NOT_EVIDENCE == ["HYPOTHESIS", "SAME_AS"]


@pytest.mark.parametrize("mapper", [ReferenceRowMapper, RowMapper])
@pytest.mark.parametrize("value", ["same_as", "SAME AS", " Same_As ", "hypothesis", "Hypothesis"])
def test_a_type_column_cannot_assert_a_merge_or_a_hypothesis(mapper, value):
    m = mapper(read_definition("edge_list"), "s")
    with pytest.raises(RowProblems) as e:
        m.map(7, {"source": "A", "target": "B", "type": value})
    [(field, reason)] = e.value.problems
    rtype = value.strip().upper().replace(" ", "_")
    assert field == "type"
    assert f"{value.strip()!r} is relationship type {rtype}" in reason and "cannot be loaded from data" in reason


def test_both_mappers_agree_and_evidence_types_still_load_from_the_column():
    d = read_definition("edge_list")
    rows = [{"source": "A", "target": "B", "type": t} for t in ("knows", "Same As", "hypothesis", "", "nope")]
    results = []
    for mapper in (ReferenceRowMapper(d, "s"), RowMapper(d, "s")):
        out = []
        for i, row in enumerate(rows, start=2):
            try:
                out.append([r.type for r in mapper.map(i, row)[1]])
            except RowProblems as e:
                out.append(e.problems)
        results.append(out)
    assert results[0] == results[1]
    knows, same_as, hypothesis, empty, nope = results[0]
    assert knows == ["KNOWS"] and empty == ["ASSOCIATED_WITH"] and nope == ["ASSOCIATED_WITH"]  # default
    assert same_as[0][0] == "type" and hypothesis[0][0] == "type"


def _rejects(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_loading_a_file_rejects_merge_and_hypothesis_rows_and_writes_no_such_tie(db, tmp_path):
    data = tmp_path / "ties.csv"
    data.write_text("source,target,type\nA,B,knows\nA,C,same_as\nB,C,Hypothesis\nC,D,\n", encoding="utf-8")
    s = load_file(db, "edge_list", data, rejects_dir=tmp_path / "rej")
    assert (s.rows_read, s.rows_loaded, s.rows_rejected) == (4, 2, 2)
    rows = _rejects(tmp_path / "rej" / "ties.csv.rejects.csv")
    assert [(r["row"], r["field"], r["type"]) for r in rows] == [("3", "type", "same_as"), ("4", "type", "Hypothesis")]
    assert all("cannot be loaded from data" in r["reason"] for r in rows)
    types = db.read("MATCH ()-[r]->() RETURN type(r) AS t, count(*) AS n ORDER BY t")
    assert {r["t"]: r["n"] for r in types} == {"ASSOCIATED_WITH": 1, "KNOWS": 1}
    assert db.read("MATCH ()-[r:SAME_AS|HYPOTHESIS]-() RETURN count(r) AS n")[0]["n"] == 0


@pytest.mark.parametrize("mapper", [ReferenceRowMapper, RowMapper])
def test_a_label_column_cannot_create_a_source_node(mapper, tmp_path):
    """Source nodes are the loader's provenance records: a row cannot forge one."""
    from graphnet.loading.definition import parse_definition

    d = parse_definition("""
name: things
columns: [id, kind]
nodes:
  thing: {label: {column: kind, default: Location}, key: id}
""", "things.yaml")
    m = mapper(d, "s")
    assert [n.label for n in m.map(2, {"id": "x", "kind": "lodging"})[0]] == ["Lodging"]
    with pytest.raises(RowProblems) as e:
        m.map(3, {"id": "y", "kind": "source"})
    [(field, reason)] = e.value.problems
    assert field == "kind" and "'source' is label Source" in reason and "cannot be loaded from data" in reason
