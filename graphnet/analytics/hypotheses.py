"""Hidden-tie hypotheses: people who may know each other although no record says so.

Scores run on the typed graph (``full`` projection read undirected, parallel
ties collapsed) over **shared infrastructure**: two people not directly tied
(no person-to-person evidence between them) are scored by the things they
both touch - lodgings, vehicles, phones, accounts, documents, organizations,
events (cases and places are left out: sharing a case is already a record,
sharing a city is not a clue).

* ``adamic_adar``: ``sum over shared things t of 1 / log(deg t)``
* ``resource_allocation``: ``sum over shared things t of 1 / deg t``

(``deg t`` = how many entities touch ``t``; a thing touched by few counts
more.) These are hypotheses for investigation, never evidence: they are
listed in reports, and :func:`store` writes them as ``HYPOTHESIS``
relationships (``evidence: false`` in the schema), which projections leave
out unless ``hypotheses=True`` is asked for, and which views and evidence
bundles never draw or export.

>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> for p in ("a", "b"): G.add_node(p, label="Person")
>>> G.add_node("L", label="Lodging")
>>> _ = G.add_edge("a", "L", type="STAYED_AT"); _ = G.add_edge("b", "L", type="STAYED_AT")
>>> [(h["a"], h["b"], h["score"]) for h in hidden_ties(G, method="resource_allocation")]
[('a', 'b', 0.5)]
"""

from __future__ import annotations

import math
from typing import Any

import networkx as nx

from ..errors import GraphnetError
from ..resources import cypher
from ..schema import load_schema, quote

__all__ = ["METHODS", "INFRASTRUCTURE", "hidden_ties", "store"]

METHODS = ("adamic_adar", "resource_allocation")
INFRASTRUCTURE = frozenset({"Lodging", "Vehicle", "Phone", "Account", "Document", "Organization", "Event"})


def hidden_ties(G: nx.Graph, *, method: str = "adamic_adar", top: int | None = None, max_shared: int = 50) -> list[dict[str, Any]]:
    """Scored person pairs with no direct tie who share infrastructure, best first.

    Each item: ``a``, ``b`` (uids, a < b), ``score``, ``method``, ``via``
    (the shared things). Things touched by more than ``max_shared``
    entities are ignored.
    """
    if method not in METHODS:
        raise GraphnetError(f"unknown method {method!r}; use {', '.join(METHODS)}")
    U = nx.Graph()
    U.add_nodes_from(G.nodes(data=True))
    U.add_edges_from((u, v) for u, v in G.edges() if u != v)
    label = {n: d.get("label") for n, d in U.nodes(data=True)}
    scores: dict[tuple, float] = {}
    via: dict[tuple, list] = {}
    for t in U:
        if label[t] not in INFRASTRUCTURE:
            continue
        deg = U.degree(t)
        if deg < 2 or deg > max_shared:
            continue
        people = sorted((p for p in U[t] if label[p] == "Person"), key=str)
        w = 1.0 / math.log(deg) if method == "adamic_adar" else 1.0 / deg
        for i, a in enumerate(people):
            for b in people[i + 1:]:
                if U.has_edge(a, b):
                    continue
                key = (a, b)
                scores[key] = scores.get(key, 0.0) + w
                via.setdefault(key, []).append(t)
    out = [{"a": a, "b": b, "score": s, "method": method, "via": sorted(via[(a, b)], key=str)}
           for (a, b), s in scores.items()]
    out.sort(key=lambda h: (-h["score"], str(h["a"]), str(h["b"])))
    return out[:top] if top is not None else out


def store(db: Any, hypotheses: list[dict[str, Any]]) -> int:
    """Write hypotheses as ``HYPOTHESIS`` relationships (key = method); returns how many.

    Idempotent: a second run updates the score. Never evidence (schema:
    ``evidence: false``).
    """
    schema = load_schema()
    rel = quote(schema.check_type("HYPOTHESIS"))
    person = quote(schema.check_label("Person"))
    rows = [{"a": h["a"], "b": h["b"], "method": h["method"], "score": float(h["score"]), "via": [str(v) for v in h["via"]]}
            for h in hypotheses]
    if not rows:
        return 0
    from ..db import ensure_schema

    ensure_schema(db)
    db.write(cypher("hypotheses_store").replace("{label}", person).replace("{type}", rel), rows=rows)
    return len(rows)
