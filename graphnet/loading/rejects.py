"""The rejects file: every row that could not load, with the reasons and its original values.

``<rejects dir>/<file name>.rejects.csv`` has the columns ``file, row, field,
reason`` followed by the input file's own columns, so a clerk can fix the row
in place and load the file again.

>>> import tempfile, pathlib, csv
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> p = write_rejects(d, pathlib.Path("police.csv"), ["nik"], [Reject(7, "nik", "NIK must have 16 digits, found 15", {"nik": "123"})])
>>> list(csv.reader(p.open(encoding="utf-8")))
[['file', 'row', 'field', 'reason', 'nik'], ['police.csv', '7', 'nik', 'NIK must have 16 digits, found 15', '123']]
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as _dt
from pathlib import Path
from typing import Any

__all__ = ["Reject", "write_rejects", "rejects_path"]

_FIXED = ("file", "row", "field", "reason")


@dataclasses.dataclass
class Reject:
    row: int
    field: str
    reason: str
    values: dict[str, Any]

    @classmethod
    def of(cls, row: int, problems: list[tuple[str, str]], values: dict[str, Any]) -> Reject:
        """A row's ``(field, reason)`` problems as one reject line: fields named once, reasons in order.

        >>> Reject.of(3, [("nik", "too short"), ("", "no key"), ("nik", "not digits")], {}).field
        'nik'
        """
        return cls(row, "; ".join(dict.fromkeys(f for f, _ in problems if f)), "; ".join(r for _, r in problems), values)


def rejects_path(rejects_dir: Path, input_path: Path) -> Path:
    return rejects_dir / f"{input_path.name}.rejects.csv"


def _text(v: Any) -> str:
    if isinstance(v, (_dt.date, _dt.datetime)):
        return v.isoformat()
    return "" if v is None else str(v)


def write_rejects(rejects_dir: Path, input_path: Path, columns: list[str], rejects: list[Reject]) -> Path:
    """Write (or replace) the rejects file of one input file; returns its path."""
    rejects_dir.mkdir(parents=True, exist_ok=True)
    path = rejects_path(rejects_dir, input_path)
    extra = [c for c in columns if c not in _FIXED]
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow([*_FIXED, *extra])
        for r in rejects:
            w.writerow([str(input_path), r.row, r.field, r.reason, *(_text(r.values.get(c)) for c in extra)])
    return path
