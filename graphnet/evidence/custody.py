"""Chain of custody: the manifest of a bundle and its verification.

``manifest.json`` records the tool version, the exact command and parameters,
the database, the time, the SHA-256 and size of every file in the bundle, the
SHA-256 of every source file cited, and one digest over all of them. The
digest is reproducible with standard tools: it is the SHA-256 of the UTF-8
text made of one line per entry, sorted, ``"<sha256> file <name>\\n"`` for the
bundle's files and ``"<sha256> source <source uid>\\n"`` for the source files.

>>> digest({"a.csv": {"sha256": "00"}}, [{"uid": "s1", "sha256": "ff"}]) == hashlib.sha256(
...     b"00 file a.csv\\nff source s1\\n").hexdigest()
True
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ..errors import GraphnetError

__all__ = [
    "MANIFEST",
    "sha256_bytes",
    "sha256_file",
    "digest",
    "bundle_files",
    "manifest_bytes",
    "zip_bytes",
    "read_bundle",
    "verify",
    "Verification",
]

MANIFEST = "manifest.json"
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def digest(files: Mapping[str, Mapping[str, Any]], sources: Iterable[Mapping[str, Any]]) -> str:
    """The one digest over every file of the bundle and every source file cited."""
    lines = [f"{v['sha256']} file {name}\n" for name, v in files.items()]
    lines += [f"{s.get('sha256') or ''} source {s['uid']}\n" for s in sources]
    return sha256_bytes("".join(sorted(lines)).encode("utf-8"))


def bundle_files(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` by its POSIX relative path (the manifest included).

    An exported bundle holds folders and regular files only: a symbolic link
    (which would have the bundle vouch for a file outside it) or a special
    file (a FIFO would block the read) is refused, naming it.
    """
    files: dict[str, bytes] = {}
    for p in sorted(root.rglob("*")):
        if p.is_symlink() or not (p.is_dir() or p.is_file()):
            what = "a symbolic link" if p.is_symlink() else "neither a folder nor a regular file"
            raise GraphnetError(f"{p}: {what} inside the bundle {root}; an exported bundle holds only "
                                "folders and regular files")
        if p.is_file():
            try:
                files[p.relative_to(root).as_posix()] = p.read_bytes()
            except OSError as e:
                raise GraphnetError(f"{p}: cannot be read: {e.strerror or e}") from None
    return files


def _read_zip(path: Path) -> dict[str, bytes]:
    try:
        with zipfile.ZipFile(path) as z:
            names = [n for n in z.namelist() if not n.endswith("/")]
            tops = {n.split("/", 1)[0] for n in names}
            strip = len(tops) == 1 and all("/" in n for n in names)
            return {(n.split("/", 1)[1] if strip else n): z.read(n) for n in names}
    except (zipfile.BadZipFile, OSError) as e:
        raise GraphnetError(f"{path}: not a readable zip file: {e}") from None


@dataclasses.dataclass
class Verification:
    """The outcome of :func:`verify`: ``problems`` is empty when the bundle is intact."""

    bundle: str
    problems: list[str]
    checked_files: int
    checked_sources: int
    unchecked_sources: list[str]
    digest: str | None

    @property
    def ok(self) -> bool:
        return not self.problems


def read_bundle(bundle: str | Path) -> dict[str, bytes]:
    """Every file of a bundle (folder or zip, as :func:`verify` reads it) by its path in the bundle."""
    path = Path(bundle)
    if path.is_dir():
        if not (path / MANIFEST).is_file():  # a wrong folder (home, a whole drive) is not read through
            raise GraphnetError(f"{bundle}: no {MANIFEST}: not an evidence bundle, or its manifest was removed")
        return bundle_files(path)
    if path.is_file():
        return _read_zip(path)
    raise GraphnetError(f"{bundle}: no bundle folder or zip file there")


def verify(bundle: str | Path, *, expected_digest: str | None = None, check_sources: bool = True,
           files: Mapping[str, bytes] | None = None) -> Verification:
    """Recompute every hash of a bundle (folder or zip) and compare with its manifest.

    A problem is reported, naming the file, when a file's bytes changed, a file
    listed in the manifest is missing, a file not in the manifest was added,
    the manifest's digest does not match its own entries, the digest differs
    from ``expected_digest`` (the one recorded when the bundle was handed
    over), or a cited source file still on disk no longer has the recorded
    SHA-256. Source files not found on this machine are listed as unchecked.
    ``files``: the bundle's files already read (:func:`read_bundle`), so a
    caller checks the very bytes it then uses.
    """
    if files is None:
        files = read_bundle(bundle)
    if MANIFEST not in files:
        raise GraphnetError(f"{bundle}: no {MANIFEST}: not an evidence bundle, or its manifest was removed")
    try:
        manifest = json.loads(files[MANIFEST].decode("utf-8"))
        listed: dict[str, dict[str, Any]] = manifest["files"]
        sources: list[dict[str, Any]] = manifest.get("sources", [])
        recorded = manifest["digest"]
    except (ValueError, KeyError, TypeError, UnicodeDecodeError) as e:
        raise GraphnetError(f"{bundle}: {MANIFEST} is damaged ({e.__class__.__name__}: {e})") from None
    problems: list[str] = []
    for name in sorted(listed):
        if name not in files:
            problems.append(f"{name}: missing (listed in the manifest, not in the bundle)")
            continue
        data = files[name]
        if sha256_bytes(data) != listed[name].get("sha256"):
            problems.append(f"{name}: changed (SHA-256 {sha256_bytes(data)} differs from the manifest's {listed[name].get('sha256')})")
        elif listed[name].get("bytes") not in (None, len(data)):
            problems.append(f"{name}: size {len(data)} differs from the manifest's {listed[name].get('bytes')}")
    for name in sorted(set(files) - set(listed) - {MANIFEST}):
        problems.append(f"{name}: added (not listed in the manifest)")
    again = digest(listed, sources)
    if again != recorded:
        problems.append(f"{MANIFEST}: its digest {recorded} does not match its own entries ({again}): the manifest was edited")
    if expected_digest and expected_digest.strip().lower() != str(recorded).lower():
        problems.append(f"{MANIFEST}: digest {recorded} is not the expected {expected_digest.strip()}")
    checked, unchecked = 0, []
    if check_sources:
        for s in sources:
            p = Path(str(s.get("path") or ""))
            if not s.get("path") or not p.is_file():
                unchecked.append(s["uid"])
                continue
            checked += 1
            now = sha256_file(p)
            if now != s.get("sha256"):
                problems.append(f"source {s['uid']} ({s['path']}): the file on disk has SHA-256 {now}, "
                                f"the bundle cites {s.get('sha256')}")
    return Verification(str(bundle), problems, len(listed), checked, unchecked, recorded)


def manifest_bytes(manifest: Mapping[str, Any]) -> bytes:
    return (json.dumps(manifest, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode("utf-8")


def zip_bytes(files: Mapping[str, bytes], folder: str) -> bytes:
    """A reproducible zip of the bundle under ``folder/``: sorted names, fixed dates and permissions, DEFLATE."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name in sorted(files):
            info = zipfile.ZipInfo(f"{folder}/{name}", date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, files[name])
    return buf.getvalue()
