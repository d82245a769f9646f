"""Matching projected people to a scenario's true people, and precision/recall at k (pure)."""

from __future__ import annotations

import networkx as nx

from graphnet.analytics.truth import node_truth, precision_recall_at, ranked_candidates


def test_rows_naming_two_people_count_only_for_the_named_one(tmp_path):
    (tmp_path / "money_transfers.csv").write_text("tx_id,sender_name,receiver_name\nT1,EKA GUNAWAN,Budi\nT2,Eka Gunawan,Sari\n")
    truth = {
        "files": {"money_transfers": {"path": "money_transfers.csv", "sha256": "x"}},
        "organisers": ["T1"],
        "persons": {
            "T1": {"records": {"money_transfers": [{"row": 2, "column": "sender_name"}, {"row": 3, "column": "sender_name"}]}},
            "T2": {"records": {"money_transfers": [{"row": 2, "column": "receiver_name"}]}},
        },
    }
    G = nx.Graph()
    G.add_node("bank:eka", name="Eka  Gunawan", src=["s:2", "s:3"])
    G.add_node("bank:budi", name="Budi", src=["s:2"])
    G.add_node("bank:sari", name="Sari", src=["s:3"])  # not a true person: must stay unmatched
    m = node_truth(G, truth, {"money_transfers": "s"}, tmp_path)
    assert m == {"bank:eka": "T1", "bank:budi": "T2"}
    # without the cells every shared row counts: Sari would wrongly become the organiser
    assert node_truth(G, truth, {"money_transfers": "s"})["bank:sari"] == "T1"


def test_precision_recall_and_pooling():
    sections = [{"candidates": [{"uid": "a", "score": 0.9}, {"uid": "b", "score": 0.5}]},
                {"candidates": [{"uid": "b", "score": 0.95}, {"uid": "c", "score": 0.1}]}]
    assert ranked_candidates(sections) == ["b", "a", "c"]
    r = precision_recall_at(["o1", "x", "o1", "o2", "y"], {"o1", "o2", "o3"}, k=3)
    assert r["hits"] == 2 and r["precision"] == 2 / 3 and r["recall"] == 2 / 3
