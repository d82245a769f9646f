"""report.pdf draws names outside Latin-1 exactly (embedded DejaVu Sans) and marks, visibly, what it cannot draw.

The text is read back from the PDF itself: the PDF is uncompressed, so the
content streams and each font's ToUnicode map can be parsed here without a PDF
library (none is a dependency).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from graphnet.evidence import formats, report
from graphnet.evidence.selection import Subgraph

ROOT = Path(__file__).resolve().parents[1]
SHA = "ab" * 32
NAMES = {
    "p:vn": "Nguyễn Thị Hằng",
    "p:pl": "Łukasz Dvořák",
    "p:ru": "Иван Петров",
    "p:tr": "Şükrü Öztürk",
    "p:gr": "Γιώργος Παπαδόπουλος",
    "p:q": "“Mama” Ana – Brașov…",
}
CJK = "王秀英"
ARABIC = "محمد"


def _subgraph(extra: dict[str, str]) -> Subgraph:
    names = {**NAMES, **extra}
    nodes = {uid: {"label": "Person", "name": n, "roles": ["suspect" if uid == "p:pl" else "victim"], "src": [f"s:1:{i + 2}"]}
             for i, (uid, n) in enumerate(names.items())}
    edges = [{"type": "RECRUITED", "source": "p:pl", "target": uid, "key": "", "src": ["s:1:2"]} for uid in names if uid != "p:pl"]
    sources = {"s:1": {"path": "police/Łódź – výslech.csv", "sha256": SHA, "loaded_at": "2024-01-02", "rows": 9}}
    return Subgraph(nodes=nodes, edges=edges, sources=sources, seeds=["p:pl"], paths=[], selection={"around": "p:pl", "hops": 1})


def _pdf(extra: dict[str, str] | None = None) -> bytes:
    sub = _subgraph(extra or {})
    G = formats.to_networkx(sub)
    return report.report_pdf(report.report_context(sub, G, report.view_svg(G)))


_ESC = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f", b"(": b"(", b")": b")", b"\\": b"\\"}


def _literal(raw: bytes) -> bytes:
    """The bytes of a PDF literal string body (escapes resolved)."""
    return re.sub(rb"\\([0-7]{1,3}|.)", lambda m: bytes([int(m[1], 8)]) if m[1][:1].isdigit() else _ESC.get(m[1], m[1]),
                  raw, flags=re.S)


def pdf_text(data: bytes) -> list[str]:
    """The text lines of an uncompressed fpdf2 PDF with Type0 (Identity-H) fonts, via each font's ToUnicode map."""
    objs = {int(n): body for n, body in re.findall(rb"(\d+) 0 obj\s(.*?)endobj", data, re.S)}

    def stream(n: int) -> bytes:
        return re.search(rb"stream\r?\n(.*?)\r?\nendstream", objs[n], re.S)[1]

    to_unicode = {}
    for name, ref in re.findall(rb"/(F\d+) (\d+) 0 R", data):
        cmap = stream(int(re.search(rb"/ToUnicode (\d+) 0 R", objs[int(ref)])[1]))
        assert b"bfrange" not in cmap
        to_unicode[name.decode()] = {int(src, 16): bytes.fromhex(dst.decode()).decode("utf-16-be")
                                     for src, dst in re.findall(rb"<([0-9A-Fa-f]{4})> <([0-9A-Fa-f]+)>", cmap)}
    lines, font = [], None
    for n in sorted(objs):
        if b"stream" not in objs[n] or b" Tf" not in objs[n]:
            continue
        for m in re.finditer(rb"/(F\d+) [\d.]+ Tf|BT [\d.]+ [\d.]+ Td (\[.*?\] TJ|\((?:\\.|[^\\)])*\) Tj) ET", stream(n), re.S):
            if m[1]:
                font = m[1].decode()
                continue
            codes = b"".join(_literal(s) for s in re.findall(rb"\(((?:\\.|[^\\)])*)\)", m[2], re.S))
            lines.append("".join(to_unicode[font][int.from_bytes(codes[i:i + 2], "big")] for i in range(0, len(codes), 2)))
    return lines


def test_names_outside_latin1_survive_exactly_in_the_pdf():
    data = _pdf()
    text = "\n".join(pdf_text(data))
    for uid, name in NAMES.items():
        assert f"{name} [{uid}]" in text, name
    assert "police/Łódź – výslech.csv" in text
    assert report.MARK not in text and "could not be drawn" not in text
    assert b"/FontFile2" in data and b"+DejaVuSans" in data and b"Helvetica" not in data


def test_characters_without_glyph_or_needing_shaping_are_marked_and_the_pdf_says_so_once():
    text = "\n".join(pdf_text(_pdf({"p:cn": CJK, "p:ar": ARABIC})))
    assert f"{report.MARK * 3} [p:cn]" in text and f"{report.MARK * 4} [p:ar]" in text
    assert CJK[0] not in text and ARABIC[0] not in text
    assert text.count("could not be drawn") == 1
    assert "the HTML report (report.html) shows them" in " ".join(text.split())
    # the Latin and Cyrillic names beside them are untouched
    for uid, name in NAMES.items():
        assert f"{name} [{uid}]" in text, name


def test_pdf_is_deterministic_and_decomposed_input_draws_the_same():
    a = _pdf({"p:cn": CJK})
    assert a == _pdf({"p:cn": CJK})
    nfd = _pdf({"p:cn": CJK} | {uid: unicodedata.normalize("NFD", n) for uid, n in NAMES.items()})
    assert pdf_text(nfd) == pdf_text(a)


def test_fonts_and_licence_are_in_the_package():
    """The fonts and their licence sit in graphnet/assets/fonts (tests/test_packaging.py checks they reach the wheel)."""
    fonts = ROOT / "graphnet" / "assets" / "fonts"
    shipped = set(report._FONT_FILES.values()) | {"LICENSE"}
    assert {p.name for p in fonts.iterdir()} >= shipped
    assert "Bitstream Vera Fonts Copyright" in (fonts / "LICENSE").read_text(encoding="utf-8")


def test_every_link_in_the_pdf_cites_the_whole_sha256_of_its_file():
    """A court checks a link against its file: a truncated hash would not identify the file."""
    sub = _subgraph({})
    G = formats.to_networkx(sub)
    lines = report._pdf_lines(report.report_context(sub, G, report.view_svg(G)))
    links = [t for kind, t in lines if kind == "line" and " -RECRUITED-> " in t]
    assert len(links) == len(NAMES) - 1
    assert all(f"row 2 (sha256 {SHA})" in t for t in links), links[0]
