"""Projections: the Neo4j graph as NetworkX graphs, named and documented.

``project(db, name, ...)`` streams nodes and relationships out of Neo4j
(``db.stream``) into one NetworkX graph. Only evidence relationships are read
(``SAME_AS`` and ``HYPOTHESIS`` are ``evidence: false`` in schema.yaml and are
never included unless ``hypotheses=True`` is asked for explicitly). Person
records that ``graphnet resolve`` merged (``SAME_AS {status: 'applied'}``) are
collapsed into one node whose uid is the smallest record uid; the node's
``records`` attribute lists every record.

Projections
-----------
``full``
    The typed multigraph (``MultiDiGraph``): every entity node, every evidence
    relationship with its direction, ``type``, ``layer``, ``weight``,
    ``distance``, ``src``, ``key``, ``date``, ``phase``.
``persons``
    Person-to-person (``Graph``, or ``DiGraph`` with ``directed=True``). Two
    people are tied

    * directly, by a person-to-person relationship (RECRUITED, RELATIVE_OF,
      KNOWS, ASSOCIATED_WITH, CALLED, MET, PAID, TRANSPORTED, EMPLOYED_BY); the
      tie gains the relationship's ``weight`` (a strength: contacts counted);
    * through a shared thing: a lodging, vehicle, phone, account, document,
      case, event or organization tied to ``k`` people adds ``1/(k-1)`` to
      each of the ``k(k-1)/2`` pairs (Newman's collaboration weighting: a thing
      gives each of its people a total strength of 1, so a boarding house
      shared by 40 guests ties each pair far more weakly than a phone shared by
      two). A document ties its holder to the officer who issued it, so a
      document broker sits between the people whose papers he passed. Things
      shared by more than ``max_shared`` people (default 50) are skipped and
      counted in ``G.graph["skipped_things"]``. Places (Location) never tie.
    * by calls or payments between phones or accounts, lifted to the people
      who use or hold them (``USES``, ``HOLDS``, ``OPERATES``); a contact's
      weight is split evenly over the user pairs. Contacts whose phone or
      account has no known user are counted in ``G.graph["unattributed"]``.

    Edge attributes: ``weight`` (total strength), ``distance`` = 1/weight,
    ``types`` and ``layers`` (sorted lists: relationship types of direct ties,
    ``SHARED_<LABEL>`` for shared things, e.g. ``SHARED_LODGING``, with the
    layers of the relationships that attach people to the thing),
    ``type``/``layer`` (the single one, or ``MIXED``/``mixed``), ``via`` (uids of the shared things),
    ``src`` (provenance refs). Person nodes carry ``cases`` (case uids),
    ``convicted_in`` and ``case_roles``.
``layer:<layer>``
    The ``persons`` projection built from the relationship types of one
    schema layer only (``layer:phone``, ``layer:money``, ``layer:meeting``,
    ``layer:kinship``, ``layer:lodging``, ...). Phones, accounts and vehicles
    are still lifted to their users; people without a tie in the layer are
    left out. Organisers avoid some layers and not others: compare them.
``cases``
    Case-to-case (``Graph``). A case's footprint is its people (INVOLVED_IN,
    CONVICTED_IN) and everything tied to them (people and things, not places,
    not other cases). An element in the footprints of ``k`` cases adds
    ``1/(k-1)`` to each pair of those cases; ``via`` lists the elements and
    ``people`` the shared persons.

Filters
-------
``since``/``until`` (ISO dates) keep relationships dated inside the window
and those without a date (undated evidence cannot be placed in time; their
number is ``G.graph["undated"]``); nodes left without any relationship are
dropped. ``sources`` keeps relationships asserted by at least one row of the
named files (source uid, definition name, path or SHA-256 prefix).
``cases`` and ``province`` keep the named cases (uid, number or name) or the
cases and people of a province, the people in those cases, and every node one
relationship away from those people. ``G.graph`` records the projection, the
filters and the counts, so every report states the graph it ran on.

>>> import networkx as nx
>>> G = nx.Graph(); G.add_edge("a", "b", distance=1.0); G.add_edge("b", "c", distance=0.5)
>>> [p for p in paths(G, "a", "c")]
[['a', 'b', 'c']]
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable, Iterator
from heapq import heappop, heappush
from pathlib import Path
from typing import Any

import networkx as nx

from ..collector import no_cyclic_gc, settle
from ..errors import GraphnetError, NotFound
from ..resolution import applied_clusters as _resolved_clusters
from ..resources import cypher
from ..schema import load_schema

__all__ = [
    "PROJECTIONS",
    "SHARED_LABELS",
    "ATTACHMENT_TYPES",
    "SYMMETRIC_TYPES",
    "project",
    "applied_clusters",
    "neighbourhood",
    "paths",
    "find_node",
    "describe",
]

PROJECTIONS = ("full", "persons", "layer:<layer>", "cases")
#: Things that tie the people who share them (persons projection).
SHARED_LABELS = frozenset({"Lodging", "Vehicle", "Phone", "Account", "Document", "Case", "Event", "Organization"})
#: Relationships that attach a phone, account or vehicle to its user (used to lift contacts to people).
ATTACHMENT_TYPES = frozenset({"USES", "HOLDS", "OPERATES"})
#: Person-to-person types without a meaningful direction (added both ways in directed projections).
SYMMETRIC_TYPES = frozenset({"RELATIVE_OF", "KNOWS", "ASSOCIATED_WITH", "MET"})
_CASE_TYPES = frozenset({"INVOLVED_IN", "CONVICTED_IN"})
_CONTACT_TYPES = frozenset({"CALLED", "PAID"})
_PLACE_LABELS = frozenset({"Location"})


_SIMPLE = frozenset({str, int, float, bool, type(None)})


def _plain(value: Any) -> Any:
    """Neo4j temporal values as ISO strings; everything else unchanged.

    >>> import neo4j.time
    >>> _plain([neo4j.time.Date(2018, 6, 1), "x", 3])
    ['2018-06-01', 'x', 3]
    """
    if type(value) in _SIMPLE:  # most values: one set lookup (the projection reads millions)
        return value
    if hasattr(value, "iso_format"):
        return value.iso_format()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def applied_clusters(db: Any) -> dict[str, str]:
    """``{record uid: canonical uid}`` for every record in an applied merge.

    The decisions are resolution's (:func:`graphnet.resolution.applied_clusters`):
    connected components of applied ``SAME_AS``, canonical uid = smallest record uid.
    """
    return dict(_resolved_clusters(db))


def _resolve_sources(db: Any, sources: Iterable[str]) -> list[str]:
    entries = [{"name": name, "path": str(Path(name).resolve())} for name in sources]
    uids: list[str] = []
    for rec in db.read(cypher("projection_sources"), entries=entries):
        if not rec["uids"]:
            raise NotFound(f"no loaded source matches {rec['name']!r} (give a source uid, definition name, path or SHA-256 prefix)")
        uids += rec["uids"]
    return sorted(set(uids))


def _keep_set(db: Any, cases: list[str] | None, province: str | None, types: list[str]) -> list[str]:
    recs = db.read(cypher("projection_seeds"), cases=cases, province=province, types=types)
    seeds = recs[0]["seed_uids"] if recs else []
    if not seeds:
        what = f"case {', '.join(repr(c) for c in cases)}" if cases else f"province {province!r}"
        raise NotFound(f"no {what} in the graph")
    return sorted(set(seeds) | set(recs[0]["near"]))


def _merge_node(G: nx.Graph, uid: str, label: str | None, props: dict[str, Any], canonical: str) -> None:
    props = {k: _plain(v) for k, v in props.items()}  # a copy: the driver's dict is not ours to change
    if canonical not in G:
        G.add_node(canonical, **props)
        data = G.nodes[canonical]
        data["uid"] = canonical
        data["label"] = label
        data.setdefault("name", uid)
        data["roles"] = list(props.get("roles") or [])
        data["src"] = list(props.get("src") or [])
        data["records"] = [uid]
        return
    data = G.nodes[canonical]
    data["records"] = sorted(set(data["records"]) | {uid})
    for key in ("roles", "src", "flags", "aliases"):
        if props.get(key):
            data[key] = sorted(set(data.get(key) or []) | set(props[key]))
    if uid == canonical:  # the canonical record's own values win
        for k, v in props.items():
            if k not in ("roles", "src", "flags", "aliases", "uid") and v is not None:
                data[k] = v
    else:
        for k, v in props.items():
            if v is not None and data.get(k) is None:
                data[k] = v


def _weight(props: dict[str, Any]) -> float:
    w = props.get("weight")
    try:
        w = float(w) if w is not None else 1.0
    except (TypeError, ValueError):
        w = 1.0
    return w if w > 0 else 1.0


class _Ties:
    """The ties of a projection, gathered in a dict and put into G at the end, in one call.

    Same edges as adding each tie to G as it comes (weights summed in the
    same order, edges inserted in the order of their first tie, so G's
    adjacency order is the same), without NetworkX's per-call work for the
    million ties of a national graph. An undirected tie is one entry
    whichever way round it comes.

    >>> ties = _Ties(directed=False)
    >>> ties.add("b", "a", 1.0, "CALLED", "phone", ["s:1"], None)
    >>> ties.add("a", "b", 0.5, "PAID", "money", ["s:2"], "acct:1")
    >>> G = nx.Graph()
    >>> ties.into(G)
    >>> list(G.edges(data=True))  # doctest: +NORMALIZE_WHITESPACE
    [('b', 'a', {'weight': 1.5, 'types': ['CALLED', 'PAID'], 'layers': ['money', 'phone'], 'src': ['s:1', 's:2'],
                 'via': ['acct:1'], 'type': 'MIXED', 'layer': 'mixed', 'distance': 0.6666666666666666})]
    """

    def __init__(self, directed: bool):
        self.directed = directed
        self.ties: dict[tuple[str, str], list[Any]] = {}

    def add(self, u: str, v: str, w: float, rtype: str, layer: str, src: Iterable[str], via: str | None) -> None:
        if u == v:
            return
        key = (u, v) if self.directed or u < v else (v, u)
        tie = self.ties.get(key)
        if tie is None:
            self.ties[key] = [u, v, w, {rtype}, {layer}, set(src), {via} if via else set()]
        else:
            tie[2] += w
            tie[3].add(rtype)
            tie[4].add(layer)
            tie[5].update(src)
            if via:
                tie[6].add(via)

    def into(self, G: nx.Graph) -> None:
        """Add the ties to G with their final attributes (lists sorted; one type and layer, or MIXED/mixed).

        Each tie is dropped here as soon as G holds it: the ties and G's
        edges are never both whole in memory (on national, 0.6 GB more at
        the peak when the ties were dropped only at the end).
        """
        rows = list(self.ties.values())
        self.ties = {}
        G.add_edges_from(_drained(rows))


def _drained(rows: list[Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """``_Ties`` rows as edges with their final attributes, each row released once it is given out."""
    for i in range(len(rows)):
        u, v, w, types, layers, src, via = rows[i]
        rows[i] = None
        yield (u, v, {"weight": w, "types": sorted(types), "layers": sorted(layers), "src": sorted(src),
                      "via": sorted(via), "type": min(types) if len(types) == 1 else "MIXED",
                      "layer": min(layers) if len(layers) == 1 else "mixed", "distance": 1.0 / w})  # fmt: skip


@no_cyclic_gc(collect=False)  # millions of tie dicts and sets: automatic collections would walk them again and again
def project(
    db: Any,
    name: str = "persons",
    *,
    since: str | None = None,
    until: str | None = None,
    cases: Iterable[str] | None = None,
    province: str | None = None,
    sources: Iterable[str] | None = None,
    directed: bool = False,
    max_shared: int = 50,
    hypotheses: bool = False,
    within: Iterable[str] | None = None,
) -> nx.Graph:
    """Project the Neo4j graph into NetworkX (see the module docstring).

    Parameters
    ----------
    db : graphnet.db.Database
    name : {"full", "persons", "layer:<layer>", "cases"}
    since, until : str, optional
        ISO dates (``YYYY-MM-DD``) bounding dated relationships.
    cases : list of str, optional
        Case uids, numbers or names.
    province : str, optional
    sources : list of str, optional
        Source uids, definition names, paths or SHA-256 prefixes.
    directed : bool
        ``persons``/``layer:*`` as a DiGraph (direct ties keep their direction).
    max_shared : int
        Things shared by more people than this do not tie them.
    hypotheses : bool
        Include HYPOTHESIS relationships (never for evidence or views).
    within : iterable of str, optional
        Only these record uids (with the cases and province filters: those
        of them too). Give whole merge clusters: a merged node is made of the
        records of its cluster that are kept.

    Returns
    -------
    networkx.Graph
        ``G.graph`` holds ``projection``, ``since``, ``until``, ``cases``,
        ``province``, ``sources``, ``nodes``, ``edges`` and the weight semantics.
    """
    schema = load_schema()
    layer = None
    if name.startswith("layer:"):
        layer = name.split(":", 1)[1]
        if layer not in schema.layers:
            raise GraphnetError(f"unknown layer {layer!r}; the schema has: {', '.join(schema.layers)}")
    elif name not in ("full", "persons", "cases"):
        raise GraphnetError(f"unknown projection {name!r}; use full, persons, cases or layer:<layer> ({', '.join(schema.layers)})")
    for label, value in (("since", since), ("until", until)):
        if value is not None and not _is_iso_date(value):
            raise GraphnetError(f"--{label} {value!r} is not a date (use YYYY-MM-DD)")
    types = list(schema.evidence_types) + (["HYPOTHESIS"] if hypotheses else [])
    case_list = sorted(set(cases)) if cases else None
    source_uids = _resolve_sources(db, sources) if sources else None
    keep = _keep_set(db, case_list, province, types) if (case_list or province) else None
    if within is not None:
        keep = sorted(set(within) if keep is None else set(within) & set(keep))
    canon = applied_clusters(db)
    labels = schema.entity_labels
    meta = {
        "projection": name,
        "since": since,
        "until": until,
        "cases": case_list,
        "province": province,
        "sources": source_uids,
        "directed": directed if name not in ("full", "cases") else name == "full",
        "weight": "strength: weight counts contacts or rarity-weighted shared things (more = closer); distance = 1/weight",
        "merged_records": len(canon),
    }
    if name == "full":
        G: nx.Graph = nx.MultiDiGraph(**meta)
    elif name == "cases":
        G = nx.Graph(**meta)
    else:
        G = nx.DiGraph(**meta) if directed else nx.Graph(**meta)
        G.graph["max_shared"] = max_shared

    node_labels: dict[str, str] = {}
    undated = 0
    self_loops = 0
    if name == "full":
        for uid, label, props in db.stream(cypher("projection_nodes"), keep=keep, labels=labels, props_of=None):
            node_labels[uid] = label
            _merge_node(G, uid, label, props, canon.get(uid, uid))
        for ra, rb, rtype, props in db.stream(cypher("projection_relationships"), types=types, keep=keep, since=since,
                                              until=until, sources=source_uids):  # fmt: skip
            a, b = canon.get(ra, ra), canon.get(rb, rb)
            if a == b:
                self_loops += 1
                continue
            props = {k: _plain(v) for k, v in props.items()}
            undated += props.get("date") is None
            w = _weight(props)
            props.update(
                type=rtype,
                layer=schema.relationships[rtype].layer,
                weight=w,
                distance=1.0 / w,
                src=list(props.get("src") or []),
                key=props.get("key") or "",
            )
            ekey = f"{rtype}:{props['key']}"  # identity (type, ends, key), as stored
            if G.has_edge(a, b, ekey):  # two merged records asserted the same tie
                d = G.edges[a, b, ekey]
                d["src"] = sorted(set(d["src"]) | set(props["src"]))
                d["weight"] += w
                d["distance"] = 1.0 / d["weight"]
            else:
                G.add_edge(a, b, ekey)
                G.edges[a, b, ekey].update(props)
    else:
        persons: set[str] = set()
        kept = "Case" if name == "cases" else "Person"  # the label whose nodes G keeps, with their properties
        for uid, label, props in db.stream(cypher("projection_nodes"), keep=keep, labels=labels, props_of=[kept]):
            node_labels[uid] = label
            c = canon.get(uid, uid)
            if label == kept:
                _merge_node(G, uid, label, props, c)
            if label == "Person":
                persons.add(c)
        rels = db.stream(cypher("projection_relationships"), types=types, keep=keep, since=since, until=until, sources=source_uids)
        if name == "cases":
            undated, self_loops = _build_cases(G, rels, canon, node_labels, persons, max_shared, schema)
        else:
            undated, self_loops = _build_persons(G, rels, canon, node_labels, layer, directed, max_shared, schema)
    if since or until or source_uids or layer:
        G.remove_nodes_from([n for n in list(G) if G.degree(n) == 0])
    G.graph.update(nodes=G.number_of_nodes(), edges=G.number_of_edges(), undated=undated, self_loops_dropped=self_loops)
    settle()  # the command's graph (graphnet.collector): no collection walks it again
    return G


def _is_iso_date(value: str) -> bool:
    import datetime

    try:
        datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return True


def _build_persons(G, rels, canon, node_labels, layer, directed, max_shared, schema) -> tuple[int, int]:
    members: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))  # thing -> person -> refs
    member_types: dict[str, set[tuple[str, str]]] = defaultdict(set)  # thing -> {(type, layer)}
    users: dict[str, set[str]] = defaultdict(set)  # phone/account/vehicle -> users
    lifted: list[tuple[str, str, float, str, str, list[str]]] = []
    ties = _Ties(G.is_directed())
    undated = self_loops = 0
    cases_of: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    convicted: dict[str, set[str]] = defaultdict(set)
    layer_of = {t: r.layer for t, r in schema.relationships.items()}
    for ra, rb, rtype, props in rels:  # a record is a tuple: unpacked once, not looked up by key six times
        rel_layer = layer_of[rtype]
        a, b = canon.get(ra, ra), canon.get(rb, rb)
        la, lb = node_labels.get(ra), node_labels.get(rb)
        src = props.get("src") or ()  # read, never changed: the ties copy it into their own sets
        if la == "Person" and lb == "Case" and rtype in _CASE_TYPES:
            cases_of[a][b].add(props.get("role") or ("convicted" if rtype == "CONVICTED_IN" else "involved"))
            if rtype == "CONVICTED_IN":
                convicted[a].add(b)
        if rtype in ATTACHMENT_TYPES and la == "Person":
            users[b].add(a)
        if layer is not None and rel_layer != layer:
            continue
        undated += props.get("date") is None
        w = _weight(props)
        if la == "Person" and lb == "Person":
            if a == b:
                self_loops += 1
                continue
            ties.add(a, b, w, rtype, rel_layer, src, None)
            if directed and (rtype in SYMMETRIC_TYPES or props.get("undirected")):
                ties.add(b, a, w, rtype, rel_layer, src, None)
        elif rtype in _CONTACT_TYPES:  # a call or payment with a phone or account at one end
            lifted.append((a if la != "Person" else f"\0{a}", b if lb != "Person" else f"\0{b}", w, rtype, rel_layer, src,
                           bool(props.get("undirected"))))
        elif la == "Person" and lb in SHARED_LABELS:
            members[b][a].update(src)
            member_types[b].add((rtype, rel_layer))
        elif lb == "Person" and la in SHARED_LABELS:
            members[a][b].update(src)
            member_types[a].add((rtype, rel_layer))
    skipped = 0
    for thing, people in members.items():
        k = len(people)
        if k < 2:
            continue
        if k > max_shared:
            skipped += 1
            continue
        share = 1.0 / (k - 1)
        tlist = sorted(member_types[thing])
        rtype = f"SHARED_{node_labels.get(thing, 'THING').upper()}"
        rlayer = tlist[0][1] if len({t[1] for t in tlist}) == 1 else "mixed"
        for u, v in itertools.combinations(sorted(people), 2):
            srcs = people[u] | people[v]
            ties.add(u, v, share, rtype, rlayer, srcs, thing)
            if directed:
                ties.add(v, u, share, rtype, rlayer, srcs, thing)
    unattributed = 0
    for a, b, w, rtype, rlayer, src, both_ways in lifted:
        ua = {a[1:]} if a.startswith("\0") else users.get(a, set())
        ub = {b[1:]} if b.startswith("\0") else users.get(b, set())
        if not ua or not ub:
            unattributed += 1
            continue
        part = w / (len(ua) * len(ub))
        via = a if not a.startswith("\0") else (b if not b.startswith("\0") else None)
        for u in sorted(ua):  # sets iterate in a per-process order: ties and float sums would follow it
            for v in sorted(ub):
                ties.add(u, v, part, rtype, rlayer, src, via)
                if directed and both_ways:
                    ties.add(v, u, part, rtype, rlayer, src, via)
    ties.into(G)
    for person, cs in cases_of.items():
        if person in G:
            G.nodes[person]["cases"] = sorted(cs)
            G.nodes[person]["case_roles"] = {c: sorted(r) for c, r in cs.items()}
            G.nodes[person]["convicted_in"] = sorted(convicted.get(person, ()))
            # a role a case file gives (victim, witness, suspect) is one of the person's roles
            G.nodes[person]["roles"] = sorted(set(G.nodes[person].get("roles") or ())
                                              | {r for rs in cs.values() for r in rs if r not in ("involved", "convicted")})
    for n, d in G.nodes(data=True):
        d.setdefault("cases", [])
        d.setdefault("case_roles", {})
        d.setdefault("convicted_in", [])
    G.graph.update(skipped_things=skipped, unattributed=unattributed, layer=layer)
    return undated, self_loops


def _build_cases(G, rels, canon, node_labels, persons, max_shared, schema) -> tuple[int, int]:
    people_of: dict[str, set[str]] = defaultdict(set)  # case -> people
    near: dict[str, set[str]] = defaultdict(set)  # person -> neighbours (not cases, not places)
    src_of: dict[tuple[str, str], set[str]] = defaultdict(set)
    ties = _Ties(G.is_directed())
    undated = self_loops = 0
    for ra, rb, rtype, props in rels:
        a, b = canon.get(ra, ra), canon.get(rb, rb)
        la, lb = node_labels.get(ra), node_labels.get(rb)
        undated += props.get("date") is None
        if a == b:
            self_loops += 1
            continue
        src = props.get("src") or []
        if rtype in _CASE_TYPES and lb == "Case":
            people_of[b].add(a)
            src_of[(b, a)].update(src)
            continue
        if "Case" in (la, lb) or la in _PLACE_LABELS or lb in _PLACE_LABELS:
            continue
        if la == "Person":
            near[a].add(b)
            src_of[(a, b)].update(src)
        if lb == "Person":
            near[b].add(a)
            src_of[(b, a)].update(src)
    cases_with: dict[str, set[str]] = defaultdict(set)  # element -> cases
    for case, people in people_of.items():
        for p in people:
            cases_with[p].add(case)
            for m in near.get(p, ()):
                cases_with[m].add(case)
    skipped = 0
    for element in sorted(cases_with):  # filled from sets: their order changes with each process's hashing
        cs = cases_with[element]
        k = len(cs)
        if k < 2:
            continue
        if k > max_shared:
            skipped += 1
            continue
        for u, v in itertools.combinations(sorted(cs), 2):
            refs = set()
            for c in (u, v):
                refs |= src_of.get((c, element), set())
                for p in people_of[c]:
                    refs |= src_of.get((p, element), set())
            ties.add(u, v, 1.0 / (k - 1), "SHARED", "cases", refs, element)
    ties.into(G)
    for u, v, d in G.edges(data=True):
        d["people"] = [x for x in d["via"] if x in persons]
    for c, d in G.nodes(data=True):
        d["people"] = sorted(people_of.get(c, ()))
    G.graph.update(skipped_things=skipped)
    return undated, self_loops


def neighbourhood(G: nx.Graph, uid: str, hops: int = 1) -> nx.Graph:
    """The subgraph within ``hops`` ties of ``uid`` (direction ignored).

    >>> neighbourhood(nx.path_graph(5), 0, 2).number_of_nodes()
    3
    """
    find_node(G, uid)
    return nx.ego_graph(G, uid, radius=hops, undirected=True)


def paths(G: nx.Graph, a: str, b: str, *, k: int = 1, distance: str = "distance", max_hops: int | None = None) -> list[list[str]]:
    """Up to ``k`` shortest paths from ``a`` to ``b`` (lengths = ``distance``; none if unreachable)."""
    U = G.to_undirected(as_view=True) if G.is_directed() else G
    if isinstance(U, nx.MultiGraph):
        U = nx.Graph(U)
    out: list[list[str]] = []
    try:
        for p in nx.shortest_simple_paths(U, a, b, weight=distance):
            if max_hops is not None and len(p) - 1 > max_hops:
                break
            out.append(p)
            if len(out) >= k:
                break
    except (nx.NetworkXNoPath, nx.NodeNotFound):
        return []
    return out


def nearest(G: nx.Graph, source: Any, targets: Iterable, k: int, *, distance: str = "distance") -> list:
    """The ``k`` targets nearest to ``source`` (lengths = ``distance``), by ``(length, str(target))``.

    The same list as sorting the reachable targets of
    ``nx.single_source_dijkstra_path_length(G, source, weight=distance)`` by
    ``(length, str(target))``, but the search stops once the ``k`` nearest
    are settled (and every target tied with the last of them), instead of
    settling the whole component: the steps are NetworkX's own Dijkstra
    (same neighbour order, same heap tie-break, same sums), so every length
    it settles is the one NetworkX gives to the last bit. Unreachable targets
    are left out. ``G``: a simple graph, followed as stored (direction kept when directed).

    >>> G = nx.path_graph(6)
    >>> nx.set_edge_attributes(G, 1.0, "distance")
    >>> nearest(G, 2, [0, 5, 4, 9], 2)
    [0, 4]
    """
    wanted = {t for t in targets if t in G}
    if k <= 0 or not wanted or source not in G:
        return []
    adj = G._adj
    dist: dict = {}
    seen = {source: 0}
    c = itertools.count()
    fringe = [(0, next(c), source)]
    found: list = []
    last = None  # the length of the k-th target settled: later ones count only when tied with it
    while fringe:
        d, _, v = heappop(fringe)
        if v in dist:
            continue
        if last is not None and d > last:
            break
        dist[v] = d
        if v in wanted:
            found.append(v)
            if len(found) == k:
                last = d
            if len(found) == len(wanted):
                break
        for u, e in adj[v].items():
            vu = d + e.get(distance, 1)
            if u not in dist and (u not in seen or vu < seen[u]):
                seen[u] = vu
                heappush(fringe, (vu, next(c), u))
    return sorted(found, key=lambda t: (dist[t], str(t)))[:k]


def find_node(G: nx.Graph, ref: str) -> str:
    """The node a user means by ``ref``: a uid, a merged record uid, or an exact name.

    Raises :class:`~graphnet.errors.NotFound` naming the closest names.

    >>> G = nx.Graph(); G.add_node("p:1", name="Budi Santoso", records=["p:1", "q:7"])
    >>> find_node(G, "q:7"), find_node(G, "budi santoso")
    ('p:1', 'p:1')
    """
    if ref in G:
        return ref
    low = ref.strip().lower()
    by_name = []
    for n, d in G.nodes(data=True):
        if ref in (d.get("records") or ()):
            return n
        if str(d.get("name") or "").strip().lower() == low:
            by_name.append(n)
    if len(by_name) == 1:
        return by_name[0]
    if len(by_name) > 1:
        shown, more = sorted(by_name)[:5], len(by_name) - 5
        listed = ", ".join(shown) + (f", and {more} more" if more > 0 else "")
        raise NotFound(f"{ref!r} names {len(by_name)} people ({listed}); give one of their uids instead of the name")
    try:
        from rapidfuzz import process

        names = {n: str(d.get("name") or n) for n, d in G.nodes(data=True)}
        close = process.extract(ref, names, limit=3)
        hint = "; closest: " + ", ".join(f"{m} ({k})" for m, _, k in close) if close else ""
    except ImportError:  # pragma: no cover
        hint = ""
    raise NotFound(f"no person {ref!r} in the {G.graph.get('projection', '')} projection{hint}")


def describe(G: nx.Graph) -> dict[str, Any]:
    """The graph a report ran on: projection, filters, counts and weight semantics."""
    keys = ("projection", "since", "until", "cases", "province", "sources", "directed", "nodes", "edges", "weight",
            "merged_records", "undated", "skipped_things", "unattributed", "max_shared", "redacted")
    out = {k: G.graph.get(k) for k in keys if k in G.graph}
    out["nodes"], out["edges"] = G.number_of_nodes(), G.number_of_edges()
    return out
