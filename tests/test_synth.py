"""The synthetic scenario generator: contract, reproducibility, ground truth (pure, no database).

The checks read the written CSV files back and compare them with the
contract table of docs/ARCHITECTURE.md and with truth.json, so a generator
that wrote a truth its files do not bear out fails here.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import json
import re
from collections import Counter
from pathlib import Path

import phonenumbers
import pytest
from click.testing import CliRunner

from graphnet.cli import main
from graphnet.errors import ConfigError
from graphnet.synth import FILES, estimate, generate, make_params
from graphnet.synth.background import call_pairs, transfer_pairs

ARCHITECTURE = Path(__file__).resolve().parents[1] / "docs" / "ARCHITECTURE.md"


# -- the contract, read independently from docs/ARCHITECTURE.md ------------------------

def _contract() -> dict[str, tuple[list[str], dict[str, str]]]:
    """file -> (columns, {date column: strptime format}) parsed from the architecture table."""
    text = ARCHITECTURE.read_text(encoding="utf-8")
    section = text.split("## Agency spreadsheets", 1)[1].split("\n## ", 1)[0]
    out = {}
    for line in section.splitlines():
        m = re.match(r"\| `(\w+)`[^|]*\| (.+) \|$", line)
        if not m:
            continue
        cell = m.group(2)
        columns, formats = [], {}
        for part in re.split(r",\s*(?![^()]*\))", cell):  # commas outside parentheses
            name = part.split("(")[0].strip()
            columns.append(name)
            paren = re.search(r"\(([^)]*)\)", part)
            if paren and re.search(r"YYYY", paren.group(1)):
                fmt = paren.group(1).split(",")[0].strip()
                fmt = fmt.replace("YYYY", "%Y").replace("HH:MM:SS", "%H:%M:%S").replace("DD", "%d").replace("MM", "%m")
                formats[name] = fmt
        out[m.group(1)] = (columns, formats)
    return out


CONTRACT = _contract()


def _read(directory: Path, file: str) -> list[dict[str, str]]:
    with open(directory / f"{file}.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _row(rows: list[dict[str, str]], number: int) -> dict[str, str]:
    return rows[number - 2]  # spreadsheet numbering: header = 1, first data row = 2


def _e164(text: str) -> str:
    num = phonenumbers.parse(text if text.startswith("+") else ("+" + text if text.startswith(("62", "60")) else text), "ID")
    assert phonenumbers.is_valid_number(num), text
    return phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164)


def _nik_valid(value: str) -> bool:
    if not (len(value) == 16 and value.isdigit()) or value[12:] == "0000":
        return False
    day, month, yy = int(value[6:8]), int(value[8:10]), int(value[10:12])
    day = day - 40 if day > 40 else day
    try:
        datetime.date(2000 + yy, month, day)
    except ValueError:
        try:
            datetime.date(1900 + yy, month, day)
        except ValueError:
            return False
    return True


@pytest.fixture(scope="module")
def province(tmp_path_factory):
    out = tmp_path_factory.mktemp("province")
    summary = generate(out, preset="province", seed=11)
    truth = json.loads((out / "truth.json").read_text(encoding="utf-8"))
    files = {f: _read(out, f) for f in FILES}
    return out, summary, truth, files


def test_contract_table_is_parsed():
    assert len(CONTRACT) == 11 and CONTRACT["call_records"][1] == {"start": "%Y-%m-%d %H:%M:%S"}


def test_every_file_has_exactly_the_contract_columns(province):
    out, _, _, _ = province
    assert set(CONTRACT) == set(FILES)
    for file, (columns, _) in CONTRACT.items():
        with open(out / f"{file}.csv", encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))
        assert rows[0] == columns, file
        assert all(len(r) == len(columns) for r in rows), file
        assert len(rows) > 1, file


def test_dates_are_in_each_agencys_format_except_the_planted_broken_rows(province):
    _, _, truth, files = province
    broken = {(b["definition"], b["row"], b["field"]) for b in truth["broken_rows"]}
    failures = set()
    for file, (_, formats) in CONTRACT.items():
        for i, row in enumerate(files[file], start=2):
            for column, fmt in formats.items():
                value = row[column]
                if not value:
                    continue
                try:
                    datetime.datetime.strptime(value, fmt)
                except ValueError:
                    failures.add((file, i, column))
    planted_dates = {b for b in broken if b[2] not in {"nik", "holder_nik"}}
    assert failures == planted_dates
    assert planted_dates  # the rejects path has dates to reject


def test_niks_are_valid_except_the_planted_broken_rows(province):
    _, _, truth, files = province
    nik_columns = {"police_cases": "nik", "victim_statements": "nik", "court_verdicts": "nik",
                   "travel_documents": "holder_nik", "shelter_intake": "nik", "lodging_guests": "guest_nik",
                   "phone_subscribers": "nik"}
    bad = {(f, i, c) for f, c in nik_columns.items() for i, row in enumerate(files[f], start=2)
           if row[c] and not _nik_valid(row[c])}
    planted = {(b["definition"], b["row"], b["field"]) for b in truth["broken_rows"] if "nik" in b["field"]}
    assert bad == planted and len(planted) >= 2


def test_phones_are_valid_numbers_written_in_mixed_local_forms(province):
    _, _, _, files = province
    forms = Counter()
    for row in files["call_records"]:
        for value in (row["caller"], row["callee"]):
            _e164(value)
            forms["0" if value.startswith("0") else "+62 " if value.startswith("+62 ") else value[:3]] += 1
    assert {"0", "+62 ", "628", "+62"} <= set(forms)
    phone_columns = {"police_cases": ["phone"], "lodging_guests": ["operator_phone", "guest_phone"],
                     "passenger_lists": ["driver_phone", "passenger_phone"], "phone_subscribers": ["msisdn"]}
    for file, columns in phone_columns.items():
        for row in files[file]:
            for column in columns:
                if row[column]:
                    assert _e164(row[column]).startswith("+62"), (file, column, row[column])


def test_same_seed_gives_byte_identical_files(tmp_path):
    a = generate(tmp_path / "a", seed=5, cases=8, syndicates=2, background=301)
    b = generate(tmp_path / "b", seed=5, cases=8, syndicates=2, background=301)
    c = generate(tmp_path / "c", seed=6, cases=8, syndicates=2, background=301)
    names = sorted(p.name for p in a.out_dir.iterdir())
    assert names == sorted([f"{f}.csv" for f in FILES] + ["load-plan.yaml", "truth.json"])
    digest = {n: hashlib.sha256((a.out_dir / n).read_bytes()).hexdigest() for n in names}
    assert digest == {n: hashlib.sha256((b.out_dir / n).read_bytes()).hexdigest() for n in names}
    assert digest["police_cases.csv"] != hashlib.sha256((c.out_dir / "police_cases.csv").read_bytes()).hexdigest()
    truth = json.loads((a.out_dir / "truth.json").read_text())
    assert truth["seed"] == 5 and truth["parameters"]["seed"] == 5
    assert truth["files"]["call_records"]["sha256"] == digest["call_records.csv"]


def test_province_preset_matches_the_published_figures(province):
    _, summary, truth, files = province
    # West Kalimantan, first half of 2018: 31 cases, 42 traffickers, 127 victims
    assert len({r["case_no"] for r in files["police_cases"]}) == 31
    assert summary.cases == 31 and summary.victims == 127 and summary.traffickers == 42
    assert len({v for c in truth["cases"] for v in c["victims"]}) == 127
    assert len(truth["syndicates"]) == 3
    opened = [datetime.datetime.strptime(r["opened_on"], "%d/%m/%Y").date() for r in files["police_cases"]]
    assert min(opened) >= datetime.date(2018, 1, 1) and max(opened) <= datetime.date(2018, 6, 30)
    # recruiters are mostly family, friends or neighbours of their victims (8 of 12 convicts interviewed)
    relations = Counter(r["relation"] for r in files["victim_statements"] if r["role"] == "victim")
    assert (relations["family"] + relations["friend"] + relations["neighbour"]) / sum(relations.values()) > 0.6
    # some victims later recruit others
    assert any("victim" in p["roles"] and "suspect" in p["roles"] for p in truth["persons"].values())


def test_organisers_never_appear_in_a_case_file(province):
    _, _, truth, files = province
    case_files = ("police_cases", "victim_statements", "court_verdicts", "shelter_intake")
    for pid in truth["organisers"]:
        person = truth["persons"][pid]
        assert not set(person["records"]) & set(case_files), pid
        phones = set(person["phones"])
        for row in files["police_cases"]:
            assert row["nik"] != person["nik"]
            assert not (row["phone"] and _e164(row["phone"]) in phones)
        for row in files["court_verdicts"] + files["victim_statements"]:
            assert row["nik"] != person["nik"]


def test_each_syndicate_ties_its_organisers_to_several_unrelated_cases(province):
    _, _, truth, files = province
    police_ids = {(r["case_no"], r["person_id"]) for r in files["police_cases"] if r["role"] == "suspect"}
    evidence = Counter((e["syndicate"], e["kind"]) for e in truth["evidence"])
    for s in truth["syndicates"]:
        assert len(s["cases"]) >= 2
        # the recruiters of its cases are the suspects the police saw
        for case in s["cases"]:
            suspects = [pid for c in truth["cases"] if c["case_no"] == case for pid in c["suspects"]]
            for pid in suspects:
                refs = truth["persons"][pid]["records"]["police_cases"]
                assert any((case, _row(files["police_cases"], r["row"])["person_id"]) in police_ids for r in refs)
        assert evidence[(s["id"], "call")] > 0 and evidence[(s["id"], "payment")] > 0
    # every evidence row really carries the organiser's phone or account
    for e in truth["evidence"]:
        org = truth["persons"][e["organiser"]]
        row = _row(files[e["file"][:-4]], e["row"])
        if e["file"] == "call_records.csv":
            assert {_e164(row["caller"]), _e164(row["callee"])} & set(org["phones"])
        elif e["file"] == "money_transfers.csv":
            assert org["account"] in {f"{row['sender_bank']}:{row['sender_account']}",
                                      f"{row['receiver_bank']}:{row['receiver_account']}"}


def test_duplicates_are_one_true_person(province):
    _, _, truth, files = province
    nik_of = {"police_cases": "nik", "victim_statements": "nik", "court_verdicts": "nik", "shelter_intake": "nik",
              "travel_documents": "holder_nik", "phone_subscribers": "nik"}
    birth_of = {"police_cases": ("birth_date", "%d/%m/%Y"), "court_verdicts": ("birth_date", "%Y-%m-%d"),
                "shelter_intake": ("birth_date", "%d/%m/%Y"), "travel_documents": ("birth_date", "%Y-%m-%d"),
                "border_crossings": ("birth_date", "%Y-%m-%d")}
    cross_agency = 0
    spelled_differently = 0
    for group in truth["duplicates"]:
        person = truth["persons"][group["person"]]
        names = set()
        for ref in group["records"]:
            row = _row(files[ref["file"]], ref["row"])
            names.add(row[ref["column"]])  # the record's column is the name the agency wrote
            if "broken" in ref or ref["column"] not in {"name", "holder_name", "subscriber_name"}:
                continue
            col = nik_of.get(ref["file"])
            if col and row[col]:
                assert row[col] == person["nik"], (group["person"], ref)
            if ref["file"] in birth_of:
                column, fmt = birth_of[ref["file"]]
                if row[column]:
                    born = datetime.datetime.strptime(row[column], fmt).date().isoformat()
                    assert born in {person["birth_date"], person.get("document_birth_date")}, (group["person"], ref)
        cross_agency += group["files"] >= 2
        spelled_differently += len(names) >= 2
    assert cross_agency >= 100
    assert spelled_differently >= 30


def test_spelling_noise_is_indonesian(province):
    _, _, _, files = province
    names = {r["name"] for f in ("police_cases", "shelter_intake", "court_verdicts") for r in files[f]}
    names |= {r["guest_name"] for r in files["lodging_guests"]}
    assert any(n.startswith("St. ") for n in names) or any(n.startswith(("Moh. ", "Muh. ")) for n in names)
    assert any(n.startswith(("Hj. ", "H. ")) for n in names)
    assert any(n.isupper() for n in names)


def test_age_falsified_documents_carry_an_adult_birth_date(province):
    _, _, truth, files = province
    assert truth["age_falsified"]
    for a in truth["age_falsified"]:
        person = truth["persons"][a["person"]]
        doc = _row(files["travel_documents"], a["row"])
        assert doc["doc_no"] == a["doc_no"]
        assert doc["birth_date"] == a["document_birth_date"] != person["birth_date"] == a["true_birth_date"]
        issued = datetime.date.fromisoformat(doc["issued_on"])
        true_age = (issued - datetime.date.fromisoformat(a["true_birth_date"])).days / 365.25
        doc_age = (issued - datetime.date.fromisoformat(a["document_birth_date"])).days / 365.25
        assert true_age < 18 <= doc_age
        # the police or the shelter recorded the true birth date
        seen = [datetime.datetime.strptime(_row(files[f], r["row"])["birth_date"], "%d/%m/%Y").date().isoformat()
                for f in ("police_cases", "shelter_intake") for r in person["records"].get(f, [])
                if "broken" not in r and _row(files[f], r["row"])["birth_date"]]
        assert all(s == a["true_birth_date"] for s in seen)


def test_broken_rows_are_listed_with_file_row_and_field(province):
    out, _, truth, files = province
    assert len(truth["broken_rows"]) == 8
    assert len({b["file"] for b in truth["broken_rows"]}) == 8
    for b in truth["broken_rows"]:
        row = _row(files[b["definition"]], b["row"])
        assert row[b["field"]] == b["value"] != b["original"]


def test_tie_removal_is_nested_and_changes_nothing_else(tmp_path):
    runs = {f: generate(tmp_path / str(f), seed=3, tie_removal=f) for f in (0.0, 0.15, 0.3)}
    truths = {f: json.loads((s.out_dir / "truth.json").read_text()) for f, s in runs.items()}
    total = len(truths[0.0]["evidence"])
    assert total > 50 and not truths[0.0]["removed_ties"]
    removed = {f: {r["id"] for r in t["removed_ties"]} for f, t in truths.items()}
    assert len(removed[0.15]) == round(0.15 * total) and len(removed[0.3]) == round(0.3 * total)
    assert removed[0.15] < removed[0.3]
    assert removed[0.3].isdisjoint(e["id"] for e in truths[0.3]["evidence"])
    assert {e["id"] for e in truths[0.3]["evidence"]} | removed[0.3] == {e["id"] for e in truths[0.0]["evidence"]}
    for f in ("police_cases", "victim_statements", "court_verdicts", "travel_documents", "phone_subscribers"):
        assert truths[0.0]["files"][f]["sha256"] == truths[0.3]["files"][f]["sha256"], f
    assert runs[0.3].rows["call_records"] < runs[0.0].rows["call_records"]
    assert truths[0.0]["syndicates"] == truths[0.3]["syndicates"]


def test_background_pair_counts_match_the_files(province):
    """estimate() is exact for background pairs: count them in the written files."""
    _, summary, truth, files = province
    case_phones = {ph for p in truth["persons"].values() for ph in p["phones"]}
    case_accounts = {p["account"] for p in truth["persons"].values() if p["account"]}
    pairs = set()
    for row in files["call_records"]:
        a, b = _e164(row["caller"]), _e164(row["callee"])
        if a not in case_phones and b not in case_phones:
            pairs.add(frozenset((a, b)))
    money = set()
    for row in files["money_transfers"]:
        a, b = f"{row['sender_bank']}:{row['sender_account']}", f"{row['receiver_bank']}:{row['receiver_account']}"
        if a not in case_accounts and b not in case_accounts:
            money.add(frozenset((a, b)))
    params = make_params("province", seed=11)
    sizes = estimate(params)
    assert len(pairs) == sizes["call_pairs"] == call_pairs(1201, 4, 8, 60)
    assert len(money) == sizes["transfer_pairs"] == transfer_pairs(401, 3, 8, 60)
    assert summary.min_relationships == sizes["min_relationships"]


def test_national_preset_is_sized_for_a_million_relationships():
    params = make_params("national")
    sizes = estimate(params)
    # hand computation: (250,001 - 60) people x 3 partners + 60 hubs x 400; (100,001 - 60) x 3 + 60 x 400
    assert sizes["call_pairs"] == (250_001 - 60) * 3 + 60 * 400
    assert sizes["transfer_pairs"] == (100_001 - 60) * 3 + 60 * 400
    assert sizes["min_relationships"] >= 1_000_000


def test_load_plan_lists_every_file_in_order(province):
    import yaml

    out, _, _, _ = province
    plan = yaml.safe_load((out / "load-plan.yaml").read_text())
    assert [p["definition"] for p in plan] == list(FILES)
    assert all((out / p["file"]).is_file() for p in plan)


def test_bad_parameters_are_config_errors():
    with pytest.raises(ConfigError, match="--syndicates"):
        make_params("province", syndicates=20)
    with pytest.raises(ConfigError, match="unknown preset"):
        make_params("galaxy")
    with pytest.raises(ConfigError, match="--missing-rate"):
        make_params("province", missing_rate=-0.1)


def test_cli_writes_a_scenario_and_reports_bad_options(tmp_path):
    runner = CliRunner()
    r = runner.invoke(main, ["synth", str(tmp_path / "s"), "--cases", "6", "--syndicates", "1", "--seed", "2",
                             "--background", "201"])
    assert r.exit_code == 0, r.output
    assert "cases 6" in r.output and (tmp_path / "s" / "truth.json").is_file()
    r = runner.invoke(main, ["synth", str(tmp_path / "t"), "--remove-ties", "1.5"])
    assert r.exit_code != 0 and "Traceback" not in r.output
    assert r.output.strip().splitlines()[-1].startswith("Error: --remove-ties")
    r = runner.invoke(main, ["synth", str(tmp_path / "u"), "--preset", "national", "--estimate"])
    assert r.exit_code == 0 and "min_relationships" in r.output and not (tmp_path / "u").exists()


def test_files_do_not_depend_on_the_process(tmp_path):
    """Two processes with different hash seeds write the same bytes (no set/dict-order leaks)."""
    import os
    import subprocess
    import sys

    digests = []
    for hash_seed in ("1", "2"):
        out = tmp_path / hash_seed
        code = (f"from graphnet.synth import generate; generate({str(out)!r}, seed=8, cases=6, syndicates=2, "
                f"background=201)")
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        subprocess.run([sys.executable, "-c", code], check=True, env=env)
        digests.append({p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(out.iterdir())})
    assert digests[0] == digests[1] and len(digests[0]) == 13
