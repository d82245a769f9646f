"""The published datasets load through shipped definitions, unchanged, with their stated counts.

Each expected figure is the one the dataset's source states (shared/datasets/README.md)
and is also recomputed here from the CSV itself with the csv module.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

from click.testing import CliRunner

from graphnet.cli import main
from graphnet.loading import load_file


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def _count(db, pattern: str) -> int:
    return db.read(f"MATCH {pattern} RETURN count(*) AS n")[0]["n"]


def _undirected(rows, s="source", t="target") -> set[frozenset[str]]:
    return {frozenset((r[s], r[t])) for r in rows}


def test_caviar_full_110_actors_205_ties_weights_kept(db, datasets, tmp_path):
    path = datasets / "caviar" / "caviar_full_undirected_edges.csv"
    summary = load_file(db, "caviar", path, rejects_dir=tmp_path)
    assert summary.rows_read == 205 and summary.rows_rejected == 0
    assert _count(db, "(p:Person)") == 110
    assert _count(db, "()-[r:CALLED]->()") == 205 == len(_undirected(_rows(path)))
    total = sum(float(r["weight"]) for r in _rows(path))
    assert db.read("MATCH ()-[r:CALLED]->() RETURN sum(r.weight) AS w")[0]["w"] == total
    # weights are numbers, not strings (weighted algorithms need that)
    assert db.read("MATCH ()-[r:CALLED]->() RETURN valueType(r.weight) AS t LIMIT 1")[0]["t"].startswith("FLOAT")


def test_caviar_phases_and_nodes_join_the_same_people(db, datasets, tmp_path):
    folder = datasets / "caviar"
    phases = _rows(folder / "caviar_phases_directed_edges.csv")
    load_file(db, "caviar_phases", folder / "caviar_phases_directed_edges.csv", rejects_dir=tmp_path)
    load_file(db, "caviar", folder / "caviar_full_undirected_edges.csv", rejects_dir=tmp_path)
    load_file(db, "caviar_directed", folder / "caviar_full_directed_edges.csv", rejects_dir=tmp_path)
    load_file(db, "caviar_nodes", folder / "caviar_nodes.csv", rejects_dir=tmp_path)
    assert _count(db, "(p:Person)") == 110
    got = {r["phase"]: r["n"] for r in db.read(
        "MATCH ()-[r:CALLED]->() WHERE r.phase IS NOT NULL RETURN r.phase AS phase, count(*) AS n")}
    assert got == {int(k): v for k, v in Counter(r["phase"] for r in phases).items()}
    assert len(got) == 11
    assert _count(db, "()-[r:CALLED {key: 'phase=3'}]->()") == sum(r["phase"] == "3" for r in phases)
    assert _count(db, "()-[r:CALLED {key: 'arcs=directed'}]->()") == 295
    assert _count(db, "()-[r:CALLED {key: ''}]->()") == 205
    serero = db.read("MATCH (p:Person {uid: 'caviar:n1'}) RETURN p.name AS name, p.group AS g, p.roles AS roles")
    assert serero == [{"name": "Daniel Serero", "g": "trafficker", "roles": ["Mastermind of the network"]}]


def test_mexico_34_people_225_ties_with_roles(db, datasets, tmp_path):
    folder = datasets / "human_trafficking_mexico"
    load_file(db, "mexico_ht", folder / "htm_edges.csv", rejects_dir=tmp_path)
    assert _count(db, "(p:Person)") == 34
    assert _count(db, "()-[r:ASSOCIATED_WITH]->()") == 225
    load_file(db, "mexico_ht_nodes", folder / "htm_nodes.csv", rejects_dir=tmp_path)
    assert _count(db, "(p:Person)") == 34
    nodes = _rows(folder / "htm_nodes.csv")
    # "victim-recruiter" (a victim who now recruits) is both roles
    roles = [r["role_en"].replace("victim-recruiter", "victim/recruiter") for r in nodes]
    expected = Counter(role for r in roles for role in r.split("/") if role)
    got = Counter(role for r in db.read("MATCH (p:Person) UNWIND p.roles AS role RETURN role") for role in [r["role"]])
    assert got == expected and got["recruiter"] > 0 and got["victim"] == 2
    # so redaction protects them
    from graphnet.redact import Redactor, protection_in

    victims = {f"mexico:{r['id']}" for r in nodes if r["role_en"] == "victim-recruiter"}
    assert set(protection_in(db, Redactor("k")).mapping) == victims


def test_krebs_62_people_152_ties(db, datasets, tmp_path):
    folder = datasets / "krebs_911"
    load_file(db, "krebs_911", folder / "krebs911_edges.csv", rejects_dir=tmp_path)
    load_file(db, "krebs_911_nodes", folder / "krebs911_nodes.csv", rejects_dir=tmp_path)
    assert _count(db, "(p:Person)") == 62
    assert _count(db, "()-[r:ASSOCIATED_WITH]->()") == 152
    groups = Counter(r["flight_group"] for r in _rows(folder / "krebs911_nodes.csv"))
    got = {r["g"]: r["n"] for r in db.read("MATCH (p:Person) RETURN p.group AS g, count(*) AS n")}
    assert got == dict(groups)


def test_montagna_meetings_101_256_and_phones_100_124(db, datasets, tmp_path):
    folder = datasets / "montagna"
    load_file(db, "montagna_meetings", folder / "montagna_meetings_edges.csv", rejects_dir=tmp_path)
    assert _count(db, "(p:Person)") == 101
    assert _count(db, "()-[r:MET]->()") == 256
    phones = _rows(folder / "montagna_phonecalls_edges.csv")
    load_file(db, "montagna_phones", folder / "montagna_phonecalls_edges.csv", rejects_dir=tmp_path)
    assert _count(db, "(p:Person)-[:CALLED]-()") > 0
    assert db.read("MATCH (p:Person) WHERE (p)-[:CALLED]-() RETURN count(p) AS n")[0]["n"] == 100
    assert _count(db, "()-[r:CALLED]->()") == 124
    assert db.read("MATCH ()-[r:CALLED]->() RETURN sum(r.weight) AS w")[0]["w"] == sum(float(r["weight"]) for r in phones)
    load_file(db, "montagna_nodes", folder / "montagna_nodes.csv", rejects_dir=tmp_path)
    ids = {r["id"] for r in _rows(folder / "montagna_nodes.csv")}
    ends = {r[k] for f in ("montagna_meetings_edges.csv", "montagna_phonecalls_edges.csv")
            for r in _rows(folder / f) for k in ("source", "target")}
    assert _count(db, "(p:Person)") == len(ids | ends)


def test_infinito_people_by_47_summits(db, datasets, tmp_path):
    path = datasets / "ndrangheta_infinito" / "infinito_person_summit_edges.csv"
    rows = _rows(path)
    load_file(db, "infinito", path, rejects_dir=tmp_path)
    assert _count(db, "(e:Event)") == 47
    assert _count(db, "()-[r:ATTENDED]->()") == 455 == len(rows)
    # the published matrix is 156 people x 47 summits; this edge list names the
    # people with at least one recorded attendance
    people = len({r["person"] for r in rows})
    assert _count(db, "(p:Person)") == people == 151


def test_noordin_79_typed_relations(db, datasets, tmp_path):
    folder = datasets / "noordin_top"
    rows = _rows(folder / "noordin79_edges_by_relation.csv")
    load_file(db, "noordin_relations", folder / "noordin79_edges_by_relation.csv", rejects_dir=tmp_path)
    rel = Counter(r["relation"] for r in rows)
    got = {r["t"]: r["n"] for r in db.read("MATCH ()-[r]->() RETURN type(r) AS t, count(*) AS n")}
    assert got == {
        "RELATIVE_OF": rel["kinship"],
        "KNOWS": rel["friendship"],
        "ASSOCIATED_WITH": len(rows) - rel["kinship"] - rel["friendship"],
    }
    assert sum(got.values()) == 1014
    training = db.read("MATCH ()-[r:ASSOCIATED_WITH {key: 'relation=trainingevents'}]->() RETURN count(*) AS n, "
                       "collect(DISTINCT r.relation) AS rel")[0]
    assert training == {"n": rel["trainingevents"], "rel": ["trainingevents"]}
    load_file(db, "noordin79_nodes", folder / "noordin79_nodes.csv", rejects_dir=tmp_path)
    assert _count(db, "(p:Person)") == 79  # one of the 79 has no tie in the relation file


def test_noordin_139_affiliations_people_and_attributes(db, datasets, tmp_path):
    folder = datasets / "noordin_top"
    rows = _rows(folder / "noordin139_person_affiliation_edges.csv")
    load_file(db, "noordin_affiliations", folder / "noordin139_person_affiliation_edges.csv", rejects_dir=tmp_path)
    assert _count(db, "(p:Person)") == len({r["person"] for r in rows})
    events = {"training_event", "meeting", "operation"}
    assert _count(db, "()-[:ATTENDED]->()") == sum(r["entity_type"] in events for r in rows)
    assert _count(db, "()-[:AFFILIATED_WITH]->()") == sum(r["entity_type"] not in events for r in rows)
    assert _count(db, "(n) WHERE NOT n:Person AND NOT n:Source") == len({(r["entity_type"], r["entity"]) for r in rows})
    assert _count(db, "(l:Location)") == len({r["entity"] for r in rows if r["entity_type"] == "logistical_place"})
    load_file(db, "noordin_relations", folder / "noordin139_person_person_edges.csv", rejects_dir=tmp_path)
    assert _count(db, "()-[r:RELATIVE_OF|KNOWS|ASSOCIATED_WITH]->()") == 736
    load_file(db, "noordin_nodes", folder / "noordin139_nodes.csv", rejects_dir=tmp_path)
    assert _count(db, "(p:Person)") == 139


def test_cli_loads_a_shared_dataset_unchanged(db, datasets, cli_env, tmp_path):
    path = datasets / "krebs_911" / "krebs911_edges.csv"
    r = CliRunner().invoke(main, ["load", "krebs_911", str(path), "--rejects", str(tmp_path)], env=cli_env)
    assert r.exit_code == 0, r.output
    assert "152 rows read, 152 loaded, 0 rejected" in r.output
    assert "relationships 152 created" in r.output
    again = CliRunner().invoke(main, ["load", "krebs_911", str(path)], env=cli_env)
    assert again.exit_code == 0 and "already loaded" in again.output
    assert _count(db, "()-[r:ASSOCIATED_WITH]->()") == 152


def test_undirected_ties_count_both_ways_in_brokers_and_draw_no_arrows(db, datasets, tmp_path):
    """CAVIAR's ties have no direction (`directed: false`): stored as such, the directed brokers
    report counts them both ways, and the view draws them without arrowheads."""
    import networkx as nx

    from graphnet.analytics import reports
    from graphnet.analytics.projections import project
    from graphnet.views.build import build_view

    folder = datasets / "caviar"
    load_file(db, "caviar", folder / "caviar_full_undirected_edges.csv", rejects_dir=tmp_path)
    load_file(db, "caviar_nodes", folder / "caviar_nodes.csv", rejects_dir=tmp_path)
    assert _count(db, "()-[r:CALLED {undirected: true}]->()") == 205
    U = nx.Graph((f"caviar:{r['source']}", f"caviar:{r['target']}")
                 for r in _rows(folder / "caviar_full_undirected_edges.csv"))
    triangles = nx.triangles(U)
    r = reports.brokers(db, group="group", top=110)
    assert len(r.rows) == 110
    for row in r.rows:
        k = U.degree(row["uid"])
        # open two-paths a-v-c (a, c not tied) in both orders: k(k-1) minus the tied pairs
        assert row["total"] == k * (k - 1) - 2 * triangles[row["uid"]], row["uid"]
        assert row["representative"] == row["gatekeeper"]  # only one-way ties tell these apart
    assert r.rows[0]["uid"] == "caviar:n1"  # Daniel Serero, the mastermind
    edges = build_view(project(db, "full")).edges
    assert len(edges) == 205 and not any("arrows" in e for e in edges)
    assert all(": " in e["title"] and " - " in e["title"].splitlines()[0] for e in edges)


def test_nameless_people_export_and_bundles_verify_from_any_folder(db, datasets, cli_env, tmp_path, monkeypatch):
    """Montagna has no names: the evidence bundle names people by uid. The file is loaded by a
    relative path, yet the bundle cites its absolute path, so it verifies from any folder."""
    import json

    monkeypatch.chdir(datasets)
    r = CliRunner().invoke(main, ["load", "montagna_meetings", "montagna/montagna_meetings_edges.csv",
                                  "--rejects", str(tmp_path)], env=cli_env)
    assert r.exit_code == 0, r.output
    absolute = str((datasets / "montagna" / "montagna_meetings_edges.csv").resolve())
    assert db.read("MATCH (s:Source) RETURN s.path AS p") == [{"p": absolute}]
    for typed in ("montagna/montagna_meetings_edges.csv", absolute):  # --source takes the path as typed too
        r = CliRunner().invoke(main, ["report", "centrality", "--source", typed, "--top", "3"], env=cli_env)
        assert r.exit_code == 0, r.output
    bundle = tmp_path / "bundle"
    r = CliRunner().invoke(main, ["evidence", "export", str(bundle), "--around", "montagna:N18", "--hops", "1"],
                           env=cli_env)
    assert r.exit_code == 0 and "Traceback" not in r.output, r.output
    html = (bundle / "report.html").read_text(encoding="utf-8")
    people = json.loads((bundle / "subgraph.json").read_text())["nodes"]
    assert len(people) > 1 and not any(p.get("name") for p in people)
    for p in people:  # each person's row shows the uid where the name would be
        assert f'<td class="mono">{p["id"]}</td><td>{p["id"]}</td>' in html
    assert (bundle / "report.pdf").read_bytes().startswith(b"%PDF")
    monkeypatch.chdir(tmp_path)
    r = CliRunner().invoke(main, ["evidence", "verify", str(bundle)], env=cli_env)
    assert r.exit_code == 0 and "1 cited source file(s) re-hashed" in r.output, r.output


def test_view_and_report_narrowed_to_one_dataset_agree(db, datasets, cli_env, tmp_path):
    """With two datasets in one database, `view --community N --source F` draws community N of
    `report communities --source F`, and nothing of the other dataset."""
    import json
    import re

    load_file(db, "krebs_911", datasets / "krebs_911" / "krebs911_edges.csv", rejects_dir=tmp_path)
    load_file(db, "mexico_ht", datasets / "human_trafficking_mexico" / "htm_edges.csv", rejects_dir=tmp_path)
    report = tmp_path / "c.json"
    r = CliRunner().invoke(main, ["report", "communities", "--source", "mexico_ht", "--format", "json", "-o",
                                  str(report)], env=cli_env)
    assert r.exit_code == 0, r.output
    first = json.loads(report.read_text(encoding="utf-8"))["sections"][0]
    members = {m["uid"] if isinstance(m, dict) else m for m in first.get("members") or first["people"]}
    out = tmp_path / "c.html"
    r = CliRunner().invoke(main, ["view", str(out), "--community", str(first["id"]), "--source", "mexico_ht"],
                           env=cli_env)
    assert r.exit_code == 0, r.output
    drawn = set(re.findall(r'"id": "(mexico:[^"]+|krebs:[^"]+)"', out.read_text(encoding="utf-8")))
    assert drawn == members and all(m.startswith("mexico:") for m in members)


def test_view_around_someone_a_filter_left_out_says_so(db, datasets, cli_env, tmp_path):
    load_file(db, "krebs_911", datasets / "krebs_911" / "krebs911_edges.csv", rejects_dir=tmp_path)
    load_file(db, "mexico_ht", datasets / "human_trafficking_mexico" / "htm_edges.csv", rejects_dir=tmp_path)
    r = CliRunner().invoke(main, ["view", str(tmp_path / "v.html"), "--around", "mexico:13", "--source", "krebs_911"],
                           env=cli_env)
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert "(the graph was narrowed by --source: it may be outside them)" in r.output
