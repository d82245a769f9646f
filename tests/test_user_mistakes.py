"""A user's mistake (the wrong file, the wrong folder, an odd spreadsheet) gets one clear line, never a trace.

Files saved from Excel in another format, output paths through a file, a
bundle folder that is not a bundle, and names that would drive a terminal.
"""

from __future__ import annotations

import csv
import io
import os
import zipfile

import pytest
from click.testing import CliRunner

from graphnet.cli import main
from graphnet.errors import GraphnetError, InputFileError
from graphnet.evidence.custody import read_bundle
from graphnet.loading.readers import open_table
from graphnet.outputs import write_output
from graphnet.terminal import shown

ROWS = [["nama", "kota"], ["Siti Aminah", "Pontianak"], ["Dewi Lestari", "Entikong"]]


def _csv_text(delimiter: str = ",") -> str:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(ROWS)
    return buf.getvalue()


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_excel_unicode_text_utf16_with_bom_is_read(tmp_path, encoding):
    """Excel's "Unicode Text" is UTF-16 with a BOM, tab-separated: read as the text it holds."""
    p = tmp_path / "t.txt"
    data = _csv_text("\t").encode(encoding)
    if encoding != "utf-16":  # the explicit byte orders write no BOM: add the one Excel writes
        data = ("\ufeff" + _csv_text("\t")).encode(encoding)
    p.write_bytes(data)
    t = open_table(p, "csv", expected=["nama", "kota"])
    assert (t.encoding, t.delimiter, t.columns) == ("utf-16", "\t", ["nama", "kota"])
    assert [v for _, v in t.rows()] == [dict(zip(ROWS[0], r)) for r in ROWS[1:]]


def test_utf16_looking_bytes_that_are_not_utf16_fall_back(tmp_path):
    p = tmp_path / "t.csv"
    p.write_bytes(b"\xff\xfe" + b"a,b\n1,2\n" + b"\x00\xd8")  # a lone surrogate: not UTF-16
    t = open_table(p)
    assert (t.encoding, t.columns) == ("cp1252", ["\xff\xfea", "b"])


@pytest.mark.parametrize(
    ("magic", "says"),
    [(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Excel 97-2003 workbook (.xls)"), (b"PK\x03\x04", "zip archive"),
     (b"%PDF-1.7", "PDF document")],
)
def test_a_workbook_or_pdf_under_a_csv_name_is_named_for_what_it_is(tmp_path, magic, says):
    p = tmp_path / "police.csv"
    p.write_bytes(magic + b"\x00" * 64)
    with pytest.raises(InputFileError, match=rf"{p}: not a CSV file but an? {says.split()[0]}") as e:
        open_table(p)
    assert says in str(e.value)


def test_a_broken_xlsx_is_one_line(tmp_path):
    p = tmp_path / "cases.xlsx"
    p.write_bytes(b"this is no workbook")
    with pytest.raises(InputFileError, match=r"cases\.xlsx: not a readable \.xlsx workbook"):
        open_table(p)
    z = tmp_path / "empty.xlsx"
    with zipfile.ZipFile(z, "w") as f:
        f.writestr("hello.txt", "a zip, not a workbook")
    with pytest.raises(InputFileError, match=r"empty\.xlsx: not a readable \.xlsx workbook"):
        open_table(z)


def test_shown_escapes_what_a_terminal_would_run_and_keeps_every_script():
    assert shown("\x1b[2J\x1b]52;c;aGk=\x07") == "\\x1b[2J\\x1b]52;c;aGk=\\x07"
    assert shown("abc\u202edef\u2066x\u2069") == "abc\\u202edef\\u2066x\\u2069"
    kept = "Désa Sünde 王芳 สมชาย محمد\u00a0Siti\u200dAni [b]x[/b] :cat:"
    assert shown(kept) == kept
    assert shown("a\nb\tc", keep="\n") == "a\nb\\tc"
    for cp in range(0x250):  # every C0/C1 control, and nothing printable, is escaped
        ch = chr(cp)
        assert (shown(ch) != ch) == (not ch.isprintable() and ch not in "\xa0\xad"), hex(cp)


def test_write_output_makes_folders_and_names_the_blocking_file(tmp_path):
    out = write_output(tmp_path / "a" / "b" / "r.html", "<p>é</p>")
    assert out.read_bytes() == "<p>é</p>".encode("utf-8")
    assert sorted(p.name for p in out.parent.iterdir()) == ["r.html"]
    write_output(out, b"\x89PNG")  # replaced whole
    assert out.read_bytes() == b"\x89PNG"
    with pytest.raises(GraphnetError, match=rf"cannot write {out}/x\.html: {out} is a file, not a folder"):
        write_output(out / "x.html", "no")
    with pytest.raises(GraphnetError, match=r"it is a folder; give a file name"):
        write_output(tmp_path / "a", "no")
    assert out.read_bytes() == b"\x89PNG"


def _bundle(tmp_path):
    b = tmp_path / "bundle"
    b.mkdir()
    (b / "manifest.json").write_text('{"files": {}, "digest": "x"}')
    (b / "nodes.csv").write_text("uid\n")
    return b


def test_a_bundle_folder_with_a_link_or_a_fifo_is_refused_naming_it(tmp_path):
    b = _bundle(tmp_path)
    assert set(read_bundle(b)) == {"manifest.json", "nodes.csv"}
    outside = tmp_path / "secret.txt"
    outside.write_text("not in the bundle")
    (b / "sources").mkdir()
    (b / "sources" / "link.csv").symlink_to(outside)
    with pytest.raises(GraphnetError, match=r"sources/link\.csv: a symbolic link inside the bundle"):
        read_bundle(b)
    (b / "sources" / "link.csv").unlink()
    (b / "dirlink").symlink_to(tmp_path, target_is_directory=True)
    with pytest.raises(GraphnetError, match=r"dirlink: a symbolic link inside the bundle"):
        read_bundle(b)
    (b / "dirlink").unlink()
    os.mkfifo(b / "pipe")
    with pytest.raises(GraphnetError, match=r"pipe: neither a folder nor a regular file"):
        read_bundle(b)


def test_verify_of_a_folder_that_is_no_bundle_reads_nothing_and_says_so(tmp_path):
    (tmp_path / "work").mkdir()
    (tmp_path / "work" / "big.bin").write_bytes(b"\x00" * 1000)
    os.mkfifo(tmp_path / "work" / "pipe")  # read through, this would block: the check comes first
    r = CliRunner().invoke(main, ["evidence", "verify", str(tmp_path / "work")])
    assert r.exit_code == 1
    assert r.output.strip().splitlines() == [
        f"Error: {tmp_path / 'work'}: no manifest.json: not an evidence bundle, or its manifest was removed"
    ]


def test_verify_prints_a_hostile_file_name_escaped(tmp_path):
    b = _bundle(tmp_path)
    (b / "x\x1b]0;pwned\x07.csv").write_text("added")
    r = CliRunner().invoke(main, ["evidence", "verify", str(b), "--no-sources"])
    assert r.exit_code == 1
    text = r.output  # stdout and stderr
    assert "\x1b" not in text and "\x07" not in text
    assert "x\\x1b]0;pwned\\x07.csv" in text
