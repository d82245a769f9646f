"""Projections from the real Neo4j: ties, rarity weights, merges, filters (hand-computed graphs)."""

from __future__ import annotations

import json

import networkx as nx
import pytest
from click.testing import CliRunner

import random

from graphnet.analytics.projections import find_node, nearest, paths, project
from graphnet.cli import main
from graphnet.errors import GraphnetError, NotFound
from graphnet.reporting import person_info

from analytics_data import SOURCE, write_graph

P = "t:"


def scenario(db):
    """Two small cases whose convicts share an organiser who is in no case file."""
    people = {
        "P1": ["recruiter"], "P1b": ["defendant"], "V1": ["victim"], "P2": ["recruiter"],
        "V2": ["victim"], "O": [], "X": ["lodging_operator"], "F": ["official"],
    }
    nodes = [("Person", P + k, {"name": f"Name {k}", "roles": v}) for k, v in people.items()]
    nodes[0][2]["nik"] = "3171010101900001"
    nodes += [
        ("Case", P + "C1", {"number": "C1/2020", "province": "Jawa Barat"}),
        ("Case", P + "C2", {"number": "C2/2021", "province": "Kalimantan Barat"}),
        ("Lodging", P + "L1", {}),
        ("Phone", "phone:+628111", {}), ("Phone", "phone:+628222", {}),
        ("Document", "doc:passport:D1", {}), ("Document", "doc:passport:D2", {}),
    ]
    rels = [
        ("INVOLVED_IN", P + "P1", P + "C1", {"role": "suspect"}),
        ("INVOLVED_IN", P + "V1", P + "C1", {"role": "victim"}),
        ("CONVICTED_IN", P + "P1b", P + "C1", {}),
        ("INVOLVED_IN", P + "P2", P + "C2", {"role": "suspect"}),
        ("CONVICTED_IN", P + "P2", P + "C2", {}),
        ("INVOLVED_IN", P + "V2", P + "C2", {"role": "victim"}),
        ("RECRUITED", P + "P1", P + "V1", {"date": "2020-01-10"}),
        ("RECRUITED", P + "P2", P + "V2", {"date": "2021-06-01"}),
        ("CALLED", P + "O", P + "P1", {"weight": 5.0, "date": "2020-01-05"}),
        ("CALLED", P + "O", P + "P2", {"weight": 3.0, "date": "2021-05-01"}),
        ("STAYED_AT", P + "V1", P + "L1", {}),
        ("STAYED_AT", P + "V2", P + "L1", {}),
        ("OPERATES", P + "X", P + "L1", {}),
        ("USES", P + "P1b", "phone:+628111", {}),
        ("USES", P + "O", "phone:+628222", {}),
        ("CALLED", "phone:+628111", "phone:+628222", {"weight": 2.0, "date": "2020-02-01"}),
        ("HOLDS", P + "V1", "doc:passport:D1", {}),
        ("ISSUED", P + "F", "doc:passport:D1", {}),
        ("HOLDS", P + "V2", "doc:passport:D2", {}),
        ("ISSUED", P + "F", "doc:passport:D2", {}),
        ("SAME_AS", P + "P1", P + "P1b", {"status": "applied", "reason": "nik", "score": 1.0}),
    ]
    write_graph(db, nodes, rels)


def expected_persons() -> nx.Graph:
    """The persons projection computed by hand from the module docstring's rules."""
    E = nx.Graph()
    E.add_weighted_edges_from([
        ("P1", "V1", 1 + 1),      # RECRUITED + shared case C1 (k=2 -> 1/(2-1))
        ("P2", "V2", 1 + 1),
        ("O", "P1", 5 + 2),       # direct calls + phone-to-phone calls lifted to users
        ("O", "P2", 3),
        ("V1", "V2", 0.5), ("V1", "X", 0.5), ("V2", "X", 0.5),   # lodging shared by 3 -> 1/2
        ("V1", "F", 1), ("V2", "F", 1),                          # documents issued by F
    ])
    return nx.relabel_nodes(E, {n: P + n for n in E})


@pytest.mark.neo4j
def test_persons_projection_matches_hand_computation(db):
    scenario(db)
    G = project(db, "persons")
    E = expected_persons()
    assert set(G.nodes) == set(E.nodes)
    assert {frozenset(e) for e in G.edges} == {frozenset(e) for e in E.edges}
    for u, v, w in E.edges(data="weight"):
        assert G.edges[u, v]["weight"] == pytest.approx(w, abs=1e-12)
        assert G.edges[u, v]["distance"] == pytest.approx(1 / w, abs=1e-12)
    # the applied merge collapsed the court record into the police record
    p1 = G.nodes[P + "P1"]
    assert p1["records"] == [P + "P1", P + "P1b"]
    assert set(p1["roles"]) == {"recruiter", "defendant", "suspect"}  # + the case file's role and p1["nik"] == "3171010101900001"
    assert p1["cases"] == [P + "C1"] and p1["convicted_in"] == [P + "C1"]
    assert G.graph["projection"] == "persons" and G.graph["nodes"] == 7 and G.graph["edges"] == 9
    assert "via" in G.edges[P + "V1", P + "X"] and G.edges[P + "V1", P + "X"]["via"] == [P + "L1"]
    assert not any(d["type"] in ("SAME_AS", "HYPOTHESIS") for *_, d in G.edges(data=True))


@pytest.mark.neo4j
def test_full_cases_and_layer_projections(db):
    scenario(db)
    F = project(db, "full")
    assert isinstance(F, nx.MultiDiGraph)
    assert F.number_of_nodes() == 14 and F.number_of_edges() == 20
    assert {d["type"] for *_, d in F.edges(data=True)}.isdisjoint({"SAME_AS", "HYPOTHESIS"})
    call = [d for u, v, d in F.edges(data=True) if d["type"] == "CALLED" and u == P + "O" and v == P + "P1"][0]
    assert call["weight"] == 5.0 and call["distance"] == 0.2 and call["layer"] == "phone" and call["date"] == "2020-01-05"

    C = project(db, "cases")
    assert set(C.nodes) == {P + "C1", P + "C2"}
    d = C.edges[P + "C1", P + "C2"]
    # C1 and C2 share the organiser O and the lodging L1 (each in 2 footprints -> 1 each)
    assert d["weight"] == pytest.approx(2.0) and d["via"] == sorted([P + "L1", P + "O"]) and d["people"] == [P + "O"]

    L = project(db, "layer:phone")
    assert {frozenset(e) for e in L.edges} == {frozenset((P + "O", P + "P1")), frozenset((P + "O", P + "P2"))}
    assert L.edges[P + "O", P + "P1"]["weight"] == 7.0
    K = project(db, "layer:kinship")
    assert K.number_of_edges() == 0 and K.number_of_nodes() == 0  # nobody has a kinship tie
    assert set(L.nodes) == {P + "O", P + "P1", P + "P2"}


@pytest.mark.neo4j
def test_filters_window_case_province_source(db):
    scenario(db)
    W = project(db, "persons", since="2021-01-01")
    assert not W.has_edge(P + "O", P + "P1")          # both calls were in 2020
    assert W.edges[P + "P1", P + "V1"]["weight"] == 1  # the 2020 recruitment is out, the undated case stays
    assert W.graph["since"] == "2021-01-01" and W.graph["undated"] > 0
    U = project(db, "persons", until="2020-12-31")
    assert U.edges[P + "O", P + "P1"]["weight"] == 7 and not U.has_edge(P + "O", P + "P2")

    C = project(db, "persons", cases=["C1/2020"])
    assert set(C.nodes) == {P + "P1", P + "V1", P + "O"}
    assert C.edges[P + "P1", P + "V1"]["weight"] == 2 and C.edges[P + "O", P + "P1"]["weight"] == 5
    K = project(db, "persons", province="kalimantan barat")
    assert {P + "P2", P + "V2", P + "O"} <= set(K.nodes) and P + "P1" not in K

    write_graph(db, [("Person", P + "Z", {"src": [f"{SOURCE}:40"]}),  # Z's record is in another file ...
                     ("Person", P + "O", {"src": [f"{SOURCE}:41", "fedcba9876543210:meetings:3"]})],
                [("MET", P + "Z", P + "O", {"weight": 4.0})], source="fedcba9876543210:meetings")
    S = project(db, "persons", sources=["meetings"])
    assert set(S.nodes) == {P + "Z", P + "O"} and S.graph["sources"] == ["fedcba9876543210:meetings"]
    # a report on the meetings file names only that file: O's record in it, Z's tie from it
    assert person_info(S, P + "O")["sources"] == person_info(S, P + "Z")["sources"] == ["fedcba9876543210:meetings"]
    assert person_info(project(db, "persons"), P + "O")["sources"] == sorted([SOURCE, "fedcba9876543210:meetings"])
    with pytest.raises(NotFound, match="no loaded source matches 'nope'"):
        project(db, "persons", sources=["nope"])
    with pytest.raises(NotFound, match="no case"):
        project(db, "persons", cases=["C9"])
    with pytest.raises(GraphnetError, match="unknown layer"):
        project(db, "layer:nope")
    with pytest.raises(GraphnetError, match="not a date"):
        project(db, "persons", since="01/02/2020")


@pytest.mark.neo4j
def test_empty_database_gives_empty_graphs(db):
    for name in ("full", "persons", "cases", "layer:phone"):
        G = project(db, name)
        assert G.number_of_nodes() == 0 and G.graph["nodes"] == 0


@pytest.mark.neo4j
def test_hypotheses_only_when_asked(db):
    scenario(db)
    write_graph(db, [("Person", P + "O", {}), ("Person", P + "X", {})],
                [("HYPOTHESIS", P + "O", P + "X", {"method": "adamic_adar", "score": 0.9})])
    assert not project(db, "persons").has_edge(P + "O", P + "X")
    assert project(db, "persons", hypotheses=True).has_edge(P + "O", P + "X")


def test_find_node_and_paths_pure():
    G = nx.Graph()
    G.add_node("a", name="Budi Santoso", records=["a", "b"])
    G.add_node("c", name="Siti")
    G.add_edge("a", "c", distance=1.0)
    assert find_node(G, "b") == "a" and find_node(G, "SITI") == "c"
    with pytest.raises(NotFound, match="closest: Budi Santoso"):
        find_node(G, "Budi Santos")
    assert paths(G, "a", "c") == [["a", "c"]] and paths(G, "a", "zz") == []


def _nearest_by_full_dijkstra(G, source, targets, k):
    """The reference: NetworkX settles the whole component, then the reachable targets are sorted."""
    dist = nx.single_source_dijkstra_path_length(G, source, weight="distance")
    return sorted((t for t in set(targets) if t in dist), key=lambda t: (dist[t], str(t)))[:k]


@pytest.mark.parametrize("seed", range(6))
def test_nearest_targets_equal_networkx_full_dijkstra(seed):
    """Lengths drawn from 1/w with w in 1..10 (the projections' distances): many equal and
    nearly equal sums (0.1 + 0.2 != 0.3), several components, directed and undirected."""
    rng = random.Random(seed)
    for directed in (False, True):
        G = nx.gnm_random_graph(300, 500 + 150 * seed, seed=seed, directed=directed)
        G = nx.relabel_nodes(G, {n: f"p:{n}" for n in G})
        for u, v in G.edges:
            G.edges[u, v]["distance"] = 1.0 / rng.randint(1, 10)
        nodes = sorted(G)
        checked = 0
        for _ in range(60):
            source = rng.choice(nodes)
            targets = rng.sample(nodes, rng.randint(1, 25)) + ["p:absent"]
            for k in (1, 3, 10, 30):
                assert nearest(G, source, targets, k) == _nearest_by_full_dijkstra(G, source, targets, k)
                checked += 1
        assert checked == 240
    # a ring of equal lengths: the tie at the k-th length is broken by uid, as the reference does
    R = nx.cycle_graph([f"c:{i}" for i in range(8)])
    nx.set_edge_attributes(R, 0.5, "distance")
    assert nearest(R, "c:0", ["c:2", "c:6", "c:4"], 1) == ["c:2"] == _nearest_by_full_dijkstra(R, "c:0", ["c:2", "c:6", "c:4"], 1)
    assert nearest(R, "c:0", ["c:6", "c:2"], 0) == [] and nearest(R, "c:9", ["c:2"], 1) == []


@pytest.mark.neo4j
def test_cli_centrality_json_on_real_neo4j(db, cli_env):
    scenario(db)
    r = CliRunner().invoke(main, ["report", "centrality", "--format", "json", "--top", "3"], env=cli_env)
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    E = expected_persons()
    bc = nx.betweenness_centrality(E, weight=lambda u, v, d: 1 / d["weight"])
    best = max(bc, key=lambda n: (bc[n], n))
    assert out["rows"][0]["uid"] == best
    for row in out["rows"]:
        assert row["betweenness"] == pytest.approx(bc[row["uid"]], abs=1e-9)
    assert out["graph"]["nodes"] == 7 and out["graph"]["edges"] == 9 and out["graph"]["projection"] == "persons"
    assert "1/weight" in out["graph"]["weight"]


@pytest.mark.neo4j
def test_cli_bad_filter_is_one_line(db, cli_env):
    scenario(db)
    r = CliRunner().invoke(main, ["report", "centrality", "--case", "NOPE"], env=cli_env)
    assert r.exit_code == 1
    assert r.output.strip() == "Error: no case 'NOPE' in the graph"


def test_an_ambiguous_name_says_how_many_are_not_listed():
    G = nx.Graph()
    for i in range(7):
        G.add_node(f"police:POL-{i:06d}", name="Slamet Wulandari")
    shown = ", ".join(f"police:POL-{i:06d}" for i in range(5))
    with pytest.raises(NotFound) as e:
        find_node(G, "Slamet Wulandari")
    assert str(e.value) == (f"'Slamet Wulandari' names 7 people ({shown}, and 2 more); "
                            "give one of their uids instead of the name")
    G.remove_nodes_from([f"police:POL-{i:06d}" for i in range(2, 7)])  # two: all listed, nothing cut
    with pytest.raises(NotFound, match=r"names 2 people \(police:POL-000000, police:POL-000001\); give one"):
        find_node(G, "Slamet Wulandari")
