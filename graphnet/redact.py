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

import networkx as nx

from .errors import ConfigError
from .schema import load_schema

__all__ = ["Redactor", "redact_graph", "PROTECTED_ROLES", "protected_nodes"]

PROTECTED_ROLES: tuple[str, ...] = ("victim",)
# Things a protected person holds whose identifiers are theirs too.
_HELD_LABELS = {"Phone", "Document", "Account"}


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


def _roles(data: dict) -> set[str]:
    roles = data.get("roles") or []
    if isinstance(roles, str):
        roles = [roles]
    return {str(r).lower() for r in roles}


def protected_nodes(G: nx.Graph, roles: Iterable[str] = PROTECTED_ROLES) -> set:
    """People with a protected role, plus the phones/documents/accounts they hold or use."""
    wanted = {r.lower() for r in roles}
    people = {n for n, d in G.nodes(data=True) if d.get("label") == "Person" and _roles(d) & wanted}
    held = set()
    for p in people:
        nbrs = set(G.successors(p)) if G.is_directed() else set(G.neighbors(p))
        held |= {n for n in nbrs if G.nodes[n].get("label") in _HELD_LABELS}
    return people | held


def redact_graph(G: nx.Graph, redactor: Redactor, roles: Iterable[str] = PROTECTED_ROLES) -> nx.Graph:
    """A copy of ``G`` in which protected people and their identifiers are pseudonymised.

    Node ids, ``name``, ``aliases``, ``records`` and every ``identifying``
    property of the protected nodes are replaced or dropped; edges keep their
    types and sources.
    """
    schema = load_schema()
    protect = protected_nodes(G, roles)
    mapping = {}
    for n in protect:
        label = G.nodes[n].get("label", "Person")
        prefix = redactor.prefix if label == "Person" else f"{label[:3].upper()}-"
        mapping[n] = redactor.pseudonym(str(n), prefix)
    H = nx.relabel_nodes(G, mapping, copy=True)
    for old, new in mapping.items():
        data = H.nodes[new]
        label = data.get("label", "Person")
        drop = set(schema.nodes[label].identifying) if label in schema.nodes else set()
        drop |= {"aliases", "records", "phone", "nik", "passport", "address", "birth_date", "number"}
        for key in drop:
            data.pop(key, None)
        data["name"] = new
        data["uid"] = new
        data["redacted"] = True
    return H
