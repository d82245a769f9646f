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
