"""Evidence that two person records are one person: identifiers, names, birth dates.

Pure functions over :class:`Record` (what :func:`graphnet.resolution.resolve`
reads from the graph), so each rule is testable without a database.

>>> a = Record("police:P1", "Hj. Siti Aminah", birth_date="2001-04-07")
>>> b = Record("shelter:S4", "St. Aminah", birth_date="2001-04-07")
>>> pair_score(a, b)
(1.0, 'name+birth_date score=1.00 (name 1.00, birth date equal)')
>>> pair_score(a, Record("court:C2", "Siti Aminah", birth_date="2001-07-04"))[0]
0.85
>>> pair_score(a, Record("telco:T9", "Siti Aminah"))  # no date, nothing in common: not even proposed
(0.0, 'name+birth_date score=0.00 (no birth date on one side, nothing shared)')
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping

import phonenumbers

from .names import COMMON_WORDS, key_score, match_key, spelling_key

__all__ = [
    "Record",
    "record_from_row",
    "normalise_nik",
    "nik_birth",
    "normalise_passport",
    "normalise_phone",
    "date_similarity",
    "pair_score",
    "max_pair_score",
    "date_factor",
    "identifier_groups",
    "phone_people",
    "blocking_pairs",
    "STRONG_RULES",
    "PHONE_NAME_MIN",
    "RARE_CONTEXT",
    "context_sizes",
]

#: Identifier kinds that merge records by themselves, strongest first.
STRONG_RULES = ("nik", "passport", "account")
#: Two records on one phone are one person only if their names agree at least this much.
PHONE_NAME_MIN = 0.85
#: A tie (``OPERATES lodging:...``, ``INVOLVED_IN case:...``) shared by at most this many records is
#: specific enough to make a full name without a birth date certain; busier ones (a bus, a
#: hotel's guest list) only support a proposal.
RARE_CONTEXT = 20
# Phones, accounts and documents are identifiers with rules of their own (a phone shared by many
# people must not become "rare context"): as a tie they only support a proposal.
_IDENTIFIER_TIES = ("USES ", "HOLDS ")


def normalise_nik(value: object) -> str | None:
    """The 16 digits of an Indonesian NIK, or None when it is not one.

    >>> normalise_nik("3171 0141 0199 0001"), normalise_nik("12345")
    ('3171014101990001', None)
    """
    if value is None:
        return None
    digits = re.sub(r"\D", "", str(value))
    return digits if len(digits) == 16 and digits != "0" * 16 else None


def nik_birth(nik: str | None) -> tuple[str, str, str] | None:
    """The birth date a NIK encodes as ``(yy, mm, dd)`` (digits 7-12, DDMMYY; women: day + 40).

    >>> nik_birth("6171014101080001"), nik_birth("6103120405652776"), nik_birth("6171019901080001")
    (('08', '01', '01'), ('65', '05', '04'), None)
    """
    if not nik or len(nik) != 16 or not nik.isdigit():
        return None
    day, month, yy = int(nik[6:8]), int(nik[8:10]), nik[10:12]
    if day > 40:
        day -= 40
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return None
    return yy, f"{month:02d}", f"{day:02d}"


def normalise_passport(value: object) -> str | None:
    """A passport number in upper case without spaces or dashes.

    >>> normalise_passport(" b 123-4567 ")
    'B1234567'
    """
    if value is None:
        return None
    out = re.sub(r"[\s\-./]", "", str(value)).upper()
    return out if len(out) >= 5 else None


def normalise_phone(value: object) -> str | None:
    """A phone number in E.164 (Indonesian local forms understood), or None.

    >>> normalise_phone("0812-3456-7890"), normalise_phone("+62 812 3456 7890"), normalise_phone("phone:+6281234567890")
    ('+6281234567890', '+6281234567890', '+6281234567890')
    >>> normalise_phone("12") is None
    True
    """
    if value is None:
        return None
    text = str(value).strip()
    if text.startswith("phone:"):
        text = text[len("phone:") :]
    if not text:
        return None
    try:
        num = phonenumbers.parse(text, "ID")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(num):
        return None
    return phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164)


def _iso(value: object) -> str | None:
    if value is None:
        return None
    text = str(value)[:10]
    return text if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else None


@dataclasses.dataclass
class Record:
    """One person record as resolution sees it."""

    uid: str
    name: str | None = None
    nik: str | None = None
    passports: frozenset[str] = frozenset()
    phones: frozenset[str] = frozenset()
    accounts: frozenset[str] = frozenset()
    birth_date: str | None = None
    documents: tuple[dict, ...] = ()
    src: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
    context: frozenset[str] = frozenset()
    key: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        self.key = match_key(self.name)
        self.birth_date = _iso(self.birth_date)

    def identifiers(self, kind: str) -> frozenset[str]:
        if kind == "nik":
            return frozenset({self.nik}) if self.nik else frozenset()
        return {"passport": self.passports, "phone": self.phones, "account": self.accounts}[kind]


def record_from_row(row: dict) -> Record:
    """A :class:`Record` from a row of ``cypher/resolution_records.cypher``."""
    docs = tuple(d for d in row.get("documents") or [] if d)
    passports = {normalise_passport(row.get("passport"))}
    for d in docs:
        if (d.get("kind") or "").lower() == "passport":
            number = d.get("number") or (d.get("uid") or "").rsplit(":", 1)[-1]
            passports.add(normalise_passport(number))
    phones = {normalise_phone(row.get("phone"))} | {normalise_phone(p) for p in row.get("phones") or []}
    return Record(
        uid=row["uid"],
        name=row.get("name"),
        nik=normalise_nik(row.get("nik")),
        passports=frozenset(p for p in passports if p),
        phones=frozenset(p for p in phones if p),
        accounts=frozenset(a for a in row.get("accounts") or [] if a),
        birth_date=row.get("birth_date"),
        documents=tuple(
            {**d, "birth_date": _iso(d.get("birth_date")), "src": list(d.get("src") or [])} for d in docs
        ),
        src=tuple(row.get("src") or ()),
        flags=tuple(row.get("flags") or ()),
        context=frozenset(c for c in row.get("context") or [] if c),
    )


def date_similarity(a: str | None, b: str | None) -> float | None:
    """1.0 equal, 0.5 a likely clerical slip (day and month swapped, or one digit), 0.0 different, None unknown.

    >>> date_similarity("2001-04-07", "2001-04-07"), date_similarity("2001-04-07", "2001-07-04")
    (1.0, 0.5)
    >>> date_similarity("2001-04-07", "2001-04-08"), date_similarity("2001-04-07", "1998-01-20")
    (0.5, 0.0)
    >>> date_similarity(None, "2001-04-07") is None
    True
    """
    if not a or not b:
        return None
    if a == b:
        return 1.0
    ya, ma, da = a.split("-")
    yb, mb, db = b.split("-")
    if ya == yb and ma == db and da == mb:
        return 0.5
    if sum(x != y for x, y in zip(a, b)) == 1:
        return 0.5
    return 0.0


def date_factor(
    a: Record, b: Record, context_size: Mapping[str, int] | None = None
) -> tuple[float, float, str]:
    """``(factor, offset, why)`` of the birth dates (and shared ties): a pair scores ``offset + factor * name``."""
    ds = date_similarity(a.birth_date, b.birth_date)
    if ds == 1.0:
        return 0.8, 0.2, "birth date equal"
    if ds == 0.5:
        return 0.85, 0.0, f"birth dates close: {a.birth_date} / {b.birth_date}"
    if ds is None:
        shared = sorted(a.context & b.context)
        if not shared:
            return 0.0, 0.0, "no birth date on one side, nothing shared"
        sizes = context_size or {}
        rare = [
            c for c in shared
            if sizes.get(c, RARE_CONTEXT + 1) <= RARE_CONTEXT and not c.startswith(_IDENTIFIER_TIES)
        ]
        if rare and len(a.key) > 1 and len(b.key) > 1:
            more = f" +{len(rare) - 1}" if len(rare) > 1 else ""
            return 0.93, 0.0, f"no birth date on one side; both {rare[0]}{more} ({sizes[rare[0]]} records tied)"
        more = f" +{len(shared) - 1}" if len(shared) > 1 else ""
        return 0.85, 0.0, f"no birth date on one side; both {shared[0]}{more}"
    return 0.5, 0.0, f"birth dates differ: {a.birth_date} / {b.birth_date}"


def pair_score(a: Record, b: Record, context_size: Mapping[str, int] | None = None) -> tuple[float, str]:
    """Score in [0, 1] that two records are one person from name and birth date, and why.

    Equal birth dates: ``0.2 + 0.8 * name``; a likely slip in the date:
    ``0.85 * name`` (never certain without a date that agrees); no date on
    one side: ``0.85 * name`` when both records have the same tie to the
    same case, lodging, vehicle, phone, account, document or organisation
    (``0.93 * name`` for full names when at most :data:`RARE_CONTEXT` records
    share that tie, per ``context_size``), else 0 (a name alone is too common
    to propose); different dates: ``0.5 * name``.
    """
    factor, offset, why = date_factor(a, b, context_size)
    if factor == 0.0:
        return 0.0, f"name+birth_date score=0.00 ({why})"
    ns = key_score(a.key, b.key)
    score = round(offset + factor * ns, 4)
    return score, f"name+birth_date score={score:.2f} (name {ns:.2f}, {why})"


def max_pair_score(a: Record, b: Record, context_size: Mapping[str, int] | None = None) -> float:
    """The best :func:`pair_score` the birth dates and context allow (a cheap bound before comparing names)."""
    factor, offset, _ = date_factor(a, b, context_size)
    return offset + factor


def identifier_groups(records: Iterable[Record], kind: str) -> dict[str, list[str]]:
    """Identifier value -> sorted uids of the records that carry it (values carried by two or more)."""
    groups: dict[str, set[str]] = defaultdict(set)
    for r in records:
        for value in r.identifiers(kind):
            groups[value].add(r.uid)
    return {v: sorted(u) for v, u in sorted(groups.items()) if len(u) > 1}


def phone_people(
    records: list[Record],
    same: dict[str, str] | None = None,
    differ: Callable[[Record, Record], bool] | None = None,
) -> list[list[Record]]:
    """The records on one phone grouped into people: names agreeing >= :data:`PHONE_NAME_MIN`.

    ``same`` maps a record uid to its applied cluster: records already merged
    count as one person whatever their spelling. ``differ(a, b)`` says two
    records are known to be different people (e.g. different NIKs), whatever
    their names.
    """
    same = same or {}
    parent = list(range(len(records)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(records)):
        for j in range(i + 1, len(records)):
            a, b = records[i], records[j]
            joined = same.get(a.uid, a.uid) == same.get(b.uid, b.uid)
            if not joined and differ is not None and differ(a, b):
                continue
            if joined or key_score(a.key, b.key) >= PHONE_NAME_MIN:
                parent[find(i)] = find(j)
    groups: dict[int, list[Record]] = defaultdict(list)
    for i, r in enumerate(records):
        groups[find(i)].append(r)
    return sorted((sorted(g, key=lambda r: r.uid) for g in groups.values()), key=lambda g: g[0].uid)


def context_sizes(records: Iterable[Record]) -> dict[str, int]:
    """How many records share each tie (``OPERATES lodging:...``): the rarer, the more telling."""
    sizes: dict[str, int] = defaultdict(int)
    for r in records:
        for c in r.context:
            sizes[c] += 1
    return dict(sizes)


_COMMON_KEYS = frozenset(spelling_key(w) for w in COMMON_WORDS)


def _block_keys(r: Record) -> set[str]:
    """Blocks a record is compared within; together they hold every pair :func:`pair_score` can score.

    A pair scores only with equal or close birth dates, or (without a date)
    with a shared tie, so the blocks are: the birth date; a name word's first
    four folded letters with the birth year; and a name word's first four
    letters with each tie (``USES phone:...``, ``INVOLVED_IN case:...``).
    """
    words = {w[:4] for w in r.key if w not in _COMMON_KEYS and len(w) >= 3}
    if not words and r.key:  # only common words ("Siti", "Muhammad"): the whole folded name
        words = {" ".join(sorted(r.key))}
    keys = set()
    if r.birth_date:
        keys.add(f"d:{r.birth_date}")
        keys |= {f"y:{r.birth_date[:4]}:{w}" for w in words}
    keys |= {f"c:{c}:{w}" for c in r.context for w in words}
    return keys


def blocking_pairs(records: Iterable[Record]) -> Iterator[tuple[Record, Record]]:
    """Candidate pairs (a.uid < b.uid) that share a block (see :func:`_block_keys`), each once.

    Pairs outside every block cannot score above 0.5 (different birth dates)
    or score 0 (a name alone), so the blocks lose nothing a threshold keeps,
    except spelling variants that change a word's first four letters.
    """
    blocks: dict[str, list[Record]] = defaultdict(list)
    for r in records:
        for k in _block_keys(r):
            blocks[k].append(r)
    seen: set[tuple[str, str]] = set()
    for key in sorted(blocks):
        part = sorted(blocks[key], key=lambda r: r.uid)
        for i, a in enumerate(part):
            for b in part[i + 1 :]:
                if (a.uid, b.uid) not in seen:
                    seen.add((a.uid, b.uid))
                    yield a, b
