"""Turn one input row into graph items, or into the list of reasons it cannot load.

A row gives :class:`NodeItem` and :class:`RelItem` values (label/type, uid or
endpoints, properties, provenance ref) or raises :class:`RowProblems` listing
every problem of the row at once (missing key, bad date, bad NIK ...), so the
rejects file tells the whole story of the row.

>>> from graphnet.loading.definition import parse_definition
>>> d = parse_definition('''
... name: t
... namespace: t
... columns: [a, b, when]
... nodes:
...   p: {label: Person, key: a}
...   q: {label: Person, key: b}
... relationships:
...   - {type: KNOWS, from: p, to: q, directed: false, properties: {date: {column: when, format: "%d/%m/%Y"}}}
... ''', "t.yaml")
>>> m = RowMapper(d, "src1")
>>> nodes, rels = m.map(2, {"a": "Z", "b": "A", "when": "05/03/2018"})
>>> [n.uid for n in nodes], (rels[0].start, rels[0].end, rels[0].props)
(['t:Z', 't:A'], ('t:A', 't:Z', {'date': '2018-03-05'}))
>>> m.map(3, {"a": "Z", "b": "A", "when": "31/02/2018"})
Traceback (most recent call last):
...
graphnet.loading.mapper.RowProblems: when: date '31/02/2018' does not match %d/%m/%Y
>>> m.map(4, {"a": "", "b": "A", "when": ""})
Traceback (most recent call last):
...
graphnet.loading.mapper.RowProblems: a: node p has no key (column a is empty)
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterator
from typing import Any

from ..schema import load_schema
from . import normalize
from .definition import Choice, Definition, NodeSpec, RelSpec, ValueSpec

__all__ = ["NodeItem", "RelItem", "RowProblems", "RowMapper", "ref"]

_MISSING = object()
_MEMO = "\x00memo"  # a key no header can have: the per-row cache of computed values


def ref(source_uid: str, row: int) -> str:
    """A provenance ref: ``"<source uid>:<row>"``.

    >>> ref("3f2a9c0d11aa22bb:police_cases", 7)
    '3f2a9c0d11aa22bb:police_cases:7'
    """
    return f"{source_uid}:{row}"


@dataclasses.dataclass
class NodeItem:
    label: str
    uid: str
    props: dict[str, Any]
    ref: str


@dataclasses.dataclass
class RelItem:
    type: str
    start_label: str
    start: str
    end_label: str
    end: str
    key: str
    props: dict[str, Any]
    weight: float
    ref: str
    sums: dict[str, float] = dataclasses.field(default_factory=dict)


class RowProblems(Exception):
    """Every problem of one row: a list of ``(field, reason)``."""

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems
        super().__init__("; ".join(f"{f}: {r}" for f, r in problems))


class RowMapper:
    """Applies a validated :class:`Definition` to rows of one file."""

    def __init__(self, definition: Definition, source_uid: str, namespace: str | None = None):
        self.d = definition
        self.source_uid = source_uid
        self.namespace = namespace or definition.namespace
        self.schema = load_schema()
        self._sigs: dict[int, tuple] = {}
        self._list_props = {
            label: {p for p, s in self.schema.node_properties(label).items() if s.get("type") == "list"}
            for label in self.schema.labels
        }

    # values ---------------------------------------------------------------
    def value(self, spec: ValueSpec, row: dict[str, Any]) -> Any:
        """The typed value of a spec for a row; ``_MISSING`` when empty; ValueError when bad.

        A column read the same way twice in a row (a phone as key, name and
        number) is computed once.
        """
        if spec.column is None:
            return spec.value if spec.value is not None else _MISSING
        sig = self._sigs.get(id(spec))
        if sig is None:
            sig = self._sigs[id(spec)] = (spec.column.casefold(), spec.normalise, spec.type, spec.format,
                                          spec.split, repr(spec.map), repr(spec.default))
        memo = row.get(_MEMO)
        if memo is not None and sig in memo:
            got = memo[sig]
            if isinstance(got, ValueError):
                raise got
            return got
        try:
            got = self._value(spec, row)
        except ValueError as e:
            got = e
        if memo is not None:
            memo[sig] = got
        if isinstance(got, ValueError):
            raise got
        return got

    def _value(self, spec: ValueSpec, row: dict[str, Any]) -> Any:
        if spec.column is None:
            return spec.value if spec.value is not None else _MISSING
        raw = row.get(spec.column.casefold(), "")
        if raw == "" or raw is None:
            return _MISSING if spec.default is None else spec.default
        if spec.map is not None and not isinstance(raw, (list, dict)):
            raw = spec.map.get(str(raw).strip().casefold(), raw)
            if raw is None or raw == "":
                return _MISSING
        if spec.normalise == "phone":
            raw = normalize.phone(raw, self.d.region)
        elif spec.normalise:
            raw = normalize.NORMALISERS[spec.normalise](raw)
        t = spec.type or "string"
        if t == "date":
            return normalize.date(raw, spec.format or None)
        if t == "int":
            try:
                number = int(float(str(raw).replace(",", "")))
            except (ValueError, OverflowError):  # OverflowError: 'inf'
                raise ValueError(f"{raw!r} is not a whole number") from None
            if not -(2**63) <= number < 2**63:  # a Neo4j integer is 64-bit
                raise ValueError(f"{raw!r} is too large a whole number")
            return number
        if t == "float":
            try:
                number = float(str(raw).replace(",", ""))
            except ValueError:
                raise ValueError(f"{raw!r} is not a number") from None
            if not math.isfinite(number):  # 'nan', 'inf', '1e999': no weight or amount
                raise ValueError(f"{raw!r} is not a finite number")
            return number
        if t == "bool":
            return str(raw).strip().casefold() in ("1", "true", "yes", "y", "ya")
        if t == "list":
            if isinstance(raw, list):
                return [str(x) for x in raw]
            if spec.split:
                return [x.strip() for x in str(raw).split(spec.split) if x.strip()]
            return [str(raw)]
        if isinstance(raw, (list, tuple)):
            return str(raw[0]) if raw else _MISSING
        return raw.isoformat() if hasattr(raw, "isoformat") else str(raw)

    def _choose(self, choice: Choice, row: dict[str, Any], what: str, problems: list) -> str | None:
        if choice.fixed:
            return choice.fixed
        raw = str(row.get(choice.column.casefold(), "")).strip()
        if choice.map is not None and raw.casefold() in choice.map:
            return choice.map[raw.casefold()]
        if choice.map is None and raw:
            candidate = raw.upper().replace(" ", "_")
            if candidate in (self.schema.relationships if what == "type" else self.schema.nodes):
                return candidate
        if choice.default:
            return choice.default
        known = ", ".join(sorted(choice.map or {})) if choice.map else "a schema " + what
        problems.append((choice.column, f"{raw!r} is not a known value (expected {known})"))
        return None

    def _key(self, parts: tuple[ValueSpec, ...], row: dict, problems: list, field: list) -> list[str] | None:
        values = []
        for part in parts:
            try:
                v = self.value(part, row)
            except ValueError as e:
                problems.append((part.column or "key", str(e)))
                return None
            if v is _MISSING:
                field.append(part.column or "key")
                return None
            values.append(v if isinstance(v, str) else str(v))
        return values

    # rows -----------------------------------------------------------------
    def map(self, row_number: int, values: dict[str, Any]) -> tuple[list[NodeItem], list[RelItem]]:
        row = {k.casefold(): v for k, v in values.items()}
        row[_MEMO] = {}
        r = ref(self.source_uid, row_number)
        problems: list[tuple[str, str]] = []
        nodes: dict[str, NodeItem] = {}
        for alias, spec in self.d.nodes.items():
            item = self._node(spec, row, r, problems)
            if item is not None:
                nodes[alias] = item
        rels = []
        for spec in self.d.relationships:
            item = self._rel(spec, nodes, row, r, problems)
            if item is not None:
                rels.append(item)
        if problems:
            raise RowProblems(list(dict.fromkeys(problems)))
        if not nodes:
            raise RowProblems([("", "the row names nothing to load (every key column is empty)")])
        return list(nodes.values()), rels

    def _node(self, spec: NodeSpec, row: dict, r: str, problems: list) -> NodeItem | None:
        if spec.when is not None and not spec.when.holds(str(row.get(spec.when.column.casefold(), ""))):
            return None
        empty: list[str] = []
        n_before = len(problems)
        key = self._key(spec.key, row, problems, empty)
        if key is None and spec.fallback_key and len(problems) == n_before:
            fb_empty: list[str] = []
            key = self._key(spec.fallback_key, row, problems, fb_empty)
            empty += fb_empty
        if len(problems) > n_before:
            return None
        if key is None:
            if not spec.optional:
                cols = ", ".join(dict.fromkeys(empty)) or "key"
                problems.append((cols, f"node {spec.alias} has no key (column {cols} is empty)"))
            return None
        label = self._choose(spec.label, row, "label", problems)
        if label is None:
            return None
        prefix = spec.global_prefix or self.namespace
        uid = f"{prefix}:{'|'.join(key)}"
        props: dict[str, Any] = {}
        for prop, _, v in self._present_values(spec.properties, self.schema.node_properties(label), row, problems):
            if prop in self._list_props[label] and not isinstance(v, list):
                v = [v]
            props[prop] = v
        return NodeItem(label, uid, props, r)

    def _present_values(self, specs: dict, allowed: Any, row: dict, problems: list) -> Iterator[tuple[str, Any, Any]]:
        """``(property, spec, value)`` for each schema-allowed property the row gives.

        A value that does not parse is added to ``problems`` (column, reason) and skipped.
        """
        for prop, vspec in specs.items():
            if prop not in allowed:
                continue
            try:
                v = self.value(vspec, row)
            except ValueError as e:
                problems.append((vspec.column or prop, str(e)))
                continue
            if v is not _MISSING:
                yield prop, vspec, v

    def _rel(self, spec: RelSpec, nodes: dict[str, NodeItem], row: dict, r: str, problems: list) -> RelItem | None:
        a, b = nodes.get(spec.source), nodes.get(spec.target)
        if a is None or b is None:
            return None
        if spec.when is not None and not spec.when.holds(str(row.get(spec.when.column.casefold(), ""))):
            return None
        rtype = self._choose(spec.type, row, "type", problems)
        if rtype is None:
            return None
        rel = self.schema.relationship(rtype)
        if not rel.allows(a.label, b.label):
            problems.append((spec.type.column or "type", f"{rtype} cannot go from {a.label} to {b.label}"))
            return None
        key_parts = []
        for part in spec.key:
            try:
                v = self.value(part, row)
            except ValueError as e:
                problems.append((part.column or "key", str(e)))
                return None
            if v is not _MISSING:
                key_parts.append(f"{part.name or part.column}={v}")
        props: dict[str, Any] = {}
        sums: dict[str, float] = {}
        allowed = self.schema.relationship_properties(rtype)
        for prop, vspec, v in self._present_values(spec.properties, allowed, row, problems):
            if vspec.aggregate == "sum":
                sums[prop] = float(v)
            else:
                props[prop] = v
        weight = 1.0
        if spec.weight is not None:
            try:
                w = self.value(spec.weight, row)
            except ValueError as e:
                problems.append((spec.weight.column or "weight", str(e)))
                return None
            if w is not _MISSING:
                weight = float(w)
        start, end = a, b
        if not spec.directed and a.label == b.label and b.uid < a.uid:
            start, end = b, a
        return RelItem(rtype, start.label, start.uid, end.label, end.uid, ";".join(key_parts), props, weight, r, sums)
