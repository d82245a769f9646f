"""Normalisers: turn what an agency typed into one canonical value, or say why not.

Each normaliser takes the raw cell text and returns the canonical string, or
raises :class:`ValueError` whose message is the reason a person can act on
(it goes to the rejects file). They are pure functions.

Whitespace in a cell (spaces, tabs, and VT, FF, FS-RS, NEL, U+2028/U+2029,
which a CSV reader keeps as cell data): identifiers (``phone``, ``nik``,
``passport``, ``account``, ``document``) treat it as a separator and drop it;
``upper`` collapses each run of it to one space; ``name`` (matching only) folds
it with punctuation to one space. A value without a normaliser is stored as
the trimmed cell, inner whitespace verbatim.

>>> phone("0812-3456-7890"), phone("62 812 3456 7890"), phone("+62 812-3456-7890")
('+6281234567890', '+6281234567890', '+6281234567890')
>>> nik("3171 0141 0199 0001")
'3171014101990001'
>>> nik_info("3171015101990001")["sex"], nik_info("3171015101990001")["birth"]
('F', '11-01')
>>> nik("3171013201990001")
Traceback (most recent call last):
...
ValueError: NIK 3171013201990001: birth date digits 320199 are not a day DDMMYY (day 32 is neither 01-31 nor 41-71 for women)
>>> date("17/08/1945", "%d/%m/%Y")
'1945-08-17'
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
import unicodedata
from collections.abc import Callable, Sequence

import phonenumbers

__all__ = [
    "NORMALISERS",
    "phone",
    "nik",
    "nik_info",
    "passport",
    "account",
    "document",
    "date",
    "name",
    "upper",
    "PROVINCE_CODES",
]

# Indonesian province codes (Kemendagri), the first two digits of a NIK.
PROVINCE_CODES: dict[str, str] = {
    "11": "Aceh", "12": "Sumatera Utara", "13": "Sumatera Barat", "14": "Riau", "15": "Jambi",
    "16": "Sumatera Selatan", "17": "Bengkulu", "18": "Lampung", "19": "Kepulauan Bangka Belitung",
    "21": "Kepulauan Riau", "31": "DKI Jakarta", "32": "Jawa Barat", "33": "Jawa Tengah",
    "34": "DI Yogyakarta", "35": "Jawa Timur", "36": "Banten", "51": "Bali", "52": "Nusa Tenggara Barat",
    "53": "Nusa Tenggara Timur", "61": "Kalimantan Barat", "62": "Kalimantan Tengah",
    "63": "Kalimantan Selatan", "64": "Kalimantan Timur", "65": "Kalimantan Utara", "71": "Sulawesi Utara",
    "72": "Sulawesi Tengah", "73": "Sulawesi Selatan", "74": "Sulawesi Tenggara", "75": "Gorontalo",
    "76": "Sulawesi Barat", "81": "Maluku", "82": "Maluku Utara", "91": "Papua", "92": "Papua Barat",
    "93": "Papua Selatan", "94": "Papua Tengah", "95": "Papua Pegunungan", "96": "Papua Barat Daya",
}  # fmt: skip

_SEPARATORS = re.compile(r"[\s.\-/()]+")


_ID_MOBILE = re.compile(r"^(?:\+62|62|0)[\s.\-]*(8[\d\s.\-]+)$")
_MOBILE_SEPARATORS = re.compile(r"[\s.\-]")


def _fast_indonesian_mobile(raw: str) -> str | None:
    """``+628...`` for the everyday Indonesian mobile forms, without a full parse.

    Only mobile numbers (8 after the country code or trunk 0) with 9 to 12
    national digits take this path; anything else gets the full
    ``phonenumbers`` parse. A test checks both paths agree.
    """
    m = _ID_MOBILE.match(raw)
    if m is None:
        return None
    national = _MOBILE_SEPARATORS.sub("", m.group(1))
    if not 9 <= len(national) <= 12 or not national.isdigit():
        return None
    return "+62" + national


@functools.lru_cache(maxsize=1 << 18)
def phone(value: str, region: str = "ID") -> str:
    """A phone number in E.164 (``+6281234567890``).

    Local forms (``0812...``), the country code without plus (``62812...``),
    and any spaces, dots or dashes are accepted (any whitespace counts as a
    space: VT, NEL, U+2028 ... too); ``region`` is the default country for
    numbers written without one.

    >>> phone("(0561) 734 567"), phone("60190309152"), phone("(0561)\\x0b734\\u2028567")
    ('+62561734567', '+60190309152', '+62561734567')
    >>> phone("12")
    Traceback (most recent call last):
    ...
    ValueError: phone '12' is not a possible number
    """
    raw = str(value).strip()
    spaced = " ".join(raw.split())  # phonenumbers takes spaces, not VT or U+2028: both paths see spaces
    fast = _fast_indonesian_mobile(spaced) if region == "ID" else None
    if fast is not None:
        return fast
    digits = re.sub(r"\D", "", raw)
    if not digits:
        raise ValueError(f"phone {raw!r} has no digits")
    text = spaced
    if not raw.startswith("+"):
        if raw.startswith("00"):
            text = "+" + digits[2:]
        elif region == "ID" and digits.startswith("62") and len(digits) >= 10:
            text = "+" + digits
        elif not digits.startswith("0") and len(digits) >= 9:
            # written internationally without the plus (60 19..., Malaysia): keep it when it is a real number
            try:
                intl = phonenumbers.parse("+" + digits, None)
            except phonenumbers.NumberParseException:
                intl = None
            if intl is not None and phonenumbers.is_valid_number(intl):
                text = "+" + digits
    try:
        num = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        raise ValueError(f"phone {raw!r} is not a phone number") from None
    if not phonenumbers.is_possible_number(num):
        raise ValueError(f"phone {raw!r} is not a possible number")
    return phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164)


_TWO_DIGITS = [f"{i:02d}" for i in range(100)]  # f"{i:02d}" without formatting each time


def _valid_day(day: int, month: int, yy: int) -> bool:
    for century in (1900, 2000):
        try:
            _dt.date(century + yy, month, day)
            return True
        except ValueError:
            continue
    return False


def nik_info(value: str) -> dict[str, str]:
    """Check an Indonesian NIK (16 digits) and tell what it encodes.

    Digits 1-2 province, 3-4 regency, 5-6 district, 7-12 birth date DDMMYY
    (women: day + 40), 13-16 a serial that is never 0000. Returns
    ``{"nik", "province", "sex", "birth"}`` (birth as ``DD-MM``, with its
    two-digit year in ``yy``); raises :class:`ValueError` with the reason.

    >>> nik_info("6171014101990001")["province"]
    'Kalimantan Barat'
    >>> nik_info("1001014101990001")
    Traceback (most recent call last):
    ...
    ValueError: NIK 1001014101990001: 10 is not an Indonesian province code
    """
    return dict(_nik_info(str(value)))


@functools.lru_cache(maxsize=1 << 18)
def _nik_info(raw: str) -> tuple[tuple[str, str], ...]:
    raw = raw.strip()
    digits = raw if raw.isdigit() else _SEPARATORS.sub("", raw)  # no digit is a separator
    if not digits.isdigit():
        raise ValueError(f"NIK {raw!r} must be digits only")
    if len(digits) != 16:
        raise ValueError(f"NIK {raw!r} must have 16 digits, found {len(digits)}")
    prov, regency, district = digits[0:2], digits[2:4], digits[4:6]
    if prov not in PROVINCE_CODES:
        raise ValueError(f"NIK {digits}: {prov} is not an Indonesian province code")
    if regency == "00":
        raise ValueError(f"NIK {digits}: regency code 00 does not exist")
    if district == "00":
        raise ValueError(f"NIK {digits}: district code 00 does not exist")
    dd, mm, yy = int(digits[6:8]), int(digits[8:10]), int(digits[10:12])
    sex = "M"
    if 41 <= dd <= 71:
        dd, sex = dd - 40, "F"
    elif not 1 <= dd <= 31:
        raise ValueError(
            f"NIK {digits}: birth date digits {digits[6:12]} are not a day DDMMYY "
            f"(day {digits[6:8]} is neither 01-31 nor 41-71 for women)"
        )
    if not 1 <= mm <= 12:
        raise ValueError(f"NIK {digits}: birth date digits {digits[6:12]} have month {digits[8:10]}")
    if not _valid_day(dd, mm, yy):
        raise ValueError(f"NIK {digits}: birth date {dd:02d}-{mm:02d}-{yy:02d} does not exist")
    if digits[12:] == "0000":
        raise ValueError(f"NIK {digits}: serial number 0000 is never issued")
    return (
        ("nik", digits),
        ("province", PROVINCE_CODES[prov]),
        ("sex", sex),
        ("birth", f"{_TWO_DIGITS[dd]}-{_TWO_DIGITS[mm]}"),
        ("yy", _TWO_DIGITS[yy]),
    )


def nik(value: str) -> str:
    """The 16 digits of a valid NIK (separators removed); see :func:`nik_info`."""
    return _nik_info(str(value))[0][1]  # the ("nik", digits) pair


@functools.lru_cache(maxsize=1 << 18)
def passport(value: str) -> str:
    """A passport number: upper case, separators removed, 6 to 9 letters/digits.

    >>> passport("b 123 4567")
    'B1234567'
    >>> passport("12")
    Traceback (most recent call last):
    ...
    ValueError: passport '12' must have 6 to 9 letters or digits, found 2
    """
    raw = str(value).strip()
    text = _SEPARATORS.sub("", raw).upper()
    if not text.isalnum() or not text.isascii():
        raise ValueError(f"passport {raw!r} must contain letters and digits only")
    if not 6 <= len(text) <= 9:
        raise ValueError(f"passport {raw!r} must have 6 to 9 letters or digits, found {len(text)}")
    if not any(c.isdigit() for c in text):
        raise ValueError(f"passport {raw!r} has no digits")
    return text


@functools.lru_cache(maxsize=1 << 18)
def document(value: str) -> str:
    """A document number (passport, visa, permit): upper case, separators removed, 4 to 20 letters/digits.

    A valid passport number gives the same text as :func:`passport`, so a
    passport register and a border log name one Document.

    >>> document("b 123-4567") == passport("b 123-4567") == 'B1234567'
    True
    """
    raw = str(value).strip()
    text = _SEPARATORS.sub("", raw).upper()
    if not text.isalnum() or not text.isascii():
        raise ValueError(f"document number {raw!r} must contain letters and digits only")
    if not 4 <= len(text) <= 20:
        raise ValueError(f"document number {raw!r} must have 4 to 20 letters or digits, found {len(text)}")
    return text


@functools.lru_cache(maxsize=1 << 18)
def account(value: str) -> str:
    """A bank account number: separators removed, upper case, 5 to 34 letters/digits (IBAN-sized).

    >>> account("0123-01-000456-50-3")
    '012301000456503'
    """
    raw = str(value).strip()
    text = _SEPARATORS.sub("", raw).upper()
    if not text.isalnum() or not text.isascii():
        raise ValueError(f"account {raw!r} must contain letters and digits only")
    if not 5 <= len(text) <= 34:
        raise ValueError(f"account {raw!r} must have 5 to 34 letters or digits, found {len(text)}")
    if not any(c.isdigit() for c in text):
        raise ValueError(f"account {raw!r} has no digits")
    return text


def date(value: object, fmt: str | Sequence[str] | None = None) -> str:
    """An ISO date ``YYYY-MM-DD`` read with the given strptime format(s).

    Without a format, ISO dates (optionally with a time) are read. Excel
    cells arrive as :class:`datetime.datetime` and are taken as they are.

    >>> date("2018-03-05 14:02:11", "%Y-%m-%d %H:%M:%S")
    '2018-03-05'
    >>> date("31/02/2018", "%d/%m/%Y")
    Traceback (most recent call last):
    ...
    ValueError: date '31/02/2018' does not match %d/%m/%Y
    """
    if isinstance(value, _dt.datetime):
        return value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    raw = str(value).strip()
    formats = (fmt,) if isinstance(fmt, str) else tuple(fmt or _ISO_FORMATS)
    for f in formats:
        got = _parse_date(raw, f)
        if got is not None:
            return got
    raise ValueError(f"date {raw!r} does not match {' or '.join(formats)}")


def date_parser(fmt: str | Sequence[str] | None = None) -> Callable[[object], str]:
    """:func:`date` with its format(s) fixed: ``date_parser(fmt)(value) == date(value, fmt)``.

    The formats are looked at once, not per value (a loader reads a column
    with one format for every row).

    >>> date_parser(["%d/%m/%Y", "%Y-%m-%d"])("2018-03-05"), date_parser()("2018-03-05T10:00:00")
    ('2018-03-05', '2018-03-05')
    """
    formats = (fmt,) if isinstance(fmt, str) else tuple(fmt or _ISO_FORMATS)
    parsers = tuple(_day_parser(f) for f in formats)

    def parse(value: object) -> str:
        if value.__class__ is str:  # the usual cell: neither a date nor a datetime
            raw = value.strip()
        elif isinstance(value, _dt.datetime):
            return value.date().isoformat()
        elif isinstance(value, _dt.date):
            return value.isoformat()
        else:
            raw = str(value).strip()
        for day in parsers:
            got = day(raw)
            if got is not None:
                return got
        raise ValueError(f"date {raw!r} does not match {' or '.join(formats)}")

    return parse


_ISO_FORMATS = ("%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S")
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_SECONDS = re.compile(r"^(\d{4}-\d{2}-\d{2}) ([01]\d|2[0-3]):[0-5]\d:[0-5]\d$")


def _parse_date(raw: str, fmt: str) -> str | None:
    """ISO day of ``raw`` read with ``fmt``; ``None`` when it does not match (fast paths for ISO)."""
    if fmt == "%Y-%m-%d":
        return _parse_iso_day(raw)
    if fmt == "%Y-%m-%d %H:%M:%S":
        return _parse_iso_seconds(raw)
    return _strptime_day(raw, fmt)


def _day_parser(fmt: str) -> Callable[[str], str | None]:
    """:func:`_parse_date` with ``fmt`` fixed."""
    if fmt == "%Y-%m-%d":
        return _parse_iso_day
    if fmt == "%Y-%m-%d %H:%M:%S":
        return _parse_iso_seconds

    def strptime_day(raw: str) -> str | None:
        return _strptime_day(raw, fmt)

    return strptime_day


def _parse_iso_day(raw: str) -> str | None:
    """:func:`_parse_date` for ``%Y-%m-%d``."""
    if _ISO_DAY.match(raw):
        return _iso_day(raw)
    return _strptime_day(raw, "%Y-%m-%d")


def _parse_iso_seconds(raw: str) -> str | None:
    """:func:`_parse_date` for ``%Y-%m-%d %H:%M:%S``."""
    m = _ISO_SECONDS.match(raw)
    if m:
        return _iso_day(m.group(1))
    return _strptime_day(raw, "%Y-%m-%d %H:%M:%S")


@functools.lru_cache(maxsize=1 << 16)
def _iso_day(day: str) -> str | None:
    """``YYYY-MM-DD`` (four, two and two digits) as an ISO day; ``None`` when no such day exists."""
    try:
        return _dt.date.fromisoformat(day).isoformat()
    except ValueError:
        return None


@functools.lru_cache(maxsize=1 << 16)
def _strptime_day(raw: str, fmt: str) -> str | None:
    try:
        return _dt.datetime.strptime(raw, fmt).date().isoformat()
    except ValueError:
        return None


def name(value: str) -> str:
    """A name folded for matching only (stored names keep their spelling).

    >>> name("  Siti  NURHALIZA, S.Pd ")
    'siti nurhaliza s pd'
    """
    text = unicodedata.normalize("NFKD", str(value))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def upper(value: str) -> str:
    """Upper case with inner whitespace collapsed (bank codes, plates).

    >>> upper(" kb 1234  ab ")
    'KB 1234 AB'
    """
    return " ".join(str(value).split()).upper()


NORMALISERS: dict[str, Callable[[str], str]] = {
    "phone": phone,
    "nik": nik,
    "passport": passport,
    "account": account,
    "document": document,
    "name": name,
    "upper": upper,
}
"""Normalisers a definition may name (``date`` is a property ``type``)."""
