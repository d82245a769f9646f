"""The graph schema, read from ``schema.yaml`` (declared once, as data).

Labels and relationship types that reach a Cypher query come only from here,
and only backtick-quoted through :func:`quote`.

>>> s = load_schema()
>>> "Person" in s.labels and "RECRUITED" in s.relationship_types
True
>>> s.relationship("INVOLVED_IN").allows("Person", "Case")
True
>>> s.check_label("Person`) DETACH DELETE n //")
Traceback (most recent call last):
...
graphnet.errors.SchemaError: unknown label 'Person`) DETACH DELETE n //'; the schema has: Account, Case, Document, Event, Location, Lodging, Organization, Person, Phone, Source, Vehicle
"""

from __future__ import annotations

import dataclasses
import functools
from importlib import resources
from typing import Any

import yaml

from .errors import SchemaError

__all__ = ["Schema", "NodeType", "RelType", "load_schema", "quote", "schema_cypher"]


@dataclasses.dataclass(frozen=True)
class NodeType:
    label: str
    description: str
    properties: dict[str, dict[str, Any]]
    indexes: tuple[str, ...] = ()

    @property
    def identifying(self) -> frozenset[str]:
        """Properties that identify a person and are removed by redaction."""
        return frozenset(k for k, v in self.properties.items() if v.get("identifying"))


@dataclasses.dataclass(frozen=True)
class RelType:
    type: str
    description: str
    sources: tuple[str, ...]
    targets: tuple[str, ...]
    layer: str
    strength: bool = False
    evidence: bool = True
    properties: dict[str, dict[str, Any]] = dataclasses.field(default_factory=dict)

    def allows(self, source_label: str, target_label: str) -> bool:
        return source_label in self.sources and target_label in self.targets


@dataclasses.dataclass(frozen=True)
class Schema:
    nodes: dict[str, NodeType]
    relationships: dict[str, RelType]
    common_node_properties: dict[str, dict[str, Any]]
    common_relationship_properties: dict[str, dict[str, Any]]

    @property
    def labels(self) -> list[str]:
        return sorted(self.nodes)

    @property
    def relationship_types(self) -> list[str]:
        return sorted(self.relationships)

    @property
    def evidence_types(self) -> list[str]:
        """Relationship types that are evidence (not hypotheses, not decisions)."""
        return sorted(t for t, r in self.relationships.items() if r.evidence)

    @property
    def entity_labels(self) -> list[str]:
        """Labels of the graph's entities (every label but Source)."""
        return [label for label in self.labels if label != "Source"]

    def layer_types(self, layer: str) -> list[str]:
        return sorted(t for t, r in self.relationships.items() if r.layer == layer)

    @property
    def layers(self) -> list[str]:
        return sorted({r.layer for r in self.relationships.values()})

    def check_label(self, label: str) -> str:
        if label not in self.nodes:
            raise SchemaError(f"unknown label {label!r}; the schema has: {', '.join(self.labels)}")
        return label

    def check_type(self, rel_type: str) -> str:
        if rel_type not in self.relationships:
            raise SchemaError(
                f"unknown relationship type {rel_type!r}; the schema has: {', '.join(self.relationship_types)}"
            )
        return rel_type

    def node(self, label: str) -> NodeType:
        return self.nodes[self.check_label(label)]

    def relationship(self, rel_type: str) -> RelType:
        return self.relationships[self.check_type(rel_type)]

    def node_properties(self, label: str) -> dict[str, dict[str, Any]]:
        return {**self.common_node_properties, **self.node(label).properties}

    def relationship_properties(self, rel_type: str) -> dict[str, dict[str, Any]]:
        return {**self.common_relationship_properties, **self.relationship(rel_type).properties}


def _parse(data: dict[str, Any]) -> Schema:
    nodes = {
        label: NodeType(
            label=label,
            description=spec.get("description", ""),
            properties=dict(spec.get("properties") or {}),
            indexes=tuple(spec.get("indexes") or ()),
        )
        for label, spec in data["nodes"].items()
    }
    rels = {}
    for rtype, spec in data["relationships"].items():
        for end in ("from", "to"):
            unknown = [label for label in spec[end] if label not in nodes]
            if unknown:
                raise SchemaError(f"schema.yaml: {rtype}.{end} names unknown labels {unknown}")
        rels[rtype] = RelType(
            type=rtype,
            description=spec.get("description", ""),
            sources=tuple(spec["from"]),
            targets=tuple(spec["to"]),
            layer=spec.get("layer", "other"),
            strength=spec.get("weight") == "strength",
            evidence=spec.get("evidence", True),
            properties=dict(spec.get("properties") or {}),
        )
    common = data.get("common") or {}
    return Schema(
        nodes=nodes,
        relationships=rels,
        common_node_properties=dict(common.get("node_properties") or {}),
        common_relationship_properties=dict(common.get("relationship_properties") or {}),
    )


@functools.cache
def load_schema() -> Schema:
    """The schema shipped with graphnet (parsed once per process)."""
    text = resources.files("graphnet").joinpath("schema.yaml").read_text(encoding="utf-8")
    return _parse(yaml.safe_load(text))


def quote(name: str) -> str:
    """Backtick-quote a schema label or type for Cypher.

    Only call this on a name checked against the schema; backticks inside are
    doubled as Cypher requires, so even an unchecked name cannot escape.

    >>> quote("Person")
    '`Person`'
    >>> quote("a`b")
    '`a``b`'
    """
    return "`" + name.replace("`", "``") + "`"


def schema_cypher(schema: Schema | None = None) -> str:
    """The constraints and indexes the schema implies, as idempotent Cypher.

    This is the text of ``cypher/schema.cypher``; a test keeps the two equal.

    >>> print(schema_cypher().splitlines()[2])
    CREATE CONSTRAINT account_uid IF NOT EXISTS FOR (n:`Account`) REQUIRE n.uid IS UNIQUE;
    """
    schema = schema or load_schema()
    lines = [
        "// Generated from graphnet/schema.yaml by `graphnet schema cypher`; do not edit.",
        "// Applied by `graphnet db init` (idempotent: IF NOT EXISTS).",
    ]
    for label in schema.labels:
        low = label.lower()
        lines.append(
            f"CREATE CONSTRAINT {low}_uid IF NOT EXISTS FOR (n:{quote(label)}) REQUIRE n.uid IS UNIQUE;"
        )
        for prop in schema.nodes[label].indexes:
            lines.append(f"CREATE INDEX {low}_{prop} IF NOT EXISTS FOR (n:{quote(label)}) ON (n.{prop});")
    return "\n".join(lines) + "\n"
