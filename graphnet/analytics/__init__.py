"""Analytics on NetworkX projections of the graph (issue 4).

- :mod:`.projections`: ``project(db, name, ...)`` - ``full``, ``persons``, ``layer:<layer>``, ``cases``
- :mod:`.measures`: degree, strength, betweenness, closeness, harmonic, eigenvector, PageRank,
  Burt's constraint and effective size, k-core, articulation points, bridges, centralisation
- :mod:`.brokerage`: Gould-Fernandez brokerage roles
- :mod:`.communities`: python-louvain communities, modularity, stability over seeds
- :mod:`.syndicates`: cases linked into candidate syndicates; who benefits behind the convicts
- :mod:`.disruption`: removal curves and Borgatti's key-player set
- :mod:`.hypotheses`: hidden-tie hypotheses (Adamic-Adar, resource allocation), never evidence
- :mod:`.reports`: one function per ``graphnet report`` command
- :mod:`.truth`: scoring the syndicates report against a synthetic scenario's truth.json
- :mod:`.engines`: the heavy kernels (NetworkX reference, faster engines for big graphs)
"""

#: Default longest foretold run of a report's exact all-pairs measures, in minutes
#: (:mod:`.reports`; here so the CLI reads it without importing the analytics).
TIME_LIMIT_MINUTES = 30.0

#: The way on that every time guard offers (reports, syndicates, disruption, communities).
NARROW = "narrow the graph (--case, --province, --since/--until, --source)"


def allow(total_seconds: float) -> str:
    """The last way on of a time guard: the --time-limit that would let the work finish.

    >>> allow(3000)
    'or allow it with --time-limit 51 (minutes; 0: no limit)'
    """
    return f"or allow it with --time-limit {int(total_seconds / 60) + 1} (minutes; 0: no limit)"
