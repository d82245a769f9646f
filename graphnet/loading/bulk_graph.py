"""A whole plan mapped and aggregated in memory: the graph ``--bulk`` hands to Neo4j's importer.

:func:`map_plan` reads every file of a load plan with the same mapper and the
same per-chunk aggregation as :func:`graphnet.loading.load_file`, and folds
the chunks into one :class:`BulkGraph` in plan order, exactly as the Cypher
writer would leave them in Neo4j (``tests/test_bulk.py`` compares the two
graphs property by property).

Mapping is the slow part (Python, per row; files of the shape
:mod:`graphnet.loading.columnar` takes are mapped column-wise in a child of
their own, :class:`_Apart`), so with ``workers > 1`` the files are mapped in
child processes, each taking whole files in plan order,
while this process folds their chunks as they arrive, still in plan order:
the result does not depend on the number of workers (tested).

>>> from pathlib import Path
>>> import tempfile
>>> d = Path(tempfile.mkdtemp())
>>> _ = (d / "edges.csv").write_text("source,target\\nA,B\\nA,B\\nB,C\\n")
>>> _ = (d / "plan.yaml").write_text("- {definition: krebs_911, file: edges.csv}\\n")
>>> graph, (summary,) = map_plan(d / "plan.yaml")
>>> len(graph.nodes), len(graph.rels), summary.rows_read, summary.relationships_matched
(3, 2, 3, 0)
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import gc
import datetime as _dt
import multiprocessing as mp
import multiprocessing.connection as mpc
import os
import pickle
import queue as _queue
import signal
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from .. import errors
from ..collector import no_cyclic_gc
from ..errors import GraphnetError
from ..schema import load_schema
from . import columnar
from .bulk_lanes import Lane, LaneFiles, Part, _may_give, _sum, lanes_of, steps_of, write_lanes
from .definition import Definition
from .load import CHUNK_ROWS, LoadSummary, _batches, _finish_rejects, _Rows, _sha256, read_plan, source_uid
from .rejects import Reject
from .writer import Batch

__all__ = ["BulkGraph", "map_plan", "fork_available", "rebuilt_error", "die_with_parent"]


@dataclasses.dataclass
class BulkGraph:
    """A whole plan's graph, aggregated as the Cypher writer would leave it in Neo4j.

    An element of a ``src`` list may hold several refs joined by the
    importer's array delimiter (a file mapped column-wise sends each entry's
    refs as one string): the CSV cell, the refs joined, is the same.
    """

    nodes: dict[tuple[str, str], dict[str, Any]] = dataclasses.field(default_factory=dict)
    rels: dict[tuple, dict[str, Any]] = dataclasses.field(default_factory=dict)
    sources: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    #: the relationships of the lanes, written already (:mod:`graphnet.loading.bulk_lanes`), not in ``rels``
    lanes: LaneFiles | None = None
    #: the lanes still being written (``map_plan(..., finish=False)``): :meth:`finish_lanes` waits for them
    pending: Callable[[], LaneFiles] | None = dataclasses.field(default=None, repr=False, compare=False)

    def finish_lanes(self) -> None:
        """Wait for the lanes' files if they are still being written (:attr:`pending`); :attr:`lanes` holds them."""
        if self.pending is not None:
            pending, self.pending = self.pending, None
            self.lanes = pending()

    def fold(self, chunk: Batch, places: list[int] | None = None) -> tuple[int, int]:
        """Add one aggregated chunk the way ``merge_nodes``/``merge_relationships`` do.

        Returns how many nodes and relationships this chunk created. The order
        of every step copies the Cypher SET items (writer.py), so values and
        floating-point sums are the same to the last bit.

        A new node's ``"id"`` is its creation number (the importer's node id,
        :mod:`graphnet.loading.bulk_csv`), and a new relationship's ``"ends"``
        the ids of its two nodes, found among the chunk's own nodes; or, for
        a file mapped column-wise (its relationships say ``"at"``), at their
        places in ``places``: the ids of the file's nodes in its order, which
        this extends. (Looking them up in the whole graph instead took 9 s
        on the national scenario.)
        """
        nodes, rels = self.nodes, self.rels
        new_nodes = new_rels = 0
        here: dict[tuple[str, str], int] = {}
        for key, e in chunk.nodes.items():
            g = nodes.get(key)
            if g is None:
                here[key] = len(nodes)
                nodes[key] = {"uid": e["uid"], "src": list(e["src"]), "props": dict(e["props"]),
                              "flags": list(e["flags"]), "id": len(nodes)}  # fmt: skip
                new_nodes += 1
                continue
            here[key] = g["id"]
            lists, identifying = _label_rules(key[0])
            eprops, props = e["props"], g["props"]
            found = [
                f"{k}_conflict" for k in sorted(eprops)
                if k in identifying and props.get(k) is not None and props[k] != eprops[k]
            ] if identifying else []  # fmt: skip
            for f in found + e["flags"]:
                if f not in g["flags"]:
                    g["flags"].append(f)
            g["src"].extend(e["src"])
            for k, v in eprops.items():
                old = props.get(k)
                if old is None:
                    props[k] = v
                elif k in lists:
                    props[k] = old + [x for x in v if x not in old]
        for key, e in chunk.rels.items():
            if "steps" in e:  # a whole file mapped column-wise (columnar.py): what each chunk of rows added
                steps, sum_steps = e["steps"], e["sum_steps"]
            else:
                steps, sum_steps = (_sum(e["w"]),), {k: (_sum(v),) for k, v in e["sums"].items()}
            g = rels.get(key)
            if g is None:
                weight = 0.0
                for added in steps:
                    weight += added
                sums = {}
                for k, ss in sum_steps.items():
                    sums[k] = 0.0
                    for v in ss:
                        sums[k] += v
                at = e.get("at")
                if at:
                    ends = (places[at[0]], places[at[1]])
                else:  # a node of the chunk, unless a mapper ever names one it did not give
                    s, t = here.get(key[1:3]), here.get(key[3:5])
                    ends = (nodes[key[1:3]]["id"] if s is None else s, nodes[key[3:5]]["id"] if t is None else t)
                rels[key] = {"s": e["s"], "t": e["t"], "key": e["key"], "src": list(e["src"]),
                             "weight": weight, "props": dict(e["props"]), "sums": sums, "ends": ends}  # fmt: skip
                new_rels += 1
                continue
            for added in steps:
                g["weight"] += added
            for k, ss in sum_steps.items():
                for v in ss:
                    g["sums"][k] = g["sums"].get(k, 0.0) + v
            g["src"].extend(e["src"])
            for k, v in e["props"].items():
                g["props"].setdefault(k, v)
        if places is not None:
            places.extend(here.values())
        return new_nodes, new_rels


@functools.lru_cache(maxsize=None)
def _label_rules(label: str) -> tuple[frozenset[str], frozenset[str]]:
    """A label's list properties, and its identifying scalar properties (a different value is a conflict)."""
    schema = load_schema()
    allowed = schema.node_properties(label)
    lists = frozenset(k for k, spec in allowed.items() if spec.get("type") == "list")
    return lists, frozenset(k for k in schema.node(label).identifying if k in allowed and k not in lists)


@dataclasses.dataclass
class _Task:
    """One file of the plan to map (a repeated file is not a task: it is skipped)."""

    index: int
    definition: Definition
    path: Path
    namespace: str | None
    uid: str
    sha: str
    lanes: dict[str, Lane] = dataclasses.field(default_factory=dict)  # relationship types left to bulk_lanes


#: map files of the shape :mod:`graphnet.loading.columnar` takes column-wise (tests compare both ways)
COLUMNAR = True
#: write the relationships of the lanes column-wise (:mod:`graphnet.loading.bulk_lanes`) when map_plan has a folder
LANES = True


class _Frame(bytes):
    """A file's lane steps (Arrow IPC bytes) among its pickled batches."""


def _columnar_child(write: int, task: _Task, chunk_rows: int) -> None:
    """Forked child: ``columnar.map_file`` of one file, sent as a head then each batch pickled.

    The head is ``(rows read, rejects, the file's columns, number of batches,
    lane steps follow)``, or ``None`` when the file is to be mapped row by
    row (which also reports any mistake in it: a missing column, an
    unreadable file). The lane steps come last, as bytes.
    """
    code = 1
    try:
        die_with_parent()
        gc.disable()  # a one-shot process building millions of objects (collector.py); os._exit drops them
        conn = mpc.Connection(write, readable=False)
        try:
            rows = _Rows(task.definition, task.path, task.uid, task.namespace)
            got = columnar.map_file(rows, chunk_rows, task.lanes)
        except Exception:  # noqa: BLE001 - mapped row by row, which says what is wrong
            got = None
        if got is None:
            conn.send(None)
        else:
            batches, n, rejects, lane = got
            conn.send((n, rejects, rows.columns, len(batches), lane is not None))
            for b in batches:
                conn.send_bytes(pickle.dumps(b, pickle.HIGHEST_PROTOCOL))
            if lane is not None:
                conn.send_bytes(lane)
        conn.close()
        code = 0
    finally:
        os._exit(code)


class _Apart:
    """One file mapped column-wise (:mod:`graphnet.loading.columnar`) in a child forked now; :meth:`result` reads it.

    polars runs threads of its own, which a forked child does not get: a
    process that has run polars cannot fork one that runs it again (it
    would wait for ever). So polars never runs in a mapping process, only in
    a child forked for one file (``os.fork``: a mapping worker is a daemon,
    and those cannot start a ``multiprocessing`` child). A worker starts its
    children before it sends anything (sending starts the queue's thread).
    """

    def __init__(self, task: _Task, chunk_rows: int):
        self.started = time.perf_counter()  # the file's mapping starts now (its summary's seconds count from here)
        read, write = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # pragma: no cover - the child (ends in _columnar_child)
            os.close(read)
            _columnar_child(write, task, chunk_rows)
        os.close(write)
        self.conn = mpc.Connection(read, writable=False)

    @classmethod
    def start(cls, task: _Task) -> _Apart | None:
        """The child for ``task``, or ``None`` when the file is mapped row by row here."""
        if not COLUMNAR or columnar.plan_of(task.definition) is None or not fork_available():
            return None
        return cls(task, CHUNK_ROWS)

    def result(self) -> tuple[list[bytes], int, list[Reject], list[str]] | None:
        """Pickled batches (then the lane steps, a :class:`_Frame`), rows read, rejects and the file's columns.

        ``None``: map it row by row.
        """
        try:
            head = self.conn.recv()
            if head is None:
                return None
            n, rejects, columns, count, lane = head
            batches = [self.conn.recv_bytes() for _ in range(count)]
            if lane:
                batches.append(_Frame(self.conn.recv_bytes()))
            return batches, n, rejects, columns
        except EOFError:  # the child failed or was killed: the file is mapped row by row
            return None
        finally:
            self.close()

    def close(self) -> None:
        if self.pid:
            self.conn.close()
            try:
                os.kill(self.pid, signal.SIGKILL)  # ended already, unless it was not read to the end
            except ProcessLookupError:
                pass
            os.waitpid(self.pid, 0)
            self.pid = 0


def _file_chunks(task: _Task, rejects_dir: str | Path | None, summary: LoadSummary,
                 apart: _Apart | None = None) -> Iterator[Batch | bytes]:  # fmt: skip
    """The aggregated chunks of one file (pickled when mapped column-wise, then its lane steps, a :class:`_Frame`).

    Its rejects file is written at the end.

    ``apart``: the file's column-wise child, when started already.
    """
    if apart is None:
        apart = _Apart.start(task)
    whole = apart.result() if apart is not None else None
    if whole is not None:
        batches, summary.rows_read, rejects, columns = whole
        summary.rows_loaded = summary.rows_read - len(rejects)
        yield from batches
    else:
        rows = _Rows(task.definition, task.path, task.uid, task.namespace)
        columns = rows.columns
        rejects = []
        for batch, _ in _batches(rows, CHUNK_ROWS, summary, rejects):
            yield batch
    summary.rows_rejected = len(rejects)
    summary.rejects_file = _finish_rejects(rejects_dir, task.path, columns, rejects)


def _tasks(plan: str | Path) -> tuple[list[_Task], list[tuple[int, Path, int]]]:
    """The plan's files to map, and ``(index, path, index of the earlier same file)`` of those skipped.

    As :func:`graphnet.loading.load_plan`, the same file with the same
    definition (and namespace) a second time is skipped.
    """
    tasks: list[_Task] = []
    repeats: list[tuple[int, Path, int]] = []
    by_uid: dict[str, int] = {}
    for i, (d, path, ns) in enumerate(read_plan(plan)):
        sha = _sha256(path)
        uid = source_uid(sha, d.name, ns if ns and ns != d.namespace else None)
        if uid in by_uid:
            repeats.append((i, path, by_uid[uid]))
            continue
        by_uid[uid] = i
        tasks.append(_Task(i, d, path, ns, uid, sha))
    return tasks, repeats


def die_with_parent() -> None:
    """In a child process: end with its parent, and leave Ctrl-C to the parent.

    Linux: SIGKILL when the parent dies (``PR_SET_PDEATHSIG``), so no mapping
    process or importer outlives a load that was killed or stopped (a mapping
    process blocked on a full queue would wait forever). Ctrl-C reaches every
    process of the terminal's group: only the parent acts on it, and ends
    its children.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        if os.getppid() == 1:  # pragma: no cover - the parent died before prctl
            os._exit(1)
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        pass


def fork_available() -> bool:
    """Whether child processes can be forked safely here (Linux, one thread running)."""
    return "fork" in mp.get_all_start_methods() and threading.active_count() == 1


# --- parallel mapping ---------------------------------------------------------

def _worker(tasks: list[_Task], rejects_dir: str | Path | None, out: Any) -> None:
    """Child process: map ``tasks`` in order, sending ``("chunk", i, Batch)`` then ``("end", i, summary)``."""
    die_with_parent()
    # column-wise children first: forked before the queue's thread starts, they map while this one does
    aparts = {t.index: _Apart.start(t) for t in tasks}
    with no_cyclic_gc(collect=False):
        for t in tasks:
            try:
                summary = LoadSummary(file=str(t.path), definition=t.definition.name, source=t.uid)
                apart = aparts.pop(t.index)  # started with the worker: its seconds count from then
                started = apart.started if apart is not None else time.perf_counter()
                for batch in _file_chunks(t, rejects_dir, summary, apart):
                    if isinstance(batch, _Frame):
                        out.put(("lane", t.index, bytes(batch)))
                        continue
                    # pickled here, not by the queue's feeder thread: the two threads
                    # would contend for the GIL on every chunk
                    if not isinstance(batch, bytes):
                        batch = pickle.dumps(batch, pickle.HIGHEST_PROTOCOL)
                    out.put(("chunk", t.index, batch))
                summary.seconds = time.perf_counter() - started
                out.put(("end", t.index, summary))
            except Exception as e:  # sent to the parent, which raises it; nothing else is mapped
                user = isinstance(e, GraphnetError)
                out.put(("error", t.index, (type(e).__name__, str(e) if user else traceback.format_exc(), user)))
                break
    for apart in aparts.values():  # files left after an error
        if apart is not None:
            apart.close()
    out.close()
    out.join_thread()


#: what a byte of a file whose relationships are all lanes costs to map, against a byte of any other file
LANE_BYTE = 0.25


def _cost(t: _Task) -> float:
    """What mapping a file costs, in bytes of an ordinary file.

    A file mapped column-wise whose relationships are all lanes (call
    records) gives few Python objects per row: mapped apart, the national
    call records took 0.16 s per MB (9.7 microseconds a row), the other
    files 0.43 to 0.82 s per MB (40 to 66 microseconds a row), column-wise
    or not. Counted by bytes alone, the call records' 67 MB outweighed the
    money transfers, the phone subscribers and every file read row by row,
    all given to the other worker; weighed so, the files read row by row
    are shared (national plan, mapping and CSV, three interleaved runs
    each: 36.0-42.1 s against 39.9-44.8 s).
    """
    size = t.path.stat().st_size
    types = _may_give(t.definition)
    if types and types <= t.lanes.keys():  # only column-wise files give lanes (lanes_of): this one is one
        return size * LANE_BYTE
    return float(size)


def _assign(tasks: list[_Task], workers: int) -> list[list[_Task]]:
    """Whole files to workers, costliest first to the least loaded (:func:`_cost`); each list in plan order."""
    cost = {t.index: _cost(t) for t in tasks}
    load = [0.0] * workers
    parts: list[list[_Task]] = [[] for _ in range(workers)]
    for t in sorted(tasks, key=lambda t: -cost[t.index]):
        w = load.index(min(load))
        parts[w].append(t)
        load[w] += cost[t.index]
    return [sorted(p, key=lambda t: t.index) for p in parts if p]


class _Workers:
    """Mapping processes and their queues; :meth:`chunks` yields one file's messages in order."""

    def __init__(self, tasks: list[_Task], workers: int, rejects_dir: str | Path | None):
        ctx = mp.get_context("fork")
        self.owner: dict[int, int] = {}
        self.queues = []
        self.procs = []
        for w, part in enumerate(_assign(tasks, workers)):
            q = ctx.Queue()
            p = ctx.Process(target=_worker, args=(part, rejects_dir, q), name=f"graphnet-map-{w}", daemon=True)
            p.start()
            self.queues.append(q)
            self.procs.append(p)
            for t in part:
                self.owner[t.index] = w

    def messages(self, task: _Task) -> Iterator[tuple[str, Any]]:
        """``("chunk", Batch)`` ... (``("lane", bytes)``) then ``("end", LoadSummary)`` for one file.

        Raises a worker's error.
        """
        w = self.owner[task.index]
        q, p = self.queues[w], self.procs[w]
        while True:
            try:
                kind, index, payload = q.get(timeout=1.0)
            except _queue.Empty:
                if not p.is_alive() and q.empty():
                    raise GraphnetError(
                        f"{task.path}: the mapping process ended without finishing (exit code {p.exitcode})"
                    ) from None
                continue
            if index != task.index:  # pragma: no cover - files come in plan order per worker
                raise AssertionError(f"mapping message of file {index} while folding file {task.index}")
            if kind == "error":
                raise rebuilt_error(*payload)
            yield kind, pickle.loads(payload) if kind == "chunk" else payload
            if kind == "end":
                return

    def close(self) -> None:
        for p in self.procs:
            if p.is_alive():
                p.terminate()
        for q in self.queues:
            q.cancel_join_thread()
            q.close()
        for p in self.procs:
            p.join()


def rebuilt_error(name: str, text: str, user: bool) -> Exception:
    """A worker's error as this process raises it: a user's mistake as its GraphnetError, a bug with its trace."""
    if not user:
        return RuntimeError(f"the mapping process failed:\n{text}")
    cls = getattr(errors, name, GraphnetError)
    try:
        return cls(text)
    except TypeError:  # errors built from several fields (DefinitionError, RowError): the message is what counts
        return GraphnetError(text)


def _sequential_messages(t: _Task, rejects_dir: str | Path | None) -> Iterator[tuple[str, Any]]:
    summary = LoadSummary(file=str(t.path), definition=t.definition.name, source=t.uid)
    started = time.perf_counter()
    for batch in _file_chunks(t, rejects_dir, summary):
        if isinstance(batch, _Frame):
            yield "lane", bytes(batch)
        else:
            yield "chunk", pickle.loads(batch) if isinstance(batch, bytes) else batch
    summary.seconds = time.perf_counter() - started
    yield "end", summary


def map_plan(plan: str | Path, *, rejects_dir: str | Path | None = None, echo: Callable[[str], None] | None = None,
             workers: int = 1, folder: Path | None = None,
             finish: bool = True) -> tuple[BulkGraph, list[LoadSummary]]:  # fmt: skip
    """Map, check and aggregate every file of a plan (nothing is written to Neo4j).

    ``workers > 1`` maps files in that many forked processes (where forking is
    safe, else in this one); the graph and the summaries are the same.
    Rejects files are written as :func:`graphnet.loading.load_file` writes them.
    With a ``folder`` (where forking is safe), the relationships of the
    plan's lanes (:mod:`graphnet.loading.bulk_lanes`) are not in
    ``graph.rels``: they are written there as importer CSV files already
    (``graph.lanes``). With ``finish=False`` they are still being written
    when this returns, in a child process, beside whatever this one does
    next (``write_csv``): ``graph.finish_lanes()`` waits for them and
    completes the summaries' relationship counts.
    """
    tasks, repeats = _tasks(plan)
    graph = BulkGraph()
    done: dict[int, LoadSummary] = {}
    workers = min(workers, len(tasks))
    lanes = lanes_of(t.definition for t in tasks) if LANES and folder is not None and fork_available() else {}
    for t in tasks:
        t.lanes = lanes
    parts: list[Part] = []
    writer = _Later(write_lanes) if lanes else None  # forked now, while this process is small
    pool = _Workers(tasks, workers, rejects_dir) if workers > 1 and fork_available() else None
    try:
        for t in tasks:
            messages = pool.messages(t) if pool is not None else _sequential_messages(t, rejects_dir)
            seen_nodes: set = set()
            seen_rels: set = set()
            part = Part(t.index)
            places = part.places
            created_nodes = created_rels = 0
            for kind, payload in messages:
                if kind == "lane":
                    part.frame = payload
                    continue
                if kind == "chunk":
                    mine = None
                    if lanes and payload.rels:  # a file of a lane read row by row: its steps made here
                        mine = {k: e for k, e in payload.rels.items() if k[0] in lanes}
                        if mine:
                            payload.rels = {k: e for k, e in payload.rels.items() if k[0] not in lanes}
                    seen_nodes.update(payload.nodes)
                    seen_rels.update(payload.rels)
                    n, r = graph.fold(payload, places)
                    created_nodes += n
                    created_rels += r
                    if mine:
                        steps_of(mine, lanes, lambda label, uid: graph.nodes[label, uid]["id"], part)
                    continue
                summary: LoadSummary = payload
            summary.nodes_created, summary.relationships_created = created_nodes, created_rels
            summary.nodes_matched = len(seen_nodes) - created_nodes
            summary.relationships_matched = len(seen_rels) - created_rels
            if part.frame is not None or part.rows:
                parts.append(part)
            graph.sources.append({
                "uid": t.uid, "name": t.path.name, "path": str(t.path.resolve()), "sha256": t.sha,
                "definition": t.definition.name, "namespace": t.namespace or t.definition.namespace,
                "status": "complete", "rows": summary.rows_read, "rejected": summary.rows_rejected,
                "loaded_at": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
            })  # fmt: skip
            done[t.index] = summary
            if echo:
                echo(f"mapped {t.path.name}: {summary.rows_read} rows in {summary.seconds:.1f} s")
        if writer is not None and parts:
            writer.give(parts, lanes, folder)
    finally:
        if pool is not None:
            pool.close()
        if writer is not None and not writer.given:
            writer.close()
    if writer is not None and writer.given:

        def written() -> LaneFiles:
            files, seconds = writer.result()
            for index, (created, matched) in files.counts.items():
                done[index].relationships_created += created
                done[index].relationships_matched += matched
            if echo:
                echo(f"folded and wrote the {files.relationships} {', '.join(sorted(lanes))} relationships "
                     f"column-wise in {seconds:.1f} s")
            return files

        graph.pending = written
        if finish:
            graph.finish_lanes()
    for i, path, first in repeats:
        prior = done[first]
        done[i] = LoadSummary(file=str(path), definition=prior.definition, source=prior.source, skipped=True,
                              rows_read=prior.rows_read, rows_rejected=prior.rows_rejected,
                              rows_loaded=prior.rows_loaded)  # fmt: skip
    return graph, [done[i] for i in sorted(done)]


class _Later:
    """``func(*args)`` in a child forked now, while this process is small; ``args`` given when known.

    :func:`write_lanes` is forked this way at the start of ``map_plan``: at
    its end the process holds the whole graph, and with a child forked then
    sharing its pages, this process would copy each page it touches (a
    reference count changes) while it writes the other CSV files beside
    the child. The child gets its arguments through a pipe
    (:meth:`give`), runs polars (this process must not), and sends back
    ``(result, seconds)`` (:meth:`result`).
    """

    def __init__(self, func: Callable[..., Any]):
        self.func, self.given = func, False
        down_read, down_write = os.pipe()
        up_read, up_write = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # pragma: no cover - the child
            code = 1
            try:
                os.close(down_write)
                os.close(up_read)
                die_with_parent()
                gc.disable()
                inbox = mpc.Connection(down_read, writable=False)
                outbox = mpc.Connection(up_write, readable=False)
                args = inbox.recv()
                started = time.perf_counter()
                try:
                    outbox.send(("done", (func(*args), time.perf_counter() - started)))
                except Exception as e:  # noqa: BLE001 - raised again in the parent
                    user = isinstance(e, GraphnetError)
                    outbox.send(("error", (type(e).__name__, str(e) if user else traceback.format_exc(), user)))
                outbox.close()
                code = 0
            finally:
                os._exit(code)
        os.close(down_read)
        os.close(up_write)
        self.inbox = mpc.Connection(down_write, readable=False)
        self.outbox = mpc.Connection(up_read, writable=False)

    def give(self, *args: Any) -> None:
        """Send the child its arguments: it starts."""
        self.inbox.send(args)
        self.inbox.close()
        self.given = True

    def result(self) -> tuple[Any, float]:
        """The child's result and its seconds; its error raised here."""
        try:
            kind, payload = self.outbox.recv()
        except EOFError:
            raise GraphnetError(f"the process of {self.func.__name__} ended without finishing") from None
        finally:
            self.close()
        if kind == "error":
            raise rebuilt_error(*payload)
        return payload

    def close(self) -> None:
        """End the child (at once, if it has not finished) and wait for it."""
        if self.pid:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            self.pid = 0
            for conn in (self.inbox, self.outbox):
                conn.close()
