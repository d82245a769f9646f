"""Load files into the graph: ``load_file`` (one file) and ``load_plan`` (a list of them).

The order of a load: parse and validate the definition; open the file and
check its required columns (both before any write); find the Source node (a
file already loaded completely with the same definition is skipped); then, a
chunk of rows at a time, map the rows (bad rows go to the rejects list),
aggregate them and write them; finally mark the Source complete, write the
rejects file, and check that every row read is either loaded or rejected.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import hashlib
import itertools
import os
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from neo4j import exceptions as neo4j_exc

from ..collector import no_cyclic_gc
from ..db import Database, ensure_schema
from ..errors import ConnectionFailed, DefinitionError, GraphnetError, InputFileError, Interrupted, first_line
from ..resources import cypher
from . import yamlines
from .definition import Definition, read_definition
from .ftm import FtmMapper
from .mapper import RowMapper, RowProblems
from .readers import open_table, read_jsonl
from .rejects import Reject, rejects_path, write_rejects
from .writer import Batch, WriteCounts, aggregate, retract_chunk, write_chunk

__all__ = ["LoadSummary", "load_file", "load_plan", "read_plan", "unload_file", "source_uid"]

CHUNK_ROWS = 20_000


@dataclasses.dataclass
class LoadSummary:
    """What one load did (also what ``graphnet load`` prints)."""

    file: str
    definition: str
    source: str
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    nodes_created: int = 0
    nodes_matched: int = 0
    relationships_created: int = 0
    relationships_matched: int = 0
    rejects_file: str | None = None
    seconds: float = 0.0
    skipped: bool = False
    resumed: bool = False

    @property
    def relationships_per_second(self) -> float:
        total = self.relationships_created + self.relationships_matched
        return total / self.seconds if self.seconds > 0 else 0.0

    def __str__(self) -> str:
        if self.skipped:
            return (
                f"{self.file}: already loaded with {self.definition} (Source {self.source}, "
                f"{self.rows_read} rows); nothing written"
            )
        text = (
            f"{self.file} ({self.definition}): {self.rows_read} rows read, {self.rows_loaded} loaded, "
            f"{self.rows_rejected} rejected; nodes {self.nodes_created} created, {self.nodes_matched} matched; "
            f"relationships {self.relationships_created} created, {self.relationships_matched} matched; "
            f"{self.seconds:.1f} s"
        )
        if self.resumed:
            text += " (completed an interrupted load)"
        if self.rejects_file:
            text += f"\n  rejects: {self.rejects_file}"
        return text


def source_uid(sha256: str, definition: str, namespace: str | None = None) -> str:
    """``<first 16 hex of SHA-256>:<definition>`` (``@namespace`` when overridden).

    >>> source_uid("0123456789abcdef0123", "caviar")
    '0123456789abcdef:caviar'
    """
    base = f"{sha256[:16]}:{definition}"
    return f"{base}@{namespace}" if namespace else base


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _rejects_dir(rejects_dir: str | Path | None, path: Path) -> Path:
    if rejects_dir is not None:
        return Path(rejects_dir)
    parent = path.resolve().parent
    return parent if os.access(parent, os.W_OK) else Path.cwd()


class _Rows:
    """The mapped rows of one file, re-iterable (the compensation maps them again)."""

    def __init__(self, definition: Definition, path: Path, uid: str, namespace: str | None):
        self.d, self.path, self.uid = definition, path, uid
        self.namespace = namespace or definition.namespace
        if definition.format == "ftm":
            self.columns = ["json"]
            self.approx = None
            self.ftm = FtmMapper(uid, self.namespace, definition.region)
            self.ftm.index(read_jsonl(path))
            self.table = None
        else:
            self.ftm = None
            self.table = open_table(
                path, definition.format, encoding=definition.encoding, delimiter=definition.delimiter,
                sheet=definition.sheet, expected=list(definition.all_columns),
            )  # fmt: skip
            self._check_columns()
            self.columns = self.table.columns
            self.approx = self.table.approx_rows
            self.mapper = RowMapper(definition, uid, self.namespace)

    def _check_columns(self) -> None:
        found = {c.casefold() for c in self.table.columns}
        missing = [c for c in self.d.columns if c.casefold() not in found]
        if missing:
            raise InputFileError(
                f"{self.path}: missing required column{'s' if len(missing) > 1 else ''} "
                f"{', '.join(missing)} (definition {self.d.name}); the columns found are: "
                f"{', '.join(self.table.columns)}"
            )

    def __iter__(self) -> Iterator[tuple[int, dict[str, Any], Any]]:
        """``(row, original values, (nodes, rels) or RowProblems)``."""
        if self.ftm is not None:
            for line, entity in read_jsonl(self.path):
                if isinstance(entity, Exception):
                    yield line, {"json": ""}, RowProblems([("", str(entity))])
                    continue
                try:
                    yield line, {"json": _json(entity)}, self.ftm.map(line, entity)
                except RowProblems as e:
                    yield line, {"json": _json(entity)}, e.with_traceback(None)
            return
        for row, values in self.table.rows():
            try:
                yield row, values, self.mapper.map(row, values)
            except RowProblems as e:
                # no traceback kept: it would hold the row's frames alive while the
                # cyclic collector is paused (no_cyclic_gc), one set per rejected row
                yield row, values, e.with_traceback(None)


def _json(obj: Any) -> str:
    import json

    return json.dumps(obj, ensure_ascii=False, sort_keys=True)


def _progress(enabled: bool, total: int | None, description: str):  # pragma: no cover - display only
    if not enabled:
        return None
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    progress = Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        transient=True,
    )  # fmt: skip
    progress.start()
    progress.add_task(description, total=total)
    return progress


def _chunked(rows: _Rows, size: int, limit: int | None = None) -> Iterator[list[tuple[int, dict[str, Any], Any]]]:
    it = iter(rows) if limit is None else itertools.islice(rows, limit)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


def _batches(rows: _Rows, size: int, summary: LoadSummary, rejects: list[Reject]) -> Iterator[tuple[Batch, int]]:
    """``(aggregated good rows, rows in the chunk)`` per chunk; bad rows go to ``rejects``.

    Counts ``rows_read`` and ``rows_loaded`` on ``summary`` (the Cypher and the bulk loader share this).
    """
    for chunk in _chunked(rows, size):
        good = []
        for row, values, res in chunk:
            if isinstance(res, RowProblems):
                rejects.append(Reject.of(row, res.problems, values))
            else:
                good.append(res)
        summary.rows_read += len(chunk)
        summary.rows_loaded += len(good)
        yield aggregate(good), len(chunk)


def _finish_rejects(rejects_dir: str | Path | None, path: Path, columns: list[str], rejects: list[Reject]) -> str | None:
    """Write the file's rejects file (``columns``: the file's), or remove a stale one; its path when written."""
    rdir = _rejects_dir(rejects_dir, path)
    if rejects:
        return str(write_rejects(rdir, path, columns, rejects))
    stale = rejects_path(rdir, path)
    if stale.is_file():
        stale.unlink()
    return None


def _retract(db: Database, rows: _Rows, limit: int | None = None) -> None:
    """Take the refs of the file's rows (its first ``limit`` rows) back out of the graph."""
    for chunk in _chunked(rows, CHUNK_ROWS, limit):
        retract_chunk(db, aggregate(res for _, _, res in chunk if not isinstance(res, RowProblems)))


def _take_back(db: Database, rows: _Rows, uid: str, read: int | None = None) -> None:
    """Take a load back: the refs of its first ``read`` rows (``None``: every row), then its Source."""
    _retract(db, rows, read)
    db.write(cypher("source_delete"), uid=uid)


def load_file(
    db: Database,
    definition: str | Path | Definition,
    path: str | Path,
    *,
    rejects_dir: str | Path | None = None,
    namespace: str | None = None,
    progress: bool = False,
    force: bool = False,
    chunk_rows: int = CHUNK_ROWS,
    echo: Callable[[str], None] | None = None,
) -> LoadSummary:
    """Load one file with a definition (a shipped name, a YAML path, or a parsed :class:`Definition`).

    Parameters
    ----------
    db : Database
    definition : shipped definition name (``graphnet loaders``), path to a YAML file, or a Definition
    path : the CSV / .xlsx / FtM JSON-lines file
    rejects_dir : where ``<file name>.rejects.csv`` goes (default: beside the file, or the
        current directory when that is not writable)
    namespace : prefix of record uids instead of the definition's ``namespace``
    progress : show a rich progress bar
    force : write again even when this file was already loaded completely (idempotent)
    echo : where to say what happens after Ctrl-C (taking the load back can take a while)

    Returns
    -------
    LoadSummary
        rows read / loaded / rejected, nodes and relationships created and matched.
    """
    started = time.perf_counter()
    d = definition if isinstance(definition, Definition) else read_definition(definition)
    path = Path(path)
    if not path.is_file():
        raise InputFileError(f"{path}: no such file")
    sha = _sha256(path)
    ns = namespace if namespace and namespace != d.namespace else None
    uid = source_uid(sha, d.name, ns)
    rows = _Rows(d, path, uid, namespace)  # reads the header: a missing column fails here, before any write
    ensure_schema(db)
    summary = LoadSummary(file=str(path), definition=d.name, source=uid)
    existing = [r["source"] for r in db.read(cypher("source_status"), uid=uid)]
    if existing and existing[0].get("status") == "complete" and not force:
        summary.skipped = True
        summary.rows_read = existing[0].get("rows") or 0
        summary.rows_rejected = existing[0].get("rejected") or 0
        summary.rows_loaded = summary.rows_read - summary.rows_rejected
        summary.seconds = time.perf_counter() - started
        return summary
    summary.resumed = bool(existing) and existing[0].get("status") == "loading"
    db.write(
        cypher("source_begin"), uid=uid, name=path.name, path=str(path.resolve()), sha256=sha, definition=d.name,
        namespace=namespace or d.namespace, loaded_at=_dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
    )  # fmt: skip
    rejects: list[Reject] = []
    counts = WriteCounts()
    seen_nodes: set[int] = set()
    seen_rels: set[int] = set()
    bar = _progress(progress, rows.approx, f"loading {path.name}")
    # Pipelined: while Neo4j writes chunk N (in one worker thread), this
    # thread reads, maps and aggregates chunk N+1. Writes stay in file order.
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="graphnet-load")
    pending: Future | None = None
    dedupe = bool(existing)

    def write(batch: Batch, n_rows: int) -> None:
        write_chunk(db, batch, counts, dedupe=dedupe)
        if bar is not None:
            bar.advance(bar.task_ids[0], n_rows)

    try:
        with no_cyclic_gc():  # see no_cyclic_gc: mapping CPU 18.9 s -> 6.7 s on 200,000 call rows
            for batch, n_rows in _batches(rows, chunk_rows, summary, rejects):
                seen_nodes.update(hash(k) for k in batch.nodes)
                seen_rels.update(hash(k) for k in batch.rels)
                if pending is not None:
                    pending.result()
                pending = pool.submit(write, batch, n_rows)
            if pending is not None:
                pending.result()
            summary.rejects_file = _finish_rejects(rejects_dir, path, rows.columns, rejects)
            db.write(cypher("source_complete"), uid=uid, rows=summary.rows_read, rejected=len(rejects))
    except (neo4j_exc.Neo4jError, neo4j_exc.DriverError, GraphnetError, KeyboardInterrupt) as e:
        # KeyboardInterrupt: Ctrl-C, or SIGTERM to the graphnet command
        if bar is not None:
            bar.stop()
        # what this run wrote comes from the rows it read; a resumed load may hold rows past them
        read = None if summary.resumed else summary.rows_read
        if isinstance(e, KeyboardInterrupt):
            raise _interrupted(db, rows, uid, path, pool, read, echo) from None
        pool.shutdown(wait=True)
        raise _failed(db, rows, uid, path, read, e) from e
    finally:
        pool.shutdown(wait=True)
        if bar is not None:
            bar.stop()
    summary.rows_rejected = len(rejects)
    if summary.rows_loaded + summary.rows_rejected != summary.rows_read:  # pragma: no cover - a bug
        raise AssertionError(f"{path}: rows read {summary.rows_read} != loaded + rejected")
    summary.nodes_created = counts.nodes_created
    summary.nodes_matched = len(seen_nodes) - counts.nodes_created
    summary.relationships_created = counts.relationships_created
    summary.relationships_matched = len(seen_rels) - counts.relationships_created
    summary.seconds = time.perf_counter() - started
    return summary


def _failed(db: Database, rows: _Rows, uid: str, path: Path, read: int | None, error: Exception) -> GraphnetError:
    """Take back what the failed load wrote (its first ``read`` rows; ``None``: the whole file); the error."""
    reason = first_line(error)
    try:
        _take_back(db, rows, uid, read)
    except (neo4j_exc.Neo4jError, neo4j_exc.DriverError, ConnectionFailed):
        return GraphnetError(
            f"{path}: the load failed ({reason}) and the server cannot be reached to take it back; "
            f"the Source {uid} stays marked 'loading': run the same load again to complete it"
        )
    except GraphnetError as e:
        return GraphnetError(
            f"{path}: the load failed ({reason}) and could not be taken back ({e}); "
            f"the Source {uid} stays marked 'loading'"
        )
    return GraphnetError(f"{path}: the load failed ({reason}); everything it wrote was taken back")


def _interrupted(db: Database, rows: _Rows, uid: str, path: Path, pool: ThreadPoolExecutor, read: int | None,
                 echo: Callable[[str], None] | None) -> Interrupted:  # fmt: skip
    """Take back what the interrupted load wrote (its first ``read`` rows; ``None``: the whole file).

    The chunk being written finishes first. Interrupted again meanwhile, the
    load stays as it is, marked ``loading``, and a rerun completes it.
    """
    if echo is not None:
        what = "every row of it" if read is None else f"its first {read:,} rows"
        echo(f"{path}: interrupted; taking back what the load wrote ({what}). Ctrl-C again leaves it as it is, "
             "for the same command to complete")
    try:
        pool.shutdown(wait=True)
        _take_back(db, rows, uid, read)
    except KeyboardInterrupt:
        return Interrupted(
            f"{path}: interrupted again while taking the load back; what it wrote stays, its Source {uid} "
            "marked 'loading': run the same load again to complete it"
        )
    except (neo4j_exc.Neo4jError, neo4j_exc.DriverError, GraphnetError) as e:
        reason = first_line(e)
        return Interrupted(
            f"{path}: interrupted, and what the load wrote could not be taken back ({reason}); its Source {uid} "
            "stays marked 'loading': run the same load again to complete it"
        )
    return Interrupted(f"{path}: interrupted; what the load had written from this file was taken back")


def unload_file(db: Database, definition: str | Path | Definition, path: str | Path, *, namespace: str | None = None) -> int:
    """Take a loaded file back out of the graph: its refs, its weights, and whatever only it asserted.

    Returns the number of rows whose refs were removed.
    """
    d = definition if isinstance(definition, Definition) else read_definition(definition)
    path = Path(path)
    ns = namespace if namespace and namespace != d.namespace else None
    uid = source_uid(_sha256(path), d.name, ns)
    rows = _Rows(d, path, uid, namespace)
    ensure_schema(db)
    _take_back(db, rows, uid)
    return sum(1 for _ in rows)


def read_plan(plan_path: str | Path) -> list[tuple[Definition, Path, str | None]]:
    """The ``(definition, file, namespace)`` steps of a plan YAML, all checked.

    Every definition must be valid and every file present, so a wrong plan
    writes nothing. File paths are relative to the plan.
    """
    plan_path = Path(plan_path)
    if not plan_path.is_file():
        raise InputFileError(f"{plan_path}: no such plan file")
    doc = yamlines.load(plan_path.read_text(encoding="utf-8"), str(plan_path))
    if isinstance(doc, dict) and "loads" in doc:
        doc = doc["loads"]
    if not isinstance(doc, list):
        raise DefinitionError(str(plan_path), 1, "a load plan is a list of {definition, file}")
    steps = []
    for i, item in enumerate(doc):
        line = doc.line_of(i) if isinstance(doc, yamlines.LineList) else None
        if not isinstance(item, dict) or "definition" not in item or "file" not in item:
            raise DefinitionError(str(plan_path), line, "each plan entry needs `definition` and `file`")
        definition = str(item["definition"])
        if definition.endswith((".yaml", ".yml")) and not Path(definition).is_absolute():
            definition = str(plan_path.parent / definition)
        d = read_definition(definition)
        file = Path(str(item["file"]))
        file = file if file.is_absolute() else plan_path.parent / file
        if not file.is_file():
            raise InputFileError(f"{plan_path}, line {line}: no such file {file}")
        ns = item.get("namespace")
        steps.append((d, file, str(ns) if ns else None))
    return steps


def load_plan(db: Database, plan_path: str | Path, **kw: Any) -> list[LoadSummary]:
    """Load every ``{definition, file}`` of a plan YAML, in order (paths relative to the plan).

    The whole plan is checked first (:func:`read_plan`) so a wrong plan writes nothing.
    Interrupted, the file being loaded is taken back and the files before it
    stay loaded: the same command again skips them and goes on.
    """
    steps = []
    for d, file, ns in read_plan(plan_path):
        kwargs = dict(kw)
        if ns and "namespace" not in kwargs:
            kwargs["namespace"] = ns
        steps.append((d, file, kwargs))
    return _load_in_turn(db, steps)


def load_files(db: Database, definition: str | Path | Definition, paths: list[str | Path], **kw: Any) -> list[LoadSummary]:
    """:func:`load_file` of each of ``paths`` with one definition, in turn (interrupted: as :func:`load_plan`)."""
    d = definition if isinstance(definition, Definition) else read_definition(definition)
    return _load_in_turn(db, [(d, path, kw) for path in paths])


def _load_in_turn(db: Database, steps: list[tuple[Definition, str | Path, dict[str, Any]]]) -> list[LoadSummary]:
    out: list[LoadSummary] = []
    for d, path, kwargs in steps:
        try:
            out.append(load_file(db, d, path, **kwargs))
        except Interrupted as e:
            raise Interrupted(f"{e}\n{_done_before(out)}") from None
    return out


def _done_before(done: list[LoadSummary]) -> str:
    """What an interrupted plan leaves loaded, and how to go on.

    >>> _done_before([])
    'no file was loaded before it'
    >>> _done_before([LoadSummary(file="a.csv", definition="d", source="s")])
    'the 1 file before it stays loaded (a.csv): the same command again skips it and loads the rest'
    """
    if not done:
        return "no file was loaded before it"
    names = ", ".join(Path(s.file).name for s in done)
    n = len(done)
    return (f"the {n} file{'s' if n > 1 else ''} before it stay{'' if n > 1 else 's'} loaded ({names}): "
            f"the same command again skips {'them' if n > 1 else 'it'} and loads the rest")
