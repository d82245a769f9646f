"""Files graphnet writes for its users (views, reports, plots): whole, or not at all.

:func:`write_output` creates the missing folders, writes to a hidden
temporary name beside the target and renames it, so a failed run never
leaves half a page, and turns the operating system's refusal (a folder that
is a file, no permission, a full disk) into one :class:`GraphnetError` line
that names the path.

>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> write_output(d / "new" / "r.txt", "ok").read_text()
'ok'
>>> write_output(d / "new" / "r.txt" / "x.html", "no")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
graphnet.errors.GraphnetError: cannot write .../r.txt/x.html: .../new/r.txt is a file, not a folder
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import GraphnetError

__all__ = ["write_output"]


def _blocking_file(path: Path) -> Path | None:
    """The nearest existing ancestor of ``path`` when it is not a folder."""
    for parent in path.parents:
        if parent.exists() or parent.is_symlink():
            return None if parent.is_dir() else parent
    return None


def write_output(path: str | os.PathLike, data: str | bytes) -> Path:
    """Write ``data`` (text as UTF-8) to ``path`` atomically; returns the path.

    Raises GraphnetError naming the path when it cannot be written.
    """
    out = Path(path)
    tmp = out.with_name(f".{out.name}.tmp")
    try:
        blocking = _blocking_file(out)
        if blocking is not None:
            raise GraphnetError(f"cannot write {out}: {blocking} is a file, not a folder")
        if out.is_dir():
            raise GraphnetError(f"cannot write {out}: it is a folder; give a file name")
        out.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, str):
            data = data.encode("utf-8")
        tmp.write_bytes(data)
        os.replace(tmp, out)
    except OSError as e:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass  # no temporary file was made there
        raise GraphnetError(f"cannot write {out}: {e.strerror or e}") from e
    return out
