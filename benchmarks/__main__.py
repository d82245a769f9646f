"""Run every benchmark side by side and write ``benchmarks/RESULTS.md``.

    python -m benchmarks            # all: (a) load, (b) brokers, (c) evidence, (d) view, (e) cut points
    python -m benchmarks --only b   # one or more of a, b, c, d, e (a and c share one run)
    python -m benchmarks --gds      # also GDS in (b) (needs GRAPHNET_GDS=1 graphnet db build)

Run it with ``nice -n 19`` on a shared machine. Each benchmark's table is
printed and written between its own markers in RESULTS.md (the blocks of
benchmarks not run, and any other text, are kept).
"""

from __future__ import annotations

import argparse
import logging
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path

from . import machine

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def _view() -> str:
    from . import view_bench

    G = view_bench.scenario_graph(2000, 7)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "bench.html"
        t0 = time.perf_counter()
        view_bench.write_view(G, out, size_by="degree", limit=None, seed=7)
        write_s = time.perf_counter() - t0
        m = view_bench.measure(out)
    return (
        "| benchmark | graph | graphnet | baseline | ratio | target | met |\n|---|---|---|---|---|---|---|\n"
        f"| (d) view stabilisation, headless Chromium | {G.number_of_nodes():,} nodes, {G.number_of_edges():,} ties, "
        f"seed 7 | page written in {write_s:.1f} s; loaded {m['load_s']:.2f} s; layout until physics stops "
        f"{m['layout_s']:.2f} s (physics off: {m['physics_off']}) | - | - | < 5 s | "
        f"{'yes' if m['layout_s'] < 5 else 'no'} |"
    )


def write_results(sections: dict[str, str], info: dict) -> None:
    """Replace each run benchmark's block in RESULTS.md (blocks of others stay)."""
    text = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n"
    stamp = machine.markdown(info)
    for key, body in sections.items():
        begin, end = f"<!-- benchmark {key}: begin -->", f"<!-- benchmark {key}: end -->"
        block = f"{begin}\n{stamp}\n\n{body}\n{end}"
        if begin in text and end in text:
            text = text[: text.index(begin)] + block + text[text.index(end) + len(end) :]
        else:
            text = text.rstrip() + "\n\n" + block + "\n"
    RESULTS.write_text(text)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="graphnet benchmarks (issue 7)")
    ap.add_argument("--only", default="abcde", help="which benchmarks: letters of a b c d e")
    ap.add_argument("--gds", action="store_true", help="also run GDS (needs the -Pgds build)")
    ap.add_argument("--scenario", type=Path, default=Path(tempfile.gettempdir()) / "graphnet-bench-national")
    ap.add_argument("--no-write", action="store_true", help="print only, leave RESULTS.md alone")
    args = ap.parse_args(argv)
    logging.getLogger("neo4j.notifications").setLevel(logging.ERROR)
    info = machine.describe()
    print(machine.markdown(info), flush=True)
    sections: dict[str, str] = {}

    def attempt(name: str, fn) -> None:
        t0 = time.perf_counter()
        try:
            text = fn()
        except Exception as e:  # a benchmark that fails is reported, the others still run
            traceback.print_exc()
            text = f"{name}: FAILED ({type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''})"
        sections[name] = text
        print(text + f"\n({name} took {time.perf_counter() - t0:.0f} s)\n", flush=True)

    if "a" in args.only or "c" in args.only:
        from . import load_bench

        attempt("a+c", lambda: load_bench.table(load_bench.run(args.scenario, gds=False)))
    if "b" in args.only:
        from . import broker_bench

        attempt("b", lambda: broker_bench.table(broker_bench.run(20_000, 100_000, 100, 1000, args.gds)))
    if "d" in args.only:
        if shutil.which("chromium") or shutil.which("chromium-browser"):
            attempt("d", _view)
        else:
            sections["d"] = "(d) view: not run (no chromium on this machine)"
    if "e" in args.only:
        from . import cut_bench

        attempt("e", lambda: cut_bench.table(cut_bench.run(300_000, 1_500_000)))
    if not args.no_write:
        write_results(sections, info)
        print(f"written to {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
