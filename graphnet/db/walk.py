"""Walking the stored graph one tie at a time: what views and evidence bundles start from.

A :class:`Walk` starts from some records (element ids) and reaches, one hop
at a time, the records tied to those it already holds, in either direction,
along the relationship types it is given. Every record merged with one it
reaches (an applied SAME_AS decision) is reached with it, at no hop's cost:
a person's records are one person. ``graphnet evidence export --around``
walks with the bundle's ``--since/--until`` window and keeps the ties it
followed; ``graphnet view --around`` and ``--path`` walk whatever the dates,
to know which records to project (:mod:`graphnet.views.select`).

Queries: ``cypher/walk_hop.cypher`` (one hop), ``cypher/evidence_same_as.cypher``
(applied SAME_AS), ``cypher/walk_uids.cypher`` (the uids of what was reached).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..resources import cypher

__all__ = ["Walk", "merged"]


def merged(db: Any, ids: Iterable[str]) -> set[str]:
    """``ids`` (element ids) and every record merged with one of them by applied SAME_AS decisions."""
    found = set(ids)
    frontier = set(found)
    while frontier:
        rows = db.read(cypher("evidence_same_as"), ids=sorted(frontier))
        new = {r["other"] for r in rows} - found
        found |= new
        frontier = new
    return found


class Walk:
    """The records within ``radius`` ties of ``start`` (element ids), grown in the database by :meth:`grow`.

    ``types``: the relationship types followed; ``since``/``until``: ISO
    dates bounding dated ties (undated ties are always followed). ``nodes``:
    element ids reached (``start`` and the records merged with it at radius
    0); ``rels``: element ids of the ties followed (kept unless
    ``rels=False``); ``frontier``: the records the last hop reached first.
    """

    def __init__(self, db: Any, start: Iterable[str], types: Iterable[str], *, since: str | None = None,
                 until: str | None = None, rels: bool = True) -> None:  # fmt: skip
        self.db, self.types, self.window, self.keep_rels = db, list(types), {"since": since, "until": until}, rels
        self.nodes = merged(db, start)
        self.frontier = set(self.nodes)
        self.rels: set[str] = set()
        self.radius = 0

    @property
    def complete(self) -> bool:
        """Whether the walk holds its records' whole component: growing adds nothing."""
        return not self.frontier

    def grow(self) -> None:
        """One hop further."""
        rows = self.db.read(cypher("walk_hop"), ids=sorted(self.frontier), types=self.types, rels=self.keep_rels,
                            **self.window)  # fmt: skip
        if self.keep_rels:
            self.rels |= {r["rel"] for r in rows}
        reached = merged(self.db, {r["node"] for r in rows})
        self.frontier = reached - self.nodes
        self.nodes |= reached
        self.radius += 1

    def uids(self) -> set[str]:
        """The uids of the records reached (the ``within`` of a projection)."""
        return {r["uid"] for r in self.db.read(cypher("walk_uids"), ids=sorted(self.nodes))}
