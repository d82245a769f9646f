"""Reports on graphs too big for exact betweenness: a sampled estimate with its error, and the time guard.

No database: the reports run on the CAVIAR network (the published file in
../shared/datasets) projected the way graphnet projects people; values are
checked against NetworkX's exact betweenness.
"""

from __future__ import annotations

import csv

import networkx as nx
import pytest
from click.testing import CliRunner

from graphnet.analytics import reports
from graphnet.errors import GraphnetError


@pytest.fixture(scope="module")
def caviar(datasets) -> nx.Graph:
    G = nx.Graph(projection="persons")
    with open(datasets / "caviar" / "caviar_full_undirected_edges.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            w = float(row["weight"])
            G.add_edge(row["source"], row["target"], weight=w, distance=1 / w)
    for n in G:
        G.nodes[n].update(label="Person", name=n, uid=n)
    return G


def exact(G: nx.Graph) -> dict:
    return nx.betweenness_centrality(G, weight="distance")


def test_sampled_betweenness_is_stated_and_within_its_bound(caviar):
    r = reports.centrality(caviar, top=10, sample=40, seed=7)
    info = r.graph["betweenness_sample"]
    assert (info["k"], info["n"], info["seed"]) == (40, caviar.number_of_nodes(), 7)
    assert any("ESTIMATED" in n and "40 of 110 sources (seed 7)" in n for n in r.notes)
    assert not any(n.startswith("betweenness: exact") for n in r.notes)
    assert r.columns[r.columns.index("betweenness") + 1] == "betweenness_stderr"
    truth = exact(caviar)
    for row in r.rows:
        assert abs(row["betweenness"] - truth[row["uid"]]) <= info["bound95"]
        assert row["betweenness_stderr"] >= 0.0
    # the same seed gives the same estimate; all sources give the exact values
    again = reports.centrality(caviar, top=10, sample=40, seed=7)
    assert [x["betweenness"] for x in again.rows] == [x["betweenness"] for x in r.rows]
    full = reports.centrality(caviar, top=10, sample=caviar.number_of_nodes())
    assert full.graph["betweenness_sample"]["bound95"] == 0.0
    for row in full.rows:
        assert row["betweenness"] == pytest.approx(truth[row["uid"]], abs=1e-12)


def test_brokers_take_a_sample_too(caviar):
    r = reports.brokers(caviar, top=5, sample=caviar.number_of_nodes())
    truth = exact(caviar)
    assert "betweenness_stderr" in r.columns
    for row in r.rows:
        assert row["betweenness"] == pytest.approx(truth[row["uid"]], abs=1e-12)
        assert row["betweenness_stderr"] == 0.0
    with pytest.raises(GraphnetError, match="without --engine gds"):
        reports._compute(None, caviar, ("betweenness",), "gds", sample=5)


def test_exact_all_pairs_foretold_too_long_stop_with_the_ways_out(caviar, monkeypatch):
    """With the size threshold lowered, a time limit far below the measured cost stops before computing."""
    monkeypatch.setattr(reports, "_FORETELL_FROM", 0)
    with pytest.raises(GraphnetError) as e:
        reports.centrality(caviar, top=5, time_limit=1e-9)
    text = str(e.value)
    assert "exact betweenness, closeness on 110 nodes and 205 ties" in text
    assert "--sample K" in text and "--measures" in text and "--time-limit" in text
    with pytest.raises(GraphnetError, match=r"exact closeness on .*--measures") as e:
        reports.centrality(caviar, top=5, time_limit=1e-9, sample=20)
    assert "--sample K" not in str(e.value)  # betweenness is sampled already
    with pytest.raises(GraphnetError) as e:
        reports.brokers(caviar, top=5, time_limit=1e-9)
    assert "--sample K" in str(e.value) and "--measures" not in str(e.value)  # brokers has no --measures
    # within the limit (or no limit, or measures that visit no pairs) the reports run
    assert reports.centrality(caviar, top=3, time_limit=0).rows
    assert reports.centrality(caviar, top=3, by="pagerank", measures=("degree",), time_limit=1e-9).rows
    monkeypatch.setattr(reports, "_FORETELL_FROM", 10**18)
    assert reports.centrality(caviar, top=3, time_limit=1e-9).rows


def test_disruption_betweenness_strategies_foretold_too_long_stop(caviar, monkeypatch):
    """The betweenness strategies of the disruption report are timed first too; the others need no guard."""
    monkeypatch.setattr(reports, "_FORETELL_FROM", 0)
    with pytest.raises(GraphnetError) as e:
        reports.disruption(caviar, top=4, strategies=("degree", "betweenness-seq"), time_limit=1e-9)
    text = str(e.value)
    assert "strategy betweenness-seq on 110 nodes and 205 ties needs exact betweenness 4 times" in text
    assert "--strategy" in text and "--time-limit" in text and "--case" in text
    with pytest.raises(GraphnetError, match="betweenness and betweenness-seq .* 6 times"):
        reports.disruption(caviar, top=5, time_limit=1e-9)
    r = reports.disruption(caviar, top=3, strategies=("degree", "degree-seq", "keyplayer"), time_limit=1e-9)
    assert [x["strategy"] for x in r.rows if x["step"] == 3] == ["degree", "degree-seq", "keyplayer"]
    # within the limit it runs, and the betweenness curve is NetworkX's exact ranking
    r = reports.disruption(caviar, top=2, strategies=("betweenness",), time_limit=0)
    truth = exact(caviar)
    assert [x["removed"] for x in r.rows[1:]] == sorted(truth, key=lambda v: (-truth[v], v))[:2]


def test_cli_offers_the_options():
    from graphnet.cli import main

    runner = CliRunner()
    for command in ("centrality", "brokers"):
        out = runner.invoke(main, ["report", command, "--help"]).output
        assert "--sample K" in out and "--time-limit MINUTES" in out and "--sample-seed" in out
    assert "--time-limit MINUTES" in runner.invoke(main, ["report", "disruption", "--help"]).output
    assert "--measures LIST" in runner.invoke(main, ["report", "centrality", "--help"]).output
    r = runner.invoke(main, ["report", "centrality", "--sample", "1"])
    assert r.exit_code == 2 and "Traceback" not in r.output


def test_cli_syndicates_and_behind_offer_the_options():
    from graphnet.cli import main

    runner = CliRunner()
    for command in (["syndicates"], ["behind", "X"]):
        out = runner.invoke(main, ["report", *command, "--help"]).output
        assert "--sample K" in out and "--time-limit MINUTES" in out and "--sample-seed" in out
