"""``generate``: write a scenario's agency spreadsheets, load plan and ground truth.

The output directory receives the 11 agency files (``<definition>.csv``,
columns and date formats exactly as the contract in
:mod:`graphnet.synth.contract`), ``load-plan.yaml`` (the files in load order,
for ``graphnet load --plan``) and ``truth.json`` (what really happened: never
read by the loaders). Files are written under a temporary name and renamed
when complete, so a directory never holds a half-written scenario file.

``truth.json`` holds:

- ``seed``, ``preset``, ``parameters``: everything needed to write the same bytes again;
- ``files``: per definition its ``path`` (relative), ``rows`` (data rows) and ``sha256``;
- ``organisers``: the organisers' true ids; ``syndicates``: ``id``, ``organisers``,
  ``members`` (organisers, recruiters, lodging operator, driver, officer, Sarawak agent),
  ``recruiters``, ``cases`` (case numbers), the shared ``lodging``, ``driver``,
  ``vehicle``, ``officer`` and ``agent``;
- ``cases``: per case its suspects, victims, lodging, driver, officer, crossing, syndicate;
- ``persons``: true id (``T000123``) -> name, ``role`` and ``roles``, ``syndicate``, ``cases``,
  true ``birth_date`` (and ``document_birth_date`` when a document lies), ``nik``, ``phones``
  (E.164), ``account`` (``bank:number``), ``passport`` and ``records``: per definition
  the rows that record this person, each ``{"row": spreadsheet row (header = 1),
  "column": the column holding the name the agency wrote, "id": the agency's own id,
  document number, msisdn or account where the row has one, "broken": field}``
  (``broken`` only on a planted broken row);
- ``duplicates``: every person recorded on two or more rows, with those records;
- ``age_falsified``: documents whose birth date makes a minor an adult (doc, row, both dates);
- ``broken_rows``: the planted defects (file, definition, row, field, value, original, reason);
- ``evidence``: the organisers' evidence rows still in the files (id, kind, organiser, other, file, row);
- ``removed_ties``: the evidence rows left out by ``tie_removal`` (with the row's values);
- ``background``: sizes of the ordinary population (not listed person by person).
"""

from __future__ import annotations

import csv
import dataclasses
import datetime
import hashlib
import json
import os
import random
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import yaml

from ..errors import ConfigError
from . import background as bg
from . import geography
from .contract import FILES
from .world import Params, Person, Row, World, social_calls

__all__ = ["PRESETS", "ScenarioSummary", "generate", "estimate", "make_params"]

PRESETS: dict[str, dict] = {
    # West Kalimantan provincial police, first half of 2018: 31 cases, 42 traffickers, 127 victims.
    "province": dict(cases=31, syndicates=3, traffickers=42, victims=127, background=1201, contacts=4,
                     hubs=8, hub_contacts=60, accounts=401, payees=3, travellers=900,
                     start=datetime.date(2018, 1, 1), end=datetime.date(2018, 6, 30), routes=("kalbar",)),
    # Benchmark size: >= 1,000,000 relationships once loaded, mostly calls and transfers.
    "national": dict(cases=1200, syndicates=24, traffickers=1626, victims=4916, background=250_001, contacts=3,
                     hubs=60, hub_contacts=400, accounts=100_001, payees=3, travellers=60_000,
                     start=datetime.date(2017, 1, 1), end=datetime.date(2018, 12, 31),
                     routes=("kalbar", "kepri", "kaltara")),
}
DEFAULT_SEED = 7


@dataclasses.dataclass
class ScenarioSummary:
    """What :func:`generate` wrote."""

    out_dir: Path
    preset: str
    seed: int
    rows: dict[str, int]
    cases: int
    victims: int
    traffickers: int
    syndicates: int
    organisers: int
    broken_rows: int
    removed_ties: int
    min_relationships: int
    seconds: float

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def make_params(preset: str = "province", *, seed: int = DEFAULT_SEED, cases: int | None = None,
                syndicates: int | None = None, duplicate_rate: float = 0.35, missing_rate: float = 0.1,
                tie_removal: float = 0.0, broken_rows: int = 8, background: int | None = None) -> Params:
    """Validated :class:`Params` of a preset with the given overrides.

    >>> make_params("province").victims, make_params("province", cases=62).victims
    (127, 254)
    >>> make_params("province", tie_removal=1.5)
    Traceback (most recent call last):
    ...
    graphnet.errors.ConfigError: --remove-ties must be a fraction between 0 and 1, got 1.5
    """
    if preset not in PRESETS:
        raise ConfigError(f"unknown preset {preset!r}; choose one of {', '.join(PRESETS)}")
    base = dict(PRESETS[preset])
    for name, value in (("--duplicate-rate", duplicate_rate), ("--missing-rate", missing_rate),
                        ("--remove-ties", tie_removal)):
        if not 0.0 <= value <= 1.0:
            raise ConfigError(f"{name} must be a fraction between 0 and 1, got {value}")
    if cases is not None:
        if cases < 2:
            raise ConfigError(f"--cases must be at least 2, got {cases}")
        ratio = cases / base["cases"]
        base["victims"] = max(cases, round(base["victims"] * ratio))
        base["traffickers"] = max(cases, round(base["traffickers"] * ratio))
        base["cases"] = cases
    if syndicates is not None:
        base["syndicates"] = syndicates
    if not 0 <= base["syndicates"] <= base["cases"] // 2:
        raise ConfigError(f"--syndicates must be between 0 and cases/2 = {base['cases'] // 2} "
                          f"(each syndicate stands behind at least 2 cases), got {base['syndicates']}")
    if broken_rows < 0:
        raise ConfigError(f"--broken-rows must not be negative, got {broken_rows}")
    if background is not None:
        if background < 11:
            raise ConfigError(f"--background must be at least 11 people, got {background}")
        base["accounts"] = max(11, round(base["accounts"] * background / base["background"]))
        base["background"] = background
    base["background"] |= 1  # odd sizes: see graphnet.synth.background
    base["accounts"] |= 1
    base["accounts"] = min(base["accounts"], base["background"])
    base["hubs"] = min(base["hubs"], base["background"] // 10)
    return Params(preset=preset, seed=seed, duplicate_rate=duplicate_rate, missing_rate=missing_rate,
                  tie_removal=tie_removal, broken_rows=broken_rows, **base)


def estimate(params: Params) -> dict[str, int]:
    """Sizes known before writing: distinct background call and transfer pairs (exact).

    Each distinct pair becomes at least one CALLED or PAID relationship when
    loaded, so ``min_relationships`` is a lower bound of the loaded graph's
    relationships (case rows, holders, stays and trips come on top).

    >>> e = estimate(make_params("national"))
    >>> e["min_relationships"] >= 1_000_000
    True
    """
    calls = bg.call_pairs(params.background, params.contacts, params.hubs, params.hub_contacts)
    transfers = bg.transfer_pairs(params.accounts, params.payees, params.hubs, params.hub_contacts)
    return {"call_pairs": calls, "transfer_pairs": transfers, "min_relationships": calls + transfers}


# -- deliberately broken rows (the rejects path) ---------------------------------------

def _bad_date(value: str, sep: str, order: str) -> str:
    """The same date with an impossible day (30 February, 31 April, ...)."""
    parts = value.split(" ")[0].split(sep)
    year = parts[order.index("Y")]
    month, day = random.Random(value).choice((("02", "30"), ("04", "31"), ("06", "31"), ("09", "31"), ("13", "05")))
    out = {"Y": year, "M": month, "D": day}
    text = sep.join(out[c] for c in order)
    return text + (value[len(value.split(" ")[0]):] if " " in value else "")


_PLANTS: tuple[tuple[str, str, Callable[[str], str], str], ...] = (
    ("police_cases", "nik", lambda v: v[:-1], "NIK with 15 digits"),
    ("victim_statements", "birth_date", lambda v: _bad_date(v, "/", "DMY"), "date that does not exist"),
    ("lodging_guests", "check_in", lambda v: _bad_date(v, "-", "DMY"), "date that does not exist"),
    ("travel_documents", "holder_nik", lambda v: v[:8] + "13" + v[10:], "NIK whose birth month is 13"),
    ("money_transfers", "date", lambda v: _bad_date(v, "-", "YMD"), "date that does not exist"),
    ("shelter_intake", "birth_date", lambda v: _bad_date(v, "/", "DMY"), "date that does not exist"),
    ("court_verdicts", "verdict_date", lambda v: _bad_date(v, "-", "YMD"), "date that does not exist"),
    ("phone_subscribers", "nik", lambda v: v + "7", "NIK with 17 digits"),
    ("passenger_lists", "date", lambda v: _bad_date(v, "-", "YMD"), "date that does not exist"),
    ("border_crossings", "date", lambda v: _bad_date(v, "-", "YMD"), "date that does not exist"),
    ("call_records", "start", lambda v: _bad_date(v, "-", "YMD"), "date that does not exist"),
)


def _plant_broken(world: World, count: int) -> None:
    rng = world.rng("broken")
    for k in range(count):
        file, field, spoil, reason = _PLANTS[k % len(_PLANTS)]
        candidates = [r for r in world.rows[file] if r.broken is None and r.evidence is None and r.values.get(field)
                      and not any(p.syndicate for p, _, _ in r.people)]
        if not candidates:
            continue
        row = rng.choice(candidates)
        row.broken = {"field": field, "reason": reason, "original": row.values[field]}
        row.values[field] = spoil(row.values[field])


def _remove_ties(world: World, fraction: float) -> list[Row]:
    """Remove ``fraction`` of the organiser evidence rows (nested: 15% removed is inside 30%)."""
    evidence = sorted((r for rows in world.rows.values() for r in rows if r.evidence), key=lambda r: r.evidence["id"])
    random.Random(f"{world.p.seed}/removal").shuffle(evidence)
    removed = evidence[:round(fraction * len(evidence))]
    gone = {id(r) for r in removed}
    for file in world.rows:
        world.rows[file] = [r for r in world.rows[file] if id(r) not in gone]
    return removed


# -- writing -------------------------------------------------------------------------

class _Out:
    """One agency CSV being written; counts rows the way a spreadsheet shows them (header = 1)."""

    def __init__(self, directory: Path, file: str):
        self.file = file
        self.final = directory / f"{file}.csv"
        self.part = directory / f".{file}.csv.part"
        self.fh = open(self.part, "w", encoding="utf-8", newline="")
        self.w = csv.writer(self.fh, lineterminator="\n")
        self.w.writerow(FILES[file])
        self.row = 1
        self.ids = 0

    def next_id(self) -> str:
        self.ids += 1
        return (f"TX{self.ids:010d}" if self.file == "money_transfers" else f"IMI-{self.ids:07d}")

    def write(self, values: list[str]) -> int:
        if self.file in {"money_transfers", "border_crossings"} and values[0] == "":
            values[0] = self.next_id()
        self.w.writerow(values)
        self.row += 1
        return self.row

    def write_case(self, row: Row) -> None:
        values = row.ordered()
        number = self.write(values)
        row.values[FILES[self.file][0]] = values[0]
        row.number = number
        for person, column, ident in row.people:
            ref: dict = {"row": number, "column": column}
            if self.file == "border_crossings":
                ident = values[0]  # crossing ids are numbered in file order
            if ident:
                ref["id"] = ident
            if row.broken:
                ref["broken"] = row.broken["field"]
            person.records.setdefault(self.file, []).append(ref)

    def close(self) -> str:
        self.fh.close()
        os.replace(self.part, self.final)
        return hashlib.sha256(self.final.read_bytes()).hexdigest()


def _interleave(out: _Out, case_rows: list[Row], stream: Iterator[tuple[int, list[str]]], total: int) -> None:
    """Write background rows in stream order with the case rows spread evenly among them."""
    k, n = 0, len(case_rows)
    for index, values in stream:
        while k < n and (k + 1) * total <= (index + 1) * (n + 1):
            out.write_case(case_rows[k])
            k += 1
        out.write(values)
    for row in case_rows[k:]:
        out.write_case(row)


def _day(key: object) -> datetime.date:
    return key.date() if isinstance(key, datetime.datetime) else key  # type: ignore[return-value]


def _write_travel(outs: dict[str, _Out], case_rows: dict[str, list[Row]],
                  stream: Iterator[tuple[datetime.date, str, list[str]]]) -> None:
    pos = {f: 0 for f in case_rows}
    for day, file, values in stream:
        rows = case_rows[file]
        while pos[file] < len(rows) and _day(rows[pos[file]].sort[0]) < day:
            outs[file].write_case(rows[pos[file]])
            pos[file] += 1
        outs[file].write(values)
    for file, rows in case_rows.items():
        for row in rows[pos[file]:]:
            outs[file].write_case(row)


def generate(out_dir: str | os.PathLike, *, preset: str = "province", seed: int = DEFAULT_SEED,
             cases: int | None = None, syndicates: int | None = None, duplicate_rate: float = 0.35,
             missing_rate: float = 0.1, tie_removal: float = 0.0, broken_rows: int = 8,
             background: int | None = None) -> ScenarioSummary:
    """Write a synthetic scenario (11 agency CSVs, load-plan.yaml, truth.json) to ``out_dir``.

    Parameters
    ----------
    out_dir : path
        Directory to write (created if needed; existing scenario files are replaced).
    preset : {"province", "national"}
        ``province``: West Kalimantan, first half of 2018 (31 cases, 42
        traffickers, 127 victims, 3 syndicates). ``national``: three border
        routes over 2017-2018, >= 1,000,000 relationships once loaded.
    seed : int
        Seeds every random step; the same seed and parameters give
        byte-identical files.
    cases, syndicates : int, optional
        Override the preset (victims and traffickers scale with ``cases``).
    duplicate_rate : float
        Probability that a clerk writes a person's name with spelling noise.
    missing_rate : float
        Probability that an agency has no record (or no NIK/phone) where it could.
    tie_removal : float
        Fraction of the organisers' evidence rows (calls, payments, stays) to
        remove: the 0% / 15% / 30% experiment. Removal is nested across
        fractions and changes nothing else.
    broken_rows : int
        Deliberately broken rows (bad NIK, impossible date) for the rejects path.
    background : int, optional
        Number of ordinary people in the background (calls, transfers, travel).

    Returns
    -------
    ScenarioSummary

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     s = generate(d, cases=6, syndicates=1, background=301)
    ...     s.cases, s.syndicates, sorted(p.name for p in s.out_dir.iterdir())[:2]
    (6, 1, ['border_crossings.csv', 'call_records.csv'])
    """
    began = time.perf_counter()
    params = make_params(preset, seed=seed, cases=cases, syndicates=syndicates, duplicate_rate=duplicate_rate,
                         missing_rate=missing_rate, tie_removal=tie_removal, broken_rows=broken_rows,
                         background=background)
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise ConfigError(f"cannot create output directory {out}: {e.strerror}") from e

    world = World(params)
    world.build()
    social_calls(world, params.background)
    world.subscribers()
    removed = _remove_ties(world, tie_removal)
    _plant_broken(world, broken_rows)
    for rows in world.rows.values():
        rows.sort(key=lambda r: r.sort)

    people = world.background
    pools = {key: {"lodgings": world._lodgings[key], "services": world._services[key],
                   "officers": world._officers[key], "route": geography.ROUTES[key]}
             for key in params.routes}
    outs = {f: _Out(out, f) for f in FILES}
    try:
        _interleave(outs["phone_subscribers"], world.rows["phone_subscribers"],
                    bg.iter_subscribers(params, people), params.background)
        travel = ("travel_documents", "border_crossings", "lodging_guests", "passenger_lists")
        _write_travel(outs, {f: world.rows[f] for f in travel}, bg.iter_travel(params, people, pools))
        for f in ("police_cases", "victim_statements", "court_verdicts", "shelter_intake"):
            for row in world.rows[f]:
                outs[f].write_case(row)
        _interleave(outs["money_transfers"], world.rows["money_transfers"], bg.iter_transfers(params, people),
                    params.accounts)
        _interleave(outs["call_records"], world.rows["call_records"], bg.iter_calls(params, people),
                    params.background)
    except BaseException:
        for o in outs.values():
            o.fh.close()
            o.part.unlink(missing_ok=True)
        raise
    rows = {f: o.row - 1 for f, o in outs.items()}
    hashes = {f: o.close() for f, o in outs.items()}
    _write_plan(out)
    sizes = estimate(params)
    truth = _truth(world, params, rows, hashes, removed, sizes)
    (out / "truth.json").write_text(json.dumps(truth, indent=1, ensure_ascii=False, sort_keys=False) + "\n",
                                    encoding="utf-8")
    return ScenarioSummary(
        out_dir=out, preset=preset, seed=seed, rows=rows, cases=len(world.cases),
        victims=len({v for c in world.cases for v in c["victims"]}),
        traffickers=len({s for c in world.cases for s in c["suspects"]}), syndicates=len(world.syndicates),
        organisers=sum(len(s["organisers"]) for s in world.syndicates), broken_rows=len(truth["broken_rows"]),
        removed_ties=len(removed), min_relationships=sizes["min_relationships"],
        seconds=time.perf_counter() - began,
    )


def _write_plan(out: Path) -> None:
    plan = [{"definition": f, "file": f"{f}.csv"} for f in FILES]
    text = ("# Load plan written by `graphnet synth`: agency files in load order\n"
            "# (identifiers first, then the case files, the travel registers, money and calls).\n"
            "# File paths are relative to this file. Load with: graphnet load --plan load-plan.yaml\n")
    (out / "load-plan.yaml").write_text(text + yaml.safe_dump(plan, sort_keys=False), encoding="utf-8")


def _person_json(p: Person) -> dict:
    d = {
        "name": p.name, "role": p.role, "roles": sorted(p.roles), "syndicate": p.syndicate, "cases": p.cases,
        "female": p.female, "birth_date": p.birth.isoformat(), "nik": p.nik, "origin": p.origin,
        "phones": [x for x in (p.phone, p.phone2) if x],
        "account": f"{p.account[0]}:{p.account[1]}" if p.account else None,
        "passport": p.passport, "records": {f: refs for f, refs in sorted(p.records.items())},
    }
    if p.doc_birth:
        d["document_birth_date"] = p.doc_birth.isoformat()
    return d


def _truth(world: World, params: Params, rows: dict, hashes: dict, removed: list[Row], sizes: dict) -> dict:
    persons = {p.pid: _person_json(p) for p in world.people}
    duplicates = []
    for p in world.people:
        refs = [{"file": f, **r} for f, rs in sorted(p.records.items()) for r in rs]
        if len(refs) >= 2:
            duplicates.append({"person": p.pid, "files": len(p.records), "records": refs})
    broken = []
    evidence = []
    for file, rs in world.rows.items():
        for r in rs:
            if r.broken:
                broken.append({"file": f"{file}.csv", "definition": file, "row": r.number, "field": r.broken["field"],
                               "value": r.values[r.broken["field"]], "original": r.broken["original"],
                               "reason": r.broken["reason"], "persons": [p.pid for p, _, _ in r.people]})
            if r.evidence:
                evidence.append({**r.evidence, "file": f"{file}.csv", "row": r.number})
    syndicates = []
    for s in world.syndicates:
        syndicates.append({
            "id": s["id"], "route": s["route"], "organisers": [o.pid for o in s["organisers"]],
            "members": sorted({m.pid for m in s["members"] + s["recruiters"] + s["organisers"]}),
            "recruiters": [r.pid for r in s["recruiters"]], "cases": s["cases"],
            "lodging": {"name": s["lodging"]["name"], "address": s["lodging"]["address"],
                        "operator": s["lodging"]["operator"].pid},
            "driver": s["service"]["driver"].pid, "vehicle": s["service"]["plate"],
            "officer": s["officer"].pid, "agent": s["agent"].pid,
        })
    cases = [{k: v for k, v in c.items() if not k.startswith("_")} for c in world.cases]
    return {
        "generator": "graphnet synth", "format": 1, "seed": params.seed, "preset": params.preset,
        "parameters": params.as_json(),
        "files": {f: {"path": f"{f}.csv", "rows": rows[f], "sha256": hashes[f]} for f in FILES},
        "organisers": [o.pid for s in world.syndicates for o in s["organisers"]],
        "syndicates": syndicates,
        "cases": cases,
        "persons": persons,
        "duplicates": duplicates,
        "age_falsified": [{k: (v.number if k == "row" else v) for k, v in a.items()} for a in world.age_falsified
                          if not a["row"].broken and a["row"].number],
        "broken_rows": sorted(broken, key=lambda b: (b["file"], b["row"])),
        "evidence": sorted(evidence, key=lambda e: e["id"]),
        "removed_ties": [{**r.evidence, "file": f"{r.file}.csv", "values": r.ordered()} for r in
                         sorted(removed, key=lambda r: r.evidence["id"])],
        "background": {
            "people": params.background, "accounts": params.accounts,
            "phones": "background person i has phone graphnet.synth.ids.mobile(i); ordinary people are not listed",
            **sizes,
        },
    }
