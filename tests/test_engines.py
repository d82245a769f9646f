"""The fast engines give NetworkX's results (issue 7).

Every kernel of graphnet.analytics.engines is run with engine="igraph" and
compared with NetworkX's own function on the shared published datasets and on
random graphs: weighted and unweighted, directed and undirected, disconnected,
with isolated nodes, empty. Tolerance 1e-9 (PageRank: NetworkX run to a tight
tolerance, since its default stops at an L1 change of n * 1e-6).
"""

from __future__ import annotations

import csv
import math
import random
from fractions import Fraction
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from graphnet.analytics import engines
from graphnet.errors import GraphnetError

TOL = 1e-9


def _close(a: dict, b: dict, tol: float = TOL) -> None:
    assert set(a) == set(b)
    bad = []
    for v in b:
        x, y = a[v], b[v]
        if isinstance(y, float) and math.isnan(y):
            if not (isinstance(x, float) and math.isnan(x)):
                bad.append((v, x, y))
        elif not abs(x - y) <= tol * max(1.0, abs(y)):
            bad.append((v, x, y))
    assert not bad, f"{len(bad)} nodes differ, e.g. {bad[:5]}"


def _read_edges(path: Path, directed: bool) -> nx.Graph:
    G = nx.DiGraph() if directed else nx.Graph()
    with open(path, newline="") as fh:
        for row in csv.DictReader(fh):
            w = float(row.get("weight") or 1)
            if G.has_edge(row["source"], row["target"]):
                G[row["source"]][row["target"]]["weight"] += w
            else:
                G.add_edge(row["source"], row["target"], weight=w)
    for _, _, d in G.edges(data=True):
        d["distance"] = 1.0 / d["weight"]
    return G


def _random(n: int, m: int, seed: int, directed: bool, weighted: bool, isolated: int = 0) -> nx.Graph:
    G = nx.gnm_random_graph(n, m, seed=seed, directed=directed)
    G.add_nodes_from(range(n, n + isolated))
    rng = random.Random(seed)
    for _, _, d in G.edges(data=True):
        if weighted:
            d["weight"] = rng.choice([1, 2, 3, 5, 0.5, 7.25])
            d["distance"] = 1.0 / d["weight"]
    return G


DATASETS = [
    ("caviar/caviar_full_directed_edges.csv", True),
    ("caviar/caviar_full_undirected_edges.csv", False),
    ("human_trafficking_mexico/htm_edges.csv", False),
    ("krebs_911/krebs911_edges.csv", False),
    ("montagna/montagna_meetings_edges.csv", False),
    ("montagna/montagna_phonecalls_edges.csv", False),
]

RANDOM = [
    # n, m, seed, directed, weighted, isolated nodes
    (60, 90, 1, False, False, 0),
    (60, 90, 2, False, True, 3),
    (60, 150, 3, True, False, 2),
    (60, 150, 4, True, True, 0),
    (80, 70, 5, False, True, 5),  # many components
    (80, 100, 6, True, True, 4),  # not strongly connected
    (200, 800, 7, False, True, 0),
]


def _graphs(datasets: Path):
    for rel, directed in DATASETS:
        yield rel, _read_edges(datasets / rel, directed)
    for spec in RANDOM:
        yield f"random{spec}", _random(*spec)


@pytest.fixture(scope="module")
def graphs(datasets: Path) -> list[tuple[str, nx.Graph]]:
    return list(_graphs(datasets))


def _exact_lengths(G: nx.Graph) -> nx.Graph:
    """A copy whose distances are exact fractions (1/weight), not rounded floats."""
    H = G.copy()
    for _, _, d in H.edges(data=True):
        d["distance"] = 1 / Fraction(d.get("weight", 1))
    return H


@pytest.mark.parametrize("distance", [None, "distance"])
@pytest.mark.parametrize("normalized", [True, False])
def test_betweenness_equals_networkx(graphs, distance, normalized):
    for name, G in graphs:
        got = engines.betweenness(G, distance=distance, normalized=normalized, engine="igraph")
        assert engines.last_engine() == "igraph", name
        # Weighted: NetworkX's Dijkstra compares float path lengths exactly, so
        # two paths of equal length (1/2 + 1/2 and 1/3 + 1/3 + 1/3) count as a
        # tie or not depending on rounding; igraph compares with a tolerance.
        # The reference is NetworkX's own algorithm on exact fractions.
        H = _exact_lengths(G) if distance else G
        _close(got, nx.betweenness_centrality(H, weight=distance, normalized=normalized))


def test_betweenness_shared_among_processes_equals_networkx(graphs):
    """Sources split among processes (igraph subset betweenness), parts added: NetworkX's values.

    One pool per graph (forked, or spawned when the test process runs threads),
    so a few graphs: both CAVIAR directions and the random graphs (weighted
    and not, directed and not, isolated nodes, many components).
    """
    chosen = [(name, G) for name, G in graphs if name.startswith(("caviar", "random"))]
    assert len(chosen) == 2 + len(RANDOM)
    for i, (name, G) in enumerate(chosen):
        distance = "distance" if i % 2 else None
        workers = 2 + i % 2
        got = engines.betweenness(G, distance=distance, engine="igraph", workers=workers)
        assert engines.last_engine() == "igraph", name
        H = _exact_lengths(G) if distance else G
        _close(got, nx.betweenness_centrality(H, weight=distance))
        _close(got, engines.betweenness(G, distance=distance, engine="igraph", workers=1))


@pytest.mark.parametrize("directed", [False, True])
def test_betweenness_processes_on_empty_and_tiny_graphs(directed):
    cls = nx.DiGraph if directed else nx.Graph
    for G in (cls(), cls([(0, 1)]), nx.empty_graph(3, create_using=cls), cls([(0, 1), (1, 2)])):
        _close(engines.betweenness(G, engine="igraph", workers=4), nx.betweenness_centrality(G))


def test_betweenness_uses_processes_from_the_work_threshold(monkeypatch):
    assert engines._workers(100, 100, None) == 1
    monkeypatch.setattr(engines, "PARALLEL_WORK", 1)
    assert engines._workers(100, 100, None) >= 1
    assert engines._workers(3, 100, 8) == 3 and engines._workers(100, 100, 0) == 1
    calls = []
    real = engines._betweenness_parallel
    monkeypatch.setattr(engines, "_betweenness_parallel", lambda *a: calls.append(a[-1]) or real(*a))
    monkeypatch.setattr(engines, "_workers", lambda n, m, w: 2 if w is None else w)
    G = _random(60, 150, 4, True, True)
    _close(engines.betweenness(G, distance="distance", engine="igraph"),
           nx.betweenness_centrality(_exact_lengths(G), weight="distance"))
    assert calls == [2]


def test_betweenness_processes_spawned_when_threads_run():
    """With another thread alive the children are spawned (fork is unsafe then); same values."""
    import threading

    G = _random(60, 150, 4, True, True)
    stop = threading.Event()
    t = threading.Thread(target=stop.wait)
    t.start()
    try:
        got = engines.betweenness(G, distance="distance", engine="igraph", workers=2)
    finally:
        stop.set()
        t.join()
    _close(got, nx.betweenness_centrality(_exact_lengths(G), weight="distance"))


def test_betweenness_parts_run_here_when_processes_fail(monkeypatch):
    """No process can start, or a child fails: its part is computed in this process."""
    import concurrent.futures as cf

    G = _random(80, 100, 6, True, True, 4)
    want = nx.betweenness_centrality(_exact_lengths(G), weight="distance")

    def no_pool(*a, **k):
        raise OSError("no processes here")

    class FailingPool:
        def __init__(self, *a, **k):
            pass

        def submit(self, *a, **k):
            f = cf.Future()
            f.set_exception(cf.process.BrokenProcessPool("child died"))
            return f

        def shutdown(self, *a, **k):
            pass

    for pool in (no_pool, FailingPool):
        monkeypatch.setattr(cf, "ProcessPoolExecutor", pool)
        _close(engines.betweenness(G, distance="distance", engine="igraph", workers=3), want)


def test_float_rounding_breaks_ties_in_networkx_weighted_betweenness(datasets):
    """Why the weighted reference uses fractions: a measured, not assumed, effect."""
    G = _read_edges(datasets / "montagna/montagna_meetings_edges.csv", False)
    floats = nx.betweenness_centrality(G, weight="distance")
    exact = nx.betweenness_centrality(_exact_lengths(G), weight="distance")
    assert max(abs(floats[v] - exact[v]) for v in G) > 1e-5


@pytest.mark.parametrize("distance", [None, "distance"])
def test_closeness_equals_networkx_wasserman_faust(graphs, distance):
    for name, G in graphs:
        got = engines.closeness(G, distance=distance, engine="igraph")
        assert engines.last_engine() == "igraph", name
        _close(got, nx.closeness_centrality(G, distance=distance))


@pytest.mark.parametrize("distance", [None, "distance"])
def test_harmonic_equals_networkx(graphs, distance):
    for name, G in graphs:
        got = engines.harmonic(G, distance=distance, engine="igraph")
        assert engines.last_engine() == "igraph", name
        _close(got, nx.harmonic_centrality(G, distance=distance))


@pytest.mark.parametrize("weight", [None, "weight"])
def test_pagerank_equals_networkx_at_tight_tolerance(graphs, weight):
    for name, G in graphs:
        got = engines.pagerank(G, weight=weight, engine="igraph")
        assert engines.last_engine() == "igraph", name
        _close(got, nx.pagerank(G, weight=weight, tol=1e-15, max_iter=100_000))
        # NetworkX's default stop (L1 step < n*tol) leaves it within
        # alpha/(1-alpha) * n*tol of the exact solution (contraction bound)
        default = nx.pagerank(G, weight=weight)
        assert sum(abs(got[v] - default[v]) for v in G) <= 0.85 / 0.15 * len(G) * 1e-6


def test_pagerank_personalised_with_dangling_nodes():
    G = nx.DiGraph([(0, 1), (1, 2), (2, 0), (2, 3), (4, 3)])  # 3 is dangling
    G.add_node(5)  # isolated, also dangling
    pers = {0: 1.0, 4: 3.0}
    got = engines.pagerank(G, personalization=pers, weight=None, engine="igraph")
    _close(got, nx.pagerank(G, personalization=pers, weight=None, tol=1e-15, max_iter=100_000))


def test_one_pagerank_solver_for_many_personalisations_equals_a_fresh_one_each_time():
    """The graph read once, with 10 dangling nodes: each personalisation, in any order,
    gives exactly what a solver made for it alone gives, within 1e-12 of NetworkX's power iteration."""
    G = nx.gnm_random_graph(300, 900, seed=3, directed=True)
    G.add_nodes_from(range(300, 310))  # isolated: dangling
    for i, (u, v) in enumerate(G.edges):
        G.edges[u, v]["weight"] = 1.0 + i % 4
    solver = engines.PageRank(G, engine="igraph")
    cases = [{0: 1.0}, None, {5: 1.0, 17: 2.0}, {0: 1.0}, {300: 1.0}, {u: 1.0 for u in range(0, 300, 7)}]
    for pers in cases:
        got = solver(pers)
        assert engines.last_engine() == "igraph"
        assert got == engines.PageRank(G, engine="igraph")(pers)
        _close(got, nx.pagerank(G, personalization=pers, tol=1e-15, max_iter=100_000), tol=1e-12)
    assert G.number_of_edges() == 900 and solver._read()[2].ecount() == len(solver._read()[1]) == 900


def test_pagerank_self_loops_and_multigraph():
    G = nx.MultiDiGraph([(0, 1), (0, 1), (1, 0), (1, 1), (2, 1), (1, 2)])
    got = engines.pagerank(G, weight=None, engine="igraph")
    _close(got, nx.pagerank(G, weight=None, tol=1e-15, max_iter=100_000))
    U = nx.Graph([(0, 1), (1, 1), (1, 2, {"weight": 4})])
    _close(engines.pagerank(U, engine="igraph"), nx.pagerank(U, tol=1e-15, max_iter=100_000))


@pytest.mark.parametrize("weight", [None, "weight"])
def test_constraint_equals_networkx(graphs, weight):
    for name, G in graphs:
        got = engines.constraint(G, weight=weight, engine="igraph")
        assert engines.last_engine() == "igraph", name
        _close(got, nx.constraint(G, weight=weight))


def test_constraint_reciprocal_directed_ties():
    # reciprocal ties of unequal strength: mutual weight is a_ij + a_ji
    G = nx.DiGraph()
    G.add_weighted_edges_from([(0, 1, 3), (1, 0, 1), (0, 2, 2), (2, 1, 5), (3, 0, 1), (2, 3, 4)])
    _close(engines.constraint(G, engine="igraph"), nx.constraint(G, weight="weight"))


@pytest.mark.parametrize("weight", [None, "weight"])
def test_effective_size_equals_networkx_definition(graphs, weight):
    for name, G in graphs:
        got = engines.effective_size(G, weight=weight, engine="igraph")
        assert engines.last_engine() == "igraph", name
        _close(got, nx.effective_size(G, nodes=list(G), weight=weight))


def test_effective_size_self_loops():
    G = nx.Graph([(0, 1), (1, 2), (0, 2), (2, 3), (3, 3)])
    G.add_edge(4, 4)
    _close(engines.effective_size(G, weight=None, engine="igraph"), nx.effective_size(G, nodes=list(G)))
    G2 = nx.DiGraph([(0, 1), (1, 2), (2, 2), (2, 0), (3, 1)])
    _close(engines.effective_size(G2, weight=None, engine="igraph"), nx.effective_size(G2, nodes=list(G2)))


def _weighted_strings(seed: int = 5) -> nx.Graph:
    """60 people named by strings (hashed differently in every process), random tie strengths."""
    rng = random.Random(seed)
    G = nx.Graph()
    for i in range(60):
        for j in rng.sample(range(60), 6):
            if i != j:
                G.add_edge(f"p{i}", f"p{j}", weight=rng.random())
    return G


_SAME_DIGITS = """
import json
from graphnet.analytics import engines
from tests.test_engines import _weighted_strings
G = _weighted_strings()
print(json.dumps([engines.constraint(G, engine="networkx"), engines.effective_size(G, engine="networkx")]))
"""


def test_networkx_constraint_and_effective_size_same_digits_in_every_process():
    """NetworkX sums them over sets of neighbours, and sets of strings were iterated in another order per process."""
    import json
    import os
    import subprocess
    import sys

    root = str(Path(__file__).resolve().parent.parent)
    runs = [subprocess.run([sys.executable, "-c", _SAME_DIGITS], capture_output=True, text=True, check=True, cwd=root,
                           env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2", "3")]  # fmt: skip
    assert runs[0] == runs[1] == runs[2]
    constraint, effective = json.loads(runs[0])  # json keeps every digit of a float
    G = _weighted_strings()
    assert len(constraint) == len(effective) == len(G) == 60
    _close(constraint, nx.constraint(G, weight="weight"))  # still NetworkX's values
    _close(effective, nx.effective_size(G, nodes=list(G), weight="weight"))


def test_networkx_vectorised_effective_size_disagrees_with_its_definition():
    """Why the reference is the node-by-node path: NetworkX 3.6 bug, reported."""
    G = _random(12, 30, 3, False, True)
    vectorised = nx.effective_size(G, weight="weight")
    per_node = nx.effective_size(G, nodes=list(G), weight="weight")
    assert max(abs(vectorised[v] - per_node[v]) for v in G) > 1e-3
    _close(engines.effective_size(G, engine="networkx"), per_node)


def test_multigraph_paths_use_shortest_parallel_edge():
    G = nx.MultiGraph()
    G.add_edge(0, 1, distance=5.0)
    G.add_edge(0, 1, distance=1.0)
    G.add_edge(1, 2, distance=1.0)
    G.add_edge(0, 2, distance=2.5)
    G.add_edge(2, 3, distance=1.0)
    for fn, ref in [
        (engines.betweenness, lambda H: nx.betweenness_centrality(H, weight="distance")),
        (engines.closeness, lambda H: nx.closeness_centrality(H, distance="distance")),
        (engines.harmonic, lambda H: nx.harmonic_centrality(H, distance="distance")),
    ]:
        _close(fn(G, distance="distance", engine="igraph"), ref(G))


def test_zero_length_falls_back_to_networkx():
    G = nx.Graph()
    G.add_edge(0, 1, distance=0.0)
    G.add_edge(1, 2, distance=1.0)
    got = engines.betweenness(G, distance="distance", engine="igraph")
    assert engines.last_engine() == "networkx"
    assert got == nx.betweenness_centrality(G, weight="distance")


@pytest.mark.parametrize("directed", [False, True])
def test_empty_and_tiny_graphs(directed):
    cls = nx.DiGraph if directed else nx.Graph
    for G in (cls(), cls([(0, 1)]), nx.empty_graph(3, create_using=cls)):
        for fn, ref in [
            (engines.betweenness, nx.betweenness_centrality),
            (engines.closeness, nx.closeness_centrality),
            (engines.harmonic, nx.harmonic_centrality),
            (lambda H, engine: engines.pagerank(H, engine=engine), lambda H: nx.pagerank(H, tol=1e-15)),
            (lambda H, engine: engines.constraint(H, engine=engine), lambda H: nx.constraint(H, weight="weight")),
            (
                lambda H, engine: engines.effective_size(H, engine=engine),
                lambda H: nx.effective_size(H, nodes=list(H), weight="weight"),
            ),
        ]:
            _close(fn(G, engine="igraph"), ref(G) if len(G) else {})


def test_auto_threshold_picks_igraph_for_large_graphs():
    small = nx.path_graph(10)
    big = nx.gnm_random_graph(2000, engines.AUTO_THRESHOLD, seed=1)
    assert engines.resolve_engine(small) == "networkx"
    assert engines.resolve_engine(big) == "igraph"
    engines.betweenness(small)
    assert engines.last_engine() == "networkx"
    engines.closeness(big)
    assert engines.last_engine() == "igraph"


def test_unknown_engine_and_gds_are_clear_errors():
    with pytest.raises(GraphnetError, match="unknown engine 'spark'"):
        engines.betweenness(nx.path_graph(3), engine="spark")
    with pytest.raises(GraphnetError, match="graphnet.analytics.gds"):
        engines.pagerank(nx.path_graph(3), engine="gds")


@pytest.mark.parametrize("engine", ["networkx", "igraph"])
def test_sampled_betweenness_is_exact_with_all_sources(engine):
    G = _random(40, 80, 11, False, False)
    rng = random.Random(11)
    for _, _, d in G.edges(data=True):
        d["distance"] = rng.choice([0.5, 1.0, 2.0, 4.0])  # exact in binary: no rounding ties
    est, info = engines.betweenness_sample(G, k=len(G), seed=3, distance="distance", engine=engine)
    _close(est, nx.betweenness_centrality(G, weight="distance"))
    assert info["max_stderr"] == 0.0 and info["bound95"] == 0.0 and info["k"] == info["n"] == 40


@pytest.mark.parametrize("directed", [False, True])
def test_sampled_betweenness_stated_error_holds(directed):
    """The stated 95% bound covers every node's exact value; the estimate is unbiased."""
    G = _random(150, 450, 12, directed, False)
    exact = nx.betweenness_centrality(G)
    est, info = engines.betweenness_sample(G, k=60, seed=5, engine="igraph")
    assert info["seed"] == 5 and "60 of 150 sources" in info["error"]
    assert max(abs(est[v] - exact[v]) for v in G) <= info["bound95"]
    # same sample through NetworkX's own Brandes code gives the same estimate
    est_nx, _ = engines.betweenness_sample(G, k=60, seed=5, engine="networkx")
    _close(est, est_nx)
    # unbiased: the mean over many seeds approaches the exact values
    runs = [engines.betweenness_sample(G, k=60, seed=s, engine="igraph")[0] for s in range(200)]
    mean = {v: sum(r[v] for r in runs) / len(runs) for v in G}
    assert sum(abs(mean[v] - exact[v]) for v in G) < 0.1 * sum(exact.values())


@pytest.mark.parametrize("directed", [False, True])
def test_sampled_betweenness_in_processes_equals_one_process_and_the_k_by_n_matrix(directed):
    """Sources shared among processes in blocks: the same bits as one process, and the
    sum and variance of the k x n dependency matrix (the former computation) to 1e-12."""
    G = _random(300, 900, 21 + directed, directed, False, isolated=3)
    rng = random.Random(21)
    for _, _, d in G.edges(data=True):
        d["distance"] = rng.choice([0.5, 1.0, 2.0, 4.0])  # exact in binary: igraph and NetworkX see the same ties
    k, seed = 137, 4  # blocks of 50, 50, 37: an uneven last block, shared by 2 and 3 processes
    one, info1 = engines.betweenness_sample(G, k=k, seed=seed, distance="distance", engine="igraph", workers=1)
    for workers in (2, 3):
        many, info = engines.betweenness_sample(G, k=k, seed=seed, distance="distance", engine="igraph",
                                                workers=workers)  # fmt: skip
        assert many == one and info["stderr"] == info1["stderr"], workers
    # the reference: every source's dependencies from NetworkX's Brandes code, as rows of a matrix
    nodes = list(G)
    n = len(nodes)
    sources = random.Random(seed).sample(range(n), k)
    deps = np.array([engines._dependencies(G, nodes[s], nodes, "distance") for s in sources])
    scale = 1 / ((n - 1) * (n - 2))
    want = dict(zip(nodes, (deps.sum(axis=0) * (n / k) * scale).tolist()))
    se = n * np.sqrt(deps.var(axis=0, ddof=1) * (1 - k / n) / k) * scale
    _close(one, want, 1e-12)
    _close(info1["stderr"], dict(zip(nodes, se.tolist())), 1e-12)
    assert max(info1["stderr"].values()) > 0


def test_communities_equal_for_every_engine_and_seeded():
    G = nx.karate_club_graph()
    a = engines.communities(G, seed=42, engine="igraph")
    b = engines.communities(G, seed=42, engine="networkx")
    assert a == b
    import community as community_louvain

    part = community_louvain.best_partition(G, random_state=42)
    assert nx.community.modularity(G, a) == pytest.approx(community_louvain.modularity(part, G), abs=1e-12)
    assert sorted(map(len, a)) == sorted(
        map(len, {c: [v for v in part if part[v] == c] for c in set(part.values())}.values())
    )


def _cut_reference(G: nx.Graph) -> tuple[set, set, int]:
    """NetworkX on the simple undirected graph: the definition cut_structure is held to."""
    H = nx.Graph(G)
    H.remove_edges_from(list(nx.selfloop_edges(H)))
    return set(nx.articulation_points(H)), {frozenset(e) for e in nx.bridges(H)}, nx.number_connected_components(H)


def _trees_and_loops() -> list[tuple[str, nx.Graph]]:
    barbell = nx.barbell_graph(6, 3)  # two cliques joined by a path: cut points and bridges
    looped = nx.path_graph(5)
    looped.add_edges_from([(2, 2), (4, 4)])  # a self-loop is neither a bridge nor makes a cut point
    multi = nx.MultiGraph([(0, 1), (0, 1), (1, 2)])  # a doubled tie is one tie, still a bridge
    directed = nx.DiGraph([(0, 1), (1, 0), (1, 2), (3, 2)])  # taken undirected
    forest = nx.random_labeled_tree(40, seed=3)
    forest.add_edges_from((f"x{i}", f"x{i + 1}") for i in range(5))
    forest.add_nodes_from(["lone", "other"])
    return [("barbell", barbell), ("self-loops", looped), ("multigraph", multi), ("directed", directed),
            ("forest", forest)]


def test_cut_structure_equals_networkx(graphs):
    """Articulation points, bridges and components: igraph's sets are NetworkX's, on every graph."""
    for name, G in [*graphs, *_trees_and_loops()]:
        want_points, want_bridges, want_parts = _cut_reference(G)
        for engine in ("networkx", "igraph"):
            points, bridges, parts = engines.cut_structure(G, engine=engine)
            assert engines.last_engine() == engine, (name, engine)
            assert points == want_points, (name, engine)
            assert {frozenset(e) for e in bridges} == want_bridges and len(bridges) == len(want_bridges), (name, engine)
            assert parts == want_parts, (name, engine)


def test_cut_structure_of_an_empty_graph_and_auto_engine():
    assert engines.cut_structure(nx.Graph(), engine="igraph") == (set(), [], 0)
    big = nx.gnm_random_graph(3000, engines.AUTO_THRESHOLD, seed=11)
    points, bridges, parts = engines.cut_structure(big)
    assert engines.last_engine() == "igraph"
    want_points, want_bridges, want_parts = _cut_reference(big)
    assert (points, {frozenset(e) for e in bridges}, parts) == (want_points, want_bridges, want_parts)
    assert want_points and want_bridges and want_parts > 1  # the comparison saw each kind
