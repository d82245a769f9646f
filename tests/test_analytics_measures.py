"""Measures equal NetworkX's own functions (1e-9) on published data and random graphs; edge cases."""

from __future__ import annotations

import csv

import networkx as nx
import pytest

from graphnet.analytics import measures as M
from graphnet.errors import GraphnetError

TOL = 1e-9


def _weighted(path, weight=True) -> nx.Graph:
    G = nx.Graph()
    with open(path, newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            w = float(r["weight"]) if weight and r.get("weight") else 1.0
            if G.has_edge(r["source"], r["target"]):
                G.edges[r["source"], r["target"]]["weight"] += w
            else:
                G.add_edge(r["source"], r["target"], weight=w)
    for _, _, d in G.edges(data=True):
        d["distance"] = 1.0 / d["weight"]
    return G


def _random(seed: int) -> nx.Graph:
    G = nx.gnp_random_graph(40, 0.08, seed=seed)  # sparse: usually disconnected, with isolates
    import random

    rng = random.Random(seed)
    for _, _, d in G.edges(data=True):
        d["weight"] = float(rng.randint(1, 20))
        d["distance"] = 1.0 / d["weight"]
    return G


def _reference(G: nx.Graph) -> dict[str, dict]:
    """NetworkX's own functions with the documented semantics (lengths = 1/weight)."""
    inv = lambda u, v, d: 1.0 / d["weight"]  # noqa: E731 - independent of the stored distance
    ref = {
        "degree": nx.degree_centrality(G),
        "strength": dict(G.degree(weight="weight")),
        "betweenness": nx.betweenness_centrality(G, weight=inv),
        "closeness": {n: nx.closeness_centrality(G, u=n, distance=inv) for n in G},
        "harmonic": nx.harmonic_centrality(G, distance=inv),
        "pagerank": nx.pagerank(G, weight="weight"),
        "constraint": nx.constraint(G, weight="weight"),
        # node by node: NetworkX 3.6's all-nodes sparse shortcut differs from Burt's formula
        # on weighted graphs (see test_effective_size_is_burts_formula)
        "effective_size": nx.effective_size(G, nodes=list(G), weight="weight"),
        "core": nx.core_number(G),
    }
    if nx.is_connected(G):
        ref["eigenvector"] = nx.eigenvector_centrality(G, weight="weight", max_iter=10_000, tol=1e-12)
    return ref


def _close(a: dict, b: dict) -> None:
    assert set(a) == set(b)
    for k in b:
        if b[k] != b[k]:  # NaN (constraint of an isolate) must stay NaN
            assert a[k] != a[k], k
        else:
            assert a[k] == pytest.approx(b[k], abs=TOL), k


@pytest.mark.parametrize("dataset", [
    "caviar/caviar_full_undirected_edges.csv",
    "montagna/montagna_meetings_edges.csv",
    "montagna/montagna_phonecalls_edges.csv",
    "krebs_911/krebs911_edges.csv",
    "human_trafficking_mexico/htm_edges.csv",
])
def test_measures_equal_networkx_on_published_networks(datasets, dataset):
    G = _weighted(datasets / dataset)
    got = M.centrality(G, M.MEASURES)
    for name, ref in _reference(G).items():
        _close(got[name], ref)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_measures_equal_networkx_on_random_disconnected_graphs(seed):
    G = _random(seed)
    assert not nx.is_connected(G)
    got = M.centrality(G, M.MEASURES)
    for name, ref in _reference(G).items():
        _close(got[name], ref)
    # eigenvector on a disconnected graph: per component, scaled by component size
    comp = max(nx.connected_components(G), key=len)
    sub = nx.eigenvector_centrality(G.subgraph(comp), weight="weight", max_iter=10_000, tol=1e-12)
    for n in comp:
        assert got["eigenvector"][n] == pytest.approx(sub[n] * len(comp) / len(G), abs=1e-6)


def test_weight_semantics_strong_ties_are_short():
    # a-b called 10 times, b-c once, a-c twice: with lengths = 1/weight the shortest
    # a..c route is a-b-c (0.1 + 1 = 1.1 > 0.5)? no: a-c direct is 0.5, so b brokers nothing;
    # raise b-c to 10 and the route through b (0.2) beats the direct 0.5: b becomes a broker.
    G = nx.Graph()
    G.add_edge("a", "b", weight=10.0, distance=0.1)
    G.add_edge("b", "c", weight=1.0, distance=1.0)
    G.add_edge("a", "c", weight=2.0, distance=0.5)
    assert M.centrality(G, ["betweenness"])["betweenness"]["b"] == 0
    G.edges["b", "c"].update(weight=10.0, distance=0.1)
    assert M.centrality(G, ["betweenness"])["betweenness"]["b"] == pytest.approx(1.0)


def test_empty_and_single_node_graphs():
    assert M.centrality(nx.Graph(), M.MEASURES) == {m: {} for m in M.MEASURES}
    one = nx.Graph()
    one.add_node("x")
    got = M.centrality(one, ["degree", "strength", "betweenness", "eigenvector", "core"])
    assert got["degree"] == {"x": 0.0} and got["eigenvector"] == {"x": 0.0} and got["core"] == {"x": 0.0}
    assert M.degree_centralization(nx.Graph()) == 0.0
    s = M.structure(nx.Graph())
    assert s["articulation_points"] == [] and s["components"] == []


def test_structure_matches_networkx(datasets):
    G = _weighted(datasets / "krebs_911/krebs911_edges.csv")
    s = M.structure(G)
    assert set(s["articulation_points"]) == set(nx.articulation_points(G))
    assert {frozenset(b) for b in s["bridges"]} == {frozenset(b) for b in nx.bridges(G)}
    assert s["core"] == nx.core_number(G)


def test_multigraph_collapses_with_summed_weights():
    Mg = nx.MultiDiGraph()
    Mg.add_edge("a", "b", weight=2.0)
    Mg.add_edge("b", "a", weight=3.0)
    Mg.add_edge("b", "c", weight=1.0)
    H = M.simple(Mg, directed=False)
    assert H.edges["a", "b"]["weight"] == 5.0 and H.edges["a", "b"]["distance"] == 0.2
    assert M.centrality(Mg, ["strength"])["strength"]["b"] == 6.0


def test_unknown_measure():
    with pytest.raises(GraphnetError, match="unknown measure 'fame'"):
        M.centrality(nx.path_graph(3), ["fame"])


def test_degree_centralization_hand_values():
    assert M.degree_centralization(nx.star_graph(5)) == 1.0
    assert M.degree_centralization(nx.cycle_graph(6)) == 0.0
    # path of 4: degrees 1,2,2,1 -> (1+0+0+1)/((3)(2)) = 1/3
    assert M.degree_centralization(nx.path_graph(4)) == pytest.approx(1 / 3)


def test_effective_size_is_burts_formula(datasets):
    """Burt (1992): ES_i = sum_j [1 - sum_q p_iq m_jq], q != i, j, computed here by hand."""
    G = _weighted(datasets / "caviar/caviar_full_undirected_edges.csv")

    def w(a, b):
        return G[a][b]["weight"] if G.has_edge(a, b) else 0.0

    def burt(i):
        total = sum(2 * w(i, j) for j in G[i])
        out = 0.0
        for j in G[i]:
            top = max(2 * w(j, k) for k in G[j])
            out += 1 - sum((2 * w(i, q) / total) * (2 * w(j, q) / top) for q in G[i] if q != j)
        return out

    got = M.centrality(G, ["effective_size"])["effective_size"]
    for n in ("n1", "n3", "n12", "n87"):
        assert got[n] == pytest.approx(burt(n), abs=TOL)


def test_centrality_report_marks_cut_points_and_counts_bridges(datasets):
    from graphnet.analytics.reports import centrality

    G = _weighted(datasets / "krebs_911/krebs911_edges.csv")
    r = centrality(G, by="degree", top=62)
    cut = set(nx.articulation_points(G))
    assert {row["uid"] for row in r.rows if row["cut_point"]} == cut
    assert r.graph["bridges"] == len(list(nx.bridges(G))) and r.graph["articulation_points"] == len(cut)
    assert [row["uid"] for row in r.rows][:1] == ["Mohamed Atta"]
    assert r.graph["degree_centralization"] == pytest.approx(M.degree_centralization(G))


def test_centrality_report_cut_points_on_a_large_graph_come_from_igraph():
    """Above the auto threshold the report's cut points and bridges are igraph's, and equal NetworkX's."""
    from graphnet.analytics import engines
    from graphnet.analytics.reports import centrality

    G = nx.Graph()
    for i, (u, v) in enumerate(nx.gnm_random_graph(4000, engines.AUTO_THRESHOLD, seed=5).edges()):
        G.add_edge(f"p:{u}", f"p:{v}", weight=1.0 + i % 3)
    G.add_edges_from((f"chain:{i}", f"chain:{i + 1}") for i in range(30))  # bridges and cut points for sure
    for _, _, d in G.edges(data=True):
        d.setdefault("weight", 1.0)
        d["distance"] = 1.0 / d["weight"]
    r = centrality(G, by="degree", measures=("degree",), top=G.number_of_nodes())
    cut = set(nx.articulation_points(G))
    assert r.graph["engines"]["cut_point"] == "igraph"
    assert {row["uid"] for row in r.rows if row["cut_point"]} == cut and len(cut) > 30
    assert r.graph["bridges"] == len(list(nx.bridges(G))) and r.graph["articulation_points"] == len(cut)
    assert r.graph["components"] == nx.number_connected_components(G)
