"""Victims stay protected in every report and view that can be shared (real Neo4j, planted truth).

A synthetic scenario (graphnet.synth) goes through the real pipeline (load
plan, resolve); its truth file knows every victim's phone numbers, NIK and
passport number, whatever records the agencies hold of her. Redacted
reports and views must not contain any of them, in any form: not in a tie's
``via`` list, not in a case's ``people``, not in an unmerged record of hers,
not in a page title, not in an error's suggestions.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from graphnet.cli import main
from graphnet.evidence.redaction import phone_variants

synth = pytest.importorskip("graphnet.synth")
loading = pytest.importorskip("graphnet.loading")
resolution = pytest.importorskip("graphnet.resolution")

pytestmark = pytest.mark.neo4j
KEY = "shared-key"


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):
    folder = tmp_path_factory.mktemp("redaction-scenario")
    synth.generate(folder, seed=1, cases=8, syndicates=2, background=150)
    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    secrets = set()
    for p in truth["persons"].values():
        if "victim" in p["roles"]:
            secrets |= {x for x in (p["nik"], p["passport"]) if x}
            for phone in p["phones"]:
                secrets |= phone_variants(phone)
    return folder, sorted(secrets)


@pytest.fixture
def loaded(db, scenario):
    folder, secrets = scenario
    loading.load_plan(db, folder / "load-plan.yaml", rejects_dir=folder / "rejects")
    resolution.resolve(db)
    return secrets


def _leaks(text: str, secrets: list[str]) -> list[str]:
    return [s for s in secrets if s in text]


def test_redacted_reports_hold_no_victim_number(db, loaded, cli_env):
    env = {**cli_env, "GRAPHNET_REDACT_KEY": KEY}
    runner = CliRunner()
    plain = runner.invoke(main, ["report", "syndicates", "--format", "json"], env=env).output
    assert _leaks(plain, loaded), "the scenario's reports show victims' numbers when not redacted"
    for args in (["syndicates"], ["communities", "--runs", "2"], ["centrality", "--top", "200"],
                 ["brokers", "--top", "200"], ["behind", "police:POL-000001"]):
        r = runner.invoke(main, ["report", *args, "--redact", "--format", "json"], env=env)
        assert r.exit_code == 0, (args, r.output)
        assert _leaks(r.output, loaded) == [], args


def test_redacted_views_hold_no_victim_number(db, loaded, cli_env, tmp_path):
    env = {**cli_env, "GRAPHNET_REDACT_KEY": KEY}
    runner = CliRunner()
    victim = next(r["uid"] for r in db.read(
        "MATCH (p:Person) WHERE 'victim' IN p.roles AND (p)-[:USES]->(:Phone) RETURN p.uid AS uid ORDER BY uid LIMIT 1"))
    views = {
        "cases": ["--projection", "cases"],
        "persons": ["--projection", "persons"],
        "around": ["--around", victim, "--hops", "2"],
        "collapsed": ["--around", victim, "--hops", "2", "--collapse", "community"],
    }
    plain = tmp_path / "plain.html"
    assert runner.invoke(main, ["view", str(plain), "--projection", "cases"], env=env).exit_code == 0
    assert _leaks(plain.read_text(encoding="utf-8"), loaded), "the cases view shows victims' numbers when not redacted"
    for name, args in views.items():
        out = tmp_path / f"{name}.html"
        r = runner.invoke(main, ["view", str(out), *args, "--redact", "victims", "--limit", "5000"], env=env)
        assert r.exit_code == 0, (name, r.output)
        html = out.read_text(encoding="utf-8")
        assert _leaks(html, loaded) == [], name
        assert victim not in html, name  # not even her record uid (in the title, the footer, a tooltip)
    # a misspelt name: the suggestions name no victim
    name = db.read("MATCH (p:Person {uid: $uid}) RETURN p.name AS name", uid=victim)[0]["name"]
    r = runner.invoke(main, ["view", str(tmp_path / "x.html"), "--around", name[:-1], "--redact", "victims"], env=env)
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert name not in r.output and victim not in r.output and not _leaks(r.output, loaded)


def test_protection_follows_shared_identifiers_and_rewrites_every_list():
    """No database: a victim's unmerged lodging record sharing her phone is protected, a persons
    tie's ``via`` and a case's ``people`` name only pseudonyms, another person's uid stays."""
    import networkx as nx

    from graphnet.redact import Redactor, protection_of, redact_graph

    F = nx.MultiDiGraph()
    F.add_node("police:P1", label="Person", name="Siti Aminah", roles=["victim"], nik="6171014101990001")
    F.add_node("police:P10", label="Person", name="Budi Santoso", roles=["suspect"])
    F.add_node("lodging:Siti A|Losmen", label="Person", name="Siti A", phone="+6281234567890")
    F.add_node("phone:+6281234567890", label="Phone", number="+6281234567890")
    F.add_edge("police:P1", "phone:+6281234567890", type="USES")
    F.add_edge("police:P10", "police:P1", type="RECRUITED")
    protection = protection_of(F, Redactor(KEY))
    assert {"police:P1", "lodging:Siti A|Losmen", "phone:+6281234567890"} <= set(protection.mapping)
    assert "police:P10" not in protection.mapping
    P = nx.Graph()
    P.add_node("police:P10", label="Person", name="Budi Santoso")
    P.add_node("lodging:Siti A|Losmen", label="Person", name="Siti A", phone="+6281234567890")
    P.add_edge("police:P10", "lodging:Siti A|Losmen", via=["phone:+6281234567890"], type="CALLED")
    C = nx.Graph()
    C.add_node("case:1", label="Case", people=["police:P1", "police:P10"], title="LP/1 Siti Aminah")
    for G in (P, C):
        text = json.dumps(nx.node_link_data(redact_graph(G, Redactor(KEY), protection=protection), edges="links"))
        for secret in ("Siti A", "6171014101990001", "81234567890", "police:P1\""):
            assert secret not in text, (secret, text)
        assert "police:P10" in text and ("Budi Santoso" in text or G is C)  # others keep their uid and name


def test_a_victims_name_on_another_record_is_hidden_everywhere(db, loaded, cli_env, tmp_path):
    """A passenger or guest record bearing a victim's exact name, not merged with her: hidden in a
    bundle around it (her own records are not in the bundle) and in the redacted persons view."""
    from graphnet import evidence

    rows = db.read(
        "MATCH (v:Person) WHERE 'victim' IN v.roles WITH collect(DISTINCT v.name) AS names "
        "MATCH (p:Person) WHERE p.name IN names AND NOT 'victim' IN p.roles "
        "AND all(r IN coalesce(p.roles, []) WHERE r IN ['passenger', 'guest', 'subscriber']) "
        "AND NOT (p)-[:SAME_AS {status: 'applied'}]-(:Person) "
        "RETURN p.uid AS uid, p.name AS name ORDER BY uid")
    assert rows, "the scenario holds such a record"
    for row in rows[:3]:
        res = evidence.export(db, tmp_path / row["uid"].replace(":", "_").replace("|", "_"), around=row["uid"],
                              hops=1, pdf=False, redact="victims", redact_key=KEY)
        for name, data in evidence.custody.bundle_files(res.path).items():
            text = data.decode("utf-8", errors="ignore")
            assert row["name"] not in text and row["uid"] not in text, (row, name)
    out = tmp_path / "persons.html"
    r = CliRunner().invoke(main, ["view", str(out), "--projection", "persons", "--redact", "victims", "--limit", "5000"],
                           env={**cli_env, "GRAPHNET_REDACT_KEY": KEY})
    assert r.exit_code == 0, r.output
    html = out.read_text(encoding="utf-8")
    # a suspect or driver who happens to bear the same name keeps his own (a homonym, not her)
    kept = {r["name"] for r in db.read(
        "MATCH (p:Person) WHERE any(r IN coalesce(p.roles, []) WHERE NOT r IN ['victim', 'passenger', 'guest', "
        "'subscriber']) RETURN DISTINCT p.name AS name")}
    assert not [row for row in rows if row["uid"] in html or (row["name"] not in kept and f'"{row["name"]}"' in html)]


def test_a_record_proposed_as_a_victims_is_hidden_in_shared_views(db, loaded, cli_env, tmp_path):
    """A border crossing with a victim's name misspelt, her birth date and a passport nothing else links:
    resolution proposes (does not apply) that it is hers; redacted views and bundles hide it all the same."""
    from graphnet import evidence
    from graphnet.redact import Redactor, protection_in
    from graphnet.resolution.names import key_score, match_key

    victim = db.read("MATCH (v:Person) WHERE 'victim' IN v.roles AND v.birth_date IS NOT NULL AND v.name IS NOT NULL "
                     "RETURN v.uid AS uid, v.name AS name, toString(v.birth_date) AS born ORDER BY uid LIMIT 1")[0]
    *head, last = victim["name"].split()
    variants = [" ".join([*head, "".join("x" if 0 < i <= k else c for i, c in enumerate(last))]) for k in range(1, len(last))]
    # equal birth dates score 0.2 + 0.8 * name: a name score in [0.69, 0.89) is proposed, not applied
    misspelt = next(v for v in variants if 0.69 <= key_score(match_key(victim["name"]), match_key(v)) < 0.89)
    crossing = tmp_path / "border.csv"
    crossing.write_text("crossing_id,date,point,direction,passport_no,name,birth_date,nationality\n"
                        f"IMI-9999999,2019-03-02,Entikong,out,X9912345,{misspelt},{victim['born'][:10]},IDN\n",
                        encoding="utf-8")
    loading.load_file(db, "border_crossings", crossing)
    resolution.resolve(db)
    rows = db.read("MATCH (p:Person {passport: 'X9912345'})-[s:SAME_AS]-(v:Person {uid: $v}) "
                   "RETURN p.uid AS uid, s.status AS status", v=victim["uid"])
    assert [r["status"] for r in rows] == ["proposed"], rows
    uid = rows[0]["uid"]
    assert uid in protection_in(db, Redactor(KEY)).mapping
    out = tmp_path / "persons.html"
    r = CliRunner().invoke(main, ["view", str(out), "--projection", "persons", "--redact", "victims", "--limit", "5000"],
                           env={**cli_env, "GRAPHNET_REDACT_KEY": KEY})
    assert r.exit_code == 0, r.output
    html = out.read_text(encoding="utf-8")
    assert uid not in html and "X9912345" not in html and misspelt not in html
    res = evidence.export(db, tmp_path / "around", around=uid, hops=1, pdf=False, redact="victims", redact_key=KEY)
    for name, data in evidence.custody.bundle_files(res.path).items():
        text = data.decode("utf-8", errors="ignore")
        assert misspelt not in text and "X9912345" not in text, name
