"""Benchmark: how long a 2,000-node investigator view takes to lay out in headless Chromium.

Builds a seeded scale-free graph shaped like a trafficking projection (people
in roles plus lodgings, phones, vehicles, documents), writes it with
``graphnet.views.write_view``, opens it from file:// in headless Chromium with
networking off, and reads the page's own timestamps: from the script start to
vis-network's ``stabilizationIterationsDone`` (after which physics stops).

    python -m benchmarks.view_bench [--nodes 2000] [--seed 7] [--repeat 3]

Prints one Markdown table row per run (not asserted in tests; needs the
Debian packages chromium and chromium-driver).
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

from graphnet.views import write_view

_KINDS = [
    ("Person", ["victim"], 0.45), ("Person", ["recruiter"], 0.12), ("Person", ["driver"], 0.06),
    ("Person", ["lodging_operator"], 0.03), ("Person", ["document_broker"], 0.02), ("Person", ["official"], 0.02),
    ("Person", ["organiser"], 0.01), ("Person", [], 0.09), ("Lodging", None, 0.05), ("Phone", None, 0.1),
    ("Vehicle", None, 0.03), ("Document", None, 0.02),
]  # fmt: skip
_TYPES = {"Lodging": "STAYED_AT", "Phone": "USES", "Vehicle": "USES", "Document": "HOLDS"}


def scenario_graph(n: int, seed: int) -> nx.MultiDiGraph:
    """A seeded scale-free multigraph following the projection attribute contract."""
    rng = random.Random(seed)
    base = nx.barabasi_albert_graph(n, 2, seed=seed)
    G = nx.MultiDiGraph(projection="benchmark", seed=seed)
    weights = [k[2] for k in _KINDS]
    for node in base:
        label, roles, _ = rng.choices(_KINDS, weights)[0]
        data = {"label": label, "name": f"{label.lower()} {node}", "src": [f"{seed:016x}:bench:{node + 2}"]}
        if roles is not None:
            data["roles"] = roles
        G.add_node(f"b:{node}", **data)
    for i, (u, v) in enumerate(base.edges()):
        lu, lv = G.nodes[f"b:{u}"]["label"], G.nodes[f"b:{v}"]["label"]
        rtype = _TYPES.get(lv) or _TYPES.get(lu) or rng.choice(["KNOWS", "CALLED", "RECRUITED", "TRANSPORTED"])
        G.add_edge(f"b:{u}", f"b:{v}", type=rtype, weight=float(rng.randint(1, 5)), src=[f"{seed:016x}:bench:{i + 2}"])
    return G


def measure(path: Path, timeout: float = 300.0) -> dict[str, float]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="graphnet-bench-")
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--window-size=1400,900", f"--user-data-dir={profile}"):  # fmt: skip
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "chromedriver"), options=options)
    try:
        driver.execute_cdp_cmd("Network.enable", {})
        driver.execute_cdp_cmd("Network.emulateNetworkConditions", {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
        t0 = time.perf_counter()
        driver.get(path.resolve().as_uri())
        loaded = time.perf_counter() - t0
        deadline = time.time() + timeout
        while time.time() < deadline:
            done = driver.execute_script(
                "return window.graphnet && window.graphnet.state.stabilizedAt !== null ? "
                "[window.graphnet.state.startedAt, window.graphnet.state.stabilizedAt, performance.timing.navigationStart] : null"
            )
            if done:
                break
            time.sleep(0.05)
        else:
            raise TimeoutError(f"no stabilisation within {timeout} s")
        started, stabilised, _ = done
        physics = driver.execute_script("return window.graphnet.network.physics.physicsEnabled")
        return {"load_s": loaded, "layout_s": (stabilised - started) / 1000.0, "to_static_s": stabilised / 1000.0, "physics_off": not physics}
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--nodes", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args(argv)
    G = scenario_graph(args.nodes, args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "bench.html"
        t0 = time.perf_counter()
        write_view(G, out, size_by="degree", limit=None, seed=args.seed)
        write_s = time.perf_counter() - t0
        size_mb = out.stat().st_size / 1e6
        print("| benchmark | nodes | ties | seed | write page (s) | page MB | load (s) | lay out until physics stops (s) | physics off |")
        print("|---|---|---|---|---|---|---|---|---|")
        for _ in range(args.repeat):
            m = measure(out)
            print(
                f"| view_stabilise | {G.number_of_nodes()} | {G.number_of_edges()} | {args.seed} | {write_s:.2f} | "
                f"{size_mb:.1f} | {m['load_s']:.2f} | {m['layout_s']:.2f} | {m['physics_off']} |"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
