"""Test fixtures: a real Neo4j for the whole session, a clean database per test.

The session starts the managed Neo4j (built with Maven on first use) on a free
port with its data in a temporary directory, or uses the server named by
NEO4J_URI when that is set. That server is the plain build even when
GRAPHNET_GDS=1 is set, so the "no GDS" paths are tested; tests/test_gds.py
starts a second one built with GDS. In CI (CI=true) a missing Java, Maven or
GDS fails the run instead of skipping the database tests.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from graphnet import db as dbapi
from graphnet.analytics import gds
from graphnet.config import Settings, get_settings
from graphnet.db import server
from graphnet.errors import ServerError
from graphnet.loading import columnar

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
DATASETS = Path(__file__).resolve().parents[2] / "shared" / "datasets"
FIXTURES = Path(__file__).resolve().parent / "data"


def _unavailable(reason: str, what: str = "the real Neo4j") -> None:
    if IN_CI:
        pytest.fail(f"CI needs {what}: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def neo4j_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings that point at a running, real Neo4j for this test session."""
    base = get_settings()
    if base.external:
        yield base
        return
    base = base.replace(gds=False)
    if not shutil.which("mvn"):
        _unavailable("Maven (mvn) is not installed")
    try:
        server.find_java(base)
    except ServerError as e:
        _unavailable(str(e))
    settings = base.replace(
        home=tmp_path_factory.mktemp("graphnet-home"),
        port=server.free_port(),
        build_dir=base.server_build_dir,
    )
    server.start(settings)
    try:
        yield settings
    finally:
        server.stop(settings)


@pytest.fixture
def db(neo4j_settings: Settings):
    """A connected Database, emptied and with the schema applied."""
    database = dbapi.connect(neo4j_settings)
    dbapi.clear(database)
    dbapi.apply_schema(database)
    try:
        yield database
    finally:
        database.close()


@pytest.fixture
def cli_env(neo4j_settings: Settings) -> dict[str, str]:
    """Environment for CliRunner so `graphnet` commands use the test server."""
    env = {"GRAPHNET_HOME": str(neo4j_settings.home), "GRAPHNET_NEO4J_PORT": str(neo4j_settings.port)}
    if neo4j_settings.build_dir:
        env["GRAPHNET_BUILD_DIR"] = str(neo4j_settings.build_dir)
    return env


@pytest.fixture(scope="session")
def datasets() -> Path:
    """The shared published datasets (../shared/datasets beside the checkout)."""
    if not DATASETS.is_dir():
        _unavailable(f"shared datasets not found at {DATASETS}")
    return DATASETS


@pytest.fixture(scope="module")
def gds_settings(tmp_path_factory: pytest.TempPathFactory, neo4j_settings: Settings) -> Settings:
    """Settings of a running Neo4j with GDS, started per module unless NEO4J_URI is set.

    Built with ``-Pgds`` beside the session's build (its directory + ``-gds``,
    as scripts/install makes it under CI=true). Without that build the tests
    are skipped, unless CI=true or GRAPHNET_GDS=1: then it is built here, and
    in CI a server without GDS fails the run.
    """
    base = get_settings()
    if base.external:
        database = dbapi.connect(base)
        try:
            has_gds = gds.available(database)
        finally:
            database.close()
        if not has_gds:
            _unavailable("the external Neo4j (NEO4J_URI) has no GDS", "Neo4j with GDS")
        yield base
        return
    settings = neo4j_settings.replace(  # gds=True: the build directory gets its -gds suffix
        gds=True,
        home=tmp_path_factory.mktemp("gds-home"),
        port=server.free_port(),
    )
    if not server.classpath_ready(settings) and not (base.gds or IN_CI):
        pytest.skip("no GDS build; GRAPHNET_GDS=1 graphnet db build makes one (or run with GRAPHNET_GDS=1)")
    server.start(settings, timeout=300)  # builds it first when needed
    try:
        yield settings
    finally:
        server.stop(settings)


@pytest.fixture(scope="module")
def gds_conn(gds_settings):
    database = dbapi.connect(gds_settings)
    try:
        if not gds.available(database):
            _unavailable("the GDS build's server has no GDS procedures", "Neo4j with GDS")
        yield database
    finally:
        database.close()


@pytest.fixture
def gds_db(gds_conn):
    """The GDS server, emptied and with the schema applied."""
    dbapi.clear(gds_conn)
    dbapi.apply_schema(gds_conn)
    return gds_conn


@pytest.fixture
def gds_cli_env(gds_settings) -> dict[str, str]:
    """Environment for CliRunner so `graphnet` commands use the GDS server."""
    if gds_settings.external:
        return {}
    return {"GRAPHNET_HOME": str(gds_settings.home), "GRAPHNET_NEO4J_PORT": str(gds_settings.port),
            "GRAPHNET_BUILD_DIR": str(gds_settings.build_dir), "GRAPHNET_GDS": "1"}  # graphnet appends -gds


@pytest.fixture
def taken(monkeypatch, tmp_path_factory) -> Callable[[], list[str]]:
    """``taken()``: the files ``columnar.map_file`` mapped (not refused), by name (it runs in a forked child)."""
    log = tmp_path_factory.mktemp("taken") / "log"
    log.touch()
    real = columnar.map_file

    def spy(rows, *args):
        got = real(rows, *args)
        if got is not None:
            with log.open("a") as f:
                f.write(rows.path.name + "\n")
        return got

    monkeypatch.setattr(columnar, "map_file", spy)
    return lambda: log.read_text().split()
