"""Measure resolution against a synthetic scenario's ground truth (``truth.json`` of ``graphnet synth``).

The truth lists, for every person of the scenario, the agency records (file,
row, name column) that describe them. Each is found in the loaded graph
through provenance: the Source node of that file (same definition and
SHA-256), the Person records whose ``src`` holds that row, and among those the
one whose name is the cell of that column. Merged pairs are then counted
pairwise:

- a true positive joins two records of one true person;
- a false positive joins records of two different true persons;
- a false negative is a pair of one true person's records left apart.

A merged pair with a record the truth does not describe cannot be judged
(``unjudged``): the truth lists the rows of the scenario's cases, not every
row a person appears in (a lodging operator's other guests' stays, background
travellers), so such a pair is neither right nor wrong by it.

>>> pairwise({"a": "a", "b": "a", "c": "c"}, [{"a", "b", "c"}], {"a", "b", "c"})
(1, 0, 2)
>>> pairwise({"a": "a", "x": "a", "d": "a"}, [{"a"}, {"d"}], {"a", "d"})  # a-d wrong, x unjudged
(0, 1, 0)
"""

from __future__ import annotations

import csv
import dataclasses
import json
import re
from collections import defaultdict
from itertools import combinations
from pathlib import Path

from ..db import Database
from ..errors import InputFileError
from ..resources import cypher
from .decisions import applied_clusters
from .matching import normalise_phone
from .names import match_key

__all__ = ["Evaluation", "evaluate", "truth_records", "pairwise"]


@dataclasses.dataclass
class Evaluation:
    """Pairwise precision and recall of the applied merges against the truth."""

    true_positives: int
    false_positives: int
    false_negatives: int
    true_pairs: int
    persons: int
    records: int
    unmapped: int
    unjudged: int
    false_positive_examples: list[tuple[str, str]]
    false_negative_examples: list[tuple[str, str]]

    @property
    def precision(self) -> float:
        n = self.true_positives + self.false_positives
        return self.true_positives / n if n else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.true_pairs if self.true_pairs else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        d = dataclasses.asdict(self)
        d.update(precision=round(self.precision, 4), recall=round(self.recall, 4), f1=round(self.f1, 4))
        return d


def pairwise(
    predicted: dict[str, str], truth: list[set[str]], judged: set[str]
) -> tuple[int, int, int]:
    """``(true positives, false positives, false negatives)`` of merged pairs.

    ``predicted`` maps records to their cluster (as :func:`applied_clusters`),
    ``truth`` lists each true person's records, ``judged`` holds every record
    the truth describes (pairs with both records outside it are not counted).
    """
    person_of = {u: i for i, recs in enumerate(truth) for u in recs}
    clusters: dict[str, set[str]] = defaultdict(set)
    for u, c in predicted.items():
        clusters[c].add(u)
    tp = fp = 0
    for members in clusters.values():
        for a, b in combinations(sorted(members), 2):
            if a not in judged or b not in judged:
                continue
            if a in person_of and b in person_of and person_of[a] == person_of[b]:
                tp += 1
            else:
                fp += 1
    true_pairs = sum(len(r) * (len(r) - 1) // 2 for r in truth)
    return tp, fp, true_pairs - tp


def _alnum(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", text.lower())


def _pick(candidates: list[tuple[str, str, str]], value: str) -> str | None:
    """The one record of a row that the truth's cell describes: its key, its name, or an identifier it carries."""
    uids = {u for u, _, _ in candidates}
    if len(uids) <= 1:
        return next(iter(uids), None)
    key, needle = match_key(value), _alnum(value)
    phone = normalise_phone(value) if any(c.isdigit() for c in value) else None
    tiers = [
        lambda u, n, hay: u.split(":", 1)[-1] == value,  # the record key itself (police:POL-000001)
        lambda u, n, hay: n.strip() == value,
        lambda u, n, hay: bool(key) and match_key(n) == key,
        lambda u, n, hay: len(needle) >= 5 and (needle.lstrip("0") or needle) in hay,
        lambda u, n, hay: phone is not None and _alnum(phone) in hay,
    ]
    for test in tiers:
        hits = {u for u, n, hay in candidates if test(u, n, hay)}
        if len(hits) == 1:
            return hits.pop()
    return None


def truth_records(db: Database, truth_path: str | Path) -> tuple[list[set[str]], int, int]:
    """Each true person's record uids in the loaded graph; also the counts of records and of unmapped ones."""
    truth_path = Path(truth_path)
    try:
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise InputFileError(f"{truth_path}: cannot read the ground truth: {e}") from e
    sources = {(r["definition"], r["sha256"]): r["uid"] for r in db.read(cypher("resolution_eval_sources"))}
    by_ref: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for row in db.read(cypher("resolution_eval_people")):
        hay = _alnum(" ".join([row["uid"], *row["ids"]]))
        for ref in row["src"] or []:
            by_ref[ref].append((row["uid"], row["name"] or "", hay))
    cells: dict[str, list[dict[str, str]]] = {}
    source_of: dict[str, str | None] = {}
    for name, f in (truth.get("files") or {}).items():
        path = truth_path.parent / f["path"]
        with open(path, newline="", encoding="utf-8-sig") as fh:
            cells[name] = list(csv.DictReader(fh))
        source_of[name] = sources.get((name, f["sha256"]))
    people, total, unmapped = [], 0, 0
    for person in (truth.get("persons") or {}).values():
        uids = set()
        for file, recs in (person.get("records") or {}).items():
            src = source_of.get(file)
            for rec in recs:
                total += 1
                found = None
                if src is not None and 2 <= rec["row"] <= len(cells[file]) + 1:
                    value = (cells[file][rec["row"] - 2].get(rec["column"]) or "").strip()
                    found = _pick(by_ref.get(f"{src}:{rec['row']}", []), value)
                if found is None:
                    unmapped += 1
                else:
                    uids.add(found)
        if uids:
            people.append(uids)
    return people, total, unmapped


def evaluate(db: Database, truth_path: str | Path, *, examples: int = 10) -> Evaluation:
    """Pairwise precision / recall of the applied merges in ``db`` against a scenario's ``truth.json``.

    The scenario's files must have been loaded (``graphnet load --plan``) and
    resolved (``graphnet resolve``) in ``db``.
    """
    people, total, unmapped = truth_records(db, truth_path)
    judged = set().union(*people) if people else set()
    predicted = applied_clusters(db)
    tp, fp, fn = pairwise(predicted, people, judged)
    person_of = {u: i for i, recs in enumerate(people) for u in recs}
    clusters: dict[str, set[str]] = defaultdict(set)
    for u, c in predicted.items():
        clusters[c].add(u)
    fps = [
        (a, b)
        for m in clusters.values()
        for a, b in combinations(sorted(m), 2)
        if a in judged and b in judged and person_of[a] != person_of[b]
    ]
    fns = [
        (a, b)
        for recs in people
        for a, b in combinations(sorted(recs), 2)
        if predicted.get(a, a) != predicted.get(b, b)
    ]
    unjudged = sum(
        1 for m in clusters.values() for a, b in combinations(sorted(m), 2) if a not in judged or b not in judged
    )
    return Evaluation(
        true_positives=tp,
        false_positives=fp,
        false_negatives=fn,
        true_pairs=tp + fn,
        persons=len(people),
        records=total,
        unmapped=unmapped,
        unjudged=unjudged,
        false_positive_examples=fps[:examples],
        false_negative_examples=fns[:examples],
    )
