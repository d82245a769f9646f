"""Background noise: ordinary people calling, paying and travelling, streamed row by row.

Most rows of a national scenario are ordinary life: calls and transfers among
people who have nothing to do with trafficking, and travellers on the same
buses, in the same lodgings and at the same crossings as the victims. These
rows are generated on the fly (never held in memory), so a national scenario
of millions of rows is written in a couple of minutes.

Background person ``i`` is a pure function of the seed and ``i``
(:func:`BackgroundPeople.person`). Each person dials ``contacts`` partners
``(i + d) mod N`` with distinct offsets ``1 <= d <= (N - 1) / 2`` (``N`` odd):
an unordered pair ``{i, j}`` can then only be produced from one side, so the
number of distinct caller-callee pairs is known exactly without storing them
(:func:`call_pairs`). Transfers between background accounts work the same way.

>>> people = BackgroundPeople(seed=7, size=101, start=__import__("datetime").date(2018, 1, 1))
>>> people.person(5) == people.person(5), people.person(5).phone != people.person(6).phone
(True, True)
>>> sorted(contacts(7, 0, 101, 4)) == sorted(set(contacts(7, 0, 101, 4)))
True
>>> call_pairs(size=101, contacts=4, hubs=2, hub_contacts=30)  # 99 * 4 + 2 * 30
456
>>> q = people.person(42)
>>> people.index_of(q.birth, int(q.nik[-4:]))
42
"""

from __future__ import annotations

import dataclasses
import datetime
import random
from collections.abc import Iterator

from . import geography, ids
from .contract import fmt_date
from .names import person_name, spelling_variant

__all__ = ["BackgroundPeople", "BgPerson", "contacts", "call_pairs", "transfer_pairs",
           "iter_calls", "iter_transfers", "iter_subscribers", "iter_travel"]

_BIRTH_DAYS = 17_000   # birth dates spread over ~46 years
_SERIALS = 9_999       # NIK serials 0001-9999
_SPACE = _BIRTH_DAYS * _SERIALS
_INVERSE = pow(7919, -1, _SPACE)
_REGIONS = geography.LOCAL_REGIONS + tuple(
    (v.region, v.community) for vs in geography.ORIGINS.values() for v in vs)


@dataclasses.dataclass(frozen=True)
class BgPerson:
    index: int
    name: str
    female: bool
    birth: datetime.date
    nik: str
    phone: str
    passport: str


class BackgroundPeople:
    """Deterministic ordinary people: person ``i`` depends only on (seed, i)."""

    def __init__(self, seed: int, size: int, start: datetime.date):
        self.seed, self.size = seed, size
        self.base = start - datetime.timedelta(days=365 * 65)

    def person(self, i: int) -> BgPerson:
        rng = random.Random(f"{self.seed}/bg/{i}")
        female = rng.random() < 0.5
        region, community = rng.choice(_REGIONS)
        # (birth date, serial) is an affine bijection of i: NIKs never collide
        x = (i * 7919 + 13) % _SPACE
        birth = self.base + datetime.timedelta(days=x // _SERIALS)
        return BgPerson(i, person_name(rng, community, female), female, birth,
                        ids.nik(region, birth, female, 1 + x % _SERIALS), ids.mobile(i),
                        ids.passport_no(1_000_000 + i))


    def index_of(self, birth: datetime.date, serial: int) -> int | None:
        """The background person whose NIK has this birth date and serial, if any.

        Case people draw their NIK serials at random and skip any that a
        background person of the same region already holds.
        """
        days = (birth - self.base).days
        if not 0 <= days < _BIRTH_DAYS or not 1 <= serial <= _SERIALS:
            return None
        x = days * _SERIALS + serial - 1
        i = (x - 13) * _INVERSE % _SPACE
        return i if i < self.size else None


def contacts(seed: int, i: int, size: int, k: int, stream: str = "calls") -> list[int]:
    """The ``k`` partners of background person ``i`` (distinct, never ``i``)."""
    rng = random.Random(f"{seed}/{stream}/{i}")
    half = (size - 1) // 2
    return [(i + d) % size for d in rng.sample(range(1, half + 1), min(k, half))]


def call_pairs(size: int, contacts: int, hubs: int, hub_contacts: int) -> int:
    """Exact number of distinct unordered phone pairs among background calls."""
    half = (size - 1) // 2
    return (size - hubs) * min(contacts, half) + hubs * min(hub_contacts, half)


def transfer_pairs(size: int, payees: int, hubs: int, hub_contacts: int) -> int:
    """Exact number of distinct unordered account pairs among background transfers."""
    return call_pairs(size, payees, hubs, hub_contacts)


def _written(rng: random.Random, p: BgPerson, rate: float) -> str:
    return spelling_variant(p.name, rng, female=p.female) if rng.random() < rate else p.name


def iter_calls(params, people: BackgroundPeople) -> Iterator[tuple[int, list[str]]]:
    """(background person index, call_records row) for every background call."""
    start = datetime.datetime.combine(params.start - datetime.timedelta(days=60), datetime.time())
    seconds = ((params.end - params.start).days + 61) * 86_400
    for i in range(params.background):
        k = params.hub_contacts if i < params.hubs else params.contacts
        rng = random.Random(f"{params.seed}/calls-rows/{i}")
        me = ids.mobile(i)
        for j in contacts(params.seed, i, params.background, k):
            other = ids.mobile(j)
            for _ in range(1 + (rng.random() < 0.3) + (rng.random() < 0.1)):
                a, b = (me, other) if rng.random() < 0.5 else (other, me)
                t = start + datetime.timedelta(seconds=rng.randrange(seconds))
                sms = rng.random() < 0.25
                yield i, [ids.write_phone(a, rng.choice(ids.PHONE_STYLES)),
                          ids.write_phone(b, rng.choice(ids.PHONE_STYLES)),
                          fmt_date(t, "call_records", "start"),
                          "0" if sms else str(rng.randint(5, 1200)), "sms" if sms else "voice"]


def iter_transfers(params, people: BackgroundPeople) -> Iterator[tuple[int, list[str]]]:
    """(account index, money_transfers row without tx_id) for every background transfer."""
    days = (params.end - params.start).days + 1
    for i in range(params.accounts):
        k = params.hub_contacts if i < params.hubs else params.payees
        rng = random.Random(f"{params.seed}/transfer-rows/{i}")
        me = people.person(i)
        bank, number = ids.account_no(i)
        for j in contacts(params.seed, i, params.accounts, k, stream="transfers"):
            other = people.person(j)
            obank, onumber = ids.account_no(j)
            for _ in range(1 + (rng.random() < 0.25)):
                (sn, sb, sa), (rn, rb, ra) = ((me, bank, number), (other, obank, onumber))
                if rng.random() < 0.5:
                    (sn, sb, sa), (rn, rb, ra) = (rn, rb, ra), (sn, sb, sa)
                day = params.start + datetime.timedelta(days=rng.randrange(days))
                amount = int(rng.lognormvariate(13.0, 1.0)) // 1000 * 1000 + 10_000
                yield i, ["", fmt_date(day, "money_transfers", "date"), _written(rng, sn, params.duplicate_rate),
                          sa, sb, _written(rng, rn, params.duplicate_rate), ra, rb, str(amount), "IDR"]


def iter_subscribers(params, people: BackgroundPeople) -> Iterator[tuple[int, list[str]]]:
    """(person index, phone_subscribers row) for the background people who registered their SIM."""
    for i in range(params.background):
        rng = random.Random(f"{params.seed}/sub/{i}")
        if rng.random() < params.missing_rate:
            continue
        p = people.person(i)
        registered = params.start - datetime.timedelta(days=rng.randint(1, 3000))
        yield i, [ids.write_phone(p.phone, rng.choice(ids.PHONE_STYLES)), _written(rng, p, params.duplicate_rate),
                  p.nik, ids.operator_of(p.phone), fmt_date(registered, "phone_subscribers", "registered_on")]


def iter_travel(params, people: BackgroundPeople, pools: dict) -> Iterator[tuple[datetime.date, str, list[str]]]:
    """(day, file, row) of ordinary travellers, day by day: buses, lodgings, crossings, passports.

    ``pools`` maps route -> {"lodgings", "services", "officers", "route"}: the
    same lodgings, drivers and officers the cases use (syndicates' included).
    """
    rng = random.Random(f"{params.seed}/travel")
    days = (params.end - params.start).days + 1
    per_day = params.travellers / days
    routes = list(pools)
    for d in range(days):
        day = params.start + datetime.timedelta(days=d)
        n = int(per_day) + (rng.random() < per_day - int(per_day))
        for _ in range(n):
            p = people.person(rng.randrange(params.background))
            pool = pools[rng.choice(routes)]
            route = pool["route"]
            service = rng.choice(pool["services"])
            yield day, "passenger_lists", [
                service["service"], service["plate"], service["kind"], _written(rng, service["driver"], params.duplicate_rate),
                ids.write_phone(service["driver"].phone, rng.choice(ids.PHONE_STYLES)),
                fmt_date(day, "passenger_lists", "date"), _written(rng, p, params.duplicate_rate),
                "" if rng.random() < 0.3 else ids.write_phone(p.phone, rng.choice(ids.PHONE_STYLES))]
            if rng.random() < 0.6:
                lodging = rng.choice(pool["lodgings"])
                yield day, "lodging_guests", [
                    lodging["name"], lodging["address"], _written(rng, lodging["operator"], params.duplicate_rate),
                    ids.write_phone(lodging["operator"].phone, rng.choice(ids.PHONE_STYLES)),
                    _written(rng, p, params.duplicate_rate), "" if rng.random() < 0.3 else p.nik,
                    "" if rng.random() < 0.3 else ids.write_phone(p.phone, rng.choice(ids.PHONE_STYLES)),
                    fmt_date(day, "lodging_guests", "check_in")]
            if rng.random() < 0.5:
                yield day, "border_crossings", [
                    "", fmt_date(day, "border_crossings", "date"),
                    route.official_crossing if rng.random() < 0.9 else rng.choice(route.paths),
                    rng.choice(("out", "in")), p.passport, _written(rng, p, params.duplicate_rate),
                    fmt_date(p.birth, "border_crossings", "birth_date"), "IDN"]
            if rng.random() < 0.15:
                officer = rng.choice(pool["officers"])
                yield day, "travel_documents", [
                    p.passport, "passport", "", _written(rng, p, params.duplicate_rate), p.nik,
                    fmt_date(p.birth, "travel_documents", "birth_date"), fmt_date(day, "travel_documents", "issued_on"),
                    officer.ids.get("office", route.offices[0]), _written(rng, officer, params.duplicate_rate)]
