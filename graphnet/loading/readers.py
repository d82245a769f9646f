"""Readers: CSV (any delimiter, UTF-8 with or without BOM, Windows-1252), .xlsx, JSON lines.

Every reader yields ``(row_number, values)`` where the row number is the one a
spreadsheet user sees (header = row 1, first data row = row 2, one number per
record even when a quoted cell spans lines; JSON lines: line number) and
``values`` maps each header name to the cell text.

Lines end where the csv module ends them: at CR, LF or CR LF only. VT, FF,
FS, GS, RS, NEL, U+2028 and U+2029 (line breaks to ``str.splitlines()``) are
cell data; like every cell, a cell is trimmed of whitespace (these characters
included) at its edges, and a row with nothing but whitespace is blank.

>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
>>> _ = p.write_bytes("nama;kota\\nSiti;Pontianak\\n".encode("utf-8-sig"))
>>> t = open_table(p)
>>> t.columns, t.delimiter, t.encoding, list(t.rows())
(['nama', 'kota'], ';', 'utf-8-sig', [(2, {'nama': 'Siti', 'kota': 'Pontianak'})])
"""

from __future__ import annotations

import codecs
import csv
import dataclasses
import datetime as _dt
import io
import json
import re
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ..errors import InputFileError

__all__ = ["Table", "open_table", "decode", "sniff_delimiter", "cell_text", "read_jsonl"]

_DELIMITERS = ",;\t|"
# A record (CSV) or a JSON line ends at CR, LF or CR LF, as the csv module and
# universal newlines see it; never split text with str.splitlines(), which
# also breaks at VT, FF, FS, GS, RS, NEL, U+2028 and U+2029 (data in a cell).
_LINE_END = re.compile(r"\r\n|\r|\n")
# Excel writes the control characters XML cannot hold as _x000B_ (and CR as _x000D_).
_OOXML_CONTROL = re.compile(r"_x00([01][0-9A-Fa-f])_")


def decode(data: bytes) -> tuple[str, str]:
    """Text and encoding of a file: UTF-16 with a BOM (Excel's "Unicode Text"), else UTF-8 (BOM
    stripped), else Windows-1252, else Latin-1.

    >>> decode("Jalan Cempaka Putih".encode("cp1252"))[1], decode("Désa".encode("cp1252"))
    ('utf-8-sig', ('Désa', 'cp1252'))
    >>> decode("nama\\tkota\\r\\nSiti\\tPontianak\\r\\n".encode("utf-16"))
    ('nama\\tkota\\r\\nSiti\\tPontianak\\r\\n', 'utf-16')
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and not data.startswith(codecs.BOM_UTF32_LE):
        try:
            return data.decode("utf-16"), "utf-16"  # the BOM says which byte order, and is dropped
        except UnicodeDecodeError:
            pass  # not UTF-16 after all: read as the bytes it is
    for enc in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes every byte")  # pragma: no cover


def sniff_delimiter(sample: str) -> str:
    """The delimiter of a CSV sample (csv.Sniffer on , ; tab |), comma when unsure.

    Lines are split where csv splits them (CR / LF), so a VT or NEL inside a
    cell does not cut the cell into two fake lines:

    >>> sniff_delimiter("a|b|c\\n1|2|3\\n"), sniff_delimiter("single\\nrow\\n")
    ('|', ',')
    >>> sniff_delimiter('c1,c2,c3\\r\\n,,"\\x1e"";"\\r\\n')
    ','
    """
    lines = [ln for ln in _LINE_END.split(sample) if ln.strip()][:50]
    if not lines:
        return ","
    try:
        return csv.Sniffer().sniff("\n".join(lines), delimiters=_DELIMITERS).delimiter
    except csv.Error:
        header = lines[0]
        counts = {d: header.count(d) for d in _DELIMITERS}
        best = max(counts, key=counts.__getitem__)
        return best if counts[best] else ","


def cell_text(value: Any) -> Any:
    """A spreadsheet cell as text: whole floats without ``.0``, dates kept as dates.

    Excel's escapes of control characters (``_x000B_``: XML cannot hold a VT)
    become the characters again, as Excel shows them.

    >>> cell_text(81234567890.0), cell_text(None), cell_text(" a "), cell_text("Siti_x000B_Aminah")
    ('81234567890', '', 'a', 'Siti\\x0bAminah')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value
    text = str(value)
    if "_x00" in text:
        text = _OOXML_CONTROL.sub(lambda m: chr(int(m.group(1), 16)), text)
    return text.strip()


@dataclasses.dataclass
class Table:
    """An opened input file: its header, how it was read, and its rows."""

    path: Path
    format: str
    columns: list[str]
    rows: Callable[[], Iterator[tuple[int, dict[str, Any]]]]
    encoding: str | None = None
    delimiter: str | None = None  # CSV; None for a one-column file (no delimiter splits its cells)
    sheet: str | None = None
    approx_rows: int | None = None


def _header_delimiter(text: str, expected: list[str] | None) -> str | None:
    """The delimiter that splits the header into the most expected column names.

    Data cells full of ``;`` or ``|`` can fool csv.Sniffer; the header, read
    against the columns the definition names, cannot.

    The header is the first record as csv reads it (CR-only line ends work).

    >>> _header_delimiter("source,target,weight\\n'; x;y;z;',b,c\\n", ["source", "target"])
    ','
    >>> _header_delimiter("a;b\\r1;2\\r", ["a", "b"])
    ';'
    """
    if not expected:
        return None
    sample = text[:65536].lstrip("\ufeff")
    want = {c.casefold() for c in expected}
    best, score = None, 0
    for d in _DELIMITERS:
        try:
            cells = next(csv.reader(io.StringIO(sample, newline=""), delimiter=d), [])
        except csv.Error:
            continue
        hits = sum(1 for c in cells if c.strip().casefold() in want)
        if hits > score:
            best, score = d, hits
    return best


def _one_column_delimiter(text: str) -> str | None:
    """For a one-column file (no delimiter splits its header), a delimiter absent from the text.

    A semicolon-locale spreadsheet writes ``Siti Aminah, S.Pd`` unquoted in a
    one-column file: read with a real delimiter, the cell would be cut (a cell
    of only ``,`` would even make a blank row). ``None`` when the header has
    several columns under some delimiter.

    >>> _one_column_delimiter("name\\nSiti Aminah, S.Pd\\n"), _one_column_delimiter("a;b\\n1;2\\n")
    ('\\x1f', None)
    """
    sample = text[:65536].lstrip("\ufeff")
    for d in _DELIMITERS:
        try:
            if len(next(csv.reader(io.StringIO(sample, newline=""), delimiter=d), [])) > 1:
                return None
        except csv.Error:
            return None
    return next((c for c in "\x1f\x1e\x1d\x1c\x00\x01\x02\x03\x04\x05\x06\x07\x08" if c not in text), None)


def _csv_table(
    path: Path, data: bytes, encoding: str | None, delimiter: str | None, expected: list[str] | None = None
) -> Table:
    if encoding:
        try:
            text, enc = data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError) as e:
            raise InputFileError(f"{path}: cannot be read as {encoding}: {e}") from None
        if text.startswith("\ufeff"):
            text = text[1:]
    else:
        text, enc = decode(data)
    lone = None if delimiter else _one_column_delimiter(text)
    delim = delimiter or lone or _header_delimiter(text, expected) or sniff_delimiter(text[:65536])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    try:
        header = next(reader)
    except StopIteration:
        raise InputFileError(f"{path}: the file is empty (no header row)") from None
    header = [h.strip() for h in header]
    if not any(header):
        raise InputFileError(f"{path}: the first row (the header) is empty")

    def records() -> Iterator[tuple[int, list[str]]]:
        """``(row number, trimmed cells)`` of every record that is not blank."""
        # Rows are numbered as a spreadsheet shows them (header = 1, one number
        # per record): a quoted cell with a line break does not shift later rows.
        r = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
        next(r)
        number = 1
        try:
            for cells in r:
                number += 1
                trimmed = [c.strip() for c in cells]
                if any(trimmed):
                    yield number, trimmed
        except csv.Error as e:
            raise InputFileError(f"{path}, row {number + 1}: not valid CSV: {e}") from None

    width = len(header)

    def rows() -> Iterator[tuple[int, dict[str, Any]]]:
        # cells past the header are dropped, missing ones are "" (a later duplicate header name wins)
        for number, cells in records():
            if len(cells) < width:
                cells += [""] * (width - len(cells))
            yield number, dict(zip(header, cells))

    # One full pass now: a malformed line (or a field over the csv module's
    # size limit) fails here, before anything is written, and the progress
    # bar gets the exact number of rows.
    n = sum(1 for _ in records())
    return Table(path, "csv", header, rows, enc, None if lone else delim, approx_rows=n)


def _xlsx_table(path: Path, sheet: str | None) -> Table:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError) as e:
        raise InputFileError(f"{path}: not a readable .xlsx workbook: {e}") from None
    if sheet is not None and sheet not in wb.sheetnames:
        raise InputFileError(f"{path}: no sheet named {sheet!r}; the sheets are: {', '.join(wb.sheetnames)}")
    ws = wb[sheet] if sheet else wb.worksheets[0]
    first = next(ws.iter_rows(min_row=1, max_row=1, values_only=True), None)
    if not first or not any(v is not None for v in first):
        raise InputFileError(f"{path}: sheet {ws.title!r} has no header in row 1")
    header = [str(cell_text(v)) for v in first]
    name = ws.title

    def rows() -> Iterator[tuple[int, dict[str, Any]]]:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            for n, values in enumerate(book[name].iter_rows(min_row=2, values_only=True), start=2):
                cells = [cell_text(v) for v in values]
                if not any(c != "" for c in cells):
                    continue
                yield n, {h: (cells[i] if i < len(cells) else "") for i, h in enumerate(header) if h}
        finally:
            book.close()

    approx = ws.max_row - 1 if ws.max_row else None
    wb.close()
    return Table(path, "xlsx", header, rows, sheet=name, approx_rows=approx)


def read_jsonl(path: Path) -> Iterator[tuple[int, Any]]:
    """``(line number, parsed object)`` of a JSON-lines file; blank lines skipped.

    A line that is not JSON yields ``(line, InputFileError)`` so the caller can
    reject it instead of losing it. Lines end at LF (CR LF, CR) only: JSON
    keeps NEL, U+2028 and U+2029 raw inside strings (``ensure_ascii=False``).
    """
    data, _ = decode(path.read_bytes())
    for n, line in enumerate(_LINE_END.split(data), start=1):
        if not line.strip():
            continue
        try:
            yield n, json.loads(line)
        except json.JSONDecodeError as e:
            yield n, InputFileError(f"not valid JSON: {e.msg} at column {e.colno}")


# Files users save under a .csv name (or without one) that are not text tables.
_NOT_CSV = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an Excel 97-2003 workbook (.xls) or another Office 97 file: "
     "open it in a spreadsheet and save it as .xlsx or CSV"),
    (b"PK\x03\x04", "a zip archive, such as an .xlsx workbook under another name: give a workbook its "
     ".xlsx extension, or save the sheet as CSV"),
    (b"%PDF-", "a PDF document: export the table from the program that made it as CSV or .xlsx"),
)


def open_table(
    path: str | Path,
    fmt: str | None = None,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
    expected: list[str] | None = None,
) -> Table:
    """Open a CSV or .xlsx file (format from ``fmt`` or the file extension).

    ``expected``: the column names a definition reads; they pick the CSV
    delimiter when none is given.
    """
    path = Path(path)
    if not path.is_file():
        raise InputFileError(f"{path}: no such file")
    fmt = fmt or ("xlsx" if path.suffix.lower() in (".xlsx", ".xlsm") else "csv")
    if fmt == "xlsx":
        return _xlsx_table(path, sheet)
    if fmt == "csv":
        data = path.read_bytes()
        for magic, what in _NOT_CSV:
            if data.startswith(magic):
                raise InputFileError(f"{path}: not a CSV file but {what}")
        return _csv_table(path, data, encoding, delimiter, expected)
    raise InputFileError(f"{path}: format {fmt!r} is not a table (csv or xlsx)")
