"""Published figures, reproduced through the project's own loaders, projections and reports.

Each dataset is loaded into the real Neo4j with its shipped definition
(graphnet.loading.load_file), projected, and measured; the figures are those
the datasets' authors published (see /work/shared/datasets/README.md).
"""

from __future__ import annotations

import json

import networkx as nx
import pytest
from click.testing import CliRunner

from graphnet.analytics import measures as M
from graphnet.analytics.projections import project
from graphnet.analytics.reports import centrality
from graphnet.cli import main

loading = pytest.importorskip("graphnet.loading")

pytestmark = pytest.mark.neo4j


def _load(db, datasets, *pairs, tmp_path):
    for definition, rel in pairs:
        loading.load_file(db, definition, datasets / rel, rejects_dir=tmp_path)


def test_mexico_density_and_degree_centralisation(db, datasets, tmp_path):
    _load(db, datasets, ("mexico_ht", "human_trafficking_mexico/htm_edges.csv"), tmp_path=tmp_path)
    G = project(db, "persons")
    assert (G.number_of_nodes(), G.number_of_edges()) == (34, 225)
    assert round(M.density(G), 3) == 0.401                       # De la Mora et al.
    assert round(100 * M.degree_centralization(G), 2) == 44.32  # degree centralisation 44.32 %


def test_caviar_size_and_serero_first(db, datasets, tmp_path, cli_env):
    _load(db, datasets, ("caviar", "caviar/caviar_full_undirected_edges.csv"),
          ("caviar_nodes", "caviar/caviar_nodes.csv"), tmp_path=tmp_path)
    G = project(db, "persons")
    assert (G.number_of_nodes(), G.number_of_edges()) == (110, 205)  # Morselli 2009
    r = centrality(G, by="degree", top=3)
    assert r.rows[0]["uid"] == "caviar:n1" and r.rows[0]["name"] == "Daniel Serero"
    r = CliRunner().invoke(main, ["report", "centrality", "--by", "betweenness", "--format", "json", "--top", "3"], env=cli_env)
    assert r.exit_code == 0, r.output
    rows = json.loads(r.output)["rows"]
    assert rows[0]["uid"] == "caviar:n1"
    # betweenness (lengths = 1/weight) equal to NetworkX's own on the same graph
    ref = nx.betweenness_centrality(G, weight=lambda u, v, d: 1 / d["weight"])
    assert rows[0]["betweenness"] == pytest.approx(ref["caviar:n1"], abs=1e-9)


def test_caviar_morales_tops_degree_in_phase_11(db, datasets, tmp_path):
    _load(db, datasets, ("caviar_phases", "caviar/caviar_phases_directed_edges.csv"),
          ("caviar_nodes", "caviar/caviar_nodes.csv"), tmp_path=tmp_path)
    F = project(db, "full")
    phase11 = nx.Graph()
    phase11.add_edges_from((u, v) for u, v, d in F.edges(data=True) if d.get("phase") == 11)
    deg = dict(phase11.degree())
    top = max(deg, key=lambda n: (deg[n], n))
    assert top == "caviar:n12" and F.nodes[top]["name"] == "Ernesto Morales"


def test_krebs_atta_first_on_degree_betweenness_closeness(db, datasets, tmp_path):
    _load(db, datasets, ("krebs_911", "krebs_911/krebs911_edges.csv"), tmp_path=tmp_path)
    G = project(db, "persons")
    assert (G.number_of_nodes(), G.number_of_edges()) == (62, 152)
    values = M.centrality(G, ["degree", "betweenness", "closeness"])
    for m in ("degree", "betweenness", "closeness"):
        best = max(values[m], key=values[m].get)
        assert G.nodes[best]["name"] == "Mohamed Atta", m


def test_montagna_sizes_per_layer(db, datasets, tmp_path):
    _load(db, datasets, ("montagna_meetings", "montagna/montagna_meetings_edges.csv"),
          ("montagna_phones", "montagna/montagna_phonecalls_edges.csv"), tmp_path=tmp_path)
    meet = project(db, "layer:meeting")
    phone = project(db, "layer:phone")
    assert (meet.number_of_nodes(), meet.number_of_edges()) == (101, 256)   # Cavallaro et al. 2020
    assert (phone.number_of_nodes(), phone.number_of_edges()) == (100, 124)
