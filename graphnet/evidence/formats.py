"""The machine-readable files of a bundle, each a deterministic function of the subgraph.

Everything is sorted and ids are the graph's own uids, so the same selection
from the same data gives the same bytes. Lists (``src``, ``roles``) are
written as JSON text where a format has no list type (GraphML, GEXF, CSV).

>>> cypher_literal("O'Brien `x` \\"q\\"")
'"O\\'Brien `x` \\\\"q\\\\""'
>>> cypher_literal([1, 2.5, True, None])
'[1, 2.5, true, null]'
>>> cypher_key("weird`key")
'`weird``key`'
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import re
from collections.abc import Iterator
from typing import Any

import networkx as nx

from ..errors import GraphnetError
from ..schema import load_schema, quote
from .selection import Subgraph

__all__ = [
    "to_networkx",
    "graphml_bytes",
    "gexf_bytes",
    "node_link_bytes",
    "nodes_csv_bytes",
    "edges_csv_bytes",
    "sources_csv_bytes",
    "cypher_script",
    "ftm_bytes",
    "cypher_literal",
    "cypher_key",
    "read_cypher_literal",
    "constraint_statement",
    "node_statement",
    "relationship_statement",
    "FORMAT",
]

FORMAT = "graphnet-evidence/1"


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def edge_key(e: dict[str, Any]) -> str:
    return f"{e['type']}|{e.get('key') or ''}"


def to_networkx(sub: Subgraph) -> nx.MultiDiGraph:
    """The subgraph as a typed MultiDiGraph (node ids = uids, edge keys = ``TYPE|key``)."""
    G = nx.MultiDiGraph()
    G.graph.update({"format": FORMAT, "seeds": list(sub.seeds)})
    for uid, data in sub.nodes.items():
        G.add_node(uid, **data)
    for e in sub.edges:
        attrs = {k: v for k, v in e.items() if k not in {"source", "target"}}
        G.add_edges_from([(e["source"], e["target"], edge_key(e), attrs)])  # attrs hold the property "key"
    return G


def _flat(value: Any) -> Any:
    """A value GraphML/GEXF can hold: lists and dicts as canonical JSON text."""
    if isinstance(value, (list, dict)):
        return _json(value)
    if isinstance(value, bool) or isinstance(value, (int, float, str)):
        return value
    return str(value)


def _flat_graph(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    H = nx.MultiDiGraph()
    H.graph.update({k: _flat(v) for k, v in sorted(G.graph.items())})
    for n, d in G.nodes(data=True):
        H.add_node(n, **{k: _flat(v) for k, v in sorted(d.items()) if v is not None})
    for u, v, k, d in G.edges(keys=True, data=True):
        H.add_edges_from([(u, v, k, {a: _flat(b) for a, b in sorted(d.items()) if b is not None})])
    return H


def graphml_bytes(G: nx.MultiDiGraph) -> bytes:
    """GraphML (networkx writer); list values as JSON text."""
    buf = io.BytesIO()
    nx.write_graphml(_flat_graph(G), buf, encoding="utf-8", prettyprint=True)
    return buf.getvalue()


def gexf_bytes(G: nx.MultiDiGraph) -> bytes:
    """GEXF 1.2 for Gephi (networkx writer); list values as JSON text.

    Nodes: ``label`` = name, ``kind`` = entity label; edges: ``rel_type`` and
    ``rel_key`` (GEXF reserves ``type``), ``label`` = the relationship type.
    """
    H = _flat_graph(G)
    for n, d in H.nodes(data=True):
        d.pop("label", None)  # GEXF reserves "label" for the display name
        d["label"] = str(d.get("name") or n)
        d["kind"] = G.nodes[n].get("label", "")
    for _, _, d in H.edges(data=True):
        # GEXF reserves an edge's "type" (directed/undirected) and networkx's writer takes "key":
        # the relationship type and key travel as rel_type / rel_key, the type is also the edge label
        d["rel_type"] = d.pop("type", "")
        d["rel_key"] = d.pop("key", "")
        d["label"] = d["rel_type"]
    buf = io.BytesIO()
    nx.write_gexf(H, buf, encoding="utf-8", prettyprint=True, version="1.2draft")
    text = buf.getvalue().decode("utf-8")
    # the writer stamps today's date into <meta lastmodifieddate=...>: bundles must be reproducible
    text = re.sub(r'<meta lastmodifieddate="[^"]*"', '<meta lastmodifieddate="1970-01-01"', text, count=1)
    return text.encode("utf-8")


def node_link_bytes(sub: Subgraph, G: nx.MultiDiGraph) -> bytes:
    """Node-link JSON: nodes with ``id`` = uid, edges with ``id`` = ``TYPE|key`` and flat properties.

    The graph attributes hold the sources, paths, selection and same-person
    groups. :func:`graphnet.evidence.read_graph` reads it back as a
    MultiDiGraph (networkx's own ``node_link_graph`` cannot, because the
    relationships carry a property named ``key``).
    """
    data = nx.node_link_data(G, edges="edges", key="id")
    data["graph"] = {**data["graph"], "sources": sub.sources, "paths": sub.paths, "selection": sub.selection,
                     "same_person": sub.same_person}
    return (json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode("utf-8")


_SAFE_SIGNED = re.compile(r"^[+-][\d\s().-]*$")


def _cell(value: Any) -> str:
    """A CSV cell that a spreadsheet will not execute (formula injection), lists as JSON."""
    if value is None:
        return ""
    text = _json(value) if isinstance(value, (list, dict)) else str(value)
    if text and (text[0] in "=@\t\r" or (text[0] in "+-" and not _SAFE_SIGNED.match(text))):
        text = "'" + text
    return text


def _csv(header: list[str], rows: list[list[Any]]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for row in rows:
        w.writerow([_cell(v) for v in row])
    return buf.getvalue().encode("utf-8")


def nodes_csv_bytes(sub: Subgraph) -> bytes:
    fixed = ["uid", "label", "name", "roles", "src"]
    extra = sorted({k for d in sub.nodes.values() for k in d} - set(fixed))
    rows = [[d.get(k) for k in fixed + extra] for d in sub.nodes.values()]
    return _csv(["id", *fixed[1:], *extra], [[uid, *r[1:]] for uid, r in zip(sub.nodes, rows)])


def edges_csv_bytes(sub: Subgraph) -> bytes:
    fixed = ["source", "target", "type", "key", "date", "weight", "src"]
    extra = sorted({k for e in sub.edges for k in e} - set(fixed))
    return _csv(fixed + extra, [[e.get(k) for k in fixed + extra] for e in sub.edges])


def sources_csv_bytes(sub: Subgraph) -> bytes:
    fixed = ["uid", "path", "sha256", "definition", "loaded_at", "rows"]
    extra = sorted({k for s in sub.sources.values() for k in s} - set(fixed))
    return _csv(fixed + extra, [[s.get(k, u if k == "uid" else None) for k in fixed + extra] for u, s in sub.sources.items()])


# ---------------------------------------------------------------- Cypher script


def cypher_literal(value: Any) -> str:
    """A Cypher literal for a stored value; strings are JSON-escaped (Cypher accepts the same escapes)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise GraphnetError(f"cannot write the non-finite number {value!r} into a Cypher script")
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=True)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(cypher_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{cypher_key(k)}: {cypher_literal(v)}" for k, v in sorted(value.items())) + "}"
    raise GraphnetError(f"cannot write a value of type {type(value).__name__} into a Cypher script")


def cypher_key(name: str) -> str:
    """A map key / property name, always backtick-quoted (backticks doubled)."""
    return quote(str(name))


_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_MAX_DEPTH = 8  # rows > row > props > list > value is 4 deep


def _after_item(text: str, pos: int, close: str) -> tuple[bool, int]:
    """After a list item or map entry: ``(closed, position)`` past ``", "`` or ``close``."""
    if text.startswith(", ", pos):
        return False, pos + 2
    if text.startswith(close, pos):
        return True, pos + 1
    raise ValueError(f"expected ', ' or '{close}' at column {pos + 1}")


def read_cypher_literal(text: str, pos: int = 0, _depth: int = 0) -> tuple[Any, int]:
    """Read back one literal as :func:`cypher_literal` writes it, at ``text[pos:]``: (value, end position).

    Only that grammar is read (JSON strings, numbers, ``true``/``false``/``null``,
    ``[a, b]`` lists and ``{`key`: value}`` maps with backtick-quoted keys);
    anything else raises ``ValueError``. Nothing is evaluated.

    >>> read_cypher_literal('[{`a``b`: [1, 2.5, null, true]}, "x"] AS row')
    ([{'a`b': [1, 2.5, None, True]}, 'x'], 37)
    """
    if _depth > _MAX_DEPTH:
        raise ValueError("literal nested too deeply")
    if pos >= len(text):
        raise ValueError("literal cut short")
    ch = text[pos]
    if ch == '"':
        try:
            return json.decoder.scanstring(text, pos + 1, True)
        except json.JSONDecodeError as e:
            raise ValueError(f"bad string literal ({e.msg})") from None
    if ch == "[":
        items: list[Any] = []
        pos += 1
        if text.startswith("]", pos):
            return items, pos + 1
        while True:
            value, pos = read_cypher_literal(text, pos, _depth + 1)
            items.append(value)
            closed, pos = _after_item(text, pos, "]")
            if closed:
                return items, pos
    if ch == "{":
        mapping: dict[str, Any] = {}
        pos += 1
        if text.startswith("}", pos):
            return mapping, pos + 1
        while True:
            if not text.startswith("`", pos):
                raise ValueError(f"expected a backtick-quoted key at column {pos + 1}")
            end = pos + 1
            while True:
                end = text.find("`", end)
                if end < 0:
                    raise ValueError("unterminated key")
                if text.startswith("``", end):
                    end += 2
                    continue
                break
            key = text[pos + 1 : end].replace("``", "`")
            if key in mapping:
                raise ValueError(f"key {key!r} given twice")
            if not text.startswith(": ", end + 1):
                raise ValueError(f"expected ': ' at column {end + 2}")
            mapping[key], pos = read_cypher_literal(text, end + 3, _depth + 1)
            closed, pos = _after_item(text, pos, "}")
            if closed:
                return mapping, pos
    for word, constant in (("null", None), ("true", True), ("false", False)):
        if text.startswith(word, pos):
            return constant, pos + len(word)
    m = _NUMBER.match(text, pos)
    if m:
        number: int | float = float(m.group(0)) if m.group(1) or m.group(2) else int(m.group(0))
        if isinstance(number, float) and not math.isfinite(number):
            raise ValueError("non-finite number")
        return number, m.end()
    raise ValueError(f"not a literal at column {pos + 1}")


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _stored(props: dict[str, Any], drop: set[str]) -> dict[str, Any]:
    return {k: v for k, v in props.items() if k not in drop and v is not None}


def constraint_statement(label: str) -> str:
    """The script's uniqueness constraint for a (schema-checked) label."""
    return f"CREATE CONSTRAINT {label.lower()}_uid IF NOT EXISTS FOR (n:{quote(label)}) REQUIRE n.uid IS UNIQUE;"


def node_statement(label: str, rows: list[dict[str, Any]]) -> str:
    """The script's statement creating nodes of one (schema-checked) label from rows ``{uid, props}``."""
    return f"UNWIND {cypher_literal(rows)} AS row MERGE (n:{quote(label)} {{uid: row.`uid`}}) SET n = row.`props`;"


def relationship_statement(rtype: str, start: str, end: str, rows: list[dict[str, Any]]) -> str:
    """The script's statement creating relationships (rows ``{start, end, key, props}``); names schema-checked."""
    return (
        f"UNWIND {cypher_literal(rows)} AS row MATCH (a:{quote(start)} {{uid: row.`start`}}) "
        f"MATCH (b:{quote(end)} {{uid: row.`end`}}) MERGE (a)-[r:{quote(rtype)} {{key: row.`key`}}]->(b) SET r = row.`props`;"
    )


def cypher_script(sub: Subgraph, batch: int = 200) -> str:
    """A Cypher script that recreates the subgraph (and its Source nodes) in an empty Neo4j.

    One statement per line, each ending with ``;`` (cypher-shell reads it).
    Data are literal maps in ``UNWIND`` lists: no parameters needed, every
    string JSON-escaped, every label, type and key backtick-quoted after a
    schema check. :func:`graphnet.evidence.roundtrip.parse_script` reads the
    data back (it accepts only these statements, and never runs them).
    """
    schema = load_schema()
    lines = [
        "// graphnet evidence bundle: recreates the exported subgraph in an empty Neo4j database.",
        "// Load with: graphnet evidence load BUNDLE --from cypher --digest <digest>   (reads only graphnet's statements)",
        "// or, after graphnet evidence verify BUNDLE --digest <digest>: cypher-shell -d <database> -f subgraph.cypher",
        "// One statement per line; strings are JSON-escaped literals, names backtick-quoted.",
    ]
    used = sorted({d["label"] for d in sub.nodes.values()} | ({"Source"} if sub.sources else set()))
    for label in used:
        lines.append(constraint_statement(schema.check_label(label)))
    if sub.sources:
        rows = [{"uid": u, "props": {**_stored(s, set()), "uid": u}} for u, s in sub.sources.items()]
        for chunk in _chunks(rows, batch):
            lines.append(node_statement("Source", chunk))
    by_label: dict[str, list[dict[str, Any]]] = {}
    for uid, d in sub.nodes.items():
        by_label.setdefault(d["label"], []).append({"uid": uid, "props": _stored(d, {"label"})})
    for label, rows in sorted(by_label.items()):
        schema.check_label(label)
        for chunk in _chunks(rows, batch):
            lines.append(node_statement(label, chunk))
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for e in sub.edges:
        a, b = sub.nodes[e["source"]]["label"], sub.nodes[e["target"]]["label"]
        props = _stored(e, {"type", "source", "target"})
        props["key"] = e.get("key") or ""
        groups.setdefault((e["type"], a, b), []).append({"start": e["source"], "end": e["target"], "key": props["key"], "props": props})
    for (rtype, a, b), rows in sorted(groups.items()):
        schema.check_type(rtype), schema.check_label(a), schema.check_label(b)
        for chunk in _chunks(rows, batch):
            lines.append(relationship_statement(rtype, a, b, chunk))
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- FollowTheMoney

_FTM_NODE = {
    "Person": "Person",
    "Organization": "Organization",
    "Account": "BankAccount",
    "Vehicle": "Vehicle",
    "Document": "Passport",
    "Case": "CourtCase",
    "Event": "Event",
    "Location": "Address",
    "Lodging": "RealEstate",
    "Phone": "UserAccount",
}
# relationship type -> (FtM schema, property of the start, property of the end, extra)
_FTM_EDGE = {
    "RELATIVE_OF": ("Family", "person", "relative"),
    "KNOWS": ("Associate", "person", "associate"),
    "ASSOCIATED_WITH": ("Associate", "person", "associate"),
    "MET": ("Associate", "person", "associate"),
    "RECRUITED": ("Associate", "person", "associate"),
    "PAID": ("Payment", "payer", "beneficiary"),
    "EMPLOYED_BY": ("Employment", "employee", "employer"),
    "AFFILIATED_WITH": ("Membership", "member", "organization"),
    "INVOLVED_IN": ("CourtCaseParty", "party", "case"),
    "CONVICTED_IN": ("CourtCaseParty", "party", "case"),
}


def ftm_id(uid: str) -> str:
    """A FollowTheMoney entity id for a graphnet uid (stable, only ``[0-9a-f]``).

    >>> ftm_id("police:P1") == ftm_id("police:P1") != ftm_id("police:P2")
    True
    """
    return "gn-" + hashlib.sha1(uid.encode("utf-8")).hexdigest()


def _vals(v: Any) -> list[str]:
    if v is None or v == "":
        return []
    return [str(x) for x in v] if isinstance(v, list) else [str(v)]


def ftm_entities(sub: Subgraph) -> list[dict[str, Any]]:
    """The subgraph as FollowTheMoney entities (``id``, ``schema``, ``properties``: lists of strings).

    Schemata and property names follow followthemoney 4 (checked against its
    schema files): Person, BankAccount, Vehicle, Passport (documents), CourtCase,
    Event, Address (places), RealEstate (lodgings), UserAccount (phone lines);
    ties become Family, Associate, Payment, Employment, Membership,
    CourtCaseParty or UnknownLink. Provenance refs (``<source uid>:<row>``) are
    ``recordId`` on intervals (ties, passports) and ``notes`` on things.
    """
    out = []
    owner: dict[str, list[str]] = {}  # document/phone uid -> ftm ids of who holds or uses it
    for e in sub.edges:
        if e["type"] in {"HOLDS", "USES"}:
            owner.setdefault(e["target"], []).append(ftm_id(e["source"]))
    for uid, d in sub.nodes.items():
        schema = _FTM_NODE.get(d["label"], "Thing")
        props: dict[str, list[str]] = {} if schema == "Passport" else {"name": _vals(d.get("name")) or [uid]}
        if d["label"] == "Person":
            props |= {"alias": _vals(d.get("aliases")), "birthDate": _vals(d.get("birth_date")),
                      "idNumber": _vals(d.get("nik")), "passportNumber": _vals(d.get("passport")),
                      "phone": _vals(d.get("phone")), "address": _vals(d.get("address")),
                      "nationality": _vals(d.get("nationality")), "position": _vals(d.get("roles"))}
        elif d["label"] == "Account":
            props |= {"accountNumber": _vals(d.get("number")), "bankName": _vals(d.get("bank"))}
        elif d["label"] == "Vehicle":
            props |= {"registrationNumber": _vals(d.get("plate")), "type": _vals(d.get("kind"))}
        elif d["label"] == "Document":
            props |= {"number": _vals(d.get("number")), "type": _vals(d.get("kind")),
                      "authority": _vals(d.get("issuer")), "startDate": _vals(d.get("issued_on")),
                      "holder": sorted(set(owner.get(uid, []))), "description": _vals(d.get("name"))}
        elif d["label"] == "Case":
            props |= {"caseNumber": _vals(d.get("number")), "court": _vals(d.get("court")),
                      "category": _vals(d.get("charge")), "fileDate": _vals(d.get("opened_on"))}
        elif d["label"] == "Phone":
            props |= {"phone": _vals(d.get("number")), "service": _vals(d.get("operator")),
                      "owner": sorted(set(owner.get(uid, [])))}
        elif d["label"] == "Location":
            props |= {"full": _vals(d.get("address") or d.get("name")), "country": _vals(d.get("country"))}
        elif d["label"] == "Lodging":
            props |= {"address": _vals(d.get("address")), "country": _vals(d.get("country"))}
        props["summary"] = ["graphnet " + d["label"] + " " + uid]
        # provenance refs "<source uid>:<row>": recordId on intervals (Passport), notes on things
        props["recordId" if schema == "Passport" else "notes"] = _vals(d.get("src"))
        out.append({"id": ftm_id(uid), "schema": schema, "properties": {k: v for k, v in sorted(props.items()) if v}})
    for e in sub.edges:
        schema, a, b = _FTM_EDGE.get(e["type"], ("UnknownLink", "subject", "object"))
        props = {a: [ftm_id(e["source"])], b: [ftm_id(e["target"])], "date": _vals(e.get("date")),
                 "description": [e["type"] + (f" ({e['key']})" if e.get("key") else "")],
                 "recordId": _vals(e.get("src"))}
        if e["type"] == "PAID":
            props |= {"amount": _vals(e.get("amount")), "currency": _vals(e.get("currency"))}
        if e.get("role") and schema in {"CourtCaseParty", "UnknownLink"}:
            props["role"] = _vals(e.get("role"))
        if e["type"] == "RELATIVE_OF" and e.get("kinship"):
            props["relationship"] = _vals(e.get("kinship"))
        rid = ftm_id("|".join([e["type"], e["source"], e["target"], e.get("key") or ""]))
        out.append({"id": rid, "schema": schema, "properties": {k: v for k, v in sorted(props.items()) if v}})
    return sorted(out, key=lambda x: x["id"])


def ftm_bytes(sub: Subgraph) -> bytes:
    """FollowTheMoney entities, one JSON object per line."""
    return "".join(_json(e) + "\n" for e in ftm_entities(sub)).encode("utf-8")
