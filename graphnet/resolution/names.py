"""Indonesian personal names: normalisation for matching, and a similarity score.

Stored names keep their spelling; these functions only decide whether two
spellings may name one person. What they understand:

- **honorifics and titles** before a name (``Hj.``, ``H.``, ``Haji``,
  ``Hajjah``, ``Ibu``/``Bu``, ``Bapak``/``Pak``, ``Sdr.``, ``Ny.``, ``Drs.``,
  ``Ir.``, ``Dr.``, ``KH``, ``Ustadz`` ...) and academic degrees after it
  (``S.Pd.``, ``S.H.``, ``S.E.``, ``M.M.``, ``A.Md.`` ...), which are dropped;
- **abbreviations**: ``St.`` = Siti (first position), ``Moh.``/``Muh.``/
  ``Mhd.``/``Moch.``/``Mochammad``/``Mohammad`` = Muhammad, ``Abd.`` = Abdul,
  ``Noor``/``Nurul`` = Nur; ``bin``/``binti`` (child of) are dropped;
- **spelling**: the old (pre-1972, Dutch-based) spelling ``oe`` = u, ``dj`` =
  j, ``tj`` = c, ``sj`` = sy, ``nj`` = ny, ``ch`` = kh, old ``j`` = y; common
  variants ``kh``/``h`` (Akhmad/Ahmad), ``th``/``t``, ``dh``/``d``, ``ph``/``f``,
  ``v``/``f``, ``q``/``k``, a final ``h`` (Aminah/Amina), doubled letters
  (Abdullah/Abdulah);
- **single names** (many Indonesians have one): a single name matches the
  first or last word of a longer name, with a lower score;
- **word order** and **joined words** (Nur Hayati / Nurhayati).

>>> normalise_name("Hj. St. Aminah, S.Pd.")
('siti', 'aminah')
>>> match_key("Soekarno") == match_key("Sukarno"), match_key("Tjahjono") == match_key("Cahyono")
(True, True)
>>> name_score("Moh. Djoko Santoso", "Muhammad Joko Santoso")
1.0
>>> round(name_score("Sumarni", "Sumarni binti Karto"), 2)
0.85
>>> name_score("Siti Aminah", "Budi Santoso") < 0.5
True
"""

from __future__ import annotations

import functools
import re
import unicodedata
from itertools import permutations

from rapidfuzz import fuzz

__all__ = [
    "HONORIFICS",
    "DEGREES",
    "ABBREVIATIONS",
    "normalise_name",
    "spelling_key",
    "match_key",
    "token_score",
    "name_score",
    "key_score",
    "COMMON_WORDS",
    "SINGLE_NAME_FACTOR",
    "SUBSET_FACTOR",
    "JOINED_FACTOR",
]

#: Honorifics and titles that may stand before a name (compared without dots).
HONORIFICS = frozenset(
    """
    h hj haji hajjah hajah hjh ibu bu bapak pak bpk bp sdr sdri saudara saudari ny nyonya tn tuan
    nn nona nona an a.n almarhum alm almarhumah almh drs dra dr ir prof kh kyai kiai ust ustad ustadz
    ustadzah ustazah habib syekh sheikh mbak mba mas bang kak dik raden rd
    """.split()
)

#: Academic degrees that may follow a name (compared without dots).
DEGREES = frozenset(
    """
    spd sh se st ssos sag skom ssi sip skm sked sth ssn sp spt sst mh mm mpd msi mkom mag msc
    mba phd amd amdkeb amdkep amk bsc
    """.split()
)

#: Abbreviations and variant spellings of whole words -> one form.
ABBREVIATIONS = {
    **dict.fromkeys(
        "moh muh mhd mhmd moch mochamad mochammad mohamad mohammad mohamed mohammed muhamad muchamad"
        " muchammad mukhamad mukhammad mohd muhd".split(),
        "muhammad",
    ),
    "abd": "abdul",
    "abdl": "abdul",
    "noor": "nur",
    "nurul": "nur",
    "nour": "nur",
    "nor": "nur",
    "ahmd": "ahmad",
}

# Words that join names but are not names: bin/binti (child of), van/de (rare).
_CONNECTORS = frozenset({"bin", "binti", "bt", "bte"})
# Abbreviations that only mean a name in the first position (elsewhere: an initial or a degree).
_FIRST_ONLY = {"st": "siti", "m": "muhammad", "md": "muhammad"}

# Applied in order to one word: old spelling first, then common variants.
_SPELLING = [
    ("oe", "u"),
    ("ou", "u"),
    ("ae", "ai"),
    ("dj", "j"),
    ("tj", "c"),
    ("sj", "sy"),
    ("nj", "ny"),
    ("ch", "kh"),
    ("kh", "h"),
    ("sh", "sy"),
    ("th", "t"),
    ("dh", "d"),
    ("ph", "f"),
    ("v", "f"),
    ("q", "k"),
    ("x", "ks"),
    ("j", "y"),  # old j = y; after dj -> j this also folds Joko/Djoko/Yoko onto one key
]

#: Very common name words (Siti, Muhammad, Nur, Sri, birth-order names...): they weigh half
#: as much as the rest, so "Siti Aminah" and "Siti Aisyah" do not look alike for sharing "Siti".
COMMON_WORDS = frozenset(
    "siti muhammad ahmad abdul nur sri dewi putri putra eko dwi tri agus budi ayu dian rina".split()
)
COMMON_WEIGHT = 0.5

_WORD = re.compile(r"[a-z0-9.']+")

SINGLE_NAME_FACTOR = 0.85
"""A single name against the first or last word of a longer name scores at most this."""
SUBSET_FACTOR = 0.88
"""A multi-word name contained in a longer one scores at most this (one of the two lacks words)."""
JOINED_FACTOR = 0.95
"""Names equal once spaces are removed (Nur Hayati / Nurhayati) score at most this."""
REORDER_FACTOR = 0.98
"""The same words in another order score at most this (an exact spelling stays on top)."""


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def normalise_name(name: str | None) -> tuple[str, ...]:
    """The words of a name with titles, degrees and connectors dropped and abbreviations expanded.

    Spelling is kept (see :func:`match_key` for the spelling-folded form).
    A name made only of titles keeps them rather than becoming empty.

    >>> normalise_name("Bapak H. Abd. Rahman bin Yusuf")
    ('abdul', 'rahman', 'yusuf')
    >>> normalise_name("IBU NOOR HAYATI, S.E., M.M.")
    ('nur', 'hayati')
    >>> normalise_name("Ibu")
    ('ibu',)
    >>> normalise_name("")
    ()
    """
    if not name:
        return ()
    text = _ascii(name)
    # academic degrees start after the first comma: "Siti Aminah, S.Pd., M.Pd."
    head = text.partition(",")[0].replace("'", "")
    raw: list[str] = []
    for w in _WORD.findall(head):
        core = w.strip(".")
        if not core:
            continue
        joined = core.replace(".", "")
        if joined in DEGREES or joined in HONORIFICS:  # "S.Pd", "Hj"
            raw.append(joined)
        else:  # "Moh.Rizki" written without a space
            raw.extend(p for p in core.split(".") if p)
    if not raw:
        return ()
    out = list(raw)
    # leading honorifics, possibly several ("Ibu Hj."), never the whole name
    i = 0
    while i < len(out) - 1 and out[i] in HONORIFICS:
        i += 1
    out = out[i:]
    # trailing degrees written without a comma: "Budi Santoso SH"
    while len(out) > 1 and out[-1] in DEGREES:
        out.pop()
    if len(out) > 1 and out[0] in _FIRST_ONLY:  # "St. Aminah" = Siti, "M. Rizki" = Muhammad
        out[0] = _FIRST_ONLY[out[0]]
    out = [ABBREVIATIONS.get(w, w) for w in out]
    kept = [w for w in out if w not in _CONNECTORS]
    return tuple(kept or out or raw)


def spelling_key(word: str) -> str:
    """One word folded over spelling variants (old spelling, kh/h, final h, doubled letters).

    >>> [spelling_key(w) for w in ["soeharto", "djojo", "tjahjono", "achmad", "fatimah", "abdullah"]]
    ['suarto', 'yoyo', 'cayono', 'amad', 'fatima', 'abdula']
    """
    w = word
    for old, new in _SPELLING:
        w = w.replace(old, new)
    if w.endswith("ie") and len(w) > 3:
        w = w[:-2] + "i"
    if w.endswith("y") and len(w) > 3:  # Rizky/Rizki, Hendry/Hendri
        w = w[:-1] + "i"
    if len(w) > 2 and w.endswith("h"):
        w = w[:-1]
    w = re.sub(r"(.)\1+", r"\1", w)
    # a medial h between vowel and consonant is often dropped: Rahmat/Ramat, Suharto/Suarto
    w = re.sub(r"(?<=[aeiou])h(?=[^aeiou]|$)", "", w)
    w = re.sub(r"(?<=[aeiou])h(?=[aeiou])", "", w)
    return w


@functools.lru_cache(maxsize=200_000)
def match_key(name: str | None) -> tuple[str, ...]:
    """The normalised words of a name, each folded by :func:`spelling_key`.

    >>> match_key("Hj. Siti Choirijah")
    ('siti', 'hoiriya')
    >>> match_key("Siti Khoiriyah") == match_key("Hj. Siti Choirijah")
    True
    """
    return tuple(k for k in (spelling_key(w) for w in normalise_name(name)) if k)


def token_score(a: str, b: str) -> float:
    """Similarity of two folded words in [0, 1]; an initial matches a word it starts.

    >>> token_score("aminah", "aminah"), token_score("m", "muhamad"), token_score("m", "budi")
    (1.0, 0.8, 0.0)
    """
    if a == b:
        return 1.0
    if len(a) == 1 or len(b) == 1:
        return 0.8 if a[0] == b[0] else 0.0
    return fuzz.ratio(a, b) / 100.0


_COMMON_KEYS: frozenset[str] = frozenset()  # filled below, once spelling_key exists


def _best_alignment(short: tuple[str, ...], long: tuple[str, ...]) -> tuple[float, bool]:
    """Mean word similarity of the best one-to-one assignment of ``short`` into ``long``.

    Returns the score and whether the best assignment keeps the original order.
    """
    best, in_order = -1.0, False
    if len(long) <= 6:
        candidates = permutations(range(len(long)), len(short))
    else:  # long names: keep it cheap, align greedily
        candidates = iter([_greedy(short, long)])
    weights = [COMMON_WEIGHT if w in _COMMON_KEYS else 1.0 for w in short]
    total = sum(weights)
    for perm in candidates:
        s = sum(wt * token_score(w, long[j]) for wt, w, j in zip(weights, short, perm)) / total
        ordered_ = list(perm) == sorted(perm)
        if s > best + 1e-12 or (abs(s - best) <= 1e-12 and ordered_ and not in_order):
            best, in_order = s, ordered_
    return best, in_order


def _greedy(short: tuple[str, ...], long: tuple[str, ...]) -> tuple[int, ...]:
    used: set[int] = set()
    out = []
    for w in short:
        j = max((j for j in range(len(long)) if j not in used), key=lambda j: token_score(w, long[j]))
        used.add(j)
        out.append(j)
    return tuple(out)


_COMMON_KEYS = frozenset(spelling_key(w) for w in COMMON_WORDS)


def name_score(a: str | None, b: str | None) -> float:
    """How likely two written names are the same person's name, in [0, 1].

    1.0 means equal once titles, abbreviations and spelling are folded.
    Reordered words score :data:`REORDER_FACTOR` at most, a single name
    against the first or last word of a longer name :data:`SINGLE_NAME_FACTOR`
    at most, a shorter multi-word name inside a longer one
    :data:`SUBSET_FACTOR` at most. Missing names score 0.

    >>> name_score("Siti Aminah", "Aminah Siti")
    0.98
    >>> name_score("Nur Hayati", "Nurhayati")
    0.95
    >>> name_score("Budi", "Agus Budi Santoso") < 0.5  # a single name only matches an end
    True
    """
    return key_score(match_key(a), match_key(b))


def key_score(ka: tuple[str, ...], kb: tuple[str, ...]) -> float:
    """:func:`name_score` of two names already folded by :func:`match_key`.

    >>> key_score(match_key("Hj. Siti Aminah"), match_key("St. Aminah"))
    1.0
    """
    if not ka or not kb:
        return 0.0
    if ka == kb:
        return 1.0
    short, long = (ka, kb) if len(ka) <= len(kb) else (kb, ka)
    if len(short) == 1 and len(long) > 1:
        score = SINGLE_NAME_FACTOR * max(token_score(short[0], long[0]), token_score(short[0], long[-1]))
    else:
        aligned, in_order = _best_alignment(short, long)
        if len(short) < len(long):
            score = SUBSET_FACTOR * aligned
        else:
            score = aligned if in_order else min(aligned, REORDER_FACTOR)
    if len(ka) != len(kb):  # words split or joined: Nur Hayati / Nurhayati, Abdul Rahman / Abdurrahman
        score = max(score, JOINED_FACTOR * fuzz.ratio("".join(ka), "".join(kb)) / 100.0)
    return round(score, 4)
