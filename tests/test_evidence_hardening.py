"""Evidence bundles against hostile input: a rebuilt bundle's Cypher script, a pinned digest, NFD names.

`graphnet evidence load --from cypher` reads the data of the statements
graphnet writes and never runs the script's text; `--digest` pins a bundle to
the digest recorded at export; redaction treats a name written decomposed
(NFD) as the same name as its precomposed (NFC) form.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

from graphnet import db as dbapi
from graphnet import evidence
from graphnet.cli import main
from graphnet.errors import GraphnetError
from graphnet.evidence import write_bundle
from graphnet.evidence.custody import digest, manifest_bytes, sha256_bytes
from graphnet.evidence.formats import cypher_script
from graphnet.evidence.redaction import Protected, leaks, redact_subgraph
from graphnet.evidence.roundtrip import parse_script, snapshot_of
from graphnet.evidence.selection import Subgraph
from graphnet.redact import Redactor

NFC = "Nguyễn Thị Hằng"
NFD = unicodedata.normalize("NFD", NFC)
HOSTILE = "Rudi O'Brien `x` \"R\" \\ ; // } ] 😀"
INJECTED = "UNWIND [1] AS x CREATE (:Injected {by:'bundle'}) WITH x MATCH (s:Source) SET s.path='tampered';"


# ---------------------------------------------------------------- the Cypher script, read not run (no database)


def _sub() -> Subgraph:
    nodes = {
        "p1": {"label": "Person", "uid": "p1", "name": HOSTILE, "roles": ["suspect", "driver"], "src": ["s:2"],
               "weight": 2.5, "active": True, "count": 3},
        "p2": {"label": "Person", "uid": "p2", "name": NFC, "roles": ["victim"], "src": ["s:3"]},
        "l": {"label": "Lodging", "uid": "l", "name": "Losmen `Perbatasan`", "src": ["s:3"]},
    }
    edges = [
        {"type": "KNOWS", "source": "p1", "target": "p2", "key": "", "src": ["s:2"], "date": "2024-01-01", "weight": 1.0},
        {"type": "STAYED_AT", "source": "p2", "target": "l", "key": "k|1", "src": ["s:3"], "note": HOSTILE},
    ]
    return Subgraph(nodes=nodes, edges=edges, sources={"s": {"path": "/data/x.csv", "sha256": "00", "rows": 4}},
                    seeds=["p1"], paths=[], selection={"mode": "around", "person": "p1"})


def test_parse_script_reads_back_exactly_what_the_exporter_wrote():
    sub = _sub()
    script = cypher_script(sub, batch=1)  # one row per statement: many statements
    parsed, read = parse_script(script)
    assert snapshot_of(parsed) == snapshot_of(sub)
    assert read == len([ln for ln in script.splitlines() if ln and not ln.startswith("//")])


def _hostile_scripts() -> list[tuple[str, str]]:
    """(description, line) pairs: each line appended to a good script must be refused."""
    person = '[{`props`: {`name`: "x", `uid`: "x"}, `uid`: "x"}]'
    tail = " AS row MERGE (n:`Person` {uid: row.`uid`}) SET n = row.`props`;"
    rel = ('UNWIND [{`end`: "p2", `key`: "", `props`: {`key`: ""}, `start`: "p1"}] AS row '
           "MATCH (a:`Person` {uid: row.`start`}) MATCH (b:`Person` {uid: row.`end`}) "
           "MERGE (a)-[r:`{type}` {key: row.`key`}]->(b) SET r = row.`props`;")
    return [
        ("the finding's injection", INJECTED),
        ("a plain write", "MATCH (n) DETACH DELETE n;"),
        ("a constraint graphnet does not write", "CREATE CONSTRAINT x IF NOT EXISTS FOR (n:`Person`) REQUIRE n.name IS UNIQUE;"),
        ("a constraint on a label outside the schema",
         "CREATE CONSTRAINT injected_uid IF NOT EXISTS FOR (n:`Injected`) REQUIRE n.uid IS UNIQUE;"),
        ("a label outside the schema", f"UNWIND {person}" + tail.replace("Person", "Injected")),
        ("a clause after the statement", f"UNWIND {person}" + tail[:-1] + " WITH n MATCH (s:Source) SET s.path = 'x';"),
        ("a second statement on the line", f"UNWIND {person}{tail} MATCH (n) DETACH DELETE n;"),
        ("a function call in the data", f"UNWIND [{{`props`: {{`name`: toUpper(\"x\")}}, `uid`: \"x\"}}]{tail}"),
        ("a parameter instead of data", f"UNWIND $rows{tail}"),
        ("keys out of the exporter's order", f'UNWIND [{{`uid`: "x", `props`: {{}}}}]{tail}'),
        ("a map as a property value", f'UNWIND [{{`props`: {{`m`: {{`a`: 1}}}}, `uid`: "x"}}]{tail}'),
        ("an uid written twice", f'UNWIND [{{`props`: {{}}, `uid`: "p1"}}]{tail}'),
        ("a relationship that is not evidence", rel.replace("{type}", "SAME_AS")),
        ("a relationship type outside the schema", rel.replace("{type}", "OWNS_EVERYTHING")),
        ("a relationship to a node the script does not hold", rel.replace("{type}", "KNOWS").replace('"p2"', '"nobody"')),
        ("leading whitespace", "  " + INJECTED),
    ]


@pytest.mark.parametrize("what, line", _hostile_scripts(), ids=[d for d, _ in _hostile_scripts()])
def test_parse_script_refuses_every_statement_graphnet_does_not_write(what, line):
    good = cypher_script(_sub())
    lineno = len(good.splitlines()) + 1
    with pytest.raises(GraphnetError) as e:
        parse_script(good + line + "\n")
    message = str(e.value)
    assert re.match(rf"subgraph\.cypher:{lineno}: ", message), message
    assert "\n" not in message and "nothing was loaded" in message


# ---------------------------------------------------------------- loading bundles (real Neo4j)


@pytest.fixture
def case(db, tmp_path):
    """A small case: a source file, people with hostile and accented names, a lodging, evidence ties."""
    path = tmp_path / "police.csv"
    path.write_text("case_no,name\nLP/1,a\nLP/1,b\nLP/1,c\n", encoding="utf-8")
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    source = {"uid": f"{sha[:16]}:police", "path": str(path), "sha256": sha, "definition": "police",
              "loaded_at": "2024-06-01T10:00:00+00:00", "rows": 3}
    db.write("CREATE (s:Source) SET s = $props", props=source)
    ref = [f"{source['uid']}:2"]
    for label, uid, props in [
        ("Person", "police:P1", {"name": "Budi Santoso", "roles": ["suspect"], "weight": 0.5}),
        ("Person", "police:P2", {"name": NFD, "roles": ["victim"]}),
        ("Person", "police:P3", {"name": HOSTILE, "roles": ["driver"]}),
        ("Lodging", "lodging:L1", {"name": "Losmen Perbatasan"}),
    ]:
        db.write(f"CREATE (n:`{label}`) SET n = $props", props={"uid": uid, "src": ref, **props})
    for t, a, b in [("RECRUITED", "police:P1", "police:P2"), ("TRANSPORTED", "police:P3", "police:P2"),
                    ("STAYED_AT", "police:P2", "lodging:L1")]:
        db.write(f"MATCH (a {{uid: $a}}), (b {{uid: $b}}) CREATE (a)-[r:`{t}`]->(b) SET r = $props",
                 a=a, b=b, props={"key": "", "src": ref, "weight": 1.0, "date": "2024-03-01"})
    return tmp_path


def _rebuild_manifest(bundle: Path) -> None:
    """Re-hash every file and recompute the digest: what someone who edits a bundle would do."""
    manifest = json.loads((bundle / "manifest.json").read_text(encoding="utf-8"))
    for name in manifest["files"]:
        data = (bundle / name).read_bytes()
        manifest["files"][name] = {"sha256": sha256_bytes(data), "bytes": len(data)}
    manifest["digest"] = digest(manifest["files"], manifest["sources"])
    (bundle / "manifest.json").write_bytes(manifest_bytes(manifest))


def _count(db) -> int:
    return db.read("MATCH (n) RETURN count(n) AS n")[0]["n"]


def test_injected_statement_in_a_rebuilt_bundle_is_refused_and_nothing_is_written(db, case, cli_env):
    res = evidence.export(db, case / "b", around="police:P1", hops=2, pdf=False)
    dbapi.clear(db)
    script = res.path / "subgraph.cypher"
    lines = script.read_text(encoding="utf-8").count("\n")
    with open(script, "a", encoding="utf-8") as f:
        f.write(INJECTED + "\n")
    _rebuild_manifest(res.path)
    assert evidence.verify(res.path, check_sources=False).ok  # the manifest no longer tells
    with pytest.raises(GraphnetError, match=rf"subgraph\.cypher:{lines + 1}: not a statement graphnet writes"):
        evidence.load_bundle(db, res.path, source="cypher")
    assert _count(db) == 0
    r = CliRunner().invoke(main, ["evidence", "load", str(res.path), "--from", "cypher"], env=cli_env)
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert len(r.output.strip().splitlines()) == 1 and f"subgraph.cypher:{lines + 1}:" in r.output, r.output
    assert _count(db) == 0
    # the recorded digest catches the rebuilt bundle before its script is even read
    r = CliRunner().invoke(main, ["evidence", "load", str(res.path), "--from", "json", "--digest", res.digest], env=cli_env)
    assert r.exit_code == 1 and "is not the expected" in r.output and _count(db) == 0


def test_good_bundle_round_trips_to_the_same_graph_by_cypher_and_json(db, case, cli_env):
    res = evidence.export(db, case / "b", around="police:P1", hops=2, pdf=False)
    before = evidence.snapshot(db)
    graphs = {}
    for source in ("json", "cypher"):
        dbapi.clear(db)
        counts = evidence.load_bundle(db, res.path, source=source, expected_digest=res.digest)
        assert counts == {"nodes": 5, "relationships": 3, "sources": 1}
        graphs[source] = evidence.snapshot(db)
    assert graphs["json"] == graphs["cypher"] == before
    dbapi.clear(db)
    r = CliRunner().invoke(main, ["evidence", "load", str(res.path), "--from", "cypher", "--digest", res.digest.upper()],
                           env=cli_env)
    assert r.exit_code == 0, r.output
    assert evidence.snapshot(db) == before


@pytest.mark.parametrize("given", ["0" * 64, "not-a-digest", ""])
def test_cli_load_refuses_a_digest_mismatch_in_one_line(db, case, cli_env, given):
    res = evidence.export(db, case / "b", around="police:P1", hops=1, pdf=False)
    dbapi.clear(db)
    for source in ("json", "cypher"):
        r = CliRunner().invoke(main, ["evidence", "load", str(res.path), "--from", source, "--digest", given], env=cli_env)
        assert r.exit_code != 0 and "Traceback" not in r.output and not isinstance(r.exception, GraphnetError)
        lines = r.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: ") and "digest" in lines[0], r.output
        assert _count(db) == 0


# ---------------------------------------------------------------- names written decomposed (no database)


def _guest_sub(guest_name: str, guest_roles: list[str]) -> Subgraph:
    return Subgraph(
        nodes={"police:P1": {"label": "Person", "name": NFC, "roles": ["victim"]},
               "lodging:G1": {"label": "Person", "name": guest_name, "roles": guest_roles},
               "lodging:L": {"label": "Lodging", "name": "Kos Melati", "note": f"guest {guest_name} paid"}},
        edges=[{"type": "STAYED_AT", "source": "police:P1", "target": "lodging:L", "key": ""},
               {"type": "STAYED_AT", "source": "lodging:G1", "target": "lodging:L", "key": "", "note": f"by {NFD}"}],
        sources={}, seeds=["lodging:L"], paths=[], selection={"mode": "around", "relationship_types": ["STAYED_AT"]})


@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_a_guest_with_the_victims_name_in_either_form_is_pseudonymised(form):
    guest = unicodedata.normalize(form, NFC)
    red, prot = redact_subgraph(_guest_sub(guest, ["guest"]), Redactor("k"))
    names = {uid: d["name"] for uid, d in red.nodes.items() if d["label"] == "Person"}
    assert all(n.startswith("V-") for n in names.values()), names
    files = write_bundle(red, pdf=False)
    for name, data in files.items():
        text = unicodedata.normalize("NFC", data.decode("utf-8"))
        assert NFC.lower() not in text.lower(), name
        assert leaks(data, prot) == [], name


def test_a_suspect_who_shares_the_victims_name_in_nfd_keeps_it():
    red, prot = redact_subgraph(_guest_sub(NFD, ["suspect"]), Redactor("k"))
    names = sorted(d["name"] for d in red.nodes.values() if d["label"] == "Person")
    assert names[0] == NFD and names[1].startswith("V-"), names  # the suspect keeps his name, the victim is V-
    assert leaks(NFD.encode(), prot) == []  # a kept name, in any form, is no leak


def test_leaks_finds_a_protected_name_written_nfc_or_nfd():
    for added in (NFC, NFD):
        prot = Protected()
        prot.add_name(added, "V-1")
        for written in (NFC, NFD):
            for data in (f"seen: {written}.".encode(), json.dumps({"n": written}).encode(),
                         json.dumps({"n": written}, ensure_ascii=False).encode(),
                         f"<b>{written}</b>".encode("utf-16-le"), written.upper().encode()):
                assert leaks(data, prot) == ["name"], (added == NFC, written == NFC, data)
        assert leaks("Nguyễn Thị Hằngga".encode(), prot) == []  # whole words only, as before


def test_scrub_replaces_a_protected_name_in_either_form():
    for added, written in ((NFC, NFD), (NFD, NFC), (NFD, NFD)):
        prot = Protected()
        prot.add_name(added, "V-1")
        out, n = prot.scrub(f"guest {written} paid")
        assert (out, n) == ("guest V-1 paid", 1)
    prot = Protected()
    prot.add_name(NFC, "V-1")
    assert prot.scrub(f"nobody here {NFD[:3]}") == (f"nobody here {NFD[:3]}", 0)  # other text left as it was


def test_zip_bundle_loads_the_bytes_it_verified(db, case, cli_env, tmp_path):
    """`evidence load B.zip` verifies and loads the zip's own bytes; an edited zip is refused, nothing written."""
    import zipfile

    res = evidence.export(db, case / "b", around="police:P1", hops=2, pdf=False, zip=True)
    zipped = res.zip_path
    assert zipped is not None and zipped.is_file()
    before = evidence.snapshot(db)
    for source in ("json", "cypher"):
        dbapi.clear(db)
        r = CliRunner().invoke(main, ["evidence", "load", str(zipped), "--from", source, "--digest", res.digest],
                               env=cli_env)
        assert r.exit_code == 0, r.output
        assert "loaded 4 nodes and 3 relationships" in r.output and "with the 1 Source nodes" in r.output, r.output
        assert evidence.snapshot(db) == before, source
    # the same zip with subgraph.json edited (the folder beside it left intact): refused, nothing loaded
    edited = tmp_path / "edited.zip"
    with zipfile.ZipFile(zipped) as z, zipfile.ZipFile(edited, "w") as out:
        for info in z.infolist():
            data = z.read(info)
            if info.filename.endswith("subgraph.json"):
                data = data.replace(b"police:P1", b"police:P9")
            out.writestr(info, data)
    dbapi.clear(db)
    r = CliRunner().invoke(main, ["evidence", "load", str(edited)], env=cli_env)
    assert r.exit_code == 1 and "Traceback" not in r.output and "subgraph.json: changed" in r.output, r.output
    assert _count(db) == 0


# ---------------------------------------------------------------- who a shared identifier protects (no database)

def test_role_index_equals_the_search_over_every_protected_person():
    """The index answers as the old search did: the first protected person (by uid) sharing an identifier, else a name."""
    import random

    from graphnet.evidence.redaction import _ID_FIELDS, _NAME_FIELDS, Protected, _as_list, _name_key, _RoleIndex
    from graphnet.evidence.selection import Subgraph

    def search(sub, people, ids, names):  # stop 12's _role_sharing, person by person
        for uid, role in sorted(people.items()):
            probe = Protected()
            for f in _ID_FIELDS:
                probe.add_identifier(sub.nodes[uid].get(f), f)
            if ids & probe.identifiers:
                return role
        for uid, role in sorted(people.items()):
            if names & {_name_key(n) for f in _NAME_FIELDS for n in _as_list(sub.nodes[uid].get(f))}:
                return role
        return sorted(people.values())[0] if people else "victim"

    rng = random.Random(5)
    phones = [f"+62 811-{rng.randrange(10**4):04d}-{rng.randrange(10**4):04d}" for _ in range(30)]
    niks = [f"6103{rng.randrange(10**12):012d}" for _ in range(30)]
    first = ["Ani", "Siti", "Dewi", "Yasinta", "Maria"]
    nodes = {f"p:{i:03d}": {"label": "Person", "phone": rng.choice(phones), "nik": rng.choice(niks),
                            "name": rng.choice(first), "aliases": [rng.choice(first).upper()]} for i in range(60)}
    sub = Subgraph(nodes=nodes, edges=[], sources={}, seeds=[], paths=[], selection={})
    people = {uid: rng.choice(["victim", "witness", "unknown"]) for uid in rng.sample(sorted(nodes), 25)}
    index = _RoleIndex(sub, dict(people))
    queries = 0
    for uid in sorted(set(nodes) - set(people)):
        d = nodes[uid]
        spellings = {d["phone"], d["phone"].replace(" ", "").replace("-", ""), "0" + d["phone"][4:].replace("-", "")}
        for ids in ({rng.choice(sorted(spellings))}, {d["nik"]}, set()):
            names = {_name_key(n) for n in [d["name"], *d["aliases"]]} if rng.random() < 0.7 else set()
            assert index.role(ids, names) == search(sub, people, ids, names)
            queries += 1
        role = search(sub, people, {d["nik"]}, set())  # as protect() adds the record it protected
        people[uid] = role
        index.add(uid, role)
    assert queries == 105


def test_uids_built_from_protected_names_and_numbers_are_found_in_rounds_whatever_their_order():
    """The last step of protect(): every uid holding a protected name or number (whole words, any case), once."""
    import random

    from graphnet.evidence.redaction import protect

    nodes = {
        "police:P1": {"label": "Person", "name": "Siti Aminah", "roles": ["victim"], "nik": "6171014101990001"},
        "police:S1": {"label": "Person", "name": "Budi Santoso", "roles": ["suspect"]},
        "lodging:L-siti aminah-room 4": {"label": "Lodging", "name": "room 4"},  # built from her name
        "account:ACC/6171014101990001/bri": {"label": "Account", "name": "bri"},  # built from her NIK
        "lodging:L-SITI AMINAH-room 4/annex": {"label": "Lodging", "name": "annex"},  # from the first uid, upper case
        "lodging:L-sitiaminah-room 9": {"label": "Lodging", "name": "room 9"},  # not a whole word: stays
        "lodging:L-budi santoso-room 2": {"label": "Lodging", "name": "room 2"},  # a suspect's: stays
    }
    expected = {"lodging:L-siti aminah-room 4", "account:ACC/6171014101990001/bri", "lodging:L-SITI AMINAH-room 4/annex"}
    rng = random.Random(7)
    results = []
    for _ in range(6):
        order = list(nodes)
        rng.shuffle(order)
        sub = Subgraph(nodes={u: nodes[u] for u in order}, edges=[], sources={}, seeds=[], paths=[], selection={})
        mapping, prot, _ = protect(sub, Redactor("k"), {"victim"})
        assert expected <= set(mapping), order
        assert not {"lodging:L-sitiaminah-room 9", "lodging:L-budi santoso-room 2", "police:S1"} & set(mapping), order
        assert prot.scrub("paid at lodging:L-siti aminah-room 4")[0] == f"paid at {mapping['lodging:L-siti aminah-room 4']}"
        results.append(mapping)
    assert all(r == results[0] for r in results)


def test_a_record_proposed_as_a_victims_is_protected_unless_its_role_shows_someone_else():
    """Proposed (not applied) SAME_AS pairs: the passenger record with her misspelt name and a passport nothing
    else links is hidden; a suspect the resolver also proposes keeps his name; chains follow."""
    from graphnet.evidence.redaction import protect

    nodes = {
        "shelter:V1": {"label": "Person", "name": "Siti Aminah", "roles": ["victim"]},
        "border:X1": {"label": "Person", "name": "Siti Aminnah", "passport": "C1234567", "roles": ["passenger"]},
        "border:X2": {"label": "Person", "name": "S. Aminnah", "passport": "C7654321"},  # proposed with X1
        "police:S1": {"label": "Person", "name": "Siti Amina", "roles": ["suspect"]},
        "border:X3": {"label": "Person", "name": "Dewi Lestari", "passport": "C0000001"},  # proposed with nobody protected
    }
    pairs = [["shelter:V1", "border:X1"], ["border:X2", "border:X1"], ["police:S1", "shelter:V1"],
             ["border:X3", "police:S1"]]
    sub = Subgraph(nodes=nodes, edges=[], sources={}, seeds=[], paths=[], selection={}, suspected_same=pairs)
    mapping, prot, _ = protect(sub, Redactor("k"), {"victim"})
    assert {"shelter:V1", "border:X1", "border:X2"} <= set(mapping)
    assert not {"police:S1", "border:X3"} & set(mapping)
    assert prot.scrub("passport C1234567 of Siti Aminnah")[0] == f"passport [redacted] of {mapping['border:X1']}"
    without = Subgraph(nodes=nodes, edges=[], sources={}, seeds=[], paths=[], selection={})
    assert set(protect(without, Redactor("k"), {"victim"})[0]) == {"shelter:V1"}  # what the pairs add
