"""Identifiers as Indonesian agencies write them: NIK, phone numbers, passports, accounts.

A NIK (Nomor Induk Kependudukan) has 16 digits: 6 of region (province,
regency, district), 6 of birth date ``DDMMYY`` with 40 added to the day for
women, then a 4-digit serial. Phone numbers are kept in E.164 and written in
the mixed local forms agencies use.

>>> import datetime
>>> nik("530203", datetime.date(2001, 8, 15), True, 12)
'5302035508010012'
>>> nik_ok("5302035508010012"), nik_ok("530203550801001"), nik_ok("5302037508010012")
(True, False, False)
>>> [write_phone("+6281234567890", s) for s in PHONE_STYLES]
['081234567890', '+62 812-3456-7890', '6281234567890', '+6281234567890', '0812-3456-7890']
>>> mobile(0), mobile(1) != mobile(0)
('+6281101234567', True)
"""

from __future__ import annotations

import datetime

__all__ = [
    "nik", "nik_ok", "mobile", "malaysian_mobile", "write_phone", "PHONE_STYLES",
    "OPERATORS", "operator_of", "passport_no", "account_no", "BANKS",
]


def nik(region6: str, birth: datetime.date, female: bool, serial: int) -> str:
    """The 16-digit NIK of a person born on ``birth`` registered in ``region6``."""
    day = birth.day + (40 if female else 0)
    return f"{region6}{day:02d}{birth.month:02d}{birth.year % 100:02d}{serial % 10000:04d}"


def nik_ok(value: str) -> bool:
    """True when ``value`` has 16 digits, a province code 11-94 and a real date part."""
    if len(value) != 16 or not value.isdigit():
        return False
    if not 11 <= int(value[:2]) <= 94 or value[6:12] == "000000":
        return False
    day, month = int(value[6:8]), int(value[8:10])
    if day > 40:
        day -= 40
    try:
        datetime.date(2000, month, day)
    except ValueError:
        return False
    return value[12:] != "0000"


# Indonesian mobile prefixes (after the country code) by operator.
OPERATORS: dict[str, tuple[str, ...]] = {
    "Telkomsel": ("811", "812", "813", "821", "822", "823", "852", "853"),
    "Indosat": ("814", "815", "816", "855", "856", "857", "858"),
    "XL": ("817", "818", "819", "859", "877", "878"),
    "Tri": ("895", "896", "897", "898", "899"),
    "Smartfren": ("881", "882", "883", "887", "888"),
}
_PREFIXES = tuple(p for ps in OPERATORS.values() for p in ps)
_BY_PREFIX = {p: op for op, ps in OPERATORS.items() for p in ps}


def mobile(index: int) -> str:
    """A distinct Indonesian mobile number (E.164) for every ``index`` below 10**8.

    The 8 digits after the prefix are an affine permutation of the index, so
    numbers look random and never repeat; the prefix is a hash of the index.
    """
    prefix = _PREFIXES[(index * 2654435761 >> 9) % len(_PREFIXES)]
    return f"+62{prefix}{(index * 73939133 + 1234567) % 10**8:08d}"


def malaysian_mobile(index: int) -> str:
    """A distinct Sarawak mobile number (E.164, +60 1x)."""
    return f"+601{'269'[index % 3]}{(index * 7919 + 311) % 10**7:07d}"


def operator_of(e164: str) -> str:
    return _BY_PREFIX.get(e164[3:6], "Telkomsel")


PHONE_STYLES = ("local", "spaced", "plain62", "e164", "local_dash")


def write_phone(e164: str, style: str) -> str:
    """Write an E.164 number in one of the local forms (Malaysian numbers keep +60)."""
    if not e164.startswith("+62"):
        return e164 if style in {"e164", "local", "local_dash"} else e164[1:]
    national = e164[3:]
    if style == "local":
        return "0" + national
    if style == "spaced":
        return f"+62 {national[:3]}-{national[3:7]}-{national[7:]}"
    if style == "plain62":
        return e164[1:]
    if style == "local_dash":
        return f"0{national[:3]}-{national[3:7]}-{national[7:]}"
    return e164


def passport_no(index: int) -> str:
    """A distinct passport number: a letter and 7 digits (e.g. ``B1234567``)."""
    letter = "ABC"[index % 3]
    return f"{letter}{(index * 6007 + 1234567) % 10**7:07d}"


BANKS = ("BRI", "BNI", "Mandiri", "BCA", "Bank Kalbar", "BTN")


def account_no(index: int) -> tuple[str, str]:
    """A distinct (bank, account number) pair."""
    bank = BANKS[(index * 2654435761 >> 11) % len(BANKS)]
    return bank, f"{(index * 1640531527 + 3000000019) % 10**10:010d}"
