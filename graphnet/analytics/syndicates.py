"""The syndicates behind small convicts: who benefits, and how they are tied to the convicts.

Field research found that convicts are mostly relatives or friends of their
victims and that organisers stay out of the case files. They still leave
traces: calls, payments, shared lodgings, drivers and document brokers across
cases that look unrelated. This module links cases through those traces and
ranks the uncharged people around the convicts.

Candidate syndicates
--------------------
Runs on a person projection (``persons`` by default). A case's *footprint*
is its people (``cases`` attribute) and their direct neighbours. A person in
the footprints of ``k`` cases ties each pair of those cases with ``1/(k-1)``
(the rarity weighting of the projections). Louvain on that case graph
(``seed``, ``resolution`` recorded) groups the cases into candidate
syndicates; a case tied to no other is a syndicate of one.

The convicts of a syndicate are the people convicted in its cases
(CONVICTED_IN); a case without a conviction contributes its suspects.

Who benefits
------------
Candidates are people within ``max_hops`` ties of a convict who are neither
charged (convicted, suspect, defendant) nor only victims or witnesses. Each
gets::

    score = 0.6 * P + 0.25 * B + 0.15 * H

* ``P`` - personalised PageRank (alpha 0.85, weight = strength) restarted
  uniformly on the syndicate's convicts: how much of the convicts' traffic
  flows to the person. Divided by the highest P among the candidates. The
  exact solution whatever the engine: NetworkX's power iteration runs to
  :data:`PAGERANK_TOL` (its default ``tol=1e-6`` left P up to 1e-3 off on an
  831-person province, enough to swap candidates 4e-5 apart).
* ``B`` - betweenness on the whole projection (exact, lengths = 1/weight):
  brokerage between parts of the network. Divided by the highest B among the
  candidates (0 when all are 0).
* ``H`` - hidden-layer share: the part of the person's tie strength carried
  by ties none of whose layers appear among the ties between the syndicate's
  own case people (what the case files show, typically case, recruitment and
  kinship). Organisers phone and pay; they do not appear as relatives.

All three lie in [0, 1], so the score does too. Candidates are ranked by
score (equal to 12 significant digits: a tie, broken by uid, as in the other
reports). Each candidate is listed with up to ``paths`` shortest paths
(lengths = 1/weight) to the nearest convicts, hop by hop with the
relationship types and the shared things.

Engines
-------
``engine`` picks the engine of ``B`` and ``P`` (:mod:`graphnet.analytics.engines`);
``engine="gds"`` computes both in Neo4j Graph Data Science on the report's own
graph (:func:`graphnet.analytics.gds.projected`: one projection, betweenness
once and one personalised PageRank per syndicate), equal to the Python path
(PageRank: the exact solution, as the igraph engine). The case grouping
stays in python-louvain (seeded), whatever the engine. The report's
``engines`` and its ``computed by`` note say which engine computed what.
"""

from __future__ import annotations

import contextlib
import heapq
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import networkx as nx

from ..errors import GraphnetError, NotFound
from ..reporting import Report, person_info
from . import TIME_LIMIT_MINUTES, engines
from .communities import louvain
from .measures import simple
from .projections import describe, find_node, nearest, paths as shortest_paths
from .reports import _check_gds, _engine_info, _foretell, _key, graph_of

__all__ = ["WEIGHTS", "FORMULA", "PAGERANK_TOL", "personalized_pagerank", "case_graph", "who_benefits", "syndicates",
           "behind"]

WEIGHTS = {"ppr": 0.6, "betweenness": 0.25, "hidden": 0.15}
FORMULA = (
    "score = 0.6*P + 0.25*B + 0.15*H; P = personalised PageRank restarted on the syndicate's convicts "
    "(alpha 0.85, weight = strength) / max over candidates; B = exact betweenness (lengths = 1/weight) / max "
    "over candidates; H = share of the person's tie strength in layers absent from the ties among the "
    "syndicate's case people"
)
PATHS_NOTE = ("paths: the shortest by length (1/weight: strong ties are short), so a path can take more ties "
              "than the hop count within max_hops that made the person a candidate")
#: stopping tolerance of NetworkX's personalised PageRank here (``nx.pagerank``
#: stops when one step changes the scores by less than ``n * tol`` in L1):
#: within 2e-13 of the exact solution (igraph's PRPACK, GDS) on the shared and
#: synthetic networks, in about 200 iterations.
PAGERANK_TOL = 1e-15
_CHARGED = {"suspect", "defendant", "accused", "convicted", "perpetrator"}
_PROTECTED = {"victim", "witness"}
#: Roles that say what someone did on the route, not what they are in a case:
#: a victim who was also a lodging guest and a bus passenger is still only a victim.
_INCIDENTAL = {"guest", "passenger"}


def _case_people(G: nx.Graph) -> dict[str, set]:
    out: dict[str, set] = defaultdict(set)
    for n, d in G.nodes(data=True):
        for c in d.get("cases") or ():
            out[c].add(n)
    return out


def _charged(d: dict) -> bool:
    if d.get("convicted_in"):
        return True
    roles = {r for rs in (d.get("case_roles") or {}).values() for r in rs}
    return bool(roles & _CHARGED)


def _protected_only(d: dict) -> bool:
    roles = set(d.get("roles") or ()) | {r for rs in (d.get("case_roles") or {}).values() for r in rs}
    return bool(roles & _PROTECTED) and roles - _INCIDENTAL <= _PROTECTED


def case_graph(G: nx.Graph) -> nx.Graph:
    """Cases tied through shared footprints (people and their neighbours), rarity-weighted.

    >>> G = nx.Graph([("p1", "o"), ("o", "p2")])
    >>> nx.set_node_attributes(G, {"p1": ["c1"], "p2": ["c2"], "o": []}, "cases")
    >>> C = case_graph(G); C.edges["c1", "c2"]["weight"], C.edges["c1", "c2"]["via"]
    (1.0, ['o'])
    """
    U = G.to_undirected(as_view=True) if G.is_directed() else G
    people = _case_people(U)
    within: dict[Any, set] = defaultdict(set)
    for c, ps in people.items():
        for p in ps:
            within[p].add(c)
            for m in U.neighbors(p):
                within[m].add(c)
    C = nx.Graph()
    C.add_nodes_from(sorted(people))
    # Elements in uid order, not in the order sets of people iterate (which
    # changes with each process's string hashing): the ties' insertion order,
    # their float sums and so the seeded Louvain grouping are the same every run.
    for element in sorted(within, key=str):
        cs = within[element]
        k = len(cs)
        if k < 2:
            continue
        cs_sorted = sorted(cs)
        for i, u in enumerate(cs_sorted):
            for v in cs_sorted[i + 1:]:
                if C.has_edge(u, v):
                    C.edges[u, v]["weight"] += 1.0 / (k - 1)
                    C.edges[u, v]["via"].append(element)
                else:
                    C.add_edge(u, v, weight=1.0 / (k - 1), via=[element])
    for _, _, d in C.edges(data=True):
        d["via"] = sorted(d["via"], key=str)
        d["distance"] = 1.0 / d["weight"]
    return C


def _convicts(G: nx.Graph, cases: list[str], people: dict[str, set]) -> list:
    out = set()
    for c in cases:
        convicted = {p for p in people.get(c, ()) if c in (G.nodes[p].get("convicted_in") or ())}
        if not convicted:
            convicted = {p for p in people.get(c, ())
                         if set((G.nodes[p].get("case_roles") or {}).get(c, ())) & _CHARGED}
        out |= convicted
    return sorted(out, key=str)


def personalized_pagerank(H: nx.Graph, sources: list, engine: str = "auto") -> dict:
    """``P``'s PageRank of ``H`` restarted uniformly on ``sources`` (alpha 0.85, weight = strength), exact.

    >>> G = nx.path_graph(4)
    >>> p, q = personalized_pagerank(G, [0]), personalized_pagerank(G, [0], engine="igraph")
    >>> max(abs(p[v] - q[v]) for v in G) < 1e-12, p[1] > p[2] > p[3]
    (True, True)
    """
    return _personalized(H, engine)(sources)


def _personalized(H: nx.Graph, engine: str) -> Callable[[list], dict]:
    """:func:`personalized_pagerank` of ``H`` for any sources, ``H`` read once (one solver for every syndicate)."""
    # NetworkX's power iteration run to PAGERANK_TOL: the exact solution, as igraph's
    solver = engines.PageRank(H, weight="weight", engine=engine, tol=PAGERANK_TOL, max_iter=10_000)
    return lambda sources: solver({c: 1.0 for c in sources})


def _hop(G: nx.Graph, u: Any, v: Any) -> dict[str, Any]:
    d = G.get_edge_data(u, v) or G.get_edge_data(v, u) or {}
    return {"from": u, "to": v, "types": d.get("types") or [d.get("type")], "via": d.get("via") or [],
            "weight": d.get("weight"), "src": d.get("src") or []}


def _path_text(G: nx.Graph, p: list) -> str:
    parts = [str(G.nodes[p[0]].get("name") or p[0])]
    for u, v in zip(p, p[1:]):
        h = _hop(G, u, v)
        label = "+".join(t for t in h["types"] if t)
        parts.append(f"-[{label}]- {G.nodes[v].get('name') or v}")
    return " ".join(parts)


def _score(P: float, B: float, Hs: float) -> float:
    return WEIGHTS["ppr"] * P + WEIGHTS["betweenness"] * B + WEIGHTS["hidden"] * Hs


def who_benefits(
    G: nx.Graph,
    convicts: list,
    case_people: set,
    *,
    max_hops: int = 3,
    paths: int = 3,
    betweenness: dict | Callable[[], dict] | None = None,
    top: int | None = None,
    engine: str = "auto",
    pagerank: Callable[[list], dict] | None = None,
) -> list[dict[str, Any]]:
    """Uncharged people around ``convicts`` ranked by the score of the module docstring.

    Returns one dict per candidate (best first): ``uid``, ``score``, ``P``,
    ``B``, ``H`` and ``paths`` (list of ``{"nodes", "text", "hops"}``).
    ``betweenness``: the values of ``B`` (a dict, or a function giving them
    when needed), else computed by ``engine``; ``pagerank``: a function of
    the convicts giving ``P``'s personalised PageRank of ``G``, else computed
    by ``engine``.
    """
    H = simple(G, directed=False)
    convicts = [c for c in convicts if c in H]
    if not convicts:
        return []
    near = nx.multi_source_dijkstra_path_length(H, set(convicts), cutoff=max_hops, weight=lambda u, v, d: 1)
    cands = [n for n in near if n not in convicts and not _charged(H.nodes[n]) and not _protected_only(H.nodes[n])]
    if not cands:
        return []
    ppr = pagerank(convicts) if pagerank is not None else personalized_pagerank(H, convicts, engine)
    if callable(betweenness):
        betweenness = betweenness()
    bc = betweenness if betweenness is not None else engines.betweenness(H, distance="distance", engine=engine)
    inside = {L for u in case_people for v in H[u] if v in case_people for L in (H.edges[u, v].get("layers")
              or [H.edges[u, v].get("layer")])}
    pmax = max(ppr[n] for n in cands) or 1.0
    bmax = max(bc.get(n, 0.0) for n in cands) or 1.0
    # H takes a walk over the person's ties, P and B a look-up: candidates go by their best possible
    # score (H = 1: float arithmetic is monotonic, so no score passes it) and H is computed only while
    # that bound can still reach the top (within _key's rounding, so ties are still broken by uid)
    bounded = []
    for n in cands:
        P, B = ppr[n] / pmax, bc.get(n, 0.0) / bmax
        bounded.append((n, P, B, _score(P, B, 1.0)))
    if top is not None:
        bounded.sort(key=lambda r: -r[3])
    out: list[dict[str, Any]] = []
    kept: list[float] = []  # min-heap of the best ``top`` keys so far
    for n, P, B, best in bounded:
        if top is not None and len(kept) >= top and _key(best) < kept[0]:
            break
        strength = sum(d.get("weight", 1.0) for _, _, d in H.edges(n, data=True)) or 1.0
        hidden = sum(d.get("weight", 1.0) for _, _, d in H.edges(n, data=True)
                     if not set(d.get("layers") or [d.get("layer")]) & inside)
        Hs = hidden / strength
        score = _score(P, B, Hs)
        out.append({"uid": n, "score": score, "P": P, "B": B, "H": Hs, "hops": near[n]})
        if top is not None:
            heapq.heappush(kept, _key(score))
            if len(kept) > top:
                heapq.heappop(kept)
    out.sort(key=lambda r: (-_key(r["score"]), str(r["uid"])))
    out = out[:top] if top is not None else out
    for r in out:
        found = []
        for c in nearest(H, r["uid"], convicts, paths):
            for p in shortest_paths(H, r["uid"], c, k=1):
                found.append({"nodes": p, "text": _path_text(H, p), "hops": [_hop(H, u, v) for u, v in zip(p, p[1:])]})
        r["paths"] = found
    return out


def _row(G: nx.Graph, syndicate: Any, rank: int, r: dict[str, Any]) -> dict[str, Any]:
    info = person_info(G, r["uid"])
    return {"syndicate": syndicate, "rank": rank, "name": info["name"], "uid": r["uid"],
            "identifiers": info["identifiers"], "roles": info["roles"], "cases": info["cases"],
            "score": r["score"], "P": r["P"], "B": r["B"], "H": r["H"],
            "path": r["paths"][0]["text"] if r["paths"] else "", "sources": info["sources"]}


class _Kernels:
    """``B``'s betweenness and ``P``'s personalised PageRank of ``H`` by one engine.

    ``engine="gds"`` runs both on ``H`` projected into GDS (``projection``);
    ``used`` records the engine that computed each (for the report's note).
    ``sample``: ``B`` estimated from that many random sources (``sampled``
    then holds the estimate's error); else exact, first timed on a few
    sources and refused when foretold to pass ``time_limit`` minutes.
    Computed once, when first asked for.
    """

    def __init__(self, H: nx.Graph, engine: str, projection: Any = None, sample: int | None = None,
                 seed: int = 0, time_limit: float | None = None) -> None:
        self.H, self.engine, self.projection = H, engine, projection
        self.sample, self.seed, self.time_limit = sample, seed, time_limit
        self.sampled: dict | None = None  # the sample's info (k, n, seed, error) when B is estimated
        self._bc: dict | None = None
        self._pr: Callable[[list], dict] | None = None  # P's solver, reading H once for every syndicate
        self.used: dict[str, str] = {}

    def betweenness(self) -> dict:
        if self._bc is None:
            if self.sample is not None and len(self.H):
                self._bc, self.sampled = engines.betweenness_sample(self.H, self.sample, seed=self.seed,
                                                                    distance="distance", engine=self.engine)
                self.used["betweenness"] = engines.last_engine() or "networkx"
            elif self.projection is not None:
                self._bc = self.projection.measures(["betweenness"])["betweenness"] if len(self.H) else {}
                self.used["betweenness"] = "gds"
            else:
                # exact B foretold (timed on a few sources) to pass the time limit: stop before it
                _foretell(self.H, ["betweenness"], self.engine, self.time_limit, None, False)
                self._bc = engines.betweenness(self.H, distance="distance", engine=self.engine) if len(self.H) else {}
                self.used["betweenness"] = engines.last_engine() or "networkx"
        return self._bc

    def pagerank(self, sources: list) -> dict:
        if self.projection is not None:
            self.used["personalized_pagerank"] = "gds"
            return self.projection.personalized_pagerank(sources)
        if self._pr is None:
            self._pr = _personalized(self.H, self.engine)
        out = self._pr(sources)
        self.used["personalized_pagerank"] = engines.last_engine() or "networkx"
        return out


@contextlib.contextmanager
def _kernels(db_or_G: Any, H: nx.Graph, engine: str, sample: int | None = None, seed: int = 0,
             time_limit: float | None = None):
    """The kernels of ``H`` (``B`` exact, or estimated from ``sample`` sources; see :class:`_Kernels`)."""
    if sample is not None and engine == "gds":
        raise GraphnetError("--sample estimates betweenness in Python: use it without --engine gds")
    if engine != "gds":
        yield _Kernels(H, engine, sample=sample, seed=seed, time_limit=time_limit)
        return
    from . import gds

    with gds.projected(db_or_G, H) as projection:
        yield _Kernels(H, engine, projection)


_COLUMNS = ["syndicate", "rank", "name", "uid", "identifiers", "roles", "cases", "score", "P", "B", "H", "path", "sources"]


def syndicates(
    db_or_G: Any,
    *,
    projection: str = "persons",
    top: int = 10,
    seed: int = 0,
    resolution: float = 1.0,
    max_hops: int = 3,
    paths: int = 3,
    min_cases: int = 1,
    engine: str = "auto",
    sample: int | None = None,
    sample_seed: int = 0,
    time_limit: float | None = TIME_LIMIT_MINUTES,
    **filters: Any,
) -> Report:
    """Candidate syndicates (linked cases), their convicts, and the top uncharged people behind them.

    ``top`` candidates per syndicate. ``sections`` (the JSON API read by views
    and evidence) holds one dict per syndicate: ``id``, ``cases``,
    ``convicted`` (person dicts), ``links`` (case pairs with their weight and
    shared people, strongest first) and ``candidates`` (person dict + ``score``, ``P``, ``B``,
    ``H``, ``paths``).
    """
    _check_gds(db_or_G, engine)
    G = graph_of(db_or_G, projection, **filters)
    H = simple(G, directed=False)
    people = _case_people(H)
    C = case_graph(H)
    groups = louvain(C, seed=seed, resolution=resolution)["partition"] if len(C) else {}
    members: dict[int, list] = defaultdict(list)
    for case, g in groups.items():
        members[g].append(case)
    rows, sections = [], []
    ordered = sorted(members.values(), key=lambda cs: (-len(cs), str(min(cs))))
    with _kernels(db_or_G, H, engine, sample, sample_seed, time_limit) as kern:
        bc = kern.betweenness  # computed when the first syndicate needs it
        for i, cs in enumerate([sorted(cs) for cs in ordered if len(cs) >= min_cases], 1):
            sid = f"S{i}"
            convicts = _convicts(H, cs, people)
            case_people = set().union(*(people[c] for c in cs))
            ranked = who_benefits(H, convicts, case_people, max_hops=max_hops, paths=paths, betweenness=bc, top=top,
                                  engine=engine, pagerank=kern.pagerank)
            links = sorted(({"cases": sorted([u, v]), "weight": d["weight"], "via": d["via"]}
                            for u, v, d in C.subgraph(cs).edges(data=True)),
                           key=lambda link: (-link["weight"], link["cases"]))  # fmt: skip
            sections.append({
                "id": sid,
                "cases": cs,
                "convicted": [person_info(H, p) for p in convicts],
                "links": links,
                "candidates": [{**person_info(H, r["uid"]), **{k: r[k] for k in ("score", "P", "B", "H", "hops", "paths")}}
                               for r in ranked],
                "text": _section_text(H, sid, cs, convicts, ranked),
            })
            rows += [_row(H, sid, rank, r) for rank, r in enumerate(ranked, 1)]
    info, engine_note = _engine_info(db_or_G, engine, {**kern.used, "communities": "python-louvain"})
    graph = describe(G) | info | {"seed": seed, "resolution": resolution, "max_hops": max_hops,
                                  "cases_linked": C.number_of_edges(), "syndicates": len(sections)}
    notes = [FORMULA,
             "syndicates: Louvain (seed, resolution above) on cases tied by shared footprints "
             "(people and their neighbours; a person in k footprints adds 1/(k-1))",
             "candidates: within max_hops ties of a convict, not charged, not only victim/witness (guest/passenger aside)",
             PATHS_NOTE,
             "hypotheses for investigation, not evidence: check every path against its sources",
             engine_note]
    if not people:
        notes.insert(0, "NO CASES in this graph: syndicates start from cases and their convicts, so there are none; "
                        "load case files (police_cases, court_verdicts, ...), or rank the people behind one person "
                        "with `graphnet report behind PERSON`")
    graph |= _sample_info(kern, notes)
    return Report("syndicates", "Candidate syndicates behind the convicts", graph, notes, _COLUMNS, rows, sections)


def _sample_info(kern: _Kernels, notes: list[str]) -> dict[str, Any]:
    """When ``B`` was estimated: a note stating its error (added to ``notes``) and the report's graph field."""
    if kern.sampled is None:
        return {}
    notes[:] = [n.replace("B = exact betweenness", "B = ESTIMATED betweenness") for n in notes]
    notes.insert(len(notes) - 1,  # before "computed by", which stays last
                 "B: betweenness ESTIMATED (then divided by the largest among the candidates); " + kern.sampled["error"])
    return {"betweenness_sample": {k: kern.sampled[k] for k in ("k", "n", "seed", "bound95", "max_stderr")}}


def _section_text(G: nx.Graph, sid: str, cases: list, convicts: list, ranked: list[dict]) -> str:
    lines = [f"{sid}: cases {', '.join(map(str, cases))}; convicted: "
             + (", ".join(str(G.nodes[c].get("name") or c) for c in convicts) or "none")]
    for i, r in enumerate(ranked, 1):
        lines.append(f"  {i}. {G.nodes[r['uid']].get('name') or r['uid']} ({r['uid']}) score {r['score']:.3f}")
        lines += [f"       {p['text']}" for p in r["paths"]]
    return "\n".join(lines)


def behind(
    db_or_G: Any,
    person: str,
    *,
    projection: str = "persons",
    top: int = 10,
    max_hops: int = 3,
    paths: int = 3,
    engine: str = "auto",
    sample: int | None = None,
    sample_seed: int = 0,
    time_limit: float | None = TIME_LIMIT_MINUTES,
    **filters: Any,
) -> Report:
    """Who benefits behind one convict (or any person): the ranking of :func:`syndicates` seeded on them.

    ``person`` is a uid, a merged record uid or an exact name; an unknown
    person raises :class:`~graphnet.errors.NotFound` naming the closest names.
    """
    _check_gds(db_or_G, engine)
    G = graph_of(db_or_G, projection, **filters)
    H = simple(G, directed=False)
    uid = find_node(H, person)
    if H.nodes[uid].get("label") not in (None, "Person"):
        raise NotFound(f"{person!r} is a {H.nodes[uid].get('label')}, not a person")
    people = _case_people(H)
    cases = list(H.nodes[uid].get("cases") or [])
    case_people = set().union(*(people[c] for c in cases)) if cases else {uid}
    with _kernels(db_or_G, H, engine, sample, sample_seed, time_limit) as kern:
        ranked = who_benefits(H, [uid], case_people, max_hops=max_hops, paths=paths, top=top, engine=engine,
                              betweenness=kern.betweenness, pagerank=kern.pagerank)
    info = person_info(H, uid)
    rows = [_row(H, uid, rank, r) for rank, r in enumerate(ranked, 1)]
    section = {"id": uid, "person": info, "cases": cases, "convicted": [info],
               "candidates": [{**person_info(H, r["uid"]), **{k: r[k] for k in ("score", "P", "B", "H", "hops", "paths")}}
                              for r in ranked],
               "text": _section_text(H, uid, cases, [uid], ranked)}
    engine_info, engine_note = _engine_info(db_or_G, engine, kern.used)
    graph = describe(G) | engine_info | {"person": uid, "max_hops": max_hops}
    notes = [FORMULA.replace("the syndicate's convicts", "this person").replace("syndicate's case people",
                                                                                 "people of this person's cases"),
             PATHS_NOTE, engine_note]
    if not cases:
        notes.insert(0, f"{info['name']} is in no case here, so H is 1 for every candidate (it adds the same "
                        f"{WEIGHTS['hidden']} to every score): the ranking is P and B alone")
    graph |= _sample_info(kern, notes)
    return Report("behind", f"Behind {info['name']} ({uid})", graph, notes, _COLUMNS, rows, [section])
