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
            if n.ref not in entry["src"]:
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
            if r.ref in entry["src"]:
                # one row asserting the same relationship twice: count it once
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


def _node_props_cypher(label: str, keys: list[str], with_flags: bool) -> str:
    schema = load_schema()
    allowed = schema.node_properties(label)
    lines = []
    conflicts = [k for k in keys if k in schema.node(label).identifying and allowed[k].get("type") != "list"]
    if conflicts:
        checks = ", ".join(
            f"CASE WHEN n.{quote(k)} IS NOT NULL AND n.{quote(k)} <> row.props.{quote(k)} "
            f"THEN '{k}_conflict' END"
            for k in conflicts
        )
        lines.append(f"WITH n, row, [c IN [{checks}] WHERE c IS NOT NULL] + coalesce(row.flags, []) AS flags")
    elif with_flags:
        lines.append("WITH n, row, coalesce(row.flags, []) AS flags")
    for k in keys:
        if k not in allowed:  # the mapper only gives schema properties; keep the guard
            raise AssertionError(f"property {k!r} is not in the schema of {label}")
        q = quote(k)
        if allowed[k].get("type") == "list":
            lines.append(
                f"SET n.{q} = coalesce(n.{q}, []) + [x IN row.props.{q} WHERE NOT x IN coalesce(n.{q}, [])]"
            )
        else:
            lines.append(f"SET n.{q} = coalesce(n.{q}, row.props.{q})")
    if conflicts or with_flags:
        lines.append(
            "FOREACH (_ IN CASE WHEN size(flags) > 0 THEN [1] ELSE [] END | "
            "SET n.flags = coalesce(n.flags, []) + [f IN flags WHERE NOT f IN coalesce(n.flags, [])])"
        )
    return "\n".join(lines)


def _rel_props_cypher(rtype: str, keys: list[str], sums: list[str], retract: bool = False) -> str:
    allowed = load_schema().relationship_properties(rtype)
    lines = []
    for k in [*keys, *sums]:
        if k not in allowed:
            raise AssertionError(f"property {k!r} is not in the schema of {rtype}")
    if retract:
        for k in sums:
            q = quote(k)
            lines.append(f"SET r.{q} = r.{q} - reduce(s = 0.0, i IN gone | s + row.sums.{q}[i])")
        return "\n".join(lines)
    for k in keys:
        q = quote(k)
        lines.append(f"SET r.{q} = coalesce(r.{q}, row.props.{q})")
    for k in sums:
        q = quote(k)
        lines.append(f"SET r.{q} = coalesce(r.{q}, 0.0) + reduce(s = 0.0, i IN new | s + row.sums.{q}[i])")
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
        text = _fill(node_q, label=quote(schema.check_label(label)), props=_node_props_cypher(label, list(keys), flags))
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
            props=_rel_props_cypher(rtype, list(keys), list(sums)),
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
            props=_rel_props_cypher(rtype, [], list(sums), retract=True),
        )
        for part in _chunks(rows, batch_rows):
            db.write(text, rows=[{k: r[k] for k in ("s", "t", "key", "src", "w", "sums")} for r in part])
    node_q = cypher("retract_nodes")
    for (label, _, _), rows in sorted(_node_groups(batch).items()):
        text = _fill(node_q, label=quote(schema.check_label(label)))
        for part in _chunks(rows, batch_rows):
            db.write(text, rows=[{"uid": r["uid"], "src": r["src"]} for r in part])
