"""Selecting the subgraph behind a charge, straight from Neo4j.

Four ways to select (each a function returning a :class:`Subgraph`): around a
person (:func:`select_around`), the paths between two people
(:func:`select_between`), a syndicate from the analytics report
(:func:`select_syndicate`) and a named Cypher query (:func:`select_query`).
Every query is a parameterised file ``cypher/evidence_*.cypher``; only
evidence relationship types (``schema.evidence_types``) are ever followed or
exported, so ``SAME_AS`` decisions and ``HYPOTHESIS`` ties never enter a
bundle. A time window keeps relationships dated inside ``[since, until]``
(inclusive ISO dates) and relationships that carry no date.

Applied ``SAME_AS`` decisions are followed without counting a hop: the records
of one person in several agencies' files are one starting point. The decision
itself is not exported as a relationship; ``Subgraph.same_person`` lists the
groups of records in the bundle that it resolves as one person (the report
shows them, the node-link JSON carries them as a graph attribute).
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import neo4j
import networkx as nx

from ..db import Database
from ..db.walk import Walk, merged
from ..errors import GraphnetError, NotFound
from ..resources import cypher
from ..schema import load_schema, quote

__all__ = [
    "Subgraph",
    "select_around",
    "select_between",
    "select_syndicate",
    "select_query",
    "parse_ref",
    "plain",
    "MAX_NODES",
]

MAX_NODES = 5000
SHORTEST_MAX = 15
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclasses.dataclass
class Subgraph:
    """A selected subgraph with everything a bundle needs.

    ``nodes``: uid -> properties (``label`` included); ``edges``: dicts with
    ``type``, ``source``, ``target``, ``key`` and the stored properties;
    ``sources``: Source uid -> its properties; ``paths``: dicts with ``kind``
    (shortest/simple), ``nodes`` (uids) and ``types``; ``seeds``: the uids the
    selection started from; ``selection``: mode and parameters.
    """

    nodes: dict[str, dict[str, Any]]
    edges: list[dict[str, Any]]
    sources: dict[str, dict[str, Any]]
    seeds: list[str]
    paths: list[dict[str, Any]]
    selection: dict[str, Any]
    notes: list[str] = dataclasses.field(default_factory=list)
    same_person: list[list[str]] = dataclasses.field(default_factory=list)
    person_roles: dict[str, list[str]] = dataclasses.field(default_factory=dict)
    suspected_same: list[list[str]] = dataclasses.field(default_factory=list)  # proposed SAME_AS pairs: redaction only

    def edge_id(self, e: Mapping[str, Any]) -> tuple[str, str, str, str]:
        return (e["type"], e["source"], e["target"], e.get("key") or "")


def parse_ref(ref: str) -> tuple[str, int | None]:
    """Split a provenance ref ``"<source uid>:<row>"`` into source uid and row.

    >>> parse_ref("0123456789abcdef:police_cases:7")
    ('0123456789abcdef:police_cases', 7)
    >>> parse_ref("odd")
    ('odd', None)
    """
    head, sep, tail = ref.rpartition(":")
    if sep and tail.isdigit():
        return head, int(tail)
    return ref, None


def plain(value: Any) -> Any:
    """A stored property value as JSON-able data (temporal values as ISO strings).

    >>> plain([neo4j.time.Date(2024, 1, 2)])
    ['2024-01-02']
    """
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if hasattr(value, "iso_format"):
        return value.iso_format()
    if isinstance(value, (_dt.date, _dt.datetime, _dt.time)):
        return value.isoformat()
    return value


def _check_date(name: str, value: str | None) -> str | None:
    if value is None or value == "":
        return None
    if not _DATE.match(value):
        raise GraphnetError(f"--{name} must be a date YYYY-MM-DD, got {value!r}")
    try:
        _dt.date.fromisoformat(value)
    except ValueError:
        raise GraphnetError(f"--{name} is not a real date: {value!r}") from None
    return value


class _Selector:
    """Accumulates element ids of nodes and relationships, then fetches them."""

    def __init__(self, db: Database, since: str | None, until: str | None, max_nodes: int):
        self.db = db
        self.since = _check_date("since", since)
        self.until = _check_date("until", until)
        if self.since and self.until and self.since > self.until:
            raise GraphnetError(f"--since {self.since} is after --until {self.until}")
        self.max_nodes = max_nodes
        self.schema = load_schema()
        self.types = self.schema.evidence_types
        self.nodes: set[str] = set()
        self.rels: set[str] = set()
        self.notes: list[str] = []

    @property
    def window(self) -> dict[str, Any]:
        return {"since": self.since, "until": self.until}

    def _guard(self) -> None:
        if len(self.nodes) > self.max_nodes:
            raise GraphnetError(
                f"the selection grew past {self.max_nodes} nodes; narrow it (fewer --hops, a --since/--until "
                "window) or raise --max-nodes"
            )

    def find(self, ref: str, *, persons_only: bool = False) -> list[str]:
        """Element ids of the entity with uid ``ref`` (or Person with that exact name)."""
        labels = ["Person"] + ([] if persons_only else [x for x in self.schema.entity_labels if x != "Person"])
        for by_name in (False, True):
            for label in labels:
                if by_name and label != "Person":
                    continue
                q = cypher("evidence_find").replace("{label}", quote(self.schema.check_label(label)))
                rows = self.db.read(q, uids=[ref], by_name=by_name)
                if len(rows) > 1 and by_name:
                    shown = ", ".join(f"{r['uid']} ({r['name']})" for r in rows[:10])
                    raise GraphnetError(f"{len(rows)} people are named {ref!r}: {shown}; give a uid instead")
                if rows:
                    return [r["id"] for r in rows]
        raise NotFound(f"no person or entity with uid or name {ref!r} in the graph")

    def expand(self, seeds: set[str], hops: int) -> None:
        walk = Walk(self.db, seeds, self.types, since=self.since, until=self.until)
        self.nodes |= walk.nodes
        while walk.radius < hops and not walk.complete:
            walk.grow()
            self.nodes |= walk.nodes
            self.rels |= walk.rels
            self._guard()
        # relationships among the selected nodes that the walk did not traverse (e.g. between two leaves)
        self.induced()

    def induced(self, connectors: bool = False) -> None:
        rows = self.db.read(cypher("evidence_induced"), ids=sorted(self.nodes), types=self.types, **self.window)
        for r in rows:
            if r["node"] in self.nodes:
                self.rels |= set(r["rels"])
            elif connectors:
                self.nodes.add(r["node"])
                self.rels |= set(r["rels"])
        if connectors:
            self._guard()
            rows = self.db.read(cypher("evidence_induced"), ids=sorted(self.nodes), types=self.types, **self.window)
            self.rels |= {rel for r in rows if r["node"] in self.nodes for rel in r["rels"]}

    def paths(self, name: str, a: set[str], b: set[str], max_length: int, limit: int) -> list[dict[str, Any]]:
        q = cypher(name).replace("{max_length}", str(int(max_length)))
        rows = self.db.read(q, **{"from": sorted(a)}, to=sorted(b), types=self.types, limit=limit + 1, **self.window)
        if len(rows) > limit:
            self.notes.append(f"more than {limit} {name.split('_')[1]} paths: only the first {limit} are included")
            rows = rows[:limit]
        for r in rows:
            self.nodes |= set(r["nodes"])
            self.rels |= set(r["rels"])
        self._guard()
        return rows

    def fetch(self) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]], dict[str, str]]:
        """Nodes by uid, edges, and the element-id -> uid map."""
        nodes: dict[str, dict[str, Any]] = {}
        by_eid: dict[str, str] = {}
        labels_of: dict[str, str] = {}
        for row in self.db.read(cypher("evidence_nodes"), ids=sorted(self.nodes)):
            labels = sorted(set(row["labels"]) & set(self.schema.entity_labels))
            if not labels:
                continue
            props = {k: plain(v) for k, v in row["props"].items()}
            uid = props.get("uid")
            if not uid:
                raise GraphnetError(f"a {labels[0]} node in the selection has no uid; the graph breaks the contract")
            if uid in nodes and labels_of[uid] != labels[0]:
                raise GraphnetError(f"uid {uid!r} is used by a {labels_of[uid]} and a {labels[0]}: cannot export both")
            labels_of[uid] = labels[0]
            nodes[uid] = {"label": labels[0], **props}
            by_eid[row["id"]] = uid
        edges = []
        evidence = set(self.types)
        for row in self.db.read(cypher("evidence_relationships"), ids=sorted(self.rels)):
            if row["type"] not in evidence or row["start"] not in by_eid or row["end"] not in by_eid:
                continue
            props = {k: plain(v) for k, v in row["props"].items()}
            props.setdefault("key", "")
            edges.append({"type": row["type"], "source": by_eid[row["start"]], "target": by_eid[row["end"]], **props})
        edges.sort(key=lambda e: (e["source"], e["target"], e["type"], e["key"]))
        return nodes, edges, by_eid

    def person_roles(self, nodes: dict[str, dict[str, Any]], by_eid: dict[str, str]) -> dict[str, list[str]]:
        """Roles of each selected person across all their resolved records and cases (for redaction)."""
        ids = sorted(eid for eid, uid in by_eid.items() if nodes[uid]["label"] == "Person")
        out: dict[str, list[str]] = {}
        for r in self.db.read(cypher("evidence_person_roles"), ids=ids) if ids else []:
            roles: set[str] = set()
            for value in [*r["roles"], *r["case_roles"]]:
                roles |= {str(x).lower() for x in (value if isinstance(value, list) else [value]) if x}
            if roles:
                out[by_eid[r["id"]]] = sorted(roles)
        return dict(sorted(out.items()))

    def same_person(self, nodes: dict[str, dict[str, Any]], by_eid: dict[str, str]) -> list[list[str]]:
        """Groups of records in the selection that applied SAME_AS decisions resolve as one person."""
        ids = [eid for eid, uid in by_eid.items() if nodes[uid]["label"] == "Person"]
        G = nx.Graph()
        if ids:
            for r in self.db.read(cypher("evidence_same_as"), ids=sorted(ids)):
                a, b = by_eid.get(r["node"]), by_eid.get(r["other"])
                if a and b and a != b:
                    G.add_edge(a, b)
        return sorted(sorted(c) for c in nx.connected_components(G))

    def build(self, seeds: set[str], selection: dict[str, Any], raw_paths: list[tuple[str, dict]] = ()) -> Subgraph:
        nodes, edges, by_eid = self.fetch()
        same_person = self.same_person(nodes, by_eid)
        person_roles = self.person_roles(nodes, by_eid)
        rel_types = {}
        if raw_paths:
            for row in self.db.read(cypher("evidence_relationships"), ids=sorted({r for _, p in raw_paths for r in p["rels"]})):
                rel_types[row["id"]] = row["type"]
        paths = []
        seen = set()
        for kind, p in raw_paths:
            uids = [by_eid[n] for n in p["nodes"] if n in by_eid]
            types = [rel_types.get(r, "?") for r in p["rels"]]
            sig = (kind, tuple(uids), tuple(types))
            if len(uids) == len(p["nodes"]) and sig not in seen:
                seen.add(sig)
                paths.append({"kind": kind, "nodes": uids, "types": types})
        refs = {parse_ref(ref)[0] for item in [*nodes.values(), *edges] for ref in item.get("src") or []}
        sources = {
            r["uid"]: {k: plain(v) for k, v in r["props"].items()}
            for r in self.db.read(cypher("evidence_sources"), uids=sorted(refs))
        }
        missing = sorted(refs - set(sources))
        if missing:
            self.notes.append(f"provenance refs name {len(missing)} source(s) not in the graph: {', '.join(missing)}")
        selection = {**selection, "since": self.since, "until": self.until,
                     "relationship_types": self.types}
        return Subgraph(
            nodes=dict(sorted(nodes.items())),
            edges=edges,
            sources=dict(sorted(sources.items())),
            seeds=sorted({by_eid[s] for s in seeds if s in by_eid}),
            paths=paths,
            selection=selection,
            notes=self.notes,
            same_person=same_person,
            person_roles=person_roles,
        )


def select_around(
    db: Database,
    person: str,
    hops: int = 1,
    *,
    since: str | None = None,
    until: str | None = None,
    max_nodes: int = MAX_NODES,
) -> Subgraph:
    """Everything within ``hops`` evidence relationships of ``person`` (a uid or exact name).

    Applied SAME_AS decisions are followed at no cost, so every record of the
    person is a starting point; relationships among the reached nodes are all
    included.
    """
    if hops < 0 or hops > 6:
        raise GraphnetError(f"--hops must be between 0 and 6, got {hops}")
    sel = _Selector(db, since, until, max_nodes)
    seeds = merged(db, sel.find(person))
    sel.expand(seeds, hops)
    return sel.build(seeds, {"mode": "around", "person": person, "hops": hops})


def select_between(
    db: Database,
    a: str,
    b: str,
    *,
    max_length: int = 4,
    since: str | None = None,
    until: str | None = None,
    max_paths: int = 1000,
    max_nodes: int = MAX_NODES,
) -> Subgraph:
    """All shortest paths between two people, and all simple paths of at most ``max_length`` ties."""
    if max_length < 1 or max_length > 8:
        raise GraphnetError(f"--max-length must be between 1 and 8, got {max_length}")
    sel = _Selector(db, since, until, max_nodes)
    sa = merged(db, sel.find(a))
    sb = merged(db, sel.find(b))
    if sa & sb:
        raise GraphnetError(f"{a!r} and {b!r} are the same person (records resolved as one); choose two people")
    sel.nodes |= sa | sb
    raw: list[tuple[str, dict]] = []
    raw += [("shortest", p) for p in sel.paths("evidence_shortest", sa, sb, max(SHORTEST_MAX, max_length), max_paths)]
    raw += [("simple", p) for p in sel.paths("evidence_paths", sa, sb, max_length, max_paths)]
    if not raw:
        sel.notes.append(f"no path of evidence ties links {a!r} and {b!r} (within {SHORTEST_MAX} ties and the window)")
    return sel.build(sa | sb, {"mode": "between", "people": [a, b], "max_length": max_length}, raw)


def _syndicate(report: Any, syndicate_id: str, path: str) -> dict[str, Any]:
    items = report
    if isinstance(report, dict):  # `graphnet report syndicates --format json` puts them under "sections"
        items = report.get("sections") if isinstance(report.get("sections"), list) else report.get("syndicates")
    if not isinstance(items, list):
        raise GraphnetError(f"{path}: not a syndicates report (no list of syndicates)")
    for item in items:
        if isinstance(item, dict) and str(item.get("id")) == str(syndicate_id):
            return item
    ids = ", ".join(str(i.get("id")) for i in items if isinstance(i, dict))
    raise NotFound(f"{path}: no syndicate with id {syndicate_id!r}; the report has: {ids or 'none'}")


def _uids(values: Any) -> list[str]:
    out = []
    for v in values or []:
        if isinstance(v, dict):
            v = v.get("uid") or v.get("id")
        if v:
            out.append(str(v))
    return out


def select_syndicate(
    db: Database,
    syndicate_id: str,
    report_path: str | Path,
    *,
    since: str | None = None,
    until: str | None = None,
    max_nodes: int = MAX_NODES,
) -> Subgraph:
    """The people and cases of one syndicate of the analytics syndicates report.

    The report is the JSON of ``graphnet report syndicates --format json``
    (syndicates under ``sections``, each with ``id``, ``cases``, ``convicted``
    and ``candidates``); lists under ``syndicates`` with ``people`` /
    ``members`` / ``organisers`` are read too.

    Adds the phones, lodgings, vehicles, accounts, documents and places that tie
    two of them together, and every evidence relationship among them.
    """
    path = str(report_path)
    try:
        report = json.loads(Path(report_path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise GraphnetError(f"{path}: syndicates report not found") from None
    except (OSError, ValueError) as e:
        raise GraphnetError(f"{path}: cannot read the syndicates report: {e}") from None
    item = _syndicate(report, syndicate_id, path)
    wanted = sorted({uid for key in ("people", "members", "organisers", "convicted", "candidates", "cases")
                     for uid in _uids(item.get(key))})
    if not wanted:
        raise GraphnetError(f"{path}: syndicate {syndicate_id!r} lists no people or cases")
    sel = _Selector(db, since, until, max_nodes)
    seeds: set[str] = set()
    schema = sel.schema
    for label in schema.entity_labels:
        q = cypher("evidence_find").replace("{label}", quote(schema.check_label(label)))
        seeds |= {r["id"] for r in db.read(q, uids=wanted, by_name=False)}
    if not seeds:
        raise NotFound(f"{path}: none of the people or cases of syndicate {syndicate_id!r} is in the graph")
    seeds = merged(db, seeds)
    sel.nodes |= seeds
    sel.induced(connectors=True)
    return sel.build(seeds, {"mode": "syndicate", "syndicate": str(syndicate_id), "report": path})


def _collect(value: Any, nodes: set[str], rels: set[str]) -> None:
    if isinstance(value, neo4j.graph.Node):
        nodes.add(value.element_id)
    elif isinstance(value, neo4j.graph.Relationship):
        rels.add(value.element_id)
        nodes.update(n.element_id for n in value.nodes if n is not None)
    elif isinstance(value, neo4j.graph.Path):
        nodes.update(n.element_id for n in value.nodes)
        rels.update(r.element_id for r in value.relationships)
    elif isinstance(value, (list, tuple)):
        for v in value:
            _collect(v, nodes, rels)
    elif isinstance(value, dict):
        for v in value.values():
            _collect(v, nodes, rels)


def select_query(
    db: Database,
    name: str,
    params: Mapping[str, Any] | None = None,
    *,
    since: str | None = None,
    until: str | None = None,
    max_nodes: int = MAX_NODES,
) -> Subgraph:
    """The nodes, relationships and paths a named query ``cypher/NAME.cypher`` returns.

    The query runs in a READ transaction (the server refuses writes) with
    ``params`` as parameters. Relationships that are not evidence, Source nodes
    and relationships dated outside the window are dropped (and counted in the
    notes).
    """
    if not re.fullmatch(r"[A-Za-z0-9_]+", name):
        raise GraphnetError(f"--query takes the name of a file in cypher/, got {name!r}")
    text = cypher(name)
    sel = _Selector(db, since, until, max_nodes)
    nodes: set[str] = set()
    rels: set[str] = set()

    def work(tx: neo4j.ManagedTransaction) -> None:
        for record in tx.run(text, dict(params or {})):
            _collect(list(record.values()), nodes, rels)

    try:
        with db.session(default_access_mode=neo4j.READ_ACCESS) as s:
            s.execute_read(work)
    except neo4j.exceptions.ClientError as e:
        raise GraphnetError(f"query {name!r} failed: {e.message}") from e
    sel.nodes, sel.rels = nodes, rels
    sel._guard()
    kept = set()
    if rels:
        for row in db.read(cypher("evidence_relationships"), ids=sorted(rels)):
            date = row["props"].get("date")
            d = str(plain(date))[:10] if date is not None else None
            if row["type"] in sel.types and not (
                d and ((sel.since and d < sel.since) or (sel.until and d > sel.until))
            ):
                kept.add(row["id"])
    if len(kept) < len(rels):
        sel.notes.append(f"{len(rels) - len(kept)} relationship(s) returned by the query were not exported "
                         "(not evidence, or dated outside the window)")
    sel.rels = kept
    shown = {k: str(v) for k, v in sorted((params or {}).items())}
    return sel.build(set(), {"mode": "query", "query": name, "params": shown})
