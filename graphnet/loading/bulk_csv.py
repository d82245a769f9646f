"""The CSV files Neo4j's offline importer reads for ``--bulk``.

:func:`write_csv` writes a :class:`~graphnet.loading.bulk_graph.BulkGraph`
as one file per label or relationship type and property signature (the
importer takes one header per file), every value quoted, list elements joined
by :data:`ARRAY_DELIMITER`.

Nodes carry the importer's *actual* node ids (``--id-type=actual``): Source
nodes ``0..S-1``, then every other node in the order the plan created it, and
relationships name their ends by those ids. The importer then maps no ids at
all: on the national benchmark this took the import from 29 s to 15 s (string
ids) with the same graph (``tests/test_bulk.py`` compares every property of
every node and relationship with the Cypher loader's graph). The ``uid``
property is an ordinary column.

With ``writers > 1`` the nodes and relationships are split in contiguous
shares written by forked processes (each its own files), this one included.

A node's list value the importer's CSV cannot carry (an empty list, an
element that is empty, not text, or holds the array delimiter) is left out
of the CSV and kept in :attr:`CsvFiles.later`: ``--bulk`` sets it through
Cypher after the import (:func:`graphnet.loading.bulk.set_later`), so the
graph is still the one the Cypher loader gives.

>>> from graphnet.loading.bulk_graph import BulkGraph
>>> import tempfile
>>> g = BulkGraph()
>>> g.nodes[("Person", "p:1")] = {"uid": "p:1", "src": ["s:2"], "props": {"name": "Siti"}, "flags": []}
>>> g.nodes[("Person", "p:2")] = {"uid": "p:2", "src": ["s:3"], "props": {"name": "Ani"}, "flags": []}
>>> g.rels[("KNOWS", "Person", "p:1", "Person", "p:2", "")] = {"s": "p:1", "t": "p:2", "key": "", "src": ["s:3"],
...     "weight": 1.0, "props": {}, "sums": {}}
>>> folder = Path(tempfile.mkdtemp())
>>> files = write_csv(g, folder)
>>> files.nodes, files.relationships, [a.split("=")[1] for a in files.args]
(2, 1, ['Person', 'KNOWS'])
>>> print((folder / "w0-nodes-0000.csv").read_text(), end="")
":ID","uid:string","src:string[]","name:string"
"0","p:1","s:2","Siti"
"1","p:2","s:3","Ani"
"""

from __future__ import annotations

import dataclasses
import itertools
import multiprocessing as mp
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import GraphnetError
from ..schema import load_schema
from .bulk_graph import BulkGraph, fork_available

__all__ = ["ARRAY_DELIMITER", "CsvFiles", "writable", "write_csv"]

ARRAY_DELIMITER = "\x1f"  # the ASCII unit separator: no shipped normaliser lets it through
_CSV_TYPES = {bool: "boolean", int: "long", float: "double", str: "string", list: "string[]"}
_BREAKS = ("\n", "\r")


@dataclasses.dataclass
class CsvFiles:
    """What was written: the importer's ``--nodes``/``--relationships`` arguments and counts.

    ``later``: the node list values left out of the CSV, to set after the
    import, as ``((label, uid), property, value)``.
    """

    args: list[str] = dataclasses.field(default_factory=list)
    multiline: bool = False
    nodes: int = 0
    relationships: int = 0
    later: list[tuple[tuple[str, str], str, list]] = dataclasses.field(default_factory=list)

    def add(self, other: CsvFiles) -> None:
        self.args += other.args
        self.multiline |= other.multiline
        self.nodes += other.nodes
        self.relationships += other.relationships
        self.later += other.later


def writable(value: list) -> bool:
    """Whether the importer reads ``value`` back from its CSV cell as it is.

    >>> writable(["a", "b"]), writable([]), writable(["a", ""]), writable(["a\x1fb"]), writable([1])
    (True, False, False, False, False)
    """
    return bool(value) and all(isinstance(x, str) and x and ARRAY_DELIMITER not in x for x in value)


def _kind(t: type) -> type:
    """The CSV type of a Python type: a list or str subclass (a definition's LineList) as list or str."""
    if t in _CSV_TYPES:
        return t
    return next((k for k in (list, str) if issubclass(t, k)), t)


def _cell(value: Any) -> str:
    t = type(value)
    if t is str:
        return value
    if isinstance(value, list):
        return ARRAY_DELIMITER.join(value)
    if t is bool:
        return "true" if value else "false"
    if t is float:
        return repr(value)
    return str(value)


class _CsvFile:
    """A CSV file written as ``csv.writer(quoting=QUOTE_ALL, lineterminator="\\n")`` writes it, faster.

    Every cell is quoted and its quotes doubled; a row is joined with one
    ``replace`` over the whole line (cells joined by NUL first; a row whose
    cells hold a NUL themselves is quoted cell by cell). Rows are buffered.

    >>> import csv, tempfile
    >>> path = Path(tempfile.mkdtemp()) / "t.csv"
    >>> f = _CsvFile(path)
    >>> f.writerow(['a"b', "c,d", "e\\x00f", ""]); f.writerow(["1", "x\\ny"]); f.close()
    >>> path.read_text()
    '"a""b","c,d","e\\x00f",""\\n"1","x\\ny"\\n'
    >>> list(csv.reader(path.open(newline="")))
    [['a"b', 'c,d', 'e\\x00f', ''], ['1', 'x\\ny']]
    """

    FLUSH = 4096

    def __init__(self, path: Path):
        self.fh = path.open("w", encoding="utf-8", newline="")
        self.lines: list[str] = []

    def writerow(self, cells: list[str]) -> None:
        text = "\x00".join(cells)
        if text.count("\x00") == len(cells) - 1:
            self.lines.append('"' + text.replace('"', '""').replace("\x00", '","') + '"\n')
        else:
            self.lines.append('"' + '","'.join(c.replace('"', '""') for c in cells) + '"\n')
        if len(self.lines) >= self.FLUSH:
            self.fh.write("".join(self.lines))
            self.lines.clear()

    def close(self) -> None:
        self.fh.write("".join(self.lines))
        self.lines.clear()
        self.fh.close()


class _Writer:
    """One process's CSV files, one per (kind, label or type, header)."""

    def __init__(self, folder: Path, prefix: str):
        self.folder, self.prefix = folder, prefix
        self.files: dict[tuple, Any] = {}
        self.handles: list[Any] = []
        self.targets: dict[tuple, tuple[Any, tuple[int, ...]]] = {}
        self.out = CsvFiles()

    def target(self, kind: str, name: str, head: tuple[str, ...], names: list[str], values: list[Any],
               where: Callable[[], str]) -> tuple[Any, tuple[int, ...]]:  # fmt: skip
        """The CSV writer for rows of this signature, and the positions of its list values."""
        sig = (kind, name, tuple(names), tuple(map(type, values)))
        found = self.targets.get(sig)
        if found is not None:
            return found
        kinds = [_kind(type(v)) for v in values]
        for n, t in zip(names, kinds, strict=True):
            if t not in _CSV_TYPES:
                raise GraphnetError(f"--bulk cannot write the {t.__name__} value of {n} on {where()}")
        header = (*head, *(f"{n}:{_CSV_TYPES[t]}" for n, t in zip(names, kinds, strict=True)))
        w = self.files.get((kind, name, header))
        if w is None:
            path = self.folder / f"{self.prefix}{kind}-{len(self.files):04d}.csv"
            w = self.files[(kind, name, header)] = _CsvFile(path)
            self.handles.append(w)
            w.writerow(list(header))
            self.out.args.append(f"--{kind}={name}={path}")
        found = self.targets[sig] = (w, tuple(i for i, t in enumerate(kinds) if t is list))
        return found

    def cells(self, lead: list[str], names: list[str], values: list[Any], lists: tuple[int, ...],
              what: Callable[[], tuple[str, str]] | None, where: Callable[[], str]) -> list[str]:  # fmt: skip
        """``lead`` and the values as cells; notes a line break in any of them.

        A node's list the CSV cannot carry is an empty cell here and goes to
        ``later`` (``what()``: its label and uid). A relationship's is refused
        (no loader definition can give a relationship a list besides ``src``).
        """
        for i in lists:
            if not writable(values[i]):
                if what is None:
                    raise GraphnetError(f"--bulk cannot write the list {values[i]!r} of {names[i]} on {where()}; "
                                        "load without --bulk")
                self.out.later.append((what(), names[i], list(values[i])))
                values = [*values[:i], "", *values[i + 1:]]
        cells = lead + [v if type(v) is str else _cell(v) for v in values]
        if not self.out.multiline:
            text = "".join(cells)
            self.out.multiline = "\n" in text or "\r" in text
        return cells

    def close(self) -> None:
        for fh in self.handles:
            fh.close()


def _write_nodes(w: _Writer, items: Any) -> None:
    schema = load_schema()
    checked: set[str] = set()
    join = ARRAY_DELIMITER.join
    for (label, uid), e in items:
        if label not in checked:
            schema.check_label(label)
            checked.add(label)
        props = e["props"]
        names = sorted(props)
        if "uid" in props:
            names.remove("uid")
        values = [props[k] for k in names]
        if e["flags"]:
            names.append("flags")
            values.append(e["flags"])

        def where(label: str = label, uid: str = uid) -> str:
            return f"{label} {uid}"

        def what(label: str = label, uid: str = uid) -> tuple[str, str]:
            return (label, uid)

        out, lists = w.target("nodes", label, (":ID", "uid:string", "src:string[]"), names, values, where)
        cells = w.cells([uid], names, values, lists, what, where)  # src: checked once for all (_check_sources)
        out.writerow([str(e["id"]), *cells[:1], join(e["src"]), *cells[1:]])
        w.out.nodes += 1


def _write_rels(w: _Writer, items: Any, nodes: dict[tuple[str, str], dict[str, Any]]) -> None:
    schema = load_schema()
    checked: set[str] = set()
    join = ARRAY_DELIMITER.join
    head = (":START_ID", ":END_ID", "src:string[]", "weight:double", "key:string")
    for (rtype, slabel, s, elabel, t, _), e in items:
        if rtype not in checked:
            schema.check_type(rtype)
            checked.add(rtype)
        rest = {**e["props"], **e["sums"]} if e["sums"] else e["props"]
        names = sorted(k for k in rest if k not in ("key", "src", "weight"))
        values = [rest[k] for k in names]

        def where(rtype: str = rtype, e: dict = e) -> str:
            return f"{rtype} {e['s']} -> {e['t']}"

        out, lists = w.target("relationships", rtype, head, names, values, where)
        cells = w.cells([e["key"]], names, values, lists, None, where)
        out.writerow([str(nodes[(slabel, s)]["id"]), str(nodes[(elabel, t)]["id"]), join(e["src"]),
                      repr(e["weight"]), *cells])  # fmt: skip
        w.out.relationships += 1


def _write_sources(w: _Writer, sources: list[dict[str, Any]]) -> None:
    for i, s in enumerate(sources):
        names = sorted(k for k in s if k != "uid")
        values = [s[k] for k in names]

        def where(s: dict = s) -> str:
            return f"Source {s['uid']}"

        def what(s: dict = s) -> tuple[str, str]:
            return ("Source", s["uid"])

        out, lists = w.target("nodes", "Source", (":ID", "uid:string"), names, values, where)
        out.writerow([str(i), *w.cells([s["uid"]], names, values, lists, what, where)])
        w.out.nodes += 1


def _share(graph: BulkGraph, folder: Path, part: int, parts: int) -> CsvFiles:
    """Write share ``part`` of ``parts`` (contiguous slices of the nodes and of the relationships)."""
    w = _Writer(folder, f"w{part}-")
    try:
        if part == 0:
            _write_sources(w, graph.sources)
        n, r = len(graph.nodes), len(graph.rels)
        _write_nodes(w, itertools.islice(graph.nodes.items(), n * part // parts, n * (part + 1) // parts))
        _write_rels(w, itertools.islice(graph.rels.items(), r * part // parts, r * (part + 1) // parts), graph.nodes)
    finally:
        w.close()
    return w.out


def _share_in_child(graph: BulkGraph, folder: Path, part: int, parts: int, conn: Any) -> None:
    try:
        conn.send(("ok", _share(graph, folder, part, parts)))
    except Exception as e:
        conn.send(("error", e if isinstance(e, GraphnetError) else RuntimeError(repr(e))))
    conn.close()


def _check_sources(graph: BulkGraph) -> None:
    """Every ``src`` element is ``<Source uid>:<row>``: checking the Source uids checks them all."""
    for s in graph.sources:
        if ARRAY_DELIMITER in s["uid"] or any(b in s["uid"] for b in _BREAKS):
            raise GraphnetError(f"--bulk cannot write the refs of Source {s['uid']!r}; load without --bulk")


def write_csv(graph: BulkGraph, folder: Path, *, writers: int = 1) -> CsvFiles:
    """The importer's CSV files for ``graph`` in ``folder`` (labels and types checked against the schema).

    Sets each node entry's ``"id"`` (its importer id). Raises GraphnetError,
    naming the node or relationship, for a value the importer cannot take
    (a type it has no column type for); lists it cannot take go to
    :attr:`CsvFiles.later`.
    """
    _check_sources(graph)
    base = len(graph.sources)
    for i, e in enumerate(graph.nodes.values()):
        e["id"] = base + i
    if writers <= 1 or not fork_available():
        return _share(graph, folder, 0, 1)
    ctx = mp.get_context("fork")
    children = []
    for part in range(1, writers):
        ours, theirs = ctx.Pipe(duplex=False)
        p = ctx.Process(target=_share_in_child, args=(graph, folder, part, writers, theirs), daemon=True)
        p.start()
        theirs.close()
        children.append((p, ours))
    files = CsvFiles()
    try:
        files.add(_share(graph, folder, 0, writers))
        for p, conn in children:
            try:
                kind, payload = conn.recv()
            except EOFError:
                p.join()
                raise GraphnetError(f"a CSV writing process ended without finishing (exit code {p.exitcode})") from None
            if kind == "error":
                raise payload
            files.add(payload)
    finally:
        for p, conn in children:
            if p.is_alive():
                p.terminate()
            p.join()
            conn.close()
    return files
