"""The CSV files Neo4j's offline importer reads for ``--bulk``.

:func:`write_csv` writes a :class:`~graphnet.loading.bulk_graph.BulkGraph`
as one file per label or relationship type and property signature (the
importer takes one header per file), every value quoted, list elements joined
by :data:`ARRAY_DELIMITER`.

Nodes carry the importer's *actual* node ids (``--id-type=actual``): every
node its number in the order the plan created it (``0..N-1``, given by
:meth:`~graphnet.loading.bulk_graph.BulkGraph.fold`), then the Source nodes
``N..N+S-1``, and relationships name their ends by those ids. The importer then maps no ids at
all: on the national benchmark this took the import from 29 s to 15 s (string
ids) with the same graph (``tests/test_bulk.py`` compares every property of
every node and relationship with the Cypher loader's graph). The ``uid``
property is an ordinary column.

One process writes them all: two writers forked on the national scenario
took longer than one (15.4 s against 13.5 s), each page of the graph the
child read being copied for it.

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
>>> print((folder / "nodes-0000.csv").read_text(), end="")
":ID","uid:string","src:string[]","name:string"
"0","p:1","s:2","Siti"
"1","p:2","s:3","Ani"
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import GraphnetError
from ..schema import load_schema

if TYPE_CHECKING:  # bulk_graph and columnar import this module
    from .bulk_graph import BulkGraph

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
    cells hold a NUL themselves is quoted cell by cell). Rows are buffered;
    :attr:`multiline` says whether a cell held a line break.

    >>> import csv, tempfile
    >>> path = Path(tempfile.mkdtemp()) / "t.csv"
    >>> f = _CsvFile(path)
    >>> f.writerow(['a"b', "c,d", "e\\x00f", ""]); f.writerow(["1", "x\\ny"]); f.close()
    >>> path.read_text(), f.multiline
    ('"a""b","c,d","e\\x00f",""\\n"1","x\\ny"\\n', True)
    >>> list(csv.reader(path.open(newline="")))
    [['a"b', 'c,d', 'e\\x00f', ''], ['1', 'x\\ny']]
    """

    FLUSH = 4096

    def __init__(self, path: Path):
        self.fh = path.open("w", encoding="utf-8", newline="")
        self.lines: list[str] = []
        self.multiline = False

    def writerow(self, cells: list[str]) -> None:
        text = "\x00".join(cells)
        if text.count("\x00") == len(cells) - 1:
            self.lines.append('"' + text.replace('"', '""').replace("\x00", '","') + '"\n')
        else:
            self.lines.append('"' + '","'.join(c.replace('"', '""') for c in cells) + '"\n')
        if len(self.lines) >= self.FLUSH:
            self._flush()

    def _flush(self) -> None:
        text = "".join(self.lines)
        if not self.multiline:  # one line break per row, the row's own, and no CR at all
            self.multiline = text.count("\n") != len(self.lines) or "\r" in text
        self.fh.write(text)
        self.lines.clear()

    def close(self) -> None:
        self._flush()
        self.fh.close()


class _Writer:
    """One process's CSV files, one per (kind, label or type, header).

    Rows of one signature (label or type, property names, value types) go to
    one file: :meth:`target` is asked once per signature, the rows of a
    signature met before take the fast path of the ``_write_*`` loops.
    """

    def __init__(self, folder: Path):
        self.folder = folder
        self.files: dict[tuple, _CsvFile] = {}
        self.targets: dict[tuple, tuple[_CsvFile, tuple[int, ...]]] = {}
        self.out = CsvFiles()

    def target(self, sig: tuple, kind: str, name: str, head: tuple[str, ...], names: list[str], values: list[Any],
               where: str) -> tuple[_CsvFile, tuple[int, ...]]:  # fmt: skip
        """The file for rows of signature ``sig``, and the positions of its list values (kept in :attr:`targets`)."""
        kinds = [_kind(type(v)) for v in values]
        for n, t in zip(names, kinds, strict=True):
            if t not in _CSV_TYPES:
                raise GraphnetError(f"--bulk cannot write the {t.__name__} value of {n} on {where}")
        header = (*head, *(f"{n}:{_CSV_TYPES[t]}" for n, t in zip(names, kinds, strict=True)))
        w = self.files.get((kind, name, header))
        if w is None:
            path = self.folder / f"{kind}-{len(self.files):04d}.csv"
            w = self.files[(kind, name, header)] = _CsvFile(path)
            w.writerow(list(header))
            self.out.args.append(f"--{kind}={name}={path}")
        found = self.targets[sig] = (w, tuple(i for i, t in enumerate(kinds) if t is list))
        return found

    def listed(self, names: list[str], values: list[Any], lists: tuple[int, ...], node: tuple[str, str] | None,
               where: Callable[[], str]) -> list[Any]:  # fmt: skip
        """``values`` with each list the importer's CSV cannot carry made an empty cell.

        A node's goes to ``later`` (``node``: its label and uid). A
        relationship's is refused (no loader definition can give a
        relationship a list besides ``src``).
        """
        for i in lists:
            if not writable(values[i]):
                if node is None:
                    raise GraphnetError(f"--bulk cannot write the list {values[i]!r} of {names[i]} on {where()}; "
                                        "load without --bulk")
                self.out.later.append((node, names[i], list(values[i])))
                values = [*values[:i], "", *values[i + 1:]]
        return values

    def close(self) -> None:
        for fh in self.files.values():
            fh.close()
            self.out.multiline |= fh.multiline


def _write_nodes(w: _Writer, items: Any) -> None:
    schema = load_schema()
    join = ARRAY_DELIMITER.join
    targets = w.targets
    head = (":ID", "uid:string", "src:string[]")
    count = 0
    for (label, uid), e in items:
        props = e["props"]
        names = sorted(props)
        if "uid" in props:
            names.remove("uid")
        values = [props[k] for k in names]
        if e["flags"]:
            names.append("flags")
            values.append(e["flags"])
        sig = ("nodes", label, *names, *map(type, values))
        found = targets.get(sig)
        if found is None:
            found = w.target(sig, "nodes", schema.check_label(label), head, names, values, f"{label} {uid}")
        out, lists = found
        if lists:
            values = w.listed(names, values, lists, (label, uid), lambda: f"{label} {uid}")
        # src: checked once for all (_check_sources)
        out.writerow([str(e["id"]), uid, join(e["src"]), *[v if type(v) is str else _cell(v) for v in values]])
        count += 1
    w.out.nodes += count


_NOT_PROPS = frozenset(("key", "src", "weight"))  # columns of their own


def _write_rels(w: _Writer, items: Any) -> None:
    schema = load_schema()
    join = ARRAY_DELIMITER.join
    targets = w.targets
    head = (":START_ID", ":END_ID", "src:string[]", "weight:double", "key:string")
    count = 0
    for key, e in items:
        rest = {**e["props"], **e["sums"]} if e["sums"] else e["props"]
        names = sorted(rest)
        if not _NOT_PROPS.isdisjoint(rest):
            names = [k for k in names if k not in _NOT_PROPS]
        values = [rest[k] for k in names]
        sig = ("relationships", key[0], *names, *map(type, values))
        found = targets.get(sig)
        if found is None:
            where = f"{key[0]} {e['s']} -> {e['t']}"
            found = w.target(sig, "relationships", schema.check_type(key[0]), head, names, values, where)
        out, lists = found
        if lists:
            values = w.listed(names, values, lists, None, lambda: f"{key[0]} {e['s']} -> {e['t']}")
        start, end = e["ends"]
        out.writerow([str(start), str(end), join(e["src"]), repr(e["weight"]), e["key"],
                      *[v if type(v) is str else _cell(v) for v in values]])  # fmt: skip
        count += 1
    w.out.relationships += count


def _write_sources(w: _Writer, sources: list[dict[str, Any]], first: int) -> None:
    """The Source nodes, ids from ``first`` on."""
    for i, s in enumerate(sources, first):
        names = sorted(k for k in s if k != "uid")
        values = [s[k] for k in names]
        sig = ("nodes", "Source", *names, *map(type, values))
        out, lists = w.targets.get(sig) or w.target(sig, "nodes", "Source", (":ID", "uid:string"), names, values,
                                                    f"Source {s['uid']}")  # fmt: skip
        if lists:
            values = w.listed(names, values, lists, ("Source", s["uid"]), lambda: f"Source {s['uid']}")
        out.writerow([str(i), s["uid"], *[v if type(v) is str else _cell(v) for v in values]])
        w.out.nodes += 1


def _check_sources(graph: BulkGraph) -> None:
    """Every ``src`` element is ``<Source uid>:<row>``: checking the Source uids checks them all."""
    for s in graph.sources:
        if ARRAY_DELIMITER in s["uid"] or any(b in s["uid"] for b in _BREAKS):
            raise GraphnetError(f"--bulk cannot write the refs of Source {s['uid']!r}; load without --bulk")


def _number(graph: BulkGraph) -> None:
    """Give a graph not built by :meth:`BulkGraph.fold` its node ids and relationship ends, as fold does."""
    nodes = graph.nodes
    if all(e.get("id") == i for i, e in enumerate(nodes.values())) and all("ends" in e for e in graph.rels.values()):
        return
    for i, e in enumerate(nodes.values()):
        e["id"] = i
    for (_, slabel, s, elabel, t, _), e in graph.rels.items():
        e["ends"] = (nodes[slabel, s]["id"], nodes[elabel, t]["id"])


def write_csv(graph: BulkGraph, folder: Path) -> CsvFiles:
    """The importer's CSV files for ``graph`` in ``folder`` (labels and types checked against the schema).

    Node ids are the ones :meth:`BulkGraph.fold` gave (numbered here when
    the graph was built otherwise). The files of ``graph.lanes``, written
    by :func:`~graphnet.loading.bulk_graph.map_plan`'s child (still being
    written beside these ones when it was called with ``finish=False``:
    waited for at the end), are counted in. Raises GraphnetError, naming
    the node or relationship, for a value the importer cannot take (a type
    it has no column type for); lists it cannot take go to
    :attr:`CsvFiles.later`.
    """
    _check_sources(graph)
    _number(graph)
    w = _Writer(folder)
    try:
        _write_nodes(w, graph.nodes.items())
        _write_rels(w, graph.rels.items())
        _write_sources(w, graph.sources, len(graph.nodes))
    finally:
        w.close()
    graph.finish_lanes()
    if graph.lanes is not None:  # written by bulk_lanes
        w.out.args += graph.lanes.args
        w.out.relationships += graph.lanes.relationships
        w.out.multiline |= graph.lanes.multiline
    return w.out
