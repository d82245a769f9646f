"""``graphnet db``: the managed local Neo4j and the schema."""

from __future__ import annotations

import click

from .. import db as dbapi
from ..db import server
from ..resources import cypher
from . import Context, pass_ctx


def _human(n: int) -> str:
    size = float(n)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} B"


def _print_status(info: dict) -> None:
    if info["running"]:
        click.echo(f"running   Neo4j {info['version']} on {info['uri']} (pid {info['pid']})")
    else:
        click.echo("stopped")
    click.echo(f"home      {info['home']}")
    click.echo(f"store     {_human(info['store_bytes'])}")


@click.group()
def db() -> None:
    """Start, stop and inspect the managed local Neo4j; apply the schema.

    The managed server is Neo4j Community 5.26 built from Maven Central on
    first use (needs Java 17 and Maven) and kept under $GRAPHNET_HOME/neo4j
    (default ~/.local/share/graphnet/neo4j). When NEO4J_URI is set, graphnet
    uses that server instead and `start`/`stop` do nothing.
    """


def _external(ctx: Context) -> bool:
    if ctx.settings.external:
        click.echo(f"NEO4J_URI is set: graphnet uses {ctx.settings.uri}; the managed server is not needed.")
        return True
    return False


@db.command()
@click.option("--timeout", default=120.0, show_default=True, help="Seconds to wait for readiness.")
@pass_ctx
def start(ctx: Context, timeout: float) -> None:
    """Start the managed Neo4j (building it on first use) and wait until ready."""
    if _external(ctx):
        return
    if not server.classpath_ready(ctx.settings):
        click.echo("building the local Neo4j with Maven (first use only)...", err=True)
    _print_status(server.start(ctx.settings, timeout=timeout))


@db.command()
@pass_ctx
def stop(ctx: Context) -> None:
    """Stop the managed Neo4j cleanly."""
    if _external(ctx):
        return
    click.echo("stopped" if server.stop(ctx.settings) else "not running")


@db.command()
@pass_ctx
def status(ctx: Context) -> None:
    """Show whether the server runs: URI, pid, version and store size."""
    if ctx.settings.external:
        database = ctx.db()
        version = database.read(cypher("db_version"))[0]["v"]
        click.echo(f"running   Neo4j {version} on {ctx.settings.uri} (external, NEO4J_URI)")
        return
    _print_status(server.status(ctx.settings))


@db.command()
@pass_ctx
def init(ctx: Context) -> None:
    """Apply the schema: constraints and indexes of cypher/schema.cypher (idempotent)."""
    n = dbapi.apply_schema(ctx.db())
    click.echo(f"schema applied: {n} constraints and indexes")


@db.command()
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_ctx
def clear(ctx: Context, yes: bool) -> None:
    """Delete every node and relationship in the database (the schema stays)."""
    if not yes:
        click.confirm(f"Delete all data in database {ctx.settings.database!r}?", abort=True)
    dbapi.clear(ctx.db())
    click.echo("database cleared")


@db.command()
@click.option("--force", is_flag=True, help="Rebuild even if a current build exists.")
@pass_ctx
def build(ctx: Context, force: bool) -> None:
    """Build the managed Neo4j with Maven now (start does this on first use)."""
    out = server.build(ctx.settings, force=force, echo=True)
    click.echo(f"built in {out}")
