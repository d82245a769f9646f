"""Victim protection: stable keyed pseudonyms and redaction of a NetworkX graph.

A victim keeps the same pseudonym across every view and bundle made with the
same key (HMAC-SHA256 of the record uid), and nobody without the key can link
a pseudonym back to a name. Redaction drops every property the schema flags
``identifying`` (phone, NIK, passport, address, birth date) from the protected
people and from the phones and documents they hold, and renames those
phones/documents so their numbers do not leak through node ids either.

>>> import networkx as nx
>>> G = nx.Graph()
>>> G.add_node("police:P1", label="Person", name="Siti Aminah", roles=["victim"], nik="6171014101990001")
>>> G.add_node("police:P2", label="Person", name="Budi", roles=["recruiter"])
>>> G.add_edge("police:P1", "police:P2", type="RECRUITED")
>>> H = redact_graph(G, Redactor(b"case-key"))
>>> v = Redactor(b"case-key").pseudonym("police:P1")
>>> H.nodes[v]["name"] == v and "nik" not in H.nodes[v], H.nodes["police:P2"]["name"]
(True, 'Budi')
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from typing import Any

import networkx as nx

from .errors import ConfigError
from .schema import load_schema

__all__ = ["Redactor", "redact_graph", "PROTECTED_ROLES", "ALWAYS_DROP", "Protection", "protection_of", "protection_in"]

PROTECTED_ROLES: tuple[str, ...] = ("victim",)

_MEMO_SIZE = 1 << 20  # rewritten strings remembered by a Protection

#: Properties a protected node loses whatever its label's identifying ones
#: (reports, views and evidence bundles alike).
ALWAYS_DROP = frozenset({"aliases", "phone", "nik", "passport", "address", "birth_date", "number", "records"})


class Redactor:
    """Keyed pseudonyms: ``pseudonym(uid)`` = ``V-`` + 10 hex of HMAC-SHA256(key, uid)."""

    def __init__(self, key: bytes | str | None, prefix: str = "V-"):
        if not key:
            raise ConfigError(
                "redaction needs a key: set GRAPHNET_REDACT_KEY or pass --redact-key "
                "(keep it: the same key gives the same pseudonyms across bundles)"
            )
        self.key = key.encode("utf-8") if isinstance(key, str) else key
        self.prefix = prefix

    def pseudonym(self, uid: str, prefix: str | None = None) -> str:
        digest = hmac.new(self.key, uid.encode("utf-8"), hashlib.sha256).hexdigest()
        return f"{self.prefix if prefix is None else prefix}{digest[:10]}"


class Protection:
    """Who is protected in a graph, and how every string that could name them is rewritten.

    ``mapping``: uid -> pseudonym of the protected people (victims by role or
    case role, their other records found through shared identifiers or the
    same name, as in evidence bundles) and of the phones, documents and
    accounts they hold; ``strings``: their names and numbers, to scrub from
    any other text (:class:`graphnet.evidence.redaction.Protected`).
    """

    def __init__(self, mapping: dict[str, str], strings: Any = None):
        self.mapping, self.strings = mapping, strings
        self._uids: Any = None
        self._memo: dict[str, str] = {}

    def text(self, value: str) -> str:
        """A string with protected uids named by pseudonym and protected names and numbers scrubbed.

        >>> p = Protection({"police:P1": "V-1"})
        >>> p.text("police:P1"), p.text("around police:P1 (2 hops)"), p.text("police:P10")
        ('V-1', 'around V-1 (2 hops)', 'police:P10')
        """
        if value in self.mapping:
            return self.mapping[value]
        done = self._memo.get(value)
        if done is None:
            done = self._text(value)
            if len(self._memo) >= _MEMO_SIZE:  # the same shared phone or lodging is named by thousands of ties
                self._memo.clear()
            self._memo[value] = done
        return done

    def _text(self, value: str) -> str:
        if self._uids is None:  # every uid in one pass, the longest where several start at one place
            from .evidence.words import WordIndex

            # not inside a longer uid: police:P1 is not police:P10 (the trie expression
            # (?<![\w:|]) + trie_regex(mapping) + (?![\w|]), found without compiling it)
            self._uids = WordIndex(self.mapping, ignore_case=False, before=":|", after="|")
        if len(self._uids):
            value = self._uids.sub(value, self.mapping.__getitem__)[0]
        return self.strings.scrub(value)[0] if self.strings is not None else value

    def clean(self, data: dict) -> None:
        """Rewrite ``data``'s strings and lists of strings in place (labels, types, refs and dates left)."""
        for key, value in data.items():
            if key in _PLAIN_KEYS:
                continue
            if isinstance(value, str):
                data[key] = self.text(value)
            elif isinstance(value, (list, tuple)) and any(isinstance(x, str) for x in value):
                data[key] = [self.text(x) if isinstance(x, str) else x for x in value]


# attributes that hold no identity: schema words, provenance refs ("<source>:<row>"), dates, numbers
_PLAIN_KEYS = frozenset({"label", "type", "types", "layer", "layers", "src", "key", "date", "weight", "distance",
                         "projection", "hypothesis", "redacted", "roles", "stage", "group"})


def protection_of(G: nx.Graph, redactor: Redactor, roles: Iterable[str] = PROTECTED_ROLES) -> Protection:
    """The :class:`Protection` of ``G``: best a ``full`` projection (people, things and typed ties).

    Decided by the evidence bundles' own rules
    (:func:`graphnet.evidence.redaction.protect`), so a victim is protected
    the same way in a report, a view and a bundle: a record of hers that
    resolution did not merge but that shares her phone, NIK or passport, or
    her name without a role of its own, is protected too.
    """
    nodes = {str(n): {**d, "label": d.get("label") or "Other"} for n, d in G.nodes(data=True)}
    edges = [{**d, "type": str(d.get("type") or ""), "source": str(u), "target": str(v)}
             for u, v, d in G.edges(data=True)]
    return _decided(nodes, edges, [], redactor, roles)


def protection_in(db: Any, redactor: Redactor, roles: Iterable[str] = PROTECTED_ROLES) -> Protection:
    """The :class:`Protection` of a whole database, decided on its records as stored (before any merge).

    Every person record, the phones, documents and accounts they use or
    hold, the roles people have in cases and the SAME_AS decisions (applied:
    one person; proposed: a record suspected to be hers is protected unless
    its own role shows someone else) go through the evidence bundles' rules
    (:func:`graphnet.evidence.redaction.protect`), so every name and number
    of every record of a victim is known: a projection that merges her
    records under one name, or a bundle that holds only a passenger list
    with her name, still hides her.
    """
    from .evidence.selection import plain
    from .resources import cypher

    # streamed, fields read from each record as it comes: a national database's 1.1 million records
    # are never all held twice (driver records and dicts), and Record.data()'s copy is skipped
    nodes = {r["uid"]: {**{k: plain(v) for k, v in r["props"].items()}, "label": r["label"]}
             for r in db.stream(cypher("redaction_records")) if r["uid"] is not None}
    edges, merges, proposed = [], nx.Graph(), []
    for r in db.stream(cypher("redaction_ties")):
        if r["type"] == "SAME_AS" and r["status"] == "proposed":
            proposed.append([r["source"], r["target"]])
        elif r["type"] == "SAME_AS":
            merges.add_edge(r["source"], r["target"])
        elif r["type"] == "INVOLVED_IN" or r["target"] in nodes:
            edges.append({"type": r["type"], "source": r["source"], "target": r["target"], "role": r["role"]})
    return _decided(nodes, edges, [sorted(c) for c in nx.connected_components(merges)], redactor, roles, proposed)


def _decided(nodes: dict, edges: list, same_person: list, redactor: Redactor, roles: Iterable[str],
             suspected: list | None = None) -> Protection:  # fmt: skip
    """The bundles' decision (:func:`graphnet.evidence.redaction.protect`) on these records and ties."""
    from .evidence.redaction import protect
    from .evidence.selection import Subgraph

    sub = Subgraph(nodes=nodes, edges=edges, sources={}, seeds=[], paths=[], selection={}, same_person=same_person,
                   suspected_same=suspected or [])
    mapping, strings, _ = protect(sub, redactor, tuple(roles))
    return Protection(mapping, strings)


def redact_graph(G: nx.Graph, redactor: Redactor, roles: Iterable[str] = PROTECTED_ROLES, *,
                 protection: Protection | None = None) -> nx.Graph:
    """A copy of ``G`` in which protected people and their identifiers are pseudonymised.

    ``protection``: who is protected, decided on a larger graph (e.g. the
    ``full`` projection behind a ``persons`` or ``cases`` one: see
    :func:`protection_of`); by default decided on ``G`` itself. Node ids,
    ``name``, ``aliases``, ``records`` and every ``identifying`` property of
    the protected nodes are replaced or dropped; every other string of the
    graph that names them (a tie's ``via``, a case's ``people``, a record uid
    built from a name) is rewritten; edges keep their types and sources.
    """
    schema = load_schema()
    protection = protection or protection_of(G, redactor, roles)
    mapping = {}
    for n, d in G.nodes(data=True):  # a merged node: protected when any of its records is
        hit = next((protection.mapping[r] for r in [str(n), *(d.get("records") or [])] if r in protection.mapping), None)
        if hit is not None:
            mapping[n] = hit
    H = nx.relabel_nodes(G, mapping, copy=True)
    for old, new in mapping.items():
        data = H.nodes[new]
        label = data.get("label", "Person")
        drop = set(schema.nodes[label].identifying) if label in schema.nodes else set()
        drop |= ALWAYS_DROP
        for key in drop:
            data.pop(key, None)
        data["name"] = new
        data["uid"] = new
        data["redacted"] = True
    for _, data in H.nodes(data=True):
        if not data.get("redacted"):
            protection.clean(data)
    for *_, data in H.edges(data=True):
        protection.clean(data)
    return H
