"""Indonesian (and Sarawak) names, and the spelling noise agencies add to them.

Each agency types a person's name its own way: ``Siti`` becomes ``St.``,
``Muhammad`` becomes ``Moh.`` or ``Muh.``, a returned pilgrim gains ``Hj.``,
old Dutch-era spellings (``oe`` for ``u``, ``dj`` for ``j``, ``tj`` for ``c``)
come back, a clerk writes only one name, or makes a typo. :func:`spelling_variant`
applies one such change; the result is always a different string.

>>> import random
>>> spelling_variant("Siti Aminah", random.Random(1), kinds=("siti",))
'St. Aminah'
>>> spelling_variant("Muhammad Rizal", random.Random(2), kinds=("muhammad",)) in {"Moh. Rizal", "Muh. Rizal", "M. Rizal", "Mohammad Rizal", "Muhamad Rizal"}
True
>>> spelling_variant("Joko Purnomo", random.Random(3), kinds=("old_spelling",)) in {"Djoko Purnomo", "Joko Poernomo"}
True
"""

from __future__ import annotations

import random
from collections.abc import Sequence

__all__ = ["NamePools", "POOLS", "person_name", "spelling_variant", "VARIANT_KINDS"]


class NamePools:
    """First names and surnames by community (``java``, ``ntt``, ``kalbar``, ``chinese``, ``sarawak``)."""

    female_first = {
        "java": ["Siti", "Nur", "Dewi", "Sri", "Rina", "Yuli", "Euis", "Cucu", "Imas", "Neneng",
                 "Aisyah", "Fatimah", "Nurhayati", "Lilis", "Enung", "Aminah", "Juariah", "Sumiati",
                 "Wati", "Eka", "Yanti", "Ratna", "Tuti", "Komariah"],
        "ntt": ["Maria", "Yohana", "Agustina", "Margaretha", "Yuliana", "Florentina", "Veronika",
                "Dorotea", "Elisabeth", "Anjelina", "Yasinta", "Kristina", "Adriana", "Magdalena"],
        "kalbar": ["Siti", "Nurul", "Rosita", "Yuyun", "Maimunah", "Fitri", "Dayang", "Rahmawati",
                   "Yulia", "Herlina", "Susanti", "Marlina"],
        "chinese": ["Mei Hwa", "Sui Lan", "Kim Fa", "Lie Na", "Ah Moi"],
    }
    male_first = {
        "java": ["Muhammad", "Ahmad", "Asep", "Ujang", "Dedi", "Agus", "Budi", "Joko", "Slamet",
                 "Rudi", "Abdul", "Cahyo", "Yusuf", "Dadang", "Endang", "Iwan", "Jajang", "Sukarno"],
        "ntt": ["Yohanes", "Fransiskus", "Petrus", "Agustinus", "Yosef", "Marselinus", "Dominikus",
                "Aloysius", "Kornelis", "Yakobus", "Paulus", "Stefanus"],
        "kalbar": ["Muhammad", "Syarif", "Hendra", "Rizal", "Antonius", "Markus", "Yulius", "Uray",
                   "Junaidi", "Herman", "Suryadi", "Bujang", "Jumadi"],
        "chinese": ["Acong", "Ahiong", "Kim Seng", "Ah Kiong", "Fung Lie", "Cun Fat"],
    }
    surname = {
        "java": ["Saepudin", "Hidayat", "Rahman", "Santoso", "Setiawan", "Kurniawan", "Hakim",
                 "Firmansyah", "Gunawan", "Sutrisno", "Purnomo", "Suryani", "Rahayu", "Nurjanah",
                 "Lestari", "Handayani", "Fitriani", "Hasanah", "Wulandari", "Cahyono", "Sujono",
                 "Mulyadi", "Junaedi"],
        "ntt": ["Bria", "Nahak", "Seran", "Tefa", "Bani", "Kolo", "Manek", "Taek", "Lake", "Mau",
                "Tallo", "Neno", "Ati", "Ndun", "Benu", "Missa", "Bolla", "Laka"],
        "kalbar": ["Abdullah", "Hamid", "Alkadrie", "Ajong", "Ngadi", "Usman", "Jamal", "Saputra",
                   "Kusuma", "Effendi", "Sanjaya", "Junaidi"],
        "chinese": ["Lim", "Tjhin", "Bong", "Lie", "Chai", "Tjong", "Phang", "Oei"],
    }
    sarawak = {
        "first": ["Ahmad", "Tan", "Lau", "Wong", "Abang", "Ling", "Ngu", "Awang"],
        "last": ["bin Salleh", "Chee Keong", "Kah Ming", "Siew Ling", "bin Jamil", "Kiong Hui",
                 "bin Bujang", "Tiong Seng"],
    }


POOLS = NamePools()


def person_name(rng: random.Random, community: str, female: bool, *, surname: str | None = None) -> str:
    """A plausible full name; ``surname`` keeps a family's name (NTT, Chinese, Java)."""
    if community == "sarawak":
        return f"{rng.choice(POOLS.sarawak['first'])} {rng.choice(POOLS.sarawak['last'])}"
    first = rng.choice((POOLS.female_first if female else POOLS.male_first)[community])
    last = surname or rng.choice(POOLS.surname[community])
    if community == "chinese":
        return f"{last} {first}"
    if community == "java" and surname is None and rng.random() < 0.12:
        return first  # single names are common in Java
    if first == last:
        return first
    return f"{first} {last}"


VARIANT_KINDS: tuple[str, ...] = (
    "siti", "muhammad", "hajj", "old_spelling", "single_name", "typo", "upper",
)

_MUHAMMAD = ("Moh.", "Muh.", "M.", "Mohammad", "Muhamad")
_OLD = (("dj", "j"), ("tj", "c"), ("oe", "u"))


def _old_spelling(tokens: list[str], rng: random.Random) -> list[str] | None:
    options = []
    for i, tok in enumerate(tokens):
        low = tok.lower()
        for old, new in _OLD:
            if old in low:
                options.append((i, old, new))  # old -> new spelling
            elif new in low[1:] if new == "u" else new in low:
                options.append((i, new, old))  # new -> old spelling
    if not options:
        return None
    i, a, b = rng.choice(options)
    tok = tokens[i]
    pos = tok.lower().find(a, 1 if a == "u" else 0)
    if pos < 0:
        return None
    piece = tok[pos: pos + len(a)]
    repl = b.capitalize() if piece[:1].isupper() else b
    out = list(tokens)
    out[i] = tok[:pos] + repl + tok[pos + len(a):]
    return out


def _typo(tokens: list[str], rng: random.Random) -> list[str] | None:
    long = [i for i, t in enumerate(tokens) if len(t) >= 4 and t.isalpha()]
    if not long:
        return None
    i = rng.choice(long)
    tok = tokens[i]
    p = rng.randrange(1, len(tok) - 1)
    op = rng.choice(("swap", "drop", "double"))
    if op == "swap" and tok[p] != tok[p + 1]:
        tok = tok[:p] + tok[p + 1] + tok[p] + tok[p + 2:]
    elif op == "drop":
        tok = tok[:p] + tok[p + 1:]
    else:
        tok = tok[:p] + tok[p] + tok[p:]
    out = list(tokens)
    out[i] = tok
    return out


def spelling_variant(name: str, rng: random.Random, *, female: bool | None = None,
                     kinds: Sequence[str] = VARIANT_KINDS) -> str:
    """The name as another clerk writes it: one spelling change, never the same string."""
    tokens = name.split()
    order = list(kinds)
    rng.shuffle(order)
    for kind in order:
        out: list[str] | None = None
        if kind == "siti" and "Siti" in tokens:
            out = ["St." if t == "Siti" else t for t in tokens]
        elif kind == "siti" and "St." in tokens:
            out = ["Siti" if t == "St." else t for t in tokens]
        elif kind == "muhammad" and "Muhammad" in tokens:
            short = rng.choice(_MUHAMMAD)
            out = [short if t == "Muhammad" else t for t in tokens]
        elif kind == "hajj" and tokens[0] not in {"Hj.", "H."} and female is not None:
            out = ["Hj." if female else "H.", *tokens]
        elif kind == "old_spelling":
            out = _old_spelling(tokens, rng)
        elif kind == "single_name" and len(tokens) >= 2 and not tokens[0].endswith("."):
            out = [tokens[0]]
        elif kind == "typo":
            out = _typo(tokens, rng)
        elif kind == "upper" and name != name.upper():
            out = [t.upper() for t in tokens]
        if out is not None and " ".join(out) != name:
            return " ".join(out)
    return name.upper() if name != name.upper() else name.lower()
