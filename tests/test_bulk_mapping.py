"""The bulk loader's mapping and CSV steps: parallel gives what sequential gives (no database needed).

``tests/test_bulk.py`` checks the whole ``--bulk`` load against the Cypher
loader on a real Neo4j; these check the two steps that run in several
processes, on a synthetic scenario, against their one-process runs.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graphnet import synth
from graphnet.errors import GraphnetError, InputFileError
from graphnet.loading import bulk_csv, bulk_graph
from graphnet.loading.bulk_graph import BulkGraph, map_plan


@pytest.fixture(scope="module")
def scenario(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("bulk-map-scenario")
    synth.generate(out, seed=7, cases=5, syndicates=2, background=100)
    return out / "load-plan.yaml"


def comparable(graph: BulkGraph, summaries: list) -> tuple:
    sources = [{k: v for k, v in s.items() if k != "loaded_at"} for s in graph.sources]
    counts = [(s.file, s.rows_read, s.rows_loaded, s.rows_rejected, s.nodes_created, s.nodes_matched,
               s.relationships_created, s.relationships_matched, s.skipped) for s in summaries]  # fmt: skip
    return list(graph.nodes.items()), list(graph.rels.items()), sources, counts


def test_parallel_mapping_gives_the_sequential_graph(scenario, tmp_path):
    assert bulk_graph.fork_available(), "the parallel path would not be tested"
    one = map_plan(scenario, rejects_dir=tmp_path / "one", workers=1)
    two = map_plan(scenario, rejects_dir=tmp_path / "two", workers=3)
    assert len(one[0].rels) > 1000
    # same entries in the same order: src lists, flags, weights and sums to the last bit
    assert comparable(*two) == comparable(*one)
    rejects = sorted(p.name for p in (tmp_path / "one").iterdir())
    assert rejects and rejects == sorted(p.name for p in (tmp_path / "two").iterdir())
    for name in rejects:
        assert (tmp_path / "two" / name).read_bytes() == (tmp_path / "one" / name).read_bytes()


def test_a_file_listed_twice_is_mapped_once(scenario, tmp_path):
    plan = tmp_path / "plan.yaml"
    shutil.copy(scenario.parent / "police_cases.csv", tmp_path / "copy.csv")
    plan.write_text(f"- {{definition: police_cases, file: {scenario.parent / 'police_cases.csv'}}}\n"
                    f"- {{definition: call_records, file: {scenario.parent / 'call_records.csv'}}}\n"
                    "- {definition: police_cases, file: copy.csv}\n")  # fmt: skip
    graph, summaries = map_plan(plan, rejects_dir=tmp_path, workers=2)
    assert [s.skipped for s in summaries] == [False, False, True]
    assert summaries[2].file == str(tmp_path / "copy.csv") and summaries[2].rows_read == summaries[0].rows_read
    assert len(graph.sources) == 2


def test_a_workers_error_is_the_users_error(scenario, tmp_path):
    """A file without a required column, mapped in a worker, fails the whole mapping with that file's message."""
    broken = tmp_path / "calls.csv"
    broken.write_text("caller,start\n+6281101234567,2018-01-01 10:00:00\n", encoding="utf-8")
    plan = tmp_path / "plan.yaml"
    plan.write_text(f"- {{definition: police_cases, file: {scenario.parent / 'police_cases.csv'}}}\n"
                    f"- {{definition: call_records, file: {broken}}}\n")  # fmt: skip
    with pytest.raises(InputFileError, match=r"calls\.csv: missing required columns? callee"):
        map_plan(plan, rejects_dir=tmp_path, workers=2)


def read_files(folder: Path, files: bulk_csv.CsvFiles) -> list[str]:
    """Every row of every file as ``kind label {column: value}``, ids replaced by the uids they stand for."""
    rows = []
    uid_of: dict[str, str] = {}
    for arg in sorted(files.args, key=lambda a: not a.startswith("--nodes")):
        kind, rest = arg[2:].split("=", 1)
        name, path = rest.split("=", 1)
        with open(path, newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                if kind == "nodes":
                    uid_of[row.pop(":ID")] = row["uid:string"]
                else:
                    row[":START_ID"], row[":END_ID"] = uid_of[row[":START_ID"]], uid_of[row[":END_ID"]]
                rows.append(f"{kind} {name} {sorted(row.items())}")
    return sorted(rows)


def test_csv_writers_write_the_same_rows(scenario, tmp_path):
    graph, _ = map_plan(scenario, rejects_dir=tmp_path)
    for name in ("one", "three"):
        (tmp_path / name).mkdir()
    one = bulk_csv.write_csv(graph, tmp_path / "one", writers=1)
    three = bulk_csv.write_csv(graph, tmp_path / "three", writers=3)
    assert (one.nodes, one.relationships) == (three.nodes, three.relationships)
    assert one.nodes == len(graph.nodes) + len(graph.sources) and one.relationships == len(graph.rels)
    assert len({a.split("=")[2].split("/")[-1].split("-")[0] for a in three.args}) == 3  # three processes wrote
    assert read_files(tmp_path / "three", three) == read_files(tmp_path / "one", one)


@pytest.mark.parametrize("value", [[], ["a\x1fb"], ["a", ""]])
def test_lists_the_importer_cannot_take_are_kept_for_later(tmp_path, value):
    g = BulkGraph()
    g.nodes[("Person", "p:1")] = {"uid": "p:1", "src": ["s:2"], "props": {"name": "Ani", "roles": value}, "flags": []}
    g.nodes[("Person", "p:2")] = {"uid": "p:2", "src": ["s:3"], "props": {"name": "Ina", "roles": ["x"]}, "flags": []}
    files = bulk_csv.write_csv(g, tmp_path)
    assert files.later == [(("Person", "p:1"), "roles", value)]
    rows = read_files(tmp_path, files)
    cell = "[('name:string', 'Ani'), ('roles:string[]', ''), ('src:string[]', 's:2'), ('uid:string', 'p:1')]"
    assert f"nodes Person {cell}" in rows, rows  # an empty cell: the importer sets no property, set_later does
    assert any("('roles:string[]', 'x')" in r for r in rows), rows


def test_a_relationship_list_the_importer_cannot_take_is_refused_by_name(tmp_path):
    g = BulkGraph()
    for uid in ("p:1", "p:2"):
        g.nodes[("Person", uid)] = {"uid": uid, "src": ["s:2"], "props": {}, "flags": []}
    g.rels[("KNOWS", "Person", "p:1", "Person", "p:2", "")] = {"s": "p:1", "t": "p:2", "key": "", "src": ["s:2"],
                                                              "weight": 1.0, "props": {"via": []}, "sums": {}}
    with pytest.raises(GraphnetError, match=r"list \[\] of via on KNOWS p:1 -> p:2; load without --bulk"):
        bulk_csv.write_csv(g, tmp_path)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.text(alphabet=st.sampled_from('ab,"\x00\x1f\n\r ;\u2028é'), max_size=8),
                         min_size=1, max_size=6), min_size=1, max_size=5))  # fmt: skip
def test_the_csv_rows_are_the_csv_modules(tmp_path_factory, rows):
    """The fast row writer gives byte for byte what ``csv.writer(quoting=QUOTE_ALL)`` gives."""
    folder = tmp_path_factory.mktemp("rows")
    fast = bulk_csv._CsvFile(folder / "fast.csv")
    for row in rows:
        fast.writerow(row)
    fast.close()
    with open(folder / "ref.csv", "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(rows)
    assert (folder / "fast.csv").read_bytes() == (folder / "ref.csv").read_bytes()
