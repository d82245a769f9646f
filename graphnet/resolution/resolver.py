"""``resolve``: decide which person records are one person, and store every decision.

The order of evidence, strongest first:

1. decisions already stored: ``applied`` ones hold, ``rejected`` ones are
   never re-applied and also forbid any merge that would put their two records
   into one cluster (a reviewer said they are different people);
2. the same NIK, passport number or bank account -> ``applied``, score 1.0;
3. the same phone (E.164) -> ``applied`` only when the phone is used by at
   most ``max_phone_people`` people (records grouped by name) *and* the two
   names agree: recruiters, drivers, lodging front desks and families share
   phones, so a phone shared by many is a lead for investigators (it is
   listed in the report), not an identity;
4. name + birth date (blocking on name words and birth dates, then
   :func:`~graphnet.resolution.matching.pair_score`) -> ``applied`` at or above
   ``threshold``, ``proposed`` for review at or above ``review_threshold``.

Weak evidence (3, 4) never joins two records with different NIKs; it is
proposed for review instead. A passport or account held under two NIKs still
merges (one holder), and the reason says to check for a false identity. Records are compared cluster to cluster, so one
proposal is made per pair of clusters, and nothing is proposed between
records already merged.

Birth dates are never overwritten: when the records of one (merged) person, or
the documents they hold, give different birth dates, every record of that
person is flagged ``birth_date_conflict`` and the report lists each date with
the record or document and source rows that give it (age falsification is
how children are trafficked).

Running ``resolve`` twice changes nothing the second time.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter, defaultdict

from ..db import Database, ensure_schema, held_interrupts
from ..errors import GraphnetError, Interrupted, first_line
from ..resources import cypher
from .decisions import Decision, decisions, now, ordered
from .matching import (
    PHONE_NAME_MIN,
    STRONG_RULES,
    Record,
    blocking_pairs,
    context_sizes,
    identifier_groups,
    max_pair_score,
    nik_birth,
    pair_score,
    phone_people,
    record_from_row,
)
from .names import key_score

__all__ = ["resolve", "ResolutionReport", "BirthDateConflict", "CONFLICT_FLAG", "birth_date_conflicts"]

CONFLICT_FLAG = "birth_date_conflict"
_MAX_ROUNDS = 10


@dataclasses.dataclass(frozen=True)
class BirthDateConflict:
    """Different birth dates for one person: each date with who says it.

    ``dates`` maps an ISO date to a list of ``(what, uid, src)``: ``what`` is
    ``record`` (its birth date), ``document`` (the date printed on a document
    the person holds) or ``nik`` (the date a record's NIK encodes, DDMMYY; the
    century is guessed when no other source agrees), ``uid`` the record or
    document uid, ``src`` its provenance refs.
    """

    canonical: str
    records: tuple[str, ...]
    names: tuple[str, ...]
    dates: dict[str, list[tuple[str, str, tuple[str, ...]]]]

    def as_dict(self) -> dict:
        return {
            "canonical": self.canonical,
            "records": list(self.records),
            "names": list(self.names),
            "dates": {d: [{"what": w, "uid": u, "src": list(s)} for w, u, s in v] for d, v in self.dates.items()},
        }


@dataclasses.dataclass
class ResolutionReport:
    """What one :func:`resolve` run decided (new decisions only) and found."""

    threshold: float
    review_threshold: float
    decided_by: str
    decided_at: str
    max_phone_people: int
    records: int = 0
    applied: list[Decision] = dataclasses.field(default_factory=list)
    proposed: list[Decision] = dataclasses.field(default_factory=list)
    upgraded: list[Decision] = dataclasses.field(default_factory=list)
    kept: int = 0
    skipped_rejected: list[tuple[str, str, str]] = dataclasses.field(default_factory=list)
    blocked: list[Decision] = dataclasses.field(default_factory=list)
    shared_phones: list[tuple[str, int, int]] = dataclasses.field(default_factory=list)
    conflicts: list[BirthDateConflict] = dataclasses.field(default_factory=list)
    flagged: list[str] = dataclasses.field(default_factory=list)
    unflagged: list[str] = dataclasses.field(default_factory=list)
    clusters: int = 0
    merged_records: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.applied or self.proposed or self.upgraded or self.flagged or self.unflagged)

    def applied_by_rule(self) -> dict[str, int]:
        """Newly applied decisions (including upgraded proposals) counted by rule (nik, phone, ...)."""
        return dict(sorted(Counter(d.rule for d in [*self.applied, *self.upgraded]).items()))

    def as_dict(self) -> dict:
        return {
            "threshold": self.threshold,
            "review_threshold": self.review_threshold,
            "decided_by": self.decided_by,
            "decided_at": self.decided_at,
            "max_phone_people": self.max_phone_people,
            "records": self.records,
            "clusters": self.clusters,
            "merged_records": self.merged_records,
            "applied_by_rule": self.applied_by_rule(),
            "applied": [d.as_dict() for d in self.applied],
            "upgraded": [d.as_dict() for d in self.upgraded],
            "proposed": [d.as_dict() for d in self.proposed],
            "blocked": [d.as_dict() for d in self.blocked],
            "kept": self.kept,
            "skipped_rejected": [list(x) for x in self.skipped_rejected],
            "shared_phones": [{"phone": p, "records": r, "people": n} for p, r, n in self.shared_phones],
            "birth_date_conflicts": [c.as_dict() for c in self.conflicts],
            "flagged": self.flagged,
            "unflagged": self.unflagged,
        }


class _Clusters:
    """Union-find over record uids with cannot-link constraints (rejected decisions)."""

    def __init__(self, uids: list[str]):
        self.parent = {u: u for u in uids}
        self.members: dict[str, set[str]] = {u: {u} for u in uids}
        self.forbid: dict[str, set[str]] = defaultdict(set)
        self.niks: dict[str, set[str]] = defaultdict(set)
        self.rejected: dict[str, set[str]] = defaultdict(set)

    def find(self, u: str) -> str:
        root = u
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[u] != root:
            self.parent[u], u = root, self.parent[u]
        return root

    def forbid_pair(self, a: str, b: str) -> None:
        self.rejected[a].add(b)
        self.rejected[b].add(a)
        self.forbid[self.find(a)].add(b)
        self.forbid[self.find(b)].add(a)

    def rejected_between(self, a: str, b: str) -> tuple[str, str] | None:
        """A rejected pair that merging a's and b's clusters would join, if any."""
        ra, rb = self.find(a), self.find(b)
        for x in sorted(self.forbid[ra] & self.members[rb]):
            y = next(m for m in sorted(self.members[ra]) if x in self.rejected[m])
            return ordered(x, y)
        return None

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        if len(self.members[ra]) < len(self.members[rb]):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.members[ra] |= self.members.pop(rb)
        self.forbid[ra] |= self.forbid.pop(rb, set())
        self.niks[ra] |= self.niks.pop(rb, set())


def _read_records(db: Database) -> list[Record]:
    """Every person record, streamed from the server and sorted by uid here."""
    records = [record_from_row(row.data()) for row in db.stream(cypher("resolution_records"))]
    records.sort(key=lambda r: r.uid)
    return records


def birth_date_conflicts(records: list[Record], cluster_of: dict[str, str]) -> list[BirthDateConflict]:
    """People (applied clusters, or single records) whose records and documents disagree on the birth date.

    >>> a = Record("police:P1", "Siti", birth_date="2008-05-01", src=("f:2",))
    >>> b = Record("travel:T1", "Siti", documents=({"uid": "doc:passport:B1", "birth_date": "1998-05-01", "src": ["g:3"]},))
    >>> [c.dates for c in birth_date_conflicts([a, b], {"police:P1": "police:P1", "travel:T1": "police:P1"})]
    [{'1998-05-01': [('document', 'doc:passport:B1', ('g:3',))], '2008-05-01': [('record', 'police:P1', ('f:2',))]}]
    """
    people: dict[str, list[Record]] = defaultdict(list)
    for r in records:
        people[cluster_of.get(r.uid, r.uid)].append(r)
    out = []
    for canonical in sorted(people):
        members = sorted(people[canonical], key=lambda r: r.uid)
        dates: dict[str, list[tuple[str, str, tuple[str, ...]]]] = defaultdict(list)
        seen_docs: set[str] = set()
        for r in members:
            if r.birth_date:
                dates[r.birth_date].append(("record", r.uid, tuple(r.src)))
            for d in r.documents:
                if d.get("birth_date") and d["uid"] not in seen_docs:
                    seen_docs.add(d["uid"])
                    dates[d["birth_date"]].append(("document", d["uid"], tuple(d.get("src") or ())))
        _add_nik_dates(members, dates)
        if len(dates) > 1:
            out.append(
                BirthDateConflict(
                    canonical=canonical,
                    records=tuple(r.uid for r in members),
                    names=tuple(sorted({r.name or "" for r in members})),
                    dates=dict(sorted(dates.items())),
                )
            )
    return out


def _add_nik_dates(members: list[Record], dates: dict[str, list[tuple[str, str, tuple[str, ...]]]]) -> None:
    """Add the birth dates the members' NIKs encode: supporting a stated date, or as a date of their own."""
    this_yy = dt.date.today().year % 100
    for r in members:
        encoded = nik_birth(r.nik)
        if encoded is None:
            continue
        yy, mm, dd = encoded
        source = ("nik", r.uid, tuple(r.src))
        agreeing = [d for d in dates if d[2:] == f"{yy}-{mm}-{dd}"]
        if agreeing:
            if source not in dates[agreeing[0]]:
                dates[agreeing[0]].append(source)
            continue
        century = "20" if int(yy) <= this_yy else "19"
        full = f"{century}{yy}-{mm}-{dd}"
        if source not in dates[full]:
            dates[full].append(source)


def resolve(
    db: Database,
    *,
    threshold: float = 0.92,
    review_threshold: float = 0.75,
    decided_by: str = "graphnet",
    max_phone_people: int = 2,
) -> ResolutionReport:
    """Merge person records that are one person; store, score and explain every decision.

    Parameters
    ----------
    db : Database
    threshold : float
        Name + birth date scores at or above this are applied.
    review_threshold : float
        Scores at or above this (and below ``threshold``) are proposed for review.
    decided_by : str
        Who decides (stored on every new decision).
    max_phone_people : int
        A phone used by more people than this (records grouped by name) is
        shared and never merges anyone.

    Returns
    -------
    ResolutionReport
        The new decisions of this run, shared phones skipped, birth-date conflicts.

    A failure while writing leaves the graph as it was (see :func:`_write`).
    """
    if not 0.0 < review_threshold <= threshold <= 1.0:
        raise GraphnetError(
            f"thresholds must satisfy 0 < review threshold <= threshold <= 1; "
            f"got review threshold {review_threshold}, threshold {threshold}"
        )
    if max_phone_people < 1:
        raise GraphnetError(f"max phone people must be at least 1, got {max_phone_people}")
    at = now()
    report = ResolutionReport(threshold, review_threshold, decided_by, at, max_phone_people)
    records = _read_records(db)
    by_uid = {r.uid: r for r in records}
    report.records = len(records)
    existing = {ordered(d.a, d.b): d for d in decisions(db)}

    cl = _Clusters(sorted(by_uid))
    for r in records:
        if r.nik:
            cl.niks[r.uid].add(r.nik)
    for (a, b), d in existing.items():
        if a not in by_uid or b not in by_uid:
            continue
        if d.status == "applied":
            cl.union(a, b)
        elif d.status == "rejected":
            cl.forbid_pair(a, b)
    proposed_between = {
        ordered(cl.find(a), cl.find(b))
        for (a, b), d in existing.items()
        if d.status == "proposed" and a in by_uid and b in by_uid
    }

    new: dict[tuple[str, str], Decision] = {}
    upgrades: dict[tuple[str, str], Decision] = {}
    seen_again: set[tuple[str, str]] = set()  # stored decisions found again (counted once)

    def nik_conflict(a: str, b: str) -> bool:
        na, nb = cl.niks[cl.find(a)], cl.niks[cl.find(b)]
        return bool(na and nb and not (na & nb))

    def consider(a: str, b: str, reason: str, score: float, certain: bool, weak: bool) -> None:
        a, b = ordered(a, b)
        old = existing.get((a, b))
        if old is not None and old.status in ("applied", "rejected"):
            if (a, b) not in seen_again:
                seen_again.add((a, b))
                if old.status == "rejected":
                    report.skipped_rejected.append((a, b, reason))
                else:
                    report.kept += 1
            return
        if (a, b) in upgrades or ((a, b) in new and (new[(a, b)].status == "applied" or not certain)):
            return
        earlier = new.pop((a, b), None)  # proposed earlier in this run: may become certain now
        same = cl.find(a) == cl.find(b)
        if same and old is None:
            return  # already one person through other decisions
        blocked_by = cl.rejected_between(a, b) if not same else None
        notes = []
        if blocked_by:
            notes.append(f"blocked: would make {blocked_by[0]} and {blocked_by[1]} one person (rejected)")
        blocking = bool(notes)
        if not same and nik_conflict(a, b):
            if weak:  # a name or a phone never overrules two NIKs
                notes.append("records carry different NIKs")
                blocking = True
            else:  # one passport or account under two NIKs: the same holder, maybe a false identity
                notes.append("records carry different NIKs: check for a false identity")
        full_reason = "; ".join([reason, *notes])
        if certain and not blocking:
            d = Decision(a, b, "applied", full_reason, score, at, decided_by)
            if old is not None:  # a proposal that new evidence makes certain
                upgrades[(a, b)] = d
            else:
                new[(a, b)] = d
            cl.union(a, b)
            return
        if earlier is not None:  # still not certain: keep the proposal as it was
            new[(a, b)] = earlier
            return
        if old is not None:  # already proposed: nothing new to say
            if (a, b) not in seen_again:
                seen_again.add((a, b))
                report.kept += 1
            return
        roots = ordered(cl.find(a), cl.find(b))
        if roots in proposed_between:
            return
        proposed_between.add(roots)
        d = Decision(a, b, "proposed", full_reason, score, at, decided_by)
        new[(a, b)] = d
        if blocked_by:
            report.blocked.append(d)

    # 2. strong identifiers: star from the smallest uid of each group
    for kind in STRONG_RULES:
        for value, uids in identifier_groups(records, kind).items():
            for other in uids[1:]:
                consider(uids[0], other, f"{kind}={value}", 1.0, certain=True, weak=False)

    # 3 and 4 until nothing more applies: a merge can make a phone's users fewer people, or
    # tie two records, so one run reaches what a second run would (resolve is idempotent)
    sizes = context_sizes(records)
    for _ in range(_MAX_ROUNDS):
        applied_before = sum(d.status == "applied" for d in new.values()) + len(upgrades)
        report.shared_phones = []
        # 3. phones, only when not shared by many people, and only between agreeing names
        for value, uids in identifier_groups(records, "phone").items():
            on_phone = [by_uid[u] for u in uids]
            people = phone_people(on_phone, {u: cl.find(u) for u in uids}, lambda x, y: nik_conflict(x.uid, y.uid))
            if len(people) > max_phone_people:
                report.shared_phones.append((value, len(uids), len(people)))
                continue
            for group in people:
                # anchor on a record whose person has a NIK, so a same-named stranger cannot slip in first
                group = sorted(group, key=lambda r: (not cl.niks[cl.find(r.uid)], r.uid))
                anchor = group[0]
                for other in group[1:]:
                    ns = key_score(anchor.key, other.key)
                    joined = cl.find(anchor.uid) == cl.find(other.uid)
                    if ns >= PHONE_NAME_MIN or joined:
                        consider(
                            anchor.uid, other.uid, f"phone={value} (used by {len(people)} people; name {ns:.2f})",
                            1.0, certain=True, weak=True,
                        )

        # 4. names and birth dates, best scores first
        scored = []
        for a, b in blocking_pairs(records):
            if cl.find(a.uid) == cl.find(b.uid) and ordered(a.uid, b.uid) not in existing:
                continue
            if max_pair_score(a, b, sizes) < review_threshold:
                continue
            score, reason = pair_score(a, b, sizes)
            if score >= review_threshold:
                scored.append((-score, a.uid, b.uid, reason))
        for neg, a, b, reason in sorted(scored):
            consider(a, b, reason, -neg, certain=-neg >= threshold, weak=True)

        if sum(d.status == "applied" for d in new.values()) + len(upgrades) == applied_before:
            break

    report.applied = sorted((d for d in new.values() if d.status == "applied"), key=lambda d: (d.a, d.b))
    report.proposed = sorted((d for d in new.values() if d.status == "proposed"), key=lambda d: (d.a, d.b))
    report.upgraded = sorted(upgrades.values(), key=lambda d: (d.a, d.b))

    # birth-date conflicts over the clusters as they now stand
    cluster_of = {u: min(cl.members[cl.find(u)]) for u in by_uid}
    report.conflicts = birth_date_conflicts(records, cluster_of)
    in_conflict = {u for c in report.conflicts for u in c.records}
    report.flagged = sorted(u for u in in_conflict if CONFLICT_FLAG not in by_uid[u].flags)
    report.unflagged = sorted(u for u, r in by_uid.items() if CONFLICT_FLAG in r.flags and u not in in_conflict)
    cluster_sizes = Counter(cluster_of.values())
    report.clusters = sum(1 for n in cluster_sizes.values() if n > 1)
    report.merged_records = sum(n for n in cluster_sizes.values() if n > 1)

    if report.changed:
        _write(db, report, at, decided_by)
    return report


#: new decisions per write transaction: a national database's run writes hundreds of thousands, and one
#: transaction holding them all ran the managed Neo4j (1 GB heap) out of memory
WRITE_BATCH = 10_000


def _write(db: Database, report: ResolutionReport, at: str, by: str) -> None:
    """Write the run: new decisions in transactions of :data:`WRITE_BATCH`, then upgrades and flags in one.

    When a transaction fails, the decisions this run created are deleted
    again (each carries this run's ``decided_at`` and ``decided_by``) and the
    error is raised: the graph is as it was. Should that fail too (the server
    is gone), the error says how many were written; running ``resolve`` again
    goes on from there, as stored decisions are never made twice. Stopped
    (Ctrl-C, SIGTERM) once the last transaction has committed, the run
    stands whole.
    """
    ensure_schema(db)  # the decisions MERGE on Person uids
    rows_new = [
        {"a": d.a, "b": d.b, "status": d.status, "reason": d.reason, "score": float(d.score)}
        for d in [*report.applied, *report.proposed]
    ]
    rows_up = [{"a": d.a, "b": d.b, "reason": d.reason, "score": float(d.score)} for d in report.upgraded]
    batches = [rows_new[i:i + WRITE_BATCH] for i in range(0, len(rows_new), WRITE_BATCH)]

    def create(tx, rows: list[dict]) -> None:
        tx.run(cypher("resolution_create"), rows=rows, decided_at=at, decided_by=by).consume()

    def last(tx) -> None:
        if rows_up:
            tx.run(cypher("resolution_upgrade"), rows=rows_up, decided_at=at, decided_by=by).consume()
        if report.flagged:
            tx.run(cypher("resolution_flag_add"), uids=report.flagged, flag=CONFLICT_FLAG).consume()
        if report.unflagged:
            tx.run(cypher("resolution_flag_remove"), uids=report.unflagged, flag=CONFLICT_FLAG).consume()

    written = 0  # batches committed
    complete = False  # the last transaction committed: the run is written in full
    try:
        # Ctrl-C or SIGTERM is acted on between two transactions, never inside the driver
        with held_interrupts() as interrupt, db.session() as session:
            for rows in batches:
                session.execute_write(create, rows)
                written += 1
                interrupt.check()
            session.execute_write(last)
            complete = True
    except (Exception, KeyboardInterrupt) as e:  # KeyboardInterrupt: Ctrl-C, or SIGTERM to the graphnet command
        if complete:  # stopped once all was written: taking back the new decisions would leave the upgrades
            if isinstance(e, KeyboardInterrupt):
                raise Interrupted("the resolution had been written in full when it was stopped; its decisions "
                                  "stay (`graphnet resolve` again changes nothing)") from None
            raise
        stopped = f"resolution stopped after writing {sum(map(len, batches[:written])):,} of {len(rows_new):,} new decisions"
        try:
            with held_interrupts() as interrupt, db.session() as session:
                for rows in batches[:written + 1]:  # the failed batch too: it may have committed before the error
                    session.execute_write(lambda tx, rows=rows: tx.run(
                        cypher("resolution_delete_run"), rows=rows, decided_at=at, decided_by=by).consume())
                    interrupt.check()
        except KeyboardInterrupt:
            raise Interrupted(f"{stopped}, and was interrupted while taking them back; "
                              "run `graphnet resolve` again: it goes on from there") from None
        except Exception:
            reason = "interrupted" if isinstance(e, KeyboardInterrupt) else first_line(e)
            raise GraphnetError(
                f"{stopped} and could not take them back ({reason}); "
                "run `graphnet resolve` again when Neo4j answers: it goes on from there"
            ) from e
        if isinstance(e, KeyboardInterrupt):
            raise Interrupted("resolution interrupted; the decisions it had written were taken back, "
                              "the graph is as it was") from None
        raise
