"""Write small graphs into the real Neo4j exactly as the storage contract says (ARCHITECTURE.md).

Used by tests/test_analytics_*.py and tests/test_report*.py to build graphs whose
measures are computed by hand or by NetworkX independently.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

from graphnet.schema import load_schema, quote

SOURCE = "0123456789abcdef:test"


def write_graph(db, nodes, rels, source: str = SOURCE) -> None:
    """nodes: (label, uid, props); rels: (type, from uid, to uid, props). Parameterised, labels checked."""
    schema = load_schema()
    db.write("MERGE (s:Source {uid: $uid}) SET s.definition = $d, s.path = $p",
             uid=source, d=source.split(":")[1], p=f"/data/{source.split(':')[1]}.csv")
    by_label = defaultdict(list)
    for row, (label, uid, props) in enumerate(nodes, 2):
        by_label[schema.check_label(label)].append({"uid": uid, "props": {"name": uid, "src": [f"{source}:{row}"], **props}})
    for label, rows in by_label.items():
        db.write(f"UNWIND $rows AS r MERGE (n:{quote(label)} {{uid: r.uid}}) SET n += r.props", rows=rows)
    label_of = {uid: label for label, uid, _ in nodes}
    by_type = defaultdict(list)
    for row, (rtype, a, b, props) in enumerate(rels, 2):
        key = (schema.check_type(rtype), schema.check_label(label_of[a]), schema.check_label(label_of[b]))
        by_type[key].append({"a": a, "b": b, "props": {"key": "", "src": [f"{source}:{row}"], **props}})
    for (rtype, la, lb), rows in by_type.items():
        db.write(
            f"UNWIND $rows AS r MATCH (a:{quote(la)} {{uid: r.a}}), (b:{quote(lb)} {{uid: r.b}}) "
            f"CREATE (a)-[x:{quote(rtype)}]->(b) SET x = r.props",
            rows=rows,
        )


def write_edge_list(db, path: Path, *, rtype: str = "ASSOCIATED_WITH", prefix: str = "", weight: bool = True,
                    phase: bool = False, key_phase: bool = False, source: str | None = None) -> None:
    """Load a published edge list (source,target[,weight][,phase]) as Person nodes and ties."""
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    people = sorted({r["source"] for r in rows} | {r["target"] for r in rows})
    nodes = [("Person", prefix + p, {"name": p}) for p in people]
    rels = []
    for r in rows:
        props = {"weight": float(r["weight"]) if weight and r.get("weight") else 1.0}
        if phase and r.get("phase"):
            props["phase"] = int(r["phase"])
            props["key"] = f"phase={r['phase']}"
        rels.append((rtype, prefix + r["source"], prefix + r["target"], props))
    write_graph(db, nodes, rels, source or f"{path.stem[:16].ljust(16, '0')}:{path.stem}")
