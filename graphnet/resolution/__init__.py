"""Entity resolution: which person records across agencies are one person.

Merges are decisions (nomenklatura-style): each is a stored ``SAME_AS``
relationship with a reason, a score, a status (applied, proposed, rejected),
who decided and when. Strong identifiers (NIK, passport, bank account, a phone
that is not shared by many people) apply automatically; names plus birth dates
that match above a threshold apply too, weaker matches are proposed for
review. Undo keeps the decision as ``rejected`` and it is never re-applied.

Projections call :func:`applied_clusters` to collapse merged records into one
canonical node.

- :mod:`.names`: Indonesian name normalisation and similarity (pure)
- :mod:`.matching`: identifiers, birth dates, pair scores, blocking (pure)
- :mod:`.resolver`: :func:`resolve`, the run that stores decisions
- :mod:`.decisions`: :func:`applied_clusters`, :func:`decisions`, :func:`undo`, :func:`accept`
"""

from __future__ import annotations

from .decisions import STATUSES, Decision, UndoResult, accept, applied_clusters, decisions, undo
from .names import match_key, name_score, normalise_name
from .resolver import CONFLICT_FLAG, BirthDateConflict, ResolutionReport, resolve

__all__ = [
    "CONFLICT_FLAG",
    "STATUSES",
    "BirthDateConflict",
    "Decision",
    "ResolutionReport",
    "UndoResult",
    "accept",
    "applied_clusters",
    "decisions",
    "match_key",
    "name_score",
    "normalise_name",
    "resolve",
    "undo",
]
