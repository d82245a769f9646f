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
