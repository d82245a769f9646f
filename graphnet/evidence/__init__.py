"""Evidence bundles for prosecutors: the subgraph behind a charge, verifiable and victim-safe.

:func:`export` selects a subgraph from Neo4j (around a person, the paths
between two people, a syndicate, or a named query; with a time window; never
hypotheses or resolution decisions), optionally pseudonymises victims, and
writes a bundle folder (and zip): GraphML, GEXF, node-link JSON, CSV, a Cypher
script, FollowTheMoney entities, an HTML (and PDF) report with every link's
sources, an offline view and ``manifest.json`` (chain of custody).
:func:`verify` recomputes every hash; :func:`load_bundle` recreates the
subgraph in an empty Neo4j.

>>> sorted(BUNDLE_FILES)[:3]
['edges.csv', 'entities.ftm.json', 'nodes.csv']
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import os
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from .. import __version__
from ..db import Database
from ..errors import GraphnetError
from ..redact import Redactor, protection_in
from . import formats, report
from .custody import MANIFEST, Verification, digest, manifest_bytes, sha256_bytes, verify, zip_bytes
from .redaction import leaks, redact_subgraph, roles_of_profile, zip_parts
from .roundtrip import load_bundle, snapshot, snapshot_of, subgraph_from_json
from .selection import Subgraph, select_around, select_between, select_query, select_syndicate

__all__ = [
    "export",
    "verify",
    "load_bundle",
    "select",
    "write_bundle",
    "ExportResult",
    "Verification",
    "Subgraph",
    "snapshot",
    "snapshot_of",
    "BUNDLE_FILES",
    "read_graph",
]

BUNDLE_FILES = (
    "subgraph.graphml",
    "subgraph.gexf",
    "subgraph.json",
    "nodes.csv",
    "edges.csv",
    "sources.csv",
    "subgraph.cypher",
    "entities.ftm.json",
    "report.html",
    "view.html",
    "report.pdf",
)


@dataclasses.dataclass
class ExportResult:
    """Where the bundle went and what it holds."""

    path: Path
    zip_path: Path | None
    digest: str
    nodes: int
    edges: int
    sources: int
    files: list[str]
    redacted: int
    notes: list[str]


def select(
    db: Database,
    *,
    around: str | None = None,
    hops: int = 1,
    between: Sequence[str] | None = None,
    max_length: int = 4,
    syndicate: str | None = None,
    syndicates_report: str | Path | None = None,
    query: str | None = None,
    params: Mapping[str, Any] | None = None,
    since: str | None = None,
    until: str | None = None,
    max_nodes: int = 5000,
) -> Subgraph:
    """Dispatch to exactly one selection (around / between / syndicate / query)."""
    chosen = [name for name, v in (("--around", around), ("--between", between), ("--syndicate", syndicate),
                                   ("--query", query)) if v]
    if len(chosen) != 1:
        raise GraphnetError("choose exactly one selection: --around P, --between P Q, --syndicate ID or --query NAME"
                            + (f" (got {' and '.join(chosen)})" if chosen else ""))
    window = {"since": since, "until": until, "max_nodes": max_nodes}
    if around:
        return select_around(db, around, hops, **window)
    if between:
        if len(between) != 2:
            raise GraphnetError("--between takes two people: --between P Q")
        return select_between(db, between[0], between[1], max_length=max_length, **window)
    if syndicate:
        if not syndicates_report:
            raise GraphnetError("--syndicate needs --syndicates-report report.json (from the syndicates report)")
        return select_syndicate(db, syndicate, syndicates_report, **window)
    return select_query(db, str(query), params, **window)


def _view_html(G: Any, sub: Subgraph) -> bytes | None:
    """The interactive offline view (graphnet.views), or None when it cannot be drawn.

    The view page says when it was made; a bundle's content must not depend
    on the time (it lives in the manifest only), so the page points there.
    """
    try:
        from ..views import render_view
    except ImportError:  # the views package is optional for bundles
        return None
    roles = sub.selection.get("redacted_roles")
    meta = {"selection": sub.selection.get("mode", ""),
            "redacted": f"{', '.join(roles)} pseudonymised in the bundle" if roles else "no"}
    try:
        page = render_view(G, title="evidence subgraph", sources={u: str(s.get("path", u)) for u, s in sub.sources.items()},
                           seed=report.LAYOUT_SEED, meta=meta, made="see manifest.json (created_at),")
    except GraphnetError:
        return None
    return page.encode("utf-8")


def read_graph(bundle: str | Path) -> Any:
    """The bundle's subgraph (from ``subgraph.json``) as a NetworkX MultiDiGraph, sources in ``G.graph``."""
    import json

    path = Path(bundle)
    path = path / "subgraph.json" if path.is_dir() else path
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise GraphnetError(f"{path}: cannot read: {e}") from None
    sub = subgraph_from_json(data)
    G = formats.to_networkx(sub)
    G.graph.update({"sources": sub.sources, "paths": sub.paths, "selection": sub.selection,
                    "same_person": sub.same_person})
    return G


def write_bundle(sub: Subgraph, *, pdf: bool = True) -> dict[str, bytes]:
    """Every content file of the bundle (all but the manifest), as bytes; deterministic."""
    G = formats.to_networkx(sub)
    files: dict[str, bytes] = {
        "subgraph.graphml": formats.graphml_bytes(G),
        "subgraph.gexf": formats.gexf_bytes(G),
        "subgraph.json": formats.node_link_bytes(sub, G),
        "nodes.csv": formats.nodes_csv_bytes(sub),
        "edges.csv": formats.edges_csv_bytes(sub),
        "sources.csv": formats.sources_csv_bytes(sub),
        "subgraph.cypher": formats.cypher_script(sub).encode("utf-8"),
        "entities.ftm.json": formats.ftm_bytes(sub),
    }
    view = _view_html(G, sub)
    if view is not None:
        files["view.html"] = view
    context = report.report_context(sub, G, report.view_svg(G))
    context["interactive_view"] = "view.html" if view is not None else None
    files["report.html"] = report.report_html(context)
    if pdf:
        files["report.pdf"] = report.report_pdf(context)
    return files


def _scrub_command(command: Sequence[str]) -> list[str]:
    out, hide = [], False
    for arg in command:
        if hide:
            out.append("[key withheld]")
            hide = False
        elif arg == "--redact-key":
            out.append(arg)
            hide = True
        elif arg.startswith("--redact-key="):
            out.append("--redact-key=[key withheld]")
        else:
            out.append(arg)
    return out


def export(
    db: Database,
    out: str | Path,
    *,
    around: str | None = None,
    hops: int = 1,
    between: Sequence[str] | None = None,
    max_length: int = 4,
    syndicate: str | None = None,
    syndicates_report: str | Path | None = None,
    query: str | None = None,
    params: Mapping[str, Any] | None = None,
    since: str | None = None,
    until: str | None = None,
    max_nodes: int = 5000,
    redact: str | Sequence[str] | None = None,
    redact_key: str | bytes | None = None,
    zip: bool = False,
    pdf: bool = True,
    command: Sequence[str] | None = None,
) -> ExportResult:
    """Select a subgraph and write it as an evidence bundle folder ``out`` (and ``out.zip``).

    Parameters
    ----------
    db : Database
        The graph to export from.
    out : path
        The bundle folder; it must not exist yet (a bundle is never overwritten).
        Missing parent folders are created once the bundle is ready to write.
    around, hops, between, max_length, syndicate, syndicates_report, query, params, since, until, max_nodes
        The selection (see :func:`select`).
    redact : str or list, optional
        Roles to protect, e.g. ``"victims"`` or ``"victims,witnesses"``.
    redact_key : str or bytes
        The HMAC key of the pseudonyms (required with ``redact``; never written anywhere).
    zip : bool
        Also write ``out.zip`` holding the folder.
    pdf : bool
        Write ``report.pdf`` (fpdf2) beside ``report.html``.
    command : list of str
        The command line to record in the manifest (a ``--redact-key`` value is withheld).

    Returns
    -------
    ExportResult
    """
    target = Path(out)
    if target.exists():
        raise GraphnetError(f"{target}: already exists; a bundle is never overwritten, choose a new folder")
    above = next(p for p in target.parents if p.exists())  # the nearest existing folder above (at least ".")
    if not above.is_dir():
        raise GraphnetError(f"{above}: not a folder, cannot write the bundle into it")
    sub = select(db, around=around, hops=hops, between=between, max_length=max_length, syndicate=syndicate,
                 syndicates_report=syndicates_report, query=query, params=params, since=since, until=until,
                 max_nodes=max_nodes)
    if not sub.nodes:
        raise GraphnetError("the selection is empty: nothing to export")
    prot = None
    roles: tuple[str, ...] = ()
    redactor = None
    if redact:
        roles = roles_of_profile(redact)
        redactor = Redactor(redact_key)
        # the names and numbers of everyone protected in the database: a record in the bundle that bears
        # them is hidden even when none of her other records is in the selection
        outside = protection_in(db, redactor, roles).strings
        sub, prot = redact_subgraph(sub, redactor, roles, outside)
    files = write_bundle(sub, pdf=pdf)
    entries = {name: {"sha256": sha256_bytes(data), "bytes": len(data)} for name, data in sorted(files.items())}
    source_list = [
        {"uid": u, "path": s.get("path"), "sha256": s.get("sha256"), "definition": s.get("definition"),
         "loaded_at": s.get("loaded_at"), "rows": s.get("rows")}
        for u, s in sub.sources.items()
    ]
    total = digest(entries, source_list)
    manifest: dict[str, Any] = {
        "format": formats.FORMAT,
        "tool": {"name": "graphnet", "version": __version__},
        "command": _scrub_command(list(command or [])),
        "parameters": sub.selection,
        "database": {"uri": db.uri, "name": db.name},
        "created_at": _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat(),
        "counts": {"nodes": len(sub.nodes), "relationships": len(sub.edges), "sources": len(sub.sources),
                   "paths": len(sub.paths)},
        "notes": sub.notes,
        "redaction": (
            {"roles": list(roles), "method": "HMAC-SHA256(key, uid), first 10 hex; identifying properties dropped",
             "key": "withheld", "key_check": redactor.pseudonym("graphnet-key-check", "")}
            if redactor else None
        ),
        "files": entries,
        "sources": source_list,
        "digest_method": "sha256 of the sorted lines '<sha256> file <name>' and '<sha256> source <source uid>', each ending in \\n",
        "digest": total,
    }
    if prot is not None:  # scrub the manifest too: the command line may name a victim
        text, n = prot.scrub(manifest_bytes(manifest).decode("utf-8"))
        manifest_data = text.encode("utf-8")
    else:
        manifest_data = manifest_bytes(manifest)
    files[MANIFEST] = manifest_data
    zipped = zip_bytes(files, target.name) if zip else None
    if prot is not None:
        searchable = {"report.pdf": report.pdf_searchable}  # its text is glyph numbers; its font is binary
        checked = [(name, searchable[name](data) if name in searchable else data) for name, data in files.items()]
        checked += zip_parts(zipped, files) if zipped else []
        for name, data in checked:
            found = leaks(data, prot)
            if found:
                raise GraphnetError(f"{name}: a protected {found[0]} would leak into the bundle; nothing was written "
                                    "(please report this as a bug)")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise GraphnetError(f"{target.parent}: cannot create the folder for the bundle ({e.strerror})") from None
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        for name, data in files.items():
            (tmp / name).write_bytes(data)
        zip_path = None
        if zipped is not None:
            zip_path = target.with_name(target.name + ".zip")
            if zip_path.exists():
                raise GraphnetError(f"{zip_path}: already exists; a bundle is never overwritten")
            zip_tmp = tmp.with_suffix(".zip.tmp")
            zip_tmp.write_bytes(zipped)
            os.replace(zip_tmp, zip_path)
        os.replace(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    check = verify(target, check_sources=False)
    if not check.ok:
        raise GraphnetError(f"{target}: the bundle failed its own verification: {check.problems[0]}")
    return ExportResult(
        path=target,
        zip_path=zip_path,
        digest=total,
        nodes=len(sub.nodes),
        edges=len(sub.edges),
        sources=len(sub.sources),
        files=sorted(files),
        redacted=sum(1 for d in sub.nodes.values() if d.get("redacted")),
        notes=sub.notes,
    )

