"""Planted truth: precision and recall at 10 of the syndicate report's organiser candidates.

For each removed-tie fraction (0 %, 15 %, 30 %), generate the seeded
``province`` scenario with ``graphnet.synth.generate(tie_removal=...)``, load
its plan into a fresh managed Neo4j, run ``graphnet.resolution.resolve``,
project ``persons``, run :func:`graphnet.analytics.syndicates.syndicates`
and score the pooled top-10 candidates against ``truth.json``. For
comparison, the top 10 of the ``brokers`` report and of ``centrality`` by
betweenness and by PageRank on the same projection are matched to true people
too: how many are planted traffickers (any true role but victim and witness)
and how many are organisers.

Run: ``.venv/bin/python benchmarks/syndicates_truth.py [--seed 1]`` (prints a
markdown table for benchmarks/RESULTS.md).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from graphnet import db as dbapi
from graphnet.analytics.projections import project
from graphnet.analytics.syndicates import syndicates
from graphnet.analytics import reports
from graphnet.analytics.truth import evaluate, node_truth, read_truth
from graphnet.config import get_settings
from graphnet.db import server
from graphnet.loading import load_plan, source_uid
from graphnet.resolution import resolve
from graphnet.synth import generate


def run_one(db, out: Path, *, seed: int, removal: float, k: int = 10, report_seed: int = 0) -> dict:
    dbapi.clear(db)
    dbapi.apply_schema(db)
    generate(out, seed=seed, tie_removal=removal)
    t0 = time.perf_counter()
    load_plan(db, out / "load-plan.yaml", rejects_dir=out / "rejects")
    resolve(db)
    truth = read_truth(out / "truth.json")
    sources = {name: source_uid(f["sha256"], name) for name, f in truth["files"].items()}
    G = project(db, "persons")
    report = syndicates(G, top=k, seed=report_seed)
    result = evaluate(G, report.sections, truth, sources, k=k, base_dir=out)
    result.update(removal=removal, seed=seed, seconds=time.perf_counter() - t0, nodes=G.number_of_nodes(),
                  edges=G.number_of_edges(), syndicates=len(report.sections))
    mapping = node_truth(G, truth, sources, out)
    result["others"] = {
        name: top_roles(rep, mapping, truth) for name, rep in (
            ("brokers", reports.brokers(G, top=k)),
            ("betweenness", reports.centrality(G, top=k, by="betweenness")),
            ("pagerank", reports.centrality(G, top=k, by="pagerank")),
        )
    }
    return result


def top_roles(report, mapping: dict, truth: dict) -> tuple[int, int]:
    """(planted traffickers, organisers) among a ranking report's rows, matched to true people."""
    roles = [(truth["persons"].get(mapping.get(row["uid"])) or {}).get("role") for row in report.rows]
    return sum(1 for r in roles if r not in (None, "victim", "witness")), roles.count("organiser")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--k", type=int, default=10)
    args = ap.parse_args()
    base = get_settings()
    with tempfile.TemporaryDirectory() as tmp:
        settings = base if base.external else base.replace(home=Path(tmp) / "home", port=server.free_port(),
                                                            build_dir=base.replace(gds=False).server_build_dir)
        if not base.external:
            server.start(settings)
        try:
            with dbapi.connect(settings) as db:
                print("| removed ties | P@10 | R@10 | organisers found | persons / ties | syndicates | seconds "
                      "| traffickers / organisers in top 10: brokers, betweenness, PageRank |")
                print("|---|---|---|---|---|---|---|---|")
                for removal in (0.0, 0.15, 0.30):
                    r = run_one(db, Path(tmp) / f"s{int(removal * 100)}", seed=args.seed, removal=removal, k=args.k)
                    print(f"| {removal:.0%} | {r['precision']:.2f} | {r['recall']:.2f} | {r['hits']}/{r['organisers']} "
                          f"| {r['nodes']} / {r['edges']} | {r['syndicates']} | {r['seconds']:.0f} | "
                          + ", ".join(f"{t} / {o}" for t, o in r["others"].values()) + " |", flush=True)
        finally:
            if not base.external:
                server.stop(settings)


if __name__ == "__main__":
    main()
