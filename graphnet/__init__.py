"""graphnet: graph analytics of loose human-trafficking networks.

Agency spreadsheets go into one provenance-tracked Neo4j graph; NetworkX
analytics rank brokers and surface the syndicates behind small convicts;
investigators explore offline pyvis views; prosecutors export verifiable,
victim-safe evidence bundles.

>>> import graphnet
>>> graphnet.__version__.count(".") >= 2
True
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("graphnet")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+source"

__all__ = ["__version__"]
