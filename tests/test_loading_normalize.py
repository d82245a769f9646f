"""Normalisers and readers as pure functions (no database)."""

from __future__ import annotations

import datetime as dt

import openpyxl
import phonenumbers
import pytest

from graphnet.errors import DefinitionError, InputFileError
from graphnet.loading import normalize as N
from graphnet.loading import parse_definition
from graphnet.loading.readers import decode, open_table


@pytest.mark.parametrize("raw", ["0812-3456-7890", "62 812 3456 7890", "6281234567890", "+62 812-3456-7890",
                                 "(0812) 3456.7890", "0062 812 3456 7890"])
def test_indonesian_phone_forms_are_one_e164_number(raw):
    assert N.phone(raw) == "+6281234567890"
    # the independent check: phonenumbers' own formatting of the international form
    assert N.phone(raw) == phonenumbers.format_number(
        phonenumbers.parse("+6281234567890"), phonenumbers.PhoneNumberFormat.E164)


def test_foreign_numbers_keep_their_country():
    assert N.phone("+60 19-030 9152") == "+60190309152"
    assert N.phone("60190309152") == "+60190309152"  # Malaysian, written without the plus


@pytest.mark.parametrize("raw", ["", "12", "abc"])
def test_impossible_phones_are_rejected_with_a_reason(raw):
    with pytest.raises(ValueError, match="phone"):
        N.phone(raw)


def test_nik_decodes_region_sex_and_birth_date():
    info = N.nik_info("6171054508990003")  # Kalimantan Barat, woman born 05-08-(19)99
    assert info == {"nik": "6171054508990003", "province": "Kalimantan Barat", "sex": "F", "birth": "05-08", "yy": "99"}
    assert N.nik_info("3171011708450001")["sex"] == "M"


@pytest.mark.parametrize(("raw", "reason"), [
    ("317101170845000", "16 digits, found 15"),
    ("31710117084500012", "16 digits, found 17"),
    ("3171O11708450001", "digits only"),
    ("9971011708450001", "99 is not an Indonesian province code"),
    ("3100011708450001", "regency code 00"),
    ("3171001708450001", "district code 00"),
    ("3171013208450001", "day 32 is neither"),
    ("3171017208450001", "day 72 is neither"),
    ("3171011713450001", "month 13"),
    ("3171013002450001", "30-02-45 does not exist"),
    ("3171017102450001", "31-02-45 does not exist"),   # a woman (71 = 31 + 40) born on 31 February
    ("3171011708450000", "serial number 0000"),
])
def test_impossible_niks_are_rejected_with_the_reason(raw, reason):
    with pytest.raises(ValueError, match=reason.replace("(", r"\(")):
        N.nik(raw)


def test_nik_29_february_only_in_a_leap_year():
    assert N.nik("3171012902000001")  # 2000 is a leap year
    with pytest.raises(ValueError, match="29-02-01 does not exist"):
        N.nik("3171012902010001")


def test_passport_account_document_dates():
    assert N.passport(" b-1234567 ") == "B1234567" == N.document("B 1234567")
    with pytest.raises(ValueError):
        N.passport("ABCDEFG")
    assert N.account("0123 4567 89") == "0123456789"
    assert N.date("05-03-2018", "%d-%m-%Y") == "2018-03-05"
    assert N.date(dt.datetime(2018, 3, 5, 10, 0)) == "2018-03-05"
    with pytest.raises(ValueError, match="does not match"):
        N.date("2018-02-30", "%Y-%m-%d")


def test_decode_detects_utf8_bom_and_windows_1252():
    assert decode("\ufeffnama\n".encode("utf-8"))[0] == "\ufeffnama\n"[1:]
    text, enc = decode("Désa Sakra – Lombok".encode("cp1252"))
    assert (text, enc) == ("Désa Sakra – Lombok", "cp1252")
    assert decode("Désa".encode("utf-8")) == ("Désa", "utf-8-sig")


def test_csv_delimiters_and_xlsx(tmp_path):
    for delim in [",", ";", "\t", "|"]:
        p = tmp_path / f"t{ord(delim)}.csv"
        p.write_text(f"a{delim}b\n1{delim}2\n3{delim}\n", encoding="utf-8")
        t = open_table(p)
        assert t.delimiter == delim and list(t.rows()) == [(2, {"a": "1", "b": "2"}), (3, {"a": "3", "b": ""})]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Register"
    ws.append(["msisdn", "registered_on"])
    ws.append([6281234567890, dt.datetime(2018, 3, 5)])
    ws.append([None, None])
    ws.append(["0812 1", None])
    wb.save(tmp_path / "r.xlsx")
    t = open_table(tmp_path / "r.xlsx")
    assert t.columns == ["msisdn", "registered_on"] and t.sheet == "Register"
    assert list(t.rows()) == [(2, {"msisdn": "6281234567890", "registered_on": dt.datetime(2018, 3, 5)}),
                              (4, {"msisdn": "0812 1", "registered_on": ""})]
    with pytest.raises(InputFileError, match="no sheet named 'Nope'; the sheets are: Register"):
        open_table(tmp_path / "r.xlsx", sheet="Nope")


BASE = """name: t
namespace: t
columns: [a, b, when]
nodes:
  p: {label: Person, key: a}
  q: {label: Person, key: b}
relationships:
  - {type: KNOWS, from: p, to: q}
"""


@pytest.mark.parametrize(("old", "new", "line", "message"), [
    ("label: Person, key: a", "label: Persn, key: a", 5, "unknown label 'Persn'"),
    ("type: KNOWS", "type: KNOWZ", 8, "unknown relationship type 'KNOWZ'"),
    ("key: b}", "key: c}", 6, "unknown column 'c'"),
    ("key: a}", "key: a, properties: {shoe_size: a}}", 5, "no property 'shoe_size'"),
    ("key: a}", "key: a, properties: {nik: {column: a, normalise: nix}}}", 5, "unknown normaliser 'nix'"),
    ("to: q}", "to: r}", 8, "unknown node alias 'r'"),
    ("q: {label: Person, key: b}", "q: {label: Case, key: b}", 8, "KNOWS cannot go from Person to Case"),
    ("key: a}", "key: a, colour: red}", 5, "unknown field 'colour'"),
])
def test_definition_errors_name_the_line(old, new, line, message):
    text = BASE.replace(old, new, 1)
    assert text != BASE
    with pytest.raises(DefinitionError) as e:
        parse_definition(text, "bad.yaml")
    assert e.value.line == line and message in str(e.value) and str(e.value).startswith(f"bad.yaml, line {line}: ")


def test_yaml_syntax_error_names_the_line():
    with pytest.raises(DefinitionError, match=r"bad.yaml, line \d+: not valid YAML"):
        parse_definition(BASE + "  - {type: KNOWS, from: p\n", "bad.yaml")


def test_fast_mobile_path_agrees_with_the_full_phonenumbers_parse():
    import random

    rnd = random.Random(5)
    checked = 0
    for _ in range(3000):
        national = "8" + "".join(rnd.choice("0123456789") for _ in range(rnd.randint(6, 13)))
        for form in (f"0{national}", f"62{national}", f"+62{national}", f"+62 {national[:3]}-{national[3:7]}-{national[7:]}",
                     f"0{national[:3]}.{national[3:]}"):
            fast = N._fast_indonesian_mobile(form)
            if fast is None:
                continue
            checked += 1
            full = phonenumbers.parse("+62" + national)
            assert phonenumbers.is_possible_number(full), form
            assert fast == phonenumbers.format_number(full, phonenumbers.PhoneNumberFormat.E164)
    assert checked > 5000


def test_fast_iso_dates_agree_with_strptime():
    for raw in ["2018-02-28", "2018-02-29", "2016-02-29", "2018-13-01", "2018-1-01", "2018-04-31"]:
        try:
            want = dt.datetime.strptime(raw, "%Y-%m-%d").date().isoformat()
        except ValueError:
            want = None
        assert N._parse_date(raw, "%Y-%m-%d") == want, raw
    for raw in ["2018-04-06 10:03:48", "2018-04-06 24:00:00", "2018-02-30 10:00:00", "2018-04-06 9:03:48"]:
        try:
            want = dt.datetime.strptime(raw, "%Y-%m-%d %H:%M:%S").date().isoformat()
        except ValueError:
            want = None
        assert N._parse_date(raw, "%Y-%m-%d %H:%M:%S") == want, raw


def test_a_malformed_csv_fails_when_opened_naming_the_row(tmp_path):
    p = tmp_path / "big.csv"
    p.write_text("a,b\n1,2\n3," + "x" * 200_000 + "\n", encoding="utf-8")
    with pytest.raises(InputFileError, match=r"big.csv, row 3: not valid CSV: field larger than field limit"):
        open_table(p)


def test_rows_are_numbered_as_a_spreadsheet_shows_them(tmp_path):
    p = tmp_path / "m.csv"
    p.write_text('a,b\n1,"two\nlines"\n\n3,4\n', encoding="utf-8")
    assert [n for n, _ in open_table(p).rows()] == [2, 4]  # the blank line is row 3, as a spreadsheet shows it
