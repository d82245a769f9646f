"""The error hierarchy of graphnet.

Every error a user can cause (a bad file, a wrong definition, an unreachable
server, a person not found) is a :class:`GraphnetError` whose message names
what failed. The CLI turns these into one clear line and a non-zero exit code;
anything else is a bug and keeps its stack trace.

>>> e = RowError("police.csv", 7, "nik", "NIK must have 16 digits, found 15")
>>> str(e)
'police.csv, row 7, field nik: NIK must have 16 digits, found 15'
"""

from __future__ import annotations

__all__ = [
    "GraphnetError",
    "ConfigError",
    "ServerError",
    "ConnectionFailed",
    "SchemaError",
    "DefinitionError",
    "InputFileError",
    "RowError",
    "NotFound",
    "ServerOutOfMemory",
    "Interrupted",
    "first_line",
]


def first_line(error: BaseException) -> str:
    """The first line of an error's message, or its type's name when it has none: the reason a report quotes.

    >>> first_line(ValueError("bad cell\\nmore"))
    'bad cell'
    >>> first_line(KeyError())
    'KeyError'
    """
    return str(error).splitlines()[0] if str(error) else type(error).__name__


class GraphnetError(Exception):
    """Base of every error a user can cause; its message is shown as is."""


class ConfigError(GraphnetError):
    """A setting (environment variable or option) has an unusable value."""


class ServerError(GraphnetError):
    """The managed local Neo4j could not be built, started or stopped."""


class ConnectionFailed(GraphnetError):
    """Neo4j is unreachable, or refused the credentials."""


class SchemaError(GraphnetError):
    """A label, relationship type or property is not in the declared schema."""


class DefinitionError(GraphnetError):
    """A loader definition is invalid; the message names the file and line."""

    def __init__(self, path: str, line: int | None, message: str):
        self.path, self.line, self.reason = path, line, message
        where = f"{path}, line {line}" if line else path
        super().__init__(f"{where}: {message}")


class InputFileError(GraphnetError):
    """An input file cannot be read at all (nothing from it is written)."""


class RowError(GraphnetError):
    """One row of an input file is unusable; it goes to the rejects file."""

    def __init__(self, path: str, row: int, field: str | None, reason: str):
        self.path, self.row, self.field, self.reason = path, row, field, reason
        where = f"{path}, row {row}" + (f", field {field}" if field else "")
        super().__init__(f"{where}: {reason}")


class NotFound(GraphnetError):
    """A person, case or other entity asked for is not in the graph."""


class ServerOutOfMemory(GraphnetError):
    """Neo4j refused a query for lack of memory (its transaction memory limit, or its heap)."""


class Interrupted(GraphnetError):
    """The user stopped a command (Ctrl-C, or SIGTERM to the ``graphnet`` process).

    The message says what the graph holds now: a command that writes takes
    back what it wrote before raising this, or says what a rerun completes.
    """
