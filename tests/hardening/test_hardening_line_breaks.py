"""Hardening (a), reduced: line-break characters that only Python thinks break lines.

``str.splitlines()`` ends a line at VT, FF, FS, GS, RS, NEL, LINE SEPARATOR
and PARAGRAPH SEPARATOR as well as at CR and LF; the csv module (and JSON
lines) end a record only at CR / LF. A reader that splits text with
``splitlines()`` therefore disagrees with csv about where rows end: the
delimiter sniffer saw cell fragments as lines and chose a wrong delimiter (the
load then failed with "missing required columns"), and a JSON line with a raw
U+2028 in a string became two broken lines.

These characters are data: inside a cell they are kept verbatim; at the edge
of a cell they are trimmed like any other whitespace (``str.strip``), the way
every cell is trimmed; a row with nothing else in it is a blank row (skipped,
its number kept, as for any blank row). Row numbers stay the spreadsheet's:
header = 1, one number per CSV record.
"""

from __future__ import annotations

import csv
import io
import json

import openpyxl
import pytest

from graphnet.loading import load_file, normalize
from graphnet.loading.readers import open_table, read_jsonl, sniff_delimiter

from hardening_data import provenance_rows, reject_rows

BREAKS = {
    "VT": "\x0b",
    "FF": "\x0c",
    "FS": "\x1c",
    "GS": "\x1d",
    "RS": "\x1e",
    "NEL": "\x85",
    "LS": "\u2028",
    "PS": "\u2029",
}
DELIMITERS = {"comma": ",", "semicolon": ";", "tab": "\t", "pipe": "|"}
COLUMNS = ["name", "address", "note"]


def _representable(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def _cases():
    for cname, ch in BREAKS.items():
        for dname, d in DELIMITERS.items():
            for enc in ("utf-8", "utf-8-sig", "cp1252"):
                if _representable(ch, enc):  # cp1252 has no NEL, LS, PS (its byte 0x85 is '...')
                    yield pytest.param(ch, d, enc, id=f"{cname}-{dname}-{enc}")


def _rows(ch: str, d: str) -> tuple[list[list[str]], list[tuple[int, dict[str, str]]]]:
    """Cells with ``ch`` inside (unquoted and quoted), at the edges, alone; and what the reader gives."""
    other = ";" if d != ";" else ","
    rows = [
        COLUMNS,
        # unquoted cells (ch needs no quotes) and quoted ones (a quote; the delimiter and a line feed);
        # the quoted text after ch starting with a quote and another delimiter fooled the sniffer
        [f"Siti{ch}Aminah", f"Jl. Mawar 3{ch}RT 01", f'tel.{ch}"{other} 0812"'],
        ["Budi", f"Gg. Melati{ch}4", f"RT 01{d} RW 02{ch}\nno. 4"],  # two physical lines: still row 3
        [f"{ch}Wayan{ch}", f"{ch}", f"{ch}{ch}x"],  # at the edges: trimmed like spaces
        [f"{ch}", "", f"{ch} {ch}"],  # nothing but ch: a blank row, skipped, number 5 kept
        ["Ucok", "Désa Pontianak", "end"],  # é: a cp1252 file is not valid UTF-8
    ]
    expected = [
        (2, {"name": f"Siti{ch}Aminah", "address": f"Jl. Mawar 3{ch}RT 01", "note": f'tel.{ch}"{other} 0812"'}),
        (3, {"name": "Budi", "address": f"Gg. Melati{ch}4", "note": f"RT 01{d} RW 02{ch}\nno. 4"}),
        (4, {"name": "Wayan", "address": "", "note": "x"}),
        (6, {"name": "Ucok", "address": "Désa Pontianak", "note": "end"}),
    ]
    return rows, expected


def _csv_text(rows: list[list[str]], d: str, lineterminator: str = "\r\n") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=d, lineterminator="\r\n").writerows(rows)
    # (csv.writer quotes a cell with LF only when LF is in its lineterminator; cells here hold no CR LF)
    return out.getvalue().replace("\r\n", lineterminator)


@pytest.mark.parametrize(("ch", "d", "enc"), list(_cases()))
def test_break_characters_are_cell_data(ch, d, enc, tmp_path):
    rows, expected = _rows(ch, d)
    text = _csv_text(rows, d)
    path = tmp_path / "f.csv"
    path.write_bytes(text.encode(enc))
    assert sniff_delimiter(text) == d
    for want in (None, COLUMNS):  # sniffed, and picked by the definition's column names
        t = open_table(path, expected=want)
        assert (t.delimiter, t.columns, t.encoding) == (d, COLUMNS, "cp1252" if enc == "cp1252" else "utf-8-sig")
        assert list(t.rows()) == expected
        assert t.approx_rows == len(expected)


@pytest.mark.parametrize("d", DELIMITERS.values(), ids=DELIMITERS.keys())
def test_latin1_nel_and_cr_only_line_ends(d, tmp_path):
    """Byte 0x85 is NEL in a Latin-1 file (one with bytes cp1252 lacks); old Mac files end lines with CR only."""
    rows, expected = _rows("\x85", d)
    rows[5][2] = "end\x81"  # 0x81 is undefined in cp1252: the file is read as Latin-1
    expected[3][1]["note"] = "end\x81"
    for terminator in ("\r\n", "\r", "\n"):
        text = _csv_text(rows, d, terminator)
        path = tmp_path / "latin.csv"
        path.write_bytes(text.encode("latin-1"))
        for want in (None, COLUMNS):
            t = open_table(path, expected=want)
            assert (t.delimiter, t.columns, t.encoding) == (d, COLUMNS, "latin-1")
            assert list(t.rows()) == expected
        # the same file named with an explicit encoding (definition `encoding: latin-1`)
        assert list(open_table(path, encoding="latin-1", expected=COLUMNS).rows()) == expected


def test_sniffer_minimal_case():
    """The reduced fuzzer failure: a cell ``RS";`` made the sniffer answer ';' for a comma file."""
    assert sniff_delimiter('c1,c2,c3\r\n,,"\x1e"";"\r\n') == ","


@pytest.mark.parametrize("ch", BREAKS.values(), ids=BREAKS.keys())
def test_json_lines_split_only_at_line_feeds(ch, tmp_path):
    """JSON lines end at LF (CR LF): a raw NEL / LS / PS inside a string is data (json.dumps keeps them
    raw with ensure_ascii=False); a control character outside a string is a bad line, rejected by number."""
    entities = [{"id": f"p{i}", "schema": "Person", "properties": {"name": [f"Siti{ch}Aminah {i}"]}} for i in range(3)]
    lines = [json.dumps(e, ensure_ascii=False) for e in entities]
    if ch in "\x85\u2028\u2029":
        assert ch in lines[0]  # raw in the file, not \\u escaped
    else:
        lines[0] = lines[0].replace(json.dumps(ch)[1:-1], ch)  # a raw control character: not valid JSON
    lines.insert(2, f"{ch}{lines[1]}")  # line 3: ch before the object
    path = tmp_path / "e.ftm.jsonl"
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    got = list(read_jsonl(path))
    assert [n for n, _ in got] == [1, 2, 3, 4]
    if ch in "\x85\u2028\u2029":
        assert got[0][1] == entities[0]
    else:
        assert isinstance(got[0][1], Exception)
    assert got[1][1] == entities[1] and got[3][1] == entities[2]
    assert isinstance(got[2][1], Exception)  # not JSON whitespace: the line is rejected, not split


def test_xlsx_cells_keep_break_characters(tmp_path):
    """Excel stores control characters as ``_xHHHH_`` (XML cannot hold them); NEL, LS, PS are stored as they are."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(COLUMNS)
    ws.append(["Siti_x000B_Aminah", "Jl. Mawar_x000C_3", "a_x001C_b_x001D_c_x001E_d"])
    ws.append(["Budi\x85Santoso", "Gg.\u2028Melati", "x\u2029y"])
    ws.append(["line_x000D_\nbreak", "tab_x0009_here", "no_x00 escape _x2028_"])
    wb.save(tmp_path / "f.xlsx")
    t = open_table(tmp_path / "f.xlsx")
    assert list(t.rows()) == [
        (2, {"name": "Siti\x0bAminah", "address": "Jl. Mawar\x0c3", "note": "a\x1cb\x1dc\x1ed"}),
        (3, {"name": "Budi\x85Santoso", "address": "Gg.\u2028Melati", "note": "x\u2029y"}),
        (4, {"name": "line\r\nbreak", "address": "tab\there", "note": "no_x00 escape _x2028_"}),
    ]


@pytest.mark.parametrize("ch", BREAKS.values(), ids=BREAKS.keys())
def test_normalisers_treat_break_characters_as_whitespace(ch):
    """Identifiers drop it as a separator (the full phonenumbers parse too, not only the fast mobile
    path: it rejected '(0561)<VT>734 567'); ``upper`` and ``name`` collapse it to one space."""
    assert normalize.phone(f"0812{ch}3456{ch}7890") == "+6281234567890"
    assert normalize.phone(f"(0561){ch}734{ch}567") == "+62561734567"
    assert normalize.phone(f"+60{ch}19 030 9152") == "+60190309152"
    assert normalize.nik(f"3171{ch}0125{ch}0190{ch}0001") == "3171012501900001"
    assert normalize.passport(f"b{ch}1234567") == normalize.document(f"b{ch}1234567") == "B1234567"
    assert normalize.account(f"0123{ch}4567") == "01234567"
    assert normalize.upper(f"kb{ch}{ch}1234 {ch}ab") == "KB 1234 AB"
    assert normalize.name(f"Siti{ch}NURHALIZA,{ch}S.Pd") == "siti nurhaliza s pd"


@pytest.mark.neo4j
@pytest.mark.parametrize("ch", BREAKS.values(), ids=BREAKS.keys())
def test_loaded_values_round_trip(ch, db, tmp_path):
    """What Neo4j stores: text properties keep ch verbatim (a key with ch is its own uid); identifier
    normalisers (phone, NIK, account) drop it as a separator; ``upper`` collapses it to one space."""
    enc = "cp1252" if _representable(ch, "cp1252") else "utf-8"
    guests = [
        ["lodging_name", "lodging_address", "operator_name", "operator_phone", "guest_name", "guest_nik",
         "guest_phone", "check_in"],
        [f"Losmen{ch}Mawar", f"Jl. A{ch}1; RT 2", f"Pak{ch}Ucok", f"0812{ch}3456{ch}7890", f"Siti{ch}Aminah",
         f"3171{ch}0125{ch}0190{ch}0001", f" {ch}0813-1111-2222{ch}", "25-01-2018"],
        [f"Losmen{ch}Mawar", f"Jl. A{ch}1; RT 2", "", "", f"{ch}", f"{ch}", "", "26-01-2018"],  # no guest key
    ]  # fmt: skip
    path = tmp_path / "guests.csv"
    path.write_bytes(_csv_text(guests, ";").encode(enc))
    s = load_file(db, "lodging_guests", path, rejects_dir=tmp_path)
    assert (s.rows_read, s.rows_loaded, s.rows_rejected) == (2, 1, 1)
    assert provenance_rows(db, s.source) == {2} and reject_rows(s.rejects_file) == {3}
    with open(s.rejects_file, newline="", encoding="utf-8") as fh:
        (rej,) = list(csv.DictReader(fh))
    assert rej["row"] == "3" and rej["guest_nik"] == "" and rej["lodging_name"] == f"Losmen{ch}Mawar"
    lodging = db.read("MATCH (l:Lodging) RETURN l.uid AS uid, l.name AS name, l.address AS address")
    assert lodging == [{"uid": f"lodging:Losmen{ch}Mawar|Jl. A{ch}1; RT 2", "name": f"Losmen{ch}Mawar",
                        "address": f"Jl. A{ch}1; RT 2"}]  # fmt: skip
    guest = db.read("MATCH (p:Person {nik: '3171012501900001'}) RETURN p.name AS name, p.phone AS phone")
    assert guest == [{"name": f"Siti{ch}Aminah", "phone": "+6281311112222"}]
    operator = db.read("MATCH (p:Person)-[:USES]->(f:Phone) WHERE 'lodging_operator' IN p.roles "
                       "RETURN p.name AS name, f.uid AS phone")  # fmt: skip
    assert operator == [{"name": f"Pak{ch}Ucok", "phone": "phone:+6281234567890"}]

    transfers = [
        ["tx_id", "date", "sender_name", "sender_account", "sender_bank", "receiver_name", "receiver_account",
         "receiver_bank", "amount", "currency"],
        [f"T{ch}1", "2018-01-25", f"Siti{ch}Aminah", f"0123{ch}4567", f"bank{ch}{ch}jateng", "Budi",
         "99887766", "BCA", "150000", f"{ch}idr"],
    ]  # fmt: skip
    path = tmp_path / "transfers.csv"
    path.write_bytes(_csv_text(transfers, "|").encode(enc))
    s = load_file(db, "money_transfers", path, rejects_dir=tmp_path)
    assert (s.rows_read, s.rows_loaded, s.rows_rejected) == (1, 1, 0)
    acct = db.read("MATCH (a:Account {number: '01234567'}) RETURN a.uid AS uid, a.bank AS bank")
    assert acct == [{"uid": "account:BANK JATENG|01234567", "bank": "BANK JATENG"}]
    paid = db.read("MATCH ()-[r:PAID]->() RETURN r.currency AS c, r.amount AS a")
    assert paid == [{"c": "IDR", "a": 150000.0}]
