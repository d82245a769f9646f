"""``--bulk``'s column-wise mapping (graphnet/loading/columnar.py) gives the graph row-by-row mapping gives.

The reference is ``map_plan`` with ``bulk_graph.COLUMNAR = False``: every
row through ``RowMapper`` and the per-chunk folding that ``tests/test_bulk.py``
holds equal to the Cypher loader. Each test checks that the column-wise path
was really taken (or really refused) for the file it is about.
"""

from __future__ import annotations

import dataclasses
import struct
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphnet import synth
from graphnet.loading import bulk_graph, columnar
from graphnet.loading.bulk_csv import ARRAY_DELIMITER
from graphnet.loading.definition import read_definition

from test_bulk_mapping import comparable

HEADER = "caller,callee,start,duration_s,kind\n"


def both_ways(plan: Path, out: Path, monkeypatch, workers: int = 1) -> tuple[tuple, tuple]:
    """``comparable`` graphs and the rejects files, column-wise then row by row."""
    results = []
    for flag in (True, False):
        monkeypatch.setattr(bulk_graph, "COLUMNAR", flag)
        rejects = out / f"rejects-{flag}"
        graph, summaries = bulk_graph.map_plan(plan, rejects_dir=rejects, workers=workers)
        files = {p.name: p.read_bytes() for p in rejects.iterdir()} if rejects.exists() else {}
        results.append((comparable(graph, summaries), files, graph))
    return results[0], results[1]


def refs(entry: dict) -> list[str]:
    """An entry's ``src`` refs (a file mapped column-wise joins each entry's refs in one element)."""
    return ARRAY_DELIMITER.join(entry["src"]).split(ARRAY_DELIMITER)


def bits(x: float) -> bytes:
    return struct.pack("<d", x)


def test_the_synthetic_scenario_maps_to_the_same_graph(tmp_path, monkeypatch, taken):
    synth.generate(tmp_path, seed=11, cases=5, syndicates=2, background=120)
    plan = tmp_path / "load-plan.yaml"
    (col, col_rejects, _), (row, row_rejects, _) = both_ways(plan, tmp_path, monkeypatch)
    assert {"call_records.csv", "money_transfers.csv"} <= set(taken())
    assert len(col[1]) > 1000  # relationships
    # the same entries in the same order: src lists, flags, weights and sums to the last bit
    assert col == row
    assert col_rejects == row_rejects
    monkeypatch.setattr(bulk_graph, "COLUMNAR", True)  # and in the mapping processes
    assert comparable(*bulk_graph.map_plan(plan, rejects_dir=tmp_path / "two", workers=2)) == row


def _calls(path: Path, lines: list[str]) -> None:
    path.write_bytes((HEADER + "".join(line + "\n" for line in lines)).encode("utf-8"))


EDGE_ROWS = [
    "+6281101234570,+6281101234571,2018-01-01 09:00:00,5,voice",  # a pair the earlier file weighted 1/3
    "+6281101234567,0811-0123-4568,2018-01-01 10:00:00,5,voice",
    "6281101234567, +62 811 0123 4568 ,2018-01-02 10:00:00,5,voice",  # the same pair, other spellings
    "12,0811-0123-4568,2018-01-01 10:00:00,1,sms",  # not a phone: rejected
    "+6281101234567,,2018-01-01 10:00:00,1,sms",  # no callee: rejected
    "+6281101234567,081101234568,2018-02-31 10:00:00,1,voice",  # no such day: rejected
    "+6281101234567,081101234567,,1,voice",  # a call to oneself, undated
    "+6281101234569,+6281101234567",  # a short row
    "\u2028+6281101234567\x1c,\xa00811-0123-4568\t,2018-01-03 10:00:00 ,1,voice",  # whitespace str.strip() trims
    *[f"0811012345{n % 3 + 67},0811-0123-4568,2018-01-0{n % 9 + 1} 0{n % 10}:00:00,1,voice" for n in range(20)],
    "+6281101234567,+60190309152,2018-01-05 10:00:00,1,voice",  # Malaysia
    "081101234570,081101234571,2018-01-06 09:00:00,5,voice",  # that pair again, some chunks later
]


def test_edge_rows_chunks_and_an_earlier_weight_give_the_same_graph(tmp_path, monkeypatch, taken):
    """Rejects, repeats across chunks, and a pair an earlier file weighted 1/3: sums made in the same order."""
    monkeypatch.setattr(bulk_graph, "CHUNK_ROWS", 3)
    monkeypatch.setattr(columnar, "SHARE", 4)  # and the nodes and relationships handed on 4 at a time
    _calls(tmp_path / "calls.csv", EDGE_ROWS)
    (tmp_path / "weighted.yaml").write_text(
        "name: weighted\nnamespace: w\ncolumns: [a, b, w]\n"
        "nodes:\n  a: {label: Phone, key: {column: a, normalise: phone}}\n"
        "  b: {label: Phone, key: {column: b, normalise: phone}}\n"
        "relationships:\n  - {type: CALLED, from: a, to: b, weight: {column: w, type: float}}\n",
        encoding="utf-8",
    )
    (tmp_path / "weighted.csv").write_text("a,b,w\n081101234570,081101234571,0.3333333333333333\n081101234568,081101234567,0.7\n",
                                           encoding="utf-8")  # fmt: skip
    plan = tmp_path / "plan.yaml"
    plan.write_text(f"- {{definition: {tmp_path / 'weighted.yaml'}, file: weighted.csv}}\n"
                    "- {definition: call_records, file: calls.csv}\n")  # fmt: skip
    (col, col_rejects, g_col), (row, row_rejects, g_row) = both_ways(plan, tmp_path, monkeypatch)
    assert taken() == ["calls.csv"]
    assert col == row
    assert col_rejects == row_rejects and set(col_rejects) == {"calls.csv.rejects.csv"}
    assert col_rejects["calls.csv.rejects.csv"].count(b"\n") == 4  # header and three rejects
    pair = ("CALLED", "Phone", "phone:+6281101234570", "Phone", "phone:+6281101234571", "")
    # (1/3 + 1.0) + 1.0, a call in each of two chunks of 3 rows: not 1/3 + 2.0 in one step
    assert len(g_row.rels[pair]["src"]) == 3
    assert bits(g_row.rels[pair]["weight"]) != bits(1 / 3 + 2.0), "the pair must tell the two orders apart"
    assert bits(g_col.rels[pair]["weight"]) == bits(g_row.rels[pair]["weight"])


MONEY = "tx_id,date,sender_name,sender_account,sender_bank,receiver_name,receiver_account,receiver_bank,amount,currency\n"
MONEY_ROWS = [
    "T1,2018-01-01,Siti,1234567890,bri,Ani,9876543210,BNI,0.1,IDR",
    "T2,2018-01-02,,1234567890,BRI,Ani,9876543210,bni,0.2,idr",  # no sender name: no sender person
    "T3,2018-01-03,Siti,12345-67890,BRI,,98765 43210,BNI,,IDR",  # no amount
    "T4,2018-01-04,Siti,1234567890,BRI,Ani,9876543210,BNI,0.3,",  # no currency: another PAID (key '')
    "T5,2018-02-30,Siti,1234567890,BRI,Ani,9876543210,BNI,5,IDR",  # no such day: rejected
    "T6,2018-01-05,Siti,12,BRI,Ani,9876543210,BNI,5,IDR",  # not an account: rejected
    "T7,2018-01-06,Siti,1234567890,BRI,Ani,9876543210,BNI,lima,IDR",  # not a number: rejected
    "T8,2018-01-07,Budi,5555566666,BCA,Ani,9876543210,BNI,1e3,USD",
    *[f"T{n},2018-01-0{n % 9 + 1},Siti,1234567890,BRI,Ani,9876543210,BNI,0.{n % 7 + 1},IDR" for n in range(9, 30)],
]


def test_money_transfers_sum_in_the_same_order(tmp_path, monkeypatch, taken):
    """Optional people, rejects, a relationship key, and sums of tenths over chunks of 3 rows."""
    monkeypatch.setattr(bulk_graph, "CHUNK_ROWS", 3)
    monkeypatch.setattr(columnar, "SHARE", 2)
    (tmp_path / "money.csv").write_text(MONEY + "".join(r + "\n" for r in MONEY_ROWS), encoding="utf-8")
    earlier = [r.replace("T", "E", 1) for r in MONEY_ROWS[-7:]]  # the same transfers, an earlier file: sums add up
    (tmp_path / "earlier.csv").write_text(MONEY + "".join(r + "\n" for r in earlier), encoding="utf-8")
    plan = tmp_path / "plan.yaml"
    plan.write_text("- {definition: money_transfers, file: earlier.csv}\n- {definition: money_transfers, file: money.csv}\n")
    (col, col_rejects, g_col), (row, row_rejects, _) = both_ways(plan, tmp_path, monkeypatch)
    assert taken() == ["earlier.csv", "money.csv"]
    assert col == row
    assert col_rejects == row_rejects and col_rejects["money.csv.rejects.csv"].count(b"\n") == 4
    paid = [e for k, e in g_col.rels.items() if k[0] == "PAID"]
    assert sorted(e["key"] for e in paid) == ["", "currency=IDR", "currency=USD"]  # 12345-67890 is 1234567890
    assert any(e["sums"].get("amount") for e in paid)


def test_key_parts_holding_the_joining_bar_make_one_node_both_ways(tmp_path, monkeypatch, taken):
    """"Siti|BRI" + "X" and "Siti" + "BRI|X" make one uid: one person, with the first name, both ways."""
    rows = [MONEY_ROWS[0], "T2,2018-01-02,Siti|BRI,1234567890,X,Ani,9876543210,BNI,1,IDR",
            "T3,2018-01-03,Siti,1234567890,BRI|X,Ani,9876543210,BNI,1,IDR"]  # fmt: skip
    (tmp_path / "money.csv").write_text(MONEY + "".join(r + "\n" for r in rows), encoding="utf-8")
    plan = tmp_path / "plan.yaml"
    plan.write_text("- {definition: money_transfers, file: money.csv}\n")
    col, row = both_ways(plan, tmp_path, monkeypatch)
    assert taken() == ["money.csv"]
    assert col[:2] == row[:2]
    one = col[2].nodes[("Person", "bank:Siti|BRI|X|1234567890")]
    assert len(refs(one)) == 2 and one["props"] == {"name": "Siti|BRI"}


SUBSCRIBERS = "msisdn,subscriber_name,nik,operator,registered_on\n"
SUBSCRIBER_ROWS = [
    "+6281101234567,Siti Aminah,6171014101990001,Telkomsel,2011-10-08",
    "0811-0123-4568,Budi,6171010101900002,Indosat,2012-01-01",
    "+6281101234569,Ani,,XL,2013-05-05",  # no NIK: the person is keyed by name and number
    "+6281101234570,,,XL,2013-05-06",  # no NIK, no name: rejected
    "+6281101234571,Dewi,1001014101990001,XL,2013-05-07",  # not a NIK: rejected
    "12,Dewi,6171014101990001,XL,2013-05-07",  # not a number: rejected
    "+6281101234572,Dewi,6171014101990003,XL,2013-02-30",  # no such day: rejected
    "+6281101234573,SITI AMINAH,6171014101990001,Telkomsel,2014-01-01",  # NIK again: another number and name
    "0811-0123-4567,Siti,6171014101990004,Tri,2015-01-01",  # a number again: another operator, another person
    "+6281101234569,Ani,,XL,2016-01-01",  # the NIK-less person again
    "+6281101234574,Ani,6171010101900002,XL,2017-01-01",  # Budi's NIK, another name and number
]


def test_phone_subscribers_first_values_and_conflicts_as_row_by_row(tmp_path, monkeypatch, taken):
    """A NIK-less person keyed by name and number, rejects, first values and ``phone_conflict`` across chunks.

    An earlier file gives one NIK a third number, so the fold raises the
    conflict too.
    """
    monkeypatch.setattr(bulk_graph, "CHUNK_ROWS", 2)
    monkeypatch.setattr(columnar, "SHARE", 3)
    (tmp_path / "subs.csv").write_text(SUBSCRIBERS + "".join(r + "\n" for r in SUBSCRIBER_ROWS), encoding="utf-8")
    (tmp_path / "earlier.csv").write_text(SUBSCRIBERS + "+6281101234599,Budi S,6171010101900002,XL,2010-01-01\n",
                                          encoding="utf-8")  # fmt: skip
    plan = tmp_path / "plan.yaml"
    plan.write_text("- {definition: phone_subscribers, file: earlier.csv}\n"
                    "- {definition: phone_subscribers, file: subs.csv}\n")  # fmt: skip
    (col, col_rejects, g), (row, row_rejects, _) = both_ways(plan, tmp_path, monkeypatch)
    assert taken() == ["earlier.csv", "subs.csv"]
    assert col == row
    assert col_rejects == row_rejects and col_rejects["subs.csv.rejects.csv"].count(b"\n") == 5
    siti = g.nodes[("Person", "telco:6171014101990001")]
    assert siti["props"] == {"name": "Siti Aminah", "nik": "6171014101990001", "phone": "+6281101234567"}
    assert siti["flags"] == ["phone_conflict"]
    assert g.nodes[("Person", "telco:6171010101900002")]["props"]["name"] == "Budi S"  # the earlier file's
    assert g.nodes[("Phone", "phone:+6281101234567")]["props"]["operator"] == "Telkomsel"  # the first
    assert len(refs(g.nodes[("Person", "telco:Ani|+6281101234569")])) == 2


def test_a_node_with_two_conflicts_is_mapped_row_by_row(tmp_path, monkeypatch, taken):
    """The order of two flags depends on where the chunks begin: such a file goes row by row, the same graph."""
    (tmp_path / "ids.yaml").write_text(
        "name: ids\nnamespace: ids\ncolumns: [nik, phone, passport]\n"
        "nodes:\n  p:\n    label: Person\n    key: {column: nik, normalise: nik}\n"
        "    properties: {phone: {column: phone, normalise: phone}, passport: passport}\n",
        encoding="utf-8",
    )
    plan = tmp_path / "plan.yaml"
    plan.write_text(f"- {{definition: {tmp_path / 'ids.yaml'}, file: ids.csv}}\n")
    for body, columnwise in [("081101234567,A1\n081101234568,A1\n", True),
                             ("081101234567,A1\n081101234568,A2\n", False)]:  # fmt: skip
        rows = "".join(f"6171014101990001,{line}\n" for line in body.splitlines())
        (tmp_path / "ids.csv").write_text("nik,phone,passport\n" + rows, encoding="utf-8")
        before = len(taken())
        col, row = both_ways(plan, tmp_path, monkeypatch)
        assert (len(taken()) > before) == columnwise
        assert col[:2] == row[:2]
        flags = col[2].nodes[("Person", "ids:6171014101990001")]["flags"]
        assert sorted(flags) == (["phone_conflict"] if columnwise else ["passport_conflict", "phone_conflict"])


_MSISDN = ["+6281101234567", "0811-0123-4568", "62 811 0123 4569", "12", ""]
_NAMES = ["Siti", "SITI", "Ani", ""]
_NIKS = ["6171014101990001", "6171010101900002", "", "1001014101990001", "61710141019900"]
_sub = st.tuples(st.sampled_from(_MSISDN), st.sampled_from(_NAMES), st.sampled_from(_NIKS),
                 st.sampled_from(["XL", "Tri", ""]), st.sampled_from(["2011-10-08", "", "2013-02-30"]))  # fmt: skip


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(_sub, min_size=1, max_size=30), earlier=st.lists(_sub, max_size=4), chunk=st.integers(1, 5))
def test_fuzzed_phone_subscribers_give_the_same_graph(tmp_path_factory, monkeypatch, taken, rows, earlier, chunk):
    out = tmp_path_factory.mktemp("fuzz-subs")
    monkeypatch.setattr(bulk_graph, "CHUNK_ROWS", chunk)
    for name, lines in (("earlier.csv", [*earlier, ("12", "X", "", "", "")]), ("subs.csv", rows)):  # never alike
        (out / name).write_text(SUBSCRIBERS + "".join(",".join(r) + "\n" for r in lines), encoding="utf-8")
    (out / "plan.yaml").write_text("- {definition: phone_subscribers, file: earlier.csv}\n"
                                   "- {definition: phone_subscribers, file: subs.csv}\n")  # fmt: skip
    before = len(taken())
    col, row = both_ways(out / "plan.yaml", out, monkeypatch)
    assert "subs.csv" in taken()[before:]  # a blank row is not drawn: the file is one it takes
    assert col[:2] == row[:2]


@pytest.mark.parametrize(
    "body, why",
    [
        ('+6281101234567,"0811-0123-4568",2018-01-01 10:00:00,5,voice\n', "a quoted cell"),
        ("+6281101234567,0811-0123-4568,2018-01-01 10:00:00,5,voice\r\n", "CR LF line ends"),
        ("+6281101234567,0811-0123-4568,2018-01-01 10:00:00,5,voice\n , ,,,\n", "a blank row"),
        ("+6281101234567,0811-0123-4568,2018-01-01 10:00:00,5,voice\n\n", "an empty line"),
        ("+6281101234567,0811-0123-4568,2018-01-01 10:00:00,5,voice,extra\n", "a row longer than the header"),
    ],
)
def test_a_file_it_does_not_take_is_mapped_row_by_row(tmp_path, monkeypatch, taken, body, why):
    (tmp_path / "calls.csv").write_bytes((HEADER + body).encode("utf-8"))
    plan = tmp_path / "plan.yaml"
    plan.write_text("- {definition: call_records, file: calls.csv}\n")
    col, row = both_ways(plan, tmp_path, monkeypatch)
    assert taken() == [], why
    assert col[:2] == row[:2]


def test_only_the_shape_it_takes():
    for name in ("call_records", "money_transfers", "phone_subscribers"):
        assert columnar.plan_of(read_definition(name)) is not None, name
    for name in ("police_cases", "krebs_911", "caviar", "shelter_intake"):
        assert columnar.plan_of(read_definition(name)) is None, name


@pytest.mark.parametrize("name, file", [
    ("krebs_911_nodes", "krebs_911/krebs911_nodes.csv"),
    ("noordin_nodes", "noordin_top/noordin139_nodes.csv"),
])  # fmt: skip
def test_published_node_tables_map_to_the_same_graph(tmp_path, monkeypatch, taken, datasets, name, file):
    """Shipped definitions of published data sets that have the shape: the file as published (CR LF: row by row)
    and the same file with LF line ends (column-wise) give the row-by-row graph."""
    assert columnar.plan_of(read_definition(name)) is not None
    lf = tmp_path / "lf.csv"
    lf.write_bytes((datasets / file).read_bytes().replace(b"\r\n", b"\n"))
    for path, columnwise in ((datasets / file, False), (lf, True)):
        plan = tmp_path / "plan.yaml"
        plan.write_text(f"- {{definition: {name}, file: {path}}}\n")
        before = len(taken())
        col, row = both_ways(plan, tmp_path, monkeypatch)
        assert (taken()[before:] == [path.name]) == columnwise
        assert col[:2] == row[:2] and len(col[0][0]) > 60  # nodes


_PHONES = ["+6281101234567", "0811-0123-4568", "62 811 0123 4569", "12", "", "x", "+60190309152", "0811O"]
_DATES = ["2018-01-01 10:00:00", "2018-02-31 10:00:00", "", "2018-01-01", "2018-12-31 23:59:59"]
_SPACE = ["", " ", "\t", "\xa0", "\x1c", "\u2028", "\u3000"]
_cell = st.tuples(st.sampled_from(_SPACE), st.sampled_from(_PHONES), st.sampled_from(_SPACE)).map("".join)
_row = st.tuples(_cell, _cell, st.sampled_from(_DATES)).map(lambda t: f"{t[0]},{t[1]},{t[2]},1,voice")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(_row, min_size=1, max_size=40), chunk=st.integers(1, 7))
def test_fuzzed_call_records_give_the_same_graph(tmp_path_factory, monkeypatch, taken, rows, chunk):
    out = tmp_path_factory.mktemp("fuzz")
    before = len(taken())
    monkeypatch.setattr(bulk_graph, "CHUNK_ROWS", chunk)
    _calls(out / "calls.csv", rows)
    (out / "plan.yaml").write_text("- {definition: call_records, file: calls.csv}\n")
    col, row = both_ways(out / "plan.yaml", out, monkeypatch)
    assert len(taken()) == before + 1  # no fuzzed row makes the file one it refuses
    assert col[:2] == row[:2]  # graph, summaries and rejects files


def _column_wise(cells: list[str], spec, region: str) -> tuple[list, int]:
    import polars as pl

    value, error = columnar._read_cells(pl, pl.Series(cells, dtype=pl.String), spec, region)
    fast = columnar._fast_values(pl, pl.Series(cells, dtype=pl.String), spec, region)
    return list(zip(value.to_list(), error.to_list(), strict=True)), 0 if fast is None else len(cells) - fast.null_count()


def read_both_ways(cells: list[str], spec, region: str = "ID") -> tuple[list, list, int]:
    """Each cell read by ``columnar._read_cells`` and by the mapper's reader one by one; cells read column-wise.

    polars runs in a child: this process forks the mapping processes of later tests.
    """
    child = bulk_graph._Later(_column_wise)
    child.give(cells, spec, region)
    (ours, columnwise), _ = child.result()
    theirs = list(zip(*columnar._values(cells, spec, region), strict=True)) if cells else []
    return ours, theirs, columnwise


_CALLER = read_definition("call_records").nodes["caller"].key[0]
_START = read_definition("call_records").relationships[0].properties["date"]
_REGISTERED = read_definition("phone_subscribers").relationships[0].properties["date"]
_PHONE_FORMS = [
    "+6281101234567", "0811-0123-4568", "62 811 0123 4569", "0811.0123.4570", "+62 - 811 0123 4571", "08110123",
    "081101234567890", "0811012345678", "+628110123456789", "62811012345", "0 811 0123", "628", "0812", "12",
    "+60190309152", "(0561) 734 567", "0811\t0123 4567", "0811  0123  4567", "0811\u20280123", "0811O123456",
    "\u0660\u0668\u0661\u0661\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667", "+62811\u0660\u0661\u0662\u0663\u0664\u0665",
    "0811-0123-4567-", "-0811", "+62-", "00628110123456", " 08110123456", "08110123456 ", "+6208110123456", "x",
]  # fmt: skip
_DATE_FORMS = [
    "2018-01-01 10:00:00", "2018-12-31 23:59:59", "2018-02-29 10:00:00", "2016-02-29 00:00:00", "2018-01-01 24:00:00",
    "2018-01-01", "0000-01-01 10:00:00", "0001-01-01 00:00:00", "9999-12-31 23:59:60", "2018-1-01 10:00:00",
    "2018-01-01T10:00:00", "2018-01-01 10:00", "\u0662\u0660\u0661\u0668-01-01 10:00:00", "2018-13-01", "2018-00-10",
    "2018-01-01 10:00:00 ", "2018-01-01  10:00:00", "01/02/2018", "2018-02-30", "x",
]  # fmt: skip


@pytest.mark.parametrize("spec, forms, fast", [
    (_CALLER, _PHONE_FORMS, 10), (_START, _DATE_FORMS, 4), (_REGISTERED, _DATE_FORMS, 1),
    (dataclasses.replace(_START, format=()), _DATE_FORMS, 1),  # the default formats: ISO day first
    (dataclasses.replace(_START, format=("%Y-%m-%d %H:%M:%S", "%Y-%m-%d", "%d/%m/%Y")), _DATE_FORMS, 4),
])  # fmt: skip
def test_cells_read_column_wise_as_the_reader_reads_them(spec, forms, fast):
    """The column-wise readings (normalised phone numbers, ISO days) against the mapper's reader, cell by cell;
    ``fast``: how many of the forms were read column-wise (the rest, by the reader)."""
    ours, theirs, columnwise = read_both_ways(forms, spec)
    assert ours == theirs
    assert columnwise == fast


def test_no_column_wise_reading_outside_region_id_or_the_iso_formats():
    for spec, region in ((_CALLER, "MY"), (dataclasses.replace(_START, format=("%d/%m/%Y",)), "ID")):
        ours, theirs, columnwise = read_both_ways(["+6281101234567", "2018-01-01 10:00:00", "01/02/2018"], spec, region)
        assert ours == theirs and columnwise == 0


_part = st.sampled_from(["+62", "62", "0", "8", "+", "-", ".", " ", "  ", "\t", "\u0660", "x", "00"])
_digits = st.text(alphabet="0123456789", min_size=0, max_size=13)
_phone_cell = st.lists(st.one_of(_part, _digits), max_size=6).map("".join)
_date_cell = st.tuples(st.sampled_from(["2018", "0000", "2016", "201", "\u0662018"]), st.sampled_from(["-", "/", ""]),
                       st.sampled_from(["01", "02", "13", "1", "00"]), st.sampled_from(["-29", "-30", "-01", "-1"]),
                       st.sampled_from(["", " 10:00:00", " 23:59:59", " 24:00:00", "T10:00:00", " 10:00:00 ", " 9:00:00"]),
                       ).map("".join)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(phones=st.lists(_phone_cell, max_size=30, unique=True), dates=st.lists(_date_cell, max_size=30, unique=True))
def test_fuzzed_cells_read_column_wise_as_the_reader_reads_them(phones, dates):
    for spec, cells in ((_CALLER, phones), (_START, dates), (_REGISTERED, dates)):
        ours, theirs, _ = read_both_ways(cells, spec)
        assert ours == theirs
