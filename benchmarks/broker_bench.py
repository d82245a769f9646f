"""Benchmark (b): the broker report on 20,000 people and 100,000 ties.

A seeded scale-free directed graph with the projection's attributes (people
with roles and a ``stage`` group; weights 1, 2, 4 or 8, so every distance
1/weight is exact and no shortest-path tie depends on rounding) goes through
``graphnet.analytics.reports.brokers`` with the igraph engine. Beside it, the
same report done with plain NetworkX: the same brokerage counts (graphnet's
code, timed once and counted on both sides), ``nx.betweenness_centrality``,
``nx.constraint`` and ``nx.effective_size``. Plain NetworkX betweenness would
take about an hour here, so it is timed on ``--sources`` sources drawn with
the seed and extrapolated (x n / sources); effective size node by node
(NetworkX's reference path; its vectorised path needs dense n x n matrices,
about 10 GB here) likewise on ``--es-nodes`` nodes. Equal results: on those
sampled sources the dependencies from NetworkX's own Brandes code equal
igraph's (max difference printed); constraint and effective size on the
sampled nodes too. With ``--gds``, betweenness also runs in Neo4j (GDS) on
the same ties, and its values are compared with the igraph ones.

    python -m benchmarks.broker_bench [--nodes 20000] [--ties 100000] [--sources 100] [--gds]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from typing import Any

import networkx as nx
import numpy as np

from graphnet.analytics import gds as _gds_module  # noqa: F401  before any query (see load_bench)

SEED = 7
_ROLES = ["victim"] * 6 + ["recruiter", "recruiter", "driver", "lodging_operator", "document_broker", "organiser", "official"]
_STAGES = ["recruitment", "transport", "border", "lodging", "exploitation", "finance"]


def bench_graph(n: int, ties: int, seed: int = SEED) -> nx.DiGraph:
    """Seeded scale-free directed person graph with ``ties`` edges."""
    rng = random.Random(seed)
    m = max(1, round(ties / n))
    base = nx.barabasi_albert_graph(n, m, seed=seed)
    G = nx.DiGraph(projection="benchmark", seed=seed)
    for v in base:
        role = rng.choice(_ROLES)
        G.add_node(f"p{v}", label="Person", name=f"person {v}", roles=[role], stage=rng.choice(_STAGES), src=[f"bench:{v + 2}"])
    edges = list(base.edges())
    while len(edges) < ties:  # top up to exactly `ties`
        u, v = rng.randrange(n), rng.randrange(n)
        if u != v and not base.has_edge(u, v):
            base.add_edge(u, v)
            edges.append((u, v))
    for u, v in edges[:ties]:
        a, b = (u, v) if rng.random() < 0.5 else (v, u)
        w = float(rng.choice([1, 2, 4, 8]))
        G.add_edge(f"p{a}", f"p{b}", weight=w, distance=1.0 / w, type="KNOWS", layer="social", src=[f"bench:e{u}-{v}"])
    return G


def _timed(fn, *a, **k) -> tuple[Any, float]:
    t0 = time.perf_counter()
    out = fn(*a, **k)
    return out, time.perf_counter() - t0


def run(n: int, ties: int, sources: int, es_nodes: int, gds: bool, seed: int = SEED) -> dict[str, Any]:
    import igraph  # noqa: F401  (fail early if missing)

    from graphnet.analytics import brokerage as B
    from graphnet.analytics import engines, reports

    G = bench_graph(n, ties, seed)
    r: dict[str, Any] = {"nodes": G.number_of_nodes(), "ties": G.number_of_edges(), "seed": seed}

    # graphnet, igraph engine: the whole report
    report, r["graphnet_s"] = _timed(reports.brokers, G, engine="igraph", top=20)
    r["top"] = [row["uid"] if "uid" in row else row.get("name") for row in report.rows[:5]]
    bet_ig, r["igraph_betweenness_s"] = _timed(engines.betweenness, G, distance="distance", engine="igraph")

    # plain NetworkX, timed piece by piece
    _, r["brokerage_s"] = _timed(B.brokerage, G, "stage")
    rng = random.Random(seed)
    nodes = list(G)
    picks = rng.sample(range(len(nodes)), sources)
    deps_nx = np.zeros(len(nodes))
    t0 = time.perf_counter()
    for s in picks:
        deps_nx += engines._dependencies(G, nodes[s], nodes, "distance")
    r["nx_betweenness_sample_s"] = time.perf_counter() - t0
    r["nx_betweenness_s"] = r["nx_betweenness_sample_s"] * len(nodes) / sources
    import igraph as ig

    index = {v: i for i, v in enumerate(nodes)}
    h = ig.Graph(n=len(nodes), edges=[(index[u], index[v]) for u, v in G.edges()], directed=True)
    wts = [d["distance"] for _, _, d in G.edges(data=True)]
    deps_ig = np.zeros(len(nodes))
    for s in picks:
        deps_ig += np.asarray(h.betweenness(directed=True, weights=wts, sources=[s]))
    r["betweenness_sample_maxdiff"] = float(np.max(np.abs(deps_nx - deps_ig)))

    con_nx, r["nx_constraint_s"] = _timed(nx.constraint, G, weight="weight")
    con_ig = engines.constraint(G, weight="weight", engine="igraph")
    r["constraint_maxdiff"] = max(
        (abs(con_nx[v] - con_ig[v]) for v in G if not (np.isnan(con_nx[v]) and np.isnan(con_ig[v]))), default=0.0
    )
    es_pick = rng.sample(nodes, es_nodes)
    es_nx, es_sample_s = _timed(nx.effective_size, G, nodes=es_pick, weight="weight")
    r["nx_effective_size_s"] = es_sample_s * len(nodes) / es_nodes
    es_ig = engines.effective_size(G, weight="weight", engine="igraph")
    r["effective_size_maxdiff"] = max(
        (abs(es_nx[v] - es_ig[v]) for v in es_pick if not (np.isnan(es_nx[v]) and np.isnan(es_ig[v]))), default=0.0
    )
    r["plain_nx_s"] = r["brokerage_s"] + r["nx_betweenness_s"] + r["nx_constraint_s"] + r["nx_effective_size_s"]
    r["speedup"] = r["plain_nx_s"] / r["graphnet_s"]
    r["sources"], r["es_nodes"] = sources, es_nodes

    if gds:
        r.update(_gds(G, bet_ig))
    return r


def _gds(G: nx.DiGraph, bet_ig: dict) -> dict[str, Any]:
    from graphnet.analytics import gds

    from . import server as bench_server

    out: dict[str, Any] = {}
    with bench_server.neo4j(gds=True, heap="2g", pagecache_mb=512) as (db, _):
        db.write("UNWIND $ids AS id CREATE (:Person {uid: id, name: id})", ids=list(G))
        rows = [{"a": u, "b": v, "w": d["weight"]} for u, v, d in G.edges(data=True)]
        for i in range(0, len(rows), 10_000):
            db.write(
                "UNWIND $rows AS r MATCH (a:Person {uid: r.a}), (b:Person {uid: r.b}) CREATE (a)-[:KNOWS {weight: r.w}]->(b)",
                rows=rows[i : i + 10_000],
            )
        res, out["gds_betweenness_s"] = _timed(gds.centrality, db, ["betweenness"], ["KNOWS"], directed=True)
        vals = res["betweenness"]
        out["gds_maxdiff"] = max(abs(vals.get(v, 0.0) - bet_ig[v]) for v in G)
    return out


def table(r: dict[str, Any]) -> str:
    lines = [
        "| benchmark | graph | graphnet | baseline | ratio | target | met |",
        "|---|---|---|---|---|---|---|",
        f"| (b) broker report (brokerage, betweenness, constraint, effective size) | {r['nodes']:,} people, "
        f"{r['ties']:,} directed ties, seed {r['seed']} | {r['graphnet_s']:.0f} s (igraph engine; "
        f"betweenness alone {r['igraph_betweenness_s']:.0f} s) | plain NetworkX {r['plain_nx_s'] / 60:.0f} min: "
        f"betweenness {r['nx_betweenness_s'] / 60:.0f} min (extrapolated from {r['sources']} sources: "
        f"{r['nx_betweenness_sample_s']:.0f} s), constraint {r['nx_constraint_s']:.1f} s, effective size "
        f"{r['nx_effective_size_s']:.0f} s (extrapolated from {r['es_nodes']} nodes), brokerage {r['brokerage_s']:.1f} s "
        f"| {r['speedup']:.0f}x | <= 3 min, >= 20x | "
        f"{'yes' if r['graphnet_s'] <= 180 and r['speedup'] >= 20 else 'no'} |",
    ]
    if "gds_betweenness_s" in r:
        lines.append(
            f"| (b) betweenness in Neo4j (GDS 2.13) | same ties | {r['gds_betweenness_s']:.0f} s incl. projection "
            f"| igraph {r['igraph_betweenness_s']:.0f} s | {r['igraph_betweenness_s'] / r['gds_betweenness_s']:.2f}x "
            f"| same values | max difference {r['gds_maxdiff']:.1e} |"
        )
    lines.append(
        f"\nEqual results: sampled-source betweenness dependencies NetworkX vs igraph max difference "
        f"{r['betweenness_sample_maxdiff']:.1e}; constraint (all nodes) {r['constraint_maxdiff']:.1e}; "
        f"effective size (sampled nodes) {r['effective_size_maxdiff']:.1e}."
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--nodes", type=int, default=20_000)
    ap.add_argument("--ties", type=int, default=100_000)
    ap.add_argument("--sources", type=int, default=100)
    ap.add_argument("--es-nodes", type=int, default=1000)
    ap.add_argument("--gds", action="store_true")
    args = ap.parse_args(argv)
    print(table(run(args.nodes, args.ties, args.sources, args.es_nodes, args.gds)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
