"""Bulk load: a whole load plan into an empty managed database with Neo4j's offline importer.

``graphnet load --plan PLAN --bulk`` is for the first load of a large data
set (millions of call or transfer rows). It gives exactly the graph that
``graphnet load --plan PLAN`` gives - the same nodes, relationships,
properties, ``src`` refs, weights, conflict flags, Source nodes and rejects
files - but instead of sending ``UNWIND ... MERGE`` batches over Bolt it

1. maps and aggregates every file of the plan in Python with the same mapper
   and the same per-chunk folding as :func:`graphnet.loading.load_file`;
2. writes the aggregated graph as CSV files (one per label or type and
   property signature) in a private temporary folder;
3. stops the managed Neo4j, runs ``neo4j-admin database import full`` (the
   ``neo4j-import-tool`` already on the managed server's classpath) into its
   store, starts it again and creates the schema's constraints and indexes;
4. checks the node and relationship counts against what it wrote.

It refuses, before writing anything, a database that holds any node (the
importer replaces the whole store) and an external server (``NEO4J_URI``:
the store files are not ours to replace). When the import fails the store is
removed so the database comes back empty, never half-written.

Why: on the 2-core benchmark machine Neo4j creates relationships through
Cypher at about 5,000/s whatever the batching (``benchmarks/RESULTS.md``);
the importer writes the store directly.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as _dt
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..config import Settings
from ..errors import GraphnetError
from ..schema import load_schema
from .load import (
    CHUNK_ROWS, LoadSummary, _batches, _finish_rejects, _Rows, _sha256, no_cyclic_gc, read_plan, source_uid,
)
from .rejects import Reject
from .writer import Batch

__all__ = ["bulk_load_plan", "BulkGraph"]

ARRAY_DELIMITER = "\x1f"  # the ASCII unit separator: no shipped normaliser lets it through
_CSV_TYPES = {bool: "boolean", int: "long", float: "double", str: "string"}


@dataclasses.dataclass
class BulkGraph:
    """A whole plan's graph, aggregated as the Cypher writer would leave it in Neo4j."""

    nodes: dict[tuple[str, str], dict[str, Any]] = dataclasses.field(default_factory=dict)
    rels: dict[tuple, dict[str, Any]] = dataclasses.field(default_factory=dict)
    sources: list[dict[str, Any]] = dataclasses.field(default_factory=list)

    def fold(self, chunk: Batch) -> tuple[set, set]:
        """Add one aggregated chunk the way ``merge_nodes``/``merge_relationships`` do.

        Returns the node and relationship keys this chunk created. The order
        of every step copies the Cypher SET items (writer.py), so values and
        floating-point sums are the same to the last bit.
        """
        schema = load_schema()
        new_nodes, new_rels = set(), set()
        for key, e in chunk.nodes.items():
            g = self.nodes.get(key)
            if g is None:
                self.nodes[key] = {"uid": e["uid"], "src": list(e["src"]), "props": dict(e["props"]),
                                   "flags": list(e["flags"])}  # fmt: skip
                new_nodes.add(key)
                continue
            label = key[0]
            allowed = schema.node_properties(label)
            identifying = schema.node(label).identifying
            found = [
                f"{k}_conflict" for k in sorted(e["props"])
                if k in identifying and allowed[k].get("type") != "list"
                and g["props"].get(k) is not None and g["props"][k] != e["props"][k]
            ]  # fmt: skip
            for f in found + e["flags"]:
                if f not in g["flags"]:
                    g["flags"].append(f)
            g["src"].extend(e["src"])
            props = g["props"]
            for k, v in e["props"].items():
                old = props.get(k)
                if old is None:
                    props[k] = v
                elif allowed[k].get("type") == "list":
                    props[k] = old + [x for x in v if x not in old]
        for key, e in chunk.rels.items():
            added = _sum(e["w"])
            sums = {k: _sum(v) for k, v in e["sums"].items()}
            g = self.rels.get(key)
            if g is None:
                self.rels[key] = {"s": e["s"], "t": e["t"], "key": e["key"], "src": list(e["src"]),
                                  "weight": 0.0 + added, "props": dict(e["props"]),
                                  "sums": {k: 0.0 + v for k, v in sums.items()}}  # fmt: skip
                new_rels.add(key)
                continue
            g["weight"] += added
            for k, v in sums.items():
                g["sums"][k] = g["sums"].get(k, 0.0) + v
            g["src"].extend(e["src"])
            for k, v in e["props"].items():
                g["props"].setdefault(k, v)
        return new_nodes, new_rels


def _sum(values: list[float]) -> float:
    """Left-to-right sum from 0.0, as Cypher's ``reduce(s = 0.0, ...)``."""
    s = 0.0
    for v in values:
        s += v
    return s


def _ensure_local(settings: Settings) -> None:
    if settings.external:
        raise GraphnetError(
            "--bulk replaces the store files of the managed Neo4j and cannot load into the server NEO4J_URI "
            "names; load without --bulk, or unset NEO4J_URI"
        )


def _check_empty(settings: Settings) -> None:
    from .. import db as dbapi
    from ..db import server

    server.start(settings)
    with dbapi.connect(settings) as db:
        n = db.read("MATCH (n) RETURN count(n) AS n")[0]["n"]
    if n:
        raise GraphnetError(
            f"--bulk loads only into an empty database, and this one holds {n} nodes; "
            "load without --bulk (incremental), or empty it first with `graphnet db clear`"
        )


def map_plan(plan: str | Path, *, rejects_dir: str | Path | None = None,
             echo: Callable[[str], None] | None = None) -> tuple[BulkGraph, list[LoadSummary]]:  # fmt: skip
    """Map, check and aggregate every file of a plan (nothing is written to Neo4j)."""
    graph = BulkGraph()
    summaries: list[LoadSummary] = []
    done: set[str] = set()
    for d, path, ns in read_plan(plan):
        started = time.perf_counter()
        sha = _sha256(path)
        nsx = ns if ns and ns != d.namespace else None
        uid = source_uid(sha, d.name, nsx)
        rows = _Rows(d, path, uid, ns)
        summary = LoadSummary(file=str(path), definition=d.name, source=uid)
        if uid in done:  # the same file with the same definition twice: as load_plan, the second is skipped
            prior = next(s for s in summaries if s.source == uid)
            summary.skipped = True
            summary.rows_read, summary.rows_rejected = prior.rows_read, prior.rows_rejected
            summary.rows_loaded = prior.rows_loaded
            summaries.append(summary)
            continue
        done.add(uid)
        rejects: list[Reject] = []
        seen_nodes: set = set()
        seen_rels: set = set()
        for batch, _ in _batches(rows, CHUNK_ROWS, summary, rejects):
            seen_nodes.update(batch.nodes)
            seen_rels.update(batch.rels)
            new_nodes, new_rels = graph.fold(batch)
            summary.nodes_created += len(new_nodes)
            summary.relationships_created += len(new_rels)
        summary.rows_rejected = len(rejects)
        summary.nodes_matched = len(seen_nodes) - summary.nodes_created
        summary.relationships_matched = len(seen_rels) - summary.relationships_created
        graph.sources.append({
            "uid": uid, "name": path.name, "path": str(path), "sha256": sha, "definition": d.name,
            "namespace": ns or d.namespace, "status": "complete", "rows": summary.rows_read,
            "rejected": len(rejects),
            "loaded_at": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        })  # fmt: skip
        summary.rejects_file = _finish_rejects(rejects_dir, path, rows, rejects)
        summary.seconds = time.perf_counter() - started
        summaries.append(summary)
        if echo:
            echo(f"mapped {path.name}: {summary.rows_read} rows in {summary.seconds:.1f} s")
    return graph, summaries


def _csv_type(where: str, prop: str, value: Any) -> str:
    if isinstance(value, list):
        if not value:
            raise GraphnetError(f"--bulk cannot write the empty list {prop} of {where}; load without --bulk")
        for x in value:
            if not isinstance(x, str) or not x or ARRAY_DELIMITER in x:
                raise GraphnetError(
                    f"--bulk cannot write the list value {x!r} of {prop} on {where}; load without --bulk"
                )
        return "string[]"
    t = _CSV_TYPES.get(type(value))
    if t is None:
        raise GraphnetError(f"--bulk cannot write the {type(value).__name__} value of {prop} on {where}")
    return t


def _cell(value: Any) -> str:
    if isinstance(value, list):
        return ARRAY_DELIMITER.join(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


class _Files:
    """CSV files of one import, grouped by (label or type, header)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.handles: dict[tuple, tuple[Any, Any, Path]] = {}
        self.args: list[str] = []
        self.multiline = False

    def row(self, kind: str, name: str, header: tuple[str, ...], cells: list[str]) -> None:
        key = (kind, name, header)
        h = self.handles.get(key)
        if h is None:
            path = self.folder / f"{kind}-{len(self.handles):04d}.csv"
            fh = path.open("w", encoding="utf-8", newline="")
            w = csv.writer(fh, quoting=csv.QUOTE_ALL, lineterminator="\n")
            w.writerow(header)
            h = self.handles[key] = (fh, w, path)
            self.args.append(f"--{kind}={name}={path}")
        if not self.multiline and any("\n" in c or "\r" in c for c in cells):
            self.multiline = True
        h[1].writerow(cells)

    def close(self) -> None:
        for fh, _, _ in self.handles.values():
            fh.close()


def write_csv(graph: BulkGraph, folder: Path) -> _Files:
    """The importer's CSV files for ``graph`` (labels and types checked against the schema)."""
    schema = load_schema()
    files = _Files(folder)
    try:
        for s in graph.sources:
            props = sorted(k for k in s if k != "uid")
            header = ("uid:ID(Source)", *(f"{k}:{_csv_type('Source ' + s['uid'], k, s[k])}" for k in props))
            files.row("nodes", "Source", header, [s["uid"], *(_cell(s[k]) for k in props)])
        for (label, uid), e in graph.nodes.items():
            schema.check_label(label)
            where = f"{label} {uid}"
            values = {"src": e["src"], **e["props"]}
            if e["flags"]:
                values["flags"] = e["flags"]
            values.pop("uid", None)
            keys = sorted(values)
            header = (f"uid:ID({label})", *(f"{k}:{_csv_type(where, k, values[k])}" for k in keys))
            files.row("nodes", label, header, [uid, *(_cell(values[k]) for k in keys)])
        for (rtype, slabel, _, elabel, _, _), e in graph.rels.items():
            schema.check_type(rtype)
            where = f"{rtype} {e['s']} -> {e['t']}"
            values = {"key": e["key"], "src": e["src"], "weight": e["weight"], **e["props"], **e["sums"]}
            keys = sorted(values)
            header = (f":START_ID({slabel})", f":END_ID({elabel})",
                      *(f"{k}:{_csv_type(where, k, values[k])}" for k in keys))  # fmt: skip
            files.row("relationships", rtype, header, [e["s"], e["t"], *(_cell(values[k]) for k in keys)])
    finally:
        files.close()
    return files


def _store_dirs(settings: Settings) -> list[Path]:
    data = settings.server_home / "data"
    return [data / "databases" / settings.database, data / "transactions" / settings.database]


def run_import(settings: Settings, files: _Files, folder: Path) -> str:
    """Run ``neo4j-admin database import full`` on the stopped managed server's store."""
    from ..db import server

    java_home = server.find_java(settings)
    build = server.build(settings)
    conf = folder / "conf"
    conf.mkdir(exist_ok=True)
    (conf / "neo4j.conf").write_text("")
    cp = f"{build / 'target' / 'classes'}{os.pathsep}{build / 'target' / 'lib' / '*'}"
    cmd = [
        str(java_home / "bin" / "java"), f"-Xmx{settings.heap}", *server.JVM_FLAGS, "-cp", cp, "org.neo4j.cli.AdminTool",
        "database", "import", "full", *files.args,
        "--array-delimiter=U+001F", "--id-type=string", "--overwrite-destination=true",
        "--skip-bad-relationships=false", "--skip-duplicate-nodes=false", "--bad-tolerance=0",
        f"--report-file={folder / 'import.report'}", f"--multiline-fields={'true' if files.multiline else 'false'}",
        settings.database,
    ]  # fmt: skip
    env = {**os.environ, "NEO4J_HOME": str(settings.server_home), "NEO4J_CONF": str(conf),
           "JAVA_HOME": str(java_home)}  # fmt: skip
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=folder)
    out = proc.stdout + proc.stderr
    if proc.returncode != 0 or "IMPORT DONE" not in out:
        tail = [ln for ln in out.splitlines() if ln.strip()][-6:]
        raise GraphnetError("the Neo4j importer failed: " + " | ".join(tail))
    return out


def bulk_load_plan(settings: Settings, plan: str | Path, *, rejects_dir: str | Path | None = None,
                   echo: Callable[[str], None] | None = None) -> list[LoadSummary]:  # fmt: skip
    """Load a whole plan into the empty managed database with the offline importer.

    Same graph as :func:`graphnet.loading.load_plan` (tests compare the two on
    the synthetic province scenario); see the module docstring for the steps.
    The managed server is running again when this returns, with the schema
    applied.
    """
    from .. import db as dbapi
    from ..db import server

    _ensure_local(settings)
    steps = read_plan(plan)  # a wrong plan fails here, before anything else
    if not steps:
        raise GraphnetError(f"{plan}: the plan lists no files")
    _check_empty(settings)
    with no_cyclic_gc():  # millions of live entries: automatic collections would walk them again and again
        graph, summaries = map_plan(plan, rejects_dir=rejects_dir, echo=echo)
    settings.home.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bulk-", dir=settings.home) as tmp:
        folder = Path(tmp)
        os.chmod(folder, 0o700)  # victims' data: readable by this user only
        with no_cyclic_gc():
            files = write_csv(graph, folder)
        if echo:
            echo(f"wrote {len(graph.nodes) + len(graph.sources)} nodes and {len(graph.rels)} relationships "
                 f"as {len(files.handles)} CSV files; importing")  # fmt: skip
        _check_empty(settings)  # nothing else wrote meanwhile
        server.stop(settings)
        try:
            run_import(settings, files, folder)
        except GraphnetError:
            for d in _store_dirs(settings):
                shutil.rmtree(d, ignore_errors=True)
            server.start(settings)
            with dbapi.connect(settings) as db:
                dbapi.apply_schema(db)
            raise
        server.start(settings)
    with dbapi.connect(settings) as db:
        dbapi.apply_schema(db)
        n = db.read("MATCH (n) RETURN count(n) AS n")[0]["n"]
        r = db.read("MATCH ()-[r]->() RETURN count(r) AS n")[0]["n"]
    want_n, want_r = len(graph.nodes) + len(graph.sources), len(graph.rels)
    if (n, r) != (want_n, want_r):  # pragma: no cover - the importer said IMPORT DONE
        raise GraphnetError(f"the import holds {n} nodes and {r} relationships, expected {want_n} and {want_r}")
    return summaries

