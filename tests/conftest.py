"""Test fixtures: a real Neo4j for the whole session, a clean database per test.

The session starts the managed Neo4j (built with Maven on first use) on a free
port with its data in a temporary directory, or uses the server named by
NEO4J_URI when that is set. In CI (CI=true) a missing Java or Maven fails the
run instead of skipping the database tests.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from graphnet import db as dbapi
from graphnet.config import Settings, get_settings
from graphnet.db import server
from graphnet.errors import ServerError

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
DATASETS = Path(__file__).resolve().parents[2] / "shared" / "datasets"
FIXTURES = Path(__file__).resolve().parent / "data"


def _unavailable(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"CI needs the real Neo4j: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def neo4j_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings that point at a running, real Neo4j for this test session."""
    base = get_settings()
    if base.external:
        yield base
        return
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
