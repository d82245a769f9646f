"""Shared helpers of the hardening suite: payloads, file writers, graph snapshots."""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path
from typing import Any

from graphnet.loading import list_definitions, read_definition

# Cypher-injection payloads: quotes, backticks, braces, DETACH DELETE, comments
PAYLOADS = [
    "x' }) MATCH (n) DETACH DELETE n //",
    'x" }) MATCH (n) DETACH DELETE n //',
    "`) MATCH (n) DETACH DELETE n //",
    "{uid: 'evil'}) DETACH DELETE n",
    "'; MATCH (n) DETACH DELETE n; //",
    "$uid } ] ) // DROP CONSTRAINT",
    "\\' OR 1=1 /* */ RETURN 1 //",
]


def csv_definitions() -> list[str]:
    """Every shipped definition that reads CSV (all but the FtM one)."""
    return [n for n, _ in list_definitions() if (read_definition(n).format or "csv") == "csv"]


def write_csv(
    path: Path, columns: list[str], rows: list[dict[str, str]], *, delimiter: str = ",", encoding: str = "utf-8"
) -> Path:
    """A CSV file as a spreadsheet program writes it; UTF-8 when ``encoding`` cannot hold the text."""
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=columns, delimiter=delimiter)
    w.writeheader()
    w.writerows(rows)
    try:
        data = out.getvalue().encode(encoding)
    except UnicodeEncodeError:
        data = out.getvalue().encode("utf-8")
    path.write_bytes(data)
    return path


def phone(rng: random.Random) -> str:
    return "0812" + "".join(rng.choice("0123456789") for _ in range(8))


def call_records(path: Path, rows: int, seed: int, numbers: int = 2000) -> Path:
    """A call detail record file: ``rows`` calls among ``numbers`` phones."""
    rng = random.Random(seed)
    pool = [phone(rng) for _ in range(numbers)]
    out = []
    for i in range(rows):
        a, b = rng.sample(pool, 2)
        out.append({"caller": a, "callee": b, "start": f"2018-0{1 + i % 9}-1{i % 10} 10:{i % 60:02d}:00",
                    "duration_s": str(rng.randint(1, 900)), "kind": rng.choice(["voice", "sms"])})  # fmt: skip
    return write_csv(path, ["caller", "callee", "start", "duration_s", "kind"], out)


def snapshot(db: Any) -> tuple[list, list]:
    """The whole graph as sorted plain data (Source nodes' load times left out)."""
    nodes = db.read("MATCH (n) WHERE NOT n:Source RETURN labels(n) AS labels, n.uid AS uid, properties(n) AS props")
    rels = db.read(
        "MATCH (a)-[r]->(b) RETURN type(r) AS type, a.uid AS a, b.uid AS b, r.key AS key, r.weight AS weight, "
        "r.src AS src"
    )
    n = sorted(
        (sorted(x["labels"]), x["uid"], sorted((k, repr(v)) for k, v in x["props"].items() if k != "src"),
         sorted(x["props"].get("src") or []))
        for x in nodes
    )  # fmt: skip
    r = sorted((x["type"], x["a"], x["b"], x["key"], x["weight"], sorted(x["src"] or [])) for x in rels)
    return n, r


def provenance_rows(db: Any, source: str) -> set[int]:
    """Row numbers of ``source`` that some node or relationship cites."""
    prefix = source + ":"
    rows = db.read(
        "CALL () { MATCH (n) WHERE n.src IS NOT NULL RETURN n.src AS src "
        "UNION ALL MATCH ()-[r]->() WHERE r.src IS NOT NULL RETURN r.src AS src } "
        "UNWIND src AS ref WITH ref WHERE ref STARTS WITH $prefix RETURN collect(DISTINCT ref) AS refs",
        prefix=prefix,
    )
    return {int(ref[len(prefix):]) for ref in rows[0]["refs"]}


def reject_rows(path: str | None) -> set[int]:
    if not path:
        return set()
    with open(path, newline="", encoding="utf-8") as fh:
        return {int(r["row"]) for r in csv.DictReader(fh)}


def duplicates(db: Any) -> dict[str, int]:
    nodes = db.read("MATCH (n) WITH n.uid AS uid, count(*) AS c WHERE c > 1 RETURN count(*) AS n")[0]["n"]
    rels = db.read(
        "MATCH (a)-[r]->(b) WITH type(r) AS t, a, b, r.key AS k, count(*) AS c WHERE c > 1 RETURN count(*) AS n"
    )[0]["n"]
    return {"nodes": nodes, "relationships": rels}
