"""A managed Neo4j of its own for the benchmarks (own home and port, stopped at the end)."""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterator
from pathlib import Path

from graphnet import db as dbapi
from graphnet.config import Settings, get_settings
from graphnet.db import server


def gds_settings(base: Settings) -> Settings:
    return base.replace(gds=True)  # its build lives beside the plain one (Settings.server_build_dir)


@contextlib.contextmanager
def neo4j(*, gds: bool, heap: str = "3g", pagecache_mb: int = 2048, home: Path | None = None) -> Iterator[tuple[dbapi.Database, Settings]]:
    """Start a fresh managed Neo4j (GDS build when ``gds``) and yield a connected Database."""
    base = get_settings()
    settings = gds_settings(base) if gds else base
    tmp = None
    if home is None:
        tmp = tempfile.TemporaryDirectory(prefix="graphnet-bench-")
        home = Path(tmp.name)
    settings = settings.replace(home=home, port=server.free_port(), heap=heap, pagecache_mb=pagecache_mb)
    server.start(settings, timeout=600)
    db = dbapi.connect(settings)
    try:
        dbapi.apply_schema(db)
        yield db, settings
    finally:
        db.close()
        server.stop(settings)
        if tmp is not None:
            tmp.cleanup()
