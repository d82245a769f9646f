"""FollowTheMoney entity streams (JSON lines) as an import.

Investigative data is exchanged as FtM entities, one JSON object a line:
``{"id": ..., "schema": "Person", "properties": {"name": [...], ...}}``.
Thing schemata become nodes, interval schemata (Family, Associate,
Ownership, Payment, ...) become relationships between the entities they name.
The mapping is written here in Python (no followthemoney dependency).

>>> m = FtmMapper("s1", "ftm")
>>> ents = [(1, {"id": "p1", "schema": "Person", "properties": {"name": ["Siti Aminah"], "phone": ["0812 3456 7890"]}}),
...         (2, {"id": "p2", "schema": "Person", "properties": {"name": ["Budi"]}}),
...         (3, {"id": "f1", "schema": "Family", "properties": {"person": ["p1"], "relative": ["p2"], "relationship": ["uncle"]}})]
>>> m.index(ents)
>>> [(n.label, n.uid) for n in m.map(1, ents[0][1])[0]]
[('Person', 'ftm:p1'), ('Phone', 'phone:+6281234567890')]
>>> r = m.map(3, ents[2][1])[1][0]
>>> r.type, r.start, r.end, r.props
('RELATIVE_OF', 'ftm:p1', 'ftm:p2', {'kinship': 'uncle'})
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..schema import load_schema
from . import normalize
from .mapper import NodeItem, RelItem, RowProblems, ref

__all__ = ["FtmMapper", "THING_LABELS", "INTERVALS"]

# FtM thing schema -> graphnet label
THING_LABELS = {
    "Person": "Person",
    "Company": "Organization",
    "Organization": "Organization",
    "LegalEntity": "Organization",
    "PublicBody": "Organization",
    "Passport": "Document",
    "Identification": "Document",
    "Phone": "Phone",
    "BankAccount": "Account",
    "Address": "Location",
    "Vehicle": "Vehicle",
    "Event": "Event",
}
# FtM interval schema -> (type, source property, target property, {ftm property: graphnet property})
INTERVALS: dict[str, tuple[str, str, str, dict[str, str]]] = {
    "Family": ("RELATIVE_OF", "person", "relative", {"relationship": "kinship"}),
    "Associate": ("ASSOCIATED_WITH", "person", "associate", {"relationship": "relation"}),
    "UnknownLink": ("ASSOCIATED_WITH", "subject", "object", {"role": "relation"}),
    "Ownership": ("OPERATES", "owner", "asset", {}),
    "Directorship": ("OPERATES", "director", "organization", {}),
    "Membership": ("AFFILIATED_WITH", "member", "organization", {}),
    "Employment": ("EMPLOYED_BY", "employee", "employer", {}),
    "Payment": ("PAID", "payer", "beneficiary", {"amount": "amount", "currency": "currency", "date": "date"}),
    "Call": ("CALLED", "caller", "receiver", {"date": "date"}),
}
_PERSON_PROPS = {
    "birthDate": "birth_date",
    "nationality": "nationality",
    "gender": "gender",
    "address": "address",
    "idNumber": "nik",
    "passportNumber": "passport",
    "phone": "phone",
}


def _first(props: dict[str, Any], *names: str) -> str | None:
    for n in names:
        vals = props.get(n) or []
        if isinstance(vals, str):
            vals = [vals]
        for v in vals:
            if str(v).strip():
                return str(v).strip()
    return None


def _iso(value: str | None) -> str | None:
    """FtM dates may be partial (``1980`` or ``1980-05``); only full dates are stored."""
    if value and len(value) >= 10:
        try:
            return normalize.date(value[:10])
        except ValueError:
            return None
    return None


class FtmMapper:
    """Maps FtM entities of one file; :meth:`index` first (relationships name entity ids)."""

    def __init__(self, source_uid: str, namespace: str, region: str = "ID"):
        self.source_uid, self.namespace, self.region = source_uid, namespace, region
        self.ids: dict[str, tuple[str, str]] = {}
        self.schema = load_schema()

    def _uid(self, entity: dict[str, Any]) -> tuple[str, str] | None:
        schema = entity.get("schema")
        label = THING_LABELS.get(schema)
        if label is None:
            return None
        props = entity.get("properties") or {}
        try:
            if label == "Phone":
                number = _first(props, "number")
                if number:
                    return label, f"phone:{normalize.phone(number, self.region)}"
            if label == "Account":
                number = _first(props, "accountNumber", "iban", "number")
                if number:
                    bank = normalize.upper(_first(props, "bankName", "bic") or "")
                    return label, f"account:{bank}|{normalize.account(number)}"  # as the money_transfers definition keys it
            if label == "Document":
                number = _first(props, "number", "passportNumber")
                if number:
                    kind = "passport" if schema == "Passport" else normalize.upper(_first(props, "type") or "id").lower()
                    return label, f"doc:{kind}|{normalize.document(number)}"  # as travel_documents/border_crossings key it
        except ValueError:
            pass
        return label, f"{self.namespace}:{entity['id']}"

    def index(self, entities: Iterable[tuple[int, Any]]) -> None:
        """First pass: entity id -> (label, uid), for relationship endpoints."""
        for _, e in entities:
            if isinstance(e, dict) and e.get("id") and e.get("schema") in THING_LABELS:
                got = self._uid(e)
                if got:
                    self.ids[str(e["id"])] = got

    def map(self, line: int, entity: Any) -> tuple[list[NodeItem], list[RelItem]]:
        if not isinstance(entity, dict) or not entity.get("id") or not entity.get("schema"):
            raise RowProblems([("", "not an FtM entity (needs id, schema, properties)")])
        r = ref(self.source_uid, line)
        schema = entity["schema"]
        props = entity.get("properties") or {}
        if schema in THING_LABELS:
            return self._thing(entity, props, r)
        if schema in INTERVALS:
            return [], [self._interval(schema, props, r)]
        known = ", ".join(sorted([*THING_LABELS, *INTERVALS]))
        raise RowProblems([("schema", f"FtM schema {schema!r} is not mapped (mapped: {known})")])

    def _thing(self, entity: dict, props: dict, r: str) -> tuple[list[NodeItem], list[RelItem]]:
        label, uid = self.ids.get(str(entity["id"])) or self._uid(entity)  # type: ignore[misc]
        names = [str(n) for n in props.get("name") or [] if str(n).strip()]
        out: dict[str, Any] = {}
        if names:
            out["name"] = names[0]
        nodes: list[NodeItem] = []
        rels: list[RelItem] = []
        problems: list[tuple[str, str]] = []
        if label == "Person":
            aliases = names[1:] + [str(a) for a in props.get("alias") or []]
            if aliases:
                out["aliases"] = aliases
            for ftm_prop, prop in _PERSON_PROPS.items():
                v = _first(props, ftm_prop)
                if v is None:
                    continue
                try:
                    if prop == "birth_date":
                        v = _iso(v)
                    elif prop == "nik":
                        v = normalize.nik(v) if len(v.replace(" ", "")) == 16 else None
                    elif prop == "passport":
                        v = normalize.passport(v)
                    elif prop == "phone":
                        v = normalize.phone(v, self.region)
                        phone = NodeItem("Phone", f"phone:{v}", {"name": v, "number": v}, r)
                        nodes.append(phone)
                        rels.append(RelItem("USES", "Person", uid, "Phone", phone.uid, "", {}, 1.0, r))
                except ValueError as e:
                    problems.append((ftm_prop, str(e)))
                    continue
                if v is not None:
                    out[prop] = v
        elif label == "Organization":
            country = _first(props, "country", "jurisdiction")
            if country:
                out["country"] = country
        elif label == "Document":
            number = _first(props, "number", "passportNumber")
            if number:
                out["number"] = number
            out["kind"] = "passport" if entity["schema"] == "Passport" else (_first(props, "type") or "id")
            issued = _iso(_first(props, "startDate"))
            if issued:
                out["issued_on"] = issued
            holder = _first(props, "holder")
            if holder and holder in self.ids and self.ids[holder][0] == "Person":
                rels.append(RelItem("HOLDS", "Person", self.ids[holder][1], "Document", uid, "", {}, 1.0, r))
        elif label == "Phone":
            number = uid.split(":", 1)[1] if uid.startswith("phone:") else _first(props, "number")
            out.setdefault("name", number)
            out["number"] = number
        elif label == "Account":
            number = _first(props, "accountNumber", "iban", "number")
            if number:
                out["number"] = number
            bank = _first(props, "bankName")
            if bank:
                out["bank"] = bank
            holder = _first(props, "holder")
            if holder and holder in self.ids and self.ids[holder][0] == "Person":
                rels.append(RelItem("HOLDS", "Person", self.ids[holder][1], "Account", uid, "", {}, 1.0, r))
        elif label == "Vehicle":
            plate = _first(props, "registrationNumber")
            if plate:
                out["plate"] = plate
        elif label == "Event":
            d = _iso(_first(props, "date", "startDate"))
            if d:
                out["date"] = d
        if problems:
            raise RowProblems(problems)
        allowed = self.schema.node_properties(label)
        nodes.insert(0, NodeItem(label, uid, {k: v for k, v in out.items() if k in allowed}, r))
        return nodes, rels

    def _interval(self, schema: str, props: dict, r: str) -> RelItem:
        rtype, src_prop, dst_prop, extra = INTERVALS[schema]
        problems: list[tuple[str, str]] = []
        ends = []
        for p in (src_prop, dst_prop):
            eid = _first(props, p)
            if eid is None:
                problems.append((p, f"{schema} has no {p}"))
            elif eid not in self.ids:
                problems.append((p, f"{p} {eid!r} is not an entity of this file"))
            else:
                ends.append(self.ids[eid])
        if problems:
            raise RowProblems(problems)
        (a_label, a), (b_label, b) = ends
        if schema == "Payment":
            pa, pb = _first(props, "payerAccount"), _first(props, "beneficiaryAccount")
            if pa in self.ids and pb in self.ids:
                (a_label, a), (b_label, b) = self.ids[pa], self.ids[pb]
        rel = self.schema.relationship(rtype)
        if not rel.allows(a_label, b_label):
            raise RowProblems([(src_prop, f"{rtype} cannot go from {a_label} to {b_label}")])
        out: dict[str, Any] = {}
        for ftm_prop, prop in extra.items():
            v = _first(props, ftm_prop)
            if v is None:
                continue
            if prop == "amount":
                try:
                    out[prop] = float(v.replace(",", ""))
                except ValueError:
                    raise RowProblems([(ftm_prop, f"{v!r} is not a number")]) from None
            elif prop == "date":
                d = _iso(v)
                if d:
                    out[prop] = d
            else:
                out[prop] = v
        key = f"relation={out['relation']}" if "relation" in out else ""
        return RelItem(rtype, a_label, a, b_label, b, key, out, 1.0, r)
