"""The bulk loader's mapping and CSV steps (no database needed).

``tests/test_bulk.py`` checks the whole ``--bulk`` load against the Cypher
loader on a real Neo4j; these check, on a synthetic scenario, that parallel
mapping gives what sequential mapping gives, and that the CSV files hold the
mapped graph.
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
from graphnet.loading.bulk_csv import ARRAY_DELIMITER
from graphnet.loading.bulk_graph import BulkGraph, map_plan


@pytest.fixture(scope="module")
def scenario(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("bulk-map-scenario")
    synth.generate(out, seed=7, cases=5, syndicates=2, background=100)
    return out / "load-plan.yaml"


def comparable(graph: BulkGraph, summaries: list) -> tuple:
    """The graph and counts, each ``src`` as its refs (an element may hold several, joined: ``BulkGraph``)."""
    sources = [{k: v for k, v in s.items() if k != "loaded_at"} for s in graph.sources]
    counts = [(s.file, s.rows_read, s.rows_loaded, s.rows_rejected, s.nodes_created, s.nodes_matched,
               s.relationships_created, s.relationships_matched, s.skipped) for s in summaries]  # fmt: skip

    def refs(entries: dict) -> list:
        return [(k, {**e, "src": [r for part in e["src"] for r in part.split(ARRAY_DELIMITER)]})
                for k, e in entries.items()]  # fmt: skip

    return refs(graph.nodes), refs(graph.rels), sources, counts


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


def test_files_are_shared_by_their_cost_and_each_worker_maps_its_own_in_plan_order(scenario):
    tasks, _ = bulk_graph._tasks(scenario)
    lanes = bulk_graph.lanes_of(t.definition for t in tasks)
    for t in tasks:
        t.lanes = lanes
    by_name = {t.definition.name: t for t in tasks}
    calls, money = by_name["call_records"], by_name["money_transfers"]
    # all its relationships are lanes (CALLED): a quarter; money transfers also give HOLDS, which is not a lane
    assert bulk_graph._cost(calls) == calls.path.stat().st_size * bulk_graph.LANE_BYTE
    assert bulk_graph._cost(money) == money.path.stat().st_size
    parts = bulk_graph._assign(tasks, 2)
    assert sorted(t.index for p in parts for t in p) == [t.index for t in tasks]
    assert all([t.index for t in p] == sorted(t.index for t in p) for p in parts)
    loads = sorted(sum(bulk_graph._cost(t) for t in p) for p in parts)
    assert loads[1] - loads[0] <= max(bulk_graph._cost(t) for t in tasks)  # the greedy share's bound
    for t in tasks:
        t.lanes = {}
    assert bulk_graph._cost(calls) == calls.path.stat().st_size  # no lanes (not --bulk): bytes


def test_a_column_wise_file_counts_its_seconds_from_its_own_start(scenario, tmp_path, monkeypatch, taken):
    """A worker starts its column-wise children first and maps its other files meanwhile: the seconds a column-wise
    file reports are its own (from its child's start), not the moment the worker turned to it."""
    import time

    from graphnet.loading import columnar

    mapped, batches = columnar.map_file, bulk_graph._batches

    def slow_map(*args, **kwargs):  # the column-wise child: 1.5 s
        time.sleep(1.5)
        return mapped(*args, **kwargs)

    def slow_rows(*args, **kwargs):  # a file read row by row: 3 s, while the child runs
        time.sleep(3.0)
        yield from batches(*args, **kwargs)

    monkeypatch.setattr(columnar, "map_file", slow_map)
    monkeypatch.setattr(bulk_graph, "_batches", slow_rows)
    monkeypatch.setattr(bulk_graph, "_assign", lambda tasks, workers: [tasks])  # one worker, both files
    plan = tmp_path / "plan.yaml"
    plan.write_text(f"- {{definition: police_cases, file: {scenario.parent / 'police_cases.csv'}}}\n"
                    f"- {{definition: call_records, file: {scenario.parent / 'call_records.csv'}}}\n")  # fmt: skip
    before = len(taken())
    _, (police, calls) = map_plan(plan, rejects_dir=tmp_path, workers=2)
    assert taken()[before:] == ["call_records.csv"]
    assert police.seconds >= 3.0
    assert calls.seconds >= 1.5  # counted from the worker's turn, it was about 0


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


def csv_rows(folder: Path, files: bulk_csv.CsvFiles) -> list[tuple[str, str, dict[str, str]]]:
    """Every row of every file as ``(kind, label or type, {column: value})``, ids replaced by the uids they stand for."""
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
                rows.append((kind, name, row))
    return rows


def read_files(folder: Path, files: bulk_csv.CsvFiles) -> list[str]:
    """Every row of every file as ``kind label {column: value}``, ids replaced by the uids they stand for."""
    return sorted(f"{kind} {name} {sorted(row.items())}" for kind, name, row in csv_rows(folder, files))


def test_the_csv_files_hold_the_mapped_graph(scenario, tmp_path):
    """Read back with the csv module, the files give every node and relationship of the graph, ends included.

    A copy of the graph without the ids ``fold`` gave (a graph built by
    hand) is numbered by ``write_csv`` itself, and gives the same rows.
    """
    graph, _ = map_plan(scenario, rejects_dir=tmp_path)
    (tmp_path / "csv").mkdir()
    (tmp_path / "again").mkdir()
    files = bulk_csv.write_csv(graph, tmp_path / "csv")
    assert files.nodes == len(graph.nodes) + len(graph.sources) and files.relationships == len(graph.rels)
    text = bulk_csv._cell
    expected = []
    for (label, uid), e in graph.nodes.items():
        props = {**e["props"], **({"flags": e["flags"]} if e["flags"] else {})}
        expected.append(("nodes", label, uid, text(e["src"]), sorted((k, text(v)) for k, v in props.items())))
    for (rtype, _, s, _, t, key), e in graph.rels.items():
        props = {**e["props"], **e["sums"]}
        expected.append(("relationships", rtype, (s, t, key), text(e["src"]), repr(e["weight"]),
                         sorted((k, text(v)) for k, v in props.items())))  # fmt: skip
    assert sorted(map(str, read_back(tmp_path / "csv", files))) == sorted(map(str, expected))

    by_hand = BulkGraph(
        nodes={k: {f: v for f, v in e.items() if f != "id"} for k, e in graph.nodes.items()},
        rels={k: {f: v for f, v in e.items() if f != "ends"} for k, e in graph.rels.items()},
        sources=graph.sources,
    )
    again = bulk_csv.write_csv(by_hand, tmp_path / "again")
    assert read_files(tmp_path / "again", again) == read_files(tmp_path / "csv", files)


def read_back(folder: Path, files: bulk_csv.CsvFiles) -> list[tuple]:
    """The rows of the node and relationship files as ``test_the_csv_files_hold_the_mapped_graph`` expects them."""
    out = []
    for kind, name, cells in csv_rows(folder, files):
        if name == "Source":
            continue
        props = sorted((k.split(":")[0], v) for k, v in cells.items() if k.split(":")[0] not in
                       ("uid", "src", "weight", "key", "") and v != "")  # fmt: skip
        if kind == "nodes":
            out.append((kind, name, cells["uid:string"], cells["src:string[]"], props))
        else:
            ends = (cells[":START_ID"], cells[":END_ID"], cells["key:string"])
            out.append((kind, name, ends, cells["src:string[]"], cells["weight:double"], props))
    return out


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
