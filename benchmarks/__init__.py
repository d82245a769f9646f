"""graphnet benchmarks (issue 7): ``python -m benchmarks`` (or ``benchmarks/run``).

Each benchmark measures graphnet side by side with its baseline in one run and
writes a Markdown table; :mod:`benchmarks.__main__` runs them all and writes
``benchmarks/RESULTS.md`` with the machine. Timings are never asserted in
tests: they depend on the machine and its load.
"""
