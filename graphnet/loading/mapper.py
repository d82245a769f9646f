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
(['t:Z', 't:A'], ('t:A', 't:Z', {'date': '2018-03-05', 'undirected': True}))
>>> m.map(3, {"a": "Z", "b": "A", "when": "31/02/2018"})
Traceback (most recent call last):
...
graphnet.loading.mapper.RowProblems: when: date '31/02/2018' does not match %d/%m/%Y
>>> m.map(4, {"a": "", "b": "A", "when": ""})
Traceback (most recent call last):
...
graphnet.loading.mapper.RowProblems: a: node p has no key (column a is empty)

Two mappers, one behaviour
--------------------------
:class:`ReferenceRowMapper` is the plain reading of a definition: for every
row it looks each spec up, decides its normaliser and type, asks the schema
which properties a label allows. It *defines* what a row maps to.
:class:`RowMapper` (the one the loaders use) gives exactly the same items,
property order, problems and exceptions, 2 to 3 times faster: those decisions
are taken once, when the mapper is built (:class:`_ValuePlan`,
:class:`_NodePlan`, :class:`_RelPlan`), and a row only runs the readers it
needs. ``tests/test_mapper_fast.py`` checks the two agree on every shipped
definition, on fuzzed rows and on real files; change the reference first,
then make the fast one agree.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Iterator
from typing import Any

from ..schema import load_schema
from . import normalize
from .definition import Choice, Definition, NodeSpec, RelSpec, ValueSpec

__all__ = ["NodeItem", "RelItem", "RowProblems", "RowMapper", "ReferenceRowMapper", "ref"]

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


class ReferenceRowMapper:
    """Applies a validated :class:`Definition` to rows of one file: the reference (see the module doc)."""

    def __init__(self, definition: Definition, source_uid: str, namespace: str | None = None):
        self.d = definition
        self.source_uid = source_uid
        self.namespace = namespace or definition.namespace
        self.schema = load_schema()
        self._sigs: dict[int, tuple] = {}
        self._labels = {label.casefold(): label for label in self.schema.labels}  # a label column's cell
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
            if what == "label":  # labels are CamelCase (Lodging): the schema's label whatever the case
                candidate = self._labels.get(raw.casefold().replace(" ", "").replace("_", ""), candidate)
            if what == "type" and candidate in self.schema.relationships and not self.schema.relationships[candidate].evidence:
                # the definition checks its fixed, mapped and default types (definition.py
                # _check_evidence_type); a type read from the data is checked here, per row
                problems.append((choice.column, f"{raw!r} is relationship type {candidate}, which is not evidence: "
                                                "graphnet writes it itself, it cannot be loaded from data"))
                return None
            if what == "label" and candidate == "Source":  # as definition.py refuses a fixed label Source
                problems.append((choice.column, f"{raw!r} is label Source: Source nodes are written by the "
                                                "loader itself, they cannot be loaded from data"))
                return None
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
        if not spec.directed:
            props["undirected"] = True  # so projections and views draw and count it both ways
            if a.label == b.label and b.uid < a.uid:
                start, end = b, a
        return RelItem(rtype, start.label, start.uid, end.label, end.uid, ";".join(key_parts), props, weight, r, sums)


# ---------------------------------------------------------------------------
# The fast mapper: the reference's per-row decisions, taken once per definition.
# Each function below names the branch of ReferenceRowMapper it mirrors.

_UNSET = object()  # a memo slot not yet computed in this row
_TRUE_WORDS = ("1", "true", "yes", "y", "ya")


def _as_int(raw: Any) -> int:
    """``_value``, type ``int``."""
    try:
        number = int(float(str(raw).replace(",", "")))
    except (ValueError, OverflowError):  # OverflowError: 'inf'
        raise ValueError(f"{raw!r} is not a whole number") from None
    if not -(2**63) <= number < 2**63:  # a Neo4j integer is 64-bit
        raise ValueError(f"{raw!r} is too large a whole number")
    return number


def _as_float(raw: Any) -> float:
    """``_value``, type ``float``."""
    try:
        number = float(str(raw).replace(",", ""))
    except ValueError:
        raise ValueError(f"{raw!r} is not a number") from None
    if not math.isfinite(number):  # 'nan', 'inf', '1e999': no weight or amount
        raise ValueError(f"{raw!r} is not a finite number")
    return number


def _as_bool(raw: Any) -> bool:
    """``_value``, type ``bool``."""
    return str(raw).strip().casefold() in _TRUE_WORDS


def _as_text(raw: Any) -> Any:
    """``_value``, type ``string`` (and any type ``_value`` does not name)."""
    if isinstance(raw, (list, tuple)):
        return str(raw[0]) if raw else _MISSING
    return raw.isoformat() if hasattr(raw, "isoformat") else str(raw)


def _list_converter(split: str | None) -> Callable[[Any], list[str]]:
    """``_value``, type ``list``, for a spec's ``split``."""

    def as_list(raw: Any) -> list[str]:
        if isinstance(raw, list):
            return [str(x) for x in raw]
        if split:
            return [x.strip() for x in str(raw).split(split) if x.strip()]
        return [str(raw)]

    return as_list


def _converter(spec: ValueSpec) -> Callable[[Any], Any] | None:
    """The type step of ``_value`` for ``spec``; ``None`` for text (a str is then kept as it is)."""
    t = spec.type or "string"
    if t == "date":
        return normalize.date_parser(spec.format or None)
    if t == "list":
        return _list_converter(spec.split)
    return {"int": _as_int, "float": _as_float, "bool": _as_bool}.get(t)


def _normaliser(spec: ValueSpec, region: str) -> Callable[[Any], Any] | None:
    """The normalise step of ``_value`` for ``spec``; ``None`` when it has none."""
    if spec.normalise == "phone" and region == "ID":
        return normalize.phone  # its default region: one argument, the cheapest cache key
    if spec.normalise == "phone":

        def phone(raw: Any) -> str:
            return normalize.phone(raw, region)

        return phone
    if spec.normalise:
        return normalize.NORMALISERS[spec.normalise]
    return None


def _column_reader(spec: ValueSpec, region: str) -> Callable[[dict], Any]:
    """``ReferenceRowMapper._value`` of a column spec, its branches chosen now: ``read(row)``."""
    column = spec.column.casefold()
    empty = _MISSING if spec.default is None else spec.default
    mapping = spec.map
    norm = _normaliser(spec, region)
    convert = _converter(spec)

    def read(row: dict) -> Any:
        raw = row.get(column, "")
        if raw == "" or raw is None:
            return empty
        if mapping is not None and not isinstance(raw, (list, dict)):
            raw = mapping.get(str(raw).strip().casefold(), raw)
            if raw is None or raw == "":
                return _MISSING
        if norm is not None:
            raw = norm(raw)
        if convert is not None:
            return convert(raw)
        if raw.__class__ is str:  # what _as_text gives for a str, without the call
            return raw
        return _as_text(raw)

    return read


def _constant_reader(spec: ValueSpec) -> Callable[[dict], Any]:
    """``_value`` of a constant spec (``value:``): the value itself, never typed."""
    value = spec.value if spec.value is not None else _MISSING

    def read(row: dict) -> Any:
        return value

    return read


def _signature(spec: ValueSpec) -> tuple:
    """The memo key of ``ReferenceRowMapper.value``: specs with one signature read the same value.

    Type ``None`` counts as ``"string"`` (``_value`` reads both the same), so a
    key ``{column: bank, normalise: upper}`` and a property of schema type
    string on that column share one reading.
    """
    return (spec.column.casefold(), spec.normalise, spec.type or "string", spec.format, spec.split,
            repr(spec.map), repr(spec.default))  # fmt: skip


def _value_specs(d: Definition) -> Iterator[ValueSpec]:
    """Every value spec of a definition (keys, properties, weights)."""
    for node in d.nodes.values():
        yield from node.key
        yield from node.fallback_key
        yield from node.properties.values()
    for rel in d.relationships:
        yield from rel.key
        yield from rel.properties.values()
        if rel.weight is not None:
            yield rel.weight


def _compilable(d: Definition) -> bool:
    """Whether :class:`RowMapper` compiles ``d`` (any parsed definition); else it maps with the reference.

    A hand-built definition may name a normaliser that does not exist or give
    a date format that is not a tuple (the reference fails on the first row
    that reaches it), or a column the reference's memo key would shadow; the
    reference keeps that behaviour.
    """
    if not all(isinstance(s.format, tuple) for s in _value_specs(d)):
        return False
    columns = [s.column for s in _value_specs(d) if s.column is not None]
    for node in d.nodes.values():
        columns += [c.column for c in (node.label, node.when) if c is not None and c.column is not None]
    for rel in d.relationships:
        columns += [c.column for c in (rel.type, rel.when) if c is not None and c.column is not None]
    if not all(isinstance(c, str) and c.casefold() != _MEMO for c in columns):
        return False
    return all(s.normalise in (None, "", "phone") or s.normalise in normalize.NORMALISERS for s in _value_specs(d))


class _ValuePlan:
    """The compiled readers of a definition's value specs: ``(slot, read)``.

    Each row has a memo, a list with a slot per signature: specs with one
    signature (a phone as key, name and number) share the slot, so the value
    is computed once per row, as in ``ReferenceRowMapper.value``. Every read is::

        v = memo[slot]
        if v is _UNSET:
            v = memo[slot] = read(row)  # raises ValueError when the cell is bad

    A bad cell is not kept: read again, it gives the same error (the readers
    are pure), which the reference's memo gives by keeping it.
    """

    def __init__(self, d: Definition):
        self.region = d.region
        self.slots: dict[Any, int] = {}

    def _slot(self, spec: ValueSpec) -> int:
        sig = _signature(spec) if spec.column is not None else ("value", id(spec))
        return self.slots.setdefault(sig, len(self.slots))

    def reader(self, spec: ValueSpec) -> tuple[int, Callable[[dict], Any]]:
        if spec.column is None:
            return self._slot(spec), _constant_reader(spec)
        return self._slot(spec), _column_reader(spec, self.region)

    def fresh_memo(self) -> list:
        """An empty memo for one row (call once every reader is made)."""
        return [_UNSET] * len(self.slots)


def _key_values(parts: tuple, row: dict, memo: list, problems: list, field: list) -> list[str] | None:
    """``ReferenceRowMapper._key`` with compiled parts ``(slot, read, field name)``."""
    values = []
    for slot, read, name in parts:
        v = memo[slot]
        if v is _UNSET:
            try:
                v = memo[slot] = read(row)
            except ValueError as e:
                problems.append((name, str(e)))
                return None
        if v is _MISSING:
            field.append(name)
            return None
        values.append(v if isinstance(v, str) else str(v))
    return values


class _NodePlan:
    """``ReferenceRowMapper._node`` for one node spec; property plans resolved once per label."""

    def __init__(self, spec: NodeSpec, mapper: RowMapper, values: _ValuePlan):
        self.spec, self.mapper = spec, mapper
        self.when_column = spec.when.column.casefold() if spec.when is not None else None
        self.key = tuple((*values.reader(p), p.column or "key") for p in spec.key)
        self.fallback = tuple((*values.reader(p), p.column or "key") for p in spec.fallback_key)
        self.prefix = spec.global_prefix or mapper.namespace
        self.fixed_label = spec.label.fixed
        self.readers = {prop: values.reader(v) for prop, v in spec.properties.items()}
        self.by_label: dict[str, tuple] = {}

    def properties(self, label: str) -> tuple[tuple[str, int, Callable, str, bool], ...]:
        """``(property, slot, read, field, is a list)`` of the properties ``label`` allows, in spec order."""
        plan = self.by_label.get(label)
        if plan is None:
            allowed = self.mapper.schema.node_properties(label)  # an unknown label fails as in the reference
            lists = self.mapper._list_props[label]
            plan = self.by_label[label] = tuple(
                (prop, *self.readers[prop], vspec.column or prop, prop in lists)
                for prop, vspec in self.spec.properties.items()
                if prop in allowed
            )
        return plan

    def make(self, row: dict, memo: list, r: str, problems: list) -> NodeItem | None:
        spec = self.spec
        if self.when_column is not None and not spec.when.holds(str(row.get(self.when_column, ""))):
            return None
        empty: list[str] = []
        n_before = len(problems)
        key = _key_values(self.key, row, memo, problems, empty)
        if key is None and self.fallback and len(problems) == n_before:
            fb_empty: list[str] = []
            key = _key_values(self.fallback, row, memo, problems, fb_empty)
            empty += fb_empty
        if len(problems) > n_before:
            return None
        if key is None:
            if not spec.optional:
                cols = ", ".join(dict.fromkeys(empty)) or "key"
                problems.append((cols, f"node {spec.alias} has no key (column {cols} is empty)"))
            return None
        label = self.fixed_label or self.mapper._choose(spec.label, row, "label", problems)
        if label is None:
            return None
        uid = f"{self.prefix}:{'|'.join(key)}"
        props: dict[str, Any] = {}
        plan = self.by_label.get(label)
        if plan is None:
            plan = self.properties(label)
        for prop, slot, read, field, is_list in plan:
            v = memo[slot]
            if v is _UNSET:
                try:
                    v = memo[slot] = read(row)
                except ValueError as e:
                    problems.append((field, str(e)))
                    continue
            if v is not _MISSING:
                props[prop] = [v] if is_list and not isinstance(v, list) else v
        return NodeItem(label, uid, props, r)


class _RelPlan:
    """``ReferenceRowMapper._rel`` for one relationship spec; schema look-ups resolved once per type."""

    def __init__(self, spec: RelSpec, mapper: RowMapper, values: _ValuePlan):
        self.spec, self.mapper = spec, mapper
        self.when_column = spec.when.column.casefold() if spec.when is not None else None
        self.key = tuple((*values.reader(p), p.column or "key", p.name or p.column) for p in spec.key)
        self.readers = {prop: values.reader(v) for prop, v in spec.properties.items()}
        self.weight = values.reader(spec.weight) if spec.weight is not None else None  # (slot, read)
        self.weight_field = spec.weight.column or "weight" if spec.weight is not None else None
        self.fixed_type = spec.type.fixed
        self.by_type: dict[str, tuple] = {}

    def schema_of(self, rtype: str) -> tuple[Any, tuple[tuple[str, int, Callable, str, bool], ...]]:
        """The schema's relationship type and ``(property, slot, read, field, summed)`` of what it allows."""
        plan = self.by_type.get(rtype)
        if plan is None:
            rel = self.mapper.schema.relationship(rtype)  # an unknown type fails as in the reference
            allowed = self.mapper.schema.relationship_properties(rtype)
            props = tuple(
                (prop, *self.readers[prop], vspec.column or prop, vspec.aggregate == "sum")
                for prop, vspec in self.spec.properties.items()
                if prop in allowed
            )
            plan = self.by_type[rtype] = (rel, props)
        return plan

    def make(self, nodes: dict[str, NodeItem], row: dict, memo: list, r: str, problems: list) -> RelItem | None:
        spec = self.spec
        a, b = nodes.get(spec.source), nodes.get(spec.target)
        if a is None or b is None:
            return None
        if self.when_column is not None and not spec.when.holds(str(row.get(self.when_column, ""))):
            return None
        rtype = self.fixed_type or self.mapper._choose(spec.type, row, "type", problems)
        if rtype is None:
            return None
        plan = self.by_type.get(rtype)
        if plan is None:
            plan = self.schema_of(rtype)
        rel, properties = plan
        if not rel.allows(a.label, b.label):
            problems.append((spec.type.column or "type", f"{rtype} cannot go from {a.label} to {b.label}"))
            return None
        key_parts = []
        for slot, read, field, name in self.key:
            v = memo[slot]
            if v is _UNSET:
                try:
                    v = memo[slot] = read(row)
                except ValueError as e:
                    problems.append((field, str(e)))
                    return None
            if v is not _MISSING:
                key_parts.append(f"{name}={v}")
        props: dict[str, Any] = {}
        sums: dict[str, float] = {}
        for prop, slot, read, field, summed in properties:
            v = memo[slot]
            if v is _UNSET:
                try:
                    v = memo[slot] = read(row)
                except ValueError as e:
                    problems.append((field, str(e)))
                    continue
            if v is not _MISSING:
                if summed:
                    sums[prop] = float(v)
                else:
                    props[prop] = v
        weight = 1.0
        if self.weight is not None:
            slot, read = self.weight
            w = memo[slot]
            if w is _UNSET:
                try:
                    w = memo[slot] = read(row)
                except ValueError as e:
                    problems.append((self.weight_field, str(e)))
                    return None
            if w is not _MISSING:
                weight = float(w)
        start, end = a, b
        if not spec.directed:
            props["undirected"] = True  # so projections and views draw and count it both ways
            if a.label == b.label and b.uid < a.uid:
                start, end = b, a
        return RelItem(rtype, start.label, start.uid, end.label, end.uid, ";".join(key_parts), props, weight, r, sums)


class RowMapper(ReferenceRowMapper):
    """Applies a validated :class:`Definition` to rows of one file, compiled once (see the module doc).

    Maps every row exactly as :class:`ReferenceRowMapper` does.
    """

    def __init__(self, definition: Definition, source_uid: str, namespace: str | None = None):
        super().__init__(definition, source_uid, namespace)
        self._compiled = _compilable(definition)
        if self._compiled:
            values = _ValuePlan(definition)
            nodes = definition.nodes.items()
            self._node_makers = [(alias, _NodePlan(spec, self, values).make) for alias, spec in nodes]
            self._rel_makers = [_RelPlan(spec, self, values).make for spec in definition.relationships]
            self._blank_memo = values.fresh_memo()
        self._casefold_keys: frozenset = frozenset()

    def _row(self, values: dict[str, Any]) -> dict[str, Any]:
        """The row by casefolded column name, as the reference builds it (``values`` itself when its
        names are casefolded already: the same lookups, without a copy per row)."""
        keys = values.keys()
        if all(k == k.casefold() for k in keys):
            self._casefold_keys = frozenset(keys)
            return values
        return {k.casefold(): v for k, v in values.items()}

    def map(self, row_number: int, values: dict[str, Any]) -> tuple[list[NodeItem], list[RelItem]]:
        """``ReferenceRowMapper.map``: the row's nodes and relationships, or :class:`RowProblems`."""
        if not self._compiled:
            return super().map(row_number, values)
        row = values if values.keys() == self._casefold_keys else self._row(values)
        memo = self._blank_memo.copy()
        r = f"{self.source_uid}:{row_number}"  # ref()
        problems: list[tuple[str, str]] = []
        nodes: dict[str, NodeItem] = {}
        for alias, make_node in self._node_makers:
            item = make_node(row, memo, r, problems)
            if item is not None:
                nodes[alias] = item
        rels = []
        for make_rel in self._rel_makers:
            item = make_rel(nodes, row, memo, r, problems)
            if item is not None:
                rels.append(item)
        if problems:
            raise RowProblems(list(dict.fromkeys(problems)))
        if not nodes:
            raise RowProblems([("", "the row names nothing to load (every key column is empty)")])
        return list(nodes.values()), rels
