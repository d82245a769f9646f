"""Pure parts of evidence bundles (no database): FollowTheMoney shape, escaping, leak search, redaction."""

from __future__ import annotations

import csv
import io
import json

from graphnet.evidence.formats import cypher_literal, ftm_entities, nodes_csv_bytes
from graphnet.evidence.redaction import Protected, leaks, redact_subgraph
from graphnet.evidence.selection import Subgraph
from graphnet.redact import Redactor

# Property names of the followthemoney 4.11.2 schemata graphnet writes (read from its schema/*.yaml files,
# inherited properties included), restricted to the names graphnet uses.
FTM_PROPERTIES = {
    'Person': ['address', 'alias', 'birthDate', 'country', 'description', 'idNumber', 'name', 'nationality', 'notes', 'passportNumber', 'phone', 'position', 'registrationNumber', 'summary'],
    'BankAccount': ['accountNumber', 'address', 'alias', 'amount', 'bankName', 'country', 'currency', 'description', 'name', 'notes', 'summary'],
    'Vehicle': ['address', 'alias', 'amount', 'country', 'currency', 'description', 'name', 'notes', 'owner', 'registrationNumber', 'summary', 'type'],
    'Passport': ['authority', 'birthDate', 'country', 'date', 'description', 'holder', 'number', 'passportNumber', 'recordId', 'startDate', 'summary', 'type'],
    'CourtCase': ['address', 'alias', 'caseNumber', 'category', 'country', 'court', 'description', 'fileDate', 'name', 'notes', 'summary', 'type'],
    'Event': ['address', 'alias', 'country', 'date', 'description', 'name', 'notes', 'recordId', 'startDate', 'summary'],
    'Address': ['address', 'alias', 'country', 'description', 'full', 'name', 'notes', 'summary'],
    'RealEstate': ['address', 'alias', 'amount', 'country', 'currency', 'description', 'name', 'notes', 'registrationNumber', 'summary'],
    'UserAccount': ['address', 'alias', 'country', 'description', 'name', 'notes', 'owner', 'phone', 'service', 'summary'],
    'Organization': ['address', 'alias', 'country', 'description', 'idNumber', 'name', 'notes', 'phone', 'registrationNumber', 'summary'],
    'Family': ['date', 'description', 'person', 'recordId', 'relationship', 'relative', 'startDate', 'summary'],
    'Associate': ['associate', 'date', 'description', 'person', 'recordId', 'relationship', 'startDate', 'summary'],
    'Payment': ['amount', 'beneficiary', 'currency', 'date', 'description', 'payer', 'recordId', 'startDate', 'summary'],
    'Employment': ['date', 'description', 'employee', 'employer', 'recordId', 'role', 'startDate', 'summary'],
    'Membership': ['date', 'description', 'member', 'organization', 'recordId', 'role', 'startDate', 'summary'],
    'CourtCaseParty': ['case', 'date', 'description', 'party', 'recordId', 'role', 'startDate', 'summary'],
    'UnknownLink': ['date', 'description', 'object', 'recordId', 'role', 'startDate', 'subject', 'summary'],
}


def _sub() -> Subgraph:
    nodes = {
        "p1": {"label": "Person", "uid": "p1", "name": "=HYPERLINK(\"http://x\")", "roles": ["suspect"], "src": ["s:2"]},
        "p2": {"label": "Person", "uid": "p2", "name": "Siti Amélie", "roles": ["victim"], "nik": "6171014101990001",
               "phone": "+6281234567890", "passport": "B1234567", "address": "Jl. Melati 5", "src": ["s:3"]},
        "doc:passport:B1234567": {"label": "Document", "uid": "doc:passport:B1234567", "number": "B1234567", "kind": "passport", "src": ["s:3"]},
        "phone:+6281234567890": {"label": "Phone", "uid": "phone:+6281234567890", "number": "+6281234567890", "name": "+6281234567890",
               "src": ["s:3"]},
        "l": {"label": "Lodging", "uid": "l", "name": "Losmen", "address": "Jl. Raya 1", "src": ["s:3"]},
        "c": {"label": "Case", "uid": "c", "name": "LP/1", "number": "LP/1", "src": ["s:3"]},
        "a": {"label": "Account", "uid": "a", "name": "acc", "number": "1", "bank": "b", "src": ["s:3"]},
        "v": {"label": "Vehicle", "uid": "v", "name": "bus", "plate": "KB1", "src": ["s:3"]},
        "o": {"label": "Organization", "uid": "o", "name": "o", "src": ["s:3"]},
        "ev": {"label": "Event", "uid": "ev", "name": "m", "src": ["s:3"]},
        "loc": {"label": "Location", "uid": "loc", "name": "Entikong", "src": ["s:3"]},
    }
    edges = [
        {"type": t, "source": a, "target": b, "key": "", "src": ["s:4"], "date": "2024-01-01", "role": "victim",
         "amount": 1.0, "currency": "IDR", "kinship": "cousin", "note": "Siti Amélie said so"}
        for t, a, b in [("HOLDS", "p2", "doc:passport:B1234567"), ("USES", "p2", "phone:+6281234567890"), ("STAYED_AT", "p2", "l"), ("INVOLVED_IN", "p2", "c"),
                        ("PAID", "p1", "a"), ("KNOWS", "p1", "p2"), ("RELATIVE_OF", "p1", "p2"), ("EMPLOYED_BY", "p1", "o"),
                        ("AFFILIATED_WITH", "p1", "o"), ("ATTENDED", "p1", "ev"), ("CROSSED", "p2", "loc"),
                        ("RECRUITED", "p1", "p2")]
    ]
    return Subgraph(nodes=nodes, edges=edges, sources={"s": {"path": "/data/Siti Amélie.csv", "sha256": "00"}},
                    seeds=["p2"], paths=[], selection={"mode": "around", "person": "p2"})


def test_ftm_entities_use_only_followthemoney_properties():
    entities = ftm_entities(_sub())
    assert len(entities) == 11 + 12 and len({e["id"] for e in entities}) == 23
    for e in entities:
        assert e["schema"] in FTM_PROPERTIES, e["schema"]
        assert set(e["properties"]) <= set(FTM_PROPERTIES[e["schema"]]), (e["schema"], e["properties"])
        assert all(isinstance(v, list) and all(isinstance(x, str) for x in v) for v in e["properties"].values())
    by_schema = {e["schema"] for e in entities}
    assert {"Person", "Passport", "CourtCaseParty", "Payment", "Family", "Associate", "UnknownLink"} <= by_schema


def test_cypher_literals_are_valid_json_strings_and_escape_everything():
    hostile = "O'Brien `x` \"q\" \\ \n ; // é 😀"
    lit = cypher_literal(hostile)
    assert json.loads(lit) == hostile and "\n" not in lit and "`" in lit
    assert cypher_literal({"a`b": [1, 2.5, None, True]}) == '{`a``b`: [1, 2.5, null, true]}'


def test_csv_cells_do_not_execute_in_a_spreadsheet():
    rows = list(csv.DictReader(io.StringIO(nodes_csv_bytes(_sub()).decode("utf-8"))))
    p1 = next(r for r in rows if r["id"] == "p1")
    assert p1["name"].startswith("'=HYPERLINK")
    ph = next(r for r in rows if r["id"] == "phone:+6281234567890")
    assert ph["number"] == "+6281234567890"  # a phone number stays as it is


def test_leak_search_finds_escaped_and_utf16_forms_and_respects_word_bounds():
    p = Protected()
    p.add_name("Siti Amélie", "V-1")
    p.add_identifier("+6281234567890", "phone")
    assert leaks("Siti Am\\u00e9lie".encode(), p) == ["name"]
    assert leaks("SITI AMÉLIE".encode("utf-16-le"), p) == ["name"]
    assert leaks(b"call 081234567890 now", p) == ["identifier"]
    assert leaks(b"Siti Amelie Siti Am\xc3\xa9lies 6281234567890123", p) == []


def test_redact_subgraph_pseudonymises_victim_and_her_things_everywhere():
    key = Redactor("k")
    red, prot = redact_subgraph(_sub(), key, ["victim"])
    v = key.pseudonym("p2")
    assert v in red.nodes and red.nodes[v]["name"] == v
    assert not {"nik", "phone", "passport", "address"} & set(red.nodes[v])
    assert key.pseudonym("doc:passport:B1234567", "DOC-") in red.nodes
    assert key.pseudonym("phone:+6281234567890", "PHO-") in red.nodes
    assert red.seeds == [v] and red.selection["person"] == v
    assert red.sources["s"]["path"].startswith("[path withheld")
    assert all(e["note"] == f"{v} said so" for e in red.edges)
    text = json.dumps([red.nodes, red.edges, red.sources, red.selection], ensure_ascii=False)
    for needle in ("Siti Amélie", "6171014101990001", "81234567890", "B1234567", "Jl. Melati"):
        assert needle not in text
    assert leaks(text.encode("utf-8"), prot) == []
    assert red.nodes["p1"]["name"].startswith("=HYPERLINK")  # the suspect is untouched
