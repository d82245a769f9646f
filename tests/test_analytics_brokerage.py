"""Gould-Fernandez brokerage against a hand-worked example and a brute-force count."""

from __future__ import annotations

import itertools
import random

import networkx as nx

from graphnet.analytics.brokerage import ROLES, brokerage

GROUPS = {"a1": "A", "a2": "A", "b1": "A", "c1": "B", "c2": "B", "d1": "C"}
EDGES = [("a1", "b1"), ("b1", "a2"), ("b1", "c1"), ("d1", "b1"), ("c1", "c2"), ("a2", "c2"), ("c2", "a1")]


def _counts(**kw):
    return {r: kw.get(r, 0) for r in ROLES} | {"total": sum(kw.values())}


def test_hand_worked_example():
    """Every open two-path, classified by hand (groups: a* and b1 in A, c* in B, d1 in C).

    b1: a1>b1>a2 (A,A,A) coordinator; a1>b1>c1 (A,A,B) representative;
        d1>b1>a2 (C,A,A) gatekeeper; d1>b1>c1 (C,A,B) liaison.
    c1: b1>c1>c2 (A,B,B) gatekeeper.
    c2: c1>c2>a1 (B,B,A) representative; a2>c2>a1 (A,B,A) consultant.
    a2: b1>a2>c2 (A,A,B) representative.     a1: c2>a1>b1 (B,A,A) gatekeeper.
    """
    G = nx.DiGraph(EDGES)
    nx.set_node_attributes(G, GROUPS, "stage")
    got = brokerage(G, "stage")
    assert got["b1"] == _counts(coordinator=1, representative=1, gatekeeper=1, liaison=1)
    assert got["c1"] == _counts(gatekeeper=1)
    assert got["c2"] == _counts(representative=1, consultant=1)
    assert got["a2"] == _counts(representative=1)
    assert got["a1"] == _counts(gatekeeper=1)
    assert got["d1"] == _counts()
    # a direct tie d1->c1 closes the two-path d1>b1>c1: b1 is no longer a liaison
    G.add_edge("d1", "c1")
    assert brokerage(G, "stage")["b1"] == _counts(coordinator=1, representative=1, gatekeeper=1)


def _brute(G, g):
    out = {n: dict.fromkeys((*ROLES, "total"), 0) for n in G}
    for a, b, c in itertools.permutations(G, 3):
        if G.has_edge(a, b) and G.has_edge(b, c) and not G.has_edge(a, c):
            ga, gb, gc = g[a], g[b], g[c]
            role = ("coordinator" if ga == gb == gc else "consultant" if ga == gc else
                    "representative" if ga == gb else "gatekeeper" if gb == gc else "liaison")
            out[b][role] += 1
            out[b]["total"] += 1
    return out


def test_matches_brute_force_on_random_digraphs():
    for seed in range(5):
        G = nx.gnp_random_graph(25, 0.15, seed=seed, directed=True)
        rng = random.Random(seed)
        g = {n: rng.choice("XYZ") for n in G}
        assert brokerage(G, g.get) == _brute(G, g)


def test_undirected_counts_both_ways_and_missing_groups():
    G = nx.path_graph(["x", "y", "z"])  # x-y-z: y brokers x>y>z and z>y>x
    got = brokerage(G, "stage")  # nobody has a stage: one group (None)
    assert got["y"] == _counts(coordinator=2) and got["x"]["total"] == 0
    assert brokerage(nx.DiGraph(), "stage") == {}


# --------------------------------------------------------------------------- numpy kernel vs the reference loop


def _random_digraph(n, m, seed, isolated=0, loops=0, reciprocal=0.0):
    rng = random.Random(seed)
    G = nx.gnm_random_graph(n, m, seed=seed, directed=True)
    for u, v in list(G.edges()):
        if rng.random() < reciprocal:
            G.add_edge(v, u)
    for _ in range(loops):
        x = rng.randrange(n)
        G.add_edge(x, x)
    G.add_nodes_from(range(n, n + isolated))
    return G


def test_numpy_counts_equal_reference_on_random_graphs():
    from graphnet.analytics import brokerage as B

    cases = [
        (40, 120, 1, 0, 0, 0.0),
        (60, 300, 2, 5, 3, 0.3),  # isolated nodes, self-loops, reciprocal ties
        (80, 150, 3, 10, 0, 0.5),  # sparse, many components
        (30, 600, 4, 0, 2, 0.2),  # dense: many closed two-paths
        (120, 900, 5, 3, 5, 0.1),
    ]
    for n, m, seed, isolated, loops, recip in cases:
        G = _random_digraph(n, m, seed, isolated, loops, recip)
        rng = random.Random(seed)
        for groups in ("XY", "XYZW", "ABCDEFGH", "x"):
            g = {v: rng.choice(groups) for v in G}
            if groups == "XYZW":  # some people without a group
                for v in list(G)[::7]:
                    g[v] = None
            nx.set_node_attributes(G, g, "stage")
            assert B.brokerage(G, "stage") == B.brokerage_reference(G, "stage"), (n, m, seed, groups)
            assert B.brokerage(G, g.get) == B.brokerage_reference(G, g.get)
        # undirected and multigraph inputs read as the reference reads them
        U = nx.Graph(G)
        assert B.brokerage(U, "stage") == B.brokerage_reference(U, "stage")
        MG = nx.MultiDiGraph(G)
        MG.add_edges_from(list(G.edges())[:20])  # parallel ties count once
        assert B.brokerage(MG, "stage") == B.brokerage_reference(MG, "stage")


def test_numpy_counts_in_small_chunks(monkeypatch):
    """Two-paths enumerated a few at a time give the same counts (chunk boundaries)."""
    from graphnet.analytics import brokerage as B

    G = _random_digraph(50, 400, 9, 2, 2, 0.3)
    g = {v: v % 3 for v in G}
    want = B.brokerage_reference(G, g.get)
    for chunk in (1, 7, 100):
        monkeypatch.setattr(B, "_CHUNK", chunk)
        assert B.brokerage(G, g.get) == want


def test_groups_that_are_not_dict_keys_use_the_reference():
    from graphnet.analytics import brokerage as B

    G = nx.DiGraph([(0, 1), (1, 2), (2, 3), (3, 1)])
    nan = float("nan")
    for g in ({0: [1], 1: [2], 2: [1], 3: [2]}, {0: nan, 1: nan, 2: 1.0, 3: nan}, {0: 1, 1: 1.0, 2: True, 3: "a"}):
        assert B.brokerage(G, g.get) == B.brokerage_reference(G, g.get) == _brute(G, g)


def test_empty_and_edgeless_graphs():
    from graphnet.analytics import brokerage as B

    for G in (nx.DiGraph(), nx.DiGraph([(1, 1)]), nx.empty_graph(4, create_using=nx.DiGraph)):
        assert B.brokerage(G, "stage") == B.brokerage_reference(G, "stage")
