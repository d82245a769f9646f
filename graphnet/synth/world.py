"""The scenario world: people, cases, syndicates, and the rows each agency records.

:class:`World` builds everything that belongs to a case in memory (it is small:
a few thousand people even nationally) and leaves the high-volume background
(ordinary calls, transfers, travellers) to :mod:`graphnet.synth.background`,
which streams it. Every random step draws from a :class:`random.Random` seeded
from the scenario seed and a stream name, so each part of the scenario is
reproducible on its own and removing ties (``tie_removal``) changes nothing
but the removed rows.

Rows are kept as :class:`Row` objects: the values of the contract columns plus
what the ground truth needs (which true people the row records, whether it is
organiser evidence, whether it was deliberately broken).
"""

from __future__ import annotations

import dataclasses
import datetime
import random
from collections.abc import Iterable

from . import geography, ids
from .background import BackgroundPeople
from .contract import FILES, fmt_date
from .names import person_name, spelling_variant

__all__ = ["Params", "Person", "Row", "World", "ROMAN"]

ROMAN = ("", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
_CASE_PHONE_BASE = 37_000_003  # phone/account/passport indices of case people (background stays below)
_CASE_PASSPORT_BASE = 5_000_000
_BG_PASSPORT_BASE = 1_000_000


@dataclasses.dataclass(frozen=True)
class Params:
    """All parameters of a scenario (recorded in truth.json)."""

    preset: str
    seed: int
    cases: int
    syndicates: int
    traffickers: int
    victims: int
    duplicate_rate: float
    missing_rate: float
    tie_removal: float
    broken_rows: int
    background: int      # background people with phones (odd: see background.py)
    contacts: int        # call partners each background person dials
    hubs: int            # background people with many contacts (shops, agents, village heads)
    hub_contacts: int
    accounts: int        # background bank accounts (odd)
    payees: int          # transfer partners each background account pays
    travellers: int      # background rows in each travel register
    start: datetime.date
    end: datetime.date
    routes: tuple[str, ...]

    def as_json(self) -> dict:
        d = dataclasses.asdict(self)
        d["start"], d["end"], d["routes"] = self.start.isoformat(), self.end.isoformat(), list(self.routes)
        return d


@dataclasses.dataclass(eq=False)
class Person:
    """One true person; agencies see them through their own records."""

    pid: str
    name: str
    female: bool
    birth: datetime.date
    nik: str
    origin: str
    community: str
    role: str
    phone: str | None = None        # E.164
    phone2: str | None = None       # a second line (organisers), registered to a nominee
    account: tuple[str, str] | None = None
    passport: str | None = None
    syndicate: str | None = None
    roles: set[str] = dataclasses.field(default_factory=set)
    cases: list[str] = dataclasses.field(default_factory=list)
    ids: dict[str, str] = dataclasses.field(default_factory=dict)
    records: dict[str, list[dict]] = dataclasses.field(default_factory=dict)
    doc_birth: datetime.date | None = None  # false birth date on an age-falsified document

    @property
    def index(self) -> int:
        return int(self.pid[1:]) - 1

    def age_on(self, day: datetime.date) -> int:
        return day.year - self.birth.year - ((day.month, day.day) < (self.birth.month, self.birth.day))


@dataclasses.dataclass(eq=False)
class Row:
    """One row of an agency file, with what the truth file needs to know about it."""

    file: str
    sort: tuple
    values: dict[str, str]
    people: list[tuple[Person, str, str]] = dataclasses.field(default_factory=list)  # (person, column, id)
    evidence: dict | None = None   # organiser-to-network evidence (removable tie)
    broken: dict | None = None     # planted defect: {field, reason}
    number: int = 0                # row number in the written file (header = 1)

    def ordered(self) -> list[str]:
        return [self.values.get(c, "") for c in FILES[self.file]]


def _between(rng: random.Random, a: datetime.date, b: datetime.date) -> datetime.date:
    if b <= a:
        return a
    return a + datetime.timedelta(days=rng.randrange((b - a).days + 1))


def _pick_weighted(rng: random.Random, items: dict[str, float]) -> str:
    return rng.choices(list(items), weights=list(items.values()))[0]


class World:
    """Builds the case-level part of a scenario from :class:`Params`."""

    def __init__(self, params: Params):
        self.p = params
        self.people: list[Person] = []
        self.rows: dict[str, list[Row]] = {f: [] for f in FILES}
        self.syndicates: list[dict] = []
        self.cases: list[dict] = []
        self.age_falsified: list[dict] = []
        self._niks: set[str] = set()
        self.background = BackgroundPeople(params.seed, params.background, params.start)
        self._counters: dict[str, int] = {}
        self._lodgings: dict[str, list[dict]] = {}
        self._services: dict[str, list[dict]] = {}
        self._officers: dict[str, list[Person]] = {}
        self._agents: list[Person] = []

    # -- helpers -----------------------------------------------------------------
    def rng(self, stream: str) -> random.Random:
        return random.Random(f"{self.p.seed}/{stream}")

    def _next(self, counter: str) -> int:
        self._counters[counter] = self._counters.get(counter, 0) + 1
        return self._counters[counter]

    def _nik(self, rng: random.Random, region: str, birth: datetime.date, female: bool) -> str:
        """A random serial that neither another case person nor a background person holds."""
        while True:
            serial = rng.randint(1, 9999)
            value = ids.nik(region, birth, female, serial)
            if value in self._niks:
                continue
            owner = self.background.index_of(birth, serial)
            if owner is not None and self.background.person(owner).nik == value:
                continue
            self._niks.add(value)
            return value

    def person(self, rng: random.Random, role: str, *, region: str, community: str, origin: str,
               female: bool | None = None, age: tuple[int, int] = (20, 50), surname: str | None = None,
               on: datetime.date | None = None, phone: float = 1.0, account: float = 0.0,
               name: str | None = None) -> Person:
        on = on or self.p.start
        female = rng.random() < 0.5 if female is None else female
        years = rng.randint(*age)
        birth = on - datetime.timedelta(days=365 * years + rng.randrange(365))
        k = len(self.people)
        p = Person(
            pid=f"T{k + 1:06d}",
            name=name or person_name(rng, community, female, surname=surname),
            female=female, birth=birth, nik=self._nik(rng, region, birth, female), origin=origin,
            community=community, role=role, roles={role},
        )
        if rng.random() < phone:
            p.phone = ids.mobile(_CASE_PHONE_BASE + k)
        if rng.random() < account:
            p.account = ids.account_no(_CASE_PHONE_BASE + k)
        self.people.append(p)
        return p

    def local(self, rng: random.Random, role: str, **kw) -> Person:
        region, community = rng.choice(geography.LOCAL_REGIONS)
        town = "Kota Pontianak" if region.startswith("6171") else "Kab. Sanggau" if region.startswith("6103") else "Kalimantan Barat"
        kw.setdefault("community", community)
        return self.person(rng, role, region=region, origin=f"{town}, Kalimantan Barat", **kw)

    def written(self, rng: random.Random, p: Person) -> str:
        """The person's name as one clerk writes it (spelling noise at duplicate_rate)."""
        if rng.random() < self.p.duplicate_rate:
            return spelling_variant(p.name, rng, female=p.female)
        return p.name

    def phone_text(self, rng: random.Random, e164: str | None, *, missing: float = 0.0) -> str:
        if not e164 or rng.random() < missing:
            return ""
        return ids.write_phone(e164, rng.choice(ids.PHONE_STYLES))

    def add(self, file: str, sort: tuple, values: dict[str, str], people: Iterable[tuple[Person, str, str]] = (),
            evidence: dict | None = None) -> Row:
        row = Row(file, sort, values, list(people), evidence)
        self.rows[file].append(row)
        return row

    def agency_id(self, p: Person, agency: str, fmt: str, *, fresh: bool = False) -> str:
        if fresh or agency not in p.ids:
            p.ids[agency] = fmt.format(self._next(agency))
        return p.ids[agency]

    # -- infrastructure ------------------------------------------------------------
    def _infrastructure(self, rng: random.Random) -> None:
        lodging_kinds = ("Penginapan", "Losmen", "Wisma", "Hotel", "Kos", "Mess")
        lodging_names = ("Sinar Jaya", "Perbatasan", "Borneo", "Mawar", "Melati", "Harapan", "Citra",
                         "Baru", "Bunga Raya", "Permata", "Karya", "Sentosa", "Nusa Indah", "Barokah")
        per_route = max(5, min(40, self.p.cases // 3))
        for key in self.p.routes:
            route = geography.ROUTES[key]
            seen: set[str] = set()
            lodgings = []
            while len(lodgings) < per_route:
                town, street = rng.choice(route.towns)
                name = f"{rng.choice(lodging_kinds)} {rng.choice(lodging_names)}"
                if (name, town) in seen:
                    name = f"{name} {len(lodgings) + 1}"
                seen.add((name, town))
                operator = self.local(rng, "lodging_operator", age=(30, 65))
                lodgings.append({"name": name, "address": f"{street} No. {rng.randint(1, 240)}, {town}",
                                 "operator": operator, "route": key})
            self._lodgings[key] = lodgings
            services = []
            for service, kind in route.services:
                for _ in range(rng.randint(2, 3) + per_route // 10):
                    plate = f"{route.plate} {rng.randint(1000, 9999)} {rng.choice('ABCDEFGHJKLMNPRSTUVWXYZ')}{rng.choice('ABCDEFGHJKLMNPRSTUVWXYZ')}"
                    driver = self.local(rng, "driver", female=False, age=(24, 60))
                    services.append({"service": service, "kind": kind, "plate": plate, "driver": driver})
            self._services[key] = services
            officers = []
            for office in route.offices:
                for _ in range(2 + per_route // 10):
                    officer = self.local(rng, "official", age=(28, 58))
                    officer.ids["office"] = office
                    officers.append(officer)
            self._officers[key] = officers
        for i in range(max(3, self.p.cases // 3)):
            agent = self.person(rng, "employer", region="617101", community="sarawak", origin="Sarawak, Malaysia",
                                age=(35, 60), phone=0.0)
            agent.phone = ids.malaysian_mobile(len(self.people))
            agent.account = ("Maybank", f"{(len(self.people) * 9173 + 5120000) % 10**12:012d}")
            self._agents.append(agent)

    def _syndicate(self, rng: random.Random, index: int, route_key: str) -> dict:
        route = geography.ROUTES[route_key]
        sid = f"S{index + 1}"
        organisers = []
        community = rng.choice(("chinese", "kalbar", "java"))
        for k in range(1 if rng.random() < 0.65 else 2):
            o = self.local(rng, "organiser", community=community,
                           age=(35, 62), account=1.0, female=rng.random() < 0.25)
            if rng.random() < 0.6:
                o.phone2 = ids.mobile(_CASE_PHONE_BASE + 500_000 + len(self.people))
            organisers.append(o)
        free = [x for x in self._lodgings[route_key] if "syndicate" not in x]
        lodging = rng.choice(free) if free else self._lodgings[route_key][-1]
        if not free:  # every lodging is taken: the syndicate opens one more
            town, street = rng.choice(route.towns)
            lodging = {"name": f"Kos {person_name(rng, 'kalbar', True).split()[0]} {index + 1}",
                       "address": f"{street} No. {rng.randint(1, 240)}, {town}",
                       "operator": self.local(rng, "lodging_operator", age=(30, 65)), "route": route_key}
            self._lodgings[route_key].append(lodging)
        lodging["syndicate"] = sid
        free = [x for x in self._services[route_key] if x["kind"] == "travel" and "syndicate" not in x]
        if free:
            service = rng.choice(free)
        else:
            service = {"service": f"Travel {person_name(rng, 'kalbar', False).split()[0]}", "kind": "travel",
                       "plate": f"{route.plate} {rng.randint(1000, 9999)} {rng.choice('ABCDEFGHJKLMN')}{rng.choice('PRSTUVWXYZ')}",
                       "driver": self.local(rng, "driver", female=False, age=(24, 60))}
            self._services[route_key].append(service)
        service["syndicate"] = sid
        free = [x for x in self._officers[route_key] if x.syndicate is None]
        if free:
            officer = rng.choice(free)
        else:
            officer = self.local(rng, "official", age=(28, 58))
            officer.ids["office"] = rng.choice(route.offices)
            self._officers[route_key].append(officer)
        agent = self.person(rng, "employer", region="617101", community="sarawak", origin="Sarawak, Malaysia",
                            age=(35, 60), phone=0.0)
        agent.phone = ids.malaysian_mobile(len(self.people))
        agent.account = ("Maybank", f"{(len(self.people) * 9173 + 5120000) % 10**12:012d}")
        members = [lodging["operator"], service["driver"], officer, agent]
        for m in organisers + members:
            m.syndicate = sid
        for m in members:
            if m.account is None:
                m.account = ids.account_no(_CASE_PHONE_BASE + m.index)
        return {"id": sid, "route": route_key, "organisers": organisers, "members": members,
                "lodging": lodging, "service": service, "officer": officer, "agent": agent,
                "recruiters": [], "cases": [], "offices": route.offices}

    # -- the cases -------------------------------------------------------------------
    def build(self) -> None:
        p = self.p
        rng = self.rng("world")
        self._infrastructure(rng)
        route_keys = list(p.routes)
        weights = [3.0 if k == "kalbar" else 1.0 for k in route_keys]
        case_routes = [rng.choices(route_keys, weights=weights)[0] for _ in range(p.cases)]
        days = (p.end - p.start).days
        opened = sorted(p.start + datetime.timedelta(days=rng.randrange(days + 1)) for _ in range(p.cases))
        # victims and suspects per case: the preset totals, spread at random (each case >= 1 victim)
        n_victims = [1] * p.cases
        for _ in range(p.victims - p.cases):
            n_victims[rng.randrange(p.cases)] += 1
        n_suspects = [1] * p.cases
        for i in rng.sample(range(p.cases), min(p.cases, max(0, p.traffickers - p.cases))):
            n_suspects[i] += 1
        # syndicates and the (unrelated-looking) cases behind each
        order = list(range(p.cases))
        rng.shuffle(order)
        syndicate_of: dict[int, dict] = {}
        per = max(2, min(5, (p.cases * 2 // 5) // max(1, p.syndicates)))
        for s in range(p.syndicates):
            mine = order[s * per:(s + 1) * per]
            size = rng.randint(2, per) if per > 2 else 2
            route_key = case_routes[mine[0]]
            syn = self._syndicate(rng, s, route_key)
            for c in mine[:max(2, size)]:
                case_routes[c] = route_key
                syndicate_of[c] = syn
            self.syndicates.append(syn)
        year_seq: dict[tuple[int, str], int] = {}
        former_victims: list[Person] = []
        for c in range(p.cases):
            route_key = case_routes[c]
            route = geography.ROUTES[route_key]
            d = opened[c]
            seq = year_seq[(d.year, route_key)] = year_seq.get((d.year, route_key), 0) + rng.randint(1, 9)
            case_no = f"LP/B/{seq}/{ROMAN[d.month]}/{d.year}/{route.police}"
            self._case(rng, c, case_no, d, route_key, n_victims[c], n_suspects[c], syndicate_of.get(c), former_victims)
        for syn in self.syndicates:
            self._organiser_evidence(self.rng(f"evidence/{syn['id']}"), syn)

    def _case(self, rng: random.Random, index: int, case_no: str, opened: datetime.date, route_key: str,
              n_victims: int, n_suspects: int, syn: dict | None, former_victims: list[Person]) -> None:
        p = self.p
        route = geography.ROUTES[route_key]
        province = _pick_weighted(rng, {o: (3.0 if o == "NTT" else 2.5 if o == "Jawa Barat" else 1.0) for o in route.origins})
        village = rng.choice(geography.ORIGINS[province])
        # the lead recruiter: usually from the victims' village; sometimes a former victim
        recruited_back = [v for v in former_victims if v.age_on(opened) >= 19 and v.role == "victim"
                          and v.cases and v.syndicate is None]
        if recruited_back and rng.random() < 0.15:
            lead = rng.choice(recruited_back)
            lead.roles.add("recruiter")
            village = next((v for vs in geography.ORIGINS.values() for v in vs if v.origin == lead.origin), village)
        else:
            lead = self.person(rng, "recruiter", region=village.region, community=village.community,
                               origin=village.origin, age=(25, 55), on=opened, account=0.8,
                               female=rng.random() < 0.45)
        surname = lead.name.split()[-1] if len(lead.name.split()) > 1 else None
        suspects = [lead]
        if n_suspects > 1:
            if syn and rng.random() < 0.3 and "suspect" not in syn["service"]["driver"].roles:
                suspects.append(syn["service"]["driver"])  # the shared driver, caught once
            else:
                suspects.append(self.person(rng, "recruiter", region=village.region, community=village.community,
                                            origin=village.origin, age=(22, 55), on=opened, surname=surname,
                                            account=0.5, female=not lead.female))
        for s in suspects:
            s.roles.add("suspect")
            if s.role in {"victim"}:
                s.roles.add("recruiter")
        minor_rate = 0.25 if syn else 0.08
        victims: list[tuple[Person, str]] = []
        for _ in range(n_victims):
            relation = _pick_weighted(rng, {"family": 0.42, "friend": 0.25, "neighbour": 0.13, "none": 0.20})
            minor = rng.random() < minor_rate
            v_village = village if relation != "none" or rng.random() < 0.5 else rng.choice(geography.ORIGINS[province])
            v = self.person(rng, "victim", region=v_village.region, community=v_village.community,
                            origin=v_village.origin, age=(15, 17) if minor else (18, 38), on=opened,
                            surname=surname if relation == "family" and rng.random() < 0.7 else None,
                            female=rng.random() < 0.72, phone=0.75, account=0.25)
            victims.append((v, relation))
        everyone = suspects + [v for v, _ in victims]
        for person in everyone:
            person.cases.append(case_no)
        # infrastructure for this case
        lodging = syn["lodging"] if syn and rng.random() < 0.9 else rng.choice(self._lodgings[route_key])
        service = syn["service"] if syn and rng.random() < 0.9 else rng.choice(self._services[route_key])
        officer = syn["officer"] if syn and rng.random() < 0.85 else rng.choice(self._officers[route_key])
        agent = syn["agent"] if syn else rng.choice(self._agents)
        official_crossing = rng.random() < 0.6
        point = route.official_crossing if official_crossing else rng.choice(route.paths)
        recruit_day = opened - datetime.timedelta(days=rng.randint(35, 80))
        travel_day = opened - datetime.timedelta(days=rng.randint(6, 25))
        travel_day = max(travel_day, recruit_day + datetime.timedelta(days=8))
        accompanies = rng.random() < 0.4
        case = {"case_no": case_no, "opened_on": opened.isoformat(), "route": route_key,
                "syndicate": syn["id"] if syn else None, "suspects": [s.pid for s in suspects],
                "victims": [v.pid for v, _ in victims], "lodging": lodging["name"],
                "driver": service["driver"].pid, "officer": officer.pid, "crossing": point}
        self.cases.append(case)
        if syn:
            syn["cases"].append(case_no)
            for s in suspects:
                if s not in syn["members"] and s not in syn["recruiters"]:
                    s.syndicate = s.syndicate or syn["id"]
                    syn["recruiters"].append(s)
        minors = any(v.age_on(opened) < 18 for v, _ in victims)
        charge = ("Pasal 6 UU 21/2007 (TPPO anak)" if minors else
                  rng.choice(("Pasal 4 UU 21/2007 (TPPO)", "Pasal 2 UU 21/2007 (TPPO)",
                              "Pasal 81 UU 18/2017 (penempatan PMI non-prosedural)")))
        srt = (opened, index)
        # -- police case register
        witnesses: list[Person] = []
        if rng.random() < 0.3:
            witnesses.append(lodging["operator"])
        if rng.random() < 0.3:
            v0 = victims[0][0]
            parent = self.person(rng, "witness", region=v0.nik[:6], community=v0.community, origin=v0.origin,
                                 age=(40, 65), on=opened, surname=v0.name.split()[-1] if len(v0.name.split()) > 1 else None,
                                 phone=0.6)
            witnesses.append(parent)
        for role, group in (("suspect", suspects), ("victim", [v for v, _ in victims]), ("witness", witnesses)):
            for person in group:
                fresh = role == "suspect" and "victim" in person.roles  # a new police id for the former victim
                pid = self.agency_id(person, "police", "POL-{:06d}", fresh=fresh)
                missing = 0.0 if role == "suspect" else p.missing_rate
                self.add("police_cases", srt + (len(self.rows["police_cases"]),), {
                    "case_no": case_no, "province": route.province, "opened_on": fmt_date(opened, "police_cases", "opened_on"),
                    "charge": charge, "person_id": pid, "name": self.written(rng, person),
                    "nik": "" if rng.random() < missing else person.nik,
                    "birth_date": "" if rng.random() < missing / 2 else fmt_date(person.birth, "police_cases", "birth_date"),
                    "role": role, "phone": self.phone_text(rng, person.phone, missing=missing),
                    "origin": person.origin,
                }, [(person, "name", pid)])
        # -- victim and witness statements
        for person, relation in victims + [(w, "none") for w in witnesses]:
            if rng.random() < p.missing_rate:
                continue
            is_victim = person.role == "victim"
            recruiter = suspects[0] if len(suspects) == 1 or rng.random() < 0.7 else suspects[1]
            sid = self.agency_id(person, "statements", "SAK-{:06d}")
            rid = self.agency_id(recruiter, "statements", "SAK-{:06d}") if is_victim else ""
            refs = [(person, "name", sid)] + ([(recruiter, "recruiter_name", rid)] if is_victim else [])
            self.add("victim_statements", srt + (len(self.rows["victim_statements"]),), {
                "case_no": case_no, "statement_id": f"BAP-{self._next('bap'):06d}", "person_id": sid,
                "name": self.written(rng, person), "nik": "" if rng.random() < p.missing_rate else person.nik,
                "birth_date": fmt_date(person.birth, "victim_statements", "birth_date"),
                "role": "victim" if is_victim else "witness",
                "recruiter_id": rid, "recruiter_name": self.written(rng, recruiter) if is_victim else "",
                "relation": relation if is_victim else "none",
            }, refs)
        # -- court verdicts (the convicts: local, peripheral)
        court = rng.choice(route.courts)
        verdict_day = opened + datetime.timedelta(days=rng.randint(90, 240))
        for s in suspects:
            if rng.random() < p.missing_rate:
                continue
            convicted = rng.random() < 0.9
            did = self.agency_id(s, "court", "TDW-{:05d}", fresh=True)
            if convicted:
                s.roles.add("convict")
            years, months = rng.randint(3, 9), rng.choice((0, 0, 3, 6))
            self.add("court_verdicts", (verdict_day, index, len(self.rows["court_verdicts"])), {
                "case_no": case_no, "court": court, "verdict_date": fmt_date(verdict_day, "court_verdicts", "verdict_date"),
                "defendant_id": did, "name": self.written(rng, s), "nik": s.nik,
                "birth_date": fmt_date(s.birth, "court_verdicts", "birth_date"),
                "verdict": "convicted" if convicted else "acquitted",
                "sentence": (f"{years} tahun" + (f" {months} bulan" if months else "")) if convicted else "",
            }, [(s, "name", did)])
        # -- travel documents (age fraud happens here) and border crossings
        travellers = [v for v, _ in victims] + ([lead] if accompanies else [])
        for person in travellers:
            has_passport = official_crossing or rng.random() < 0.4
            if not has_passport:
                continue
            if person.passport is None:
                person.passport = ids.passport_no(_CASE_PASSPORT_BASE + person.index)
                issued = _between(rng, recruit_day, travel_day - datetime.timedelta(days=3))
                doc_birth = person.birth
                if person.role == "victim" and person.age_on(issued) < 18:
                    doc_birth = person.birth - datetime.timedelta(days=365 * rng.randint(3, 5) + rng.randrange(200))
                    person.doc_birth = doc_birth
                by = officer if rng.random() < 0.9 else rng.choice(self._officers[route_key])
                office = by.ids.get("office", route.offices[0])
                if rng.random() >= p.missing_rate:
                    holder = self.written(rng, person)
                    row = self.add("travel_documents", (issued, index, len(self.rows["travel_documents"])), {
                        "doc_no": person.passport, "kind": "passport", "visa_type": "", "holder_name": holder,
                        "holder_nik": person.nik, "birth_date": fmt_date(doc_birth, "travel_documents", "birth_date"),
                        "issued_on": fmt_date(issued, "travel_documents", "issued_on"), "issuing_office": office,
                        "officer_name": self.written(rng, by),
                    }, [(person, "holder_name", person.passport), (by, "officer_name", "")])
                    if person.doc_birth:
                        self.age_falsified.append({
                            "doc_no": person.passport, "kind": "passport", "person": person.pid,
                            "true_birth_date": person.birth.isoformat(), "document_birth_date": doc_birth.isoformat(),
                            "file": "travel_documents", "officer": by.pid, "row": row,
                        })
                    if rng.random() < 0.3:
                        visa = f"V{self._next('visa'):08d}"
                        vtype = _pick_weighted(rng, {"tourist": 0.6, "religious": 0.2, "umrah": 0.1, "work": 0.1})
                        vrow = self.add("travel_documents", (issued, index, len(self.rows["travel_documents"])), {
                            "doc_no": visa, "kind": "visa", "visa_type": vtype, "holder_name": holder,
                            "holder_nik": person.nik, "birth_date": fmt_date(doc_birth, "travel_documents", "birth_date"),
                            "issued_on": fmt_date(issued, "travel_documents", "issued_on"), "issuing_office": office,
                            "officer_name": self.written(rng, by),
                        }, [(person, "holder_name", visa), (by, "officer_name", "")])
                        if person.doc_birth:
                            self.age_falsified.append({
                                "doc_no": visa, "kind": "visa", "person": person.pid,
                                "true_birth_date": person.birth.isoformat(), "document_birth_date": doc_birth.isoformat(),
                                "file": "travel_documents", "officer": by.pid, "row": vrow,
                            })
            if rng.random() < p.missing_rate:
                continue
            crossed = travel_day + datetime.timedelta(days=1)
            xid = ""  # numbered when written, in file order
            self.add("border_crossings", (crossed, index, len(self.rows["border_crossings"])), {
                "crossing_id": xid, "date": fmt_date(crossed, "border_crossings", "date"), "point": point,
                "direction": "out", "passport_no": person.passport, "name": self.written(rng, person),
                "birth_date": fmt_date(person.doc_birth or person.birth, "border_crossings", "birth_date"),
                "nationality": "IDN",
            }, [(person, "name", xid)])
        # -- lodging near the border and the public transport there
        for person in travellers:
            if rng.random() >= p.missing_rate:
                self.add("lodging_guests", (travel_day, index, len(self.rows["lodging_guests"])), {
                    "lodging_name": lodging["name"], "lodging_address": lodging["address"],
                    "operator_name": self.written(rng, lodging["operator"]),
                    "operator_phone": self.phone_text(rng, lodging["operator"].phone),
                    "guest_name": self.written(rng, person),
                    "guest_nik": "" if rng.random() < 0.25 else person.nik,
                    "guest_phone": self.phone_text(rng, person.phone, missing=0.2),
                    "check_in": fmt_date(travel_day, "lodging_guests", "check_in"),
                }, [(person, "guest_name", ""), (lodging["operator"], "operator_name", "")])
            if rng.random() >= p.missing_rate:
                self.add("passenger_lists", (travel_day, index, len(self.rows["passenger_lists"])), {
                    "service": service["service"], "plate": service["plate"], "kind": service["kind"],
                    "driver_name": self.written(rng, service["driver"]),
                    "driver_phone": self.phone_text(rng, service["driver"].phone),
                    "date": fmt_date(travel_day - datetime.timedelta(days=1), "passenger_lists", "date"),
                    "passenger_name": self.written(rng, person),
                    "passenger_phone": self.phone_text(rng, person.phone, missing=0.2),
                }, [(person, "passenger_name", ""), (service["driver"], "driver_name", "")])
        # -- rescue / deportation: shelters (victims rarely name a relative who recruited them)
        destination = rng.choice(route.destinations)
        for v, relation in victims:
            if rng.random() < 0.3 or rng.random() < p.missing_rate:
                continue
            day = opened - datetime.timedelta(days=rng.randint(0, 5))
            iid = self.agency_id(v, "shelter", "SHL-{:05d}")
            names_recruiter = not (relation == "family" and rng.random() < 0.5)
            refs = [(v, "name", iid)]
            self.add("shelter_intake", (day, index, len(self.rows["shelter_intake"])), {
                "intake_id": iid, "date": fmt_date(day, "shelter_intake", "date"), "name": self.written(rng, v),
                "birth_date": fmt_date(v.birth, "shelter_intake", "birth_date"),
                "origin": v.origin.split(", ", 2)[-1] if rng.random() < 0.5 else v.origin,
                "nik": "" if rng.random() < 0.3 else v.nik, "case_no": case_no if rng.random() < 0.8 else "",
                "recruiter_name": self.written(rng, lead) if names_recruiter else "", "deported_from": destination,
            }, refs)
            if v.passport and rng.random() < 0.5 and rng.random() >= p.missing_rate:
                back = day - datetime.timedelta(days=1)
                xid = ""  # numbered when written, in file order
                self.add("border_crossings", (back, index, len(self.rows["border_crossings"])), {
                    "crossing_id": xid, "date": fmt_date(back, "border_crossings", "date"),
                    "point": route.official_crossing, "direction": "in", "passport_no": v.passport,
                    "name": self.written(rng, v), "birth_date": fmt_date(v.doc_birth or v.birth, "border_crossings", "birth_date"),
                    "nationality": "IDN",
                }, [(v, "name", xid)])
        # -- calls and money of the case itself
        def calls(a: Person, b: Person, n: int, lo: datetime.date, hi: datetime.date, evidence: dict | None = None) -> None:
            for _ in range(n):
                self._call(rng, a, b, _between(rng, lo, hi), index, evidence)
        for v, _ in victims:
            if v.phone and lead.phone:
                calls(lead, v, rng.randint(2, 6), recruit_day, travel_day)
        for s in suspects[1:]:
            if s.phone and lead.phone:
                calls(lead, s, rng.randint(3, 8), recruit_day, travel_day)
        if lead.phone:
            calls(lead, service["driver"], rng.randint(1, 3), travel_day - datetime.timedelta(days=7), travel_day)
            calls(lead, lodging["operator"], rng.randint(0, 2), travel_day - datetime.timedelta(days=7), travel_day)
            if not syn:
                calls(lead, agent, rng.randint(2, 5), recruit_day - datetime.timedelta(days=20), travel_day)
        if not syn and lead.account:
            for _ in range(rng.randint(1, 2)):
                self._transfer(rng, agent, lead, _between(rng, recruit_day, travel_day + datetime.timedelta(days=10)),
                               index, currency="MYR", amount=rng.randint(8, 40) * 100)
        if lead.account:
            for v, _ in victims:
                if v.account and rng.random() < 0.6:
                    self._transfer(rng, lead, v, _between(rng, recruit_day, travel_day), index,
                                   amount=rng.randint(2, 10) * 100_000)
        for person in everyone:
            if person not in former_victims and person.role == "victim":
                former_victims.append(person)
        case["people"] = [x.pid for x in everyone + witnesses]
        case["_dates"] = (recruit_day, travel_day, opened)

    def _call(self, rng: random.Random, a: Person, b: Person, day: datetime.date, index: int,
              evidence: dict | None = None, *, a_phone: str | None = None) -> Row | None:
        pa, pb = a_phone or a.phone, b.phone
        if not pa or not pb:
            return None
        if rng.random() < 0.5:
            (a, pa), (b, pb) = (b, pb), (a, pa)
        start = datetime.datetime.combine(day, datetime.time(rng.randint(6, 23), rng.randrange(60), rng.randrange(60)))
        kind = "sms" if rng.random() < 0.25 else "voice"
        return self.add("call_records", (start, index, len(self.rows["call_records"])), {
            "caller": ids.write_phone(pa, rng.choice(ids.PHONE_STYLES)),
            "callee": ids.write_phone(pb, rng.choice(ids.PHONE_STYLES)),
            "start": fmt_date(start, "call_records", "start"),
            "duration_s": "0" if kind == "sms" else str(rng.randint(8, 900)), "kind": kind,
        }, evidence=evidence)

    def _transfer(self, rng: random.Random, a: Person, b: Person, day: datetime.date, index: int, *,
                  amount: int, currency: str = "IDR", evidence: dict | None = None) -> Row | None:
        if not a.account or not b.account:
            return None
        return self.add("money_transfers", (day, index, len(self.rows["money_transfers"])), {
            "tx_id": "", "date": fmt_date(day, "money_transfers", "date"),
            "sender_name": self.written(rng, a), "sender_account": a.account[1], "sender_bank": a.account[0],
            "receiver_name": self.written(rng, b), "receiver_account": b.account[1], "receiver_bank": b.account[0],
            "amount": str(amount), "currency": currency,
        }, [(a, "sender_name", f"{a.account[0]}:{a.account[1]}"), (b, "receiver_name", f"{b.account[0]}:{b.account[1]}")], evidence=evidence)

    def _organiser_evidence(self, rng: random.Random, syn: dict) -> None:
        """The traces organisers leave: calls, payments, a stay at the syndicate's lodging."""
        dates = {c["case_no"]: c["_dates"] for c in self.cases if c["syndicate"] == syn["id"]}
        first = min(d[0] for d in dates.values()) - datetime.timedelta(days=30)
        last = max(d[2] for d in dates.values())
        n = 0

        def ev(kind: str, o: Person, other: Person) -> dict:
            nonlocal n
            n += 1
            return {"id": f"{syn['id']}-E{n:04d}", "syndicate": syn["id"], "kind": kind,
                    "organiser": o.pid, "other": other.pid}

        orgs = syn["organisers"]
        for o in orgs:
            lines = [o.phone] + ([o.phone2] if o.phone2 else [])
            for r in syn["recruiters"]:
                case_dates = [dates[c] for c in r.cases if c in dates] or [(first, last, last)]
                lo, hi, _ = case_dates[0]
                for _ in range(rng.randint(3, 8)):
                    self._call(rng, o, r, _between(rng, lo - datetime.timedelta(days=20), hi), 0,
                               ev("call", o, r), a_phone=rng.choice(lines))
                if r.account:
                    for _ in range(rng.randint(1, 2)):
                        self._transfer(rng, o, r, _between(rng, hi, hi + datetime.timedelta(days=12)), 0,
                                       amount=rng.randint(15, 30) * 100_000 * max(1, len(dates)), evidence=ev("payment", o, r))
            for m in syn["members"]:
                k = rng.randint(4, 10)
                for _ in range(k):
                    self._call(rng, o, m, _between(rng, first, last), 0, ev("call", o, m), a_phone=rng.choice(lines))
                for _ in range(rng.randint(1, 3)):
                    if m is syn["agent"]:
                        self._transfer(rng, m, o, _between(rng, first, last), 0, currency="MYR",
                                       amount=rng.randint(20, 80) * 100, evidence=ev("payment", o, m))
                    else:
                        self._transfer(rng, o, m, _between(rng, first, last), 0,
                                       amount=rng.randint(10, 50) * 100_000, evidence=ev("payment", o, m))
            if rng.random() < 0.5:
                lodging = syn["lodging"]
                day = _between(rng, first, last)
                self.add("lodging_guests", (day, 0, len(self.rows["lodging_guests"])), {
                    "lodging_name": lodging["name"], "lodging_address": lodging["address"],
                    "operator_name": self.written(rng, lodging["operator"]),
                    "operator_phone": self.phone_text(rng, lodging["operator"].phone),
                    "guest_name": self.written(rng, o), "guest_nik": "" if rng.random() < 0.5 else o.nik,
                    "guest_phone": self.phone_text(rng, o.phone, missing=0.3),
                    "check_in": fmt_date(day, "lodging_guests", "check_in"),
                }, [(o, "guest_name", ""), (lodging["operator"], "operator_name", "")],
                    evidence=ev("stay", o, lodging["operator"]))
        if len(orgs) == 2:
            for _ in range(rng.randint(5, 12)):
                self._call(rng, orgs[0], orgs[1], _between(rng, first, last), 0, ev("call", orgs[0], orgs[1]))

    # -- people registered as phone subscribers --------------------------------------
    def subscribers(self) -> None:
        rng = self.rng("subscribers")
        nominees: list[Person] = []
        for person in self.people:
            for line, own in ((person.phone, True), (person.phone2, False)):
                if not line or line.startswith("+60") or rng.random() < self.p.missing_rate:
                    continue
                holder = person
                if not own:  # an organiser's second line: registered to someone else
                    holder = self.local(rng, "nominee", age=(20, 60), phone=0.0)
                    nominees.append(holder)
                registered = self.p.start - datetime.timedelta(days=rng.randint(30, 3000))
                self.add("phone_subscribers", (registered, 0, len(self.rows["phone_subscribers"])), {
                    "msisdn": ids.write_phone(line, rng.choice(ids.PHONE_STYLES)),
                    "subscriber_name": self.written(rng, holder), "nik": holder.nik,
                    "operator": ids.operator_of(line),
                    "registered_on": fmt_date(registered, "phone_subscribers", "registered_on"),
                }, [(holder, "subscriber_name", line)])



def social_calls(world: World, background: int) -> None:
    """Everyone in a case also calls and pays ordinary people (family, shops, friends).

    Organisers especially: they are businesspeople with many ordinary contacts,
    so their degree alone does not give them away.
    """
    rng = world.rng("social")
    p = world.p
    for person in list(world.people):
        if not person.phone or person.phone.startswith("+60"):
            continue
        n = rng.randint(6, 14) if person.role == "organiser" else rng.randint(1, 4)
        for _ in range(n):
            j = rng.randrange(background)
            other = ids.mobile(j)
            for _ in range(rng.randint(1, 3)):
                day = _between(rng, p.start - datetime.timedelta(days=60), p.end)
                start = datetime.datetime.combine(day, datetime.time(rng.randint(6, 23), rng.randrange(60), rng.randrange(60)))
                a, b = (person.phone, other) if rng.random() < 0.5 else (other, person.phone)
                kind = "sms" if rng.random() < 0.25 else "voice"
                world.add("call_records", (start, 0, len(world.rows["call_records"])), {
                    "caller": ids.write_phone(a, rng.choice(ids.PHONE_STYLES)),
                    "callee": ids.write_phone(b, rng.choice(ids.PHONE_STYLES)),
                    "start": fmt_date(start, "call_records", "start"),
                    "duration_s": "0" if kind == "sms" else str(rng.randint(8, 900)), "kind": kind,
                })
