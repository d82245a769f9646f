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

    def fake(L, resolution=1.0, seed=0, weight="weight"):
        return {"partition": parts[seed], "modularity": mods[seed], "seed": seed, "resolution": resolution}

    monkeypatch.setattr(C, "_louvain", fake)
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


def test_stability_equals_pairwise_definition_on_random_runs(monkeypatch):
    """The per-run counting gives the module docstring's pairwise definition, computed here pair by pair."""
    import random

    from graphnet.analytics import communities as C

    rng = random.Random(11)
    nodes = [f"p{i:03d}" for i in range(120)]
    runs = 7
    parts = [{n: rng.randrange(4 if s else 3) for n in nodes} for s in range(runs)]
    mods = [rng.random() for _ in range(runs)]

    def fake(L, resolution=1.0, seed=0, weight="weight"):
        return {"partition": parts[seed], "modularity": mods[seed], "seed": seed, "resolution": resolution}

    monkeypatch.setattr(C, "_louvain", fake)
    s = C.stability(nx.empty_graph(nodes), runs=runs, seed=0)
    ref = parts[max(range(runs), key=lambda i: mods[i])]
    for c in set(ref.values()):
        ms = sorted(n for n in nodes if ref[n] == c)
        co = {(u, v): sum(p[u] == p[v] for p in parts) / runs for u in ms for v in ms}
        mean = {u: sum(co[u, v] for v in ms if v != u) / (len(ms) - 1) for u in ms}
        top = max(mean.values())
        core = min(u for u in ms if abs(mean[u] - top) < 1e-12)
        assert s["core"][c] == core
        for u in ms:
            want = mean[u] if u == core else co[u, core]
            assert s["person"][u] == pytest.approx(want, abs=1e-12)


def _caviar_multigraph(datasets):
    """CAVIAR's ties as a multigraph with extra attributes, in a scrambled insertion order."""
    import csv
    import random

    rows = list(csv.DictReader(open(datasets / "caviar/caviar_full_undirected_edges.csv", newline="")))
    random.Random(3).shuffle(rows)
    M = nx.MultiGraph()
    for r in rows:
        M.add_edge(r["source"], r["target"], weight=float(r["weight"]), name=f"tie {r['source']}", src=["x"])
        M.add_edge(r["target"], r["source"], weight=1.0, layer="phone")
    return M


def test_lean_graph_gives_python_louvains_partition(datasets):
    """louvain() runs on a weight-only copy; python-louvain on the full simple graph must give the same groups."""
    from graphnet.analytics.measures import simple

    M = _caviar_multigraph(datasets)
    H = simple(M, directed=False)
    groups = lambda p: {frozenset(n for n in p if p[n] == c) for c in set(p.values())}  # noqa: E731
    for seed in (0, 5, 9):
        raw = community_louvain.best_partition(H, weight="weight", random_state=seed)
        got = louvain(M, seed=seed)
        assert groups(got["partition"]) == groups(raw)
        assert got["modularity"] == pytest.approx(community_louvain.modularity(raw, H, weight="weight"), abs=1e-12)


def test_runs_in_child_processes_equal_runs_here(datasets, monkeypatch):
    """The parallel path (forced on a small graph) gives the sequential path's runs, in seed order."""
    from graphnet.analytics import communities as C

    M = _caviar_multigraph(datasets)
    here = C.stability(M, runs=5, seed=2)
    monkeypatch.setattr(C, "PARALLEL_FROM", 0)
    there = C.stability(M, runs=5, seed=2, time_limit=30)
    assert there["seeds"] == here["seeds"] == [2, 3, 4, 5, 6]
    assert there["modularities"] == here["modularities"]
    assert there["reference"]["partition"] == here["reference"]["partition"]
    assert there["person"] == here["person"]


def test_time_limit_stops_the_runs_with_the_ways_on(datasets, monkeypatch):
    from graphnet.analytics import communities as C
    from graphnet.errors import GraphnetError

    monkeypatch.setattr(C, "PARALLEL_FROM", 0)
    M = _caviar_multigraph(datasets)
    with pytest.raises(GraphnetError) as e:
        C.stability(M, runs=40, seed=0, time_limit=1e-9)
    text = str(e.value)
    assert "Louvain on 110 nodes" in text and "--time-limit" in text and "narrow the graph" in text
    # foretold from the runs that finished: one run timed, 40 would not fit in a limit below its time
    assert C._foretold(3.0, [2.0, 3.0], 10, 2) == 3.0 + 3.0 * 4  # 7 runs left after the one running


def test_too_slow_message_offers_the_runs_that_fit():
    from graphnet.analytics import communities as C

    text = C._too_slow(1000, 5000, 10, {0: {}, 1: {}}, [60.0, 50.0], 2.0, 2, 60.0)
    # 60 s a run, 2 at a time: 10 runs take 5 min; within nine tenths of 2 min fits 1 round = 2 runs
    assert "2 of 10 runs finished" in text and "about 5 min" in text
    assert "--runs 2" in text and "--time-limit 6" in text
    # the national figures: 13 min a run after 2.5 min of setup, 30 min limit: 2 runs, not 4
    text = C._too_slow(728031, 7242919, 10, {0: {}}, [780.0], 30.0, 2, 930.0)
    assert "--runs 2;" in text and "1 of 10 runs finished" in text
    # a run longer than the limit allows: no --runs offered
    assert "--runs" not in C._too_slow(10, 10, 10, {0: {}}, [100.0], 1.0, 2, 100.0)


def test_lean_graph_iterates_as_its_copy_and_survives_the_trip_to_a_child(datasets):
    """Skipping python-louvain's copy is sound only if the copy would iterate in the same order."""
    from graphnet.analytics import communities as C

    M = _caviar_multigraph(datasets)
    L = C.lean(M)
    copied = nx.Graph.copy(L)  # what python-louvain's graph.copy() builds on a plain Graph
    assert list(L) == list(copied)
    assert all(list(L.adj[u].items()) == list(copied.adj[u].items()) for u in L)
    R = C._rebuilt(*C._lean_arrays(M))
    assert list(R) == list(L)
    assert all(list(R.adj[u].items()) == list(L.adj[u].items()) for u in L)


@pytest.mark.parametrize("directed", [False, True])
def test_modularity_in_member_order_equals_networkx(directed):
    """Weighted ties, self-loops, several resolutions and partitions: NetworkX's value to 1e-12."""
    import random

    from graphnet.analytics.communities import modularity

    rng = random.Random(5 + directed)
    for trial in range(20):
        G = nx.gnm_random_graph(60, 200, seed=trial, directed=directed)
        G.add_edges_from((n, n) for n in rng.sample(range(60), 5))
        for _, _, d in G.edges(data=True):
            d["weight"] = rng.choice([1.0, 2.5, 0.3, 7.0])
        nodes = list(G)
        rng.shuffle(nodes)
        cuts = sorted(rng.sample(range(1, 60), rng.randint(1, 6)))
        parts = [nodes[a:b] for a, b in zip([0, *cuts], [*cuts, 60])]
        for resolution in (0.5, 1.0, 2.0):
            want = nx.community.modularity(G, [set(p) for p in parts], weight="weight", resolution=resolution)
            assert modularity(G, parts, resolution=resolution) == pytest.approx(want, abs=1e-12, rel=1e-12)
