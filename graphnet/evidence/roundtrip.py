"""Loading a bundle back into an empty Neo4j (from its Cypher script or its JSON).

Both paths verify the bundle first (against the digest recorded at export
when one is given), refuse a database that already holds data, and write
everything through the same named, parameterised queries in one transaction:
a failure leaves the database as it was. The Cypher script is never run: it
is parsed, only the statements graphnet's exporter writes are accepted, and
their literal data are loaded like the JSON's. :func:`snapshot` gives a
comparable form of a database's graph (node and relationship sets with
properties) to check a round trip.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import neo4j

from ..db import Database, apply_schema
from ..errors import GraphnetError
from ..resources import cypher
from ..schema import load_schema, quote
from .custody import read_bundle, verify
from .formats import constraint_statement, node_statement, read_cypher_literal, relationship_statement
from .selection import Subgraph, plain

__all__ = ["load_bundle", "parse_script", "run_script", "snapshot", "snapshot_of", "subgraph_from_json"]

def _canon(props: dict[str, Any]) -> str:
    return json.dumps({k: plain(v) for k, v in props.items()}, sort_keys=True, ensure_ascii=False)


def snapshot(db: Database) -> tuple[frozenset, frozenset]:
    """The whole graph of ``db`` as (node set, relationship set), properties included."""
    nodes = frozenset((tuple(sorted(r["labels"])), _canon(r["props"])) for r in db.read(cypher("evidence_snapshot_nodes")))
    rels = frozenset((r["type"], r["start"], r["end"], _canon(r["props"])) for r in db.read(cypher("evidence_snapshot_relationships")))
    return nodes, rels


def snapshot_of(sub: Subgraph) -> tuple[frozenset, frozenset]:
    """What :func:`snapshot` gives after a bundle of ``sub`` is loaded into an empty database."""
    nodes = {(("Source",), _canon({**s, "uid": u})) for u, s in sub.sources.items()}
    nodes |= {((d["label"],), _canon({k: v for k, v in d.items() if k != "label"})) for d in sub.nodes.values()}
    rels = {
        (e["type"], e["source"], e["target"], _canon({k: v for k, v in e.items() if k not in {"type", "source", "target"}}))
        for e in sub.edges
    }
    return frozenset(nodes), frozenset(rels)


def subgraph_from_json(data: dict[str, Any]) -> Subgraph:
    """A :class:`Subgraph` from the bundle's node-link JSON (``subgraph.json``)."""
    try:
        graph = data.get("graph", {})
        nodes = {}
        for n in data["nodes"]:
            n = dict(n)
            uid = n.pop("id")
            nodes[uid] = n
        edges = []
        for e in data["edges"]:
            e = {k: v for k, v in e.items() if k != "id"}
            edges.append(e)
        return Subgraph(
            nodes=nodes,
            edges=edges,
            sources=graph.get("sources", {}),
            seeds=graph.get("seeds", []),
            paths=graph.get("paths", []),
            selection=graph.get("selection", {}),
            same_person=graph.get("same_person", []),
        )
    except (KeyError, TypeError, AttributeError) as e:
        raise GraphnetError(f"subgraph.json is not a graphnet node-link graph ({e})") from None


def _require_empty(db: Database) -> None:
    if db.read(cypher("evidence_count"))[0]["n"]:
        raise GraphnetError(
            f"database {db.name!r} already holds data: load an evidence bundle only into an empty database "
            "(`graphnet db clear --yes`, or another --database)"
        )


def _checked_files(bundle: Path, expected_digest: str | None = None) -> dict[str, bytes]:
    """The bundle's files (folder or zip), read once and verified: the bytes that are then loaded."""
    if expected_digest is not None and not re.fullmatch(r"[0-9a-fA-F]{64}", expected_digest.strip()):
        raise GraphnetError(f"--digest takes the 64 hex digits of the SHA-256 recorded at export, got {expected_digest!r}")
    files = read_bundle(bundle)
    result = verify(bundle, expected_digest=expected_digest, check_sources=False, files=files)
    if not result.ok:
        raise GraphnetError(f"{bundle}: refusing to load a bundle that fails verification: {result.problems[0]}")
    return files


def _text(files: dict[str, bytes], name: str, bundle: Path) -> str:
    try:
        return files[name].decode("utf-8")
    except KeyError:
        raise GraphnetError(f"{bundle}: the bundle has no {name}") from None
    except UnicodeDecodeError as e:
        raise GraphnetError(f"{bundle}: {name} cannot be read as UTF-8: {e}") from None


def _write_json(tx: neo4j.ManagedTransaction, sub: Subgraph) -> None:
    schema = load_schema()
    if sub.sources:
        rows = [{"uid": u, "props": {**s, "uid": u}} for u, s in sub.sources.items()]
        tx.run(cypher("evidence_load_nodes").replace("{label}", quote("Source")), rows=rows).consume()
    by_label: dict[str, list[dict[str, Any]]] = {}
    for uid, d in sub.nodes.items():
        label = schema.check_label(str(d.get("label")))
        props = {k: v for k, v in d.items() if k != "label" and v is not None}
        by_label.setdefault(label, []).append({"uid": uid, "props": {**props, "uid": uid}})
    for label, rows in sorted(by_label.items()):
        tx.run(cypher("evidence_load_nodes").replace("{label}", quote(label)), rows=rows).consume()
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for e in sub.edges:
        rtype = schema.check_type(str(e.get("type")))
        if not schema.relationships[rtype].evidence:
            raise GraphnetError(f"subgraph.json holds a {rtype} relationship: bundles carry evidence only")
        a, b = sub.nodes[e["source"]]["label"], sub.nodes[e["target"]]["label"]
        props = {k: v for k, v in e.items() if k not in {"type", "source", "target"} and v is not None}
        props["key"] = props.get("key") or ""
        groups.setdefault((rtype, a, b), []).append({"start": e["source"], "end": e["target"], "props": props})
    for (rtype, a, b), rows in sorted(groups.items()):
        q = cypher("evidence_load_relationships")
        q = q.replace("{start}", quote(schema.check_label(a))).replace("{end}", quote(schema.check_label(b)))
        tx.run(q.replace("{type}", quote(rtype)), rows=rows).consume()


_QUOTED = r"`([A-Za-z_][A-Za-z0-9_]*)`"
_NODE_LINE = re.compile(r" AS row MERGE \(n:" + _QUOTED + r" ")
_REL_LINE = re.compile(r" AS row MATCH \(a:" + _QUOTED + r" .* MATCH \(b:" + _QUOTED + r" .* MERGE \(a\)-\[r:" + _QUOTED + r" ")
_SCALARS = (str, int, float, bool)


def _stored_value(value: Any) -> bool:
    """A value Neo4j stores as a property and the exporter writes: a scalar or a list of scalars."""
    if isinstance(value, list):
        return all(isinstance(v, _SCALARS) for v in value)
    return isinstance(value, _SCALARS)


def _props(value: Any, reserved: frozenset[str] = frozenset()) -> str | None:
    """Why ``value`` is not a property map the exporter writes (None when it is)."""
    if not isinstance(value, dict):
        return "props is not a map"
    for k, v in value.items():
        if k in reserved:
            return f"props holds the reserved key {k!r}"
        if not _stored_value(v):
            return f"property {k!r} is not a value or a list of values"
    return None


def parse_script(text: str, name: str = "subgraph.cypher") -> tuple[Subgraph, int]:
    """The subgraph a bundle's Cypher script holds, read (never run); and the number of statements read.

    Only the lines graphnet's exporter writes (:func:`graphnet.evidence.formats.cypher_script`)
    are accepted, byte for byte: ``//`` comments, the uniqueness constraints of
    schema labels, and ``UNWIND <literal> AS row ...`` statements for Source
    nodes, nodes of a schema label and evidence relationships between nodes
    of the script. Anything else raises :class:`GraphnetError` naming ``name``
    and the line.
    """
    schema = load_schema()
    constraints = {constraint_statement(label) for label in schema.labels}
    nodes: dict[str, dict[str, Any]] = {}
    sources: dict[str, dict[str, Any]] = {}
    edges: list[dict[str, Any]] = []
    read = 0

    def refuse(lineno: int, line: str, why: str) -> GraphnetError:
        shown = line if len(line) <= 60 else line[:57] + "..."
        return GraphnetError(f"{name}:{lineno}: {why} ({shown!r}); only the statements graphnet writes are read, "
                             "nothing was loaded")

    for lineno, line in enumerate(text.split("\n"), 1):
        if not line.strip() or line.startswith("//"):
            continue
        if line.startswith("CREATE CONSTRAINT "):
            if line not in constraints:
                raise refuse(lineno, line, "not a uniqueness constraint graphnet writes for a schema label")
            read += 1  # the constraints come from the schema (apply_schema), not from this text
            continue
        if not line.startswith("UNWIND "):
            raise refuse(lineno, line, "not a statement graphnet writes")
        try:
            rows, end = read_cypher_literal(line, len("UNWIND "))
        except ValueError as e:
            raise refuse(lineno, line, f"unreadable data literal: {e}") from None
        tail = line[end:]
        node_line, rel_line = _NODE_LINE.match(tail), _REL_LINE.match(tail)
        if not (node_line or rel_line):
            raise refuse(lineno, line, "not a statement graphnet writes")
        if not isinstance(rows, list) or not rows or not all(isinstance(r, dict) for r in rows):
            raise refuse(lineno, line, "the data is not a list of rows")
        if node_line:
            label = node_line.group(1)
            if label not in schema.nodes:
                raise refuse(lineno, line, f"label {label!r} is not in the schema")
            if line != node_statement(label, rows):
                raise refuse(lineno, line, "not a statement graphnet writes")
            for row in rows:
                uid, props = row.get("uid"), row.get("props")
                why = (("a row is not {uid, props}" if set(row) != {"uid", "props"} or not isinstance(uid, str) else None)
                       or _props(props))
                if why is None and uid in (sources if label == "Source" else nodes):
                    why = f"uid {uid!r} given twice"
                if why is None and label == "Source" and props.get("uid") != uid:
                    why = f"Source {uid!r} holds another uid"
                if why:
                    raise refuse(lineno, line, why)
                if label == "Source":
                    sources[uid] = {k: v for k, v in props.items() if k != "uid"}
                else:
                    nodes[uid] = {**props, "label": label}
        else:
            start, end_label, rtype = rel_line.groups()
            for label in (start, end_label):
                if label not in schema.nodes:
                    raise refuse(lineno, line, f"label {label!r} is not in the schema")
            if rtype not in schema.relationships:
                raise refuse(lineno, line, f"relationship type {rtype!r} is not in the schema")
            if not schema.relationships[rtype].evidence:
                raise refuse(lineno, line, f"a {rtype} relationship: bundles carry evidence only")
            if line != relationship_statement(rtype, start, end_label, rows):
                raise refuse(lineno, line, "not a statement graphnet writes")
            for row in rows:
                props = row.get("props")
                why = ("a row is not {start, end, key, props}" if set(row) != {"start", "end", "key", "props"}
                       or not all(isinstance(row[k], str) for k in ("start", "end", "key")) else None)
                why = why or _props(props, frozenset({"type", "source", "target"}))
                if why is None and props.get("key") != row["key"]:
                    why = "the row's key and its props' key differ"
                for k, label in (("start", start), ("end", end_label)):
                    if why is None and nodes.get(row[k], {}).get("label") != label:
                        why = f"{k} {row[k]!r} is not a {label} node written before it"
                if why:
                    raise refuse(lineno, line, why)
                edges.append({**props, "type": rtype, "source": row["start"], "target": row["end"]})
        read += 1
    sub = Subgraph(nodes=nodes, edges=edges, sources=sources, seeds=[], paths=[], selection={})
    return sub, read


def run_script(db: Database, text: str, name: str = "subgraph.cypher") -> int:
    """Load the data of a bundle's Cypher script without running its text; returns the statements read.

    The whole script is parsed first (:func:`parse_script`: a statement graphnet
    does not write stops everything before a write). Then the schema's
    constraints are created by :func:`graphnet.db.apply_schema` and the data
    written in one transaction by the same parameterised queries as the JSON.
    """
    sub, read = parse_script(text, name)
    apply_schema(db)
    with db.session() as session:
        session.execute_write(_write_json, sub)
    return read


def load_bundle(db: Database, bundle: str | Path, *, source: str = "json",
                expected_digest: str | None = None) -> dict[str, int]:
    """Recreate a bundle's subgraph in the empty database ``db`` from ``subgraph.json`` or ``subgraph.cypher``.

    ``bundle``: the bundle's folder or its zip file. The bundle must pass
    :func:`graphnet.evidence.verify` (and match ``expected_digest``, the
    digest recorded at export, when given); the bytes verified are the bytes
    loaded. The Cypher script is read, never run (:func:`parse_script`).
    Returns the counts of nodes (``sources`` of them the Source nodes of the
    cited files) and relationships now in the database.
    """
    path = Path(bundle)
    if source not in {"json", "cypher"}:
        raise GraphnetError(f"--from must be json or cypher, got {source!r}")
    files = _checked_files(path, expected_digest)
    _require_empty(db)
    if source == "cypher":
        run_script(db, _text(files, "subgraph.cypher", path), f"{path}/subgraph.cypher")
    else:
        try:
            data = json.loads(_text(files, "subgraph.json", path))
        except ValueError as e:
            raise GraphnetError(f"{path}/subgraph.json: cannot read: {e}") from None
        sub = subgraph_from_json(data)
        with db.session() as session:
            session.execute_write(_write_json, sub)
    counts = db.read(cypher("evidence_counts"))[0]
    return {"nodes": counts["n"], "relationships": counts["r"], "sources": counts["s"]}
