"""``--bulk``'s lanes (graphnet/loading/bulk_lanes.py) write the relationship files the object path writes.

The reference is ``map_plan`` with ``bulk_graph.LANES = False``: every
relationship folded as a Python entry and written by ``bulk_csv``, the path
``tests/test_bulk.py`` holds equal to the Cypher loader. Both sets of files
are read back with the csv module (node ids replaced by the uids they stand
for, doubles compared by value to the bit) and must hold the same rows; the
per-file counts must be the same too.
"""

from __future__ import annotations

import csv
import dataclasses
from pathlib import Path

import pytest

from graphnet import synth
from graphnet.loading import bulk_csv, bulk_graph, bulk_lanes, columnar
from graphnet.loading.definition import read_definition

from test_bulk_columnar import EDGE_ROWS, HEADER
from test_bulk_mapping import csv_rows


def canonical(folder: Path, files: bulk_csv.CsvFiles) -> list[str]:
    """The rows of the files, an absent property and an empty cell alike (but the key), doubles by value."""
    out = []
    for kind, name, row in csv_rows(folder, files):
        cells = {}
        for column, value in row.items():
            if column == "loaded_at:string" or (value == "" and column != "key:string"):
                continue
            cells[column] = repr(float(value)) if column.endswith(":double") else value
        out.append(f"{kind} {name} {sorted(cells.items())}")
    return sorted(out)


def both_ways(plan: Path, out: Path, monkeypatch, workers: int = 1, finish: bool = True) -> tuple[tuple, tuple]:
    """(rows, counts, graph, files) with the lanes, then without.

    ``finish=False``: as ``--bulk`` does, the lanes are still being written when ``map_plan`` returns, and the
    summaries are complete once ``write_csv`` has waited for them.
    """
    results = []
    for flag in (True, False):
        monkeypatch.setattr(bulk_graph, "LANES", flag)
        folder = out / f"csv-{flag}"
        folder.mkdir()
        graph, summaries = bulk_graph.map_plan(plan, rejects_dir=out / f"rejects-{flag}", workers=workers,
                                               folder=folder, finish=finish)  # fmt: skip
        assert (graph.pending is not None) == (flag and not finish)
        files = bulk_csv.write_csv(graph, folder)
        assert graph.pending is None
        counts = [dataclasses.replace(s, seconds=0.0, rejects_file=s.rejects_file and Path(s.rejects_file).name)
                  for s in summaries]  # fmt: skip
        results.append((canonical(folder, files), counts, graph, files))
    return results[0], results[1]


def lane_lines(files: bulk_csv.CsvFiles) -> list[str]:
    return [line for a in files.args if "/lane-" in a for line in Path(a.split("=", 2)[2]).read_text().splitlines()[1:]]


@pytest.mark.parametrize("workers, finish", [(1, True), (2, False)])
def test_the_synthetic_scenario_gives_the_same_files(tmp_path, monkeypatch, workers, finish):
    synth.generate(tmp_path, seed=11, cases=5, syndicates=2, background=120)
    (rows, counts, graph, files), (ref_rows, ref_counts, ref_graph, ref_files) = both_ways(
        tmp_path / "load-plan.yaml", tmp_path, monkeypatch, workers, finish)
    assert graph.lanes is not None and ref_graph.lanes is None
    assert graph.lanes.relationships > 1000
    assert not any(k[0] in ("CALLED", "PAID") for k in graph.rels)
    assert any(k[0] == "PAID" for k in ref_graph.rels)
    assert files.relationships == ref_files.relationships
    assert rows == ref_rows
    assert counts == ref_counts


MONEY = "tx_id,date,sender_name,sender_account,sender_bank,receiver_name,receiver_account,receiver_bank,amount,currency\n"


def _money(path: Path, lines: list[str]) -> None:
    path.write_text(MONEY + "".join(f"t{i},{line}\n" for i, line in enumerate(lines)), encoding="utf-8")


# one pair of accounts over chunks of 3 rows (and in a second file): sums made chunk by chunk, file by file
MONEY_ROWS = [
    "2018-01-01,Ani,11111,BCA,Budi,22222,BRI,0.3,idr",
    ",Cita,33333,BNI,Dodi,44444,BRI,,",  # no date, amount or currency: a PAID with no sum, no date, key ""
    "2018-01-09,,33333,BNI,,44444,BRI,-0,USD",  # a sum of minus zero: 0.0, as reduce(s = 0.0, ...)
    "2018-01-04,Ani,11111,BCA,Budi,22222,BRI,0.2,IDR",
    "2018-01-05,Ani,11111,BCA,Budi,22222,BRI,0.1,IDR",
    ",Ani,11111,BCA,Budi,22222,BRI,,IDR",  # no date, no amount
    "2018-13-09,Ani,11111,BCA,Budi,22222,BRI,5,IDR",  # no such month: rejected
    "2018-01-10,Ani,11111,BCA,Budi,22222,BRI,0.2,USD",  # the same accounts, another currency: another PAID
]


def _money_sum(chunks: list[list[float]]) -> float:
    """Each chunk summed from 0.0, then the chunks in turn: what the Cypher loader does."""
    total = 0.0
    for chunk in chunks:
        step = 0.0
        for v in chunk:
            step += v
        total += step
    return total


def test_edge_rows_files_read_row_by_row_and_repeats_across_files(tmp_path, monkeypatch, taken):
    """Sums made chunk by chunk and file by file, absent properties, a lane file read row by row, counts."""
    monkeypatch.setattr(bulk_graph, "CHUNK_ROWS", 3)
    monkeypatch.setattr(columnar, "SHARE", 4)
    (tmp_path / "a.csv").write_text(HEADER + "".join(line + "\n" for line in EDGE_ROWS), encoding="utf-8")
    # a quoted cell: read row by row, its CALLED steps made in the folding process (steps_of)
    (tmp_path / "b.csv").write_text(HEADER + '"+6281101234567",0811-0123-4568,2018-03-01 10:00:00,1,voice\n'
                                    "081101234570,081101234571,2018-03-02 09:00:00,5,voice\n", encoding="utf-8")
    (tmp_path / "c.csv").write_text(HEADER + "".join(line + "\n" for line in EDGE_ROWS[1:6]), encoding="utf-8")
    _money(tmp_path / "m1.csv", MONEY_ROWS)
    _money(tmp_path / "m2.csv", MONEY_ROWS[3:6] + ["2018-02-01,Ani,11111,BCA,Budi,22222,BRI,2.5,EUR"])
    plan = tmp_path / "plan.yaml"
    plan.write_text("".join(f"- {{definition: {d}, file: {f}}}\n" for d, f in [
        ("call_records", "a.csv"), ("money_transfers", "m1.csv"), ("call_records", "b.csv"),
        ("call_records", "c.csv"), ("money_transfers", "m2.csv"),
    ]))  # fmt: skip
    (rows, counts, graph, files), (ref_rows, ref_counts, ref_graph, _) = both_ways(plan, tmp_path, monkeypatch)
    assert "b.csv" not in taken() and {"a.csv", "c.csv", "m1.csv", "m2.csv"} <= set(taken())
    assert rows == ref_rows
    assert counts == ref_counts
    assert [c.relationships_matched for c in counts][2:4] != [0, 0]  # b and c repeat pairs of a
    paid = {k: e for k, e in ref_graph.rels.items() if k[0] == "PAID"}
    bare = next(e for k, e in paid.items() if k[2].endswith("|33333"))
    assert bare["sums"] == {} and "date" not in bare["props"] and bare["key"] == ""
    pair = next(e for k, e in paid.items() if k[5] == "currency=IDR")
    assert pair["sums"]["amount"] == _money_sum([[0.3], [0.2, 0.1], [0.2, 0.1]])  # chunk by chunk, file by file
    others = {_money_sum([[0.3, 0.2, 0.1], [0.2, 0.1]]), _money_sum([[0.3], [0.2, 0.1, 0.2, 0.1]])}
    assert pair["sums"]["amount"] not in others and len(others) == 2, "the rows must tell the orders apart"
    zero = next(e for k, e in paid.items() if k[5] == "currency=USD" and k[2].endswith("|33333"))
    assert repr(zero["sums"]["amount"]) == "0.0"
    # the key is always quoted (an empty string, not an absent property); an absent sum is an empty bare cell
    lines = lane_lines(files)
    assert lines and all(line.split(",", 4)[4].startswith('"') for line in lines)
    assert any(",," in line or line.endswith(",") for line in lines)


def test_lanes_only_for_types_no_file_read_row_by_row_can_give():
    lanes = bulk_lanes.lanes_of(read_definition(n) for n in ("call_records", "money_transfers", "travel_documents"))
    assert set(lanes) == {"CALLED", "PAID"}  # HOLDS: travel documents give it too
    assert lanes["CALLED"] == bulk_lanes.Lane("CALLED", ("date",), ())
    assert bulk_lanes.lanes_of([read_definition("call_records"), read_definition("caviar")]) == {}  # weighted CALLED
    assert bulk_lanes.lanes_of([read_definition("call_records"), read_definition("edge_list")]) == {}  # any type
    assert bulk_lanes.lanes_of([read_definition("call_records"), read_definition("ftm")]) == {}


def test_a_lane_file_is_the_csv_modules(tmp_path, monkeypatch):
    """Read with the csv module, a lane file's cells are what its frame held: commas and quotes in a key."""
    monkeypatch.setattr(bulk_graph, "CHUNK_ROWS", 2)
    _money(tmp_path / "m.csv", ['2018-01-01,Ani,11111,BCA,Budi,22222,BRI,1.5,"I,D""R"', "2018-01-02,Ani,11111,BCA,Budi,22222,BRI,2,IDR"])
    (tmp_path / "plan.yaml").write_text("- {definition: money_transfers, file: m.csv}\n")
    (rows, *_), (ref_rows, *_) = both_ways(tmp_path / "plan.yaml", tmp_path, monkeypatch)
    assert rows == ref_rows
    assert any("'key:string', 'currency=I,D\"R'" in r for r in rows), rows
    with open(next((tmp_path / "csv-True").glob("lane-*.csv")), newline="") as fh:
        assert len(list(csv.reader(fh))) == 3  # the header and two PAID (two currencies)
