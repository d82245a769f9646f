"""Communities with python-louvain, modularity, and how stable each grouping is.

:func:`louvain` runs python-louvain's ``best_partition`` (weight = strength,
``resolution``, ``seed`` recorded) and reports the modularity that NetworkX
computes for the partition.

:func:`stability` answers "which groupings are solid?". It runs Louvain with
``runs`` seeds (``seed``, ``seed+1``, ...). The *reference* partition is the
run with the highest modularity (ties: the earliest seed). ``co[u][v]`` is
the fraction of runs in which ``u`` and ``v`` fall in the same community. For
a reference community ``C``, its *core* is the member with the highest mean
co-assignment with the other members of ``C`` (ties: smallest uid); a
person's **stability** is the fraction of runs in which they fall with that
core member (the core member itself scores its own mean co-assignment). A
person with stability 1.0 was grouped with the core in every run; 0.5 means
half the runs put them elsewhere. A community's stability is the mean over its
members; members at or above ``solid`` (default 0.9) are listed as its
*solid* members.

>>> import networkx as nx
>>> G = nx.barbell_graph(5, 0)
>>> part = louvain(G, seed=1)
>>> len(set(part["partition"].values())), round(part["modularity"], 3)
(2, 0.452)
>>> s = stability(G, runs=5, seed=1)
>>> min(s["person"].values())
1.0
"""

from __future__ import annotations

import multiprocessing as mp
import queue
import time
from collections import defaultdict
from typing import Any

import networkx as nx

from ..errors import GraphnetError
from . import NARROW, allow, engines
from .measures import simple

__all__ = ["louvain", "lean", "stability", "PARALLEL_FROM"]

PARALLEL_FROM = 200_000_000
"""``nodes * ties`` from which the Louvain runs go to child processes (one per core) under the time limit
(below: seconds per run)."""


class _Lean(nx.Graph):
    """A graph made for one python-louvain run: its ``copy`` is itself.

    python-louvain starts by copying its graph (``generate_dendrogram``) and
    then only reads it; a graph built as ``Graph.copy`` builds (:func:`lean`)
    iterates in the order its copy would, so skipping the copy gives the same
    partition with one graph less in memory (gigabytes on a national graph).
    """

    def copy(self, as_view: bool = False) -> nx.Graph:
        return self


def lean(G: nx.Graph, weight: str = "weight") -> nx.Graph:
    """The simple undirected graph Louvain sees, with the ``weight`` of each tie and nothing else.

    Built the way ``Graph.copy`` builds, so nodes and neighbours come in the
    order python-louvain would see them after its own copy, and a seed gives
    the same partition as on ``G`` itself.

    >>> G = nx.Graph(); G.add_edge("a", "b", weight=2.0, name="x")
    >>> lean(G).edges["a", "b"]
    {'weight': 2.0}
    """
    return _rebuilt(*_lean_arrays(G, weight), weight=weight)


def _lean_arrays(G: nx.Graph, weight: str = "weight") -> tuple[list, Any, Any, Any]:
    """:func:`lean`'s graph as arrays (nodes, then one entry per adjacency entry), for a child to rebuild."""
    import numpy as np

    H = simple(G, directed=False)
    nodes = list(H)
    index = {n: i for i, n in enumerate(nodes)}
    count = sum(len(nbrs) for nbrs in H.adj.values())
    src = np.fromiter((index[u] for u, nbrs in H.adj.items() for _ in nbrs), dtype=np.int64, count=count)
    dst = np.fromiter((index[v] for nbrs in H.adj.values() for v in nbrs), dtype=np.int64, count=count)
    w = np.fromiter((d.get(weight, np.nan) for nbrs in H.adj.values() for d in nbrs.values()), dtype=float,
                    count=count)
    return nodes, src, dst, w


def _rebuilt(nodes: list, src: Any, dst: Any, w: Any, weight: str = "weight") -> nx.Graph:
    """The graph of :func:`_lean_arrays`, built as ``Graph.copy`` builds (one adjacency entry after the other)."""
    L = _Lean()
    L.add_nodes_from(nodes)
    L.add_edges_from(
        (nodes[a], nodes[b], {} if x != x else {weight: x})  # NaN: the tie had no weight
        for a, b, x in zip(src.tolist(), dst.tolist(), w.tolist())
    )
    return L


def louvain(G: nx.Graph, *, resolution: float = 1.0, seed: int = 0, weight: str = "weight") -> dict[str, Any]:
    """One Louvain partition: ``{"partition": {node: community}, "modularity", "seed", "resolution"}``.

    Communities are numbered 0, 1, ... by decreasing size (ties: smallest member).
    """
    return _louvain(lean(G, weight), resolution=resolution, seed=seed, weight=weight)


def _louvain(L: nx.Graph, *, resolution: float, seed: int, weight: str = "weight") -> dict[str, Any]:
    """:func:`louvain` on a graph :func:`lean` made."""
    import community as community_louvain  # python-louvain

    if L.number_of_edges() == 0:
        part = {n: i for i, n in enumerate(sorted(L, key=str))}
        return {"partition": part, "modularity": 0.0, "seed": seed, "resolution": resolution}
    raw = community_louvain.best_partition(L, weight=weight, resolution=resolution, random_state=seed)
    groups: dict[int, list] = defaultdict(list)
    for n, c in raw.items():
        groups[c].append(n)
    order = sorted(groups.values(), key=lambda m: (-len(m), str(min(m, key=str))))
    part = {n: i for i, members in enumerate(order) for n in members}
    q = modularity(L, order, weight=weight, resolution=resolution)
    return {"partition": part, "modularity": q, "seed": seed, "resolution": resolution}


def modularity(G: nx.Graph, communities: list[list], *, weight: str = "weight", resolution: float = 1.0) -> float:
    """``nx.community.modularity``, its sums taken in the order the communities list their members.

    NetworkX turns each community into a set and adds over it, so the last
    digits changed from one process to the next (Python's string hashing
    orders sets of uids). Same formula, same sums otherwise (tested against
    NetworkX to 1e-12). ``G``: an undirected or directed graph without
    parallel ties (as :func:`lean` makes it).

    >>> G = nx.barbell_graph(3, 0)
    >>> round(modularity(G, [[0, 1, 2], [3, 4, 5]]), 12) == round(nx.community.modularity(G, [{0, 1, 2}, {3, 4, 5}]), 12)
    True
    """
    directed = G.is_directed()
    if directed:
        out_degree, in_degree = dict(G.out_degree(weight=weight)), dict(G.in_degree(weight=weight))
        m = sum(out_degree.values())
        norm = 1 / m**2
    else:
        out_degree = in_degree = dict(G.degree(weight=weight))
        total = sum(out_degree.values())
        m = total / 2
        norm = 1 / total**2
    q = 0.0
    for members in communities:
        pos = {u: i for i, u in enumerate(members)}
        links = 0
        for u in members:  # each tie inside once (an undirected one from its earlier end), self-loops once
            for v, d in G.adj[u].items():
                if v in pos and (directed or pos[v] >= pos[u]):
                    links += d.get(weight, 1)
        out_sum = sum(out_degree[u] for u in members)
        in_sum = sum(in_degree[u] for u in members) if directed else out_sum
        q += links / m - resolution * out_sum * in_sum * norm
    return q


def stability(
    G: nx.Graph, *, runs: int = 10, seed: int = 0, resolution: float = 1.0, solid: float = 0.9,
    time_limit: float | None = None,
) -> dict[str, Any]:
    """Louvain over ``runs`` seeds; per-person stability with their community's core (module docstring).

    On a large graph (``nodes * ties`` from :data:`PARALLEL_FROM`) the runs
    share the cores, one child process each, and ``time_limit`` (minutes)
    is kept: the runs are stopped, with a :class:`~graphnet.errors.GraphnetError`
    saying how long they would take and what to do, as soon as the first
    finished runs foretell the rest beyond it, or when it passes.

    Returns
    -------
    dict
        ``reference`` (the best run, as from :func:`louvain`), ``seeds``,
        ``modularities`` (per run), ``person`` ({node: stability}),
        ``core`` ({community: core node}), ``communities`` (list of dicts:
        id, members, core, stability, solid).
    """
    if runs < 1:
        raise ValueError("runs must be at least 1")
    results = _runs(G, [seed + i for i in range(runs)], resolution, time_limit)
    ref = max(results, key=lambda r: (r["modularity"], -r["seed"]))
    members: dict[int, list] = defaultdict(list)
    for n, c in ref["partition"].items():
        members[c].append(n)

    def together(u: Any, v: Any) -> int:
        return sum(r["partition"][u] == r["partition"][v] for r in results)

    person: dict[Any, float] = {}
    core: dict[int, Any] = {}
    comms = []
    for c in sorted(members):
        ms = sorted(members[c], key=str)
        if len(ms) == 1:
            core[c] = ms[0]
            person[ms[0]] = 1.0
        else:
            # sum over v != u of the runs that put u with v, counted per run from the
            # community sizes: O(runs * |C|) instead of O(runs * |C|^2)
            pairs = dict.fromkeys(ms, 0)
            for r in results:
                p = r["partition"]
                size: dict[Any, int] = defaultdict(int)
                for u in ms:
                    size[p[u]] += 1
                for u in ms:
                    pairs[u] += size[p[u]] - 1
            best = max(pairs.values())
            core[c] = next(u for u in ms if pairs[u] == best)  # ties: the smallest uid (ms is in uid order)
            for u in ms:
                person[u] = pairs[u] / (runs * (len(ms) - 1)) if u == core[c] else together(u, core[c]) / runs
        comm_stab = sum(person[u] for u in ms) / len(ms)
        comms.append({"id": c, "members": ms, "core": core[c], "stability": comm_stab,
                      "solid": [u for u in ms if person[u] >= solid]})
    return {
        "reference": ref,
        "seeds": [r["seed"] for r in results],
        "modularities": [r["modularity"] for r in results],
        "person": person,
        "core": core,
        "communities": comms,
        "solid_threshold": solid,
    }


def _run_seeds(arrays: tuple, seeds: list[int], resolution: float, out: Any) -> None:  # pragma: no cover - child
    """Child process: one Louvain run per seed, each result put on ``out`` with its seconds."""
    try:
        L = _rebuilt(*arrays)
        for s in seeds:
            started = time.perf_counter()
            out.put(("run", _louvain(L, resolution=resolution, seed=s), time.perf_counter() - started))
    except BaseException as e:  # noqa: BLE001 - reported to the parent, which raises it
        out.put(("error", f"{type(e).__name__}: {e}", 0.0))


#: bytes a child process holds per tie and per node of its Louvain graph (measured: 7.2 M ties, 4 GB)
_BYTES_PER_TIE, _BYTES_PER_NODE = 600, 400


def _available_memory() -> int | None:
    """``MemAvailable`` of /proc/meminfo in bytes (None where there is none)."""
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def _at_once(n: int, m: int, runs: int) -> int:
    """Runs at a time: one per core, as many as the free memory holds (at least one)."""
    workers = max(1, min(engines.cores(), runs))
    free = _available_memory()
    if free is not None:
        workers = max(1, min(workers, free // (m * _BYTES_PER_TIE + n * _BYTES_PER_NODE + 1)))
    return workers


def _runs(G: nx.Graph, seeds: list[int], resolution: float, time_limit: float | None) -> list[dict[str, Any]]:
    """Louvain with each seed, in seed order: here on a small graph, else in child processes under the limit."""
    n, m = G.number_of_nodes(), G.number_of_edges()
    if n * m < PARALLEL_FROM or not engines.forkable():
        L = lean(G)
        return [_louvain(L, resolution=resolution, seed=s) for s in seeds]
    arrays = _lean_arrays(G)
    n, m = len(arrays[0]), len(arrays[1]) // 2
    workers = _at_once(n, m, len(seeds))
    ctx = mp.get_context("fork")
    out = ctx.Queue()
    shares = [seeds[w::workers] for w in range(workers)]
    procs = [ctx.Process(target=_run_seeds, args=(arrays, share, resolution, out), daemon=True) for share in shares]
    started = time.perf_counter()
    limit = time_limit * 60 if time_limit and time_limit > 0 else None
    results: dict[int, dict[str, Any]] = {}
    seconds: list[float] = []
    try:
        for p in procs:
            p.start()
        while len(results) < len(seeds):
            elapsed = time.perf_counter() - started
            if limit is not None and elapsed > limit:
                raise GraphnetError(_too_slow(n, m, len(seeds), results, seconds, time_limit, workers, elapsed))
            try:
                kind, payload, took = out.get(timeout=1.0 if limit is None else min(5.0, max(0.1, limit - elapsed)))
            except queue.Empty:
                if not any(p.is_alive() for p in procs) and out.empty():
                    raise GraphnetError("a Louvain process ended without a result (killed, most often for lack "
                                        f"of memory); {NARROW}") from None
                continue
            if kind == "error":
                raise RuntimeError(f"a Louvain run failed: {payload}")
            results[payload["seed"]] = payload
            seconds.append(took)
            if limit is not None and _foretold(time.perf_counter() - started, seconds, len(seeds), workers) > limit:
                raise GraphnetError(_too_slow(n, m, len(seeds), results, seconds, time_limit, workers,
                                              time.perf_counter() - started))
    finally:
        for p in procs:
            if p.is_alive():
                p.terminate()
        for p in procs:
            p.join()
        out.cancel_join_thread()
        out.close()
    return [results[s] for s in seeds]


def _foretold(elapsed: float, seconds: list[float], runs: int, workers: int) -> float:
    """Seconds all ``runs`` take: ``elapsed`` so far, then the slowest run timed for each one left.

    ``workers`` run at a time; those still running when the last timed run
    ended are counted as about done.

    >>> _foretold(60.0, [60.0], 10, 2)   # 5 rounds of 60 s
    300.0
    """
    left = max(0, runs - len(seconds) - (workers - 1))
    return elapsed + max(seconds) * -(-left // workers)


def _too_slow(n: int, m: int, runs: int, results: dict, seconds: list[float], time_limit: float,
              workers: int, elapsed: float) -> str:
    """The message of runs stopped by the time limit, with the ways on."""
    from .reports import _human

    head = f"Louvain on {n:,} nodes and {m:,} ties ({workers} runs at a time on this machine): "
    if seconds:
        per = max(seconds)
        total = _foretold(elapsed, seconds, runs, workers)
        # the runs that surely fit: whole rounds of the slowest run after the setup (building the
        # graph in each process), within nine tenths of the limit (runs differ by a minute or two)
        setup = max(0.0, elapsed - per * -(-len(seconds) // workers))
        fit = int((0.9 * time_limit * 60 - setup) // per) * workers
        head += (f"{len(results)} of {runs} runs finished, each taking up to {_human(per)}; the {runs} runs would "
                 f"take about {_human(total)}, more than --time-limit {time_limit:g} min: ")
        ways = [f"run fewer seeds with --runs {fit}" if 1 <= fit < runs else "", NARROW, allow(total)]
    else:
        head += f"no run finished within --time-limit {time_limit:g} min: "
        ways = [NARROW, "or allow it with a larger --time-limit (minutes; 0: no limit)"]
    return head + "; ".join(w for w in ways if w)
