"""A whole file mapped column-wise (polars) for ``--bulk``: the same graph, several times faster.

:func:`graphnet.loading.bulk_graph.map_plan` maps a file row by row with
:class:`~graphnet.loading.mapper.RowMapper`, about 20 microseconds a row. Call
records are the largest files of a case (millions of rows) and their
definition has a simple shape, so :func:`map_file` maps such a file in one
pass over its columns instead:

* every distinct cell of a column is read once, by the mapper's own reader
  for that value spec (``mapper._column_reader``: the same normaliser, type,
  and error message), and the results are joined back to the rows;
* rows are grouped into nodes and relationships by polars, in first-seen
  order, with their ``src`` refs in row order;
* a row with a missing key or a bad value is handed to ``RowMapper`` itself,
  so its reject (fields and reasons) is the one the row-wise path writes.

It gives one :class:`~graphnet.loading.writer.Batch` per share of the file
instead of one per ``CHUNK_ROWS`` rows. Folded into the plan's graph it gives
exactly what the chunks give (``tests/test_bulk_columnar.py`` compares the
two graphs): a relationship entry carries ``steps`` and ``sum_steps``, what each chunk of
``CHUNK_ROWS`` rows adds to its weight and sums, so the sums are made in the
same order. A node property is its first value in row order, and a later
other value of an identifying property flags ``<property>_conflict``, as
the chunks and their folding do; a file where one node would get two such
flags is mapped row by row (their order depends on where the chunks begin).

The shape it takes (:func:`plan_of`, else ``None``: the file is mapped row by
row): fixed labels and types; nodes keyed by columns read as text (a
``fallback_key`` too), without ``when``, their properties text or dates read
from columns; relationships directed, without weight or ``when``, their key
parts text, their properties text, dates or summed numbers. The file it takes
(else ``None`` too): CSV in UTF-8 split by commas, with no quote, CR, NUL or
blank row, and a header without a repeated name. Call records, money
transfers and phone subscribers have that shape; the other agency files are
read row by row, as before.

>>> from graphnet.loading.definition import read_definition
>>> plan_of(read_definition("phone_subscribers")) is not None, plan_of(read_definition("police_cases"))
(True, None)
"""

from __future__ import annotations

import dataclasses
import io
import itertools
import sys
from collections.abc import Collection, Iterator
from typing import Any

from ..schema import load_schema
from . import normalize
from .bulk_csv import ARRAY_DELIMITER
from .definition import Definition, NodeSpec, RelSpec, ValueSpec
from .mapper import _MISSING, RowMapper, RowProblems, _column_reader, _compilable, _signature
from .rejects import Reject
from .writer import Batch

__all__ = ["plan_of", "map_file", "SHARE"]

#: entries per Batch handed on (the parent folds one while the next is pickled)
SHARE = 200_000
#: what ``str.strip()`` removes: the CSV reader trims every cell with it
_WHITESPACE = "".join(chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace())
_TEXT_TYPES = (None, "string")


@dataclasses.dataclass(frozen=True)
class _Node:
    alias: str
    label: str
    prefix: str | None  # None: the mapper's namespace
    key: tuple[ValueSpec, ...]
    fallback: tuple[ValueSpec, ...]  # the key when a part of ``key`` is empty (``fallback_key``)
    props: tuple[tuple[str, ValueSpec], ...]  # the properties the schema allows, in the definition's order
    optional: bool

    def parts(self) -> tuple[ValueSpec, ...]:
        return (*self.key, *self.fallback)


@dataclasses.dataclass(frozen=True)
class _Rel:
    type: str
    source: str
    target: str
    key: tuple[tuple[str, ValueSpec], ...]  # (name, part)
    props: tuple[tuple[str, ValueSpec], ...]
    sums: tuple[tuple[str, ValueSpec], ...]  # ``aggregate: sum``

    def shape(self) -> tuple:
        return tuple(n for n, _ in self.key), tuple(p for p, _ in self.props), tuple(p for p, _ in self.sums)


@dataclasses.dataclass(frozen=True)
class _Plan:
    nodes: tuple[_Node, ...]
    rels: tuple[_Rel, ...]

    def specs(self) -> list[ValueSpec]:
        return [v for n in self.nodes for v in (*n.parts(), *(v for _, v in n.props))] + [
            v for r in self.rels for _, v in (*r.key, *r.props, *r.sums)
        ]


def _plain_column(v: ValueSpec, types: tuple, aggregate: str | None = None) -> bool:
    return (v.column is not None and v.value is None and v.map is None and v.default is None and v.split is None
            and v.aggregate == aggregate and v.type in types)  # fmt: skip


def _node_plan(spec: NodeSpec) -> _Node | None:
    schema = load_schema()
    if spec.label.fixed is None or spec.when is not None or not spec.key:
        return None
    if not all(_plain_column(k, _TEXT_TYPES) for k in (*spec.key, *spec.fallback_key)):
        return None
    label = spec.label.fixed
    allowed = schema.node_properties(label)
    props = []
    for prop, v in spec.properties.items():
        if prop not in allowed:
            continue  # the mapper drops it too
        if allowed[prop].get("type") == "list" or not _plain_column(v, (*_TEXT_TYPES, "date")):
            return None
        props.append((prop, v))
    return _Node(spec.alias, label, spec.global_prefix, spec.key, spec.fallback_key, tuple(props), spec.optional)


def _rel_plan(spec: RelSpec, nodes: dict[str, _Node]) -> _Rel | None:
    schema = load_schema()
    rtype = spec.type.fixed
    if rtype is None or not spec.directed or spec.weight is not None or spec.when is not None:
        return None
    if not schema.relationship(rtype).allows(nodes[spec.source].label, nodes[spec.target].label):
        return None  # every row would be a reject: the row-wise path says so
    if not all(_plain_column(k, _TEXT_TYPES) for k in spec.key):
        return None
    allowed = schema.relationship_properties(rtype)
    props, sums = [], []
    for prop, v in spec.properties.items():
        if prop not in allowed:
            continue
        if _plain_column(v, ("float", "int"), "sum"):
            sums.append((prop, v))
        elif _plain_column(v, (*_TEXT_TYPES, "date")):
            props.append((prop, v))
        else:
            return None
    key = tuple((k.name or k.column, k) for k in spec.key)
    return _Rel(rtype, spec.source, spec.target, key, tuple(props), tuple(sums))


def plan_of(d: Definition) -> _Plan | None:
    """What :func:`map_file` needs of a definition, or ``None`` when its shape is not the one it takes."""
    if d.format not in (None, "csv") or not d.nodes or not _compilable(d):
        return None
    nodes: dict[str, _Node] = {}
    for alias, spec in d.nodes.items():
        node = _node_plan(spec)
        if node is None:
            return None
        nodes[alias] = node
    rels = []
    shape_of: dict[str, tuple] = {}
    for spec in d.relationships:
        rel = _rel_plan(spec, nodes)
        if rel is None or shape_of.setdefault(rel.type, rel.shape()) != rel.shape():
            return None  # two relationships of one type with their own key or properties
        rels.append(rel)
    return _Plan(tuple(nodes.values()), tuple(rels))


def _body(rows: Any) -> tuple[bytes, list[str]] | None:
    """The file's data lines and its header, when the file is of the kind read here."""
    t = rows.table
    if t is None or t.format != "csv" or t.delimiter != "," or t.encoding != "utf-8-sig":
        return None
    data = rows.path.read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if any(c in data for c in (b'"', b"\r", b"\x00", b"\n\n")):
        return None
    header = t.columns
    if len({h.casefold() for h in header}) != len(header):
        return None  # the reader keeps the last of two columns of one name
    end = data.find(b"\n")
    return (data[end + 1:] if end >= 0 else b""), header


#: an everyday Indonesian mobile number in ASCII (``normalize._ID_MOBILE``, spaces for whitespace): its national part
_ASCII_ID_MOBILE = r"^(?:\+62|62|0)[ .\-]*(8[0-9 .\-]+)$"
#: an ISO day at the start of a cell (ASCII digits), the rest as the format's fast path wants it
_ASCII_ISO = {"%Y-%m-%d": r"^([0-9]{4}-[0-9]{2}-[0-9]{2})$",
              "%Y-%m-%d %H:%M:%S": r"^([0-9]{4}-[0-9]{2}-[0-9]{2}) (?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$"}


def _fast_values(pl: Any, cells: Any, spec: ValueSpec, region: str) -> Any | None:
    """What the mapper's reader gives the ``cells`` (a polars Series) of the commonest forms, column-wise; else null.

    ``None`` when ``spec`` has no such path. Only two readings have one, each
    the reader's own fast path restricted to ASCII cells, where it is exact:

    * ``normalise: phone`` in region ID: ``+62`` and the 9 to 12 digits of a
      mobile number written ``08..``, ``628..`` or ``+628..`` with spaces,
      dots or dashes (:func:`graphnet.loading.normalize._fast_indonesian_mobile`);
    * ``type: date`` whose first format is ``%Y-%m-%d`` or
      ``%Y-%m-%d %H:%M:%S``: the day, read by the reader's own function
      (``normalize._iso_day``) once per distinct day; a day that does not
      exist stays null (the reader tries the next formats).

    A null cell here is read by the reader itself (:func:`_values`);
    ``tests/test_bulk_columnar.py`` compares the two on every form.
    """
    plain = spec.map is None and spec.split is None and spec.aggregate is None
    if plain and spec.normalise == "phone" and region == "ID" and spec.type in _TEXT_TYPES:
        national = cells.str.extract(_ASCII_ID_MOBILE, 1).str.replace_all(r"[ .\-]", "")
        mobile = national.str.len_bytes().is_between(9, 12)
        return pl.select(pl.when(mobile).then(pl.lit("+62") + national)).to_series()
    if plain and spec.normalise is None and spec.type == "date":
        fmt = spec.format or normalize._ISO_FORMATS
        pattern = _ASCII_ISO.get(fmt if isinstance(fmt, str) else fmt[0])
        if pattern is None:
            return None
        days = cells.str.extract(pattern, 1)
        known = days.drop_nulls().unique()
        table = pl.DataFrame({"day": known, "iso": pl.Series([normalize._iso_day(d) for d in known], dtype=pl.String)})
        return days.to_frame("day").join(table, on="day", how="left", maintain_order="left").get_column("iso")
    return None


def _read_cells(pl: Any, cells: Any, spec: ValueSpec, region: str) -> tuple[Any, Any]:
    """Each distinct cell of ``cells`` read as the mapper reads it: its values and errors (polars Series).

    The commonest forms column-wise (:func:`_fast_values`), the rest one by
    one by the mapper's reader (:func:`_values`).
    """
    fast = _fast_values(pl, cells, spec, region)
    slow = None if fast is None else fast.is_null()
    values, errors = _values((cells if slow is None else cells.filter(slow)).to_list(), spec, region)
    if spec.aggregate == "sum":  # summed as float(v), as the mapper does
        value = pl.Series([None if v is None else float(v) for v in values], dtype=pl.Float64)
    else:
        value = pl.Series(values, dtype=pl.String)
    error = pl.Series(errors, dtype=pl.String)
    if slow is None:
        return value, error
    at = slow.arg_true()
    return fast.scatter(at, value), pl.repeat(None, len(cells), dtype=pl.String, eager=True).scatter(at, error)


def _values(raw: list[str], spec: ValueSpec, region: str) -> tuple[list[Any], list[str | None]]:
    """Each distinct cell read by the mapper's reader: its value (``None``: missing) and error."""
    read = _column_reader(spec, region)
    column = spec.column.casefold()
    values: list[Any] = []
    errors: list[str | None] = []
    for cell in raw:
        try:
            v = read({column: cell})
        except ValueError as e:
            values.append(None)
            errors.append(str(e))
            continue
        values.append(None if v is _MISSING else v)
        errors.append(None)
    return values, errors


def map_file(rows: Any, chunk_rows: int,
             lanes: Collection[str] = ()) -> tuple[list[Batch], int, list[Reject], bytes | None] | None:  # fmt: skip
    """A file of ``rows`` (a ``load._Rows``) mapped column-wise: its batches, rows read, rejects and lane steps.

    ``None`` when the definition or the file is not of the kind this reads;
    the caller then maps it row by row. The relationships of the types in
    ``lanes`` are not in the batches: they are the frame of steps
    :mod:`graphnet.loading.bulk_lanes` reads (Arrow IPC bytes; ``None``
    when the file gives none).
    """
    plan = plan_of(rows.d)
    if plan is None or rows.ftm is not None:
        return None
    body = _body(rows)
    if body is None:
        return None
    import polars as pl

    data, header = body
    names = [f"c{i}" for i in range(len(header))]
    col = {h.casefold(): n for h, n in zip(header, names, strict=True)}
    if not data.strip(b"\n"):
        return [], 0, [], None
    try:
        df = pl.read_csv(io.BytesIO(data), has_header=False, new_columns=names, infer_schema=False, quote_char=None,
                         eol_char="\n", schema={n: pl.String for n in names})  # fmt: skip
    except Exception:  # noqa: BLE001 - a row longer than the header, or anything polars cannot read: row by row
        return None
    df = df.with_columns(pl.col(n).fill_null("").str.strip_chars(_WHITESPACE) for n in names)
    if df.select(pl.all_horizontal(pl.col(n) == "" for n in names).any()).item():
        return None  # a blank row: the reader skips it (row by row keeps its numbering)
    df = df.with_row_index("i")
    n_rows = df.height
    region = rows.d.region

    # each distinct cell read once per way of reading it (a caller and a callee column: one phone reading)
    reads: dict[tuple, str] = {}
    ways: dict[tuple, list[ValueSpec]] = {}
    for spec in plan.specs():
        sig = _signature(spec)
        if sig not in reads:
            reads[sig] = f"v{len(reads)}"
            ways.setdefault(sig[1:], []).append(spec)
    for specs in ways.values():
        columns = [col[s.column.casefold()] for s in specs]
        cells = pl.concat([df.get_column(c) for c in columns]).unique(maintain_order=True)
        value, error = _read_cells(pl, cells, specs[0], region)
        for s, c in zip(specs, columns, strict=True):
            name = reads[_signature(s)]
            table = pl.DataFrame({"raw": cells, name: value, f"{name}_err": error})
            df = df.join(table, left_on=c, right_on="raw", how="left")
    df = df.sort("i")

    def given(specs: tuple[ValueSpec, ...]) -> Any:  # every one of them read
        return pl.all_horizontal(pl.col(reads[_signature(k)]).is_not_null() for k in specs)

    def joined(specs: tuple[ValueSpec, ...]) -> Any:  # the mapper's "a|b": null when one is missing
        return pl.concat_str([pl.col(reads[_signature(k)]) for k in specs], separator="|")

    present = {n.alias: given(n.key) | given(n.fallback) if n.fallback else given(n.key) for n in plan.nodes}
    bad = pl.any_horizontal(
        *(pl.col(f"{v}_err").is_not_null() for v in reads.values()),
        *(~present[n.alias] for n in plan.nodes if not n.optional),
    )
    suspects = df.filter(bad)
    rejects = _rejects(rows, suspects, header, names)
    if rejects is None:
        return None
    good = df.filter(~bad).with_columns(ref=pl.lit(f"{rows.uid}:") + (pl.col("i") + 2).cast(pl.String))

    namespace = rows.namespace
    uid_of = {
        n.alias: pl.lit(f"{n.prefix or namespace}:") + (pl.coalesce(joined(n.key), joined(n.fallback))
                                                        if n.fallback else joined(n.key))
        for n in plan.nodes
    }  # fmt: skip
    got = _node_batches(pl, good, plan, reads, present, uid_of)
    if got is None:
        return None
    batches, places = got
    more, lane = _rel_batches(pl, good, plan, reads, present, uid_of, chunk_rows, places, lanes)
    return batches + more, n_rows, rejects, lane


def _rejects(rows: Any, suspects: Any, header: list[str], names: list[str]) -> list[Reject] | None:
    """The rows with a missing key or a bad value, rejected by ``RowMapper`` with its own reasons.

    ``None`` if one of them maps after all (not expected: the file is then read row by row).
    """
    if suspects.height == 0:
        return []
    mapper = RowMapper(rows.d, rows.uid, rows.namespace)
    rejects = []
    for rec in suspects.select("i", *names).iter_rows():
        row = rec[0] + 2
        values = dict(zip(header, rec[1:], strict=True))
        try:
            mapper.map(row, values)
        except RowProblems as e:
            rejects.append(Reject.of(row, e.problems, values))
            continue
        return None
    return rejects


def _node_batches(pl: Any, good: Any, plan: _Plan, reads: dict, present: dict,
                  uid_of: dict) -> tuple[list[Batch], Any] | None:  # fmt: skip
    """The nodes in the order rows name them (row, then alias), ``src`` one ref per row.

    A property is its first value in that order; a later other value of an
    identifying one flags ``<property>_conflict``, as ``writer.aggregate``
    and ``BulkGraph.fold`` do between and within chunks. ``None`` when a
    node would get two flags (their order depends on where the chunks
    begin: the file is mapped row by row). Also a frame of each node's place
    in that order (``label``, ``uid``, ``n``).
    """
    schema = load_schema()
    names = list(dict.fromkeys(p for n in plan.nodes for p, _ in n.props))
    frames = []
    for pos, n in enumerate(plan.nodes):
        read = {p: pl.col(reads[_signature(v)]) for p, v in n.props}
        frames.append(good.filter(present[n.alias]).select(
            "i", "ref", pos=pl.lit(pos), label=pl.lit(n.label), uid=uid_of[n.alias],
            **{f"p{j}": read.get(p, pl.lit(None, dtype=pl.String)) for j, p in enumerate(names)},
        ))  # fmt: skip
    said = pl.concat(frames).sort(["i", "pos"])
    identifying = {n.label: schema.node(n.label).identifying for n in plan.nodes}
    flaggable = [j for j, p in enumerate(names) if any(p in ids for ids in identifying.values())]
    nodes = said.group_by(["label", "uid"], maintain_order=True).agg(
        pl.col("ref").unique(maintain_order=True).str.join(ARRAY_DELIMITER),
        *(pl.col(f"p{j}").drop_nulls().first() for j in range(len(names))),
        *(pl.col(f"p{j}").drop_nulls().n_unique().alias(f"n{j}") for j in flaggable),
    )
    flags = [(pl.col(f"n{j}") > 1) & pl.col("label").is_in([lb for lb, ids in identifying.items() if names[j] in ids])
             for j in flaggable]  # fmt: skip
    if flags and (nodes.select(pl.sum_horizontal(flags).max()).item() or 0) > 1:
        return None
    flag = pl.coalesce(pl.when(f).then(pl.lit(f"{names[j]}_conflict")) for j, f in zip(flaggable, flags, strict=True))
    rows = nodes.select("label", "uid", "ref", flag.alias("flag") if flags else pl.lit(None, dtype=pl.String),
                        *(f"p{j}" for j in range(len(names))))  # fmt: skip

    def entries() -> Iterator[tuple[tuple[str, str], dict[str, Any]]]:
        for label, uid, src, flag, *values in rows.iter_rows():
            props = {p: v for p, v in zip(names, values, strict=True) if v is not None}
            yield (label, uid), {"uid": uid, "src": [src], "props": props, "flags": [flag] if flag else []}

    return _shares("nodes", entries()), nodes.select("label", "uid").with_row_index("n")


def _shares(field: str, items: Iterator[tuple[Any, dict[str, Any]]]) -> list[Batch]:
    """``(key, entry)`` items as Batches of :data:`SHARE` entries each (``field``: ``nodes`` or ``rels``)."""
    batches = []
    entries: dict[Any, dict[str, Any]] = {}
    for key, entry in items:
        entries[key] = entry
        if len(entries) >= SHARE:
            batches.append(Batch(**{field: entries}))
            entries = {}
    if entries:
        batches.append(Batch(**{field: entries}))
    return batches


def _in_chunks(chunks: list[int], values: list[float | None] | None = None) -> list[float]:
    """What each chunk of rows adds, in order: its rows (weight 1.0 each), or the sum of its ``values``.

    Each sum runs left to right from 0.0, as ``bulk_lanes._sum`` does for a
    chunk; a chunk without a value adds nothing.

    >>> _in_chunks([0, 0, 2]), _in_chunks([0, 0, 2, 2], [0.1, 0.2, None, 5.0]), _in_chunks([1, 1], [None, None])
    ([2.0, 1.0], [0.30000000000000004, 5.0], [])
    """
    if values is None:
        if chunks[0] == chunks[-1]:  # said in one chunk (the rows are in order)
            return [float(len(chunks))]
        return [float(len(list(g))) for _, g in itertools.groupby(chunks)]
    steps = []
    for _, group in itertools.groupby(zip(chunks, values), key=lambda cv: cv[0]):
        s, seen = 0.0, False
        for _, v in group:
            if v is not None:
                s += v
                seen = True
        if seen:
            steps.append(s)
    return steps


def _rel_batches(pl: Any, good: Any, plan: _Plan, reads: dict, present: dict, uid_of: dict, chunk_rows: int,
                 places: Any, lanes: Collection[str] = ()) -> tuple[list[Batch], bytes | None]:  # fmt: skip
    """The relationships in the order rows name them, with what each chunk of rows adds to them.

    ``steps``: the weight each chunk adds; ``sum_steps``: the same for each
    summed property (``bulk_graph.BulkGraph.fold`` adds them in turn);
    ``at``: the places of its two nodes among the file's nodes (``places``).
    Those of the types in ``lanes`` are a frame of steps instead (:func:`_lane_steps`).
    """
    if not plan.rels:
        return [], None
    label = {n.alias: n.label for n in plan.nodes}
    prop_names = sorted({p for r in plan.rels for p, _ in r.props})
    sum_names = sorted({p for r in plan.rels for p, _ in r.sums})
    frames = []
    for q, r in enumerate(plan.rels):
        given = {p: pl.col(reads[_signature(v)]) for p, v in (*r.props, *r.sums)}
        if r.key:
            named = [pl.when(pl.col(reads[_signature(v)]).is_not_null()).then(pl.lit(f"{name}=") +
                     pl.col(reads[_signature(v)])) for name, v in r.key]  # fmt: skip
            key = pl.concat_str(named, separator=";", ignore_nulls=True)
        else:
            key = pl.lit("")
        frames.append(good.filter(present[r.source] & present[r.target]).select(
            "i", "ref", q=pl.lit(q), type=pl.lit(r.type), sl=pl.lit(label[r.source]), s=uid_of[r.source],
            tl=pl.lit(label[r.target]), t=uid_of[r.target], key=key,
            **{p: given.get(p, pl.lit(None, dtype=pl.String)) for p in prop_names},
            **{p: given.get(p, pl.lit(None, dtype=pl.Float64)) for p in sum_names},
        ))  # fmt: skip
    ident = ["type", "sl", "s", "tl", "t", "key"]
    said = pl.concat(frames).sort(["i", "q"]).unique(["i", *ident], keep="first", maintain_order=True)
    said = said.with_columns(chunk=pl.col("i") // chunk_rows)
    lane = None
    if lanes:
        mine = pl.col("type").is_in(list(lanes))
        lane = _lane_steps(pl, said.filter(mine), ident, prop_names, sum_names, places)
        said = said.filter(~mine)
    rels = said.group_by(ident, maintain_order=True).agg(
        pl.col("ref").str.join(ARRAY_DELIMITER), pl.col("chunk"),
        *(pl.col(p).drop_nulls().first() for p in prop_names), *sum_names,
    )
    rels = _placed(rels, places).select(*ident, "ref", "chunk", "at_s", "at_t", *prop_names, *sum_names)
    order = {r.type: ([p for p, _ in r.props], [p for p, _ in r.sums]) for r in plan.rels}  # the mapper's order

    def entries() -> Iterator[tuple[tuple, dict[str, Any]]]:
        for rtype, sl, s, tl, t, key, src, chunks, at_s, at_t, *values in rels.iter_rows():
            got = dict(zip(prop_names, values, strict=False))
            summed = dict(zip(sum_names, values[len(prop_names):], strict=True))
            props_order, sums_order = order[rtype]
            sum_steps = {p: steps for p in sums_order if (steps := _in_chunks(chunks, summed[p]))}
            yield (rtype, sl, s, tl, t, key), {
                "s": s, "t": t, "key": key, "src": [src], "steps": _in_chunks(chunks), "sum_steps": sum_steps,
                "props": {p: got[p] for p in props_order if got[p] is not None}, "sums": {}, "at": (at_s, at_t),
            }  # fmt: skip

    return _shares("rels", entries()), lane


def _placed(frame: Any, places: Any) -> Any:
    """``frame`` (relationships) with ``at_s`` and ``at_t``, the places of their nodes in ``places``, in its order."""
    return (
        frame.with_row_index("r")
        .join(places.rename({"label": "sl", "uid": "s", "n": "at_s"}), on=["sl", "s"], how="left")
        .join(places.rename({"label": "tl", "uid": "t", "n": "at_t"}), on=["tl", "t"], how="left")
        .sort("r")
    )


def _lane_steps(pl: Any, said: Any, ident: list[str], prop_names: list[str], sum_names: list[str],
                places: Any) -> bytes | None:  # fmt: skip
    """What each chunk of rows adds to each relationship of ``said``, as Arrow IPC bytes (``None``: none).

    One row per relationship and chunk, in the order rows name them:
    ``type``, ``at_s`` and ``at_t`` (the places of its nodes among the
    file's nodes), ``key``, ``src`` (the chunk's refs joined by the
    importer's array delimiter), ``count`` (its rows), the first value of
    each property, and each summed property added left to right from 0.0
    (null when no row of the chunk gives one), as ``_in_chunks`` does.
    """
    if said.height == 0:
        return None
    steps = said.group_by([*ident, "chunk"], maintain_order=True).agg(
        pl.col("ref").str.join(ARRAY_DELIMITER).alias("src"),
        pl.len().cast(pl.Float64).alias("count"),
        *(pl.col(p).drop_nulls().first() for p in prop_names),
        *((pl.col(p).drop_nulls().cum_sum().last() + 0.0).alias(p) for p in sum_names),
    )
    steps = _placed(steps, places).select("type", "at_s", "at_t", "key", "src", "count", *prop_names, *sum_names)
    buf = io.BytesIO()
    steps.write_ipc(buf)
    return buf.getvalue()
