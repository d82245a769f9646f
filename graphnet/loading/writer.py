"""Write mapped rows to Neo4j: grouped, batched, parameterised ``UNWIND ... MERGE``.

Rows are aggregated per chunk in Python (one entry per node uid and per
relationship identity, with all its refs), grouped per label / type and
property set, and sent as ``UNWIND $rows`` batches of the named queries
``merge_nodes`` and ``merge_relationships``. Labels and types reach the
query text only after ``check_label``/``check_type`` and through ``quote``;
property names only from the schema, quoted the same way.

Atomicity (the choice documented in ARCHITECTURE.md): batches, each its own
transaction, plus

* the Source node is written first with ``status: 'loading'`` and marked
  ``'complete'`` last, so an interrupted load is visible;
* every write is idempotent per provenance ref (a ref already in ``src`` adds
  nothing, not even weight), so re-running an interrupted load gives exactly
  the graph of an uninterrupted one;
* when a batch fails while the server is up (a Cypher or constraint error),
  the loader takes back everything this file wrote (``retract_*``: remove its
  refs and weights, delete what nothing else asserts) before reporting.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from ..db import Database
from ..resources import cypher
from ..schema import load_schema, quote
from .mapper import NodeItem, RelItem

__all__ = ["Batch", "aggregate", "write_chunk", "retract_chunk", "WriteCounts"]

BATCH_ROWS = 10_000


@dataclasses.dataclass
class WriteCounts:
    nodes_created: int = 0
    relationships_created: int = 0
    nodes_written: int = 0
    relationships_written: int = 0


@dataclasses.dataclass
class Batch:
    """Aggregated items of one chunk of rows."""

    nodes: dict[tuple[str, str], dict[str, Any]] = dataclasses.field(default_factory=dict)
    rels: dict[tuple, dict[str, Any]] = dataclasses.field(default_factory=dict)


def _identifying(label: str) -> frozenset[str]:
    return load_schema().node(label).identifying


def aggregate(items: Iterable[tuple[list[NodeItem], list[RelItem]]], batch: Batch | None = None) -> Batch:
    """Fold mapped rows into one entry per node uid and relationship identity.

    ``items`` are the mapped rows of one file in row order (all items of a row
    carry that row's ref).

    The first value of a scalar property is kept; a different later value of
    an identifying property (birth date, NIK, ...) is flagged
    ``<property>_conflict``; list properties are unions.
    """
    batch = batch or Batch()
    for nodes, rels in items:
        for n in nodes:
            entry = batch.nodes.get((n.label, n.uid))
            if entry is None:
                batch.nodes[(n.label, n.uid)] = {
                    "uid": n.uid, "src": [n.ref], "props": dict(n.props), "flags": [],
                }  # fmt: skip
                continue
            if entry["src"][-1] != n.ref:  # rows come in order: a repeat of this row's ref is the last one
                entry["src"].append(n.ref)
            props = entry["props"]
            for k, v in n.props.items():
                old = props.get(k)
                if old is None:
                    props[k] = v
                elif isinstance(old, list):
                    props[k] = old + [x for x in v if x not in old]
                elif old != v and k in _identifying(n.label):
                    flag = f"{k}_conflict"
                    if flag not in entry["flags"]:
                        entry["flags"].append(flag)
        for r in rels:
            ident = (r.type, r.start_label, r.start, r.end_label, r.end, r.key)
            entry = batch.rels.get(ident)
            if entry is None:
                batch.rels[ident] = {
                    "s": r.start, "t": r.end, "key": r.key, "src": [r.ref], "w": [r.weight], "props": dict(r.props),
                    "sums": {k: [v] for k, v in r.sums.items()},
                }  # fmt: skip
                continue
            if entry["src"][-1] == r.ref:
                # one row asserting the same relationship twice: count it once (rows come in order,
                # so only the last ref can be this row's; a membership test would be quadratic on hubs)
                continue
            n = len(entry["src"])
            entry["src"].append(r.ref)
            entry["w"].append(r.weight)
            for k, v in r.props.items():
                entry["props"].setdefault(k, v)
            sums = entry["sums"]
            for k in set(sums) | set(r.sums):
                sums.setdefault(k, [0.0] * n).append(r.sums.get(k, 0.0))
    return batch


def _node_set(label: str, keys: list[str], with_flags: bool) -> str:
    """The items of merge_nodes' one SET clause (flags, then src, then properties).

    >>> print(_node_set("Phone", [], False))
    n.src = coalesce(n.src, []) + CASE WHEN $dedupe THEN [x IN row.src WHERE NOT x IN coalesce(n.src, [])] ELSE row.src END
    """
    schema = load_schema()
    allowed = schema.node_properties(label)
    for k in keys:
        if k not in allowed:  # the mapper only gives schema properties; keep the guard
            raise AssertionError(f"property {k!r} is not in the schema of {label}")
    items = []
    conflicts = [k for k in keys if k in schema.node(label).identifying and allowed[k].get("type") != "list"]
    if conflicts or with_flags:
        checks = ", ".join(
            f"CASE WHEN n.{quote(k)} IS NOT NULL AND n.{quote(k)} <> row.props.{quote(k)} THEN '{k}_conflict' END"
            for k in conflicts
        )
        new = f"[c IN [{checks}] WHERE c IS NOT NULL] + coalesce(row.flags, [])" if conflicts else "coalesce(row.flags, [])"
        items.append(
            f"n.flags = reduce(acc = n.flags, f IN {new} | "
            "CASE WHEN f IN coalesce(acc, []) THEN acc ELSE coalesce(acc, []) + f END)"
        )
    items.append(
        "n.src = coalesce(n.src, []) + CASE WHEN $dedupe THEN [x IN row.src WHERE NOT x IN coalesce(n.src, [])] "
        "ELSE row.src END"
    )
    for k in keys:
        q = quote(k)
        if allowed[k].get("type") == "list":
            items.append(f"n.{q} = coalesce(n.{q}, []) + [x IN row.props.{q} WHERE NOT x IN coalesce(n.{q}, [])]")
        else:
            items.append(f"n.{q} = coalesce(n.{q}, row.props.{q})")
    return ",\n".join(items)


def _rel_set(rtype: str, keys: list[str], sums: list[str]) -> str:
    """The items of merge_relationships' one SET clause (weight and sums, then src, then properties).

    A ref already in ``src`` (only possible when ``$dedupe``) adds no weight.

    >>> print(_rel_set("CALLED", [], []))
    r.weight = coalesce(r.weight, 0.0) + reduce(s = 0.0, i IN range(0, size(row.src) - 1) | s + CASE WHEN $dedupe AND row.src[i] IN coalesce(r.src, []) THEN 0.0 ELSE row.w[i] END),
    r.src = coalesce(r.src, []) + CASE WHEN $dedupe THEN [x IN row.src WHERE NOT x IN coalesce(r.src, [])] ELSE row.src END
    """
    allowed = load_schema().relationship_properties(rtype)
    for k in [*keys, *sums]:
        if k not in allowed:
            raise AssertionError(f"property {k!r} is not in the schema of {rtype}")

    def added(values: str) -> str:
        return (
            "reduce(s = 0.0, i IN range(0, size(row.src) - 1) | s + "
            f"CASE WHEN $dedupe AND row.src[i] IN coalesce(r.src, []) THEN 0.0 ELSE {values}[i] END)"
        )

    items = [f"r.weight = coalesce(r.weight, 0.0) + {added('row.w')}"]
    items += [f"r.{quote(k)} = coalesce(r.{quote(k)}, 0.0) + {added(f'row.sums.{quote(k)}')}" for k in sums]
    items.append(
        "r.src = coalesce(r.src, []) + CASE WHEN $dedupe THEN [x IN row.src WHERE NOT x IN coalesce(r.src, [])] "
        "ELSE row.src END"
    )
    items += [f"r.{quote(k)} = coalesce(r.{quote(k)}, row.props.{quote(k)})" for k in keys]
    return ",\n".join(items)


def _retract_sums(rtype: str, sums: list[str]) -> str:
    """SET lines of retract_relationships that take summed properties back."""
    allowed = load_schema().relationship_properties(rtype)
    lines = []
    for k in sums:
        if k not in allowed:
            raise AssertionError(f"property {k!r} is not in the schema of {rtype}")
        q = quote(k)
        lines.append(f"SET r.{q} = r.{q} - reduce(s = 0.0, i IN gone | s + row.sums.{q}[i])")
    return "\n".join(lines)


def _node_groups(batch: Batch) -> dict[tuple[str, tuple[str, ...], bool], list[dict]]:
    groups: dict[tuple[str, tuple[str, ...], bool], list[dict]] = defaultdict(list)
    for (label, _), entry in batch.nodes.items():
        groups[(label, tuple(sorted(entry["props"])), bool(entry["flags"]))].append(entry)
    return groups


def _rel_groups(batch: Batch) -> dict[tuple[str, str, str, tuple[str, ...], tuple[str, ...]], list[dict]]:
    groups: dict[tuple[str, str, str, tuple[str, ...], tuple[str, ...]], list[dict]] = defaultdict(list)
    for (rtype, slabel, _, elabel, _, _), entry in batch.rels.items():
        groups[(rtype, slabel, elabel, tuple(sorted(entry["props"])), tuple(sorted(entry["sums"])))].append(entry)
    return groups


def _fill(template: str, **parts: str) -> str:
    """Fill ``{name}`` placeholders of a named query (comment lines dropped first).

    >>> _fill("// {label}: a label\\nMATCH (n:{label} {uid: $uid})", label="`Person`")
    'MATCH (n:`Person` {uid: $uid})'
    """
    text = "\n".join(ln for ln in template.splitlines() if not ln.lstrip().startswith("//"))
    for name, value in parts.items():
        text = text.replace("{" + name + "}", value)
    return text


def _chunks(rows: list[dict], size: int) -> Iterable[list[dict]]:
    for i in range(0, len(rows), size):
        yield rows[i : i + size]


def write_chunk(
    db: Database, batch: Batch, counts: WriteCounts, *, dedupe: bool = True, batch_rows: int = BATCH_ROWS
) -> None:
    """Write the nodes then the relationships of one aggregated chunk.

    ``dedupe=False`` is only right on a first load of a file: then none of its
    refs can already be in ``src`` and the costly membership test is skipped.
    """
    schema = load_schema()
    node_q = cypher("merge_nodes")
    for (label, keys, flags), rows in sorted(_node_groups(batch).items()):
        text = _fill(node_q, label=quote(schema.check_label(label)), set=_node_set(label, list(keys), flags))
        for part in _chunks(rows, batch_rows):
            c = db.write(text, rows=part, dedupe=dedupe)
            counts.nodes_created += c.nodes_created
            counts.nodes_written += len(part)
    rel_q = cypher("merge_relationships")
    for (rtype, slabel, elabel, keys, sums), rows in sorted(_rel_groups(batch).items()):
        text = _fill(
            rel_q,
            start=quote(schema.check_label(slabel)),
            end=quote(schema.check_label(elabel)),
            type=quote(schema.check_type(rtype)),
            set=_rel_set(rtype, list(keys), list(sums)),
        )
        for part in _chunks(rows, batch_rows):
            c = db.write(text, rows=part, dedupe=dedupe)
            counts.relationships_created += c.relationships_created
            counts.relationships_written += len(part)


def retract_chunk(db: Database, batch: Batch, batch_rows: int = BATCH_ROWS) -> None:
    """Take one chunk's refs back out of the graph (the compensation of a failed load)."""
    schema = load_schema()
    rel_q = cypher("retract_relationships")
    for (rtype, slabel, elabel, _, sums), rows in sorted(_rel_groups(batch).items()):
        text = _fill(
            rel_q,
            start=quote(schema.check_label(slabel)),
            end=quote(schema.check_label(elabel)),
            type=quote(schema.check_type(rtype)),
            props=_retract_sums(rtype, list(sums)),
        )
        for part in _chunks(rows, batch_rows):
            db.write(text, rows=[{k: r[k] for k in ("s", "t", "key", "src", "w", "sums")} for r in part])
    node_q = cypher("retract_nodes")
    for (label, _, _), rows in sorted(_node_groups(batch).items()):
        text = _fill(node_q, label=quote(schema.check_label(label)))
        for part in _chunks(rows, batch_rows):
            db.write(text, rows=[{"uid": r["uid"], "src": r["src"]} for r in part])
