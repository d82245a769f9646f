"""Talking to Neo4j: connect, run named parameterised queries, apply the schema.

Library functions receive a :class:`Database` (a driver plus the database
name), never credentials. :func:`connect` builds one from :class:`Settings`:
the server named by ``NEO4J_URI`` when set, else the managed local server.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import neo4j
from neo4j import GraphDatabase, RoutingControl
from neo4j import exceptions as nx_exc

from ..config import Settings
from ..errors import ConnectionFailed
from ..resources import cypher
from . import server

__all__ = ["Database", "connect", "apply_schema", "clear", "server"]


def _translate(e: Exception, uri: str, user: str) -> ConnectionFailed:
    if isinstance(e, nx_exc.AuthError):
        return ConnectionFailed(
            f"Neo4j at {uri} refused the credentials of user {user!r}; check NEO4J_USERNAME and NEO4J_PASSWORD"
        )
    if getattr(e, "code", "") == _RATE_LIMIT:
        return ConnectionFailed(
            f"Neo4j at {uri} refused user {user!r} after too many failed logins; wait a few seconds, "
            "then check NEO4J_USERNAME and NEO4J_PASSWORD"
        )
    if isinstance(e, (nx_exc.ServiceUnavailable, nx_exc.SessionExpired, OSError)):
        return ConnectionFailed(
            f"cannot reach Neo4j at {uri}: no server answered. "
            "Start the local server with `graphnet db start`, or check NEO4J_URI"
        )
    return ConnectionFailed(f"cannot use Neo4j at {uri}: {str(e).splitlines()[0]}")


_RATE_LIMIT = "Neo.ClientError.Security.AuthenticationRateLimit"
# Caught around every call; a ClientError is re-raised unless it is the login rate limit.
_CONNECTION_ERRORS = (
    nx_exc.AuthError, nx_exc.ServiceUnavailable, nx_exc.SessionExpired, nx_exc.ConfigurationError, nx_exc.ClientError,
)


def _is_connection_problem(e: Exception) -> bool:
    if isinstance(e, nx_exc.ClientError) and not isinstance(e, nx_exc.AuthError):
        return getattr(e, "code", None) == _RATE_LIMIT
    return True


@dataclasses.dataclass
class Database:
    """A Neo4j driver and the name of the database every call uses.

    ``read`` opens READ transactions, ``write`` WRITE ones; both take Cypher
    text and keyword parameters (values are always parameters, never text).
    """

    driver: neo4j.Driver
    name: str = "neo4j"
    uri: str = ""
    user: str = "neo4j"

    def read(self, query: str, **params: Any) -> list[dict[str, Any]]:
        try:
            records, _, _ = self.driver.execute_query(
                query, params, database_=self.name, routing_=RoutingControl.READ
            )
        except _CONNECTION_ERRORS as e:
            if not _is_connection_problem(e):
                raise
            raise _translate(e, self.uri, self.user) from e
        return [r.data() for r in records]

    def write(self, query: str, **params: Any) -> neo4j.SummaryCounters:
        try:
            _, summary, _ = self.driver.execute_query(
                query, params, database_=self.name, routing_=RoutingControl.WRITE
            )
        except _CONNECTION_ERRORS as e:
            if not _is_connection_problem(e):
                raise
            raise _translate(e, self.uri, self.user) from e
        return summary.counters

    def stream(self, query: str, **params: Any) -> Iterator[neo4j.Record]:
        """Records one at a time from a READ transaction (for large projections)."""
        try:
            with self.driver.session(database=self.name, default_access_mode=neo4j.READ_ACCESS) as s:
                result = s.run(query, params)
                yield from result
        except _CONNECTION_ERRORS as e:
            if not _is_connection_problem(e):
                raise
            raise _translate(e, self.uri, self.user) from e

    def session(self, **kwargs: Any) -> neo4j.Session:
        return self.driver.session(database=self.name, **kwargs)

    def close(self) -> None:
        self.driver.close()

    def __enter__(self) -> "Database":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def connect(settings: Settings, verify: bool = True) -> Database:
    """Open the configured Neo4j: ``NEO4J_URI`` if set, else the managed server.

    Raises :class:`ConnectionFailed` (one clear line) when the server cannot be
    reached or refuses the credentials.
    """
    if settings.external:
        uri = settings.uri or ""
        auth = (settings.username, settings.password) if settings.password else None
        user = settings.username
    else:
        info = server.status(settings)
        if not info["running"]:
            raise ConnectionFailed(
                f"the local Neo4j is not running (home {info['home']}); start it with `graphnet db start`, "
                "or set NEO4J_URI to use another server"
            )
        uri = info["uri"]
        user = "neo4j"
        auth = (user, settings.password or server.managed_password(settings))
    try:
        driver = GraphDatabase.driver(
            uri, auth=auth, connection_timeout=10, max_transaction_retry_time=15,
            notifications_min_severity="OFF",  # no "property does not exist" notices on sparse graphs
        )
    except (ValueError, nx_exc.ConfigurationError) as e:
        raise ConnectionFailed(f"NEO4J_URI {uri!r} is not a Neo4j URI: {e}") from e
    db = Database(driver, settings.database, uri, user)
    if verify:
        try:
            driver.verify_connectivity()
        except (*_CONNECTION_ERRORS, OSError) as e:
            driver.close()
            if not _is_connection_problem(e):
                raise
            raise _translate(e, uri, user) from e
    return db


def _statements(text: str) -> list[str]:
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.strip().startswith("//")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


def apply_schema(db: Database) -> int:
    """Create the constraints and indexes of ``cypher/schema.cypher`` (idempotent).

    Returns the number of statements run; waits until the indexes are online.
    """
    statements = _statements(cypher("schema"))
    for stmt in statements:
        db.write(stmt)
    db.write(cypher("db_await_indexes"), seconds=300)
    return len(statements)


def clear(db: Database, batch: int = 10_000) -> None:
    """Delete every node and relationship (schema stays), in batches."""
    try:
        with db.session() as s:  # CALL ... IN TRANSACTIONS needs an auto-commit transaction
            s.run(cypher("db_clear"), batch=int(batch)).consume()
    except _CONNECTION_ERRORS as e:
        if not _is_connection_problem(e):
            raise
        raise _translate(e, db.uri, db.user) from e
