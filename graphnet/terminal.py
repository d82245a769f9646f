"""Text from the users' files, made safe to print on a terminal.

Names, column headers and file names come from other people's spreadsheets
and bundles. Printed raw, an escape sequence in a cell (``ESC [ 2 J``, an
OSC title or clipboard command) is run by the terminal, and a right-to-left
override (U+202E) shows a name other than the one stored. :func:`shown`
writes those characters as escapes instead, so what a reader sees is what
the data holds; every other character (accents, any script, non-breaking
spaces, zero-width joiners) is kept.

>>> print(shown("Siti\\x1b[2J Aminah\\u202e"))
Siti\\x1b[2J Aminah\\u202e
>>> print(shown("a\\nb"), shown("a\\nb", keep="\\n"), sep=" | ")
a\\nb | a
b
"""

from __future__ import annotations

import re

__all__ = ["shown"]

# C0 and C1 controls (TAB, LF and CR included), DEL, the line and paragraph
# separators, and the bidirectional marks, embeddings, overrides and isolates.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")


def shown(text: object, *, keep: str = "") -> str:
    """``text`` with control and bidi-control characters written as escapes (``\\x1b``, ``\\u202e``).

    ``keep``: characters to leave as they are (``"\\n"`` for a message of
    several lines).

    >>> shown("Budi [/] \\t 0812"), shown(7)
    ('Budi [/] \\\\t 0812', '7')
    """
    return _UNSAFE.sub(lambda m: m.group() if m.group() in keep else repr(m.group())[1:-1], str(text))
