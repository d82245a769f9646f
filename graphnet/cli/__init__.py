"""The ``graphnet`` command: a thin layer over the Python API.

Each command parses options, opens resources, calls one library function and
formats its result. A :class:`~graphnet.errors.GraphnetError` becomes one
clear line on stderr and exit code 1 (no stack trace). Ctrl-C, or SIGTERM
to the process, stops a command with one line and exit code 130: a command
that writes takes back what it wrote first, or says what a rerun completes
(:class:`~graphnet.errors.Interrupted`).
"""

from __future__ import annotations

import importlib
import os
import signal
from typing import Any

import click

from .. import __version__
from ..config import Settings, get_settings
from ..errors import GraphnetError, Interrupted
from ..terminal import shown

__all__ = ["main", "run", "Context", "pass_ctx"]

# command name -> module under graphnet.cli that defines it (same name as the attribute)
_COMMANDS = {
    "db": "db",
    "evidence": "evidence",
    "load": "load",
    "loaders": "load",
    "report": "report",
    "resolve": "resolve",
    "schema": "schema",
    "synth": "synth",
    "view": "view",
}


class Context:
    """What every command gets: settings (env + flags) and a lazily opened database."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self._db: Any = None

    def db(self) -> Any:
        from ..db import connect

        if self._db is None:
            self._db = connect(self.settings)
        return self._db

    def close(self) -> None:
        if self._db is not None:
            self._db.close()


pass_ctx = click.make_pass_decorator(Context)

#: exit code of a command stopped by Ctrl-C or SIGTERM (128 + SIGINT, as shells report it)
INTERRUPTED = 130


class _Group(click.Group):
    """Loads subcommands lazily and turns GraphnetError into a clean message."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(_COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        module = _COMMANDS.get(name)
        if module is None:
            return None
        mod = importlib.import_module(f"graphnet.cli.{module}")
        return getattr(mod, name.replace("-", "_"))

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except Interrupted as e:
            click.echo(f"Interrupted: {shown(str(e), keep=chr(10))}", err=True)
            ctx.exit(INTERRUPTED)
        except KeyboardInterrupt:  # a command that writes nothing, or that was not writing yet
            click.echo("Interrupted.", err=True)
            ctx.exit(INTERRUPTED)
        except GraphnetError as e:
            # the message may quote a cell, a header or a file name: escapes are printed, not run
            raise click.ClickException(shown(str(e), keep="\n")) from e
        except Exception as e:  # a write session of its own: Neo4j out of memory or gone, said in one line
            if type(e).__module__.startswith("neo4j"):
                from ..db import user_error

                said = user_error(e)
                if said is not None:
                    raise click.ClickException(shown(str(said), keep="\n")) from e
            raise


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="graphnet")
@click.option("--uri", help="Neo4j URI to use instead of the managed local server (env NEO4J_URI).")
@click.option("--database", help="Neo4j database name (env NEO4J_DATABASE, default neo4j).")
@click.pass_context
def main(ctx: click.Context, uri: str | None, database: str | None) -> None:
    """graphnet: graph analytics of loose human-trafficking networks.

    Load agency spreadsheets into one provenance-tracked Neo4j graph, rank
    brokers and find the syndicates behind small convicts, explore offline
    network views, and export verifiable, victim-safe evidence bundles.

    With nothing configured, graphnet uses its managed local Neo4j
    (`graphnet db start`); set NEO4J_URI (and NEO4J_USERNAME, NEO4J_PASSWORD,
    NEO4J_DATABASE) to use any other Neo4j 5 server.
    """
    settings = get_settings().replace(uri=uri, database=database)
    obj = Context(settings)
    ctx.obj = obj
    ctx.call_on_close(obj.close)


def run() -> None:
    """The ``graphnet`` command (console script and ``python -m graphnet``): :func:`main` in a one-shot process.

    The process ends with the command, so the graphs it builds are settled
    (:func:`graphnet.collector.settle`): collections stop walking them and
    they are not freed one by one at exit. Call :func:`main` to run commands
    in a process that goes on (tests, scripts).
    """
    from ..collector import one_shot_process

    one_shot_process()
    _terminate_as_interrupt()
    main()


def _terminate_as_interrupt() -> None:
    """SIGTERM (``kill PID``, a job scheduler's stop) stops a command as Ctrl-C does: what it wrote is taken back.

    Forked children (mapping workers, betweenness processes) get SIGTERM's
    default back, so their parent can still end them with ``terminate()``
    even while they run compiled code.
    """

    def on_term(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_term)
    os.register_at_fork(after_in_child=lambda: signal.signal(signal.SIGTERM, signal.SIG_DFL))
