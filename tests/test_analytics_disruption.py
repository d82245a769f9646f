"""Disruption curves and Borgatti's key-player set, against brute force and NetworkX."""

from __future__ import annotations

import itertools

import networkx as nx
import pytest

from graphnet.analytics.disruption import curves, fragmentation, keyplayer, plot, reachability, write_csv


def _reach_brute(G, n):
    pairs = sum(1 for a, b in itertools.permutations(G, 2) if nx.has_path(G, a, b))
    return pairs / (n * (n - 1))


def test_reachability_and_fragmentation_brute_force():
    G = nx.gnp_random_graph(20, 0.1, seed=4)
    assert reachability(G) == pytest.approx(_reach_brute(G, 20))
    assert fragmentation(G) == pytest.approx(1 - _reach_brute(G, 20))


def test_keyplayer_first_pick_is_optimal():
    for seed in range(3):
        G = nx.gnp_random_graph(18, 0.15, seed=seed)
        n = len(G)
        best = min(G, key=lambda v: (_reach_brute(nx.restricted_view(G, [v], []), n), str(v)))
        assert keyplayer(G, 1) == [best]


def test_curves_sequential_betweenness_recomputes():
    G = nx.karate_club_graph()
    for _, _, d in G.edges(data=True):
        d["weight"] = float(d.get("weight", 1))
        d["distance"] = 1 / d["weight"]
    rows = [r for r in curves(G, ["betweenness-seq"], steps=3) if r["step"] > 0]
    W = G.copy()
    for r in rows:
        bc = nx.betweenness_centrality(W, weight="distance")
        top = min(bc, key=lambda k: (-bc[k], str(k)))
        assert r["removed"] == top
        W.remove_node(top)
        assert r["largest"] == pytest.approx(max(len(c) for c in nx.connected_components(W)) / 34)


def test_block_degree_on_star_and_outputs(tmp_path):
    rows = curves(nx.star_graph(5), ["degree", "keyplayer"], steps=2)
    deg = [r for r in rows if r["strategy"] == "degree"]
    assert [r["removed"] for r in deg] == [None, 0, 1]
    assert deg[1]["reachability"] == 0.0 and deg[1]["largest"] == pytest.approx(1 / 6)
    write_csv(rows, tmp_path / "c.csv")
    assert (tmp_path / "c.csv").read_text().splitlines()[0] == "strategy,step,removed,largest,reachability"
    plot(rows, tmp_path / "c.png")
    assert (tmp_path / "c.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_empty_graph():
    rows = curves(nx.Graph(), ["degree"], steps=3)
    assert rows == [{"strategy": "degree", "step": 0, "removed": None, "largest": 0.0, "reachability": 0.0}]


def _pairs_brute(G, gone):
    """Connected ordered pairs of G without ``gone``: NetworkX components of a copy."""
    W = G.copy()
    W.remove_nodes_from(gone)
    return sum(len(c) * (len(c) - 1) for c in nx.connected_components(W))


def _keyplayer_brute(G, k):
    """The greedy key-player set by brute force: remove each candidate in turn, count the pairs left."""
    W = G.copy()
    out = []
    for _ in range(min(k, len(W))):
        best = min(sorted(W, key=str), key=lambda v: _pairs_brute(W, [v]))
        out.append(best)
        W.remove_node(best)
    return out


def _random_graphs():
    """Trees, sparse disconnected graphs, dense graphs, isolates, a barbell (cut vertices) and bridges."""
    yield nx.barbell_graph(5, 3)
    yield nx.random_labeled_tree(30, seed=2) if hasattr(nx, "random_labeled_tree") else nx.random_tree(30, seed=2)
    for seed in range(12):
        G = nx.gnp_random_graph(25 + seed, [0.04, 0.08, 0.2][seed % 3], seed=seed)
        G.add_nodes_from(range(100, 100 + seed % 3))  # isolates
        yield nx.relabel_nodes(G, {v: (f"p{v}" if v % 2 else v) for v in G})  # mixed labels: str() breaks ties


def test_removal_pairs_equal_networkx_for_every_vertex():
    from graphnet.analytics.disruption import removal_pairs

    for G in _random_graphs():
        nodes = list(G)
        index = {v: i for i, v in enumerate(nodes)}
        adj = [[index[u] for u in G[v]] for v in nodes]
        gone = set(nodes[::7])  # some vertices already removed
        pairs = removal_pairs(adj, [v not in gone for v in nodes])
        for v in nodes:
            expected = 0 if v in gone else _pairs_brute(G, gone | {v})
            assert pairs[index[v]] == expected, (v, G)


def test_keyplayer_equals_brute_force_greedy():
    for G in _random_graphs():
        k = min(8, len(G))
        assert keyplayer(G, k) == _keyplayer_brute(G, k)
    G = nx.gnp_random_graph(12, 0.3, seed=9)
    assert keyplayer(G, 20) == _keyplayer_brute(G, 20)  # k beyond n: everyone, in order


def test_curves_equal_networkx_components_and_degree_seq_recomputed():
    for G in _random_graphs():
        n = len(G)
        rows = curves(G, ["degree-seq", "keyplayer"], steps=6)
        for strategy in ("degree-seq", "keyplayer"):
            W = G.copy()
            for r in (r for r in rows if r["strategy"] == strategy):
                if r["step"]:
                    deg = dict(W.degree())
                    if strategy == "degree-seq":
                        assert r["removed"] == min(W, key=lambda v: (-deg[v], str(v)))
                    W.remove_node(r["removed"])
                assert r["reachability"] == reachability(W, n)
                assert r["largest"] == (max(len(c) for c in nx.connected_components(W)) / n if len(W) else 0.0)
