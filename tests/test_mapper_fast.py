"""The fast row mapper maps every row exactly as the reference mapper does (no database).

``RowMapper`` (compiled once per definition) must give what
``ReferenceRowMapper`` (the plain reading of the definition) gives: the same
nodes and relationships in the same order, the same property dicts with the
same key order and value types, the same problems in the same order for a bad
row, the same exception for a row that crashes. Outcomes are compared as
``repr`` text, which shows all of that (``1`` vs ``1.0`` vs ``True`` too).

Rows come from every shipped definition with property-based cells (values the
definition's normalisers, formats, maps and conditions expect, and garbage:
empty, whitespace, bad dates, 'inf', '1e999', huge numbers, any unicode,
non-text cells as an .xlsx gives, header names in other cases), and from real
files: a synthetic province scenario and the shared published datasets.

Also here: ``normalize.date_parser`` agrees with ``normalize.date``, and the
CSV reader's rows agree with the reader as it was before it was made faster.

CI: GRAPHNET_MAPPER_EXAMPLES=60 examples per definition; a longer local run:
GRAPHNET_MAPPER_EXAMPLES=2000.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphnet.loading import list_definitions, normalize, parse_definition, read_definition
from graphnet.loading.definition import Definition, ValueSpec
from graphnet.loading.load import read_plan
from graphnet.loading.mapper import ReferenceRowMapper, RowMapper, RowProblems
from graphnet.loading.readers import open_table
from graphnet.schema import load_schema
from graphnet.synth.generate import generate

EXAMPLES = int(os.environ.get("GRAPHNET_MAPPER_EXAMPLES", "60"))
DEFINITIONS = [name for name, _ in list_definitions()]
_SETTINGS = settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
                     suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])  # fmt: skip


# ---------------------------------------------------------------------------
# comparing the two mappers


def outcome(mapper: ReferenceRowMapper, row: int, values: dict[str, Any]) -> tuple:
    """What mapping one row gives, as comparable text: the items, the problems, or the crash."""
    try:
        nodes, rels = mapper.map(row, values)
    except RowProblems as e:
        return ("problems", repr(e.problems), str(e))
    except Exception as e:  # noqa: BLE001 - a crash must be the same crash
        return ("error", type(e).__name__, str(e))
    return ("ok", repr(nodes), repr(rels))


def assert_same(d: Definition, rows: list[tuple[int, dict[str, Any]]], namespace: str | None = None) -> list[str]:
    """Map ``rows`` in order with both mappers (one mapper each, as a file is mapped); the outcome kinds."""
    fast, reference = RowMapper(d, "src1", namespace), ReferenceRowMapper(d, "src1", namespace)
    kinds = []
    for number, values in rows:
        before = repr(values)
        got, want = outcome(fast, number, values), outcome(reference, number, dict(values))
        assert got == want, f"{d.name} row {number} {values!r}"
        assert repr(values) == before, "the mapper changed the row it was given"
        kinds.append(got[0])
    return kinds


# ---------------------------------------------------------------------------
# fuzzed rows: cells a definition expects, and garbage

_PHONES = ["0812-3456-7890", "+62 812 3456 7891", "6281234567892", "(0561) 734 567", "60190309152", "+60 19-030 9152",
           "0812\x0b3456\u20287890", "12", "abc", "+62 8", "0062 812 3456 7890", "０８１２３４５６７８９０",
           "+1 202 555 0100"]
_NIKS = ["3171012501900001", "3171014101950002", "6171054508990003", "3171 0141 0199 0001", "3171013201990001",
         "1001014101990001", "3100014101990001", "3171000000000000", "31710141019900000", "abc", "3171014101990000"]
_DOCS = ["A1234567", "b 123-4567", "12", "KITAS-2018-001", "X" * 25, "ÄÖ12345", "12345678901"]
_NUMBERS = ["1", "2", "0.5", "3.0", "1,000", "-0", "0", "inf", "-inf", "nan", "Infinity", "1e999", "1e30", "1e-5",
            "9223372036854775807", "9223372036854775808", "-9223372036854775809", "abc", "½", "٣", "1_000"]
_DATES = ["2018-01-25", "2018-02-31", "25/01/2018", "31/02/2018", "25-01-2018", "2018-01-25 10:11:12",
          "2018-01-25T10:11:12", "2018-01-25 24:00:00", "2018-13-01", " 2018-01-25 ", "٢٠١٨-٠١-٢٥", "17/08/45"]
_WORDS = ["", " ", "\t", "\x0b", "\u2028", "\xa0", "yes", "ya", "TRUE", "no", "Siti Aminah", "siti  AMINAH, S.Pd",
          "x' }) MATCH (n) DETACH DELETE n //", "a/b/ c", "a / /b", "Ǆ", "ß", "İstanbul", "\x00", "None"]
_NON_TEXT = st.one_of(st.none(), st.dates(), st.datetimes(), st.integers(-10, 10**20), st.booleans(),
                      st.floats(allow_nan=True), st.lists(st.sampled_from(["a", "B", ""]), max_size=2))


def _schema_names(kind: str) -> list[str]:
    """Label or type names as a clerk may write them (the mapper upper-cases and joins with _)."""
    schema = load_schema()
    names = sorted(schema.nodes if kind == "label" else schema.relationships)
    return names + [n.lower().replace("_", " ") for n in names[:6]]


def _formatted_dates(spec: ValueSpec) -> list[str]:
    days = [dt.datetime(2018, 1, 25, 10, 11, 12), dt.datetime(1999, 12, 31, 23, 59, 59), dt.datetime(2020, 2, 29)]
    return [day.strftime(f) for f in (spec.format or ("%Y-%m-%d",)) for day in days]


_GOOD = {"phone": _PHONES[:6], "nik": _NIKS[:4], "passport": _DOCS[:2], "document": _DOCS[:4],
         "account": ["1199595472", "0123-01-000456-50-3", "ab12345"], "upper": ["bca", " BRI ", "kb 1234  ab"],
         "name": _WORDS}  # fmt: skip
_BAD = {"phone": _PHONES[6:], "nik": _NIKS[4:], "passport": _DOCS[2:], "document": _DOCS[4:], "account": _DOCS[4:]}


def _spec_values(spec: ValueSpec) -> tuple[list[str], list[str]]:
    """Cells a value spec expects: ``(good, bad)`` (bad: a reject, or nearly valid)."""
    good, bad = list(_GOOD.get(spec.normalise or "", [])), list(_BAD.get(spec.normalise or "", []))
    if spec.type == "date":
        good, bad = good + _formatted_dates(spec), bad + _DATES
    if spec.type in ("int", "float"):
        good, bad = good + _NUMBERS[:5], bad + _NUMBERS[5:]
    if spec.map:
        good += [*spec.map, *(k.upper() for k in spec.map)]
    if spec.split:
        good += [f"a{spec.split}b{spec.split} c", f"{spec.split}{spec.split}"]
    return good, bad


def _hints(d: Definition) -> dict[str, tuple[list[str], list[str]]]:
    """Per column (casefolded): the ``(good, bad)`` cells of the definition's specs, choices and conditions."""
    hints: dict[str, tuple[list[str], list[str]]] = {}

    def add(column: str | None, good: list[str], bad: list[str] = ()) -> None:
        if column:
            g, b = hints.setdefault(column.casefold(), ([], []))
            g.extend(good)
            b.extend(bad)

    for node in d.nodes.values():
        for spec in (*node.key, *node.fallback_key, *node.properties.values()):
            add(spec.column, *_spec_values(spec))
        add(node.label.column, list(node.label.map or {}) or _schema_names("label"))
    for rel in d.relationships:
        for spec in (*rel.key, *rel.properties.values(), *([rel.weight] if rel.weight else [])):
            add(spec.column, *_spec_values(spec))
        add(rel.type.column, list(rel.type.map or {}) or _schema_names("type"))
    for c in [n.when for n in d.nodes.values()] + [r.when for r in d.relationships]:
        if c is not None:
            add(c.column, sorted((c.values or set()) | (c.exclude or set())), ["", "other"])
    return hints


def _cell(good: list[str], bad: list[str] = (), clean: bool = False) -> st.SearchStrategy:
    """A cell: in a clean row one the definition expects; else that, a bad one or any garbage."""
    good = good or ["Siti Aminah", "A", "b 2"]
    if clean:
        return st.sampled_from(good)
    return st.one_of(st.sampled_from(good), st.sampled_from(good), st.sampled_from([*bad, *good]),
                     st.sampled_from(_WORDS + _NUMBERS + _DATES + _PHONES[:3]), st.text(max_size=12), _NON_TEXT)


@st.composite
def _row(draw: st.DrawFn, d: Definition) -> dict[str, Any]:
    """One row of ``d``: clean or noisy, some columns missing, some header names in another case
    (or twice), extra columns."""
    hints = _hints(d)
    clean = draw(st.booleans())
    row: dict[str, Any] = {}
    for column in d.all_columns or ("json",):
        cell = _cell(*hints.get(column.casefold(), ([], [])), clean=clean)
        how = draw(st.integers(0, 29))
        if how == 0:
            continue  # the column is missing
        name = {1: column.upper(), 2: column.title(), 3: f" {column}"}.get(how, column)
        row[name] = draw(cell)
        if how == 4:
            row[column.upper()] = draw(cell)  # two names, one casefold
    if draw(st.integers(0, 9)) == 0:
        row[draw(st.text(max_size=5))] = draw(_cell([]))
    return row


@pytest.mark.parametrize("name", DEFINITIONS)
def test_fast_mapper_equals_reference_on_fuzzed_rows(name):
    d = read_definition(name)
    kinds: list[str] = []

    @_SETTINGS
    @given(rows=st.lists(_row(d), min_size=1, max_size=6), namespace=st.sampled_from([None, None, "other"]))
    def check(rows, namespace):
        kinds.extend(assert_same(d, list(enumerate(rows, start=2)), namespace))

    check()
    if d.format != "ftm" and EXAMPLES >= 30:
        assert "ok" in kinds and "problems" in kinds, f"{name}: the fuzzed rows never loaded, or never failed"


# ---------------------------------------------------------------------------
# rows of real files


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("province")
    generate(out, preset="province", seed=1)
    return out / "load-plan.yaml"


def _file_rows(d: Definition, path: Path) -> list[tuple[int, dict[str, Any]]]:
    table = open_table(path, d.format, encoding=d.encoding, delimiter=d.delimiter, sheet=d.sheet,
                       expected=list(d.all_columns))  # fmt: skip
    return list(table.rows())


def test_fast_mapper_equals_reference_on_a_synthetic_province(province):
    steps = read_plan(province)
    assert len(steps) >= 10
    for d, path, namespace in steps:
        kinds = assert_same(d, _file_rows(d, path), namespace)
        assert kinds.count("ok") > len(kinds) / 2, path.name


# (definition, file under shared/datasets), as tests/test_loading_datasets.py loads them
_DATASET_FILES = [
    ("caviar", "caviar/caviar_full_undirected_edges.csv"),
    ("caviar_directed", "caviar/caviar_full_directed_edges.csv"),
    ("caviar_phases", "caviar/caviar_phases_directed_edges.csv"),
    ("caviar_nodes", "caviar/caviar_nodes.csv"),
    ("mexico_ht", "human_trafficking_mexico/htm_edges.csv"),
    ("mexico_ht_nodes", "human_trafficking_mexico/htm_nodes.csv"),
    ("krebs_911", "krebs_911/krebs911_edges.csv"),
    ("krebs_911_nodes", "krebs_911/krebs911_nodes.csv"),
    ("montagna_meetings", "montagna/montagna_meetings_edges.csv"),
    ("montagna_phones", "montagna/montagna_phonecalls_edges.csv"),
    ("montagna_nodes", "montagna/montagna_nodes.csv"),
    ("infinito", "ndrangheta_infinito/infinito_person_summit_edges.csv"),
    ("noordin_relations", "noordin_top/noordin79_edges_by_relation.csv"),
    ("noordin79_nodes", "noordin_top/noordin79_nodes.csv"),
    ("noordin_affiliations", "noordin_top/noordin139_person_affiliation_edges.csv"),
    ("noordin_relations", "noordin_top/noordin139_person_person_edges.csv"),
    ("noordin_nodes", "noordin_top/noordin139_nodes.csv"),
    ("edge_list", "caviar/caviar_phases_directed_edges.csv"),
    ("node_table", "caviar/caviar_nodes.csv"),
]


@pytest.mark.parametrize(("name", "file"), _DATASET_FILES)
def test_fast_mapper_equals_reference_on_published_datasets(name, file, datasets):
    d = read_definition(name)
    kinds = assert_same(d, _file_rows(d, datasets / file))
    assert kinds.count("ok") > len(kinds) / 2


# ---------------------------------------------------------------------------
# what the shipped definitions do not show


_CHOICES = """
name: choices
namespace: t
columns: [a, b, c, kind, rel, when, tags, flag, n, w]
nodes:
  p: {label: {column: kind, map: {org: Organization, ev: Event}, default: Organization}, key: a,
      properties: {name: a, kind: {column: tags, type: list, split: ";"}}}
  l: {label: Location, key: [{column: c, map: {x: ""}}, {value: 7, name: seven}], optional: true, global: location,
      properties: {name: {column: c, default: nowhere}, kind: {column: tags, type: bool}}}
  q: {label: Person, key: b, fallback_key: [c, {column: n, type: int}], optional: true,
      properties: {name: {column: b, default: nobody}, roles: {value: suspect}, birth_date: {column: c, type: date}},
      when: {column: when, not_in: [skip]}}
  r: {label: Person, key: a, properties: {aliases: {column: tags, split: ";"}, roles: {column: tags, type: list},
      group: {column: b, normalise: upper}, stage: {column: b, normalise: name}}}
relationships:
  - {type: LOCATED_IN, from: p, to: l, directed: false, weight: {column: w, default: "2"}}
  - {type: {column: rel, default: KNOWS}, from: q, to: r, directed: false,
     key: [{column: n, type: int}, {value: fixed, name: k}], properties: {date: {column: c, type: date}}}
  - {type: KNOWS, from: r, to: q, when: {column: flag, present: true}}
"""
_CHOICE_CELLS = {
    "a": ["A", "b", " B "], "b": ["x", "X", "Siti", ""], "c": ["x", "X", "2018-01-25", "2018-02-30", ""],
    "kind": ["org", "ORG ", "ev", "person", "zzz", ""], "when": ["skip", "SKIP", "go", ""],
    "rel": ["knows", "Associated With", "located_in", "", "RELATIVE_OF", "same as", "nope"],
    "tags": ["a;b; c", ";", "x", "yes", "1"], "flag": ["", "1"], "n": _NUMBERS, "w": _NUMBERS,
}  # fmt: skip


@_SETTINGS
@given(rows=st.lists(st.fixed_dictionaries({c: _cell(v, _NUMBERS + _WORDS) for c, v in _CHOICE_CELLS.items()}),
                     min_size=1, max_size=8))  # fmt: skip
def test_fast_mapper_equals_reference_on_chosen_labels_types_maps_and_defaults(rows):
    d = parse_definition(_CHOICES, "choices.yaml")
    assert_same(d, list(enumerate(rows, start=2)))


def test_header_names_in_any_case_and_duplicates():
    d = read_definition("call_records")
    rows = [{"caller": "0812-3456-7890", "callee": "0812-3456-7891", "start": "2018-01-25 10:11:12"},
            {"CALLER": "0812-3456-7890", "Callee": "0812-3456-7891", "start": "2018-01-25 10:11:12"},
            {"caller": "0812-3456-7890", "CALLER": "0812-3456-7899", "callee": "0812-3456-7891"},
            {"CALLER": "0812-3456-7899", "caller": "0812-3456-7890", "callee": "0812-3456-7891"},
            {"caller": "0812-3456-7890", "callee": "0812-3456-7891", "start": "2018-01-25 10:11:12"}]  # fmt: skip
    assert assert_same(d, list(enumerate(rows, start=2))) == ["ok"] * 5


def test_a_hand_built_definition_the_fast_mapper_cannot_compile_maps_as_the_reference():
    d = read_definition("call_records")
    caller = d.nodes["caller"]
    odd = dataclasses.replace(caller, key=(dataclasses.replace(caller.key[0], normalise="no_such"),))
    d = dataclasses.replace(d, nodes={**d.nodes, "caller": odd})
    kinds = assert_same(d, [(2, {"caller": "0812-3456-7890", "callee": "0812-3456-7891"}), (3, {"caller": ""})])
    assert kinds == ["error", "problems"]


def test_doctest_examples_of_the_mapper_module_hold_for_both():
    d = parse_definition("""
name: t
namespace: t
columns: [a, b, when]
nodes:
  p: {label: Person, key: a}
  q: {label: Person, key: b}
relationships:
  - {type: KNOWS, from: p, to: q, directed: false, properties: {date: {column: when, format: "%d/%m/%Y"}}}
""", "t.yaml")  # fmt: skip
    rows = [(2, {"a": "Z", "b": "A", "when": "05/03/2018"}), (3, {"a": "Z", "b": "A", "when": "31/02/2018"}),
            (4, {"a": "", "b": "A", "when": ""})]  # fmt: skip
    assert assert_same(d, rows) == ["ok", "problems", "problems"]


# ---------------------------------------------------------------------------
# normalisers and the reader


@_SETTINGS
@given(value=st.one_of(st.sampled_from(_DATES + _NUMBERS + _WORDS), st.text(max_size=20), st.dates(), st.datetimes()),
       fmt=st.sampled_from([None, "%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%d/%m/%Y", ("%d/%m/%Y", "%Y-%m-%d"),
                            ["%Y-%m-%dT%H:%M:%S"], ()]))  # fmt: skip
def test_date_parser_equals_date(value, fmt):
    def result(f):
        try:
            return f()
        except ValueError as e:
            return ("ValueError", str(e))

    assert result(lambda: normalize.date_parser(fmt)(value)) == result(lambda: normalize.date(value, fmt))


@_SETTINGS
@given(value=st.one_of(st.sampled_from(_NIKS), st.text(alphabet="0123456789 .-/", max_size=20)))
def test_nik_is_the_nik_of_nik_info(value):
    try:
        want = normalize.nik_info(value)["nik"]
    except ValueError as e:
        with pytest.raises(ValueError, match="^" + __import__("re").escape(str(e)) + "$"):
            normalize.nik(value)
    else:
        assert normalize.nik(value) == want


def _rows_before(text: str, delimiter: str, header: list[str]) -> list[tuple[int, dict[str, str]]]:
    """The CSV reader's rows as they were read before it was made faster (the oracle)."""
    r = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    next(r)
    out, number = [], 1
    for cells in r:
        number += 1
        if not any(c.strip() for c in cells):
            continue
        out.append((number, {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(header)}))
    return out


@_SETTINGS
@given(header=st.lists(st.sampled_from(["a", "b", "B", "a ", "", "c"]), min_size=1, max_size=4),
       records=st.lists(st.lists(st.sampled_from(["", " ", "x", " y ", "\x0b", "a,b", "\u2028", '"q"']), max_size=6),
                        max_size=6),
       delimiter=st.sampled_from([",", ";"]))  # fmt: skip
def test_csv_rows_equal_the_reader_before(header, records, delimiter, tmp_path_factory):
    out = io.StringIO()
    w = csv.writer(out, delimiter=delimiter)
    w.writerow([*header, "z1", "z2"])  # two named columns: the file is never read as one column
    w.writerows(records)
    path = tmp_path_factory.mktemp("csv") / "t.csv"
    path.write_text(out.getvalue(), encoding="utf-8", newline="")
    table = open_table(path, delimiter=delimiter)
    want = _rows_before(out.getvalue(), delimiter, table.columns)
    assert list(table.rows()) == want
    assert [list(v) for _, v in table.rows()] == [list(v) for _, v in want]  # key order too
    assert table.approx_rows == len(want)
