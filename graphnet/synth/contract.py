"""The agency spreadsheet contract: file names, columns and date formats.

These are exactly the columns of the table "Agency spreadsheets" in
``docs/ARCHITECTURE.md``; the shipped loader definitions read them. Each
agency writes dates in its own format (``DATE_FORMATS``).

>>> list(FILES)[:3]
['phone_subscribers', 'travel_documents', 'police_cases']
>>> FILES["call_records"]
('caller', 'callee', 'start', 'duration_s', 'kind')
>>> fmt_date(datetime.date(2018, 3, 7), "police_cases", "opened_on")
'07/03/2018'
"""

from __future__ import annotations

import datetime

__all__ = ["FILES", "DATE_FORMATS", "fmt_date"]

# In load order: subscribers and documents first (identifiers), then the case
# files, then the movement registers, then the high-volume money and calls.
FILES: dict[str, tuple[str, ...]] = {
    "phone_subscribers": ("msisdn", "subscriber_name", "nik", "operator", "registered_on"),
    "travel_documents": (
        "doc_no", "kind", "visa_type", "holder_name", "holder_nik", "birth_date",
        "issued_on", "issuing_office", "officer_name",
    ),
    "police_cases": (
        "case_no", "province", "opened_on", "charge", "person_id", "name", "nik",
        "birth_date", "role", "phone", "origin",
    ),
    "victim_statements": (
        "case_no", "statement_id", "person_id", "name", "nik", "birth_date", "role",
        "recruiter_id", "recruiter_name", "relation",
    ),
    "court_verdicts": (
        "case_no", "court", "verdict_date", "defendant_id", "name", "nik", "birth_date",
        "verdict", "sentence",
    ),
    "shelter_intake": (
        "intake_id", "date", "name", "birth_date", "origin", "nik", "case_no",
        "recruiter_name", "deported_from",
    ),
    "border_crossings": (
        "crossing_id", "date", "point", "direction", "passport_no", "name", "birth_date",
        "nationality",
    ),
    "lodging_guests": (
        "lodging_name", "lodging_address", "operator_name", "operator_phone", "guest_name",
        "guest_nik", "guest_phone", "check_in",
    ),
    "passenger_lists": (
        "service", "plate", "kind", "driver_name", "driver_phone", "date", "passenger_name",
        "passenger_phone",
    ),
    "money_transfers": (
        "tx_id", "date", "sender_name", "sender_account", "sender_bank", "receiver_name",
        "receiver_account", "receiver_bank", "amount", "currency",
    ),
    "call_records": ("caller", "callee", "start", "duration_s", "kind"),
}

_ISO = "%Y-%m-%d"
_DMY = "%d/%m/%Y"
DATE_FORMATS: dict[tuple[str, str], str] = {
    ("phone_subscribers", "registered_on"): _ISO,
    ("travel_documents", "birth_date"): _ISO,
    ("travel_documents", "issued_on"): _ISO,
    ("police_cases", "opened_on"): _DMY,
    ("police_cases", "birth_date"): _DMY,
    ("victim_statements", "birth_date"): _DMY,
    ("court_verdicts", "verdict_date"): _ISO,
    ("court_verdicts", "birth_date"): _ISO,
    ("shelter_intake", "date"): _ISO,
    ("shelter_intake", "birth_date"): _DMY,
    ("border_crossings", "date"): _ISO,
    ("border_crossings", "birth_date"): _ISO,
    ("lodging_guests", "check_in"): "%d-%m-%Y",
    ("passenger_lists", "date"): _ISO,
    ("money_transfers", "date"): _ISO,
    ("call_records", "start"): "%Y-%m-%d %H:%M:%S",
}


def fmt_date(value: datetime.date | None, file: str, column: str) -> str:
    """Write ``value`` the way agency ``file`` writes ``column`` ('' when unknown)."""
    if value is None:
        return ""
    return value.strftime(DATE_FORMATS[(file, column)])
