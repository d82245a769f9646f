"""Victim protection for evidence bundles: keyed pseudonyms, identifiers dropped everywhere.

A redaction profile names the roles to protect (``victims``, ``witnesses``, or
any role such as ``guest``). A protected person is a Person whose ``roles``
hold one of them, or who appears in a case in that role (``INVOLVED_IN.role``),
in this record or any record resolved as the same person in the database
(``Subgraph.person_roles``, even records outside the selection),
or another record of such a person: resolved as one (``Subgraph.same_person``),
sharing an identifier (NIK, passport, phone), or bearing the same name without
a role of their own that shows someone else (a suspect, a driver keeps a name
that happens to be a victim's too). Their uid and name
become a pseudonym from :class:`graphnet.redact.Redactor` (``V-`` + 10 hex of
HMAC-SHA256(key, uid) for victims, ``W-`` for witnesses: the same person gets
the same pseudonym in every bundle and view made with the same key), every
property the schema flags ``identifying`` is dropped, and the phones,
documents and accounts they use or hold are renamed and stripped the same way.

Then every remaining string of the bundle (other nodes, relationships, source
paths, the selection parameters) is scrubbed of the protected names and
numbers, and :func:`leaks` lets the exporter check the written bytes.

>>> from graphnet.redact import Redactor
>>> roles_of_profile("victims,witnesses")
('victim', 'witness')
>>> sorted(phone_variants("+6281234567890"))
['+6281234567890', '081234567890', '6281234567890', '81234567890']
"""

from __future__ import annotations

import io
import itertools
import json
import re
import zipfile
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from ..errors import GraphnetError
from ..redact import ALWAYS_DROP, Redactor
from ..schema import load_schema
from .selection import Subgraph
from .words import WordIndex

__all__ = ["roles_of_profile", "protect", "redact_subgraph", "phone_variants", "leaks", "Protected"]

_PLURALS = {"victims": "victim", "witnesses": "witness", "guests": "guest", "passengers": "passenger"}
_PREFIX = {"victim": "V-", "witness": "W-", "unknown": "U-"}
_HELD = {"Phone", "Document", "Account"}
_HOLDING = {"USES", "HOLDS"}
_NAME_FIELDS = ("name", "aliases")
_ID_FIELDS = ("nik", "passport", "phone", "number", "address")


def _nfc(text: str) -> str:
    """Unicode NFC: a name typed decomposed (e + combining marks) and precomposed compare equal."""
    return unicodedata.normalize("NFC", text)


def _name_key(name: Any) -> str:
    """A name as compared: stripped, NFC, lower case.

    >>> _name_key(unicodedata.normalize("NFD", " Nguyễn Thị Hằng")) == _name_key("nguyễn thị hằng")
    True
    """
    return _nfc(str(name).strip()).lower()


def roles_of_profile(profile: str | Iterable[str]) -> tuple[str, ...]:
    """Roles named by a ``--redact`` profile (plural or singular, comma-separated).

    ``unknown`` protects every person of no known role (in no record of theirs
    and no case): the border crossers, subscribers and passengers the graph
    cannot place, among whom may be victims that resolution did not link.
    """
    items = profile.split(",") if isinstance(profile, str) else list(profile)
    roles = []
    for item in items:
        word = item.strip().lower()
        if not word:
            continue
        if not re.fullmatch(r"[a-z_]+", word):
            raise GraphnetError(f"--redact takes role names like victims,witnesses; got {item!r}")
        roles.append(_PLURALS.get(word, word[:-1] if word.endswith("s") and len(word) > 3 else word))
    if not roles:
        raise GraphnetError("--redact needs at least one role, e.g. --redact victims")
    return tuple(sorted(set(roles)))


def phone_variants(number: str) -> set[str]:
    """The spellings of an Indonesian-style number a file may carry (E.164, 62..., 0..., bare)."""
    digits = re.sub(r"\D", "", number)
    out = {number.strip()} if number.strip() else set()
    if len(digits) < 6:
        return out
    out |= {digits, "+" + digits}
    if digits.startswith("62"):
        out |= {"0" + digits[2:], digits[2:]}
    elif digits.startswith("0"):
        out |= {"62" + digits[1:], "+62" + digits[1:], digits[1:]}
    return {v for v in out if len(re.sub(r"\D", "", v)) >= 6} | ({number.strip()} if number.strip() else set())


class Protected:
    """The protected strings of a bundle: names -> pseudonym, identifiers -> ``[redacted]``."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}
        self.identifiers: set[str] = set()
        self.kept: set[str] = set()  # protected names that are also the own names of people in other roles
        self._repl: dict[str, str] = {}  # see _replacements
        self._name_keys: set[str] = set()
        self._names_read = 0
        self._ids_read: set[str] = set()
        self._index = WordIndex()
        self._leaks: tuple[Any, dict[str, str], WordIndex] = (None, {}, WordIndex())

    def add_name(self, name: Any, pseudonym: str) -> None:
        for n in name if isinstance(name, list) else [name]:
            if isinstance(n, str) and len(n.strip()) >= 3:
                self.names.setdefault(_nfc(n.strip()), pseudonym)

    def add_identifier(self, value: Any, field: str) -> None:
        for v in value if isinstance(value, list) else [value]:
            if v is None:
                continue
            v = _nfc(str(v).strip())
            if len(v) < 5:
                continue
            self.identifiers |= phone_variants(v) if field in {"phone", "number"} and re.search(r"\d{6}", v) else {v}

    def tokens(self) -> list[str]:
        return sorted(set(self.names) | self.identifiers, key=lambda t: (-len(t), t))

    def _replacements(self) -> dict[str, str]:
        """Lower-cased protected string -> its replacement (a name's pseudonym over ``[redacted]``), kept names
        included (:meth:`scrub` skips them). Kept up to date as names and numbers are added: each is read once."""
        repl, fresh = self._repl, []
        if self._names_read < len(self.names):  # names only grow (setdefault), in insertion order
            for t, p in itertools.islice(self.names.items(), self._names_read, None):
                key = t.lower()
                repl[key] = p  # a later name with the same key wins, as in a dict built from them all
                self._name_keys.add(key)
                fresh.append(key)
            self._names_read = len(self.names)
        if len(self._ids_read) < len(self.identifiers):
            for t in self.identifiers - self._ids_read:
                key = t.lower()
                if key not in self._name_keys:
                    repl[key] = "[redacted]"
                fresh.append(key)
            self._ids_read |= self.identifiers
        self._index.add(fresh)
        return repl

    def _reference_pattern(self) -> tuple[re.Pattern[str] | None, dict[str, str]]:
        """The plain reading of :meth:`scrub`: one trie expression of every protected string but the kept names.

        Compiling it takes minutes on a national database; :meth:`scrub` finds
        the same matches with a :class:`~graphnet.evidence.words.WordIndex`
        (``tests/test_redaction_words.py`` holds the two equal).
        """
        repl = {t.lower(): "[redacted]" for t in self.identifiers}
        repl |= {t.lower(): p for t, p in self.names.items()}
        for k in self.kept:
            repl.pop(k, None)
        pattern = re.compile(r"(?<!\w)" + trie_regex(repl) + r"(?!\w)", re.IGNORECASE) if repl else None
        return pattern, repl

    def holds(self, text: str) -> bool:
        """Whether ``text`` holds a protected name or number (kept names excepted): ``scrub(text)[1] > 0``.

        >>> p = Protected(); p.add_name("Siti Aminah", "V-1")
        >>> p.holds("lodging:L-SITI AMINAH-room 4"), p.holds("lodging:L-sitiaminah-room 9")
        (True, False)
        """
        self._replacements()
        return self._index.search(_nfc(text), self.kept.__contains__)

    def leak_forms(self) -> tuple[dict[str, str], WordIndex]:
        """For :func:`leaks`: every form a protected string may take in a file (lower case) -> its kind, and
        their index (the matches of ``(?<!\\w)`` + ``trie_regex(forms)`` + ``(?!\\w)``, any case). Made once
        for the strings protected so far: a bundle checks each of its files with it."""
        state = (len(self.names), len(self.identifiers), len(self.kept))
        if self._leaks[0] != state:
            kinds: dict[str, str] = {}
            for token in self.tokens():
                if _name_key(token) in self.kept:
                    continue  # also the own name of someone in another role (see redact_subgraph)
                kind = "name" if token in self.names else "identifier"
                for variant in {token, unicodedata.normalize("NFD", token)}:
                    for form in _forms(variant):
                        kinds.setdefault(form.lower(), kind)
            self._leaks = (state, kinds, WordIndex(kinds))
        return self._leaks[1], self._leaks[2]

    def scrub(self, text: str) -> tuple[str, int]:
        """Replace protected names by their pseudonym and identifiers by ``[redacted]`` (kept names excepted).

        Names are compared under Unicode NFC, so a name written decomposed
        (NFD) is found too; a text with a replacement comes back in NFC, any
        other text unchanged. Whole words, any case: the matches of
        :meth:`_reference_pattern`.

        >>> p = Protected(); p.add_name("Siti Aminah", "V-1"); p.add_identifier("6171014101990001", "nik")
        >>> p.scrub("siti aminah (NIK 6171014101990001) met Siti Aminaho")
        ('V-1 (NIK [redacted]) met Siti Aminaho', 2)
        >>> p.add_name("Hằng", "V-2"); p.scrub(unicodedata.normalize("NFD", "Bà Hằng"))
        ('Bà V-2', 1)
        """
        repl = self._replacements()
        # a match the lower-casing cannot map back (a rare case-folding) is still replaced
        kept = self.kept
        out, n = self._index.sub(_nfc(text), lambda m: "[redacted]" if (low := m.lower()) in kept
                                 else repl.get(low, "[redacted]"), kept.__contains__)
        return (out, n) if n else (text, 0)


def trie_regex(words: Iterable[str]) -> str:
    """One regular expression matching any of ``words`` literally, factored as a trie.

    Thousands of protected names and numbers are searched in one pass.

    >>> trie_regex(["ab", "abc", "b"])
    '(?:ab(?:c)?|b)'
    >>> bool(re.fullmatch(trie_regex(["o'b", "a.b"]), "a.b")), bool(re.fullmatch(trie_regex(["a.b"]), "axb"))
    (True, False)
    """
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, Any]) -> str:
        alts = [re.escape(ch) + build(sub) for ch, sub in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(trie)


def _roles(data: dict[str, Any]) -> set[str]:
    roles = data.get("roles") or []
    return {str(r).lower() for r in ([roles] if isinstance(roles, str) else roles)}


def _scrub_value(value: Any, prot: Protected, counter: list[int]) -> Any:
    if isinstance(value, str):
        out, n = prot.scrub(value)
        counter[0] += n
        return out
    if isinstance(value, list):
        return [_scrub_value(v, prot, counter) for v in value]
    if isinstance(value, dict):
        return {k: _scrub_value(v, prot, counter) for k, v in value.items()}
    return value


def _collect_tokens(prot: Protected, schema: Any, uid: str, d: dict[str, Any], pseudo: str) -> None:
    for f in _NAME_FIELDS:
        prot.add_name(d.get(f), pseudo)
    for f in _ID_FIELDS:
        prot.add_identifier(d.get(f), f)
    for f in schema.nodes[d["label"]].identifying:
        if f not in _NAME_FIELDS and f != "birth_date":
            prot.add_identifier(d.get(f), f)
    prot.add_name(uid, pseudo)  # a protected uid (it may hold a name or number) reads as the pseudonym
    if d["label"] == "Phone":
        prot.add_identifier(uid.split(":", 1)[-1], "phone")


_NOT_OWN_ROLES = {"guest", "passenger", "subscriber"}  # roles a victim's own records carry in other files


def _as_list(v: Any) -> list[Any]:
    return v if isinstance(v, list) else ([] if v is None else [v])


def _keeps_name(d: dict[str, Any], protected_roles: set[str], more_roles: Iterable[str] = ()) -> bool:
    """A Person whose roles show someone else than a protected person (e.g. a suspect, a driver)."""
    roles = _roles(d) | set(more_roles)
    return d.get("label") == "Person" and bool(roles) and not roles & (protected_roles | _NOT_OWN_ROLES)


class _RoleIndex:
    """Which protected person a record shares identifiers (or, failing that, a name) with: the first by uid.

    Kept up to date as people are added, so each lookup is one pass over
    the record's own identifiers and names, not over every protected person
    (a national database protects tens of thousands).

    >>> sub = Subgraph(nodes={"p:b": {"label": "Person", "phone": "+62 811-0000-0001", "name": "Ani"},
    ...                       "p:a": {"label": "Person", "nik": "610312580152", "name": "Ani"}},
    ...                edges=[], sources={}, seeds=[], paths=[], selection={})
    >>> index = _RoleIndex(sub, {"p:b": "victim", "p:a": "witness"})
    >>> index.role({"081100000001"}, set()), index.role(set(), {"ani"}), index.role(set(), set())
    ('victim', 'witness', 'victim')
    """

    def __init__(self, sub: Subgraph, people: dict[str, str]):
        self.sub = sub
        self.by_id: dict[str, tuple[str, str]] = {}
        self.by_name: dict[str, tuple[str, str]] = {}
        self.roles: set[str] = set()
        for uid, role in people.items():
            self.add(uid, role)

    def add(self, uid: str, role: str) -> None:
        d = self.sub.nodes[uid]
        probe = Protected()
        for f in _ID_FIELDS:
            probe.add_identifier(d.get(f), f)
        for key, index in ((probe.identifiers, self.by_id),
                           ({_name_key(n) for f in _NAME_FIELDS for n in _as_list(d.get(f))}, self.by_name)):
            for k in key:
                if k not in index or (uid, role) < index[k]:
                    index[k] = (uid, role)
        self.roles.add(role)

    def role(self, ids: set[str], names: set[str]) -> str:
        """The protected role of the first person (by uid) sharing ``ids``, else ``names``; else the first role."""
        for wanted, index in ((ids, self.by_id), (names, self.by_name)):
            hits = [index[k] for k in wanted if k in index]
            if hits:
                return min(hits)[1]
        return min(self.roles) if self.roles else "victim"


def _identity(uid: str, d: dict[str, Any], wanted: set[str], roles: Iterable[str]) -> tuple[set[str], set[str], bool]:
    """A record's identifiers and name keys, and whether sharing a protected name makes it a protected
    person's (a Person whose own roles do not show someone else: :func:`_keeps_name`)."""
    ids = {_nfc(str(v).strip()) for f in _ID_FIELDS for v in (d.get(f) if isinstance(d.get(f), list) else [d.get(f)]) if v}
    if d["label"] == "Phone":
        ids.add(uid.split(":", 1)[-1])
    names = {_name_key(n) for f in _NAME_FIELDS for n in _as_list(d.get(f))}
    return ids, names, d["label"] == "Person" and not _keeps_name(d, wanted, roles)


def protect(sub: Subgraph, redactor: Redactor, roles: Iterable[str] = ("victim",), outside: Protected | None = None
            ) -> tuple[dict[str, str], Protected, set[str]]:
    """Who and what :func:`redact_subgraph` protects in ``sub``: ``(uid -> pseudonym, strings, homonyms)``.

    The protected people (by role, case role, resolved records, shared
    identifiers, same name), the phones, documents and accounts they hold,
    and any other uid built from their names or numbers; the strings to
    scrub elsewhere; and the people in other roles who keep a name that is
    also a protected person's. ``outside``: the names and numbers of people
    protected elsewhere in the database (:func:`graphnet.redact.protection_in`),
    so a record in ``sub`` bearing them is protected though her other records
    are not in ``sub``. Reports and views use it too. ``sub.suspected_same``:
    pairs of records the resolver proposes as one person; the other record of
    a protected person's pair is protected unless its own role shows someone
    else (a suspect, a driver: :func:`_keeps_name`).
    """
    schema = load_schema()
    wanted = set(roles)
    people: dict[str, str] = {}  # uid -> role that protects it
    for uid, d in sub.nodes.items():
        if d.get("label") == "Person":
            known = _roles(d) | set(sub.person_roles.get(uid, []))
            hit = sorted(known & wanted) or (["unknown"] if "unknown" in wanted and not known else [])
            if hit:
                people[uid] = hit[0]
    for e in sub.edges:
        role = str(e.get("role") or "").lower()
        if e["type"] == "INVOLVED_IN" and role in wanted and sub.nodes.get(e["source"], {}).get("label") == "Person":
            people.setdefault(e["source"], role)
    for group in sub.same_person:  # other records of a protected person are protected too
        hit = sorted({people[u] for u in group if u in people})
        if hit:
            for u in group:
                people.setdefault(u, hit[0])
    held: set[str] = set()
    mapping: dict[str, str] = {}
    prot = Protected()
    if outside is not None:
        for name, pseudonym in outside.names.items():
            prot.names.setdefault(name, pseudonym)
        prot.identifiers |= outside.identifiers
    sharing = _RoleIndex(sub, people)
    collected: set[str] = set()
    # each record's identifiers and names, and whether a shared name makes it hers, read once for all rounds
    others = [(uid, d, *_identity(uid, d, wanted, sub.person_roles.get(uid, []))) for uid, d in sub.nodes.items()]
    holdings: dict[str, list[str]] = {}  # person -> the phones, documents and accounts she uses or holds
    for e in sub.edges:
        if e["type"] in _HOLDING and sub.nodes.get(e["target"], {}).get("label") in _HELD:
            holdings.setdefault(e["source"], []).append(e["target"])
    while True:  # until no other record shares a protected identifier
        for uid in people:
            held.update(holdings.get(uid, ()))
        for uid, role in people.items():
            if uid not in mapping:  # each pseudonym computed once (an HMAC), not once per round
                mapping[uid] = redactor.pseudonym(uid, _PREFIX.get(role, role[:1].upper() + "-"))
        for uid in held:
            if uid not in mapping:
                mapping[uid] = redactor.pseudonym(uid, f"{sub.nodes[uid]['label'][:3].upper()}-")
        for uid, pseudo in mapping.items():
            if uid not in collected:  # names and numbers only grow: each protected record read once
                _collect_tokens(prot, schema, uid, sub.nodes[uid], pseudo)
                collected.add(uid)
        grew = False
        protected_names = {_name_key(n) for n in prot.names}
        others = [item for item in others if item[0] not in mapping]  # the records not protected yet
        for uid, d, ids, names, by_name in others:
            same_name = by_name and bool(names & protected_names)
            if ids & prot.identifiers or same_name:  # another record of a protected person, or a thing of theirs
                if d["label"] == "Person":
                    people[uid] = sharing.role(ids, names)
                    sharing.add(uid, people[uid])
                elif d["label"] in _HELD:
                    held.add(uid)
                grew = True
        # a record the resolver proposes (not applied) as a protected person's other record: protected
        # unless its own role (a suspect, a driver) shows someone else
        for pair in sub.suspected_same:
            for x, y in (pair, pair[::-1]):
                if x in people and y not in people and y in sub.nodes and sub.nodes[y].get("label") == "Person" \
                        and not _keeps_name(sub.nodes[y], wanted, sub.person_roles.get(y, [])):
                    people[y] = people[x]
                    sharing.add(y, people[y])
                    grew = True
        if not grew:
            break
    # A person in another role (a suspect, a driver) who shares a protected person's name but none of
    # their identifiers is someone else: their own name stays (homonyms are common), everything else is scrubbed.
    homonyms = set()
    protected_names = {_name_key(n) for n in prot.names}
    for uid, d in sub.nodes.items():
        if uid not in mapping and _keeps_name(d, wanted, sub.person_roles.get(uid, [])):
            own = {_name_key(n) for f in _NAME_FIELDS for n in _as_list(d.get(f))}
            hit = own & protected_names
            if hit:
                prot.kept |= hit
                homonyms.add(uid)
    # Any other uid built from a protected name or number is protected too, and its own uid becomes a
    # protected name (a uid built from that uid is then caught in the next round). Each round looks every
    # remaining uid up in the index of every protected name and number (Protected.holds), built as they come.
    while found := [uid for uid in sub.nodes if uid not in mapping and prot.holds(uid)]:
        for uid in found:
            mapping[uid] = redactor.pseudonym(uid, f"{sub.nodes[uid]['label'][:3].upper()}-")
            prot.add_name(uid, mapping[uid])
    return mapping, prot, homonyms


def redact_subgraph(sub: Subgraph, redactor: Redactor, roles: Iterable[str] = ("victim",),
                    outside: Protected | None = None) -> tuple[Subgraph, Protected]:
    """A copy of ``sub`` with protected people pseudonymised and their identifiers gone.

    Returns the redacted subgraph and the :class:`Protected` strings (kept in
    memory only, to check the written bundle with :func:`leaks`).
    ``outside``: see :func:`protect`.
    """
    schema = load_schema()
    wanted = set(roles)
    mapping, prot, homonyms = protect(sub, redactor, wanted, outside)
    nodes: dict[str, dict[str, Any]] = {}
    for uid, d in sub.nodes.items():
        new = dict(d)
        if uid in mapping:
            drop = set(schema.nodes[d["label"]].identifying) | ALWAYS_DROP
            new = {k: v for k, v in new.items() if k not in drop}
            new["uid"] = new["name"] = mapping[uid]
            new["redacted"] = True
        nodes[mapping.get(uid, uid)] = new
    edges = [
        {**e, "source": mapping.get(e["source"], e["source"]), "target": mapping.get(e["target"], e["target"])}
        for e in sub.edges
    ]
    counter = [0]
    # scrub every other string: other people's and things' properties, relationship properties, paths
    nodes = {k: (v if v.get("redacted") else _scrub_value(v, prot, counter)) for k, v in nodes.items()}
    edges = [_scrub_value(e, prot, counter) for e in edges]
    edges.sort(key=lambda e: (e["source"], e["target"], e["type"], e.get("key") or ""))
    sources = {}
    for suid, s in sub.sources.items():
        s = dict(s)
        path = str(s.get("path") or "")
        scrubbed, n = prot.scrub(path)
        if n:
            s["path"] = "[path withheld: it contains a protected identifier]"
            counter[0] += n
        sources[suid] = _scrub_value(s, prot, counter)
    paths = [{**p, "nodes": [mapping.get(n, n) for n in p["nodes"]]} for p in sub.paths]
    selection = _scrub_value(sub.selection, prot, counter)
    for key in ("person", "people"):
        if key in selection:  # a selection started from a protected person names its pseudonym
            val = selection[key]
            selection[key] = [mapping.get(v, v) for v in val] if isinstance(val, list) else mapping.get(val, val)
    notes = list(sub.notes)
    if homonyms:
        notes.append(f"{len(homonyms)} person record(s) in other roles share a name with a protected person but none "
                     "of their identifiers: their own names are kept")
    if counter[0]:
        notes.append(f"{counter[0]} mention(s) of protected names or numbers outside the protected records were replaced")
    out = Subgraph(
        nodes=dict(sorted(nodes.items())),
        edges=edges,
        sources=sources,
        seeds=sorted(mapping.get(s, s) for s in sub.seeds),
        paths=paths,
        selection={**selection, "redacted_roles": sorted(wanted)},
        notes=notes,
        same_person=sorted(sorted(mapping.get(u, u) for u in g) for g in sub.same_person),
    )
    return out, prot


def _forms(token: str) -> set[str]:
    """A token as it may appear in bytes: plain, JSON-escaped (\\u00e9), XML-escaped."""
    forms = {token, json.dumps(token)[1:-1], json.dumps(token, ensure_ascii=False)[1:-1]}
    forms.add(token.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&#39;").replace('"', "&#34;"))
    return {f for f in forms if f}


def leaks(data: bytes, prot: Protected) -> list[str]:
    """Protected strings found in ``data`` (as UTF-8 / UTF-16 / escaped text, case-insensitive, whole words).

    A name is found written precomposed (NFC) or decomposed (NFD), escaped or not.
    Returns which kind of string leaked (``name`` or ``identifier``), never the string itself.
    """
    kinds, index = prot.leak_forms()
    if not kinds:
        return []
    found = []
    for enc in ("utf-8", "utf-16-le", "utf-16-be"):
        text = data.decode(enc, errors="ignore")
        for variant in {text, _nfc(text)}:
            found += [kinds.get(m.lower(), "name") for m in index.findall(variant)]
    return sorted(set(found))


def zip_parts(zipped: bytes, files: Mapping[str, bytes]) -> list[tuple[str, bytes]]:
    """What :func:`leaks` must search in a bundle's zip besides ``files``: its member names and comments.

    Each member must hold exactly the bytes of the file of the same name
    (searched already); the compressed stream itself is not searched as text:
    random DEFLATE bytes spell a three-letter name such as "Sri" between two
    non-letters often enough to abort an export at random.

    >>> from graphnet.evidence.custody import zip_bytes
    >>> zip_parts(zip_bytes({"a.csv": b"x"}, "b"), {"a.csv": b"x"})
    [('b.zip: member names and comments', b'b/a.csv\\n\\n')]
    """
    with zipfile.ZipFile(io.BytesIO(zipped)) as z:
        infos = z.infolist()
        folder = infos[0].filename.split("/", 1)[0] if infos else ""
        names = []
        for info in infos:
            name = info.filename.split("/", 1)[-1]
            if name not in files or z.read(info) != files[name]:  # pragma: no cover - zip_bytes wrote them
                raise GraphnetError(f"{folder}.zip: member {info.filename} is not the file it should hold; nothing "
                                    "was written (please report this as a bug)")
            names += [info.filename.encode("utf-8"), info.comment]
        names.append(z.comment)
    return [(f"{folder}.zip: member names and comments", b"\n".join(names))]
