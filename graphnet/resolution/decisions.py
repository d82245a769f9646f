"""Merge decisions between person records: stored, attributed, scored, reversible.

A decision is a ``SAME_AS`` relationship from the record with the smaller uid
to the other one, with ``status`` (``applied`` | ``proposed`` | ``rejected``),
``reason`` (``nik=...``, ``name+birth_date score=0.95``, ...), ``score``,
``decided_at`` (ISO UTC), ``decided_by`` and ``history`` (earlier states, one
line each). Nothing here deletes a decision: :func:`undo` turns it into a
``rejected`` one, which :func:`graphnet.resolution.resolve` never re-applies.

:func:`applied_clusters` is what projections use to collapse the records of one
person into one node: the connected components of the applied decisions, each
named by its smallest record uid.

>>> canonical_map([("police:P2", "court:C9"), ("court:C9", "shelter:S1"), ("x:1", "x:2")])
{'court:C9': 'court:C9', 'police:P2': 'court:C9', 'shelter:S1': 'court:C9', 'x:1': 'x:1', 'x:2': 'x:1'}
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable

import networkx as nx

from ..db import Database
from ..errors import GraphnetError, NotFound
from ..resources import cypher

__all__ = [
    "STATUSES",
    "Decision",
    "UndoResult",
    "applied_clusters",
    "canonical_map",
    "decisions",
    "undo",
    "accept",
    "now",
    "ordered",
]

STATUSES = ("applied", "proposed", "rejected")


def now() -> str:
    """The current time as an ISO 8601 UTC string (second precision)."""
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def ordered(a: str, b: str) -> tuple[str, str]:
    """A pair of record uids in storage order (smaller uid first).

    >>> ordered("police:P9", "court:C1")
    ('court:C1', 'police:P9')
    """
    return (a, b) if a <= b else (b, a)


@dataclasses.dataclass(frozen=True)
class Decision:
    """One stored merge decision between the records ``a`` < ``b``."""

    a: str
    b: str
    status: str
    reason: str
    score: float
    decided_at: str = ""
    decided_by: str = ""
    a_name: str | None = None
    b_name: str | None = None
    history: tuple[str, ...] = ()

    @property
    def rule(self) -> str:
        """The kind of evidence: ``nik``, ``passport``, ``phone``, ``account``, ``name+birth_date``...

        >>> Decision("a", "b", "applied", "nik=3171014101990001", 1.0).rule
        'nik'
        >>> Decision("a", "b", "proposed", "name+birth_date score=0.88", 0.88).rule
        'name+birth_date'
        """
        head = self.reason.split(";")[0].strip()
        for sep in ("=", " "):
            head = head.split(sep)[0]
        return head or "manual"

    def as_dict(self) -> dict:
        d = dataclasses.asdict(self)
        d["history"] = list(self.history)
        return d


def canonical_map(edges: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Connected components of ``edges``: each member -> the smallest uid of its component."""
    G = nx.Graph()
    G.add_edges_from(edges)
    out: dict[str, str] = {}
    for comp in nx.connected_components(G):
        canonical = min(comp)
        for uid in comp:
            out[uid] = canonical
    return dict(sorted(out.items()))


def applied_clusters(db: Database) -> dict[str, str]:
    """Every record in an applied merge cluster -> the cluster's canonical uid.

    Clusters are the connected components of the ``applied`` ``SAME_AS``
    decisions; the canonical uid is the smallest record uid of the cluster.
    Records that were never merged are not in the mapping (they are their own
    canonical node); proposed and rejected decisions are ignored.
    """
    return canonical_map((a, b) for a, b in db.stream(cypher("resolution_applied"), status="applied"))


def decisions(db: Database, status: str | None = None) -> list[Decision]:
    """The stored merge decisions, all or only those with ``status``, ordered by uids."""
    if status is not None and status not in STATUSES:
        raise GraphnetError(f"unknown decision status {status!r}; use one of {', '.join(STATUSES)}")
    rows = db.read(cypher("resolution_decisions"), status=status)
    return [
        Decision(
            a=r["a"],
            b=r["b"],
            status=r["status"],
            reason=r["reason"] or "",
            score=float(r["score"] or 0.0),
            decided_at=r["decided_at"] or "",
            decided_by=r["decided_by"] or "",
            a_name=r["a_name"],
            b_name=r["b_name"],
            history=tuple(r["history"]),
        )
        for r in rows
    ]


def _pair(db: Database, a: str, b: str) -> dict:
    if a == b:
        raise GraphnetError(f"a decision needs two different records; got {a!r} twice")
    row = db.read(cypher("resolution_pair"), a=a, b=b)[0]
    missing = [uid for uid, ok in ((a, row["a_exists"]), (b, row["b_exists"])) if not ok]
    if missing:
        raise NotFound(f"no person record with uid {', '.join(repr(m) for m in missing)}")
    return row


@dataclasses.dataclass(frozen=True)
class UndoResult:
    """What :func:`undo` did: the rejected decision and any path that still joins the two records."""

    decision: Decision
    previous_status: str | None
    still_joined_via: tuple[str, ...] = ()


def undo(db: Database, a_uid: str, b_uid: str, *, by: str = "graphnet", reason: str | None = None) -> UndoResult:
    """Reject the decision between two records (kept for the record, never re-applied).

    When no decision exists yet, a ``rejected`` one is written, so a later
    :func:`~graphnet.resolution.resolve` will not merge the two. If the records
    remain in one applied cluster through other decisions, ``still_joined_via``
    lists the path of records that joins them: undo one of those links too.
    """
    a, b = ordered(a_uid, b_uid)
    row = _pair(db, a, b)
    at = now()
    if row["status"] is None:
        db.write(
            cypher("resolution_reject_new"),
            a=a,
            b=b,
            reason=reason or "rejected by reviewer",
            decided_at=at,
            decided_by=by,
        )
    elif row["status"] != "rejected":
        db.write(cypher("resolution_set_status"), a=a, b=b, status="rejected", decided_at=at, decided_by=by)
    decision = next(d for d in decisions(db, "rejected") if {d.a, d.b} == {a, b})
    G = nx.Graph()
    G.add_edges_from((r["a"], r["b"]) for r in db.read(cypher("resolution_applied"), status="applied"))
    path: tuple[str, ...] = ()
    if a in G and b in G and nx.has_path(G, a, b):
        path = tuple(nx.shortest_path(G, a, b))
    return UndoResult(decision, row["status"], path)


def accept(db: Database, a_uid: str, b_uid: str, *, by: str = "graphnet") -> Decision:
    """Apply a ``proposed`` decision (a reviewer agrees the two records are one person).

    Refuses a ``rejected`` decision (undo is final unless reviewed anew: the
    record stays), a pair without any decision, and a merge that would put two
    records whose decision was rejected into one cluster.
    """
    a, b = ordered(a_uid, b_uid)
    row = _pair(db, a, b)
    status = row["status"]
    if status is None:
        raise NotFound(f"no merge decision between {a} and {b}; run `graphnet resolve` to propose one")
    if status == "rejected":
        raise GraphnetError(
            f"the decision between {a} and {b} was rejected by {row['decided_by']} at {row['decided_at']}; "
            "a rejected merge is not re-applied"
        )
    if status == "proposed":
        clusters = applied_clusters(db)
        ca, cb = clusters.get(a, a), clusters.get(b, b)
        members_a = {u for u, c in clusters.items() if c == ca} | {a}
        members_b = {u for u, c in clusters.items() if c == cb} | {b}
        for d in decisions(db, "rejected"):
            if (d.a in members_a and d.b in members_b) or (d.a in members_b and d.b in members_a):
                raise GraphnetError(
                    f"accepting {a} = {b} would make {d.a} and {d.b} one person, "
                    f"but that merge was rejected by {d.decided_by} at {d.decided_at}"
                )
        db.write(cypher("resolution_set_status"), a=a, b=b, status="applied", decided_at=now(), decided_by=by)
    return next(d for d in decisions(db, "applied") if {d.a, d.b} == {a, b})
