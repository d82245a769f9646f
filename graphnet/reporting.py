"""Report results, and how they are written: table, csv, json, markdown, html.

A :class:`Report` is plain data: what was computed (``kind``, ``title``),
the graph it ran on (``graph``: projection, window, filters, counts, seed,
engine, weight semantics), ``notes`` (formulas and semantics a reader needs
to trust the figures), ``columns`` and ``rows`` (one dict per row), and
optional nested ``sections`` (e.g. the syndicates with their paths). Its JSON
form (:meth:`Report.to_dict`) is a stable API that views and evidence read.

HTML comes from the Jinja2 templates in ``reports/`` with autoescaping on, so
names taken from agency spreadsheets cannot inject markup.

>>> r = Report("demo", "Demo", {"projection": "persons", "nodes": 2, "edges": 1}, ["weight = strength"],
...            ["name", "score"], [{"name": "<b>Budi</b>", "score": 0.5}])
>>> "&lt;b&gt;Budi&lt;/b&gt;" in render(r, "html")
True
>>> print(render(r, "csv").strip())
# Demo
# graph: projection=persons, nodes=2, edges=1
# note: weight = strength
name,score
<b>Budi</b>,0.5
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from collections.abc import Sequence
from typing import Any

from .errors import GraphnetError
from .outputs import write_output
from .terminal import shown

__all__ = ["FORMATS", "Report", "render", "person_info", "write"]

FORMATS = ("table", "csv", "json", "markdown", "html")


@dataclasses.dataclass
class Report:
    """One report: metadata, notes, a table of rows, optional nested sections."""

    kind: str
    title: str
    graph: dict[str, Any]
    notes: list[str]
    columns: list[str]
    rows: list[dict[str, Any]]
    sections: list[dict[str, Any]] = dataclasses.field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "report": self.kind,
            "title": self.title,
            "graph": self.graph,
            "notes": self.notes,
            "columns": self.columns,
            "rows": self.rows,
            "sections": self.sections,
        }


def person_info(G: Any, n: Any) -> dict[str, Any]:
    """How a person is shown: name, key identifiers, roles, cases and sources.

    >>> import networkx as nx
    >>> G = nx.Graph(); G.add_node("pol:P1", name="Budi", roles=["recruiter"], nik="3171",
    ...                            src=["ab12:police_cases:2", "ab12:police_cases:9"], cases=["pol:C1"])
    >>> person_info(G, "pol:P1")["sources"]
    ['ab12:police_cases']

    On a graph narrowed to some files (``--source``: ``G.graph["sources"]``),
    only those files: the ones of the person's records, else of their ties.

    >>> G.graph["sources"] = ["cd34:call_records"]; G.add_edge("pol:P1", "cdr:X", src=["cd34:call_records:7"])
    >>> person_info(G, "pol:P1")["sources"]
    ['cd34:call_records']
    """
    d = G.nodes[n]
    ids = {k: d[k] for k in ("nik", "passport", "phone") if d.get(k)}
    records = [r for r in d.get("records") or [] if r != n]
    return {
        "uid": n,
        "name": d.get("name") or str(n),
        "identifiers": ", ".join(f"{k} {v}" for k, v in ids.items()),
        "records": records,
        "roles": list(d.get("roles") or []),
        "cases": list(d.get("cases") or []),
        "sources": _sources(G, n),
    }


def _sources(G: Any, n: Any) -> list[str]:
    """The files behind a person: their records', within ``G.graph["sources"]`` when the graph is narrowed to some."""
    files = {str(ref).rsplit(":", 1)[0] for ref in G.nodes[n].get("src") or []}
    chosen = G.graph.get("sources")
    if not chosen:
        return sorted(files)
    chosen = set(chosen)
    files &= chosen
    if not files:  # the person is in the graph through ties from the chosen files
        ties = [*G.in_edges(n, data="src"), *G.out_edges(n, data="src")] if G.is_directed() else G.edges(n, data="src")
        files = {str(ref).rsplit(":", 1)[0] for *_, refs in ties for ref in refs or []} & chosen
    return sorted(files)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, (list, tuple, set)):
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}={_cell(v)}" for k, v in value.items())
    return str(value)


def _header(report: Report) -> list[str]:
    g = report.graph
    lines = [report.title]
    lines.append(
        "graph: " + ", ".join(f"{k}={_cell(v)}" for k, v in g.items() if v not in (None, [], "") and k != "weight")
    )
    if g.get("weight"):
        lines.append(f"weights: {g['weight']}")
    lines += [f"note: {n}" for n in report.notes]
    return lines


def _table(report: Report) -> str:
    """The report as a terminal table. Cells are data, never rich markup (a name ``Budi [/]`` or
    ``[red]Siti`` prints as written), and control characters print as escapes (:func:`shown`)."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(record=True, width=200, file=io.StringIO(), color_system=None)
    for line in _header(report):
        console.print(Text(shown(line, keep="\n")))
    table = Table(show_lines=False)
    for c in report.columns:
        table.add_column(Text(shown(c)), overflow="fold")
    for row in report.rows:
        table.add_row(*(Text(shown(_cell(row.get(c)))) for c in report.columns))
    console.print(table)
    for s in report.sections:
        if s.get("text"):
            console.print(Text(shown(s["text"], keep="\n")))
    return console.export_text()


def _csv(report: Report) -> str:
    buf = io.StringIO()
    for line in _header(report):  # the graph it ran on, as comment lines (pandas: comment="#")
        buf.write("# " + line.replace("\n", " ") + "\n")
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(report.columns)
    for row in report.rows:
        w.writerow([_cell(row.get(c)) for c in report.columns])
    return buf.getvalue()


def _md_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;").replace("\n", " ")


def _markdown(report: Report) -> str:
    head = _header(report)
    out = [f"# {_md_escape(head[0])}", ""] + [f"- {_md_escape(h)}" for h in head[1:]] + [""]
    out.append("| " + " | ".join(report.columns) + " |")
    out.append("|" + "---|" * len(report.columns))
    for row in report.rows:
        out.append("| " + " | ".join(_md_escape(_cell(row.get(c))) for c in report.columns) + " |")
    for s in report.sections:
        if s.get("text"):
            out += ["", "```", s["text"].replace("```", "'''"), "```"]
    return "\n".join(out) + "\n"


def _html(report: Report) -> str:
    import jinja2

    from .resources import report_template

    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    env.filters["cell"] = _cell
    template = env.from_string(report_template("report.html.j2"))
    return template.render(report=report, header=_header(report))


def render(report: Report, fmt: str = "table") -> str:
    """The report as text in one of :data:`FORMATS`."""
    if fmt == "json":
        return json.dumps(report.to_dict(), indent=2, ensure_ascii=False, default=_cell) + "\n"
    if fmt == "csv":
        return _csv(report)
    if fmt == "markdown":
        return _markdown(report)
    if fmt == "html":
        return _html(report)
    if fmt == "table":
        return _table(report)
    raise GraphnetError(f"unknown format {fmt!r}; use {', '.join(FORMATS)}")


def write(report: Report, fmt: str, output: str | None) -> str | None:
    """Render and write to ``output`` (a path; missing folders are created), or return the text when ``output`` is None."""
    text = render(report, fmt)
    if output is None:
        return text
    write_output(output, text)
    return None


def columns_of(rows: Sequence[dict[str, Any]]) -> list[str]:
    seen: dict[str, None] = {}
    for r in rows:
        seen.update(dict.fromkeys(r))
    return list(seen)
