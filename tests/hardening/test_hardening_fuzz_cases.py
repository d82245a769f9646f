"""Reduced cases the hardening fuzzer found, as plain unit tests (no Neo4j).

A number column with 'inf' crashed the load (OverflowError from int(); only
ValueError became a reject); 'nan' and 'inf' in a float column (a weight, an
amount) were stored and poisoned sums and distances; a whole number over 64
bits cannot be stored by Neo4j. Each is now a reject naming the field.
"""

from __future__ import annotations

import pytest

from graphnet.loading.definition import parse_definition
from graphnet.loading.mapper import RowMapper, RowProblems

DEFINITION = """
name: numbers
namespace: t
columns: [a, b, phase, weight]
nodes:
  p: {label: Person, key: a}
  q: {label: Person, key: b}
relationships:
  - {type: KNOWS, from: p, to: q, weight: weight, key: [{column: phase, type: int}]}
"""


@pytest.mark.parametrize(
    ("phase", "weight", "field", "reason"),
    [
        ("INF", "1", "phase", "'INF' is not a whole number"),
        ("-inf", "1", "phase", "'-inf' is not a whole number"),
        ("nan", "1", "phase", "'nan' is not a whole number"),
        ("1e30", "1", "phase", "'1e30' is too large a whole number"),
        ("3", "nan", "weight", "'nan' is not a finite number"),
        ("3", "Infinity", "weight", "'Infinity' is not a finite number"),
        ("3", "1e999", "weight", "'1e999' is not a finite number"),
    ],
)
def test_non_finite_and_huge_numbers_are_rejects_not_crashes(phase, weight, field, reason):
    m = RowMapper(parse_definition(DEFINITION, "numbers.yaml"), "src")
    with pytest.raises(RowProblems) as e:
        m.map(2, {"a": "A", "b": "B", "phase": phase, "weight": weight})
    assert e.value.problems == [(field, reason)]


def test_ordinary_numbers_still_load():
    m = RowMapper(parse_definition(DEFINITION, "numbers.yaml"), "src")
    _, (rel,) = m.map(2, {"a": "A", "b": "B", "phase": "3.0", "weight": "2.5"})
    assert (rel.key, rel.weight) == ("phase=3", 2.5)


def test_one_column_file_keeps_cells_with_delimiters(tmp_path):
    """Fuzzer case ``{'name': ','}`` in a one-column file written with ';': the cell was read with the
    ',' delimiter as two empty cells, a blank row, and the row was lost. A semicolon-locale
    spreadsheet writes ``Siti Aminah, S.Pd`` unquoted the same way."""
    from graphnet.loading.readers import open_table

    cells = [",", "Siti Aminah, S.Pd", "a|b;c\td", '"quoted, with\nline break"', "\x0bx\x1f"]
    text = "name\r\n" + "\r\n".join(
        '"' + c.replace('"', '""') + '"' if c.startswith('"') or "\n" in c else c for c in cells
    ) + "\r\n"
    (tmp_path / "n.csv").write_text(text, encoding="utf-8", newline="")
    for expected in (None, ["name"]):
        t = open_table(tmp_path / "n.csv", expected=expected)
        assert (t.columns, t.delimiter) == (["name"], None)
        assert list(t.rows()) == [(i + 2, {"name": c.strip()}) for i, c in enumerate(cells)]
