"""Communities with python-louvain, modularity, and how stable each grouping is.

:func:`louvain` runs python-louvain's ``best_partition`` (weight = strength,
``resolution``, ``seed`` recorded) and reports the modularity that NetworkX
computes for the partition.

:func:`stability` answers "which groupings are solid?". It runs Louvain with
``runs`` seeds (``seed``, ``seed+1``, ...). The *reference* partition is the
run with the highest modularity (ties: the earliest seed). ``co[u][v]`` is
the fraction of runs in which ``u`` and ``v`` fall in the same community. For
a reference community ``C``, its *core* is the member with the highest mean
co-assignment with the other members of ``C`` (ties: smallest uid); a
person's **stability** is the fraction of runs in which they fall with that
core member (the core member itself scores its own mean co-assignment). A
person with stability 1.0 was grouped with the core in every run; 0.5 means
half the runs put them elsewhere. A community's stability is the mean over its
members; members at or above ``solid`` (default 0.9) are listed as its
*solid* members.

>>> import networkx as nx
>>> G = nx.barbell_graph(5, 0)
>>> part = louvain(G, seed=1)
>>> len(set(part["partition"].values())), round(part["modularity"], 3)
(2, 0.452)
>>> s = stability(G, runs=5, seed=1)
>>> min(s["person"].values())
1.0
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import networkx as nx

from .measures import simple

__all__ = ["louvain", "stability"]


def louvain(G: nx.Graph, *, resolution: float = 1.0, seed: int = 0, weight: str = "weight") -> dict[str, Any]:
    """One Louvain partition: ``{"partition": {node: community}, "modularity", "seed", "resolution"}``.

    Communities are numbered 0, 1, ... by decreasing size (ties: smallest member).
    """
    import community as community_louvain  # python-louvain

    H = simple(G, directed=False)
    if H.number_of_edges() == 0:
        part = {n: i for i, n in enumerate(sorted(H, key=str))}
        return {"partition": part, "modularity": 0.0, "seed": seed, "resolution": resolution}
    raw = community_louvain.best_partition(H, weight=weight, resolution=resolution, random_state=seed)
    groups: dict[int, list] = defaultdict(list)
    for n, c in raw.items():
        groups[c].append(n)
    order = sorted(groups.values(), key=lambda m: (-len(m), str(min(m, key=str))))
    part = {n: i for i, members in enumerate(order) for n in members}
    q = nx.community.modularity(H, [set(m) for m in order], weight=weight, resolution=resolution)
    return {"partition": part, "modularity": q, "seed": seed, "resolution": resolution}


def stability(
    G: nx.Graph, *, runs: int = 10, seed: int = 0, resolution: float = 1.0, solid: float = 0.9
) -> dict[str, Any]:
    """Louvain over ``runs`` seeds; per-person stability with their community's core (module docstring).

    Returns
    -------
    dict
        ``reference`` (the best run, as from :func:`louvain`), ``seeds``,
        ``modularities`` (per run), ``person`` ({node: stability}),
        ``core`` ({community: core node}), ``communities`` (list of dicts:
        id, members, core, stability, solid).
    """
    if runs < 1:
        raise ValueError("runs must be at least 1")
    results = [louvain(G, resolution=resolution, seed=seed + i) for i in range(runs)]
    ref = max(results, key=lambda r: (r["modularity"], -r["seed"]))
    members: dict[int, list] = defaultdict(list)
    for n, c in ref["partition"].items():
        members[c].append(n)

    def together(u: Any, v: Any) -> float:
        return sum(r["partition"][u] == r["partition"][v] for r in results) / runs

    person: dict[Any, float] = {}
    core: dict[int, Any] = {}
    comms = []
    for c in sorted(members):
        ms = sorted(members[c], key=str)
        if len(ms) == 1:
            core[c] = ms[0]
            person[ms[0]] = 1.0
        else:
            mean = {u: sum(together(u, v) for v in ms if v != u) / (len(ms) - 1) for u in ms}
            core[c] = max(ms, key=lambda u: (mean[u], [-ord(ch) for ch in str(u)]))
            for u in ms:
                person[u] = mean[u] if u == core[c] else together(u, core[c])
        comm_stab = sum(person[u] for u in ms) / len(ms)
        comms.append({"id": c, "members": ms, "core": core[c], "stability": comm_stab,
                      "solid": [u for u in ms if person[u] >= solid]})
    return {
        "reference": ref,
        "seeds": [r["seed"] for r in results],
        "modularities": [r["modularity"] for r in results],
        "person": person,
        "core": core,
        "communities": comms,
        "solid_threshold": solid,
    }
