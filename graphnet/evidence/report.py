"""The human-readable part of a bundle: HTML report (Jinja2, autoescaped), offline view, PDF.

The report lists every person and every link with its sources (file, row,
SHA-256 of the file, load date), the paths between the suspects, summary
measures and an embedded offline drawing of the subgraph. Nothing in it
depends on the time of export, so two exports of the same selection give the
same bytes.
"""

from __future__ import annotations

import contextlib
import html
import itertools
import math
import re
import unicodedata
from collections.abc import Container
from importlib import resources
from typing import Any

import jinja2
import networkx as nx

from .. import __version__
from ..errors import GraphnetError
from ..resources import report_template
from .formats import FORMAT
from .selection import Subgraph, parse_ref

__all__ = ["measures", "report_context", "report_html", "view_svg", "report_pdf", "pdf_text", "pdf_searchable",
           "LAYOUT_SEED", "SUSPECT_ROLES"]

LAYOUT_SEED = 7
SUSPECT_ROLES = {"suspect", "recruiter", "driver", "lodging_operator", "document_broker", "official", "organiser",
                 "employer", "defendant", "convicted"}
_COLOURS = {"Person": "#1f77b4", "Phone": "#7f7f7f", "Lodging": "#8c564b", "Vehicle": "#ff7f0e", "Account": "#2ca02c",
            "Document": "#9467bd", "Case": "#d62728", "Location": "#17becf", "Organization": "#bcbd22", "Event": "#e377c2"}


def measures(G: nx.MultiDiGraph) -> dict[str, Any]:
    """Summary measures of the bundle graph (counts, components, degree and betweenness of people).

    Betweenness is NetworkX's exact, unweighted, normalised betweenness on the
    undirected simple graph (every tie counts as one step).

    >>> G = nx.MultiDiGraph()
    >>> for n in "abc": G.add_node(n, label="Person", name=n)
    >>> G.add_edge("a", "b", key="KNOWS|"); G.add_edge("b", "c", key="KNOWS|")
    'KNOWS|'
    'KNOWS|'
    >>> m = measures(G)
    >>> m["nodes"], m["edges"], m["components"], m["top_people"][0]["uid"], m["top_people"][0]["betweenness"]
    (3, 2, 1, 'b', 1.0)
    """
    U = nx.Graph(G.to_undirected())
    by_label: dict[str, int] = {}
    for _, d in G.nodes(data=True):
        by_label[d.get("label", "?")] = by_label.get(d.get("label", "?"), 0) + 1
    by_type: dict[str, int] = {}
    for _, _, d in G.edges(data=True):
        by_type[d.get("type", "?")] = by_type.get(d.get("type", "?"), 0) + 1
    bc = nx.betweenness_centrality(U, normalized=True) if U.number_of_nodes() else {}
    people = [n for n, d in G.nodes(data=True) if d.get("label") == "Person"]
    top = sorted(people, key=lambda n: (-bc.get(n, 0.0), -U.degree(n), n))[:10]
    return {
        "nodes": G.number_of_nodes(),
        "edges": G.number_of_edges(),
        "people": len(people),
        "by_label": dict(sorted(by_label.items())),
        "by_type": dict(sorted(by_type.items())),
        "components": nx.number_connected_components(U) if U.number_of_nodes() else 0,
        "density": round(nx.density(U), 4) if U.number_of_nodes() > 1 else 0.0,
        "top_people": [
            {"uid": n, "name": G.nodes[n].get("name") or n, "degree": U.degree(n), "betweenness": round(bc.get(n, 0.0), 4)}
            for n in top
        ],
    }


def _is_suspect(d: dict[str, Any]) -> bool:
    roles = d.get("roles") or []
    return bool({str(r).lower() for r in ([roles] if isinstance(roles, str) else roles)} & SUSPECT_ROLES)


def suspect_paths(sub: Subgraph, G: nx.MultiDiGraph, limit: int = 45) -> list[dict[str, Any]]:
    """Shortest paths inside the bundle between the suspects (seeds and people in suspect roles)."""
    if sub.paths:
        return sub.paths
    U = nx.Graph(G.to_undirected())
    suspects = sorted(set(sub.seeds) | {n for n, d in G.nodes(data=True) if d.get("label") == "Person" and _is_suspect(d)})
    out = []
    for a, b in itertools.combinations(suspects, 2):
        if len(out) >= limit:
            break
        if a in U and b in U and nx.has_path(U, a, b):
            nodes = nx.shortest_path(U, a, b)  # deterministic for a given insertion order (sorted uids)
            types = [sorted(d.get("type") for d in G.get_edge_data(u, v, default={}).values()
                            or G.get_edge_data(v, u, default={}).values())[0] for u, v in zip(nodes, nodes[1:])]
            out.append({"kind": "shortest in bundle", "nodes": nodes, "types": types})
    return out


def _cite(sub: Subgraph, refs: list[str] | None) -> list[dict[str, Any]]:
    out = []
    for ref in refs or []:
        suid, row = parse_ref(ref)
        s = sub.sources.get(suid, {})
        out.append({"ref": ref, "source": suid, "row": row, "path": s.get("path", "(source not in the graph)"),
                    "sha256": s.get("sha256", ""), "loaded_at": s.get("loaded_at", ""), "definition": s.get("definition", "")})
    return out


def report_context(sub: Subgraph, G: nx.MultiDiGraph, view: str) -> dict[str, Any]:
    name = {uid: d.get("name") or uid for uid, d in sub.nodes.items()}
    people = [
        {"uid": uid, "roles": [], **d, "name": name[uid], "sources": _cite(sub, d.get("src"))}
        for uid, d in sub.nodes.items() if d.get("label") == "Person"
    ]
    others = [
        {"uid": uid, "label": "", **d, "name": name[uid], "sources": _cite(sub, d.get("src"))}
        for uid, d in sub.nodes.items() if d.get("label") != "Person"
    ]
    links = [
        {"date": None, "weight": None, **e, "source_name": name.get(e["source"], e["source"]), "target_name": name.get(e["target"], e["target"]),
         "sources": _cite(sub, e.get("src"))}
        for e in sub.edges
    ]
    paths = [
        {**p, "steps": [{"uid": n, "name": name.get(n, n)} for n in p["nodes"]]}
        for p in suspect_paths(sub, G)
    ]
    return {
        "format": FORMAT,
        "version": __version__,
        "selection": sub.selection,
        "seeds": [{"uid": s, "name": name.get(s, s)} for s in sub.seeds],
        "people": people,
        "others": others,
        "links": links,
        "unsourced": [link for link in links if not link["sources"]],
        "paths": paths,
        "sources": [{"uid": u, **s} for u, s in sub.sources.items()],
        "measures": measures(G),
        "notes": sub.notes,
        "same_person": [[{"uid": u, "name": name.get(u, u)} for u in g] for g in sub.same_person],
        "view": view,
        "layout_seed": LAYOUT_SEED,
    }


def report_html(context: dict[str, Any]) -> bytes:
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    template = env.from_string(report_template("evidence.html.j2"))
    return template.render(**context).encode("utf-8")


def view_svg(G: nx.MultiDiGraph, width: int = 900, height: int = 640) -> str:
    """A static, offline SVG drawing of the subgraph (spring layout, seed :data:`LAYOUT_SEED`).

    Every text is HTML-escaped; coordinates are rounded so the drawing is reproducible.
    """
    U = nx.Graph()
    U.add_nodes_from(sorted(G.nodes))
    U.add_edges_from(sorted((min(u, v), max(u, v)) for u, v in G.edges()))
    if U.number_of_nodes() == 0:
        return '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>'
    pos = nx.spring_layout(U, seed=LAYOUT_SEED, iterations=100)
    pad = 40

    def xy(n: str) -> tuple[float, float]:
        x, y = pos[n]
        x = 0.0 if math.isnan(x) else x
        y = 0.0 if math.isnan(y) else y
        return round(pad + (x + 1) / 2 * (width - 2 * pad), 1), round(pad + (y + 1) / 2 * (height - 2 * pad), 1)

    e = html.escape
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
             f'aria-label="drawing of the exported subgraph">']
    for u, v in sorted(U.edges()):
        (x1, y1), (x2, y2) = xy(u), xy(v)
        types = sorted({d.get("type", "") for d in list((G.get_edge_data(u, v) or {}).values())
                        + list((G.get_edge_data(v, u) or {}).values())})
        parts.append(f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="#999" stroke-width="1">'
                     f"<title>{e(', '.join(types))}</title></line>")
    for n in sorted(U.nodes()):
        d = G.nodes[n]
        x, y = xy(n)
        colour = _COLOURS.get(d.get("label", ""), "#444")
        r = 7 if d.get("label") == "Person" else 5
        label = str(d.get("name") or n)
        parts.append(f'<g><circle cx="{x}" cy="{y}" r="{r}" fill="{colour}"><title>{e(d.get("label", ""))}: {e(label)} '
                     f'({e(str(n))})</title></circle><text x="{x + 9}" y="{y + 4}" font-size="10">{e(label[:40])}</text></g>')
    parts.append("</svg>")
    return "\n".join(parts)


_FONT = "DejaVuSans"
_FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}  # graphnet/assets/fonts/, licence beside them
MARK = "\ufffd"
_NOTICE = (f"Some characters could not be drawn in this PDF and are shown as {MARK} (no glyph in the embedded "
           "font, or a script that needs text shaping); the HTML report (report.html) shows them.")


def _needs_shaping(ch: str) -> bool:
    """True for a character fpdf2 draws wrongly without a shaping engine (uharfbuzz, not a dependency).

    Decided by Unicode properties, not by ranges: right-to-left letters (no bidi
    reordering), combining marks (no mark positioning; Indic and Thai vowels),
    format controls (joiners, bidi overrides). The soft hyphen is a line-break hint
    that fpdf2 handles itself.

    >>> [_needs_shaping(c) for c in "aЖ\\u05d0\\u0627\\u0301\\u202e\\u00ad"]
    [False, False, True, True, True, True, False]
    """
    if ch == "\u00ad":
        return False
    return unicodedata.bidirectional(ch) in ("R", "AL") or unicodedata.category(ch) in ("Mn", "Mc", "Me", "Cf")


def _drawable(text: Any, cmap: Container[int]) -> tuple[str, int]:
    """Text as the PDF can draw it with a font of this cmap, and how many characters became :data:`MARK`.

    The text is NFC-normalised first (a decomposed "e" + U+0301 becomes the one
    character "é"); line breaks stay; other whitespace without a glyph becomes a space.

    >>> cmap = {ord(c) for c in " NguyễnThịHằngŁukaszDvořákИван“”–…"}
    >>> _drawable("Nguye\\u0302\\u0303n Thị Hằng – “Łukasz Dvořák” Иван…", cmap)
    ('Nguyễn Thị Hằng – “Łukasz Dvořák” Иван…', 0)
    >>> text, n = _drawable("王 秀英\\tIvan", cmap | {ord("I")})
    >>> text == "\\ufffd \\ufffd\\ufffd Ivan", n
    (True, 3)
    """
    out, missing = [], 0
    for ch in unicodedata.normalize("NFC", str(text)):
        if ch == "\n" or (ord(ch) in cmap and not _needs_shaping(ch)):
            out.append(ch)
        elif ch.isspace():
            out.append(" ")
        else:
            out.append(MARK)
            missing += 1
    return "".join(out), missing


def _pdf_lines(context: dict[str, Any]) -> list[tuple[str, str]]:
    """The PDF's text as (kind, text): kinds "title", "heading", "line" and one "notice" (drawn only if needed)."""
    out: list[tuple[str, str]] = [("title", "Evidence report")]

    def line(text: str) -> None:
        out.append(("line", text))

    sel = context["selection"]
    line(f"Format {context['format']}, graphnet {context['version']}. Selection: "
         + ", ".join(f"{k}={v}" for k, v in sorted(sel.items()) if k != "relationship_types"))
    line("The HTML report (report.html) is the authoritative rendering; this PDF repeats it in plain text.")
    out.append(("notice", _NOTICE))
    m = context["measures"]
    out.append(("heading", "Summary"))
    line(f"{m['nodes']} nodes ({m['people']} people), {m['edges']} links, {m['components']} component(s), density {m['density']}")
    for t in m["top_people"]:
        line(f"  {t['name']} ({t['uid']}): degree {t['degree']}, betweenness {t['betweenness']}")
    for note in context["notes"]:
        line(f"Note: {note}")
    out.append(("heading", "People"))
    for p in context["people"]:
        roles = ", ".join(p.get("roles") or [])
        line(f"{p.get('name')} [{p['uid']}] roles: {roles or '-'}; sources: "
             + "; ".join(f"{s['path']} row {s['row']}" for s in p["sources"]))
    out.append(("heading", "Links"))
    for link in context["links"]:
        line(f"{link['source_name']} -{link['type']}-> {link['target_name']}"
             + (f" on {link['date']}" if link.get("date") else "")
             + "; sources: " + "; ".join(f"{s['path']} row {s['row']} (sha256 {s['sha256']})" for s in link["sources"]))
    if context["paths"]:
        out.append(("heading", "Paths between the suspects"))
        for p in context["paths"]:
            names = [s["name"] for s in p["steps"]]
            chain = names[0] + "".join(f" -{t}- {n}" for t, n in zip(p["types"], names[1:]))
            line(f"[{p['kind']}] {chain}")
    out.append(("heading", "Source files"))
    for s in context["sources"]:
        line(f"{s['uid']}: {s.get('path')} sha256 {s.get('sha256')} loaded {s.get('loaded_at')} rows {s.get('rows')}")
    return out


# kind -> (font style, size, line height, space before)
_STYLES = {"title": ("B", 16, 9, 0), "heading": ("B", 13, 7, 2), "notice": ("B", 8, 4.2, 0), "line": ("", 8, 4.2, 0)}


def report_pdf(context: dict[str, Any]) -> bytes:
    """A plain PDF of the report (fpdf2, uncompressed so it can be searched and audited).

    Text is drawn in DejaVu Sans, embedded as a subset from ``graphnet/assets/fonts``,
    so Vietnamese, Polish, Turkish, Czech, Cyrillic or Greek names appear exactly.
    A character the font cannot draw (no glyph, e.g. CJK; or a script that needs
    shaping, e.g. Arabic) is shown as :data:`MARK`, and the PDF then says so once,
    near the top, pointing to the HTML report.
    """
    import datetime as _dt

    from fpdf import FPDF

    with contextlib.ExitStack() as stack:
        pdf = FPDF(orientation="L", format="A4")
        pdf.set_compression(False)
        pdf.set_creation_date(_dt.datetime(2000, 1, 1, tzinfo=_dt.timezone.utc))
        pdf.set_title("graphnet evidence report")
        pdf.set_creator(f"graphnet {context['version']}")
        pdf.set_producer("graphnet")
        pdf.set_auto_page_break(True, margin=12)
        fonts = resources.files("graphnet").joinpath("assets", "fonts")
        for style, name in _FONT_FILES.items():
            pdf.add_font(_FONT, style, stack.enter_context(resources.as_file(fonts.joinpath(name))))
        cmaps = {style: pdf.fonts[f"{_FONT.lower()}{style}"].cmap for style in _FONT_FILES}
        lines = [(kind, *_drawable(text, cmaps[_STYLES[kind][0]])) for kind, text in _pdf_lines(context)]
        missing = sum(n for _, _, n in lines)
        pdf.add_page()
        for kind, text, _ in lines:
            if kind == "notice" and not missing:
                continue
            style, size, height, before = _STYLES[kind]
            if before:
                pdf.ln(before)
            pdf.set_font(_FONT, style, size)
            pdf.multi_cell(0, height, text, new_x="LMARGIN", new_y="NEXT")
        # output() reads the font files (lazily loaded), so it runs while they are at hand
        return bytes(pdf.output())


_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f", b"(": b"(", b")": b")", b"\\": b"\\"}
_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)


def _literal(raw: bytes) -> bytes:
    """The bytes of a PDF literal string body (escapes resolved)."""
    return re.sub(rb"\\([0-7]{1,3}|.)", lambda m: bytes([int(m[1], 8)]) if m[1][:1].isdigit() else _ESCAPES.get(m[1], m[1]),
                  raw, flags=re.S)


def pdf_text(data: bytes) -> list[str]:
    """The text lines drawn in a PDF of :func:`report_pdf`, read back through each font's ToUnicode map.

    The text of a PDF with embedded Unicode fonts is written as glyph
    numbers, not as letters: a search of its bytes cannot see a name drawn
    in it. Raises GraphnetError when the PDF is not laid out as
    :func:`report_pdf` writes it (uncompressed, Type0 fonts with a ToUnicode map).
    """
    objs = {int(n): body for n, body in re.findall(rb"(\d+) 0 obj\s(.*?)endobj", data, re.S)}
    try:
        to_unicode = {}
        for name, ref in re.findall(rb"/(F\d+) (\d+) 0 R", data):
            cmap = _STREAM.search(objs[int(re.search(rb"/ToUnicode (\d+) 0 R", objs[int(ref)])[1])])[1]
            if b"bfrange" in cmap:
                raise ValueError("a ToUnicode map with ranges")
            to_unicode[name.decode()] = {int(src, 16): bytes.fromhex(dst.decode()).decode("utf-16-be")
                                         for src, dst in re.findall(rb"<([0-9A-Fa-f]{4})> <([0-9A-Fa-f]+)>", cmap)}
        lines, font = [], None
        for n in sorted(objs):
            if b"stream" not in objs[n] or b" Tf" not in objs[n]:
                continue
            text_ops = rb"/(F\d+) [\d.]+ Tf|BT [\d.]+ [\d.]+ Td (\[.*?\] TJ|\((?:\\.|[^\\)])*\) Tj) ET"
            for m in re.finditer(text_ops, _STREAM.search(objs[n])[1], re.S):
                if m[1]:
                    font = m[1].decode()
                    continue
                codes = b"".join(_literal(s) for s in re.findall(rb"\(((?:\\.|[^\\)])*)\)", m[2], re.S))
                glyphs = to_unicode[font]
                lines.append("".join(glyphs[int.from_bytes(codes[i:i + 2], "big")] for i in range(0, len(codes), 2)))
    except (KeyError, TypeError, ValueError, UnicodeDecodeError) as e:
        raise GraphnetError(f"report.pdf: its text cannot be read back to check it ({type(e).__name__}: {e}); "
                            "nothing was written (please report this as a bug)") from None
    return lines


def pdf_searchable(data: bytes) -> bytes:
    """What the leak check of report.pdf searches (UTF-8): the PDF without the contents of its streams (its
    dictionaries and metadata), then the lines it draws (:func:`pdf_text`), joined by line breaks and again by
    spaces (a name wrapped across two lines is found).

    The streams themselves are not searched as text: the embedded font program is binary, and its bytes
    spell short names ("Sri", "Ani") by chance.
    """
    lines = pdf_text(data)
    return b"\n".join([_STREAM.sub(b"stream\nendstream", data), "\n".join(lines).encode("utf-8"),
                       " ".join(lines).encode("utf-8")])
