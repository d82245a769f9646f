"""Investigator views without a browser: content, escaping, offline page, limits, collapse, CLI on a real Neo4j."""

from __future__ import annotations

import csv
import html
import html.parser
import itertools
import json
import random
import re

import networkx as nx
import pytest
from click.testing import CliRunner

from graphnet.cli import main
from graphnet.errors import GraphnetError
from graphnet.redact import Redactor
from graphnet.views import ViewTooLarge, build_view, collapse, render_view, write_view
from graphnet.views.page import csp_for, safe_json, vis_assets
from graphnet.views.build import node_sizes

from views_data import REL_ROW, SOURCE, SOURCE_PATH, VICTIM_NAME, XSS_IMG, XSS_SCRIPT, edges_of, write_scenario


class _Parser(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.scripts: list[tuple[dict, str]] = []
        self._in_script: dict | None = None
        self._buf: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        a = dict(attrs)
        for key in ("src", "href", "action", "data", "poster", "srcset"):
            if a.get(key):
                self.urls.append(a[key])
        if tag == "script":
            self._in_script, self._buf = a, []

    def handle_data(self, data):
        if self._in_script is not None:
            self._buf.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._in_script is not None:
            self.scripts.append((self._in_script, "".join(self._buf)))
            self._in_script = None


def _parse(page: str) -> _Parser:
    p = _Parser()
    p.feed(page)
    return p


def _data(page: str) -> dict:
    scripts = _parse(page).scripts
    (block,) = [text for attrs, text in scripts if attrs.get("id") == "graphnet-data"]
    return json.loads(block)


def _scenario_graph() -> nx.MultiDiGraph:
    from views_data import NODES, RELS

    G = nx.MultiDiGraph()
    for row, (label, uid, props) in enumerate(NODES, 2):
        G.add_node(uid, label=label, src=[f"{SOURCE}:{row}"], **props)
    for row, (t, a, b, props) in enumerate(RELS, 2):
        G.add_edge(a, b, type=t, src=[f"{SOURCE}:{row}"], weight=props.get("weight", 1.0), **{k: v for k, v in props.items() if k != "weight"})
    return G


# ---------------------------------------------------------------- pure functions


def test_page_is_offline_and_self_contained():
    page = render_view(_scenario_graph(), title="offline")
    p = _parse(page)
    assert p.urls == [], f"the page references resources: {p.urls}"
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", page, re.I)
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", page, re.I), "CSS fetches a remote resource"
    assert "@import" not in page
    version, js, css = vis_assets()
    assert js in page and css in page and version.startswith("9.")
    assert "cdnjs" not in page and "jsdelivr" not in page and "bootstrap" not in page


def test_csp_allows_exactly_the_pages_own_scripts():
    page = render_view(_scenario_graph())
    p = _parse(page)
    executable = [text for attrs, text in p.scripts if attrs.get("type") != "application/json"]
    assert len(executable) == 2
    csp = html.unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1))
    assert csp == csp_for(executable)
    assert "connect-src 'none'" in csp and "default-src 'none'" in csp and "unsafe-inline" not in csp.split("style-src")[0]


def test_hostile_names_are_data_not_markup():
    page = render_view(_scenario_graph())
    assert XSS_IMG not in page and XSS_SCRIPT not in page
    assert page.lower().count("</script") == len(_parse(page).scripts)
    data = _data(page)
    names = {n["id"]: n["label"] for n in data["nodes"]}
    assert names["police:V2"] == XSS_IMG and XSS_SCRIPT[:10] in names["lodging:L1"]
    # tooltips are plain text, shown with innerText by vis-network and textContent by view.js
    assert XSS_IMG in next(n["title"] for n in data["nodes"] if n["id"] == "police:V2")
    from importlib import resources

    assert "innerHTML" not in resources.files("graphnet").joinpath("assets", "view.js").read_text(encoding="utf-8")


def test_safe_json_round_trips_and_escapes():
    value = {"a": "</script><!-- & \u2028 >"}
    text = safe_json(value)
    assert not set("<>&\u2028") & set(text)
    assert json.loads(text) == value


def test_styles_tooltips_and_sources():
    G = _scenario_graph()
    net = build_view(G, sources={SOURCE: SOURCE_PATH}, hypotheses=True)
    nodes = {n["id"]: n for n in net.nodes}
    assert nodes["police:V1"]["kind"] == "victim" and nodes["police:R1"]["kind"] == "recruiter"
    assert nodes["police:O1"]["kind"] == "organiser" and nodes["police:O1"]["shape"] == "star"
    assert nodes["lodging:L1"]["shape"] == "diamond" and nodes["phone:+6281234567890"]["shape"] == "triangle"
    assert nodes["court:C1"]["borderWidth"] == 5 and nodes["court:C1"]["label"].startswith("\u2696")
    edges = {(e["from"], e["to"], e["type"]): e for e in net.edges}
    rec = edges[("police:R1", "police:V1", "RECRUITED")]
    assert f"{SOURCE_PATH}, row {REL_ROW[('RECRUITED', 'police:R1', 'police:V1')]}" in rec["title"]
    hyp = edges[("police:O1", "court:C1", "HYPOTHESIS")]
    assert hyp["dashes"] and hyp["label"] == "hypothesis" and hyp["color"]["color"] == "#9e9e9e"
    assert "not evidence" in hyp["title"]
    assert rec.get("dashes") in (None, False)
    kinds = {i["kind"] for i in net.graphnet["legend"]["nodes"]}
    assert kinds == {n["kind"] for n in net.nodes}
    assert any(e["layer"] == "hypothesis" for e in net.graphnet["legend"]["edges"])


def test_hypotheses_hidden_unless_asked():
    G = _scenario_graph()
    assert not [e for e in build_view(G).edges if e["type"] == "HYPOTHESIS"]
    net = build_view(nx.MultiDiGraph(G.edges("police:R1", data=True)), hypotheses=[("police:R1", "police:V1", 0.42)])
    (hyp,) = [e for e in net.edges if e["type"] == "HYPOTHESIS"]
    assert "score: 0.42" in hyp["title"]


def test_size_by_follows_networkx_measures():
    G = nx.karate_club_graph()
    for measure, reference in (("degree", dict(G.degree())), ("betweenness", nx.betweenness_centrality(G)), ("pagerank", nx.pagerank(G))):
        sizes, note = node_sizes(G, measure)
        top = max(reference, key=reference.get)
        assert sizes[top] == 40.0, measure
        order = sorted(G, key=lambda n: (reference[n], n))
        assert [sizes[n] for n in order] == sorted(sizes[n] for n in order), measure
    with pytest.raises(GraphnetError, match="cannot size nodes by 'nope'"):
        node_sizes(G, "nope")


def test_limit_refuses_and_names_the_count(tmp_path):
    G = nx.path_graph(30)
    with pytest.raises(ViewTooLarge, match=r"would draw 30 nodes, over the limit of 10.*--collapse"):
        write_view(G, tmp_path / "big.html", limit=10)
    assert not (tmp_path / "big.html").exists()


def test_redaction_removes_victim_names_and_identifiers():
    page = render_view(_scenario_graph(), redact=Redactor(b"k"))
    assert VICTIM_NAME not in page and "6171014101990001" not in page and "+6281234567890" not in page
    pseudonym = Redactor(b"k").pseudonym("police:V1")
    assert pseudonym in page and "Budi Santoso" in page


def test_collapse_community_against_louvain():
    G = nx.karate_club_graph()
    parts = nx.community.louvain_communities(G, weight="weight", seed=3)
    H = collapse(G, "community", seed=3)
    big = [p for p in parts if len(p) > 1]
    assert H.number_of_nodes() == len(big) + sum(1 for p in parts if len(p) == 1)
    sizes = sorted(len(d["members"]) for _, d in H.nodes(data=True) if d.get("collapsed"))
    assert sizes == sorted(len(p) for p in big)
    between = sum(1 for u, v in G.edges() if not any(u in p and v in p for p in parts))
    assert sum(d["ties"] for *_, d in H.edges(data=True)) == between
    assert "seed 3" in H.graph["collapse"]
    build_view(H)  # draws
    from graphnet.views.build import _node_title

    gid, data = next((n, d) for n, d in H.nodes(data=True) if d.get("collapsed"))
    assert "type: community (collapsed)" in _node_title(gid, data, None)


def test_collapse_lodging_absorbs_only_guests_tied_to_nothing_else():
    G = _scenario_graph()
    H = collapse(G, "lodging")
    assert "lodging:G1" not in H and "police:V1" in H and "police:V2" in H
    assert H.nodes["lodging:L1"]["members"] == ["lodging:G1"] and H.nodes["lodging:L1"]["label"] == "Lodging"
    with pytest.raises(GraphnetError, match="cannot collapse by 'x'"):
        collapse(G, "x")


def test_notebook_network_is_pyvis_and_renders_offline(tmp_path):
    from pyvis.network import Network

    net = build_view(_scenario_graph())
    assert isinstance(net, Network)
    assert net.generate_html() == net.html and "cdnjs" not in net.html
    assert "srcdoc=" in net._repr_html_()


# ---------------------------------------------------------------- real Neo4j, CLI


def _run(cli_env, *args):
    return CliRunner().invoke(main, list(args), env=cli_env, catch_exceptions=False)


def test_cli_view_around_matches_hand_computed_neighbourhood(db, cli_env, tmp_path):
    write_scenario(db)
    out = tmp_path / "around.html"
    r = _run(cli_env, "view", str(out), "--around", "police:R1", "--hops", "1", "--size-by", "degree")
    assert r.exit_code == 0, r.output
    data = _data(out.read_text(encoding="utf-8"))
    expected = {"police:R1"} | edges_of("police:R1")
    assert {n["id"] for n in data["nodes"]} == expected
    assert not [e for e in data["edges"] if e["type"] == "HYPOTHESIS"]
    rec = next(e for e in data["edges"] if e["type"] == "RECRUITED" and e["to"] == "police:V1")
    assert f"{SOURCE_PATH}, row {REL_ROW[('RECRUITED', 'police:R1', 'police:V1')]}" in rec["title"]
    assert f"wrote {out}: {len(expected)} nodes" in r.output


def test_cli_view_by_name_with_window_and_path(db, cli_env, tmp_path):
    write_scenario(db)
    out = tmp_path / "p.html"
    r = _run(cli_env, "view", str(out), "--path", "Agus", "Haji Salim")
    assert r.exit_code == 0, r.output
    ids = {n["id"] for n in _data(out.read_text(encoding="utf-8"))["nodes"]}
    assert ids == {"police:D1", "police:V1", "police:R1", "police:O1"}
    r = _run(cli_env, "view", str(out), "--around", "police:R1", "--since", "2018-02-15")
    assert r.exit_code == 0, r.output
    ids = {n["id"] for n in _data(out.read_text(encoding="utf-8"))["nodes"]}
    assert "police:V2" in ids and "police:V1" not in ids  # the Feb 1 recruitment is outside the window


def test_cli_view_errors_are_one_line(db, cli_env, tmp_path):
    write_scenario(db)
    out = tmp_path / "x.html"
    r = _run(cli_env, "view", str(out), "--projection", "full", "--limit", "3")
    assert r.exit_code == 1 and "would draw 10 nodes, over the limit of 3" in r.output
    assert "Traceback" not in r.output and not out.exists()
    r = _run(cli_env, "view", str(out), "--around", "nobody-here")
    assert r.exit_code == 1 and "nobody-here" in r.output and "Traceback" not in r.output
    r = _run(cli_env, "view", str(out), "--projection", "full", "--redact", "victims")
    assert r.exit_code == 1 and "GRAPHNET_REDACT_KEY" in r.output
    r = _run(cli_env, "view", str(out), "--projection", "full", "--collapse", "lodging", "--limit", "9")
    assert r.exit_code == 0, r.output
    nodes = {n["id"]: n for n in _data(out.read_text(encoding="utf-8"))["nodes"]}
    assert len(nodes) == 9 and "lodging:G1" not in nodes  # the guest tied to nothing else is counted on the lodging
    assert nodes["lodging:L1"]["label"].endswith("+ 1 guest")


def test_cli_view_redacted_page_has_no_victim_name(db, cli_env, tmp_path):
    write_scenario(db)
    out = tmp_path / "r.html"
    r = _run(cli_env, "view", str(out), "--projection", "full", "--redact", "victims", "--redact-key", "case-key")
    assert r.exit_code == 0, r.output
    page = out.read_text(encoding="utf-8")
    assert VICTIM_NAME not in page and "6171014101990001" not in page
    assert Redactor("case-key").pseudonym("police:V1") in page


def test_shared_dataset_mexico_sized_by_betweenness(db, cli_env, tmp_path, datasets):
    from analytics_data import write_edge_list

    edges = datasets / "human_trafficking_mexico" / "htm_edges.csv"
    write_edge_list(db, edges, weight=False, prefix="htm:")
    with open(edges, newline="", encoding="utf-8") as f:
        ref = nx.Graph((f"htm:{r['source']}", f"htm:{r['target']}") for r in csv.DictReader(f))
    out = tmp_path / "mexico.html"
    r = _run(cli_env, "view", str(out), "--projection", "full", "--size-by", "betweenness")
    assert r.exit_code == 0, r.output
    data = _data(out.read_text(encoding="utf-8"))
    assert len(data["nodes"]) == ref.number_of_nodes() == 34
    bc = nx.betweenness_centrality(ref)
    biggest = max(data["nodes"], key=lambda n: n["size"])["id"]
    assert bc[biggest] == max(bc.values())


def test_cli_view_community_and_syndicate_agree_with_the_reports(db, cli_env, tmp_path):
    write_scenario(db)
    report = tmp_path / "communities.json"
    r = _run(cli_env, "report", "communities", "--seed", "0", "--format", "json", "-o", str(report))
    assert r.exit_code == 0, r.output
    sections = json.loads(report.read_text(encoding="utf-8"))["sections"]
    first = sections[0]
    members = set(first["members"]) if "members" in first else {m["uid"] if isinstance(m, dict) else m for m in first["people"]}
    out = tmp_path / "community.html"
    r = _run(cli_env, "view", str(out), "--community", str(first["id"]), "--seed", "0")
    assert r.exit_code == 0, r.output
    assert {n["id"] for n in _data(out.read_text(encoding="utf-8"))["nodes"]} == members
    # the ids of a report with fewer runs (what the communities guard offers on a big graph) draw the same people
    r = _run(cli_env, "report", "communities", "--seed", "2", "--runs", "3", "--format", "json", "-o", str(report))
    assert r.exit_code == 0, r.output
    for section in json.loads(report.read_text(encoding="utf-8"))["sections"][:3]:
        r = _run(cli_env, "view", str(out), "--community", str(section["id"]), "--seed", "2", "--runs", "3")
        assert r.exit_code == 0, r.output
        assert {n["id"] for n in _data(out.read_text(encoding="utf-8"))["nodes"]} == set(section["members"])

    report = tmp_path / "syndicates.json"
    r = _run(cli_env, "report", "syndicates", "--seed", "0", "--format", "json", "-o", str(report))
    assert r.exit_code == 0, r.output
    (s1, *_) = json.loads(report.read_text(encoding="utf-8"))["sections"]
    out = tmp_path / "syndicate.html"
    r = _run(cli_env, "view", str(out), "--syndicate", s1["id"])
    assert r.exit_code == 0, r.output
    nodes = {n["id"]: n for n in _data(out.read_text(encoding="utf-8"))["nodes"]}
    convicts = {p["uid"] for p in s1["convicted"]}
    candidates = {c["uid"] for c in s1["candidates"]}
    assert convicts and convicts | candidates <= set(nodes)
    assert all(nodes[c]["borderWidth"] == 5 for c in convicts)
    assert all(nodes[c]["kind"] == "organiser" for c in candidates)
    r = _run(cli_env, "view", str(out), "--syndicate", "S99")
    assert r.exit_code == 1 and "no syndicate 'S99'" in r.output


def test_cli_view_around_a_victim_does_not_name_her_when_redacted(db, cli_env, tmp_path):
    write_scenario(db)
    out = tmp_path / "v.html"
    r = _run(cli_env, "view", str(out), "--around", "police:V1", "--redact", "victims", "--redact-key", "k")
    assert r.exit_code == 0, r.output
    page = out.read_text(encoding="utf-8")
    assert "police:V1" not in page and VICTIM_NAME not in page and "police:V1" not in r.output
    assert f"around {Redactor('k').pseudonym('police:V1')}" in page


def test_same_graph_same_seed_same_page():
    G = nx.barabasi_albert_graph(300, 2, seed=5)  # above the precomputed-layout threshold
    nx.set_node_attributes(G, "Person", "label")
    a = render_view(G, seed=3, made="see manifest")
    assert a == render_view(G, seed=3, made="see manifest")
    xs = [n["x"] for n in _data(a)["nodes"]]
    assert len(set(xs)) > 250 and "see manifest" in a
    assert _data(render_view(G, seed=4, made="x"))["nodes"][0]["x"] != _data(a)["nodes"][0]["x"]


def test_redacted_view_names_shared_identifiers_by_pseudonym():
    G = nx.Graph()
    G.add_node("a", label="Person", name="Budi", roles=["recruiter"])
    G.add_node("b", label="Person", name="Siti", roles=["victim"])
    G.add_edge("a", "b", type="SHARED", via=["phone:+6281234567890", "lodging:Kos Melati"], weight=1.0)
    page = render_view(G, redact=Redactor(b"k"))
    assert "+6281234567890" not in page and "Siti" not in page
    assert Redactor(b"k").pseudonym("phone:+6281234567890", "PHO-") in page and "lodging:Kos Melati" in page
    assert "+6281234567890" in render_view(G)  # without redaction the investigator sees it


def test_cli_view_hypotheses_only_when_asked(db, cli_env, tmp_path):
    write_scenario(db)
    out = tmp_path / "h.html"
    r = _run(cli_env, "view", str(out), "--around", "police:O1")
    assert r.exit_code == 0, r.output
    data = _data(out.read_text(encoding="utf-8"))
    assert "court:C1" not in {n["id"] for n in data["nodes"]}  # only the hypothesis ties O1 to C1
    r = _run(cli_env, "view", str(out), "--around", "police:O1", "--hypotheses")
    assert r.exit_code == 0, r.output
    data = _data(out.read_text(encoding="utf-8"))
    (hyp,) = [e for e in data["edges"] if e["type"] == "HYPOTHESIS"]
    assert {hyp["from"], hyp["to"]} == {"police:O1", "court:C1"} and hyp["dashes"] and hyp["label"] == "hypothesis"
    assert "score: 0.7" in hyp["title"] and "not evidence" in hyp["title"]


def test_communities_are_visible_as_border_or_fill():
    G = nx.karate_club_graph()
    parts = nx.community.louvain_communities(G, seed=1)
    by_border = {n["id"]: n["color"]["border"] for n in build_view(G, communities=parts).nodes}
    net = build_view(G, communities=parts, color_by="community")
    by_fill = {n["id"]: n["color"]["background"] for n in net.nodes}
    for colours in (by_border, by_fill):
        for p in parts:
            assert len({colours[str(n)] for n in p}) == 1
        assert len({colours[str(next(iter(p)))] for p in parts}) == min(len(parts), 10)
    assert net.graphnet["communities"] == [str(i) for i in range(len(parts))]
    assert "coloured border: community" in render_view(G, communities=parts)


def test_a_view_around_projects_only_the_neighbourhood_and_draws_the_same_graph(db, tmp_path):
    """``--around`` a record: the database's neighbourhood within --hops (merged records with it) is projected
    alone, and the view's graph equals around() of the whole full projection, node and tie data included, on
    a resolved synthetic scenario: merged records, people, a phone; 0 to 2 hops; with and without a window."""
    from graphnet import synth
    from graphnet.analytics import projections
    from graphnet.errors import NotFound
    from graphnet.loading import load_plan
    from graphnet.resolution import applied_clusters, resolve
    from graphnet.views import select

    synth.generate(tmp_path / "s", seed=5, cases=6, syndicates=2, background=120)
    load_plan(db, tmp_path / "s" / "load-plan.yaml", rejects_dir=tmp_path)
    resolve(db)
    canon = applied_clusters(db)
    merged = sorted(u for u, c in canon.items() if u != c)[:2]  # records merged into another one
    assert len(merged) == 2
    whole = {None: projections.project(db, "full")}
    whole["2018-03-01"] = projections.project(db, "full", since="2018-03-01")
    people = sorted(n for n, d in whole[None].nodes(data=True) if d.get("label") == "Person")
    phone = next(n for n, d in whole[None].nodes(data=True) if d.get("label") == "Phone")
    centers = [*merged, people[len(people) // 3], people[2 * len(people) // 3], phone]

    def dump(G):
        nodes = sorted(json.dumps([n, d], sort_keys=True, default=str) for n, d in G.nodes(data=True))
        ties = sorted(json.dumps([u, v, k, d], sort_keys=True, default=str) for u, v, k, d in G.edges(keys=True, data=True))
        return nodes, ties

    compared = 0
    for since, W in whole.items():
        for ref in centers:
            for hops in (0, 1, 2):
                try:
                    want = dump(select.around(W, projections.find_node(W, ref), hops))
                except NotFound as e:  # outside the window: the same message
                    with pytest.raises(NotFound, match=re.escape(str(e))):
                        select.view_graph(db, around_ref=ref, hops=hops, since=since)
                    continue
                got, _ = select.view_graph(db, around_ref=ref, hops=hops, since=since)
                assert dump(got) == want, (ref, hops, since)
                compared += 1
    assert compared >= 25
    within = select.neighbourhood(db, people[0], 1)
    assert within and people[0] in within and len(within) < whole[None].number_of_nodes() / 10
    assert select.neighbourhood(db, "no such record", 1) is None  # a name: the whole projection finds it


def test_a_view_path_projects_only_the_records_around_both_ends_and_draws_the_same_chains(db, tmp_path, monkeypatch):
    """``--path A B`` between two records: balls grown in the database around both ends are projected alone,
    and the view's graph equals between() on the whole full projection (node and tie data, and which chains),
    on a resolved synthetic scenario: merged records, people near and far, a phone; with and without a window."""
    from graphnet import synth
    from graphnet.analytics import projections
    from graphnet.errors import NotFound
    from graphnet.loading import load_plan
    from graphnet.resolution import applied_clusters, resolve
    from graphnet.views import select

    synth.generate(tmp_path / "s", seed=5, cases=6, syndicates=2, background=120)
    load_plan(db, tmp_path / "s" / "load-plan.yaml", rejects_dir=tmp_path)
    resolve(db)
    canon = applied_clusters(db)
    merged = sorted(u for u, c in canon.items() if u != c)[:2]
    whole = {None: projections.project(db, "full")}
    whole["2018-03-01"] = projections.project(db, "full", since="2018-03-01")
    people = sorted(n for n, d in whole[None].nodes(data=True) if d.get("label") == "Person")
    phone = next(n for n, d in whole[None].nodes(data=True) if d.get("label") == "Phone")
    ends = [*merged, phone, *(people[len(people) * i // 6] for i in range(1, 6)), people[-1]]
    pairs = list(itertools.combinations(ends, 2))

    projected = []
    real_project = projections.project

    def counting(*args, **kwargs):  # the real projection, its size noted
        G = real_project(*args, **kwargs)
        projected.append(G.number_of_nodes())
        return G

    monkeypatch.setattr(projections, "project", counting)

    def dump(G):
        nodes = sorted(json.dumps([n, d], sort_keys=True, default=str) for n, d in G.nodes(data=True))
        ties = sorted(json.dumps([u, v, k, d], sort_keys=True, default=str) for u, v, k, d in G.edges(keys=True, data=True))
        return nodes, ties, G.graph.get("paths")

    compared = narrowed = refused = 0
    for since, W in whole.items():
        for a, b in pairs:
            try:
                want = dump(select.between(W, projections.find_node(W, a), projections.find_node(W, b)))
            except NotFound as e:  # no chain, or an end outside the window: the same message
                with pytest.raises(NotFound, match=re.escape(str(e))):
                    select.view_graph(db, path=[a, b], since=since)
                refused += 1
                continue
            projected.clear()
            got, meta = select.view_graph(db, path=[a, b], since=since)
            assert dump(got) == want, (a, b, since)
            assert meta["path"].endswith(f"{want[2]} shortest chain(s)")
            compared += 1
            narrowed += max(projected) < W.number_of_nodes() / 2
    assert compared >= 20 and refused >= 5 and narrowed >= compared // 2, (compared, refused, narrowed)


def test_the_chains_a_path_view_shows_do_not_depend_on_the_order_records_came_in():
    """More shortest chains than a view shows (a grid): the ones shown are the same whatever the insertion order."""
    from graphnet.views import select

    grid = nx.grid_2d_graph(6, 6)
    edges = [(f"n{u[0]}{u[1]}", f"n{v[0]}{v[1]}") for u, v in grid.edges]
    shown = set()
    for seed in range(5):
        random.Random(seed).shuffle(edges)
        G = nx.MultiDiGraph()
        G.add_edges_from((v, u) if i % 2 else (u, v) for i, (u, v) in enumerate(edges))
        H = select.between(G, "n00", "n55")
        assert H.graph["paths"] == 25  # of the 252 shortest chains
        shown.add(tuple(sorted(map(tuple, map(sorted, H.edges())))))
    assert len(shown) == 1


def test_a_path_view_in_a_window_grows_past_the_shortcut_the_window_leaves_out(db):
    """A and B meet in the database through X (2017 calls), but --since 2018-03-01 leaves only two 4-tie chains:
    the balls grow until the window's projection joins them, and the view shows both chains, as the whole does."""
    from analytics_data import write_graph
    from graphnet.analytics import projections
    from graphnet.views import select

    names = ["A", "B", "X", "P1", "P2", "P3", "Q1", "Q2", "Q3", "Z"]
    nodes = [("Person", f"t:{n}", {"name": f"Name {n}"}) for n in names]
    old = [("A", "X"), ("X", "B")]
    new = [("A", "P1"), ("P1", "P2"), ("P2", "P3"), ("P3", "B"), ("A", "Q1"), ("Q1", "Q2"), ("Q2", "Q3"), ("Q3", "B"),
           ("B", "Z")]
    rels = [("CALLED", f"t:{u}", f"t:{v}", {"date": "2017-01-01"}) for u, v in old]
    rels += [("CALLED", f"t:{u}", f"t:{v}", {"date": "2019-05-01"}) for u, v in new]
    write_graph(db, nodes, rels)
    for since, chains in ((None, 1), ("2018-03-01", 2)):
        W = projections.project(db, "full", since=since)
        want = select.between(W, "t:A", "t:B")
        got, meta = select.view_graph(db, path=["t:A", "t:B"], since=since)
        assert sorted(got.nodes) == sorted(want.nodes) and sorted(got.edges) == sorted(want.edges)
        assert got.graph["paths"] == chains and "t:Z" not in got
    assert sorted(got) == ["t:A", "t:B", "t:P1", "t:P2", "t:P3", "t:Q1", "t:Q2", "t:Q3"]
