"""Evidence bundles from agency spreadsheets loaded by graphnet's own loaders (real Neo4j)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile

import pytest

from graphnet import evidence
from graphnet.evidence.custody import bundle_files
from graphnet.loading import load_file
from graphnet.redact import Redactor

KEY = "prosecutor-key"
# the victim appears in the police register (role victim) and, unresolved, in a hotel guest register
VICTIM = {"name": "Siti Aminah", "nik": "6171014101990001", "phone": "0812-3456-7890", "e164": "+6281234567890"}
# a second victim: only her name identifies her guest record (no NIK: the record key falls back to the name)
VICTIM2 = {"name": "Wulan Sari", "police_id": "POL-3"}
SUSPECT = "police:POL-1"

POLICE = [
    ["case_no", "province", "opened_on", "charge", "person_id", "name", "nik", "birth_date", "role", "phone", "origin"],
    ["LP/7/2024", "Kalimantan Barat", "02/04/2024", "TPPO", "POL-1", "Budi Santoso", "3201011505800003", "15/05/1980",
     "suspect", "081298765432", "Sanggau"],
    ["LP/7/2024", "Kalimantan Barat", "02/04/2024", "TPPO", "POL-2", VICTIM["name"], VICTIM["nik"], "01/01/1999",
     "victim", VICTIM["phone"], "Sanggau"],
    ["LP/7/2024", "Kalimantan Barat", "02/04/2024", "TPPO", "POL-3", VICTIM2["name"], "", "", "victim", "", "Sintang"],
]
LODGING = [
    ["lodging_name", "lodging_address", "operator_name", "operator_phone", "guest_name", "guest_nik", "guest_phone", "check_in"],
    ["Losmen Perbatasan", "Jl. Raya Entikong 1", "Agus", "081311112222", VICTIM["name"], VICTIM["nik"], VICTIM["phone"], "05-03-2024"],
    ["Losmen Perbatasan", "Jl. Raya Entikong 1", "Agus", "081311112222", VICTIM2["name"], "", "", "06-03-2024"],
    ["Losmen Perbatasan", "Jl. Raya Entikong 1", "Agus", "081311112222", "Budi Santoso", "3201011505800003", "081298765432",
     "05-03-2024"],
]


def _csv(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    return path


@pytest.fixture
def loaded(db, tmp_path):
    police = _csv(tmp_path / "police_cases.csv", POLICE)
    lodging = _csv(tmp_path / "lodging_guests.csv", LODGING)
    load_file(db, "police_cases", police, rejects_dir=tmp_path)
    load_file(db, "lodging_guests", lodging, rejects_dir=tmp_path)
    return {"police": police, "lodging": lodging}


def test_every_link_cites_a_loaded_file_by_row_and_sha256(db, loaded, tmp_path):
    res = evidence.export(db, tmp_path / "b", around=SUSPECT, hops=3, pdf=False)
    shas = {hashlib.sha256(p.read_bytes()).hexdigest(): p for p in loaded.values()}
    sources = list(csv.DictReader(io.StringIO((res.path / "sources.csv").read_text(encoding="utf-8"))))
    assert {s["sha256"] for s in sources} == set(shas)
    by_uid = {s["uid"]: s for s in sources}
    edges = list(csv.DictReader(io.StringIO((res.path / "edges.csv").read_text(encoding="utf-8"))))
    assert edges
    html = (res.path / "report.html").read_text(encoding="utf-8")
    for e in edges:
        refs = json.loads(e["src"])
        assert refs, e
        for ref in refs:
            suid, row = ref.rsplit(":", 1)
            s = by_uid[suid]
            assert 2 <= int(row) <= 4
            assert f"{s['path']}, row {row}, <span class=\"mono\">{s['sha256']}</span>" in html
    v = evidence.verify(res.path)
    assert v.ok and v.checked_sources == 2


def test_redaction_without_resolution_still_protects_both_victims(db, loaded, tmp_path):
    plain = evidence.export(db, tmp_path / "plain", around=SUSPECT, hops=4, pdf=False)
    guests = [n for n in json.loads((plain.path / "subgraph.json").read_text())["nodes"] if n["id"].startswith("lodging:")
              and n["label"] == "Person"]
    assert {VICTIM["name"], VICTIM2["name"]} <= {n["name"] for n in guests}  # both unresolved guest records selected
    assert any(VICTIM2["name"] in n["id"] for n in guests)  # a uid built from the victim's name
    plain_text = b"".join(bundle_files(plain.path).values())
    assert VICTIM["nik"].encode() in plain_text and VICTIM2["name"].encode() in plain_text  # the test can fail
    res = evidence.export(db, tmp_path / "red", around=SUSPECT, hops=4, zip=True, redact="victims", redact_key=KEY)
    files = dict(bundle_files(res.path))
    with zipfile.ZipFile(res.zip_path) as z:
        files |= {f"zip:{n}": z.read(n) for n in z.namelist()}
    files["zip"] = res.zip_path.read_bytes()
    needles = [VICTIM["name"], VICTIM["nik"], VICTIM["e164"], "081234567890", "6281234567890", VICTIM2["name"]]
    for name, data in files.items():
        text = data.decode("utf-8", errors="ignore").lower()
        for needle in needles:
            for form in {needle, json.dumps(needle)[1:-1]}:
                assert form.lower() not in text, (name, needle)
                assert form.encode("utf-16-le") not in data, (name, needle)
    nodes = {n["id"]: n for n in json.loads((res.path / "subgraph.json").read_text())["nodes"]}
    assert Redactor(KEY).pseudonym("police:POL-2") in nodes
    assert nodes[SUSPECT]["name"] == "Budi Santoso"
    assert evidence.verify(res.path).ok and evidence.verify(res.zip_path).ok
