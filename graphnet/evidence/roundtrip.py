"""Loading a bundle back into an empty Neo4j (from its Cypher script or its JSON).

Both paths verify the bundle first, refuse a database that already holds
data, and write everything in one transaction: a failure leaves the database
as it was. :func:`snapshot` gives a comparable form of a database's graph
(node and relationship sets with properties) to check a round trip.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import neo4j

from ..db import Database
from ..errors import GraphnetError
from ..resources import cypher
from ..schema import load_schema, quote
from .custody import MANIFEST, verify
from .selection import Subgraph, plain

__all__ = ["load_bundle", "run_script", "snapshot", "snapshot_of", "subgraph_from_json"]

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


def _check_bundle(bundle: Path) -> None:
    if not (bundle / MANIFEST).is_file():
        raise GraphnetError(f"{bundle}: not an evidence bundle folder (no {MANIFEST})")
    result = verify(bundle, check_sources=False)
    if not result.ok:
        raise GraphnetError(f"{bundle}: refusing to load a bundle that fails verification: {result.problems[0]}")


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


def run_script(db: Database, text: str) -> int:
    """Run a bundle's Cypher script (one statement per line): constraints first, then the data in one transaction."""
    statements = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("//")]
    schema_ops = [s for s in statements if s.startswith("CREATE CONSTRAINT ")]
    data = [s for s in statements if not s.startswith("CREATE CONSTRAINT ")]
    for s in data:
        if not s.startswith("UNWIND ") or not s.endswith(";"):
            raise GraphnetError(f"subgraph.cypher: unexpected statement {s[:60]!r}; the script was not written by graphnet")
    for s in schema_ops:
        db.write(s.rstrip(";"))

    def work(tx: neo4j.ManagedTransaction) -> None:
        for s in data:
            tx.run(s.rstrip(";")).consume()

    with db.session() as session:
        session.execute_write(work)
    return len(statements)


def load_bundle(db: Database, bundle: str | Path, *, source: str = "json") -> dict[str, int]:
    """Recreate a bundle's subgraph in the empty database ``db`` from ``subgraph.json`` or ``subgraph.cypher``.

    Returns the counts of nodes and relationships now in the database.
    """
    path = Path(bundle)
    _check_bundle(path)
    _require_empty(db)
    if source == "cypher":
        run_script(db, (path / "subgraph.cypher").read_text(encoding="utf-8"))
    elif source == "json":
        try:
            data = json.loads((path / "subgraph.json").read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            raise GraphnetError(f"{path / 'subgraph.json'}: cannot read: {e}") from None
        sub = subgraph_from_json(data)
        with db.session() as session:
            session.execute_write(_write_json, sub)
    else:
        raise GraphnetError(f"--from must be json or cypher, got {source!r}")
    counts = db.read(cypher("evidence_counts"))[0]
    return {"nodes": counts["n"], "relationships": counts["r"]}
