"""Find and replace whole words from a very large set, as one trie regular expression would, without compiling it.

Redaction looks for every protected name and number (on a national database,
millions of them) as whole words in every uid and string it shows. The plain
reading is one regular expression, ``(?<!\\w)`` + :func:`graphnet.evidence.
redaction.trie_regex` of the words + ``(?!\\w)``, compiled with
``re.IGNORECASE``; Python's ``re`` takes minutes and gigabytes to compile it at
that size, and again each time a word is added. :class:`WordIndex` gives the
same matches from a dictionary of the words:

* a match starts where the lookbehind holds (the start of the text, or after a
  character the pattern does not count as a word character) and ends where the
  lookahead holds, so only those slices are looked up;
* under ``ignore_case`` a slice is looked up by a *fold* that keeps its length
  and is coarser than ``re.IGNORECASE`` (ASCII letters lower-cased, the four
  other characters ``re`` equates with an ASCII letter mapped to it, a
  character without case kept, every other one mapped to one placeholder),
  then checked character by character exactly as ``re`` compares them;
* where several words match at one start, the one taken is the one the trie
  expression reaches first: its branches are tried in character order, a
  longer word before its own prefix (:func:`_trie_order`).

``tests/test_redaction_words.py`` holds the two equal on texts drawn from
alphabets full of the characters where case rules are odd (dotted and dotless
i, long s, the Kelvin sign, final sigma, combining marks, ``_``, digits of
other scripts).

>>> index = WordIndex(["siti aminah", "+6281234567890"])
>>> index.search("paid by SITI AMINAH"), index.search("siti aminahs"), index.search("tel:+6281234567890")
(True, False, True)
>>> index.sub("Siti Aminah called +6281234567890", lambda m: "[x]")
('[x] called [x]', 2)
>>> uids = WordIndex(["police:P1"], ignore_case=False, before=":|", after="|")
>>> uids.sub("around police:P1 and police:P10", lambda m: "V-1")
('around V-1 and police:P10', 1)
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator

__all__ = ["WordIndex"]

#: The characters outside ASCII that ``re.IGNORECASE`` matches to an ASCII letter (CPython's ``sre``:
#: simple lower case plus its table of equivalent letters); tests check this list against ``re`` over
#: every code point.
ASCII_TWINS = {"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"}
_OTHER = "\x00"  # every other non-ASCII character: the fold only narrows the candidates down


def fold(text: str) -> str:
    """``text`` with every character replaced by one that stands for all those ``re.IGNORECASE`` equates with it.

    Same length as ``text``; two strings ``re.IGNORECASE`` matches to each
    other fold alike (the converse need not hold: candidates are checked).

    >>> fold("Siti"), fold("Sıti") == fold("SITI"), fold("Hằng")
    ('siti', True, 'h\\x00ng')
    """
    if text.isascii():
        return text.lower()
    return "".join(c.lower() if c.isascii() else _fold_other(c) for c in text)


@functools.lru_cache(maxsize=1 << 16)
def _fold_other(c: str) -> str:
    """:func:`fold` of one non-ASCII character: its ASCII twin; itself when it has no case at all (CJK, Thai,
    Arabic, digits: ``re`` matches it only to itself, so names in those scripts stay apart); else the placeholder."""
    twin = ASCII_TWINS.get(c)
    if twin is not None:
        return twin
    return c if c.lower() == c == c.upper() else _OTHER


def _same_ignoring_case(text: str, word: str) -> bool:
    """Whether ``re.IGNORECASE`` matches ``word`` (a literal) to the whole of ``text``, character by character."""
    if text == word:
        return True
    if text.isascii() and word.isascii():
        return text.lower() == word.lower()
    return re.fullmatch(re.escape(word), text, re.IGNORECASE) is not None


def _trie_order(word: str) -> tuple[int, ...]:
    """The order in which the trie expression tries words at one position: by character, a word before its prefix.

    >>> sorted(["ab", "abc", "b"], key=_trie_order)
    ['abc', 'ab', 'b']
    """
    return (*map(ord, word), 0x110000)


class WordIndex:
    """Whole-word search and replace of many words at once; see the module doc.

    ``ignore_case``: compare as ``re.IGNORECASE`` does (words are given in
    lower case, as ``trie_regex`` of the redaction receives them).
    ``before``/``after``: characters besides ``\\w`` that may not stand just
    before/after a match (the ``[\\w...]`` of the look-behind/ahead).
    """

    def __init__(self, words: Iterable[str] = (), *, ignore_case: bool = True, before: str = "", after: str = ""):
        self.ignore_case = ignore_case
        self._fold: Callable[[str], str] = fold if ignore_case else str
        # a match starts at 0 or just after one of these, and ends at the end or just before one of these
        self._start_after = re.compile(rf"[^\w{re.escape(before)}]")
        self._end_before = re.compile(rf"[^\w{re.escape(after)}]")
        self._by_fold: dict[str, list[str]] = {}
        self._lengths: set[int] = set()
        self._longest = 0
        self._count = 0
        self.add(words)

    def add(self, words: Iterable[str]) -> None:
        """Add words (a word given twice counts once)."""
        by_fold, lengths = self._by_fold, self._lengths
        for w in words:
            if not w:
                continue
            same = by_fold.setdefault(self._fold(w), [])
            if w not in same:
                same.append(w)
                lengths.add(len(w))
                self._count += 1
        self._longest = max(lengths, default=0)

    def __len__(self) -> int:
        return self._count

    def _at(self, text: str, folded: str, i: int, ends: list[int], skip: Callable[[str], bool] | None) -> int | None:
        """The end of the match the trie expression takes at ``i``, or None."""
        best: tuple[tuple[int, ...], int] | None = None
        lengths, by_fold, longest = self._lengths, self._by_fold, self._longest
        for k in range(bisect_right(ends, i), len(ends)):
            j = ends[k]
            if j - i > longest:
                break
            if j - i not in lengths:
                continue
            words = by_fold.get(folded[i:j])
            if not words:
                continue
            piece = text[i:j]
            for w in words:
                if skip is not None and skip(w):
                    continue
                if (w == piece if not self.ignore_case else _same_ignoring_case(piece, w)):
                    order = _trie_order(w)
                    if best is None or order < best[0]:
                        best = (order, j)
        return None if best is None else best[1]

    def _bounds(self, text: str) -> tuple[list[int], list[int]]:
        starts = [0] + [m.end() for m in self._start_after.finditer(text)]
        ends = [m.start() for m in self._end_before.finditer(text)] + [len(text)]
        return starts, ends

    def matches(self, text: str, skip: Callable[[str], bool] | None = None) -> Iterator[tuple[int, int]]:
        """``(start, end)`` of each match, left to right: the spans of ``pattern.finditer(text)``."""
        if not self._by_fold or not text:
            return
        folded = self._fold(text)
        starts, ends = self._bounds(text)
        done = 0
        for i in starts:  # increasing
            if i < done:
                continue
            end = self._at(text, folded, i, ends, skip)
            if end is not None:
                yield i, end
                done = end

    def search(self, text: str, skip: Callable[[str], bool] | None = None) -> bool:
        """Whether any word (but those ``skip`` names) is in ``text`` as a whole word: ``pattern.search(text)``."""
        return next(self.matches(text, skip), None) is not None

    def findall(self, text: str, skip: Callable[[str], bool] | None = None) -> list[str]:
        """The matched texts, left to right: ``[m.group(0) for m in pattern.finditer(text)]``."""
        return [text[i:j] for i, j in self.matches(text, skip)]

    def sub(self, text: str, replace: Callable[[str], str], skip: Callable[[str], bool] | None = None) -> tuple[str, int]:
        """``pattern.subn``: each match, left to right, replaced by ``replace(matched text)``; and how many."""
        out: list[str] = []
        done = 0
        for i, j in self.matches(text, skip):
            out += (text[done:i], replace(text[i:j]))
            done = j
        if not out:
            return text, 0
        out.append(text[done:])
        return "".join(out), len(out) // 2
