"""Louvain communities, modularity and stability; checked against NetworkX and python-louvain."""

from __future__ import annotations

import community as community_louvain
import networkx as nx
import pytest

from graphnet.analytics.communities import louvain, stability


def test_louvain_matches_python_louvain_and_networkx_modularity(datasets):
    import csv

    G = nx.Graph()
    with open(datasets / "caviar/caviar_full_undirected_edges.csv", newline="") as f:
        for r in csv.DictReader(f):
            G.add_edge(r["source"], r["target"], weight=float(r["weight"]))
    for seed in (0, 7):
        got = louvain(G, seed=seed, resolution=1.0)
        raw = community_louvain.best_partition(G, weight="weight", resolution=1.0, random_state=seed)
        # same grouping, renumbered by size
        groups = lambda p: {frozenset(n for n in p if p[n] == c) for c in set(p.values())}  # noqa: E731
        assert groups(got["partition"]) == groups(raw)
        assert got["modularity"] == pytest.approx(community_louvain.modularity(raw, G, weight="weight"), abs=1e-9)
        assert got["seed"] == seed


def test_stability_definition_by_hand():
    # two 5-cliques joined by one bridge: every run splits them the same way
    G = nx.barbell_graph(5, 0)
    s = stability(G, runs=4, seed=3)
    assert s["seeds"] == [3, 4, 5, 6]
    assert all(v == 1.0 for v in s["person"].values())
    assert sorted(len(c["solid"]) for c in s["communities"]) == [5, 5]
    # core = highest mean co-assignment; all tie at 1.0 -> smallest uid
    assert {c["core"] for c in s["communities"]} == {0, 5}


def test_stability_counts_runs(monkeypatch):
    """Stability = share of runs with the core, computed on scripted partitions."""
    from graphnet.analytics import communities as C

    parts = [
        {"a": 0, "b": 0, "c": 0, "d": 1},
        {"a": 0, "b": 0, "c": 1, "d": 1},
        {"a": 0, "b": 0, "c": 0, "d": 1},
        {"a": 0, "b": 0, "c": 1, "d": 1},
    ]
    mods = [0.5, 0.4, 0.3, 0.2]

    def fake(G, resolution=1.0, seed=0):
        return {"partition": parts[seed], "modularity": mods[seed], "seed": seed, "resolution": resolution}

    monkeypatch.setattr(C, "louvain", fake)
    s = C.stability(nx.path_graph(["a", "b", "c", "d"]), runs=4, seed=0)
    # reference = run 0: {a, b, c}, {d}. Mean co-assignment: a: (1 + .5)/2 = .75, b: .75, c: (.5+.5)/2 = .5
    # core = a (tie with b, smallest uid); c is with a in 2 of 4 runs
    assert s["core"][0] == "a"
    assert s["person"] == {"a": 0.75, "b": 1.0, "c": 0.5, "d": 1.0}
    assert s["communities"][0]["solid"] == ["b"]


def test_empty_and_edgeless():
    assert louvain(nx.Graph())["partition"] == {}
    G = nx.empty_graph(3)
    r = louvain(G)
    assert len(set(r["partition"].values())) == 3 and r["modularity"] == 0.0
