"""report.pdf draws names outside Latin-1 exactly (embedded DejaVu Sans) and marks, visibly, what it cannot draw.

The text is read back from the PDF itself (graphnet.evidence.report.pdf_text, which the
export's leak check uses too): the PDF is uncompressed, so the content streams and each
font's ToUnicode map can be parsed without a PDF library (none is a dependency).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from graphnet.evidence import formats, report
from graphnet.evidence.report import pdf_text
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


def test_the_leak_check_reads_the_drawn_text_and_not_the_binary_font():
    """A name drawn in the PDF is glyph numbers in its bytes: only its text read back shows it. The embedded
    font is binary and spells short words by chance: searching it would abort exports at random."""
    from graphnet.evidence.redaction import Protected, leaks

    pdf = _pdf()
    prot = Protected()
    prot.add_name("Γιώργος Παπαδόπουλος", "V-1")
    assert leaks(pdf, prot) == []  # the raw bytes hide the drawn name
    assert leaks(report.pdf_searchable(pdf), prot) == ["name"]
    font = max(re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S), key=len)
    shown = set(re.findall(r"\w+", report.pdf_searchable(pdf).decode("utf-8", "ignore").lower()))
    chance = sorted({w for w in re.findall(r"(?<!\w)[A-Za-z]{3}(?!\w)", font.decode("utf-8", "ignore"))
                     if w.lower() not in shown})
    assert chance  # three-letter words the font's bytes spell, none of them written or drawn in the PDF
    noise = Protected()
    for i, word in enumerate(chance):
        noise.add_name(word, f"V-{i}")
    assert leaks(pdf, noise) and leaks(report.pdf_searchable(pdf), noise) == []
