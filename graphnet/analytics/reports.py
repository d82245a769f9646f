"""Analyst reports: one function per ``graphnet report`` command.

Each takes a :class:`~graphnet.db.Database` (projected with the given
projection and filters) or an already projected NetworkX graph, and returns a
:class:`~graphnet.reporting.Report` that states the graph it ran on
(projection, window, filters, nodes, edges, seed, engine, weight semantics)
so a reader can reproduce it.

``engine="gds"`` (centrality, brokers, syndicates, behind, disruption) runs
the measures Neo4j's Graph Data Science library has - degree, strength,
betweenness, PageRank, personalised PageRank - in the database, on the
report's own graph (:func:`graphnet.analytics.gds.graph_measures` projects
its nodes and ties, so every filter and merge is the Python path's), and the
others in Python (``auto``); ``graph["engines"]`` says which engine computed
each measure (disruption: each strategy).

Exact betweenness, closeness and harmonic centrality visit every node from
every node. Before starting them on a big graph, ``centrality`` and
``brokers`` time a few sources and stop with a clear error when the whole
would take longer than ``time_limit`` minutes (default 30), naming the ways
out: ``sample=K`` (betweenness estimated from K sources, its error stated in
the report and a ``betweenness_stderr`` column), fewer ``measures``, a
narrower graph, or a larger limit.
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from ..collector import no_cyclic_gc, settle
from ..errors import GraphnetError
from ..reporting import Report, person_info
from ..schema import load_schema
from . import NARROW, TIME_LIMIT_MINUTES, allow, engines
from . import measures as M
from .brokerage import ROLES, brokerage
from .projections import describe, project

__all__ = ["graph_of", "centrality", "brokers", "communities", "disruption", "hypotheses", "GDS_REPORTS",
           "TIME_LIMIT_MINUTES"]

_FILTERS = ("since", "until", "cases", "province", "sources")

#: reports that take ``engine="gds"``
GDS_REPORTS = ("centrality", "brokers", "syndicates", "behind", "disruption")
_NETWORKX_ONLY = ("degree", "strength", "core", "eigenvector")  # NetworkX whatever the engine
_ALL_PAIRS = ("betweenness", "closeness", "harmonic")  # one shortest-path run per node
_FORETELL_FROM = 2_000_000_000
"""``nodes * ties`` from which the all-pairs measures are timed first (below: minutes at most)."""


def _key(x: float | None) -> float:
    """A measure as a ranking key: 12 significant digits.

    Engines add the same path counts in different orders (GDS even in a
    different order on each run, in parallel), so values that are equal come
    out up to a few ulps apart; rounding makes them equal, so the uid breaks
    the tie the same way whatever the engine.

    >>> _key(0.1 + 0.2) == _key(0.3), _key(None)
    (True, 0.0)
    """
    return float(f"{x:.12g}") if x is not None else 0.0


def _check_gds(db_or_G: Any, engine: str) -> None:
    """Fail early (before projecting) when ``engine="gds"`` cannot run."""
    if engine != "gds":
        return
    if isinstance(db_or_G, nx.Graph):
        raise GraphnetError("engine gds runs in the database: pass the Database, not a NetworkX graph")
    from . import gds

    gds.require(db_or_G)


def _human(seconds: float) -> str:
    """A duration for a message.

    >>> _human(42), _human(5400), _human(9000), _human(3 * 86400)
    ('42 s', '90 min', '2.5 h', '3.0 days')
    """
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    if seconds < 3 * 86400 - 1:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} days"


def _foretold(H: nx.Graph, runs: dict[str, float], engine: str, time_limit: float | None
              ) -> tuple[float, float, int] | None:
    """``(seconds, seconds per source, cores)`` of exact all-pairs ``runs`` when over ``time_limit`` minutes.

    ``runs``: how many full runs of each measure (betweenness shares its
    sources among the cores; closeness and harmonic run on one). None when
    there is no limit, the graph is small (``nodes * ties`` below
    ``_FORETELL_FROM``: minutes at most), GDS computes, or the whole fits.
    """
    n, m = H.number_of_nodes(), H.number_of_edges()
    if not runs or not time_limit or time_limit <= 0 or engine == "gds" or n * m < _FORETELL_FROM:
        return None
    per_source = engines.seconds_per_source(H, distance="distance", engine=engine)
    cores = engines.cores()
    total = sum(per_source * n * k / (cores if name == "betweenness" else 1) for name, k in runs.items())
    return None if total <= time_limit * 60 else (total, per_source, cores)


def _foretell(H: nx.Graph, exact: list[str], engine: str, time_limit: float | None, sample: int | None,
              choose: bool) -> None:
    """Stop before exact all-pairs measures foretold to run longer than ``time_limit`` minutes."""
    foretold = _foretold(H, dict.fromkeys(exact, 1), engine, time_limit)
    if foretold is None:
        return
    total, per_source, cores = foretold
    k = 1000
    ways = []
    if "betweenness" in exact and not sample:
        ways.append(f"estimate betweenness from a sample of sources with --sample K (e.g. --sample {k}: "
                    f"about {_human(per_source * k / cores)}, its error stated in the report)")
    if choose:
        ways.append(f"leave {', '.join(exact)} out with --measures")
    ways += [NARROW, allow(total)]
    raise GraphnetError(
        f"exact {', '.join(exact)} on {H.number_of_nodes():,} nodes and {H.number_of_edges():,} ties would take "
        f"about {_human(total)} on this machine ({cores} cores; timed on 3 sources), more than --time-limit "
        f"{time_limit:g} min: " + "; ".join(ways)
    )


def _compute(db_or_G: Any, H: nx.Graph, wanted: tuple[str, ...], engine: str, *, sample: int | None = None,
             seed: int = 0, time_limit: float | None = None,
             choose: bool = False) -> tuple[dict[str, dict], dict[str, str], dict | None]:
    """``M.centrality(H, wanted, engine)`` with the engine that computed each measure.

    With ``engine="gds"`` the measures GDS has run in the database on ``H``
    and the others in Python with ``auto``. With ``sample``, betweenness is
    estimated from that many sources (:func:`~graphnet.analytics.engines.betweenness_sample`),
    and the third value is its ``info`` (error, standard errors); else None.
    Raises :class:`GraphnetError` before any exact all-pairs measure foretold
    to take longer than ``time_limit`` minutes (``choose``: the caller can
    leave measures out, so the error says so).
    """
    values: dict[str, dict] = {}
    used: dict[str, str] = {}
    sampled = None
    python_engine = _kernel_engine(engine)
    if sample is not None and engine == "gds":
        raise GraphnetError("--sample estimates betweenness in Python: use it without --engine gds")
    # foretold before anything runs, so a report that must stop stops at once
    exact = [m for m in wanted if m in _ALL_PAIRS and not (m == "betweenness" and sample is not None)]
    _foretell(H, exact, engine, time_limit, sample, choose)
    if sample is not None and "betweenness" in wanted:
        values["betweenness"], sampled = engines.betweenness_sample(H, sample, seed=seed, distance="distance",
                                                                    engine=engine)
        used["betweenness"] = engines.last_engine() or "networkx"
    if engine == "gds":
        from . import gds

        in_db = [m for m in wanted if m in gds.GRAPH_MEASURES]
        if in_db:
            values.update(gds.graph_measures(db_or_G, H, in_db))
            used.update(dict.fromkeys(in_db, "gds"))
    for m in wanted:
        if m in values:
            continue
        values[m] = M.centrality(H, (m,), engine=python_engine)[m]
        used[m] = "networkx" if m in _NETWORKX_ONLY or not len(H) else (engines.last_engine() or "networkx")
    return values, used, sampled


def _kernel_engine(engine: str) -> str:
    """The Python kernel engine of a report's ``--engine``: gds runs the rest with ``auto``.

    >>> _kernel_engine("gds"), _kernel_engine("networkx")
    ('auto', 'networkx')
    """
    return "auto" if engine == "gds" else engine


def _sample_notes(sampled: dict | None) -> tuple[list[str], dict[str, Any]]:
    """The note and graph fields that state a sampled betweenness and its error."""
    if sampled is None:
        return [], {}
    note = ("betweenness: ESTIMATED, normalised; path lengths = distance = 1/weight; " + sampled["error"]
            + "; betweenness_stderr: each estimate's standard error")
    return [note], {"betweenness_sample": {k: sampled[k] for k in ("k", "n", "seed", "bound95", "max_stderr")}}


def _engine_info(db_or_G: Any, engine: str, used: dict[str, str]) -> tuple[dict[str, Any], str]:
    """Report graph fields and a note saying which engine computed each measure."""
    info: dict[str, Any] = {"engine": engine, "engines": dict(used)}
    by: dict[str, list[str]] = {}
    for m, e in used.items():
        by.setdefault(e, []).append(m)
    if "gds" in by:
        from . import gds

        info["gds_version"] = gds.version(db_or_G)
    names = {"gds": f"Neo4j GDS {info.get('gds_version', '')} (in the database, on this report's graph)",
             "networkx": "Python, NetworkX", "igraph": "Python, igraph", "python": "Python, graphnet",
             "python-louvain": "Python, python-louvain (seeded)"}
    note = "computed by: " + ("; ".join(f"{', '.join(ms)} - {names.get(e, e)}" for e, ms in by.items())
                              or "no measure was needed")
    return info, note


@no_cyclic_gc(collect=False)  # the projection, the protection decision and the redacted copy: millions of objects
def graph_of(db_or_G: Any, projection: str = "persons", *, directed: bool = False, redactor: Any = None,
             **filters: Any) -> nx.Graph:
    """``db_or_G`` itself when it is a graph, else its projection with the filters.

    With a :class:`~graphnet.redact.Redactor`, victims (and the phones,
    documents and accounts they hold) are pseudonymised before anything is
    computed, so no report row, path or section can show their identity.
    Who is protected is decided on the whole database's records, as
    evidence bundles decide it (:func:`graphnet.redact.protection_in`), so
    the shared things a tie lists in ``via`` and a victim's unmerged records
    are covered too.
    """
    protection = None
    if isinstance(db_or_G, nx.Graph):
        G = db_or_G
    else:
        unknown = set(filters) - set(_FILTERS)
        if unknown:
            raise TypeError(f"unknown filters {sorted(unknown)}")
        if redactor is not None:
            from ..redact import protection_in

            protection = protection_in(db_or_G, redactor)
        G = project(db_or_G, projection, directed=directed, **{k: v for k, v in filters.items() if v})
    if redactor is not None:
        from ..redact import redact_graph

        G = redact_graph(G, redactor, protection=protection)
        G.graph["redacted"] = True
    settle()  # the command's graph: no collection walks it again
    return G


def _person_cols(G: nx.Graph, n: Any) -> dict[str, Any]:
    info = person_info(G, n)
    return {
        "name": info["name"],
        "uid": n,
        "identifiers": info["identifiers"],
        "roles": info["roles"],
        "cases": info["cases"],
        "sources": info["sources"],
    }


def centrality(
    db_or_G: Any,
    *,
    projection: str = "persons",
    top: int = 20,
    by: str = "betweenness",
    measures: tuple[str, ...] = ("degree", "strength", "betweenness", "closeness", "eigenvector", "pagerank", "constraint"),
    engine: str = "auto",
    sample: int | None = None,
    seed: int = 0,
    time_limit: float | None = TIME_LIMIT_MINUTES,
    **filters: Any,
) -> Report:
    """The top people by one measure, with every other measure beside them.

    Ranks by ``by`` (descending; ascending for ``constraint``, where low means
    a broker), ties (equal to 12 significant digits) broken by uid. Non-person nodes of the ``full`` projection
    are ranked too, so use a person projection to rank people only.
    ``sample``/``seed``/``time_limit``: see the module docstring.
    """
    for m in (by, *measures):
        if m not in M.SEMANTICS:
            raise GraphnetError(f"unknown measure {m!r}; use {', '.join(M.MEASURES)}")
    _check_gds(db_or_G, engine)
    G = graph_of(db_or_G, projection, **filters)
    wanted = tuple(dict.fromkeys((by, *measures)))
    H = M.simple(G, directed=False)
    values, used, sampled = _compute(db_or_G, H, wanted, engine, sample=sample, seed=seed, time_limit=time_limit,
                                     choose=True)
    sign = 1.0 if by == "constraint" else -1.0
    ranked = sorted(values[by], key=lambda n: (sign * _key(values[by][n]), str(n)))
    cut, bridges, components = engines.cut_structure(H, engine=_kernel_engine(engine))
    used["cut_point"] = engines.last_engine() or "networkx"
    rows = []
    for rank, n in enumerate(ranked[:top], 1):
        row: dict[str, Any] = {"rank": rank, **_person_cols(G, n)}
        for m in wanted:
            row[m] = values[m].get(n)
            if m == "betweenness" and sampled is not None:
                row["betweenness_stderr"] = sampled["stderr"].get(n)
        row["cut_point"] = n in cut
        rows.append(row)
    info, engine_note = _engine_info(db_or_G, engine, used)
    sample_notes, sample_info = _sample_notes(sampled)
    graph = describe(G) | info | sample_info | {
        "ranked_by": by, "density": nx.density(H) if len(H) else 0.0,
        "degree_centralization": M.degree_centralization(H),
        "components": components, "articulation_points": len(cut), "bridges": len(bridges)}
    notes = [f"{m}: {M.SEMANTICS[m]}" for m in wanted if not (m == "betweenness" and sampled is not None)]
    notes += sample_notes
    notes.append("cut_point: an articulation point - removing this person splits a component")
    notes.append(engine_note)
    shown = [c for m in wanted for c in ((m, "betweenness_stderr") if m == "betweenness" and sampled else (m,))]
    columns = ["rank", "name", "uid", "identifiers", "roles", "cases", *shown, "cut_point", "sources"]
    return Report("centrality", f"Centrality: top {top} by {by}", graph, notes, columns, rows)


def _group_attributes(G: nx.Graph) -> list[str]:
    """Node attributes that could group people: one text or number per person (not names or identifiers)."""
    skip = {"uid", "name", "label", "src", "records", "aliases", "community", *load_schema().node("Person").identifying}
    return sorted({k for _, d in G.nodes(data=True) for k, v in d.items()
                   if k not in skip and not k.startswith("_") and isinstance(v, (str, int)) and v != ""})


def brokers(
    db_or_G: Any,
    *,
    projection: str = "persons",
    group: str | None = None,
    top: int = 20,
    engine: str = "auto",
    sample: int | None = None,
    seed: int = 0,
    time_limit: float | None = TIME_LIMIT_MINUTES,
    **filters: Any,
) -> Report:
    """Brokers: Gould-Fernandez roles by ``group``, with betweenness and Burt's constraint.

    ``sample``/``seed``/``time_limit``: see the module docstring.

    Ranked by total brokerage (open two-paths brokered), then betweenness. The
    projection is read as directed (direct ties keep their direction; shared
    things and symmetric ties count both ways). ``group``: the node attribute
    whose values are the groups; by default ``stage``, or each person's first
    role when no one has a stage. A ``group`` no one has is an error naming
    the attributes people do have.
    """
    _check_gds(db_or_G, engine)
    G = graph_of(db_or_G, projection, directed=True, **filters)
    D = M.simple(G, directed=True)
    attr = group or "stage"
    if not any(d.get(attr) for _, d in D.nodes(data=True)):
        if group is not None:
            raise GraphnetError(f"no person has the attribute {group!r} for --group; "
                                f"attributes people have: {', '.join(_group_attributes(D)) or 'none'} "
                                "(leave --group out for the stage, else each person's first role)")
        attr = "first role"
        key = lambda n: (D.nodes[n].get("roles") or [None])[0]  # noqa: E731
        counts = brokerage(D, key)
    else:
        counts = brokerage(D, attr)
    values, used, sampled = _compute(db_or_G, M.simple(D, directed=False), ("betweenness", "constraint", "effective_size"),
                                     engine, sample=sample, seed=seed, time_limit=time_limit)
    ranked = sorted(D, key=lambda n: (-counts[n]["total"], -_key(values["betweenness"].get(n)), str(n)))
    rows = []
    for rank, n in enumerate(ranked[:top], 1):
        grp = (D.nodes[n].get("roles") or [None])[0] if attr == "first role" else D.nodes[n].get(attr)
        rows.append({"rank": rank, **_person_cols(D, n), "group": grp, **{r: counts[n][r] for r in ROLES},
                     "total": counts[n]["total"], **{m: values[m].get(n) for m in values},
                     **({"betweenness_stderr": sampled["stderr"].get(n)} if sampled else {})})
    info, engine_note = _engine_info(db_or_G, engine, {**used, "brokerage": "python"})
    sample_notes, sample_info = _sample_notes(sampled)
    graph = describe(G) | info | sample_info | {"groups": attr, "directed": True}
    notes = [
        "brokerage (Gould & Fernandez 1989): open two-paths a->b->c (no tie a->c) brokered by b; "
        "coordinator a=b=c, consultant a=c!=b, representative a=b!=c, gatekeeper a!=b=c, liaison all different",
        f"groups: node attribute {attr!r}",
        *(sample_notes or [f"betweenness: {M.SEMANTICS['betweenness']}"]),
        f"constraint: {M.SEMANTICS['constraint']}",
        engine_note,
    ]
    columns = ["rank", "name", "uid", "identifiers", "roles", "cases", "group", *ROLES, "total", "betweenness",
               *(["betweenness_stderr"] if sampled else []), "constraint", "effective_size", "sources"]
    return Report("brokers", f"Brokers: top {top} by Gould-Fernandez brokerage", graph, notes, columns, rows)


def communities(
    db_or_G: Any,
    *,
    projection: str = "persons",
    top: int = 20,
    seed: int = 0,
    runs: int = 10,
    resolution: float = 1.0,
    time_limit: float | None = TIME_LIMIT_MINUTES,
    **filters: Any,
) -> Report:
    """Louvain communities, modularity, and each person's stability with their community's core.

    Rows: the members of the ``top`` largest communities (community, person,
    stability, core, solid). ``sections``: one dict per community. On a
    large graph the runs share the cores and stop, saying how long they
    would take, beyond ``time_limit`` minutes
    (:func:`graphnet.analytics.communities.stability`).
    """
    from .communities import stability

    G = graph_of(db_or_G, projection, **filters)
    res = stability(G, runs=runs, seed=seed, resolution=resolution, time_limit=time_limit) if len(G) else None
    rows, sections = [], []
    if res:
        for c in res["communities"][:top]:
            core, solid = c["core"], set(c["solid"])  # a set: a national community has tens of thousands
            sections.append({"id": c["id"], "size": len(c["members"]), "core": core, "stability": c["stability"],
                             "members": c["members"], "solid": c["solid"],
                             "text": f"community {c['id']}: {len(c['members'])} people, core "
                                     f"{G.nodes[core].get('name') or core}, stability {c['stability']:.2f}, "
                                     f"solid {len(c['solid'])}"})
            for n in sorted(c["members"], key=lambda m: (-res["person"][m], str(m))):
                rows.append({"community": c["id"], **_person_cols(G, n), "stability": res["person"][n],
                             "core": G.nodes[core].get("name") or core, "solid": n in solid})
    graph = describe(G) | {"seed": seed, "runs": runs, "seeds": res["seeds"] if res else [], "resolution": resolution,
                           "modularity": res["reference"]["modularity"] if res else 0.0,
                           "reference_seed": res["reference"]["seed"] if res else seed,
                           "communities": len(res["communities"]) if res else 0}
    notes = [
        "python-louvain best_partition (weight = strength); modularity computed by NetworkX for the reference run "
        "(the run with the highest modularity)",
        "stability: share of runs in which the person falls in the same community as the core, the member with the "
        "highest mean co-assignment with the rest of the reference community; solid = stability >= 0.9",
    ]
    columns = ["community", "name", "uid", "identifiers", "roles", "cases", "stability", "core", "solid", "sources"]
    return Report("communities", f"Communities (Louvain, {runs} seeds from {seed})", graph, notes, columns, rows, sections)


def _betweenness_kernel(db_or_G: Any, engine: str, ran: set[str]) -> Any:
    """Betweenness (lengths ``distance``) of a graph by ``engine``, adding the engine that ran to ``ran``.

    ``engine="gds"`` projects the graph it is given (for ``betweenness-seq``:
    the remaining graph, at each step) into GDS.
    """

    def betweenness(W: nx.Graph) -> dict:
        if engine == "gds":
            from . import gds

            ran.add("gds")
            return gds.graph_measures(db_or_G, W, ["betweenness"])["betweenness"]
        values = engines.betweenness(W, distance="distance", engine=engine)
        ran.add(engines.last_engine() or "networkx")
        return values

    return betweenness


def _foretell_disruption(H: nx.Graph, strategies: tuple[str, ...], top: int, engine: str,
                         time_limit: float | None) -> None:
    """Stop before the betweenness strategies of :func:`disruption` foretold to pass ``time_limit`` minutes."""
    runs = int("betweenness" in strategies) + min(top, len(H)) * int("betweenness-seq" in strategies)
    foretold = _foretold(H, {"betweenness": runs}, engine, time_limit) if runs else None
    if foretold is None:
        return
    total = foretold[0]
    slow = [s for s in strategies if s.startswith("betweenness")]
    raise GraphnetError(
        f"strategy {' and '.join(slow)} on {H.number_of_nodes():,} nodes and {H.number_of_edges():,} ties needs "
        f"exact betweenness {runs} time{'s' if runs > 1 else ''}: about {_human(total)} on this machine "
        f"({foretold[2]} cores; timed on 3 sources), more than --time-limit {time_limit:g} min: choose other "
        f"strategies with --strategy (degree, degree-seq and keyplayer need no betweenness); {NARROW}; "
        + allow(total)
    )


def disruption(
    db_or_G: Any,
    *,
    projection: str = "persons",
    top: int = 10,
    strategies: tuple[str, ...] = ("degree", "degree-seq", "betweenness", "betweenness-seq", "keyplayer"),
    engine: str = "auto",
    plot: str | None = None,
    time_limit: float | None = TIME_LIMIT_MINUTES,
    **filters: Any,
) -> Report:
    """Remove ``top`` people by each strategy; curves of largest component and reachability.

    ``plot``: a PNG path for the curves (matplotlib, Agg backend).
    ``time_limit``: the betweenness strategies run exact betweenness once
    (``betweenness``) or once per removal (``betweenness-seq``); on a big
    graph they are timed first and the report stops, before computing, when
    they would take longer than that many minutes (0 or None: no limit).
    """
    from . import disruption as D

    _check_gds(db_or_G, engine)
    P = graph_of(db_or_G, projection, **filters)
    G = M.simple(P, directed=False)  # what the curves run on (P itself when it is simple already)
    _foretell_disruption(G, strategies, top, engine, time_limit)
    rows: list[dict[str, Any]] = []
    used: dict[str, str] = {}
    for strategy in strategies:
        ran: set[str] = set()
        rows += D.curves(G, [strategy], steps=top, engine=engine, betweenness=_betweenness_kernel(db_or_G, engine, ran))
        used[strategy] = "+".join(sorted(ran)) or "python"
    for r in rows:
        r["name"] = G.nodes[r["removed"]].get("name") if r["removed"] is not None else ""
    if plot:
        D.plot(rows, plot, title=f"Disruption of the {G.graph.get('projection', '')} projection "
                                  f"({G.number_of_nodes()} people)")
    info, engine_note = _engine_info(db_or_G, engine, used)
    graph = describe(P) | info | {"strategies": list(strategies), "steps": top}
    notes = [
        "degree/betweenness: ranked once on the intact network; -seq: recomputed after each removal "
        "(with engine gds, the remaining graph is projected again at each step); "
        "keyplayer: Borgatti's greedy fragmentation set; ties (equal to 12 significant digits) broken by uid",
        "largest = largest component / original n; reachability = connected ordered pairs / n(n-1) "
        "(= 1 - Borgatti's fragmentation); betweenness lengths = 1/weight",
        engine_note,
    ]
    columns = ["strategy", "step", "removed", "name", "largest", "reachability"]
    return Report("disruption", f"Disruption: {top} removals per strategy", graph, notes, columns, rows)


def hypotheses(
    db_or_G: Any,
    *,
    method: str = "adamic_adar",
    top: int = 20,
    store: bool = False,
    **filters: Any,
) -> Report:
    """Hidden-tie hypotheses over shared infrastructure (on the ``full`` projection).

    ``store=True`` writes them as HYPOTHESIS relationships (never evidence);
    it needs a database, not a graph.
    """
    from . import hypotheses as Hy

    G = graph_of(db_or_G, "full", **filters)
    found = Hy.hidden_ties(G, method=method, top=top)
    stored = 0
    if store:
        if filters.get("redactor") is not None:
            raise GraphnetError("--store and --redact do not go together: hypotheses are stored on the real uids")
        if isinstance(db_or_G, nx.Graph):
            raise GraphnetError("storing hypotheses needs the database, not a graph")
        stored = Hy.store(db_or_G, found)
    rows = []
    for rank, h in enumerate(found, 1):
        a, b = person_info(G, h["a"]), person_info(G, h["b"])
        rows.append({"rank": rank, "a": a["name"], "a_uid": h["a"], "b": b["name"], "b_uid": h["b"],
                     "score": h["score"], "method": method,
                     "via": [f"{G.nodes[t].get('label')} {G.nodes[t].get('name') or t}" for t in h["via"]],
                     "via_uids": h["via"]})
    graph = describe(G) | {"method": method, "stored": stored}
    notes = [
        "HYPOTHESES, NOT EVIDENCE: people with no recorded tie who share infrastructure "
        "(lodging, vehicle, phone, account, document, organization, event)",
        "adamic_adar = sum 1/log(deg t); resource_allocation = sum 1/deg t over shared things t",
    ]
    columns = ["rank", "a", "a_uid", "b", "b_uid", "score", "method", "via"]
    return Report("hypotheses", f"Hidden-tie hypotheses ({method})", graph, notes, columns, rows)
