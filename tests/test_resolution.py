"""Entity resolution on the real Neo4j: decisions, clusters, every merge rule, undo, conflicts."""

from __future__ import annotations

import json

import networkx as nx
import pytest
from click.testing import CliRunner

from graphnet.cli import main
from graphnet.errors import GraphnetError, NotFound
from graphnet.resolution import CONFLICT_FLAG, accept, applied_clusters, decisions, resolve, undo

SRC = "0123456789abcdef:test"


def person(db, uid: str, name: str, row: int = 2, **props) -> None:
    """A Person record as loaders write it (namespaced uid, name, src, roles)."""
    props.setdefault("roles", ["victim"])
    db.write(
        "CREATE (p:Person {uid: $uid, name: $name, src: $src}) SET p += $props",
        uid=uid,
        name=name,
        src=[f"{SRC}:{row}"],
        props=props,
    )


def same_as(db, a: str, b: str, status: str, reason: str = "manual", score: float = 1.0) -> None:
    db.write(
        "MATCH (a:Person {uid: $a}), (b:Person {uid: $b}) "
        "CREATE (a)-[:SAME_AS {key: '', src: [], status: $status, reason: $reason, score: $score, "
        "decided_at: '2026-01-01T00:00:00Z', decided_by: 'test'}]->(b)",
        a=a,
        b=b,
        status=status,
        reason=reason,
        score=score,
    )


def uses_phone(db, uid: str, number: str) -> None:
    db.write(
        "MATCH (p:Person {uid: $uid}) MERGE (ph:Phone {uid: $ph}) ON CREATE SET ph.number = $n, ph.src = [] "
        "MERGE (p)-[r:USES {key: ''}]->(ph) ON CREATE SET r.src = [], r.weight = 1.0",
        uid=uid,
        ph=f"phone:{number}",
        n=number,
    )


def holds(db, uid: str, label: str, target: str, **props) -> None:
    assert label in {"Account", "Document"}
    db.write(
        f"MATCH (p:Person {{uid: $uid}}) MERGE (x:`{label}` {{uid: $t}}) ON CREATE SET x.src = [$ref], x += $props "
        "MERGE (p)-[r:HOLDS {key: ''}]->(x) ON CREATE SET r.src = [], r.weight = 1.0",
        uid=uid,
        t=target,
        props=props,
        ref=f"{SRC}:9",
    )


def pairs(db, status: str | None = None) -> dict[tuple[str, str], str]:
    return {(d.a, d.b): d.reason for d in decisions(db, status)}


# --- applied_clusters ---------------------------------------------------------------------------------


def test_applied_clusters_are_connected_components_named_by_smallest_uid(db):
    for uid in ["police:P1", "court:C7", "shelter:S3", "lodging:L1", "lodging:L2", "border:B1", "border:B2"]:
        person(db, uid, uid)
    same_as(db, "court:C7", "police:P1", "applied")
    same_as(db, "police:P1", "shelter:S3", "applied")
    same_as(db, "lodging:L1", "lodging:L2", "applied")
    same_as(db, "border:B1", "border:B2", "proposed")  # not applied: no cluster
    same_as(db, "lodging:L2", "shelter:S3", "rejected")  # rejected: does not join

    got = applied_clusters(db)

    G = nx.Graph([("court:C7", "police:P1"), ("police:P1", "shelter:S3"), ("lodging:L1", "lodging:L2")])
    expected = {u: min(c) for c in nx.connected_components(G) for u in c}
    assert got == expected
    assert got["shelter:S3"] == "court:C7" and "border:B1" not in got


def test_applied_clusters_of_an_empty_graph_is_empty(db):
    assert applied_clusters(db) == {}


# --- each merge rule, with its explanation -----------------------------------------------------------------


def test_same_nik_is_applied_with_its_reason(db):
    person(db, "police:P1", "Siti Aminah", nik="6171014101990001")
    person(db, "court:C1", "Aminah", nik="6171014101990001")
    person(db, "shelter:S1", "Siti Aminah", nik="6171014101990002")  # another NIK: another person

    report = resolve(db)

    [d] = decisions(db, "applied")
    assert (d.a, d.b, d.status, d.score) == ("court:C1", "police:P1", "applied", 1.0)
    assert d.reason == "nik=6171014101990001"
    assert d.decided_by == "graphnet" and d.decided_at.endswith("Z")
    assert report.applied_by_rule() == {"nik": 1}
    assert applied_clusters(db) == {"court:C1": "court:C1", "police:P1": "court:C1"}
    # the same name under another NIK, with nothing else in common, is not even proposed
    assert decisions(db, "proposed") == []


def test_same_passport_from_property_or_held_document_is_applied(db):
    person(db, "border:X1", "Dewi Lestari", passport="b 1234567")
    person(db, "travel:T1", "Dewi L.")
    holds(db, "travel:T1", "Document", "doc:passport:B1234567", kind="passport", number="B1234567")

    resolve(db)

    assert pairs(db, "applied") == {("border:X1", "travel:T1"): "passport=B1234567"}


def test_same_bank_account_is_applied(db):
    person(db, "money:M1", "Budi Santoso")
    person(db, "money:M2", "B. Santoso")
    holds(db, "money:M1", "Account", "account:bri:0123456789")
    holds(db, "money:M2", "Account", "account:bri:0123456789")

    resolve(db)

    assert pairs(db, "applied") == {("money:M1", "money:M2"): "account=account:bri:0123456789"}


def test_same_phone_merges_agreeing_names_in_local_and_e164_forms(db):
    person(db, "police:P1", "Hj. Siti Aminah", phone="0812-3456-7890")
    person(db, "lodging:L1", "St. Aminah")
    uses_phone(db, "lodging:L1", "+6281234567890")
    person(db, "lodging:L2", "Rudi Hartono")  # a relative on the same family phone
    uses_phone(db, "lodging:L2", "+6281234567890")

    resolve(db)

    got = pairs(db)
    assert list(got) == [("lodging:L1", "police:P1")]
    assert got[("lodging:L1", "police:P1")].startswith("phone=+6281234567890 (used by 2 people")


def test_a_phone_shared_by_many_people_merges_nobody(db):
    # a recruiter's number given as contact by several victims, two spelling one victim alike
    for i, name in enumerate(["Siti Aminah", "Siti Aminah", "Rina Wati", "Dewi Sartika", "Yuliana"]):
        person(db, f"lodging:G{i}", name)
        uses_phone(db, f"lodging:G{i}", "+6281299990000")

    report = resolve(db)

    assert applied_clusters(db) == {} and not any(d.rule == "phone" for d in decisions(db))
    assert report.shared_phones == [("+6281299990000", 5, 4)]
    # the two alike names are still proposed on their own evidence (no birth date: never certain)
    assert [(d.a, d.b, d.status) for d in decisions(db)] == [("lodging:G0", "lodging:G1", "proposed")]


def test_name_and_birth_date_with_honorifics_and_abbreviations_is_applied(db):
    person(db, "police:P1", "Hj. St. Aminah", birth_date="2001-04-07")
    person(db, "shelter:S1", "Siti Aminah", birth_date="2001-04-07")
    person(db, "court:C1", "Moh. Djoko Santoso, S.H.", birth_date="1980-01-02")
    person(db, "border:X1", "Muhammad Joko Santoso", birth_date="1980-01-02")

    report = resolve(db)

    got = pairs(db, "applied")
    assert set(got) == {("police:P1", "shelter:S1"), ("border:X1", "court:C1")}
    assert all(r.startswith("name+birth_date score=1.00") for r in got.values())
    assert report.applied_by_rule() == {"name+birth_date": 2}


def test_below_threshold_is_proposed_not_applied(db):
    person(db, "police:P1", "Sumarni", birth_date="1999-03-03")  # single name
    person(db, "court:C1", "Sumarni binti Karto", birth_date="1999-03-03")
    person(db, "court:C2", "Sumarni binti Karto", birth_date="1975-11-30")  # another woman

    report = resolve(db)

    [d] = decisions(db)
    assert (d.a, d.b, d.status) == ("court:C1", "police:P1", "proposed")
    assert 0.75 <= d.score < 0.92 and "name 0.85" in d.reason
    assert applied_clusters(db) == {}
    assert [p.a for p in report.proposed] == ["court:C1"]


def test_different_niks_block_a_name_merge(db):
    person(db, "police:P1", "Siti Aminah", birth_date="2001-04-07", nik="6171014101990001")
    person(db, "shelter:S1", "Siti Aminah", birth_date="2001-04-07", nik="6171014101990002")

    resolve(db)

    [d] = decisions(db)
    assert d.status == "proposed" and "different NIKs" in d.reason


def test_one_passport_under_two_niks_merges_and_says_to_check_the_identity(db):
    person(db, "border:X1", "Dewi Lestari", passport="B1234567", nik="6171014101990001")
    person(db, "police:P1", "Dewi Lestari", passport="B1234567", nik="6171014101990002")

    resolve(db)

    [d] = decisions(db)
    assert d.status == "applied"
    assert d.reason == "passport=B1234567; records carry different NIKs: check for a false identity"


def test_a_phone_never_joins_two_people_with_different_niks(db):
    # two men of one name; the lodging register (no NIK) put both on one record with both phones
    person(db, "telco:N1", "Marselinus Mau", nik="5304022904553715", phone="+6281411263350")
    person(db, "telco:N2", "Marselinus Mau", nik="5302032109884834", phone="+6288788243768")
    person(db, "lodging:L1", "Marselinus Mau")
    uses_phone(db, "lodging:L1", "+6281411263350")
    uses_phone(db, "lodging:L1", "+6288788243768")
    person(db, "transport:T1", "Marselinoes Mau")
    uses_phone(db, "transport:T1", "+6288788243768")

    resolve(db)

    clusters = applied_clusters(db)
    assert clusters.get("telco:N1", "telco:N1") != clusters.get("telco:N2", "telco:N2")
    blocked = [d for d in decisions(db, "proposed") if "telco:N2" in (d.a, d.b)]
    assert blocked and all("different NIKs" in d.reason for d in blocked)


# --- undo, accept, idempotency ------------------------------------------------------------------------------


def _two_sitis(db) -> None:
    person(db, "police:P1", "Siti Aminah", birth_date="2001-04-07")
    person(db, "shelter:S1", "St. Aminah", birth_date="2001-04-07")


def test_undo_keeps_the_decision_and_removes_the_merge(db):
    _two_sitis(db)
    resolve(db)
    assert applied_clusters(db) == {"police:P1": "police:P1", "shelter:S1": "police:P1"}

    result = undo(db, "shelter:S1", "police:P1", by="analyst-7")

    assert result.previous_status == "applied" and result.still_joined_via == ()
    [d] = decisions(db)
    assert (d.status, d.decided_by) == ("rejected", "analyst-7")
    assert d.reason.startswith("name+birth_date score=1.00")  # why it was merged stays
    assert len(d.history) == 1 and "applied by graphnet" in d.history[0]
    assert applied_clusters(db) == {}


def test_rerunning_resolve_does_not_reapply_a_rejected_decision(db):
    _two_sitis(db)
    resolve(db)
    undo(db, "police:P1", "shelter:S1")

    report = resolve(db)

    assert [(a, b) for a, b, _ in report.skipped_rejected] == [("police:P1", "shelter:S1")]
    assert [d.status for d in decisions(db)] == ["rejected"] and applied_clusters(db) == {}


def test_a_rejected_pair_is_not_joined_through_a_third_record(db):
    _two_sitis(db)
    person(db, "court:C1", "Siti Aminah", nik="6171014101990001", birth_date="2001-04-07")
    person(db, "lodging:L1", "Siti Aminah", nik="6171014101990001")
    undo(db, "police:P1", "shelter:S1")  # a reviewer knows these are two women

    report = resolve(db)

    clusters = applied_clusters(db)
    assert clusters.get("police:P1", "police:P1") != clusters.get("shelter:S1", "shelter:S1")
    assert report.blocked and "blocked: would make police:P1 and shelter:S1 one person" in report.blocked[0].reason


def test_undo_reports_a_path_that_still_joins_the_records(db):
    for uid in ["a:1", "a:2", "a:3"]:
        person(db, uid, uid)
    same_as(db, "a:1", "a:2", "applied")
    same_as(db, "a:2", "a:3", "applied")
    same_as(db, "a:1", "a:3", "applied")

    result = undo(db, "a:1", "a:3")

    assert result.still_joined_via == ("a:1", "a:2", "a:3")


def test_undo_without_a_decision_records_a_rejection_that_resolve_respects(db):
    _two_sitis(db)
    result = undo(db, "police:P1", "shelter:S1")
    assert result.previous_status is None
    resolve(db)
    assert [d.status for d in decisions(db)] == ["rejected"]


def test_accept_applies_a_proposal(db):
    person(db, "police:P1", "Sumarni", birth_date="1999-03-03")
    person(db, "court:C1", "Sumarni binti Karto", birth_date="1999-03-03")
    resolve(db)

    d = accept(db, "police:P1", "court:C1", by="analyst-7")

    assert (d.status, d.decided_by) == ("applied", "analyst-7") and "proposed by graphnet" in d.history[0]
    assert applied_clusters(db) == {"court:C1": "court:C1", "police:P1": "court:C1"}
    assert resolve(db).changed is False


def test_accept_refuses_rejected_and_missing(db):
    _two_sitis(db)
    person(db, "x:1", "Budi")
    resolve(db)
    undo(db, "police:P1", "shelter:S1")
    with pytest.raises(GraphnetError, match="was rejected by"):
        accept(db, "police:P1", "shelter:S1")
    with pytest.raises(NotFound, match="no merge decision"):
        accept(db, "police:P1", "x:1")
    with pytest.raises(NotFound, match="no person record with uid 'nobody:1'"):
        undo(db, "police:P1", "nobody:1")


def _snapshot(db):
    rels = db.read(
        "MATCH (a)-[r:SAME_AS]->(b) RETURN a.uid AS a, b.uid AS b, properties(r) AS p ORDER BY a, b"
    )
    people = db.read("MATCH (p:Person) RETURN p.uid AS uid, properties(p) AS p ORDER BY uid")
    return rels, people


def test_resolve_twice_changes_nothing(db):
    _two_sitis(db)
    person(db, "court:C1", "Sumarni", birth_date="1999-03-03", nik="6171014101990001")
    person(db, "police:P2", "Sumarni binti Karto", birth_date="1999-03-03")
    person(db, "travel:T1", "Sumarni", nik="6171014101990001")
    holds(db, "travel:T1", "Document", "doc:passport:C7654321", kind="passport", number="C7654321",
          birth_date="1989-03-03")
    first = resolve(db)
    assert first.changed
    before = _snapshot(db)

    second = resolve(db)

    assert not second.changed and second.applied == second.proposed == []
    assert _snapshot(db) == before


# --- birth-date conflicts -------------------------------------------------------------------------------


def test_conflicting_birth_dates_are_kept_and_flagged(db):
    # the victim's police record says she is 17; her passport (held per the travel register) says 27
    # her NIK 617101 410508 0001 encodes 01-05-(20)08, a woman
    person(db, "police:P1", "Siti Aminah", nik="6171014105080001", birth_date="2008-05-01", row=3)
    person(db, "travel:T1", "Siti Aminah", nik="6171014105080001", birth_date="1998-05-01", row=4)
    holds(db, "travel:T1", "Document", "doc:passport:B1", kind="passport", number="B1", birth_date="1998-05-01")
    person(db, "police:P2", "Rina Wati", birth_date="2000-01-01")  # no conflict

    report = resolve(db)

    [c] = report.conflicts
    assert c.records == ("police:P1", "travel:T1")
    assert c.dates == {
        "1998-05-01": [("record", "travel:T1", (f"{SRC}:4",)), ("document", "doc:passport:B1", (f"{SRC}:9",))],
        "2008-05-01": [
            ("record", "police:P1", (f"{SRC}:3",)),
            ("nik", "police:P1", (f"{SRC}:3",)),
            ("nik", "travel:T1", (f"{SRC}:4",)),
        ],
    }
    rows = {r["uid"]: r for r in db.read("MATCH (p:Person) RETURN p.uid AS uid, p.flags AS flags, "
                                         "toString(p.birth_date) AS bd")}
    assert rows["police:P1"]["flags"] == [CONFLICT_FLAG] == rows["travel:T1"]["flags"]
    assert rows["police:P1"]["bd"] == "2008-05-01" and rows["travel:T1"]["bd"] == "1998-05-01"  # kept
    assert rows["police:P2"]["flags"] is None


def test_a_person_whose_own_document_disagrees_is_flagged(db):
    person(db, "travel:T1", "Ayu", birth_date="2009-02-02")
    holds(db, "travel:T1", "Document", "doc:passport:Z9", kind="passport", number="Z9", birth_date="1999-02-02")
    report = resolve(db)
    assert [c.records for c in report.conflicts] == [("travel:T1",)]


def test_undo_clears_a_conflict_flag_that_only_the_merge_caused(db):
    person(db, "police:P1", "Siti Aminah", passport="B7654321", birth_date="2008-05-01")
    person(db, "court:C1", "Siti Aminah", passport="B7654321", birth_date="1998-05-01")
    assert len(resolve(db).conflicts) == 1
    undo(db, "police:P1", "court:C1")
    report = resolve(db)
    assert report.unflagged == ["court:C1", "police:P1"] and report.conflicts == []
    assert db.read("MATCH (p:Person) WHERE 'birth_date_conflict' IN coalesce(p.flags, []) RETURN p") == []


# --- CLI ---------------------------------------------------------------------------------------------


def test_cli_resolve_list_undo_accept(db, cli_env):
    _two_sitis(db)
    person(db, "police:P2", "Sumarni", birth_date="1999-03-03")
    person(db, "court:C1", "Sumarni binti Karto", birth_date="1999-03-03")
    runner = CliRunner()

    r = runner.invoke(main, ["resolve"], env=cli_env)
    assert r.exit_code == 0, r.output
    assert "applied   1 new merges: name+birth_date 1" in r.output
    assert "proposed  1 for review" in r.output

    r = runner.invoke(main, ["resolve", "list", "--status", "proposed", "--format", "json"], env=cli_env)
    assert r.exit_code == 0, r.output
    [row] = json.loads(r.output)
    assert (row["a"], row["b"], row["status"]) == ("court:C1", "police:P2", "proposed")

    r = runner.invoke(main, ["resolve", "accept", "police:P2", "court:C1", "--by", "analyst-7"], env=cli_env)
    assert r.exit_code == 0 and r.output.startswith("applied   court:C1 = police:P2")

    r = runner.invoke(main, ["resolve", "undo", "police:P1", "shelter:S1"], env=cli_env)
    assert r.exit_code == 0 and r.output.startswith("rejected  police:P1 = shelter:S1 (was applied")

    r = runner.invoke(main, ["resolve", "list", "--format", "csv"], env=cli_env)
    lines = r.output.splitlines()
    assert lines[0].startswith("a,b,status,score,reason")
    assert {ln.split(",")[2] for ln in lines[1:]} == {"applied", "rejected"}

    r = runner.invoke(main, ["resolve", "list"], env=cli_env)
    assert r.exit_code == 0 and r.output.rstrip().endswith("2 decisions")

    r = runner.invoke(main, ["resolve", "--json"], env=cli_env)  # a second run: nothing new
    out = json.loads(r.output)
    assert r.exit_code == 0 and out["applied"] == out["proposed"] == [] and out["kept"] >= 1
    assert out["skipped_rejected"][0][:2] == ["police:P1", "shelter:S1"]


def test_cli_bad_input_is_one_line(db, cli_env):
    runner = CliRunner()
    r = runner.invoke(main, ["resolve", "undo", "nobody:1", "nobody:2"], env=cli_env)
    assert r.exit_code == 1 and r.output.strip().splitlines() == [
        "Error: no person record with uid 'nobody:1', 'nobody:2'"
    ]
    r = runner.invoke(main, ["resolve", "--threshold", "0.5", "--review-threshold", "0.8"], env=cli_env)
    assert r.exit_code == 1 and "review threshold <= threshold" in r.output
