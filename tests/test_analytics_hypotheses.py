"""Hidden-tie hypotheses: scores by hand and against NetworkX; stored apart from evidence."""

from __future__ import annotations

import math

import networkx as nx
import pytest

from graphnet.analytics.hypotheses import hidden_ties, store
from graphnet.analytics.projections import project

from test_analytics_projections import P, scenario


def _typed():
    G = nx.MultiDiGraph()
    for p in "abcd":
        G.add_node(p, label="Person")
    G.add_node("L", label="Lodging")
    G.add_node("ph", label="Phone")
    G.add_node("city", label="Location")
    for p in "abc":
        G.add_edge(p, "L", type="STAYED_AT")
    for p in "ab":
        G.add_edge(p, "ph", type="USES")
    for p in "abcd":
        G.add_edge(p, "city", type="FROM")
    G.add_edge("a", "c", type="KNOWS")
    return G


def test_scores_by_hand_and_against_networkx():
    G = _typed()
    aa = {(h["a"], h["b"]): h["score"] for h in hidden_ties(G)}
    # a-c are tied (KNOWS): no hypothesis. a-b share L (deg 3) and ph (deg 2); b-c share L. d shares only a place.
    assert set(aa) == {("a", "b"), ("b", "c")}
    assert aa[("a", "b")] == pytest.approx(1 / math.log(3) + 1 / math.log(2))
    ra = {(h["a"], h["b"]): h["score"] for h in hidden_ties(G, method="resource_allocation")}
    assert ra[("b", "c")] == pytest.approx(1 / 3)
    # equal to NetworkX's own index on the person + infrastructure graph
    U = nx.Graph(G.subgraph(["a", "b", "c", "d", "L", "ph"]).to_undirected())
    ref = dict(((u, v), s) for u, v, s in nx.adamic_adar_index(U, [("a", "b"), ("b", "c")]))
    for k, v in ref.items():
        assert aa[k] == pytest.approx(v, abs=1e-12)


@pytest.mark.neo4j
def test_stored_hypotheses_stay_out_of_projections(db):
    scenario(db)
    G = project(db, "full")
    found = hidden_ties(G)
    pairs = {(h["a"], h["b"]) for h in found}
    assert (P + "V1", P + "X") in pairs  # guest and operator of the same lodging, no recorded tie
    assert store(db, found) == len(found)
    assert store(db, found) == len(found)  # idempotent
    n = db.read("MATCH ()-[h:HYPOTHESIS]->() RETURN count(h) AS n")[0]["n"]
    assert n == len(found)
    assert not any(d["type"] == "HYPOTHESIS" for *_, d in project(db, "full").edges(data=True))
    assert any(d["type"] == "HYPOTHESIS" for *_, d in project(db, "full", hypotheses=True).edges(data=True))
