"""Scoring the syndicate report against a synthetic scenario's ``truth.json``.

A projected node is matched to the true person whose agency records (file,
row) it holds most of: every true person lists the cells that mention them
(``persons[id].records[file] = [{row, column}, ...]``), and every node's
``src`` lists the rows (``<source uid>:<row>``) behind it. Source uids come
from each file's SHA-256 and definition (``graphnet.loading.source_uid``). A
row names several people (a transfer's sender and receiver), so a row counts
for a true person only when that person's cell in it holds the node's name
(case and spacing ignored). A node takes the true person with the most such
rows (ties: smallest id); a node with none is unmatched.

:func:`precision_recall_at` pools the candidates of every syndicate (a
person's best score), takes the ``k`` best, and counts the planted organisers
among them: precision = hits / k, recall = hits / number of organisers.

>>> precision_recall_at(["a", "b", "c"], {"a", "z"}, k=2)
{'k': 2, 'hits': 1, 'precision': 0.5, 'recall': 0.5, 'organisers': 2}
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import networkx as nx

from ..errors import InputFileError

__all__ = ["read_truth", "node_truth", "ranked_candidates", "precision_recall_at", "evaluate"]


def read_truth(path: str | Path) -> dict[str, Any]:
    path = Path(path)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise InputFileError(f"{path}: cannot read the ground truth: {e}") from e


def _norm(text: Any) -> str:
    return " ".join(str(text or "").lower().split())


def node_truth(G: nx.Graph, truth: dict[str, Any], source_uids: dict[str, str],
               base_dir: str | Path | None = None) -> dict[Any, str]:
    """``{node: true person id}`` by majority of shared rows whose cell holds the node's name.

    ``source_uids``: truth file name (e.g. ``call_records``) -> loaded source uid;
    ``base_dir``: the folder of truth.json (file paths are relative to it).
    Without ``base_dir`` names are not checked (every shared row counts).
    """
    import csv

    cells: dict[str, list[dict[str, str]]] = {}
    if base_dir is not None:
        for name, f in (truth.get("files") or {}).items():
            with open(Path(base_dir) / f["path"], newline="", encoding="utf-8-sig") as fh:
                cells[name] = list(csv.DictReader(fh))
    rows_of: dict[str, list[tuple[str, str | None]]] = defaultdict(list)  # ref -> [(true id, cell value)]
    for pid, person in (truth.get("persons") or {}).items():
        for file, recs in (person.get("records") or {}).items():
            src = source_uids.get(file)
            if src is None:
                continue
            for rec in recs:
                value = None
                if file in cells and 2 <= rec["row"] <= len(cells[file]) + 1:
                    value = _norm(cells[file][rec["row"] - 2].get(rec.get("column") or "", ""))
                rows_of[f"{src}:{rec['row']}"].append((pid, value))
    out = {}
    for n, d in G.nodes(data=True):
        name = _norm(d.get("name"))
        votes: Counter = Counter()
        for ref in d.get("src") or ():
            votes.update(pid for pid, value in rows_of.get(ref, ()) if value is None or value == name)
        if votes:
            best = max(votes.values())
            out[n] = min(p for p, v in votes.items() if v == best)
    return out


def ranked_candidates(sections: list[dict[str, Any]]) -> list:
    """Candidate uids of a syndicates report, pooled over syndicates, best score first."""
    best: dict[Any, float] = {}
    for s in sections:
        for c in s.get("candidates") or ():
            best[c["uid"]] = max(best.get(c["uid"], float("-inf")), c["score"])
    return sorted(best, key=lambda u: (-best[u], str(u)))


def precision_recall_at(ranked: list, organisers: set, k: int = 10) -> dict[str, Any]:
    """Precision and recall at ``k`` of a ranked list of true ids against the organisers."""
    seen: list = []
    for r in ranked:
        if r not in seen:
            seen.append(r)
        if len(seen) == k:
            break
    hits = len(set(seen) & set(organisers))
    return {"k": k, "hits": hits, "precision": hits / k, "recall": hits / len(organisers) if organisers else 0.0,
            "organisers": len(organisers)}


def evaluate(G: nx.Graph, report_sections: list[dict[str, Any]], truth: dict[str, Any],
             source_uids: dict[str, str], k: int = 10, base_dir: str | Path | None = None) -> dict[str, Any]:
    """Precision/recall at ``k`` of the report's pooled candidates, mapped to true people."""
    mapping = node_truth(G, truth, source_uids, base_dir)
    ranked = [mapping.get(u, f"unmatched:{u}") for u in ranked_candidates(report_sections)]
    result = precision_recall_at(ranked, set(truth.get("organisers") or ()), k)
    result["top"] = ranked[:k]
    return result
