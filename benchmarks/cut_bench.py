"""Benchmark (e): the cut points, bridges and components every centrality report counts.

``graphnet report centrality`` states the articulation points, bridges and
connected components of its graph. On the national scenario's persons
projection (728,079 people, 7,362,572 ties) NetworkX's bridge search alone
took about a minute. The graph here is seeded and shaped like that one: a
sparse random core plus chains and pendant people (so there are cut points
and bridges), built once; then, side by side in one run,
:func:`graphnet.analytics.engines.cut_structure` with the igraph engine and
with NetworkX (the reference: ``articulation_points``, ``bridges``,
``number_connected_components``), and the two results compared as sets.

    python -m benchmarks.cut_bench [--nodes 300000] [--ties 1500000]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from typing import Any

import networkx as nx

from graphnet.analytics import engines


def graph(nodes: int, ties: int, seed: int = 7) -> nx.Graph:
    """A random core of ``nodes`` people and ``ties`` ties, with chains and pendants hung from it."""
    rng = random.Random(seed)
    G = nx.gnm_random_graph(nodes, ties, seed=seed)
    for i in range(nodes // 20):  # pendant people and short chains: cut points and bridges
        prev = rng.randrange(nodes)
        for j in range(rng.choice((1, 1, 2, 3))):
            G.add_edge(prev, f"c{i}.{j}")
            prev = f"c{i}.{j}"
    return G


def run(nodes: int, ties: int) -> dict[str, Any]:
    G = graph(nodes, ties)
    out: dict[str, Any] = {"nodes": G.number_of_nodes(), "ties": G.number_of_edges()}
    got = {}
    for engine in ("igraph", "networkx"):
        t0 = time.perf_counter()
        points, bridges, parts = engines.cut_structure(G, engine=engine)
        out[engine] = time.perf_counter() - t0
        got[engine] = (points, {frozenset(e) for e in bridges}, parts)
    out["equal"] = got["igraph"] == got["networkx"]
    out["points"], out["bridges"], out["components"] = len(got["networkx"][0]), len(got["networkx"][1]), got["networkx"][2]
    return out


def table(r: dict[str, Any]) -> str:
    return (
        "| benchmark | graph | graphnet (igraph) | baseline (plain NetworkX) | ratio | equal results |\n"
        "|---|---|---|---|---|---|\n"
        f"| (e) cut points, bridges, components of a report's graph | {r['nodes']:,} nodes, {r['ties']:,} ties, "
        f"seed 7; {r['points']:,} cut points, {r['bridges']:,} bridges, {r['components']:,} components | "
        f"{r['igraph']:.1f} s | {r['networkx']:.1f} s | {r['networkx'] / r['igraph']:.1f}x | "
        f"{'yes (same sets)' if r['equal'] else 'NO'} |"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--nodes", type=int, default=300_000)
    ap.add_argument("--ties", type=int, default=1_500_000)
    args = ap.parse_args(argv)
    r = run(args.nodes, args.ties)
    print(table(r))
    return 0 if r["equal"] else 1


if __name__ == "__main__":
    sys.exit(main())
