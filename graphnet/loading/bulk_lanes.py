"""Relationships that ``--bulk`` aggregates and writes column-wise, never as Python objects.

Call records and money transfers give most of a national graph's
relationships (1.3 of its 2.2 million): ``CALLED`` and ``PAID``, which no
other agency file gives. Such a relationship type is a *lane*
(:func:`lanes_of`): every definition of the plan that can give it is one
:mod:`graphnet.loading.columnar` maps column-wise. Its relationships then
stay in polars frames from the file to the importer's CSV file:

1. the column-wise child of each file (``columnar.map_file``) sends, instead
   of one Python entry per relationship, a frame of *steps*: what each chunk
   of ``CHUNK_ROWS`` rows adds to each relationship (its rows, the sums of
   its summed properties, its first values, its ``src`` refs), with the
   places of its two nodes among the file's nodes; a file of a lane that is
   read row by row after all (a quoted cell, a blank row) has its chunks'
   entries turned into the same steps (:func:`steps_of`);
2. once every file is folded, one child process (:func:`write_lanes`,
   forked at the start, while the folding process is small) gives the
   steps their node ids, folds them per relationship in plan order as
   :meth:`~graphnet.loading.bulk_graph.BulkGraph.fold` would, and writes
   one CSV file per type, while the folding process writes the other CSV
   files.

The fold is the same to the last bit: ``src`` refs in plan and row order;
a weight or a sum is added step by step from 0.0 (``cum_sum``, which adds
left to right, then ``+ 0.0`` for the sign of a zero, as Cypher's
``reduce(s = 0.0, ...)``); a property keeps its first value. The files
hold what :func:`~graphnet.loading.bulk_csv.write_csv` would write for the
same relationships, one file per type instead of one per property
signature: an absent property is an empty unquoted cell, which the
importer leaves unset (``tests/test_bulk_lanes.py`` reads both back, and
``tests/test_bulk.py`` compares the imported graph with the Cypher
loader's).

Why: on the national scenario the per-relationship objects were built,
pickled, unpickled, folded and written one by one, about 12 microseconds a
relationship across the processes, and their gigabytes made every other
step slower.

>>> from graphnet.loading.definition import read_definition
>>> lanes = lanes_of([read_definition(n) for n in ("call_records", "money_transfers", "travel_documents")])
>>> sorted(lanes), lanes["PAID"]
(['CALLED', 'PAID'], Lane(type='PAID', props=('currency', 'date'), sums=('amount',)))
"""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..schema import load_schema
from . import columnar
from .bulk_csv import _NOT_PROPS, ARRAY_DELIMITER
from .definition import Definition

__all__ = ["Lane", "LaneFiles", "Part", "lanes_of", "steps_of", "write_lanes"]


@dataclasses.dataclass(frozen=True)
class Lane:
    """A relationship type written column-wise: its text (and date) properties and its summed ones."""

    type: str
    props: tuple[str, ...]
    sums: tuple[str, ...]


@dataclasses.dataclass
class Part:
    """One file's relationships of the lanes: a frame of steps from its column-wise child, or steps made here.

    ``places``: the ids of the file's nodes in the order the child named
    them (``BulkGraph.fold`` fills it); ``rows``: per type, steps as
    :func:`steps_of` makes them.
    """

    index: int
    frame: bytes | None = None
    places: list[int] = dataclasses.field(default_factory=list)
    rows: dict[str, list[tuple]] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass
class LaneFiles:
    """What :func:`write_lanes` wrote: importer arguments, relationships, and per file (created, matched)."""

    args: list[str] = dataclasses.field(default_factory=list)
    relationships: int = 0
    multiline: bool = False
    counts: dict[int, tuple[int, int]] = dataclasses.field(default_factory=dict)


def _may_give(d: Definition) -> set[str] | None:
    """The relationship types a definition can give; ``None``: any (read from the data, or FollowTheMoney)."""
    if d.format == "ftm":
        return None
    types: set[str] = set()
    for spec in d.relationships:
        if spec.type.column is not None and spec.type.map is None:
            return None
        types.update(spec.types())
    return types


def lanes_of(definitions: Iterable[Definition]) -> dict[str, Lane]:
    """The relationship types of a plan every definition that can give them gives column-wise.

    A type is left out when a definition mapped row by row can give it, or
    when one property would be summed by one definition and not by another.
    """
    props: dict[str, set[str]] = {}
    sums: dict[str, set[str]] = {}
    refused: set[str] = set()
    for d in definitions:
        plan = columnar.plan_of(d)
        if plan is None:
            types = _may_give(d)
            if types is None:
                return {}
            refused |= types
            continue
        for r in plan.rels:
            props.setdefault(r.type, set()).update(p for p, _ in r.props)
            sums.setdefault(r.type, set()).update(p for p, _ in r.sums)
    return {
        t: Lane(t, tuple(sorted(props[t])), tuple(sorted(sums[t])))
        for t in props if t not in refused and not props[t] & sums[t]
    }  # fmt: skip


def steps_of(rels: dict[tuple, dict[str, Any]], lanes: dict[str, Lane], ids: Any, part: Part) -> None:
    """A chunk's entries of lane types (``writer.aggregate``'s) added to ``part.rows`` as steps.

    ``ids(label, uid)``: a node's id. A step is ``(start, end, key, src,
    weight, *props, *sums)``, as a column-wise child's frame holds it.
    """
    for (rtype, sl, s, tl, t, key), e in rels.items():
        lane = lanes[rtype]
        props = [e["props"].get(p) for p in lane.props]
        sums = [_sum(e["sums"][p]) if p in e["sums"] else None for p in lane.sums]
        part.rows.setdefault(rtype, []).append(
            (ids(sl, s), ids(tl, t), key, ARRAY_DELIMITER.join(e["src"]), _sum(e["w"]), *props, *sums)
        )


def _sum(values: list[float]) -> float:
    """Left-to-right sum from 0.0, as Cypher's ``reduce(s = 0.0, ...)`` (``BulkGraph.fold`` adds chunks so)."""
    s = 0.0
    for v in values:
        s += v
    return s


def _steps(pl: Any, part: Part, frame: Any, lane: Lane) -> Any:
    """One file's steps of one lane, ``None`` when it has none (``frame``: its child's steps, read, or ``None``).

    Columns ``:file``, ``:start``, ``:end``, ``:key``, ``:src``, ``:count``,
    then its properties and sums (a property name cannot begin with ":").
    """
    schema = {":start": pl.Int64, ":end": pl.Int64, ":key": pl.String, ":src": pl.String, ":count": pl.Float64,
              **{p: pl.String for p in lane.props}, **{p: pl.Float64 for p in lane.sums}}  # fmt: skip
    frames = []
    if frame is not None:
        df = frame.filter(pl.col("type") == lane.type)
        ids = pl.Series(part.places, dtype=pl.Int64)
        frames.append(df.select(
            ids.gather(df.get_column("at_s")).alias(":start"), ids.gather(df.get_column("at_t")).alias(":end"),
            pl.col("key").alias(":key"), pl.col("src").alias(":src"), pl.col("count").alias(":count"),
            *(pl.col(p) if p in df.columns else pl.lit(None, dtype=pl.String).alias(p) for p in lane.props),
            *(pl.col(p) if p in df.columns else pl.lit(None, dtype=pl.Float64).alias(p) for p in lane.sums),
        ).cast(schema))  # fmt: skip
    if lane.type in part.rows:
        frames.append(pl.DataFrame(part.rows[lane.type], schema=schema, orient="row"))
    if not frames:
        return None
    return pl.concat(frames).with_columns(pl.lit(part.index, dtype=pl.Int64).alias(":file"))


def write_lanes(parts: list[Part], lanes: dict[str, Lane], folder: Path) -> LaneFiles:
    """Fold the lanes' steps of ``parts`` (in plan order) and write one importer CSV file per type.

    Runs polars: call it in a process that forks no column-wise child
    afterwards (``bulk_graph`` runs it in a child of its own).
    """
    import polars as pl

    schema = load_schema()
    out = LaneFiles()
    seen: dict[int, int] = {}
    created: dict[int, int] = {}
    read = [pl.read_ipc(io.BytesIO(p.frame)) if p.frame is not None else None for p in parts]  # once, not per lane
    for lane in lanes.values():
        frames = [f for f in (_steps(pl, p, r, lane) for p, r in zip(parts, read, strict=True)) if f is not None]
        if not frames:
            continue
        steps = pl.concat(frames)
        ident = [":start", ":end", ":key"]
        rels = steps.group_by(ident, maintain_order=True).agg(
            pl.col(":src").str.join(ARRAY_DELIMITER),
            (pl.col(":count").cum_sum().last() + 0.0).alias(":weight"),
            pl.col(":file").first().alias(":first"),
            *(pl.col(p).drop_nulls().first() for p in lane.props),
            *((pl.col(p).drop_nulls().cum_sum().last() + 0.0).alias(p) for p in lane.sums),
        )
        for f, n in steps.select(":file", *ident).unique().group_by(":file").len().iter_rows():
            seen[f] = seen.get(f, 0) + n
        for f, n in rels.group_by(":first").len().iter_rows():
            created[f] = created.get(f, 0) + n
        names = sorted(p for p in (*lane.props, *lane.sums) if p not in _NOT_PROPS)
        table = rels.select(
            pl.col(":start").alias(":START_ID"), pl.col(":end").alias(":END_ID"), pl.col(":src").alias("src:string[]"),
            pl.col(":weight").alias("weight:double"), pl.col(":key").alias("key:string"),
            *(pl.col(p).alias(f"{p}:{'double' if p in lane.sums else 'string'}") for p in names),
        )  # fmt: skip
        text = [c for c, t in table.schema.items() if t == pl.String]
        if text and table.select(pl.any_horizontal(pl.col(c).str.contains("[\r\n]") for c in text).any()).item():
            out.multiline = True
        path = folder / f"lane-{len(out.args):04d}.csv"
        table.write_csv(path, quote_style="non_numeric")
        out.args.append(f"--relationships={schema.check_type(lane.type)}={path}")
        out.relationships += table.height
    out.counts = {f: (created.get(f, 0), n - created.get(f, 0)) for f, n in seen.items()}
    return out
