"""Heavy graph kernels, with NetworkX as the reference definition.

Every measure module calls the kernels here rather than NetworkX directly, so
a faster engine can serve large graphs with results equal to NetworkX's.
``engine`` is one of :data:`ENGINES`:

``"networkx"``
    the reference: NetworkX's own functions.
``"igraph"``
    the compiled igraph library (C), or sparse matrix code (scipy) where
    igraph's definition differs; results equal NetworkX's to 1e-9 (see
    ``tests/test_engines.py``). A graph igraph cannot take as is (a zero or
    negative length, a multigraph where NetworkX's semantics are special) is
    computed by NetworkX instead; :func:`last_engine` says which ran.
``"auto"``
    NetworkX below :data:`AUTO_THRESHOLD` edges, igraph above; constraint
    and effective size take igraph at every size (faster, and equal to 1e-9).

NetworkX adds the terms of constraint and effective size over Python sets of
neighbours; a set of strings is iterated in another order in every process
(string hashing), and the last digits changed with it. The ``networkx``
engine therefore runs them on a copy of the graph labelled 0..n-1 in the
graph's order (:func:`_on_integers`): the same NetworkX code, in the same
order in every run.

``"gds"`` is not a kernel engine: in-database measures live in
:mod:`graphnet.analytics.gds`.

Weight semantics: ``distance`` attributes are lengths (betweenness, closeness,
harmonic); ``weight`` attributes are strengths (PageRank, eigenvector,
constraint, effective size). An edge without the attribute counts 1, as in
NetworkX; parallel edges of a multigraph count with their smallest length
(paths) or the sum of their strengths (PageRank), as in NetworkX.

What is and is not accelerated, and why:

* betweenness, closeness (Wasserman-Faust scaling for disconnected graphs,
  NetworkX's ``wf_improved=True``), harmonic: igraph, rescaled to NetworkX's
  normalisation (igraph counts unordered pairs in undirected graphs).
  Betweenness of a big graph (``n * m >=`` :data:`PARALLEL_WORK`) shares its
  sources among one process per core and adds the parts (``workers=``).
* PageRank: igraph PRPACK solves the linear system exactly; NetworkX's power
  iteration stops when the L1 change of one step is below ``n * tol``
  (``tol=1e-6``), which leaves it up to ``alpha / (1 - alpha) * n * tol`` (L1)
  from the solution (measured on CAVIAR: 2.6e-4 over 110 nodes). Run with a
  tiny ``tol``, NetworkX agrees with PRPACK to 1e-12. PRPACK's is the exact one.
* eigenvector: NetworkX's ``eigenvector_centrality_numpy`` already runs ARPACK
  through scipy on a sparse matrix, so every engine uses it.
* constraint: igraph's Burt constraint (same a_ij + a_ji mutual weights as
  NetworkX) for simple graphs with positive weights.
* effective size: sparse-matrix form of Burt's redundancy formula as NetworkX
  documents it and computes it node by node. NetworkX 3.6's vectorised path
  (taken when ``nodes`` is not given) builds a dense n x n matrix and, for
  weighted graphs, divides by the column maximum instead of the row maximum,
  so it disagrees with its own definition; the reference here is
  ``nx.effective_size(G, nodes=list(G), weight=...)``.
* articulation points, bridges, connected components (:func:`cut_structure`):
  igraph's biconnected-component and bridge search on the simple undirected
  graph; the same sets as NetworkX's (self-loops and parallel ties make
  neither a cut point nor a bridge in either).
* communities: python-louvain for every engine. igraph's multilevel algorithm
  visits nodes in another order and cannot be seeded to give python-louvain's
  partition, so switching would change results; it is not used.

Approximate betweenness (:func:`betweenness_sample`) samples k sources and
returns each estimate's standard error with the seed, so a report can state
its error.

>>> import networkx as nx
>>> G = nx.path_graph(3)
>>> betweenness(G)[1]
1.0
>>> round(betweenness(G, engine="igraph")[1], 12)
1.0
"""

from __future__ import annotations

import functools
import math
import multiprocessing as mp
import os
import random
import threading
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import scipy.sparse as sp

from ..collector import no_cyclic_gc
from ..errors import GraphnetError

__all__ = [
    "AUTO_THRESHOLD",
    "ENGINES",
    "PARALLEL_WORK",
    "resolve_engine",
    "last_engine",
    "betweenness",
    "betweenness_sample",
    "seconds_per_source",
    "cores",
    "closeness",
    "harmonic",
    "pagerank",
    "PageRank",
    "eigenvector",
    "constraint",
    "effective_size",
    "communities",
    "cut_structure",
]

AUTO_THRESHOLD = 5_000
"""Edges from which ``engine="auto"`` uses igraph instead of NetworkX."""

ENGINES = ("auto", "networkx", "igraph")

_state = threading.local()


def resolve_engine(G: nx.Graph, engine: str = "auto") -> str:
    """The engine that ``engine`` means for ``G``: ``"networkx"`` or ``"igraph"``.

    >>> resolve_engine(nx.path_graph(3))
    'networkx'
    >>> resolve_engine(nx.path_graph(3), "igraph")
    'igraph'
    """
    if engine == "gds":
        raise GraphnetError(
            "engine 'gds' runs in the database, not on a NetworkX graph: use graphnet.analytics.gds"
        )
    if engine not in ENGINES:
        raise GraphnetError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)} or gds")
    if engine == "auto":
        return "igraph" if G.number_of_edges() >= AUTO_THRESHOLD else "networkx"
    return engine


def _in_fixed_order(G: nx.Graph, engine: str) -> str:
    """:func:`resolve_engine` for constraint and effective size: ``auto`` takes igraph at every size.

    NetworkX adds each node's terms over a Python set of its neighbours, whose
    order changes from one process to the next (string hashing), and with it
    the last digits; the compiled path adds in the graph's order. ``networkx``
    runs NetworkX itself, on integer labels (:func:`_on_integers`).

    >>> _in_fixed_order(nx.path_graph(3), "auto"), _in_fixed_order(nx.path_graph(3), "networkx")
    ('igraph', 'networkx')
    """
    resolved = resolve_engine(G, engine)
    return "igraph" if engine == "auto" else resolved


def last_engine() -> str | None:
    """The engine that actually computed the last kernel called in this thread."""
    return getattr(_state, "engine", None)


def _ran(engine: str) -> None:
    _state.engine = engine


# --------------------------------------------------------------------------- conversion


def _edge_values(G: nx.Graph, attr: str | None, combine: str) -> tuple[list[Hashable], np.ndarray, np.ndarray, np.ndarray]:
    """Nodes, and source/target index and value arrays of G's edges (parallel edges combined)."""
    nodes = list(G)
    index = {n: i for i, n in enumerate(nodes)}
    if G.is_multigraph():
        merged: dict[tuple[int, int], float] = {}
        for u, v, d in G.edges(data=True):
            a, b = index[u], index[v]
            if not G.is_directed() and a > b:
                a, b = b, a
            w = float(d.get(attr, 1)) if attr is not None else 1.0
            if (a, b) in merged:
                merged[(a, b)] = min(merged[(a, b)], w) if combine == "min" else merged[(a, b)] + w
            else:
                merged[(a, b)] = w
        src = np.fromiter((k[0] for k in merged), dtype=np.int64, count=len(merged))
        dst = np.fromiter((k[1] for k in merged), dtype=np.int64, count=len(merged))
        val = np.fromiter(merged.values(), dtype=float, count=len(merged))
        return nodes, src, dst, val
    m = G.number_of_edges()
    ends = np.fromiter((index[x] for e in G.edges() for x in e), dtype=np.int64, count=2 * m).reshape(m, 2)
    if attr is None:
        val = np.ones(m, dtype=float)
    else:
        val = np.fromiter((float(w) for _, _, w in G.edges(data=attr, default=1)), dtype=float, count=m)
    return nodes, ends[:, 0].copy(), ends[:, 1].copy(), val


def _igraph(n: int, src: np.ndarray, dst: np.ndarray, directed: bool):
    """igraph graph of ``n`` vertices and the edges ``src[i] -> dst[i]``.

    The edges go to igraph as a list of pairs, with Python's cyclic collector
    paused: igraph reads a 2-D array row by row as Python objects, and each
    automatic collection then walks the whole NetworkX graph held beside it
    (measured: 600,000 edges beside a graph of that size, 2.1 s -> 0.16 s).
    """
    ig = _igraph_module()
    with no_cyclic_gc(collect=False):
        return ig.Graph(n=n, edges=list(zip(src.tolist(), dst.tolist())), directed=directed)


@functools.lru_cache(maxsize=1)
def _igraph_module() -> Any:
    """The igraph module, its OpenMP runtime held to one thread.

    igraph's PRPACK (PageRank) adds its sums in OpenMP threads, in whichever
    order they finish: the last digits of PageRank then changed from one call
    to the next on the same graph, and so could the order of people with
    equal scores in a report. One thread costs little (390,000 nodes,
    1,000,000 ties: 0.30 s per PageRank against 0.28 s with two) and gives
    the same bits every run. igraph's wheels carry their own ``libgomp`` in
    ``igraph.libs``; it is the one set here (loading a library already loaded
    returns that copy).
    """
    import ctypes

    import igraph as ig

    libs = Path(ig.__file__).resolve().parent.parent / "igraph.libs"
    for lib in sorted(libs.glob("libgomp*.so*")) if libs.is_dir() else []:
        try:
            ctypes.CDLL(str(lib)).omp_set_num_threads(1)
        except (OSError, AttributeError):  # pragma: no cover - another build of igraph
            pass
    return ig


def _path_graph(G: nx.Graph, distance: str | None):
    """igraph copy for shortest-path measures, or None when NetworkX must run.

    Self-loops are dropped (they lie on no shortest path); lengths must be
    positive and finite (NetworkX accepts zero lengths, igraph does not).
    """
    got = _path_edges(G, distance)
    if got is None:
        return None, list(G), None
    nodes, src, dst, val = got
    h = _igraph(len(nodes), src, dst, G.is_directed())
    return h, nodes, (val.tolist() if distance is not None else None)


def _path_edges(G: nx.Graph, distance: str | None):
    """Nodes and the edge arrays of :func:`_path_graph`, or None when NetworkX must run."""
    nodes, src, dst, val = _edge_values(G, distance, "min")
    keep = src != dst
    src, dst, val = src[keep], dst[keep], val[keep]
    if distance is not None and val.size and not (np.all(val > 0) and np.all(np.isfinite(val))):
        return None
    return nodes, src, dst, val


# --------------------------------------------------------------------------- path measures


def betweenness(
    G: nx.Graph,
    *,
    distance: str | None = None,
    normalized: bool = True,
    engine: str = "auto",
    workers: int | None = None,
) -> dict[Any, float]:
    """Exact betweenness centrality, as ``nx.betweenness_centrality``.

    Parameters
    ----------
    G : NetworkX graph
    distance : str, optional
        Edge attribute read as a length (``None``: every edge has length 1).
    normalized : bool
        Divide by the number of ordered pairs ``(n-1)(n-2)`` (undirected
        graphs count each pair once, as NetworkX does).
    engine : {"auto", "networkx", "igraph"}
    workers : int, optional
        igraph engine: processes to share the sources among (each computes
        the dependencies of its sources, the sums are added). Default: one
        per available core once the graph has ``n * m >=``
        :data:`PARALLEL_WORK`, else 1.

    Examples
    --------
    >>> G = nx.star_graph(3)
    >>> betweenness(G, engine="igraph")[0] == nx.betweenness_centrality(G)[0] == 1.0
    True
    """
    if resolve_engine(G, engine) == "igraph":
        got = _path_edges(G, distance)
        if got is not None:
            nodes, src, dst, val = got
            w = val.tolist() if distance is not None else None
            k = _workers(len(nodes), src.size, workers)
            if k > 1:
                raw = _betweenness_parallel(len(nodes), src, dst, w, G.is_directed(), k)
            else:
                raw = _igraph(len(nodes), src, dst, G.is_directed()).betweenness(directed=G.is_directed(), weights=w)
            _ran("igraph")
            return dict(zip(nodes, _rescale_betweenness(raw, len(nodes), normalized, G.is_directed())))
    _ran("networkx")
    return nx.betweenness_centrality(G, weight=distance, normalized=normalized)


PARALLEL_WORK = 200_000_000
"""``nodes * edges`` from which igraph betweenness is shared among processes
by default (about 10 s of work on one core; starting a process costs ~2 s)."""


def cores() -> int:
    """The cores this process may run on (its CPU affinity on Linux).

    >>> cores() >= 1
    True
    """
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def forkable() -> bool:
    """Whether child processes can be forked safely here (a start method "fork", one thread running)."""
    return "fork" in mp.get_all_start_methods() and threading.active_count() == 1


def _workers(n: int, m: int, workers: int | None) -> int:
    if workers is not None:
        return max(1, min(int(workers), n))
    if n * m < PARALLEL_WORK:
        return 1
    return max(1, min(cores(), n))


def _betweenness_part(n: int, src: np.ndarray, dst: np.ndarray, w: list[float] | None, directed: bool,
                      sources: list[int]) -> np.ndarray:
    """igraph betweenness counting only the shortest paths from ``sources`` (same scale as the full one)."""
    h = _igraph(n, src, dst, directed)
    return np.asarray(h.betweenness(directed=directed, weights=w, sources=sources), dtype=float)


def _in_processes(func: Any, common: tuple, parts: list[Any]) -> list[Any]:
    """``[func(*common, part) for part in parts]``, the first here and the others in child processes.

    Children are forked when this process runs a single thread, else
    spawned (python-igraph holds the GIL, hence processes); a part whose
    process fails or cannot start is computed here, so its error surfaces here.
    """
    import concurrent.futures as cf

    futures: dict[int, cf.Future] = {}
    pool = None
    try:
        method = "fork" if forkable() else "spawn"
        pool = cf.ProcessPoolExecutor(len(parts) - 1, mp_context=mp.get_context(method))
        for i in range(1, len(parts)):
            futures[i] = pool.submit(func, *common, parts[i])
    except Exception:  # noqa: BLE001  (no child process here, e.g. inside a daemon): parts run below
        pass
    try:
        results = [func(*common, parts[0])]
        for i in range(1, len(parts)):
            got = None
            if i in futures:
                try:
                    got = futures[i].result()
                except Exception:  # noqa: BLE001  the child failed: compute its part here
                    got = None
            results.append(got if got is not None else func(*common, parts[i]))
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
    return results


def _betweenness_parallel(n: int, src: np.ndarray, dst: np.ndarray, w: list[float] | None, directed: bool,
                          workers: int) -> list[float]:
    """Full igraph betweenness as the sum of ``workers`` source-subset betweennesses.

    igraph counts the paths from a subset of sources on the full
    computation's scale, so the parts add up to the full betweenness (the
    same values up to the order of the floating-point sums).
    """
    parts = [list(range(i, n, workers)) for i in range(workers)]  # interleaved: balanced work
    total = np.zeros(n)
    for part in _in_processes(_betweenness_part, (n, src, dst, w, directed), parts):
        total += part
    return total.tolist()


def _rescale_betweenness(raw: list[float], n: int, normalized: bool, directed: bool) -> list[float]:
    # igraph: undirected pairs counted once; NetworkX's normalisation is over
    # ordered pairs, so an undirected pair weighs 2 / ((n-1)(n-2)).
    if n < 3:
        return [float(x) for x in raw]
    if normalized:
        scale = (1.0 if directed else 2.0) / ((n - 1) * (n - 2))
        return [x * scale for x in raw]
    return [float(x) for x in raw]


_SAMPLE_BLOCK = 50
"""Sampled sources per block of :func:`betweenness_sample`: a block's sums are
taken source by source, and blocks are added in order, whatever the number of
processes that computed them (so the estimate does not depend on it)."""


def _block_stats(deps: Any) -> tuple[np.ndarray, np.ndarray, int]:
    """Sum, Welford's sum of squared deviations and count of a block of dependency vectors."""
    total = mean = m2 = None
    count = 0
    for d in deps:
        count += 1
        if total is None:
            total, mean, m2 = d.copy(), d.copy(), np.zeros_like(d)
            continue
        total += d
        delta = d - mean
        mean += delta / count
        m2 += delta * (d - mean)
    return total, m2, count


def _sample_blocks(n: int, src: np.ndarray, dst: np.ndarray, w: list[float] | None, directed: bool,
                   blocks: list[list[int]]) -> list[tuple[np.ndarray, np.ndarray, int]]:
    """:func:`_block_stats` of each block of sources' igraph dependencies (one process's share)."""
    h = _igraph(n, src, dst, directed)
    # igraph halves a single source's dependencies in an undirected graph
    # (it counts unordered pairs); NetworkX's accumulation does not.
    factor = 1.0 if directed else 2.0
    return [
        _block_stats(np.asarray(h.betweenness(directed=True, weights=w, sources=[s]), dtype=float) * factor
                     for s in block)
        for block in blocks
    ]  # fmt: skip


def _combine_blocks(stats: list[tuple[np.ndarray, np.ndarray, int]], n: int) -> tuple[np.ndarray, np.ndarray]:
    """Sum and sum of squared deviations of all blocks, in block order (Chan et al.'s pairwise update)."""
    total, m2, count = np.zeros(n), np.zeros(n), 0
    for s, q, c in stats:
        if count == 0:
            total, m2, count = s.copy(), q.copy(), c
            continue
        delta = s / c - total / count
        m2 = m2 + q + delta * delta * (count * c / (count + c))
        total = total + s
        count += c
    return total, m2


def betweenness_sample(
    G: nx.Graph, k: int, *, seed: int = 0, distance: str | None = None, normalized: bool = True, engine: str = "auto",
    workers: int | None = None,
) -> tuple[dict[Any, float], dict[str, Any]]:
    """Betweenness estimated from ``k`` sources drawn at random, with its error.

    The estimate of each node is ``n / k`` times the sum of its dependencies
    on the sampled sources (unbiased; sampling without replacement), scaled as
    :func:`betweenness`. Returns ``(values, info)`` where ``info`` holds
    ``k``, ``n``, ``seed``, ``bound95`` (every estimate is within this of the
    exact value with 95% confidence, simultaneously: Hoeffding-Serfling),
    ``stderr`` (node -> sample standard error, finite-population corrected:
    a typical error, which understates it for a node whose few large
    dependencies the sample missed), ``max_stderr`` and ``error`` (one line
    to print with any figure computed from the estimate). With ``k >= n`` the
    result is exact and both errors are 0.

    igraph engine: with ``k * m >=`` :data:`PARALLEL_WORK` (or ``workers``
    given) the sources are shared among one process per core; each keeps a
    sum and a running variance per node, not a ``k x n`` matrix, and the
    estimate is the same for any number of processes.

    Examples
    --------
    >>> G = nx.karate_club_graph()
    >>> est, info = betweenness_sample(G, k=34, seed=1)
    >>> exact = nx.betweenness_centrality(G)
    >>> max(abs(est[v] - exact[v]) for v in G) < 1e-12, info["max_stderr"]
    (True, 0.0)
    """
    if k < 1:
        raise GraphnetError(f"betweenness sample size k must be at least 1, got {k}")
    nodes = list(G)
    n = len(nodes)
    rng = random.Random(seed)
    k = min(k, n)
    sources = rng.sample(range(n), k) if n else []
    blocks = [sources[i:i + _SAMPLE_BLOCK] for i in range(0, k, _SAMPLE_BLOCK)]
    got = _path_edges(G, distance) if resolve_engine(G, engine) == "igraph" else None
    if got is not None:
        _, src, dst, val = got
        w = val.tolist() if distance is not None else None
        common = (n, src, dst, w, G.is_directed())
        workers = max(1, min(len(blocks), workers if workers is not None else
                             (cores() if k * src.size >= PARALLEL_WORK else 1)))  # fmt: skip
        if workers > 1:
            parts = _in_processes(_sample_blocks, common, [blocks[i::workers] for i in range(workers)])
            stats = [None] * len(blocks)
            for i, part in enumerate(parts):
                stats[i::workers] = part
        else:
            stats = _sample_blocks(*common, blocks)
        _ran("igraph")
    else:
        stats = [_block_stats(_dependencies(G, nodes[s], nodes, distance) for s in b) for b in blocks]
        _ran("networkx")
    if n:
        deps_sum, m2 = _combine_blocks(stats, n)
        total = deps_sum * (n / k)
        if k > 1:
            var = m2 / (k - 1) * (1 - k / n) / k
            se = n * np.sqrt(np.maximum(var, 0.0))
        else:
            se = np.full(n, math.inf)
    else:
        total = se = np.zeros(0)
    # NetworkX sums dependencies over ordered (source, target) pairs; an
    # undirected graph's pairs are then halved (unnormalised) or the ordered
    # count is used as the denominator (normalised).
    if n >= 3:
        scale = 1 / ((n - 1) * (n - 2)) if normalized else (1.0 if G.is_directed() else 0.5)
    else:
        scale = 1.0 if G.is_directed() or normalized else 0.5
    values = dict(zip(nodes, (total * scale).tolist()))
    stderr = dict(zip(nodes, (se * scale).tolist()))
    # Guaranteed bound: each source's contribution n * dependency lies in
    # [0, n (n-2)]; Hoeffding-Serfling (sampling without replacement), union
    # over the n nodes, 95% confidence for all nodes at once.
    if k >= n or n < 3:
        bound = 0.0
    else:
        spread = n * (n - 2) * scale
        bound = spread * math.sqrt(math.log(2 * n / 0.05) * (1 - (k - 1) / n) / (2 * k))
    info = {
        "method": f"sampled betweenness: {k} of {n} sources, seed {seed}",
        "k": k,
        "n": n,
        "seed": seed,
        "stderr": stderr,
        "max_stderr": max(stderr.values(), default=0.0),
        "bound95": bound,
        "error": (
            f"estimated from {k} of {n} sources (seed {seed}): every value within +/-{bound:.3g} "
            f"with 95% confidence (Hoeffding-Serfling); typical standard error "
            f"{float(np.median(se * scale)) if n else 0.0:.3g}, largest {max(stderr.values(), default=0.0):.3g} "
            "(standard errors understate a node whose dependencies the sample missed)"
        ),
    }
    return values, info


def seconds_per_source(G: nx.Graph, *, distance: str | None = None, engine: str = "auto", sources: int = 3,
                       seed: int = 0) -> float:
    """Measured seconds of one source's shortest paths and dependencies (mean of a few sources).

    An exact all-pairs measure (betweenness, closeness, harmonic) runs this
    once per node, so ``n * seconds_per_source(G) / cores`` foretells it;
    reports use it to stop before a computation of hours and offer
    :func:`betweenness_sample` instead.

    >>> seconds_per_source(nx.path_graph(50)) >= 0.0
    True
    """
    import time

    nodes = list(G)
    if not nodes:
        return 0.0
    picked = random.Random(seed).sample(range(len(nodes)), min(sources, len(nodes)))
    h = None
    if resolve_engine(G, engine) == "igraph":
        h, _, w = _path_graph(G, distance)
    started = time.perf_counter()
    for s in picked:
        if h is not None:
            h.betweenness(directed=True, weights=w, sources=[s])
        else:
            _dependencies(G, nodes[s], nodes, distance)
    return (time.perf_counter() - started) / len(picked)


def _dependencies(G: nx.Graph, s: Hashable, nodes: list[Hashable], distance: str | None) -> np.ndarray:
    """Brandes dependencies of every node on source ``s`` (NetworkX's own helpers)."""
    from networkx.algorithms.centrality.betweenness import (
        _accumulate_basic,
        _single_source_dijkstra_path_basic,
        _single_source_shortest_path_basic,
    )

    if distance is None:
        S, P, sigma, _ = _single_source_shortest_path_basic(G, s)
    else:
        S, P, sigma, _ = _single_source_dijkstra_path_basic(G, s, distance)
    acc = _accumulate_basic(dict.fromkeys(G, 0.0), S, P, sigma, s)[0]
    return np.array([acc[v] for v in nodes])


def closeness(G: nx.Graph, *, distance: str | None = None, engine: str = "auto") -> dict[Any, float]:
    """Closeness centrality, as ``nx.closeness_centrality`` (``wf_improved=True``).

    Distances are measured *to* each node in a directed graph, and a node that
    reaches only part of the graph is scaled by the reachable fraction
    (Wasserman and Faust), exactly as NetworkX does.

    Examples
    --------
    >>> G = nx.Graph([(0, 1), (1, 2), (3, 4)])
    >>> c = closeness(G, engine="igraph")
    >>> all(abs(c[v] - x) < 1e-12 for v, x in nx.closeness_centrality(G).items())
    True
    """
    if resolve_engine(G, engine) == "igraph":
        h, nodes, w = _path_graph(G, distance)
        if h is not None:
            n = len(nodes)
            mode = "in" if G.is_directed() else "all"
            per_reached = h.closeness(mode=mode, weights=w, normalized=True)  # (r-1)/sum
            inverse_sum = h.closeness(mode=mode, weights=w, normalized=False)  # 1/sum
            out = []
            for c, inv in zip(per_reached, inverse_sum):
                if n < 2 or c is None or math.isnan(c) or not inv:
                    out.append(0.0)
                    continue
                reached = round(c / inv)  # r - 1, the other nodes that reach this one
                out.append(c * reached / (n - 1))
            _ran("igraph")
            return dict(zip(nodes, out))
    _ran("networkx")
    return nx.closeness_centrality(G, distance=distance)


def harmonic(G: nx.Graph, *, distance: str | None = None, engine: str = "auto") -> dict[Any, float]:
    """Harmonic centrality, as ``nx.harmonic_centrality`` (sum of 1/distance *to* the node).

    Examples
    --------
    >>> harmonic(nx.path_graph(3), engine="igraph")[1]
    2.0
    """
    if resolve_engine(G, engine) == "igraph":
        h, nodes, w = _path_graph(G, distance)
        if h is not None:
            mode = "in" if G.is_directed() else "all"
            vals = h.harmonic_centrality(mode=mode, weights=w, normalized=False)
            _ran("igraph")
            return dict(zip(nodes, (float(x) for x in vals)))
    _ran("networkx")
    return nx.harmonic_centrality(G, distance=distance)


# --------------------------------------------------------------------------- spectral measures


def pagerank(
    G: nx.Graph,
    *,
    weight: str | None = "weight",
    alpha: float = 0.85,
    personalization: dict | None = None,
    engine: str = "auto",
) -> dict[Any, float]:
    """PageRank, as ``nx.pagerank`` (dangling nodes jump like the personalisation).

    The igraph engine solves the system exactly (PRPACK); NetworkX's power
    iteration is within ``alpha / (1 - alpha) * n * 1e-6`` of it in L1 by default.
    For several personalisations of one graph, :class:`PageRank` reads the
    graph once.

    Examples
    --------
    >>> G = nx.DiGraph([(0, 1), (1, 2), (2, 0), (2, 3)])
    >>> a = pagerank(G, engine="igraph")
    >>> b = nx.pagerank(G, tol=1e-14, max_iter=10_000)
    >>> max(abs(a[v] - b[v]) for v in G) < 1e-9
    True
    """
    return PageRank(G, weight=weight, alpha=alpha, engine=engine)(personalization)


class PageRank:
    """:func:`pagerank` of one graph for any number of personalisations: the graph is read once.

    The igraph engine reads ``G`` into a sparse matrix and an igraph graph
    when first called and keeps both (on a national projection, reading took
    longer than solving); each call then only solves. ``tol`` and
    ``max_iter`` are NetworkX's, for when NetworkX runs.

    Examples
    --------
    >>> G = nx.path_graph(5)
    >>> pr = PageRank(G, engine="igraph")
    >>> pr({0: 1}) == pagerank(G, personalization={0: 1}, engine="igraph"), pr({4: 1})[4] > pr({4: 1})[0]
    (True, True)
    """

    def __init__(self, G: nx.Graph, *, weight: str | None = "weight", alpha: float = 0.85, engine: str = "auto",
                 tol: float = 1e-6, max_iter: int = 100) -> None:  # fmt: skip
        self.G, self.weight, self.alpha, self.tol, self.max_iter = G, weight, alpha, tol, max_iter
        self.engine = resolve_engine(G, engine) if len(G) else "networkx"
        self._system: tuple | None = None

    def _read(self) -> tuple | None:
        """``(nodes, weights, igraph graph)``, or None when weights send it to NetworkX."""
        if self._system is None:
            G, nodes = self.G, list(self.G)
            # NetworkX's transition matrix: undirected edges both ways, parallel
            # edges summed, missing weights 1.
            A = nx.to_scipy_sparse_array(G, nodelist=nodes, weight=self.weight, dtype=float).tocoo()
            if not (np.all(A.data >= 0) and np.all(np.isfinite(A.data))):
                self._system = ()
            else:
                keep = A.data > 0
                src, dst, val = A.row[keep], A.col[keep], A.data[keep]
                self._system = (nodes, val.tolist(), _igraph(len(nodes), src, dst, True))
        return self._system or None

    def __call__(self, personalization: dict | None = None) -> dict[Any, float]:
        G = self.G
        if len(G) == 0:
            _ran("networkx")
            return {}
        system = self._read() if self.engine == "igraph" else None
        if system is None:
            _ran("networkx")
            return nx.pagerank(G, alpha=self.alpha, weight=self.weight, personalization=personalization,
                               tol=self.tol, max_iter=self.max_iter)  # fmt: skip
        nodes, weights, h = system
        n = len(nodes)
        if personalization is None:
            reset = np.ones(n)
        else:
            reset = np.array([float(personalization.get(v, 0)) for v in nodes])
            if reset.sum() == 0:
                raise ZeroDivisionError("personalization vector sums to zero")  # as NetworkX
        reset = reset / reset.sum()
        # A dangling node's walk jumps by the personalisation, in NetworkX and
        # in PRPACK since igraph 0.10 (igraph 0.7 jumped uniformly; this code
        # used to add the jumps as ties to a copy of the graph).
        pr = h.personalized_pagerank(directed=True, damping=self.alpha, reset=reset.tolist(), weights=weights,
                                     implementation="prpack")  # fmt: skip
        _ran("igraph")
        return dict(zip(nodes, pr))


def eigenvector(G: nx.Graph, *, weight: str | None = "weight", engine: str = "auto",
                nodes: list | None = None) -> dict[Any, float]:  # fmt: skip
    """Eigenvector centrality, as ``nx.eigenvector_centrality_numpy`` (every engine).

    Already compiled (ARPACK on a sparse matrix), so no other engine is used.
    NetworkX's own steps, with two things fixed so that the same graph gives
    the same bits every run: ARPACK starts from the all-ones vector (NetworkX
    lets it draw a random one, which changed the last digits from call to
    call), and the matrix rows follow ``nodes`` (default ``list(G)``; a
    subgraph view lists its nodes in the order of a Python set, which changes
    from process to process).

    Examples
    --------
    >>> round(eigenvector(nx.complete_graph(4))[0], 6)
    0.5
    """
    resolve_engine(G, engine)
    _ran("networkx")
    if G.number_of_nodes() == 0:
        return {}
    if not (nx.is_strongly_connected(G) if G.is_directed() else nx.is_connected(G)):
        # NetworkX's own refusal, word for word
        raise nx.AmbiguousSolution(
            "`eigenvector_centrality_numpy` does not give consistent results for disconnected graphs"
        )
    import scipy.linalg
    from scipy.sparse.linalg import eigs

    nodes = list(G) if nodes is None else list(nodes)
    M = nx.to_scipy_sparse_array(G, nodelist=nodes, weight=weight, dtype=float)
    _, vec = eigs(M.T, k=1, which="LR", maxiter=50, tol=0, v0=np.ones(len(nodes)))  # NetworkX's max_iter, tol
    largest = vec.flatten().real
    norm = np.sign(largest.sum()) * scipy.linalg.norm(largest)
    return dict(zip(nodes, (largest / norm).tolist()))


# --------------------------------------------------------------------------- structural holes


def _strength_matrix(G: nx.Graph, weight: str | None) -> tuple[list[Hashable], sp.csr_array] | None:
    """Nodes and mutual-weight matrix M = A + A^T, or None if NetworkX must run."""
    if G.is_multigraph():
        return None
    nodes, src, dst, val = _edge_values(G, weight, "sum")
    if val.size and not (np.all(val > 0) and np.all(np.isfinite(val))):
        return None
    n = len(nodes)
    A = sp.coo_array((val, (src, dst)), shape=(n, n)).tocsr()
    if not G.is_directed():
        # undirected: each edge stored once above; A is symmetric with the
        # self-loop weight once on the diagonal, as nx.adjacency_matrix.
        A = A + A.T - sp.diags_array(A.diagonal())
    return nodes, (A + A.T).tocsr()


def constraint(G: nx.Graph, *, weight: str | None = "weight", engine: str = "auto") -> dict[Any, float]:
    """Burt's constraint, as ``nx.constraint`` (NaN for a node without neighbours).

    Examples
    --------
    >>> c = constraint(nx.star_graph(3), weight=None, engine="igraph")
    >>> c[0], c[1]
    (0.3333333333333333, 1.0)
    """
    if len(G) == 0:
        resolve_engine(G, engine)
        _ran("networkx")
        return {}
    if _in_fixed_order(G, engine) == "igraph" and not G.is_multigraph() and nx.number_of_selfloops(G) == 0:
        nodes, src, dst, val = _edge_values(G, weight, "sum")
        if not val.size or (np.all(val > 0) and np.all(np.isfinite(val))):
            h = _igraph(len(nodes), src, dst, G.is_directed())
            vals = h.constraint(weights=val.tolist() if weight is not None else None)
            degree = np.bincount(np.concatenate([src, dst]), minlength=len(nodes))
            _ran("igraph")
            return {v: (float("nan") if degree[i] == 0 else float(vals[i])) for i, v in enumerate(nodes)}
    _ran("networkx")
    return _on_integers(G, lambda H: nx.constraint(H, weight=weight))


def effective_size(G: nx.Graph, *, weight: str | None = "weight", engine: str = "auto") -> dict[Any, float]:
    """Burt's effective size, as NetworkX defines it node by node.

    ``nx.effective_size(G, nodes=list(G), weight=weight)`` is the reference:
    Borgatti's ``n - 2t/n`` for undirected unweighted graphs, else
    ``sum over neighbours u of 1 - sum_w p_vw m_uw``. NaN for a node without
    neighbours other than itself.

    Examples
    --------
    >>> es = effective_size(nx.star_graph(3), weight=None, engine="igraph")
    >>> es[0], es[1]
    (3.0, 1.0)
    """
    if len(G) == 0:
        resolve_engine(G, engine)
        _ran("networkx")
        return {}
    if _in_fixed_order(G, engine) == "igraph":
        got = _strength_matrix(G, weight)
        if got is not None:
            nodes, M = got
            _ran("igraph")
            return dict(zip(nodes, _effective_size_sparse(G, M, weight).tolist()))
    _ran("networkx")
    return _on_integers(G, lambda H: nx.effective_size(H, nodes=list(H), weight=weight))


def _on_integers(G: nx.Graph, kernel: Callable[[nx.Graph], dict[int, float]]) -> dict[Any, float]:
    """``kernel`` (a NetworkX function) run on a copy of G whose nodes are 0..n-1 in G's order.

    NetworkX adds constraint and effective size over sets of neighbours. A set
    of ints is iterated in an order fixed by the values and the order they
    were added, the same in every process; a set of strings is not (string
    hashing is seeded per process), which changed the last digits from run to
    run. Same graph, same code, same sums: same digits.

    >>> G = nx.Graph([("b", "a"), ("a", "c")])
    >>> _on_integers(G, nx.constraint)
    {'b': 1.0, 'a': 0.5, 'c': 1.0}
    """
    nodes = list(G)
    found = kernel(nx.convert_node_labels_to_integers(G))  # labels in G's order, edge data kept
    return {nodes[i]: value for i, value in found.items()}


def _effective_size_sparse(G: nx.Graph, M: sp.csr_array, weight: str | None) -> np.ndarray:
    n = M.shape[0]
    S = (M != 0).astype(float).tocsr()  # structural neighbours (incl. self-loop)
    diag = S.diagonal()
    S_other = (S - sp.diags_array(diag)).tocsr()
    n_other = np.asarray(S_other.sum(axis=1)).ravel()
    out = np.full(n, np.nan)
    if G.is_directed():
        # NetworkX gives NaN to a node without successors other than itself
        # (it tests G[v], the successors), even when it has predecessors.
        has = np.array([any(u != v for u in G.succ[v]) for v in G], dtype=bool)
    else:
        has = n_other > 0
    if not G.is_directed() and weight is None:
        # Borgatti: ego network without ego; t = ties among the neighbours
        # (a neighbour's self-loop counts one).
        among = np.asarray(((S_other @ S_other).multiply(S_other)).sum(axis=1)).ravel() / 2
        loops = S_other @ diag
        t = among + loops
        out[has] = n_other[has] - 2 * t[has] / n_other[has]
        return out
    rows = np.asarray(M.sum(axis=1)).ravel()
    rmax = np.asarray(M.max(axis=1).toarray()).ravel()
    with np.errstate(divide="ignore", invalid="ignore"):
        P = (sp.diags_array(np.where(rows > 0, 1 / rows, 0.0)) @ M).tocsr()
        Q = (sp.diags_array(np.where(rmax > 0, 1 / rmax, 0.0)) @ M).tocsr()
    redundant = np.asarray(((P @ Q.T).multiply(S)).sum(axis=1)).ravel()
    n_all = np.asarray(S.sum(axis=1)).ravel()
    out[has] = n_all[has] - redundant[has]
    return out


# --------------------------------------------------------------------------- cut points


def cut_structure(G: nx.Graph, *, engine: str = "auto") -> tuple[set, list[tuple], int]:
    """Articulation points, bridges and the number of connected components of ``G`` taken undirected.

    The reference is NetworkX's ``articulation_points``, ``bridges`` and
    ``number_connected_components`` on the simple undirected graph (self-loops
    dropped, parallel ties one tie). Bridges are returned as ``(u, v)`` in
    the graph's own edge order and orientation for NetworkX, and as node
    pairs for igraph: compare them as unordered pairs.

    >>> G = nx.path_graph(4)
    >>> G.add_edge(9, 9)
    >>> cut_structure(G)
    ({1, 2}, [(0, 1), (1, 2), (2, 3)], 2)
    >>> points, bridges, parts = cut_structure(G, engine="igraph")
    >>> points, sorted(tuple(sorted(e)) for e in bridges), parts
    ({1, 2}, [(0, 1), (1, 2), (2, 3)], 2)
    """
    use = resolve_engine(G, engine)
    if G.number_of_nodes() == 0:
        _ran("networkx")
        return set(), [], 0
    if use == "networkx":
        _ran("networkx")
        H = nx.Graph(G) if G.is_directed() or G.is_multigraph() or nx.number_of_selfloops(G) else G
        H.remove_edges_from(list(nx.selfloop_edges(H)))  # a copy's, if any
        return set(nx.articulation_points(H)), list(nx.bridges(H)), nx.number_connected_components(H)
    _ran("igraph")
    # one tie per pair, no self-loop: a Graph's edges are, and _edge_values merges a multigraph's
    nodes, a, b, _ = _path_edges(nx.Graph(G) if G.is_directed() else G, None)
    h = _igraph(len(nodes), a, b, False)
    points = {nodes[i] for i in h.articulation_points()}
    bridges = [(nodes[int(a[e])], nodes[int(b[e])]) for e in h.bridges()]
    return points, bridges, len(h.connected_components())


# --------------------------------------------------------------------------- communities


def communities(
    G: nx.Graph, *, weight: str | None = "weight", resolution: float = 1.0, seed: int = 0, engine: str = "auto"
) -> list[set]:
    """Louvain communities by python-louvain (every engine), largest first.

    igraph's multilevel Louvain cannot reproduce python-louvain's seeded
    partition, so it is not used: every engine gives the same partition.

    Examples
    --------
    >>> parts = communities(nx.barbell_graph(5, 0), seed=1)
    >>> sorted(len(p) for p in parts)
    [5, 5]
    """
    import community as community_louvain

    resolve_engine(G, engine)
    _ran("networkx")
    if G.number_of_nodes() == 0:
        return []
    H = G.to_undirected() if G.is_directed() else G
    part = community_louvain.best_partition(H, weight=weight or "\0graphnet-unweighted", resolution=resolution, random_state=seed)
    groups: dict[int, set] = {}
    for v, c in part.items():
        groups.setdefault(c, set()).add(v)
    return sorted(groups.values(), key=lambda s: (-len(s), sorted(map(str, s))))
