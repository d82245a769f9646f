"""Loader definitions: parse ``loaders/*.yaml`` and validate them against the schema.

A definition maps a spreadsheet's columns to schema nodes and relationships
(see ``docs/ARCHITECTURE.md``, "Loader definitions"). Everything is checked
before a single row is read: an unknown label, relationship type, endpoint
combination, property, normaliser or column is a
:class:`~graphnet.errors.DefinitionError` naming the definition file and line.

>>> d = parse_definition('''
... name: tiny
... description: Two people who know each other
... namespace: t
... columns: [a, b]
... nodes:
...   p: {label: Person, key: a}
...   q: {label: Person, key: b}
... relationships:
...   - {type: KNOWS, from: p, to: q}
... ''', "tiny.yaml")
>>> d.name, [n.label.fixed for n in d.nodes.values()], d.relationships[0].types()
('tiny', ['Person', 'Person'], ['KNOWS'])
>>> parse_definition("name: x\\ncolumns: [a]\\nnodes:\\n  p: {label: Persn, key: a}\\n", "x.yaml")
Traceback (most recent call last):
...
graphnet.errors.DefinitionError: x.yaml, line 4: node p: unknown label 'Persn'; the schema has: Account, Case, Document, Event, Location, Lodging, Organization, Person, Phone, Source, Vehicle
"""

from __future__ import annotations

import dataclasses
import itertools
from pathlib import Path
from typing import Any

from ..errors import DefinitionError, SchemaError
from ..resources import loader_definition, loader_definitions
from ..schema import Schema, load_schema
from . import yamlines
from .normalize import NORMALISERS

__all__ = [
    "Definition",
    "NodeSpec",
    "RelSpec",
    "ValueSpec",
    "Choice",
    "Condition",
    "parse_definition",
    "read_definition",
    "list_definitions",
]

FORMATS = ("csv", "xlsx", "ftm")
TYPES = ("string", "date", "int", "float", "list", "bool")
_DEF_KEYS = {
    "name", "description", "namespace", "format", "delimiter", "encoding", "sheet", "columns",
    "optional_columns", "nodes", "relationships", "region", "directed",
}  # fmt: skip
_NODE_KEYS = {"label", "key", "fallback_key", "global", "properties", "optional", "when"}
_REL_KEYS = {"type", "from", "to", "key", "properties", "weight", "directed", "when", "optional"}
_VALUE_KEYS = {"column", "value", "normalise", "type", "format", "map", "default", "split", "name", "aggregate"}


@dataclasses.dataclass(frozen=True)
class ValueSpec:
    """Where a value comes from: a column (normalised, typed, mapped) or a constant."""

    column: str | None = None
    value: Any = None
    normalise: str | None = None
    type: str | None = None
    format: tuple[str, ...] = ()
    map: dict[str, Any] | None = None
    default: Any = None
    split: str | None = None
    name: str | None = None
    aggregate: str | None = None
    line: int = 0

    @property
    def columns(self) -> list[str]:
        return [self.column] if self.column else []


@dataclasses.dataclass(frozen=True)
class Choice:
    """A label or relationship type: fixed, or chosen per row from a column through a map."""

    fixed: str | None = None
    column: str | None = None
    map: dict[str, str] | None = None
    default: str | None = None
    line: int = 0

    def values(self) -> list[str]:
        if self.fixed:
            return [self.fixed]
        out = list(dict.fromkeys((self.map or {}).values()))
        if self.default and self.default not in out:
            out.append(self.default)
        return out

    def options(self) -> dict[str | None, str]:
        """Column value -> name (``None`` = the default or the fixed name)."""
        if self.fixed:
            return {None: self.fixed}
        out: dict[str | None, str] = {k: v for k, v in (self.map or {}).items()}
        if self.default:
            out[None] = self.default
        return out


@dataclasses.dataclass(frozen=True)
class Condition:
    """``when``: the node or relationship exists only for rows whose column value passes."""

    column: str
    values: frozenset[str] | None = None  # in
    exclude: frozenset[str] | None = None  # not_in
    present: bool | None = None
    line: int = 0

    def holds(self, value: str) -> bool:
        v = value.strip().casefold()
        if self.present is not None and bool(v) != self.present:
            return False
        if self.values is not None and v not in self.values:
            return False
        if self.exclude is not None and v in self.exclude:
            return False
        return True


@dataclasses.dataclass(frozen=True)
class NodeSpec:
    alias: str
    label: Choice
    key: tuple[ValueSpec, ...]
    fallback_key: tuple[ValueSpec, ...] = ()
    global_prefix: str | None = None
    properties: dict[str, ValueSpec] = dataclasses.field(default_factory=dict)
    optional: bool = False
    when: Condition | None = None
    line: int = 0


@dataclasses.dataclass(frozen=True)
class RelSpec:
    type: Choice
    source: str
    target: str
    key: tuple[ValueSpec, ...] = ()
    properties: dict[str, ValueSpec] = dataclasses.field(default_factory=dict)
    weight: ValueSpec | None = None
    directed: bool = True
    when: Condition | None = None
    optional: bool = True
    line: int = 0

    def types(self) -> list[str]:
        return self.type.values()


@dataclasses.dataclass(frozen=True)
class Definition:
    name: str
    description: str
    namespace: str
    path: str
    format: str | None = None
    delimiter: str | None = None
    encoding: str | None = None
    sheet: str | None = None
    region: str = "ID"
    columns: tuple[str, ...] = ()
    optional_columns: tuple[str, ...] = ()
    nodes: dict[str, NodeSpec] = dataclasses.field(default_factory=dict)
    relationships: tuple[RelSpec, ...] = ()
    text: str = ""

    @property
    def all_columns(self) -> tuple[str, ...]:
        return self.columns + self.optional_columns


class _Checker:
    """Parses one definition, raising DefinitionError(path, line, ...) on the first fault."""

    def __init__(self, path: str, schema: Schema):
        self.path, self.schema = path, schema
        self.columns: set[str] = set()

    def fail(self, line: int, message: str) -> DefinitionError:
        return DefinitionError(self.path, line or None, message)

    def need(self, doc: yamlines.LineDict, key: str, where: str) -> Any:
        if key not in doc or doc[key] in (None, ""):
            raise self.fail(doc.line, f"{where}: `{key}` is required")
        return doc[key]

    def keys(self, doc: Any, allowed: set[str], where: str) -> None:
        if not isinstance(doc, dict):
            raise self.fail(yamlines.line_of(doc), f"{where}: expected a mapping, got {doc!r}")
        for k in doc:
            if k not in allowed:
                raise self.fail(
                    doc.line_of(k), f"{where}: unknown field {k!r}; allowed: {', '.join(sorted(allowed))}"
                )

    def column(self, name: Any, line: int, where: str) -> str:
        if not isinstance(name, str) or name.strip() == "":
            raise self.fail(line, f"{where}: a column name must be text, got {name!r}")
        if name.casefold() not in self.columns:
            raise self.fail(
                line, f"{where}: unknown column {name!r}; the definition's columns are: {', '.join(self.order)}"
            )
        return name

    # values -----------------------------------------------------------------
    def value(self, raw: Any, line: int, where: str, schema_type: str | None = None) -> ValueSpec:
        if isinstance(raw, str):
            return ValueSpec(column=self.column(raw, line, where), type=schema_type, line=line)
        if not isinstance(raw, dict):
            return ValueSpec(value=raw, type=schema_type, line=line)
        self.keys(raw, _VALUE_KEYS, where)
        line = raw.line or line
        if ("column" in raw) == ("value" in raw):
            raise self.fail(line, f"{where}: give exactly one of `column` or `value`")
        column = self.column(raw["column"], raw.line_of("column"), where) if "column" in raw else None
        norm = raw.get("normalise")
        if norm is not None and norm not in NORMALISERS and norm != "date":
            raise self.fail(
                raw.line_of("normalise"),
                f"{where}: unknown normaliser {norm!r}; known: {', '.join(sorted([*NORMALISERS, 'date']))}",
            )
        vtype = raw.get("type", schema_type)
        if norm == "date":
            vtype = "date"
        if vtype is not None and vtype not in TYPES:
            raise self.fail(raw.line_of("type"), f"{where}: unknown type {vtype!r}; known: {', '.join(TYPES)}")
        fmt = raw.get("format") or ()
        fmt = (fmt,) if isinstance(fmt, str) else tuple(str(f) for f in fmt)
        if fmt and vtype != "date":
            raise self.fail(raw.line_of("format"), f"{where}: `format` is for dates (type: date)")
        agg = raw.get("aggregate")
        if agg is not None and (agg != "sum" or vtype not in ("float", "int")):
            raise self.fail(raw.line_of("aggregate"), f"{where}: `aggregate` can only be `sum`, of a number")
        mapping = raw.get("map")
        if mapping is not None and not isinstance(mapping, dict):
            raise self.fail(raw.line_of("map"), f"{where}: `map` must be a mapping of value: replacement")
        return ValueSpec(
            column=column,
            value=raw.get("value"),
            normalise=None if norm == "date" else norm,
            type=vtype,
            format=fmt,
            map={str(k).casefold(): v for k, v in mapping.items()} if mapping else None,
            default=raw.get("default"),
            split=raw.get("split"),
            name=raw.get("name"),
            aggregate=agg,
            line=line,
        )

    def value_list(self, raw: Any, line: int, where: str) -> tuple[ValueSpec, ...]:
        if raw is None:
            return ()
        items = raw if isinstance(raw, list) else [raw]
        out = []
        for i, item in enumerate(items):
            item_line = raw.line_of(i) if isinstance(raw, yamlines.LineList) else line
            out.append(self.value(item, item_line, where))
        return tuple(out)

    def _check_evidence_type(self, name: str) -> str:
        """A relationship type a file may assert: in the schema and evidence (not SAME_AS/HYPOTHESIS).

        Checks the types a definition fixes, maps or defaults to; a type a row reads
        from its column is checked the same way by the mapper (``_choose``), per row.
        """
        rtype = self.schema.check_type(name)
        if not self.schema.relationships[rtype].evidence:
            raise SchemaError(
                f"relationship type {rtype!r} is not evidence: graphnet writes it itself (merges with "
                "`graphnet resolve`, hypotheses with `graphnet report hypotheses --store`), a file cannot assert it"
            )
        return rtype

    def choice(self, raw: Any, line: int, where: str, kind: str) -> Choice:
        check = self.schema.check_label if kind == "label" else self._check_evidence_type

        def checked(name: Any, at: int) -> str:
            try:
                return check(str(name))
            except SchemaError as e:
                raise self.fail(at, f"{where}: {e}") from None

        if isinstance(raw, str):
            return Choice(fixed=checked(raw, line), line=line)
        if not isinstance(raw, dict):
            raise self.fail(line, f"{where}: `{kind}` must be a name or {{column, map, default}}")
        self.keys(raw, {"column", "map", "default"}, where)
        column = self.column(self.need(raw, "column", where), raw.line_of("column"), where)
        mapping = raw.get("map") or {}
        if not isinstance(mapping, dict):
            raise self.fail(raw.line_of("map"), f"{where}: `map` must map column values to {kind}s")
        checked_map = {str(k).casefold(): checked(v, mapping.line_of(k)) for k, v in mapping.items()}
        default = checked(raw["default"], raw.line_of("default")) if raw.get("default") else None
        if kind == "label" and not checked_map and not default:
            raise self.fail(raw.line, f"{where}: a label chosen per row needs a `map` or a `default`")
        return Choice(column=column, map=checked_map or None, default=default, line=raw.line)

    def condition(self, raw: Any, line: int, where: str) -> Condition | None:
        if raw is None:
            return None
        self.keys(raw, {"column", "in", "not_in", "present"}, where + " when")
        column = self.column(self.need(raw, "column", where + " when"), raw.line_of("column"), where)

        def fold(values: Any) -> frozenset[str] | None:
            if values is None:
                return None
            values = values if isinstance(values, list) else [values]
            return frozenset(str(v).strip().casefold() for v in values)

        return Condition(
            column=column,
            values=fold(raw.get("in")),
            exclude=fold(raw.get("not_in")),
            present=raw.get("present"),
            line=raw.line,
        )

    def properties(self, raw: Any, line: int, where: str, allowed: dict[str, dict], what: str) -> dict[str, ValueSpec]:
        if raw is None:
            return {}
        if not isinstance(raw, dict):
            raise self.fail(line, f"{where}: `properties` must be a mapping")
        out = {}
        for prop, spec in raw.items():
            at = raw.line_of(prop)
            if prop in ("uid", "src", "key") or prop not in allowed:
                names = ", ".join(sorted(p for p in allowed if p not in ("uid", "src", "key")))
                raise self.fail(at, f"{where}: {what} has no property {prop!r}; it has: {names}")
            out[prop] = self.value(spec, at, f"{where} property {prop}", allowed[prop].get("type", "string"))
        return out

    # the definition --------------------------------------------------------
    def definition(self, doc: Any, text: str) -> Definition:
        if not isinstance(doc, yamlines.LineDict):
            raise self.fail(1, "a loader definition is a YAML mapping (name, columns, nodes, relationships)")
        self.keys(doc, _DEF_KEYS, "definition")
        name = str(self.need(doc, "name", "definition"))
        fmt = doc.get("format")
        if fmt is not None and fmt not in FORMATS:
            raise self.fail(doc.line_of("format"), f"unknown format {fmt!r}; known: {', '.join(FORMATS)}")
        cols = doc.get("columns") or []
        opt = doc.get("optional_columns") or []
        for field, values in (("columns", cols), ("optional_columns", opt)):
            if not isinstance(values, list):
                raise self.fail(doc.line_of(field), f"`{field}` must be a list of column names")
        self.order = [str(c) for c in [*cols, *opt]]
        self.columns = {c.casefold() for c in self.order}
        if fmt != "ftm" and not cols:
            raise self.fail(doc.line, "definition: `columns` (the required columns) is required")
        nodes_raw = doc.get("nodes") or yamlines.LineDict()
        if fmt != "ftm" and not nodes_raw:
            raise self.fail(doc.line, "definition: `nodes` is required")
        nodes = {}
        for alias, spec in nodes_raw.items():
            nodes[alias] = self.node(str(alias), spec, nodes_raw.line_of(alias))
        rels = []
        rel_raw = doc.get("relationships") or []
        if not isinstance(rel_raw, list):
            raise self.fail(doc.line_of("relationships"), "`relationships` must be a list")
        default_directed = doc.get("directed", True)
        for i, spec in enumerate(rel_raw):
            at = rel_raw.line_of(i) if isinstance(rel_raw, yamlines.LineList) else doc.line
            rels.append(self.relationship(spec, at, nodes, default_directed))
        return Definition(
            name=name,
            description=str(doc.get("description") or "").strip(),
            namespace=str(doc.get("namespace") or name),
            path=self.path,
            format=fmt,
            delimiter=doc.get("delimiter") if doc.get("delimiter") not in (None, "auto") else None,
            encoding=doc.get("encoding") if doc.get("encoding") not in (None, "auto") else None,
            sheet=doc.get("sheet"),
            region=str(doc.get("region") or "ID"),
            columns=tuple(str(c) for c in cols),
            optional_columns=tuple(str(c) for c in opt),
            nodes=nodes,
            relationships=tuple(rels),
            text=text,
        )

    def node(self, alias: str, spec: Any, line: int) -> NodeSpec:
        where = f"node {alias}"
        self.keys(spec, _NODE_KEYS, where)
        label = self.choice(self.need(spec, "label", where), spec.line_of("label"), where, "label")
        key = self.value_list(self.need(spec, "key", where), spec.line_of("key"), where + " key")
        fallback = self.value_list(spec.get("fallback_key"), spec.line_of("fallback_key"), where + " fallback_key")
        props: dict[str, ValueSpec] = {}
        for lab in label.values():
            if lab == "Source":
                raise self.fail(spec.line_of("label"), f"{where}: Source nodes are written by the loader itself")
            props = self.properties(
                spec.get("properties"), spec.line_of("properties"), where,
                self.schema.node_properties(lab), f"label {lab}",
            )  # fmt: skip
        glob = spec.get("global")
        if glob is None and len(key) == 1 and key[0].normalise == "phone":
            glob = "phone"
        return NodeSpec(
            alias=alias,
            label=label,
            key=key,
            fallback_key=fallback,
            global_prefix=str(glob) if glob else None,
            properties=props,
            optional=bool(spec.get("optional", False)),
            when=self.condition(spec.get("when"), spec.line_of("when"), where),
            line=line,
        )

    def relationship(self, spec: Any, line: int, nodes: dict[str, NodeSpec], directed: bool) -> RelSpec:
        self.keys(spec, _REL_KEYS, "relationship")
        line = spec.line or line
        rtype = self.choice(self.need(spec, "type", "relationship"), spec.line_of("type"), "relationship", "type")
        ends = {}
        for end in ("from", "to"):
            alias = self.need(spec, end, "relationship")
            if alias not in nodes:
                raise self.fail(
                    spec.line_of(end),
                    f"relationship {end}: unknown node alias {alias!r}; the definition's nodes are: "
                    f"{', '.join(nodes)}",
                )
            ends[end] = nodes[alias]
        for t, a, b in self._combinations(rtype, ends["from"].label, ends["to"].label):
            if not self.schema.relationship(t).allows(a, b):
                rel = self.schema.relationship(t)
                raise self.fail(
                    spec.line_of("type") if rtype.fixed else rtype.line,
                    f"relationship {t} cannot go from {a} to {b}; the schema allows "
                    f"({'|'.join(rel.sources)})-[:{t}]->({'|'.join(rel.targets)})",
                )
        allowed: dict[str, dict] = {}
        for t in rtype.values():
            allowed.update(self.schema.relationship_properties(t))
        props = self.properties(spec.get("properties"), spec.line_of("properties"), "relationship", allowed,
                                f"type {'/'.join(rtype.values())}")  # fmt: skip
        for reserved in ("weight",):
            if reserved in props:
                raise self.fail(spec.line_of("properties"), "relationship: give `weight` beside `properties`")
        key_raw = spec.get("key")
        key = self.value_list(key_raw, spec.line_of("key"), "relationship key")
        for k in key:
            if k.column is None and k.name is None:
                raise self.fail(k.line, "relationship key: a constant key part needs a `name`")
        weight = spec.get("weight")
        return RelSpec(
            type=rtype,
            source=spec["from"],
            target=spec["to"],
            key=key,
            properties=props,
            weight=self.value(weight, spec.line_of("weight"), "relationship weight", "float") if weight is not None else None,
            directed=bool(spec.get("directed", directed)),
            when=self.condition(spec.get("when"), spec.line_of("when"), "relationship"),
            line=line,
        )

    @staticmethod
    def _combinations(rtype: Choice, a: Choice, b: Choice) -> list[tuple[str, str, str]]:
        """Possible (type, from label, to label); choices driven by one column move together."""
        choices = [rtype, a, b]
        columns = {c.column for c in choices if c.column}
        if len(columns) == 1 and sum(1 for c in choices if c.column) > 1:
            col_choices = [c for c in choices if c.column]
            keys = set().union(*(c.options() for c in col_choices))
            out = []
            for k in keys:
                row = []
                for c in choices:
                    opts = c.options()
                    row.append(opts.get(k, opts.get(None)) if c.column else c.fixed)
                if all(row):
                    out.append(tuple(row))
            return out
        return list(itertools.product(rtype.values(), a.values(), b.values()))


def parse_definition(text: str, path: str, schema: Schema | None = None) -> Definition:
    """Parse and validate definition text (``path`` is only used in messages)."""
    doc = yamlines.load(text, path)
    return _Checker(path, schema or load_schema()).definition(doc, text)


def read_definition(name_or_path: str | Path) -> Definition:
    """A shipped definition by name (``police_cases``) or a definition file by path."""
    text_name = str(name_or_path)
    candidate = Path(text_name)
    if text_name.endswith((".yaml", ".yml")) or candidate.exists() and candidate.is_file():
        if not candidate.is_file():
            raise DefinitionError(text_name, None, "no such definition file")
        return parse_definition(candidate.read_text(encoding="utf-8"), text_name)
    resource = loader_definition(text_name)
    return parse_definition(resource.read_text(encoding="utf-8"), f"loaders/{text_name}.yaml")


def list_definitions() -> list[tuple[str, str]]:
    """``(name, one-line description)`` of every shipped definition."""
    out = []
    for name, res in loader_definitions().items():
        doc = yamlines.load(res.read_text(encoding="utf-8"), f"loaders/{name}.yaml")
        desc = str((doc or {}).get("description") or "").strip().splitlines()
        out.append((name, desc[0] if desc else ""))
    return out
