"""Talking to Neo4j: connect, run named parameterised queries, apply the schema.

Library functions receive a :class:`Database` (a driver plus the database
name), never credentials. :func:`connect` builds one from :class:`Settings`:
the server named by ``NEO4J_URI`` when set, else the managed local server.
"""

from __future__ import annotations

import contextlib
import dataclasses
import re
import signal
import threading
from collections.abc import Iterator
from typing import Any

import neo4j
from neo4j import GraphDatabase, RoutingControl
from neo4j import exceptions as nx_exc

from ..config import Settings
from ..errors import ConnectionFailed, GraphnetError, ServerOutOfMemory
from ..resources import cypher
from . import server

__all__ = ["Database", "connect", "apply_schema", "ensure_schema", "held_interrupts", "clear", "server", "out_of_memory", "user_error"]


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


def out_of_memory(e: BaseException) -> ServerOutOfMemory | None:
    """The clear error for a query Neo4j refused for lack of memory, else None.

    Neo4j ends a transaction whose memory would pass its limit (by default
    70% of the heap: about 717 MiB for the managed server's 1 GB) with a
    transient ``...OutOfMemoryError``; retrying cannot help, more memory can.
    """
    code = getattr(e, "code", None) or ""
    if not isinstance(e, nx_exc.Neo4jError) or "OutOfMemory" not in code:
        return None
    said = (getattr(e, "message", None) or str(e)).splitlines()[0]
    return ServerOutOfMemory(
        f"Neo4j ran out of memory for this work ({said}). Give it more: for the managed server "
        "`graphnet db stop`, then `GRAPHNET_NEO4J_HEAP=4g graphnet db start` (a transaction may use 70% of the "
        "heap); for your own server raise server.memory.heap.max_size and dbms.memory.transaction.total.max. "
        "Or narrow the work (--case, --province, --since/--until)"
    )


def user_error(e: BaseException) -> GraphnetError | None:
    """A driver error raised outside :class:`Database`'s calls (a write session of a loader or of
    resolution) as one clear line: Neo4j out of memory, or the connection lost; else None (a bug)."""
    memory = out_of_memory(e)
    if memory is not None:
        return memory
    if isinstance(e, (nx_exc.ServiceUnavailable, nx_exc.SessionExpired)):
        said = (str(e).splitlines() or [type(e).__name__])[0]
        return ConnectionFailed(
            f"lost the connection to Neo4j ({said}); check that it runs (`graphnet db status`; its log says why it "
            "stopped) and run the command again"
        )
    return None


_RATE_LIMIT = "Neo.ClientError.Security.AuthenticationRateLimit"
# Caught around every call; a ClientError is re-raised unless it is the login rate limit.
_CONNECTION_ERRORS = (
    nx_exc.AuthError, nx_exc.ServiceUnavailable, nx_exc.SessionExpired, nx_exc.ConfigurationError, nx_exc.ClientError,
)


def _is_connection_problem(e: Exception) -> bool:
    if isinstance(e, nx_exc.ClientError) and not isinstance(e, nx_exc.AuthError):
        return getattr(e, "code", None) == _RATE_LIMIT
    return True


class _Held:
    """The Ctrl-C or SIGTERM that arrived while :func:`held_interrupts` held it."""

    def __init__(self) -> None:
        self.signum: int | None = None

    def check(self) -> None:
        """Act now on a signal held so far: ``KeyboardInterrupt``, as the signal itself would have raised."""
        if self.signum is not None:
            self.signum = None
            raise KeyboardInterrupt


@contextlib.contextmanager
def held_interrupts() -> Iterator[_Held]:
    """Hold Ctrl-C and SIGTERM while the block talks to Neo4j; raise ``KeyboardInterrupt`` after it.

    A ``KeyboardInterrupt`` raised inside the driver's socket read leaves the
    connection's buffer broken: the rollback then fails with ``BufferError``
    and the command ends in a stack trace, its take-back undone. Held, the
    signal is acted on once the call returns (or at ``check()``, between
    transactions). Only signals with a Python handler are held (in the main
    thread, the only one that gets them); a default SIGTERM still ends the
    process at once.

    >>> with held_interrupts() as h:
    ...     h.signum is None
    True
    """
    held = _Held()
    if threading.current_thread() is not threading.main_thread():
        yield held
        return
    before = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    hold = [s for s, h in before.items() if callable(h)]

    def keep(signum: int, frame: Any) -> None:
        held.signum = signum

    for s in hold:
        signal.signal(s, keep)
    try:
        yield held
    finally:
        for s in hold:
            signal.signal(s, before[s])
    held.check()


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
    #: :func:`ensure_schema` found the whole schema in place (asked once per connection)
    schema_ready: bool = dataclasses.field(default=False, repr=False)

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        """A connection or memory problem as its clear GraphnetError; any other error as raised."""
        try:
            yield
        except _CONNECTION_ERRORS as e:
            if not _is_connection_problem(e):
                raise
            raise _translate(e, self.uri, self.user) from e
        except nx_exc.TransientError as e:
            memory = out_of_memory(e)
            if memory is None:
                raise
            raise memory from e

    def read(self, query: str, **params: Any) -> list[dict[str, Any]]:
        """Every record of a READ query, as dicts. Ctrl-C stops it at once, and the query with it (:meth:`stream`)."""
        return [r.data() for r in self.stream(query, **params)]

    def write(self, query: str, **params: Any) -> neo4j.SummaryCounters:
        with held_interrupts(), self._errors():  # Ctrl-C acts once the transaction is committed or failed
            _, summary, _ = self.driver.execute_query(query, params, database_=self.name, routing_=RoutingControl.WRITE)
        return summary.counters

    def stream(self, query: str, **params: Any) -> Iterator[neo4j.Record]:
        """Records one at a time from a READ transaction (for large projections).

        Stopped by Ctrl-C (or SIGTERM), or left before its end, its connection
        is dropped at once: the session's ordinary close would first wait for
        the server to finish the query, and print the driver's warning when
        the connection was broken.
        """
        # the bookmarks of write(): on a cluster too, a read sees what this process wrote
        with self._errors(), self.driver.session(database=self.name, default_access_mode=neo4j.READ_ACCESS,
                                                 bookmark_manager=self.driver.execute_query_bookmark_manager) as s:
            try:
                yield from s.run(query, params)
            except BaseException:  # Ctrl-C inside the driver, or while the caller read a record (GeneratorExit)
                _drop_connection(s)
                raise

    def session(self, **kwargs: Any) -> neo4j.Session:
        return self.driver.session(database=self.name, **kwargs)

    def close(self) -> None:
        try:
            self.driver.close()
        except BufferError:  # a connection Ctrl-C broke inside the driver (a streamed read): nothing left to close
            pass

    def __enter__(self) -> "Database":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _drop_connection(session: neo4j.Session) -> None:
    """Close a session's connection now, the work in flight with it (the server ends that transaction).

    The synchronous driver's counterpart of ``AsyncSession.cancel()``, which
    it has only in its asyncio form; without it (another driver version) the
    session closes as usual.
    """
    cancel = getattr(session, "_handle_cancellation", None)
    if cancel is not None:
        cancel(message="interrupted")


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


def schema_names() -> set[str]:
    """The names of the constraints and indexes ``cypher/schema.cypher`` creates.

    >>> {"person_uid", "phone_uid"} <= schema_names()
    True
    """
    return {m.group(1) for m in re.finditer(r"(?:CONSTRAINT|INDEX) (\w+) IF NOT EXISTS", cypher("schema"))}


def ensure_schema(db: Database) -> None:
    """Apply the schema when part of it is missing (once per :class:`Database`): before anything writes.

    Every load merges nodes on ``uid``: without the uniqueness constraints
    Neo4j scans the whole label for each row (a 100,000-row call file loaded
    in minutes, and taking a load back ran for a quarter of an hour) and two
    loads at once can create one node twice. ``graphnet db start`` does not
    apply it, so the commands that write do.
    """
    if db.schema_ready:
        return
    missing = schema_names() - {r["name"] for r in db.read(cypher("db_index_names"))}
    if missing:
        try:
            apply_schema(db)
        except nx_exc.ClientError as e:
            raise GraphnetError(
                f"the database lacks {len(missing)} of graphnet's constraints and indexes and they could not be "
                f"created ({e.message or e.code}); run `graphnet db init` as a user allowed to"
            ) from e
    db.schema_ready = True


def clear(db: Database, batch: int = 10_000) -> None:
    """Delete every node and relationship (schema stays), in batches."""
    try:
        with db.session() as s:  # CALL ... IN TRANSACTIONS needs an auto-commit transaction
            s.run(cypher("db_clear"), batch=int(batch)).consume()
    except _CONNECTION_ERRORS as e:
        if not _is_connection_problem(e):
            raise
        raise _translate(e, db.uri, db.user) from e
