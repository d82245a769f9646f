"""Bulk load: a whole load plan into an empty managed database with Neo4j's offline importer.

``graphnet load --plan PLAN --bulk`` is for the first load of a large data
set (millions of call or transfer rows). It gives exactly the graph that
``graphnet load --plan PLAN`` gives - the same nodes, relationships,
properties, ``src`` refs, weights, conflict flags, Source nodes and rejects
files - but instead of sending ``UNWIND ... MERGE`` batches over Bolt it

1. maps and aggregates every file of the plan in Python with the same mapper
   and the same per-chunk folding as :func:`graphnet.loading.load_file`
   (:func:`graphnet.loading.bulk_graph.map_plan`, files mapped in one
   process per core and folded in plan order; files of a simple shape, such
   as call records, column-wise with the same result:
   :mod:`graphnet.loading.columnar`);
2. writes the aggregated graph as CSV files (:mod:`graphnet.loading.bulk_csv`)
   in a private temporary folder; the relationships of types only such
   files give (calls, payments) never become Python objects: they are
   folded and written column-wise (:mod:`graphnet.loading.bulk_lanes`);
3. meanwhile stops the managed Neo4j; then runs ``neo4j-admin database import
   full`` (the ``neo4j-import-tool`` already on the managed server's
   classpath) into its store, starts it again and creates the schema's
   constraints and indexes;
4. checks the node and relationship counts against what it wrote.

Steps 1 and 2 run in a child process: the aggregated graph (gigabytes for
millions of rows) goes with it, instead of being freed object by object.

It refuses, before writing anything, a database that holds any node (the
importer replaces the whole store) and an external server (``NEO4J_URI``:
the store files are not ours to replace). When the import fails the store is
removed so the database comes back empty, never half-written.

Why: on the 2-core benchmark machine Neo4j creates relationships through
Cypher at about 5,000/s whatever the batching (``benchmarks/RESULTS.md``);
the importer writes the store directly.
"""

from __future__ import annotations

import dataclasses
import gc
import multiprocessing as mp
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..collector import no_cyclic_gc
from ..config import Settings
from ..errors import GraphnetError, Interrupted
from ..resources import cypher
from ..schema import load_schema, quote
from .bulk_csv import CsvFiles, write_csv
from .bulk_graph import BulkGraph, die_with_parent, fork_available, map_plan, rebuilt_error
from .load import LoadSummary, read_plan
from .writer import _fill

__all__ = ["bulk_load_plan", "BulkGraph", "map_plan", "set_later", "write_csv"]

def _ensure_local(settings: Settings) -> None:
    if settings.external:
        raise GraphnetError(
            "--bulk replaces the store files of the managed Neo4j and cannot load into the server NEO4J_URI "
            "names; load without --bulk, or unset NEO4J_URI"
        )


def _check_empty(settings: Settings) -> None:
    from .. import db as dbapi
    from ..db import server

    if server.never_created(settings):
        server.build(settings)  # a failed build shows now, not after the mapping
        return
    server.start(settings)
    with dbapi.connect(settings) as db:
        n = db.read(cypher("db_node_count"))[0]["n"]
    if n:
        raise GraphnetError(
            f"--bulk loads only into an empty database, and this one holds {n} nodes; "
            "load without --bulk (incremental), or empty it first with `graphnet db clear`"
        )


def run_import(settings: Settings, files: CsvFiles, folder: Path) -> str:
    """Run ``neo4j-admin database import full`` on the stopped managed server's store."""
    from ..db import server

    java_home = server.find_java(settings)
    build = server.build(settings)
    conf = folder / "conf"
    conf.mkdir(exist_ok=True)
    (conf / "neo4j.conf").write_text("")
    cp = f"{build / 'target' / 'classes'}{os.pathsep}{build / 'target' / 'lib' / '*'}"
    # the throughput collector: a batch job's pauses do not matter (interleaved on the national files, four
    # runs each: import 13.3-19.8 s, median 14.5, against 15.4-19.7 s, median 17.3, with the server's G1)
    flags = [f for f in server.JVM_FLAGS if f != "-XX:+UseG1GC"] + ["-XX:+UseParallelGC"]
    cmd = [
        str(java_home / "bin" / "java"), f"-Xmx{settings.heap}", *flags, "-cp", cp, "org.neo4j.cli.AdminTool",
        "database", "import", "full", *files.args,
        "--array-delimiter=U+001F", "--id-type=actual", "--overwrite-destination=true",
        "--skip-bad-relationships=false", "--skip-duplicate-nodes=false", "--bad-tolerance=0",
        f"--report-file={folder / 'import.report'}", f"--multiline-fields={'true' if files.multiline else 'false'}",
        settings.database,
    ]  # fmt: skip
    env = {**os.environ, "NEO4J_HOME": str(settings.server_home), "NEO4J_CONF": str(conf),
           "JAVA_HOME": str(java_home)}  # fmt: skip
    marker = server.import_marker(settings)
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text("".join(f"{d}\n" for d in server.store_dirs(settings)), encoding="utf-8")
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=folder, preexec_fn=die_with_parent)
    out = proc.stdout + proc.stderr
    if proc.returncode == 0 and "IMPORT DONE" in out:
        marker.unlink()  # on failure the caller removes the store, and the marker with it
    if proc.returncode != 0 or "IMPORT DONE" not in out:
        tail = [ln for ln in out.splitlines() if ln.strip()][-6:]
        raise GraphnetError("the Neo4j importer failed: " + " | ".join(tail))
    return out


@dataclasses.dataclass
class _Prepared:
    """What the mapping step hands to the import: the summaries and the CSV files."""

    summaries: list[LoadSummary]
    files: CsvFiles


def _prepare(plan: str | Path, folder: Path, rejects_dir: str | Path | None, workers: int,
             echo: Callable[[str], None], keep: list | None = None) -> _Prepared:  # fmt: skip
    """Map the plan and write its CSV files (steps 1 and 2); the graph is appended to ``keep``."""
    with no_cyclic_gc(collect=False):  # millions of live entries: automatic collections would walk them again and again
        graph, summaries = map_plan(plan, rejects_dir=rejects_dir, echo=echo, workers=workers, folder=folder,
                                    finish=False)  # the lanes' files are written beside the others'
        if keep is not None:
            keep.append(graph)
        files = write_csv(graph, folder)  # and waits for the lanes, which completes the summaries
    echo(f"wrote {files.nodes} nodes and {files.relationships} relationships as {len(files.args)} CSV files")
    return _Prepared(summaries, files)


def _prepare_child(conn: Any, *args: Any) -> None:
    """Child process: :func:`_prepare`, its messages and its result sent through ``conn``.

    The cyclic collector stays off to the end (one automatic collection
    walks every object of the graph), and the process ends with ``os._exit``:
    the graph is dropped with it, not freed object by object.
    """
    gc.disable()
    die_with_parent()
    code = 1
    graph: list = []  # alive until os._exit
    try:
        conn.send(("done", _prepare(*args, echo=lambda m: conn.send(("echo", m)), keep=graph)))
        code = 0
    except Exception as e:
        import traceback

        user = isinstance(e, GraphnetError)
        conn.send(("error", (type(e).__name__, str(e) if user else traceback.format_exc(), user)))
    finally:
        conn.close()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


class _Preparation:
    """:func:`_prepare` in a forked child (or here, where forking is not safe)."""

    def __init__(self, *args: Any):
        self.args, self.proc, self.conn = args, None, None
        if fork_available():
            ctx = mp.get_context("fork")
            self.conn, theirs = ctx.Pipe(duplex=False)
            self.proc = ctx.Process(target=_prepare_child, args=(theirs, *args), name="graphnet-bulk")  # not a daemon: it forks the mapping workers
            self.proc.start()
            theirs.close()

    def result(self, echo: Callable[[str], None]) -> _Prepared:
        if self.proc is None:
            return _prepare(*self.args, echo=echo)
        try:
            while True:
                try:
                    kind, payload = self.conn.recv()
                except EOFError:
                    self.proc.join()
                    raise GraphnetError(_ended_message(self.proc.exitcode)) from None
                if kind == "echo":
                    echo(payload)
                elif kind == "error":
                    raise rebuilt_error(*payload)
                else:
                    return payload
        finally:
            self.close()

    def close(self) -> None:
        if self.proc is not None:
            if self.proc.is_alive():
                self.proc.terminate()
            self.proc.join()
            self.conn.close()


def _ended_message(exitcode: int | None) -> str:
    """What to tell the user when the mapping process died without a word (a kill, most often for memory).

    >>> print(_ended_message(-9))
    the bulk mapping process was killed (SIGKILL) before it finished; nothing was imported. The usual cause is \
lack of memory: --bulk holds the whole graph in memory (about 3.5 GB per million input rows at the peak); free memory, or load \
without --bulk, which streams the rows
    """
    if exitcode == -signal.SIGKILL:
        return ("the bulk mapping process was killed (SIGKILL) before it finished; nothing was imported. The usual "
                "cause is lack of memory: --bulk holds the whole graph in memory (about 3.5 GB per million input "
                "rows at the peak); free memory, or load without --bulk, which streams the rows")
    return f"the bulk mapping process ended without finishing (exit code {exitcode}); nothing was imported"


class _Meanwhile:
    """``func(*args)`` in a thread while this one goes on; :meth:`wait` for its end.

    Not ``Thread.join``: a join that Ctrl-C interrupted may return at once
    when called again while the thread still runs (seen on CPython 3.11:
    the server went on stopping after the load had ended and started it).
    """

    def __init__(self, func: Callable[..., Any], *args: Any, name: str):
        self._done = threading.Event()

        def run() -> None:
            try:
                func(*args)
            finally:
                self._done.set()

        threading.Thread(target=run, name=name).start()

    def wait(self) -> None:
        self._done.wait()


def bulk_load_plan(settings: Settings, plan: str | Path, *, rejects_dir: str | Path | None = None,
                   echo: Callable[[str], None] | None = None, workers: int | None = None) -> list[LoadSummary]:  # fmt: skip
    """Load a whole plan into the empty managed database with the offline importer.

    Same graph as :func:`graphnet.loading.load_plan` (tests compare the two on
    the synthetic province scenario); see the module docstring for the steps.
    ``workers``: mapping processes (default: one per core). The managed
    server is running again when this returns, with the schema applied.
    """
    from .. import db as dbapi
    from ..db import server

    say = echo or (lambda m: None)
    _ensure_local(settings)
    steps = read_plan(plan)  # a wrong plan fails here, before anything else
    if not steps:
        raise GraphnetError(f"{plan}: the plan lists no files")
    _check_empty(settings)
    settings.home.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bulk-", dir=settings.home) as tmp:
        folder = Path(tmp)
        os.chmod(folder, 0o700)  # victims' data: readable by this user only
        prep = _Preparation(plan, folder, rejects_dir, workers or os.cpu_count() or 1)
        # The database was empty; stopped, nothing can write to it before the import.
        stopping = _Meanwhile(server.stop, settings, name="graphnet-stop")
        step = "while mapping the plan"
        try:
            try:
                prepared = prep.result(say)
            finally:
                prep.close()
            step = "while Neo4j stopped for the import"
            stopping.wait()
            step = "during the import"
            say("importing")
            started = time.perf_counter()
            run_import(settings, prepared.files, folder)
        except BaseException as e:  # KeyboardInterrupt too: Ctrl-C, or SIGTERM to the graphnet command
            stopping.wait()
            if step == "during the import":
                _discard_store(settings)  # what the importer wrote goes; the server starts, empty
            else:
                server.start(settings)  # nothing was written: the store is as it was, empty
            if isinstance(e, KeyboardInterrupt):
                raise Interrupted(f"interrupted {step}; nothing was imported, the database is empty as before") from None
            raise
        say(f"imported in {time.perf_counter() - started:.1f} s; starting Neo4j and creating the schema")
    try:
        server.start(settings)
        with dbapi.connect(settings) as db:
            dbapi.apply_schema(db)
            if prepared.files.later:
                say(f"setting {len(prepared.files.later)} list value(s) the importer's CSV cannot carry")
                with dbapi.held_interrupts():  # one transaction: Ctrl-C acts once it is done
                    set_later(db, prepared.files.later)
            n = db.read(cypher("db_node_count"))[0]["n"]
            r = db.read(cypher("db_relationship_count"))[0]["n"]
    except BaseException as e:  # nothing half-done: the store goes, the database comes back empty
        server.stop(settings)
        _discard_store(settings)
        if isinstance(e, KeyboardInterrupt):
            raise Interrupted("interrupted while completing the import; it was removed, the database is empty "
                              "as before") from None
        raise
    want = (prepared.files.nodes, prepared.files.relationships)
    if (n, r) != want:  # pragma: no cover - the importer said IMPORT DONE
        raise GraphnetError(f"the import holds {n} nodes and {r} relationships, expected {want[0]} and {want[1]}")
    return prepared.summaries


def _discard_store(settings: Settings) -> None:
    """The stopped server's store removed: the database comes back empty, with the schema."""
    from .. import db as dbapi
    from ..db import server

    for d in server.store_dirs(settings):
        shutil.rmtree(d, ignore_errors=True)
    server.import_marker(settings).unlink(missing_ok=True)
    server.start(settings)
    with dbapi.connect(settings) as db:
        dbapi.apply_schema(db)


def set_later(db: Any, later: list[tuple[tuple[str, str], str, list]]) -> None:
    """Set the node lists :func:`write_csv` left out of the CSV (``CsvFiles.later``), all in one transaction.

    Raises GraphnetError (and sets none) when a node is not found.
    """
    schema = load_schema()
    groups: dict[str, dict[str, dict[str, Any]]] = {}  # label -> uid -> row
    for (label, uid), prop, value in later:
        row = groups.setdefault(schema.check_label(label), {}).setdefault(uid, {"uid": uid, "props": {}})
        row["props"][prop] = value

    def work(tx: Any) -> None:
        for label, rows in groups.items():
            query = _fill(cypher("bulk_later_nodes"), label=quote(label))
            found = tx.run(query, rows=list(rows.values())).single()["n"]
            if found != len(rows):  # pragma: no cover - the importer wrote every node it was given
                raise GraphnetError(f"after the import, {len(rows) - found} {label} node(s) to complete were missing")

    with db.session() as session:
        session.execute_write(work)
