"""Evidence bundles on the real Neo4j: selection rules, sources, custody, redaction, round trip."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from graphnet import db as dbapi
from graphnet import evidence
from graphnet.cli import main
from graphnet.errors import GraphnetError
from graphnet.evidence.custody import bundle_files
from graphnet.evidence.selection import select_around, select_between, select_syndicate
from graphnet.redact import Redactor

KEY = "case-2024-key"
VICTIM = "police:P2"
VICTIM_NAME = "Siti Aminah Noël"
VICTIM_NIK = "6171014101990001"
VICTIM_PHONE = "+6281234567890"
VICTIM_PASSPORT = "B1234567"
VICTIM_ADDRESS = "Jl. Melati 5, Sanggau"
WITNESS_NAME = "Dewi Lestari"
WITNESS_NIK = "6171015202950002"
HOSTILE = "Rudi O'Brien `x` \"R\" \\ ; //"


def _write_source(tmp: Path, name: str, text: str) -> dict:
    path = tmp / name
    path.write_text(text, encoding="utf-8")
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    definition = name.split(".")[0]
    return {"uid": f"{sha[:16]}:{definition}", "path": str(path), "sha256": sha, "definition": definition,
            "loaded_at": "2024-06-01T10:00:00+00:00", "rows": text.count("\n") - 1}


# (type, start, end, date, source index, row)
EDGES = [
    ("RECRUITED", "police:P1", "police:P2", "2024-03-01", 0, 2),
    ("TRANSPORTED", "police:P3", "police:P2", "2024-03-05", 1, 3),
    ("STAYED_AT", "police:P2", "lodging:L1", "2024-03-06", 1, 2),
    ("OPERATES", "police:P4", "lodging:L1", None, 1, 2),
    ("USES", "police:P2", "phone:+6281234567890", None, 0, 3),
    ("HOLDS", "police:P2", "doc:passport:B1234567", None, 0, 3),
    ("CALLED", "police:P1", "police:P4", "2023-01-10", 0, 4),
    ("KNOWS", "police:P4", "police:P6", "2024-05-01", 0, 5),
    ("KNOWS", "police:P5", "police:P1", "2024-02-01", 0, 6),
    ("INVOLVED_IN", "police:P1", "police:C1", "2024-04-01", 0, 2),
    ("INVOLVED_IN", "police:P2", "police:C1", "2024-04-01", 0, 3),
    ("INVOLVED_IN", "police:P5", "police:C1", "2024-04-01", 0, 6),
    ("USES", "shelter:S9", "phone:+6281234567890", None, 1, 4),
]
NODES = [
    ("Person", "police:P1", {"name": "Budi Santoso", "roles": ["recruiter", "suspect"]}),
    ("Person", VICTIM, {"name": VICTIM_NAME, "roles": ["victim"], "nik": VICTIM_NIK, "phone": VICTIM_PHONE,
                        "passport": VICTIM_PASSPORT, "address": VICTIM_ADDRESS, "birth_date": "2007-01-01"}),
    ("Person", "police:P3", {"name": HOSTILE, "roles": ["driver"]}),
    ("Person", "police:P4", {"name": "Agus", "roles": ["organiser"]}),
    ("Person", "police:P5", {"name": WITNESS_NAME, "roles": ["witness"], "nik": WITNESS_NIK}),
    ("Person", "police:P6", {"name": "Hendra", "roles": ["suspect"]}),
    ("Person", "shelter:S9", {"name": VICTIM_NAME, "nik": VICTIM_NIK}),  # the victim's shelter record, no role
    ("Lodging", "lodging:L1", {"name": "Losmen Perbatasan", "address": "Jl. Raya Entikong 1"}),
    ("Phone", "phone:+6281234567890", {"name": VICTIM_NAME, "number": VICTIM_PHONE}),
    ("Document", "doc:passport:B1234567", {"name": "passport B1234567", "number": VICTIM_PASSPORT, "kind": "passport"}),
    ("Case", "police:C1", {"name": "LP/123/2024", "number": "LP/123/2024", "charge": "TPPO"}),
]


@pytest.fixture
def scenario(db, tmp_path):
    """A small case built with parameterised Cypher following ARCHITECTURE.md's conventions."""
    sources = [
        _write_source(tmp_path, "police_cases.csv", "case_no,name\nLP/123/2024,Budi\nLP/123/2024,x\nq,r\ns,t\nu,v\n"),
        _write_source(tmp_path, "lodging_guests.csv", "lodging_name,guest_name\nLosmen,x\nLosmen,y\nz,w\n"),
    ]
    db.write("UNWIND $rows AS row CREATE (s:Source) SET s = row", rows=sources)
    src_of: dict[str, list[str]] = {}
    for t, a, b, _, si, row in EDGES:
        for uid in (a, b):
            src_of.setdefault(uid, [])
            ref = f"{sources[si]['uid']}:{row}"
            if ref not in src_of[uid]:
                src_of[uid].append(ref)
    for label, uid, props in NODES:
        db.write(f"CREATE (n:`{label}`) SET n = $props",
                 props={"uid": uid, "src": src_of.get(uid, [f"{sources[0]['uid']}:2"]), **props})
    for t, a, b, date, si, row in EDGES:
        props = {"key": "", "src": [f"{sources[si]['uid']}:{row}"], "weight": 1.0}
        if date:
            props["date"] = date
        if t == "INVOLVED_IN":
            props["role"] = {"police:P1": "suspect", "police:P2": "victim", "police:P5": "witness"}[a]
        db.write(f"MATCH (a {{uid: $a}}), (b {{uid: $b}}) CREATE (a)-[r:`{t}`]->(b) SET r = $props", a=a, b=b, props=props)
    # decisions and hypotheses: never evidence
    db.write("MATCH (a {uid: $a}), (b {uid: $b}) CREATE (a)-[:SAME_AS {status: 'applied', reason: $r, score: 1.0}]->(b)",
             a=VICTIM, b="shelter:S9", r=f"nik={VICTIM_NIK}")
    db.write("MATCH (a {uid: $a}), (b {uid: $b}) CREATE (a)-[:HYPOTHESIS {method: 'adamic_adar', score: 0.9}]->(b)",
             a="police:P1", b="police:P6")
    db.write("MATCH (a {uid: $a}), (b {uid: $b}) CREATE (a)-[:SAME_AS {status: 'rejected', reason: 'name'}]->(b)",
             a="police:P1", b="police:P6")
    return {"sources": sources, "tmp": tmp_path}


def _evidence_graph(since: str | None = None, until: str | None = None) -> nx.MultiGraph:
    """The scenario's evidence ties as NetworkX sees them (independent of the Cypher)."""
    G = nx.MultiGraph()
    G.add_nodes_from(uid for _, uid, _ in NODES)
    for t, a, b, date, _, _ in EDGES:
        if date and ((since and date < since) or (until and date > until)):
            continue
        G.add_edge(a, b, type=t)
    return G


def _expected_around(uid: str, hops: int, **window) -> set[str]:
    G = _evidence_graph(**window)
    same = {VICTIM: {"shelter:S9"}, "shelter:S9": {VICTIM}}
    reached = {uid} | same.get(uid, set())
    frontier = set(reached)
    for _ in range(hops):
        nxt = {m for n in frontier for m in G.neighbors(n)}
        nxt |= {s for n in nxt for s in same.get(n, set())}
        frontier = nxt - reached
        reached |= nxt
    return reached


@pytest.mark.parametrize("uid,hops", [("police:P1", 0), ("police:P1", 1), ("police:P1", 2), ("police:P4", 1), (VICTIM, 1)])
def test_around_matches_independent_hop_count(db, scenario, uid, hops):
    sub = select_around(db, uid, hops)
    assert set(sub.nodes) == _expected_around(uid, hops)
    # every evidence tie among the selected nodes is included, nothing else
    G = _evidence_graph()
    want = {(d["type"], a, b) for a, b, d in G.edges(data=True) if a in sub.nodes and b in sub.nodes}
    got = {(e["type"], e["source"], e["target"]) for e in sub.edges}
    assert {frozenset([x[1], x[2]]) | {x[0]} for x in got} == {frozenset([x[1], x[2]]) | {x[0]} for x in want}


def test_around_by_name_and_unknown_person(db, scenario):
    assert set(select_around(db, "Budi Santoso", 1).nodes) == _expected_around("police:P1", 1)
    with pytest.raises(GraphnetError, match="no person or entity with uid or name 'Nobody'"):
        select_around(db, "Nobody", 1)


def test_window_drops_ties_dated_outside_and_keeps_undated(db, scenario):
    sub = select_around(db, "police:P4", 1, since="2024-01-01")
    assert set(sub.nodes) == _expected_around("police:P4", 1, since="2024-01-01")
    assert "police:P1" not in sub.nodes  # only tie P1-P4 is the 2023 call
    assert "lodging:L1" in sub.nodes  # OPERATES has no date: kept
    assert all(not e.get("date") or e["date"] >= "2024-01-01" for e in sub.edges)
    sub = select_around(db, "police:P1", 1, until="2024-01-31")
    assert all(not e.get("date") or e["date"] <= "2024-01-31" for e in sub.edges)
    assert set(sub.nodes) == _expected_around("police:P1", 1, until="2024-01-31")
    with pytest.raises(GraphnetError, match="--since must be a date"):
        select_around(db, "police:P1", 1, since="01/02/2024")


def test_no_hypotheses_or_decisions_ever(db, scenario, tmp_path):
    sub = select_between(db, "police:P1", "police:P6", max_length=1)
    assert not any(p["kind"] == "simple" for p in sub.paths)  # the HYPOTHESIS / rejected SAME_AS tie is no path
    assert {len(p["nodes"]) for p in sub.paths} == {3}  # the shortest evidence path: P1 -CALLED- P4 -KNOWS- P6
    assert not any(e["type"] in {"HYPOTHESIS", "SAME_AS"} for e in sub.edges)
    res = evidence.export(db, tmp_path / "b", around="police:P1", hops=3, pdf=False)
    for name, data in bundle_files(res.path).items():
        text = data.decode("utf-8", errors="ignore")
        assert "HYPOTHESIS" not in text and "SAME_AS" not in text and "adamic_adar" not in text, name


def test_between_paths_match_networkx(db, scenario):
    sub = select_between(db, "police:P1", "police:P6", max_length=4)
    G = nx.Graph(_evidence_graph())
    simple = {tuple(p) for p in nx.all_simple_paths(G, "police:P1", "police:P6", cutoff=4)}
    shortest = {tuple(p) for p in nx.all_shortest_paths(G, "police:P1", "police:P6")}
    assert {tuple(p["nodes"]) for p in sub.paths if p["kind"] == "simple"} == simple
    assert {tuple(p["nodes"]) for p in sub.paths if p["kind"] == "shortest"} == shortest
    assert set(sub.nodes) == {n for p in simple | shortest for n in p}
    # the window removes the 2023 call: only the long route through the lodging remains
    sub = select_between(db, "police:P1", "police:P6", max_length=4, since="2024-01-01")
    G = nx.Graph(_evidence_graph(since="2024-01-01"))
    assert {tuple(p["nodes"]) for p in sub.paths if p["kind"] == "shortest"} == {
        tuple(p) for p in nx.all_shortest_paths(G, "police:P1", "police:P6")}
    assert all(len(p["nodes"]) == 5 for p in sub.paths)


def test_syndicate_selection_from_report(db, scenario, tmp_path):
    report = tmp_path / "syndicates.json"
    report.write_text(json.dumps({"report": "syndicates", "sections": [  # the shape of `report syndicates --format json`
        {"id": "S1", "cases": ["police:C1"], "convicted": [{"uid": "police:P1", "name": "Budi Santoso"}],
         "candidates": [{"uid": "police:P4", "name": "Agus", "score": 0.4}]},
        {"id": "S2", "cases": [], "convicted": [{"uid": "police:P6"}], "candidates": []},
    ]}), encoding="utf-8")
    sub = select_syndicate(db, "S1", report)
    assert {"police:P1", "police:P4", "police:C1"} <= set(sub.nodes)
    assert "police:P6" not in sub.nodes and "lodging:L1" not in sub.nodes  # L1 ties only P4 to the victim
    types = {(e["type"], e["source"], e["target"]) for e in sub.edges}
    assert ("CALLED", "police:P1", "police:P4") in types
    with pytest.raises(GraphnetError, match="no syndicate with id 'S3'; the report has: S1, S2"):
        select_syndicate(db, "S3", report)


def test_named_query_selection_drops_what_is_not_evidence(db, scenario):
    db.write("MATCH (a {uid: $a}), (b {uid: $b}) CREATE (a)-[:HYPOTHESIS {method: 'x', score: 0.5}]->(b)",
             a="police:P5", b="police:P2")
    sub = evidence.select(db, query="evidence_case", params={"case": "police:C1"})
    assert set(sub.nodes) == {"police:C1", "police:P1", VICTIM, "police:P5"}
    assert {(e["type"], e["source"], e["target"]) for e in sub.edges} == {
        ("INVOLVED_IN", "police:P1", "police:C1"), ("INVOLVED_IN", VICTIM, "police:C1"),
        ("INVOLVED_IN", "police:P5", "police:C1"), ("RECRUITED", "police:P1", VICTIM), ("KNOWS", "police:P5", "police:P1")}
    assert any("1 relationship(s) returned by the query were not exported" in n for n in sub.notes)
    with pytest.raises(GraphnetError, match="no Cypher file named 'no_such_query'"):
        evidence.select(db, query="no_such_query")


def test_every_link_in_report_has_its_sources(db, scenario, tmp_path):
    res = evidence.export(db, tmp_path / "b", around="police:P1", hops=2, pdf=False)
    html = (res.path / "report.html").read_text(encoding="utf-8")
    edges = list(__import__("csv").DictReader(io.StringIO((res.path / "edges.csv").read_text(encoding="utf-8"))))
    assert len(edges) == res.edges > 0
    sources = {s["uid"]: s for s in scenario["sources"]}
    for e in edges:
        refs = json.loads(e["src"])
        assert refs, e
        for ref in refs:
            suid, row = ref.rsplit(":", 1)
            s = sources[suid]
            assert f"{s['path']}, row {row}, <span class=\"mono\">{s['sha256']}</span>, {s['loaded_at']}" in html
    links = html.split("<h2>Links</h2>")[1].split("</table>")[0]
    assert links.count("<tr><td>") == len(edges)
    assert "no source" not in links
    assert "O&#39;Brien `x` &#34;R&#34;" in html  # escaped, not raw


def test_verify_passes_then_names_flipped_added_removed(db, scenario, tmp_path):
    res = evidence.export(db, tmp_path / "b", around="police:P1", hops=2, zip=True)
    assert evidence.verify(res.path).ok
    assert evidence.verify(res.zip_path).ok
    assert evidence.verify(res.path, expected_digest=res.digest).ok
    assert not evidence.verify(res.path, expected_digest="0" * 64).ok
    # a flipped byte
    target = res.path / "edges.csv"
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0x01
    target.write_bytes(bytes(data))
    v = evidence.verify(res.path)
    assert not v.ok and len(v.problems) == 1 and v.problems[0].startswith("edges.csv: changed")
    target.write_bytes(bytes(data[: len(data) // 2]) + bytes([data[len(data) // 2] ^ 0x01]) + bytes(data[len(data) // 2 + 1 :]))
    assert evidence.verify(res.path).ok
    # an added file, a removed file
    (res.path / "extra.txt").write_text("x")
    (res.path / "report.pdf").unlink()
    v = evidence.verify(res.path)
    assert v.problems == ["extra.txt: added (not listed in the manifest)",
                          "report.pdf: missing (listed in the manifest, not in the bundle)"] or sorted(v.problems) == sorted(
        ["extra.txt: added (not listed in the manifest)", "report.pdf: missing (listed in the manifest, not in the bundle)"])
    # a manifest edited to hide a change
    m = json.loads((res.path / "manifest.json").read_text())
    m["files"]["nodes.csv"]["sha256"] = "0" * 64
    (res.path / "manifest.json").write_text(json.dumps(m))
    assert any("the manifest was edited" in p for p in evidence.verify(res.path).problems)


def test_verify_rehashes_cited_source_files(db, scenario, tmp_path):
    res = evidence.export(db, tmp_path / "b", around="police:P1", hops=1, pdf=False)
    v = evidence.verify(res.path)
    assert v.ok and v.checked_sources == 2
    Path(scenario["sources"][0]["path"]).write_text("tampered\n")
    v = evidence.verify(res.path)
    assert not v.ok and scenario["sources"][0]["uid"] in v.problems[0]


def _all_texts(root: Path, zip_path: Path | None) -> dict[str, bytes]:
    out = {f"{root.name}/{k}": v for k, v in bundle_files(root).items()}
    if zip_path:
        raw = zip_path.read_bytes()
        out[zip_path.name] = raw
        with zipfile.ZipFile(zip_path) as z:
            out |= {f"zip:{n}": z.read(n) for n in z.namelist()}
    return out


def _forms(s: str) -> set[str]:
    return {s, json.dumps(s)[1:-1], json.dumps(s, ensure_ascii=False)[1:-1]}


def _assert_absent(files: dict[str, bytes], needles: list[str]) -> None:
    for name, data in files.items():
        decoded = [data.decode("utf-8", errors="ignore").lower(), data.decode("utf-16-le", errors="ignore").lower()]
        for needle in needles:
            for form in _forms(needle):
                assert form.lower().encode("utf-8") not in data.lower(), (name, needle)
                assert form.encode("utf-16-le") not in data, (name, needle)
                assert all(form.lower() not in t for t in decoded), (name, needle)


VICTIM_STRINGS = [VICTIM_NAME, VICTIM_NIK, VICTIM_PHONE, "081234567890", "6281234567890", VICTIM_PASSPORT, VICTIM_ADDRESS]


def test_redacted_bundle_holds_no_victim_identifier_anywhere(db, scenario, tmp_path):
    plain = evidence.export(db, tmp_path / "plain", around="police:P1", hops=2, zip=True)
    files = _all_texts(plain.path, plain.zip_path)
    # the check itself can fail: the unredacted bundle does hold the victim's name and NIK
    assert any(VICTIM_NAME.encode() in d for d in files.values())
    assert any(VICTIM_NIK.encode() in d for d in files.values())
    res = evidence.export(db, tmp_path / "red", around=VICTIM, hops=2, zip=True, redact="victims", redact_key=KEY,
                          command=["graphnet", "evidence", "export", "red", "--around", VICTIM, "--redact-key", KEY])
    files = _all_texts(res.path, res.zip_path)
    _assert_absent(files, VICTIM_STRINGS + [KEY, VICTIM])
    pseudo = Redactor(KEY).pseudonym(VICTIM)
    assert pseudo in (res.path / "report.html").read_text(encoding="utf-8")
    manifest = json.loads((res.path / "manifest.json").read_text())
    assert manifest["redaction"]["key"] == "withheld" and "[key withheld]" in manifest["command"]
    assert pseudo in manifest["command"] and manifest["parameters"]["person"] == pseudo
    # the victim's other record and phone/passport are protected too; the suspect keeps his name
    nodes = json.loads((res.path / "subgraph.json").read_text())["nodes"]
    assert Redactor(KEY).pseudonym("shelter:S9") in {n["id"] for n in nodes}
    assert "Budi Santoso" in {n.get("name") for n in nodes}
    assert evidence.verify(res.path).ok


def test_pseudonyms_stable_across_bundles_and_witness_profile(db, scenario, tmp_path):
    a = evidence.export(db, tmp_path / "a", around="police:P1", hops=1, redact="victims", redact_key=KEY, pdf=False)
    b = evidence.export(db, tmp_path / "b", around="police:P1", hops=2, redact="victims,witnesses", redact_key=KEY, pdf=False)
    ids_a = {n["id"] for n in json.loads((a.path / "subgraph.json").read_text())["nodes"]}
    ids_b = {n["id"] for n in json.loads((b.path / "subgraph.json").read_text())["nodes"]}
    v = Redactor(KEY).pseudonym(VICTIM)
    assert v in ids_a and v in ids_b
    assert "police:P5" in ids_a  # witnesses are not protected by "victims"
    assert Redactor(KEY).pseudonym("police:P5", "W-") in ids_b and "police:P5" not in ids_b
    _assert_absent(_all_texts(b.path, None), [WITNESS_NAME, WITNESS_NIK] + VICTIM_STRINGS)
    with pytest.raises(GraphnetError, match="redaction needs a key"):
        evidence.export(db, tmp_path / "c", around="police:P1", redact="victims")


def test_round_trip_json_and_cypher_give_the_same_graph(db, scenario, tmp_path):
    res = evidence.export(db, tmp_path / "b", around="police:P1", hops=2, pdf=False)
    exported = json.loads((res.path / "subgraph.json").read_text())
    uids = {n["id"] for n in exported["nodes"]}
    keys = {(e["type"], e["source"], e["target"]) for e in exported["edges"]}
    cited = set(exported["graph"]["sources"])
    # the expected subgraph, read from the original database independently of the exporter
    nodes_all, rels_all = evidence.snapshot(db)
    want_nodes = frozenset(n for n in nodes_all if json.loads(n[1])["uid"] in uids | cited)
    want_rels = frozenset(r for r in rels_all if (r[0], r[1], r[2]) in keys)
    assert len(want_nodes) == len(uids) + len(cited) and len(want_rels) == len(keys)
    for source in ("json", "cypher"):
        dbapi.clear(db)
        counts = evidence.load_bundle(db, res.path, source=source)
        assert counts == {"nodes": len(want_nodes), "relationships": len(want_rels), "sources": len(cited)}
        assert evidence.snapshot(db) == (want_nodes, want_rels), source
    with pytest.raises(GraphnetError, match="already holds data"):
        evidence.load_bundle(db, res.path)


def test_cypher_script_is_safe_with_hostile_names(db, scenario, tmp_path):
    res = evidence.export(db, tmp_path / "b", around="police:P3", hops=1, pdf=False)
    script = (res.path / "subgraph.cypher").read_text()
    assert HOSTILE not in script  # only in escaped form
    dbapi.clear(db)
    evidence.load_bundle(db, res.path, source="cypher")
    assert db.read("MATCH (p:Person {uid: $u}) RETURN p.name AS n", u="police:P3") == [{"n": HOSTILE}]


def test_repeated_export_gives_identical_content(db, scenario, tmp_path):
    a = evidence.export(db, tmp_path / "a", around="police:P1", hops=2, zip=True, redact="victims", redact_key=KEY)
    b = evidence.export(db, tmp_path / "b", around="police:P1", hops=2, zip=True, redact="victims", redact_key=KEY)
    fa, fb = bundle_files(a.path), bundle_files(b.path)
    assert set(fa) == set(fb) and len(fa) >= 10
    for name in fa:
        if name != "manifest.json":
            assert fa[name] == fb[name], name
    ma, mb = json.loads(fa["manifest.json"]), json.loads(fb["manifest.json"])
    for m in (ma, mb):
        m.pop("created_at")
    assert ma == mb and a.digest == b.digest


def test_export_refuses_existing_folder_and_bad_selection(db, scenario, tmp_path):
    (tmp_path / "x").mkdir()
    with pytest.raises(GraphnetError, match="already exists"):
        evidence.export(db, tmp_path / "x", around="police:P1")
    with pytest.raises(GraphnetError, match="choose exactly one selection"):
        evidence.export(db, tmp_path / "y", around="police:P1", query="q")
    assert not (tmp_path / "y").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_cli_export_and_verify(db, scenario, tmp_path, cli_env):
    runner = CliRunner()
    out = tmp_path / "bundle"
    env = {**cli_env, "GRAPHNET_REDACT_KEY": KEY}
    r = runner.invoke(main, ["evidence", "export", str(out), "--between", "police:P1", "police:P6",
                             "--max-length", "4", "--redact", "victims", "--zip"], env=env)
    assert r.exit_code == 0, r.output
    assert "digest" in r.output and (tmp_path / "bundle.zip").is_file()
    digest = json.loads((out / "manifest.json").read_text())["digest"]
    r = runner.invoke(main, ["evidence", "verify", str(out), "--digest", digest], env=cli_env)
    assert r.exit_code == 0, r.output
    assert r.output.startswith("OK")
    (out / "nodes.csv").write_bytes((out / "nodes.csv").read_bytes() + b"x")
    r = runner.invoke(main, ["evidence", "verify", str(out)], env=cli_env)
    assert r.exit_code == 1
    assert "FAIL  nodes.csv: changed" in r.output
    r = runner.invoke(main, ["evidence", "export", str(tmp_path / "z"), "--around", "Nobody"], env=cli_env)
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert r.output.strip().splitlines() == ["Error: no person or entity with uid or name 'Nobody' in the graph"]
    r = runner.invoke(main, ["evidence", "export", str(tmp_path / "z2"), "--around", "police:P1", "--redact", "victims"],
                      env={**cli_env, "GRAPHNET_REDACT_KEY": ""})
    assert r.exit_code == 1 and "--redact needs a key" in r.output


def test_a_suspect_who_shares_a_victims_name_keeps_his_own_name(db, scenario, tmp_path):
    db.write("CREATE (p:Person {uid: 'police:P7', name: $name, roles: ['driver'], src: $src})",
             name=VICTIM_NAME, src=[f"{scenario['sources'][0]['uid']}:5"])
    db.write("MATCH (a:Person {uid: 'police:P7'}), (b:Person {uid: 'police:P1'}) "
             "CREATE (a)-[:KNOWS {key: '', src: $src, weight: 1.0}]->(b)", src=[f"{scenario['sources'][0]['uid']}:5"])
    res = evidence.export(db, tmp_path / "b", around="police:P1", hops=1, redact="victims", redact_key=KEY, pdf=False)
    nodes = {n["id"]: n for n in json.loads((res.path / "subgraph.json").read_text())["nodes"]}
    assert nodes["police:P7"]["name"] == VICTIM_NAME  # the driver's own name
    assert nodes[Redactor(KEY).pseudonym(VICTIM)]["name"] == Redactor(KEY).pseudonym(VICTIM)
    assert any("share a name with a protected person" in n for n in res.notes)
    _assert_absent(_all_texts(res.path, None), [VICTIM_NIK, VICTIM_PHONE, VICTIM_PASSPORT, VICTIM_ADDRESS])


def test_graphml_gexf_and_node_link_read_back_with_networkx(db, scenario, tmp_path):
    res = evidence.export(db, tmp_path / "b", around="police:P1", hops=2, pdf=False)
    G = evidence.read_graph(res.path)
    H = nx.read_graphml(res.path / "subgraph.graphml", force_multigraph=True)
    X = nx.read_gexf(res.path / "subgraph.gexf")
    assert set(G.nodes) == set(H.nodes) == set(X.nodes) == set(_expected_around("police:P1", 2))
    triples = sorted((u, v, d["type"]) for u, v, d in G.edges(data=True))
    assert len(triples) == res.edges
    assert triples == sorted((u, v, d["type"]) for u, v, d in H.edges(data=True))
    assert triples == sorted((u, v, d["rel_type"]) for u, v, d in X.edges(data=True))
    assert set(G.graph["sources"]) == {s["uid"] for s in scenario["sources"]}
    assert json.loads(H.nodes["police:P1"]["roles"]) == ["recruiter", "suspect"]
    assert H.nodes["police:P3"]["name"] == HOSTILE and X.nodes["police:P3"]["label"] == HOSTILE
    ftm = [json.loads(line) for line in (res.path / "entities.ftm.json").read_text().splitlines()]
    assert len(ftm) == G.number_of_nodes() + G.number_of_edges()
    assert len({e["id"] for e in ftm}) == len(ftm)


def test_victim_known_only_from_a_resolved_record_outside_the_bundle_is_protected(db, scenario, tmp_path):
    src = [f"{scenario['sources'][1]['uid']}:4"]
    db.write("CREATE (:Person {uid: 'border:X1', name: 'S. Aminah', passport: 'C9990001', src: $src}), "
             "(:Location {uid: 'location:Entikong', name: 'Entikong', src: $src}), "
             "(:Person {uid: 'border:X2', name: 'Tono Unknown', passport: 'C9990002', src: $src})", src=src)
    for uid in ("border:X1", "border:X2"):
        db.write("MATCH (a:Person {uid: $u}), (b:Location {uid: 'location:Entikong'}) "
                 "CREATE (a)-[:CROSSED {key: '', src: $src, weight: 1.0, date: '2024-03-07'}]->(b)", u=uid, src=src)
    db.write("MATCH (a:Person {uid: $a}), (b:Person {uid: 'border:X1'}) "
             "CREATE (a)-[:SAME_AS {status: 'applied', reason: 'passport'}]->(b)", a=VICTIM)
    sub = evidence.select(db, query="evidence_record", params={"uid": "border:X1"})
    assert set(sub.nodes) == {"border:X1", "location:Entikong"}  # the victim's police record is not selected
    assert sub.person_roles["border:X1"] == ["victim"]
    res = evidence.export(db, tmp_path / "b", query="evidence_record", params={"uid": "border:X1"},
                          redact="victims", redact_key=KEY, pdf=False)
    _assert_absent(_all_texts(res.path, None), ["S. Aminah", "C9990001", "border:X1"])
    assert Redactor(KEY).pseudonym("border:X1") in (res.path / "nodes.csv").read_text()
    # a person of no known role is kept unless the profile says `unknown`
    plain = evidence.export(db, tmp_path / "c", around="location:Entikong", hops=1, redact="victims", redact_key=KEY,
                            pdf=False)
    assert "Tono Unknown" in (plain.path / "nodes.csv").read_text()
    strict = evidence.export(db, tmp_path / "d", around="location:Entikong", hops=1, redact="victims,unknown",
                             redact_key=KEY, pdf=False)
    _assert_absent(_all_texts(strict.path, None), ["Tono Unknown", "C9990002", "S. Aminah", "C9990001"])
    assert Redactor(KEY).pseudonym("border:X2", "U-") in (strict.path / "nodes.csv").read_text()


def test_cli_load_refuses_a_tampered_bundle_and_loads_a_good_one(db, scenario, tmp_path, cli_env):
    runner = CliRunner()
    out = tmp_path / "bundle"
    r = runner.invoke(main, ["evidence", "export", str(out), "--around", "police:P1", "--hops", "1", "--no-pdf"], env=cli_env)
    assert r.exit_code == 0, r.output
    want = json.loads((out / "manifest.json").read_text())["counts"]
    dbapi.clear(db)
    script = out / "subgraph.cypher"
    original = script.read_bytes()
    script.write_bytes(original + b"MATCH (n) DETACH DELETE n;\n")
    r = runner.invoke(main, ["evidence", "load", str(out), "--from", "cypher"], env=cli_env)
    assert r.exit_code == 1 and "fails verification: subgraph.cypher: changed" in r.output
    assert db.read("MATCH (n) RETURN count(n) AS n") == [{"n": 0}]
    script.write_bytes(original)
    r = runner.invoke(main, ["evidence", "load", str(out), "--from", "cypher"], env=cli_env)
    assert r.exit_code == 0, r.output
    # the counts the manifest recorded at export: nodes of the subgraph, then the Source nodes of the cited files
    assert r.output.startswith(f"loaded {want['nodes']} nodes and {want['relationships']} relationships")
    assert f"with the {want['sources']} Source nodes" in r.output


def test_export_creates_missing_parent_folders_but_never_overwrites(db, scenario, tmp_path, cli_env):
    """`graphnet evidence export out/x` works when out/ does not exist yet; an existing bundle is still refused."""
    out = tmp_path / "out" / "case" / "bundle"
    r = CliRunner().invoke(main, ["evidence", "export", str(out), "--around", "police:P1", "--no-pdf"], env=cli_env)
    assert r.exit_code == 0, r.output
    assert evidence.verify(out).ok
    r = CliRunner().invoke(main, ["evidence", "export", str(out), "--around", "police:P1", "--no-pdf"], env=cli_env)
    assert r.exit_code == 1 and "already exists; a bundle is never overwritten" in r.output
    (tmp_path / "file").write_text("x")
    r = CliRunner().invoke(main, ["evidence", "export", str(tmp_path / "file" / "b"), "--around", "police:P1"],
                           env=cli_env)
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert r.output.strip() == f"Error: {tmp_path / 'file'}: not a folder, cannot write the bundle into it"
    # a failed selection creates no folder
    with pytest.raises(GraphnetError):
        evidence.export(db, tmp_path / "new" / "b", around="Nobody")
    assert not (tmp_path / "new").exists()
