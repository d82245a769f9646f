"""The loader engine on the real Neo4j: provenance, idempotence, rejects, encodings, atomicity."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

import graphnet.loading.load as load_module
from graphnet.cli import main
from graphnet.errors import DefinitionError, GraphnetError, InputFileError
from graphnet.loading import list_definitions, load_file, load_plan, read_definition, unload_file
from graphnet.synth.generate import generate

EDGES_DEF = """name: people_edges
description: test edges
namespace: t
columns: [source, target]
optional_columns: [weight, when]
nodes:
  a: {label: Person, key: source, properties: {name: source}}
  b: {label: Person, key: target, properties: {name: target}}
relationships:
  - {type: KNOWS, from: a, to: b, weight: weight, directed: false,
     properties: {date: {column: when, type: date, format: "%d/%m/%Y"}}}
"""


def snapshot(db) -> tuple[list, list]:
    """Every entity node and relationship with all properties (src sorted), for equality checks."""
    nodes = db.read("MATCH (n) WHERE NOT n:Source RETURN labels(n) AS l, properties(n) AS p")
    rels = db.read("MATCH (a)-[r]->(b) RETURN type(r) AS t, a.uid AS s, b.uid AS e, properties(r) AS p")

    def norm(p):
        return json.dumps({k: sorted(v) if k == "src" else v for k, v in p.items()}, sort_keys=True, default=str)

    return sorted((r["l"], norm(r["p"])) for r in nodes), sorted((r["t"], r["s"], r["e"], norm(r["p"])) for r in rels)


def _count(db, pattern: str) -> int:
    return db.read(f"MATCH {pattern} RETURN count(*) AS n")[0]["n"]


def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


@pytest.fixture(scope="module")
def scenario(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("scenario")
    generate(out, cases=6, syndicates=1, background=301, seed=11)
    return out


def test_agency_scenario_provenance_rejects_and_no_lost_rows(db, scenario, tmp_path):
    summaries = load_plan(db, scenario / "load-plan.yaml", rejects_dir=tmp_path)
    assert len(summaries) == 11
    # provenance on every node and relationship, and every ref names a loaded Source
    assert _count(db, "(n) WHERE NOT n:Source AND (n.src IS NULL OR size(n.src) = 0)") == 0
    assert _count(db, "()-[r]->() WHERE r.src IS NULL OR size(r.src) = 0") == 0
    sources = {r["uid"]: r for r in db.read("MATCH (s:Source) RETURN s.uid AS uid, s.path AS path, s.rows AS rows, "
                                            "s.status AS status, s.sha256 AS sha")}
    assert len(sources) == 11 and all(s["status"] == "complete" for s in sources.values())
    refs = db.read("MATCH (n) WHERE n.src IS NOT NULL UNWIND n.src AS ref RETURN DISTINCT ref "
                   "UNION MATCH ()-[r]->() UNWIND r.src AS ref RETURN DISTINCT ref")
    by_source: dict[str, set[int]] = {uid: set() for uid in sources}
    for r in refs:
        uid, row = r["ref"].rsplit(":", 1)
        by_source[uid].add(int(row))  # KeyError here = a ref to no Source
    truth = json.loads((scenario / "truth.json").read_text())
    broken = {(b["file"], b["row"]): b["field"] for b in truth["broken_rows"]}
    for s in summaries:
        path = Path(s.file)
        with path.open(encoding="utf-8-sig", newline="") as f:
            records = list(csv.reader(f))[1:]
        all_rows = {n for n, row in enumerate(records, start=2) if any(row)}  # spreadsheet row numbers
        rejected: dict[int, str] = {}
        if s.rejects_file:
            with open(s.rejects_file, encoding="utf-8", newline="") as f:
                rejected = {int(r["row"]): r["field"] for r in csv.DictReader(f)}
        loaded = by_source[s.source]
        # nothing lost: every row is in the graph's provenance or in the rejects file, never both
        assert loaded | set(rejected) == all_rows, path.name
        assert not loaded & set(rejected)
        assert s.rows_read == len(all_rows) == sources[s.source]["rows"]
        # the generator's deliberately broken rows, and only those, are rejected, with the right field
        assert rejected == {row: field for (file, row), field in broken.items() if file == path.name}
    # agency semantics
    assert _count(db, "(:Person)-[:RECRUITED]->(:Person)") > 0
    assert _count(db, "(:Vehicle)-[:TRANSPORTED]->(:Person)") > 0
    assert _count(db, "(:Person)-[:OPERATES]->(:Vehicle)") > 0
    assert _count(db, "(:Person)-[:STAYED_AT]->(:Lodging)<-[:OPERATES]-(:Person)") > 0
    assert _count(db, "(:Account)-[:PAID]->(:Account)") > 0
    assert _count(db, "(:Person)-[:ISSUED]->(:Document)<-[:HOLDS]-(:Person)") > 0
    assert _count(db, "(d:Document) WHERE d.birth_date IS NOT NULL") > 0
    assert _count(db, "(p:Person)-[:CONVICTED_IN]->(:Case) WHERE 'convict' IN p.roles") > 0
    assert _count(db, "(p:Person)-[:INVOLVED_IN {role: 'victim'}]->(:Case) WHERE 'victim' IN p.roles") > 0
    # phones written three ways in different files are one node
    assert _count(db, "(p:Phone) WHERE NOT p.uid =~ 'phone:\\\\+[0-9]{8,15}'") == 0


def test_paid_amount_sums_transfers_and_weight_counts_them(db, scenario, tmp_path):
    path = scenario / "money_transfers.csv"
    load_file(db, "money_transfers", path, rejects_dir=tmp_path)
    rejected = set()
    for r in csv.DictReader(open(tmp_path / "money_transfers.csv.rejects.csv", encoding="utf-8")) if (
            tmp_path / "money_transfers.csv.rejects.csv").exists() else []:
        rejected.add(r["tx_id"])
    rows = [r for r in csv.DictReader(path.open(encoding="utf-8")) if r["tx_id"] not in rejected]
    got = db.read("MATCH ()-[r:PAID]->() RETURN sum(r.amount) AS amount, sum(r.weight) AS n")[0]
    assert got["n"] == len(rows)
    assert got["amount"] == pytest.approx(sum(float(r["amount"]) for r in rows))


def test_reload_is_idempotent_and_a_second_file_appends_its_ref(db, tmp_path):
    d = _write(tmp_path / "d.yaml", EDGES_DEF)
    one = _write(tmp_path / "one.csv", "source,target,weight,when\nA,B,2,05/03/2018\nB,C,1,\nC,A,,\n")
    two = _write(tmp_path / "two.csv", "source,target,weight\nB,A,3\nD,C,1\n")
    load_file(db, d, one)
    first = snapshot(db)
    s = load_file(db, d, one)
    assert s.skipped and snapshot(db) == first
    s = load_file(db, d, one, force=True)  # really merges every row again
    assert not s.skipped and s.nodes_created == 0 and s.relationships_created == 0
    assert s.nodes_matched == 3 and s.relationships_matched == 3
    assert snapshot(db) == first
    load_file(db, d, two)
    ab = db.read("MATCH (a:Person {uid: 't:A'})-[r:KNOWS]-(b:Person {uid: 't:B'}) RETURN r.src AS src, "
                 "r.weight AS w, r.date AS date, count(*) AS n")
    srcs = {r["uid"].split(":")[0] + ":" + r["name"]: r["uid"] for r in db.read(
        "MATCH (s:Source) RETURN s.uid AS uid, s.name AS name")}
    sid_one = next(v for k, v in srcs.items() if k.endswith("one.csv"))
    sid_two = next(v for k, v in srcs.items() if k.endswith("two.csv"))
    assert len(ab) == 1 and ab[0]["n"] == 1  # B,A in the second file is the same undirected tie
    assert sorted(ab[0]["src"]) == sorted([f"{sid_one}:2", f"{sid_two}:2"])
    assert ab[0]["w"] == 5.0 and ab[0]["date"] == "2018-03-05"
    assert db.read("MATCH (p:Person {uid: 't:B'}) RETURN p.src AS src")[0]["src"] == [
        f"{sid_one}:2", f"{sid_one}:3", f"{sid_two}:2"]
    after_two = snapshot(db)
    load_file(db, d, two, force=True)
    load_file(db, d, one, force=True)
    assert snapshot(db) == after_two
    # a relationship asserted by rows without weight counts its rows
    assert db.read("MATCH (:Person {uid: 't:A'})-[r]-(:Person {uid: 't:C'}) RETURN r.weight AS w")[0]["w"] == 1.0


def test_latin1_bom_semicolon_and_xlsx_files(db, tmp_path):
    d = _write(tmp_path / "d.yaml", EDGES_DEF)
    latin = _write(tmp_path / "latin.csv", "source;target\nJosé Müller;Ñoño\n", "cp1252")
    bom = _write(tmp_path / "bom.csv", "\ufeffsource,target\nSiti Aïsyah;x,Bapak Ucok\n", "utf-8")
    tabs = _write(tmp_path / "tabs.tsv", "source\ttarget\nA\tB\n")
    wb = openpyxl.Workbook()
    ws = wb.create_sheet("Ties")
    ws.append(["SOURCE ", "Target", "weight"])  # header case and spaces do not matter
    ws.append(["Ngurah", "Wayan", 4])
    wb.save(tmp_path / "ties.xlsx")
    for path in (latin, bom, tabs):
        assert load_file(db, d, path).rows_loaded == 1
    xd = read_definition(d)
    import dataclasses
    xlsx_def = dataclasses.replace(xd, sheet="Ties")
    assert load_file(db, xlsx_def, tmp_path / "ties.xlsx").rows_loaded == 1
    names = {r["n"] for r in db.read("MATCH (p:Person) RETURN p.name AS n")}
    assert names == {"José Müller", "Ñoño", "Siti Aïsyah;x", "Bapak Ucok", "A", "B", "Ngurah", "Wayan"}
    assert db.read("MATCH (:Person {uid: 't:Ngurah'})-[r]-() RETURN r.weight AS w")[0]["w"] == 4.0


def test_rejects_keep_every_bad_row_with_all_its_reasons(db, tmp_path):
    d = _write(tmp_path / "d.yaml", EDGES_DEF)
    data = _write(tmp_path / "data.csv",
                  "source,target,weight,when\nA,B,1,01/01/2018\n,B,1,\nA,C,x,31/02/2018\nC,D,2,\n,,,\n")
    s = load_file(db, d, data, rejects_dir=tmp_path / "rej")
    assert (s.rows_read, s.rows_loaded, s.rows_rejected) == (4, 2, 2)  # the empty line is not a row
    rows = list(csv.DictReader(open(tmp_path / "rej" / "data.csv.rejects.csv", encoding="utf-8")))
    assert [(r["row"], r["field"]) for r in rows] == [("3", "source"), ("4", "when; weight")]
    assert "node a has no key (column source is empty)" in rows[0]["reason"]
    assert "date '31/02/2018' does not match %d/%m/%Y" in rows[1]["reason"] and "'x' is not a number" in rows[1]["reason"]
    assert rows[1]["source"] == "A" and rows[1]["weight"] == "x" and rows[1]["file"] == str(data)
    assert _count(db, "(p:Person)") == 4 and _count(db, "()-[r]->()") == 2


def test_definition_error_is_caught_before_any_write(db, cli_env, tmp_path):
    bad = _write(tmp_path / "bad.yaml", EDGES_DEF.replace("type: KNOWS", "type: KNOWS_WELL"))
    data = _write(tmp_path / "data.csv", "source,target\nA,B\n")
    r = CliRunner().invoke(main, ["load", str(bad), str(data)], env=cli_env)
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert r.output.strip().splitlines() == [
        f"Error: {bad}, line 10: relationship: unknown relationship type 'KNOWS_WELL'; the schema has: "
        + r.output.split("the schema has: ")[1].strip()
    ]
    assert _count(db, "(n)") == 0
    with pytest.raises(DefinitionError) as e:
        load_file(db, bad, data)
    assert e.value.line == 10
    assert _count(db, "(n)") == 0


def test_missing_column_fails_before_any_write_and_lists_the_columns(db, cli_env, tmp_path):
    d = _write(tmp_path / "d.yaml", EDGES_DEF)
    data = _write(tmp_path / "data.csv", "source;destination\nA;B\n")
    with pytest.raises(InputFileError) as e:
        load_file(db, d, data)
    assert str(e.value) == (f"{data}: missing required column target (definition people_edges); "
                            "the columns found are: source, destination")
    r = CliRunner().invoke(main, ["load", str(d), str(data)], env=cli_env)
    assert r.exit_code == 1 and r.output.startswith("Error: ") and len(r.output.strip().splitlines()) == 1
    assert _count(db, "(n)") == 0


def _failing_after(n_ok: int, how):
    real = load_module.write_chunk
    calls = {"n": 0}

    def write_chunk(db, batch, counts, **kw):
        calls["n"] += 1
        if calls["n"] > n_ok:
            how(db)
        real(db, batch, counts, **kw)

    return write_chunk


def test_a_failure_midway_is_taken_back(db, tmp_path, monkeypatch):
    d = _write(tmp_path / "d.yaml", EDGES_DEF)
    before_file = _write(tmp_path / "before.csv", "source,target,weight\nA,B,2\n")
    load_file(db, d, before_file)
    before = snapshot(db)
    data = _write(tmp_path / "data.csv", "source,target,weight\nA,B,1\nB,C,1\nC,D,1\nD,E,1\n")
    # the second chunk meets a real server-side error (division by zero in Cypher)
    monkeypatch.setattr(load_module, "write_chunk", _failing_after(1, lambda db: db.write("RETURN 1 / $z", z=0)))
    with pytest.raises(GraphnetError, match="everything it wrote was taken back"):
        load_file(db, d, data, chunk_rows=2)
    assert snapshot(db) == before
    assert _count(db, "(s:Source)") == 1


def test_an_interrupted_load_rerun_gives_the_uninterrupted_graph(db, tmp_path, monkeypatch):
    d = _write(tmp_path / "d.yaml", EDGES_DEF)
    lines = ["source,target,weight"] + [f"P{i % 7},P{(i * 3) % 11},{i % 4 + 1}" for i in range(40)]
    data = _write(tmp_path / "data.csv", "\n".join(lines) + "\n")
    load_file(db, d, data, chunk_rows=6)
    uninterrupted = snapshot(db)
    db.write("MATCH (n) DETACH DELETE n")

    class Died(BaseException):
        """The process dies here (killed, power cut): nothing after this point runs, no compensation."""

    def crash(db):
        raise Died

    monkeypatch.setattr(load_module, "write_chunk", _failing_after(3, crash))
    with pytest.raises(Died):
        load_file(db, d, data, chunk_rows=6)
    assert db.read("MATCH (s:Source) RETURN s.status AS s") == [{"s": "loading"}]
    assert snapshot(db) != uninterrupted
    monkeypatch.undo()
    s = load_file(db, d, data, chunk_rows=6)
    assert s.resumed
    assert snapshot(db) == uninterrupted
    assert db.read("MATCH (s:Source) RETURN s.status AS s") == [{"s": "complete"}]


def test_unload_takes_a_file_back_out(db, tmp_path):
    d = _write(tmp_path / "d.yaml", EDGES_DEF)
    one = _write(tmp_path / "one.csv", "source,target,weight\nA,B,2\n")
    load_file(db, d, one)
    before = snapshot(db)
    two = _write(tmp_path / "two.csv", "source,target,weight\nB,A,3\nC,D,1\n")
    load_file(db, d, two)
    assert unload_file(db, d, two) == 2
    assert snapshot(db) == before


def test_followthemoney_entities(db, tmp_path):
    lines = [
        {"id": "p1", "schema": "Person", "properties": {"name": ["Siti Aminah", "Siti A."], "phone": ["0812-3456-7890"],
                                                         "birthDate": ["1999-08-05"]}},
        {"id": "p2", "schema": "Person", "properties": {"name": ["Budi Santoso"]}},
        {"id": "c1", "schema": "Company", "properties": {"name": ["PT Sinar Jaya"], "country": ["id"]}},
        {"id": "f1", "schema": "Family", "properties": {"person": ["p2"], "relative": ["p1"], "relationship": ["uncle"]}},
        {"id": "e1", "schema": "Employment", "properties": {"employee": ["p1"], "employer": ["c1"]}},
        {"id": "x1", "schema": "Airplane", "properties": {"name": ["PK-ABC"]}},
        {"id": "u1", "schema": "UnknownLink", "properties": {"subject": ["p1"], "object": ["nobody"]}},
    ]
    path = tmp_path / "ents.ftm.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\nnot json\n", encoding="utf-8")
    s = load_file(db, "ftm", path, rejects_dir=tmp_path)
    assert (s.rows_read, s.rows_loaded, s.rows_rejected) == (8, 5, 3)
    p1 = db.read("MATCH (p:Person {uid: 'ftm:p1'}) RETURN p.name AS n, p.aliases AS a, p.birth_date AS b")[0]
    assert p1 == {"n": "Siti Aminah", "a": ["Siti A."], "b": "1999-08-05"}
    assert _count(db, "(:Person {uid: 'ftm:p2'})-[:RELATIVE_OF {kinship: 'uncle'}]->(:Person {uid: 'ftm:p1'})") == 1
    assert _count(db, "(:Person {uid: 'ftm:p1'})-[:EMPLOYED_BY]->(:Organization)") == 1
    assert _count(db, "(:Person {uid: 'ftm:p1'})-[:USES]->(:Phone {uid: 'phone:+6281234567890'})") == 1
    rejects = list(csv.DictReader(open(tmp_path / "ents.ftm.jsonl.rejects.csv", encoding="utf-8")))
    assert [r["row"] for r in rejects] == ["6", "7", "8"]
    assert "'Airplane' is not mapped" in rejects[0]["reason"] and "'nobody' is not an entity" in rejects[1]["reason"]


def test_cli_loaders_and_plan(db, scenario, cli_env, tmp_path):
    r = CliRunner().invoke(main, ["loaders"], env=cli_env)
    assert r.exit_code == 0
    for name, desc in list_definitions():
        assert any(line.split()[0] == name and desc in line for line in r.output.splitlines())
    names = {n for n, _ in list_definitions()}
    assert {"police_cases", "victim_statements", "court_verdicts", "border_crossings", "lodging_guests",
            "passenger_lists", "phone_subscribers", "call_records", "money_transfers", "travel_documents",
            "shelter_intake", "edge_list", "node_table", "two_mode", "ftm"} <= names
    r = CliRunner().invoke(main, ["loaders", "--show", "edge_list"], env=cli_env)
    assert r.exit_code == 0 and r.output.startswith("name: edge_list")
    r = CliRunner().invoke(main, ["load", "--plan", str(scenario / "load-plan.yaml"), "--rejects", str(tmp_path)],
                           env=cli_env)
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    assert sum("rows read" in ln for ln in lines if not ln.startswith("total: ")) == 11
    assert lines[-1].startswith("total: ")
    assert _count(db, "(s:Source {status: 'complete'})") == 11


def test_the_readme_definition_example_works(db, tmp_path):
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("### A definition for a new spreadsheet", 1)[1]
    yaml_text = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    d = _write(tmp_path / "rescues.yaml", yaml_text)
    data = _write(tmp_path / "rescues.csv", "no;nama;nik;tgl_lahir;perekrut;hp_perekrut\n"
                  "1;Siti Aminah;6171054508990003;05/08/1999;Pak Udin;0812-3456-7890\n"
                  "2;Dewi;;31/02/2001;;\n")
    s = load_file(db, d, data, rejects_dir=tmp_path)
    assert (s.rows_loaded, s.rows_rejected) == (1, 1)
    assert _count(db, "(:Person {name: 'Pak Udin'})-[:RECRUITED]->(:Person {uid: 'ngo:1', birth_date: '1999-08-05'})") == 1
    assert _count(db, "(:Person {name: 'Pak Udin'})-[:USES]->(:Phone {uid: 'phone:+6281234567890'})") == 1
    bad = _write(tmp_path / "bad.yaml", yaml_text.replace("type: RECRUITED", "type: RECRUTED"))
    line = next(i for i, ln in enumerate(yaml_text.splitlines(), 1) if "type: RECRUITED" in ln)
    with pytest.raises(DefinitionError, match=rf"bad.yaml, line {line}: relationship: unknown relationship type 'RECRUTED'"):
        read_definition(bad)
    assert f"rescues.yaml, line {line}: relationship: unknown relationship type 'RECRUTED'" in readme


def test_namespace_option_keeps_two_agencies_records_apart(db, cli_env, tmp_path):
    d = _write(tmp_path / "d.yaml", EDGES_DEF)
    data = _write(tmp_path / "data.csv", "source,target\nA,B\n")
    for ns in ("north", "south"):
        r = CliRunner().invoke(main, ["load", str(d), str(data), "--namespace", ns], env=cli_env)
        assert r.exit_code == 0, r.output
    uids = sorted(r["u"] for r in db.read("MATCH (p:Person) RETURN p.uid AS u"))
    assert uids == ["north:A", "north:B", "south:A", "south:B"]
    sources = sorted(r["u"].split(":", 1)[1] for r in db.read("MATCH (s:Source) RETURN s.uid AS u"))
    assert sources == ["people_edges@north", "people_edges@south"]


@pytest.mark.parametrize("rtype", ["SAME_AS", "HYPOTHESIS"])
def test_a_definition_cannot_assert_merge_decisions_or_hypotheses(tmp_path, rtype):
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("### A definition for a new spreadsheet", 1)[1]
    yaml_text = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    bad = _write(tmp_path / "bad.yaml", yaml_text.replace("type: RECRUITED", f"type: {rtype}"))
    line = next(i for i, ln in enumerate(yaml_text.splitlines(), 1) if "type: RECRUITED" in ln)
    with pytest.raises(DefinitionError, match=rf"bad.yaml, line {line}: .*'{rtype}' is not evidence"):
        read_definition(bad)


def test_ftm_passport_and_account_merge_with_the_spreadsheet_ones(db, tmp_path):
    """Global identifiers are keyed alike whichever import brings them."""
    docs = _write(tmp_path / "travel_documents.csv",
                  "doc_no,kind,visa_type,holder_name,holder_nik,birth_date,issued_on,issuing_office,officer_name\n"
                  "b 123-4567,passport,,Siti Aminah,6171054508990003,1999-08-05,2018-01-02,Kantor Imigrasi Pontianak,Rudi\n")
    money = _write(tmp_path / "money_transfers.csv",
                   "tx_id,date,sender_name,sender_account,sender_bank,receiver_name,receiver_account,receiver_bank,amount,currency\n"
                   "T1,2018-03-01,Budi,123-456-789,bca,Udin,987 654 321,bri,1500000,IDR\n")
    ents = [
        {"id": "pp1", "schema": "Passport", "properties": {"number": ["B1234567"], "holder": ["p1"]}},
        {"id": "ba1", "schema": "BankAccount", "properties": {"accountNumber": ["123456789"], "bankName": ["BCA"]}},
    ]
    ftm = _write(tmp_path / "ents.ftm.jsonl", "".join(json.dumps(e) + "\n" for e in ents))
    load_file(db, "travel_documents", docs, rejects_dir=tmp_path)
    load_file(db, "money_transfers", money, rejects_dir=tmp_path)
    load_file(db, "ftm", ftm, rejects_dir=tmp_path)
    for label, number in (("Document", "B1234567"), ("Account", "123456789")):
        rows = db.read(f"MATCH (n:`{label}`) WHERE n.number = $n RETURN n.src AS src", n=number)
        assert len(rows) == 1, (label, rows)
        cited = {ref.split(":", 2)[1] for ref in rows[0]["src"]}  # "<sha16>:<definition>:<row>"
        assert "ftm" in cited and len(cited) == 2, (label, rows[0]["src"])
