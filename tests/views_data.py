"""A small trafficking scenario for the view tests, with hostile names, written through the storage contract."""

from __future__ import annotations

from analytics_data import SOURCE, write_graph

XSS_IMG = "<img src=x onerror=window.__xss=1>"
XSS_SCRIPT = "Kos Melati </script><script>window.__xss=2</script>"
VICTIM_NAME = "Siti Aminah Rahayu"
SOURCE_PATH = "/data/test.csv"

NODES = [
    ("Person", "police:V1", {"name": VICTIM_NAME, "roles": ["victim"], "nik": "6171014101990001"}),
    ("Person", "police:V2", {"name": XSS_IMG, "roles": ["victim"]}),
    ("Person", "police:R1", {"name": "Budi Santoso", "roles": ["recruiter"]}),
    ("Person", "police:D1", {"name": "Agus", "roles": ["driver"]}),
    ("Person", "police:O1", {"name": "Haji Salim", "roles": ["organiser"]}),
    ("Person", "court:C1", {"name": "Dewi", "roles": ["recruiter", "convicted"]}),
    ("Lodging", "lodging:L1", {"name": XSS_SCRIPT, "address": "Jl. Entikong 1"}),
    ("Case", "police:K1", {"name": "PKR-12/2018", "number": "PKR-12/2018"}),
    ("Person", "lodging:G1", {"name": "Guest Only", "roles": ["guest"]}),
    ("Phone", "phone:+6281234567890", {"name": "+6281234567890", "number": "+6281234567890"}),
]
RELS = [
    ("RECRUITED", "police:R1", "police:V1", {"date": "2018-02-01"}),
    ("RECRUITED", "police:R1", "police:V2", {"date": "2018-03-01"}),
    ("TRANSPORTED", "police:D1", "police:V1", {"date": "2018-02-10"}),
    ("STAYED_AT", "police:V1", "lodging:L1", {"date": "2018-02-11"}),
    ("STAYED_AT", "police:V2", "lodging:L1", {"date": "2018-03-11"}),
    ("CALLED", "police:R1", "police:O1", {"weight": 14.0}),
    ("CONVICTED_IN", "court:C1", "police:K1", {}),
    ("INVOLVED_IN", "police:R1", "police:K1", {"role": "suspect"}),
    ("KNOWS", "court:C1", "police:R1", {}),
    ("USES", "police:V1", "phone:+6281234567890", {}),
    ("STAYED_AT", "lodging:G1", "lodging:L1", {"date": "2018-03-12"}),
    ("HYPOTHESIS", "police:O1", "court:C1", {"method": "adamic_adar", "score": 0.7}),
]
# rows as write_graph numbers them: nodes from row 2, relationships from row 2 (same source)
REL_ROW = {(t, a, b): row for row, (t, a, b, _) in enumerate(RELS, 2)}


def write_scenario(db) -> None:
    write_graph(db, NODES, RELS)


def edges_of(uid: str) -> set[str]:
    """Neighbours of ``uid`` by evidence relationships, computed from the lists above."""
    out = set()
    for t, a, b, _ in RELS:
        if t == "HYPOTHESIS":
            continue
        if a == uid:
            out.add(b)
        if b == uid:
            out.add(a)
    return out


__all__ = ["NODES", "RELS", "REL_ROW", "SOURCE", "SOURCE_PATH", "XSS_IMG", "XSS_SCRIPT", "VICTIM_NAME", "write_scenario", "edges_of"]
