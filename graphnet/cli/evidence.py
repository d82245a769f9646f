"""``graphnet evidence``: export, verify and load evidence bundles for prosecutors."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .. import evidence as api
from ..errors import GraphnetError
from ..terminal import shown
from . import Context, pass_ctx


@click.group()
def evidence() -> None:
    """Evidence bundles: the subgraph behind a charge, with its sources, verifiable and victim-safe.

    `export` writes a folder (and with --zip a zip) holding GraphML, GEXF,
    node-link JSON, CSV, a Cypher script, FollowTheMoney entities, an HTML and
    PDF report listing every link's sources, an offline view and manifest.json
    (the chain of custody). `verify` recomputes every hash; `load` recreates
    the subgraph in an empty Neo4j.
    """


def _params(values: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key.isidentifier():
            raise GraphnetError(f"--param takes NAME=VALUE, got {item!r}")
        out[key] = value
    return out


@evidence.command()
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--around", metavar="P", help="Person (uid or exact name) at the centre of the selection.")
@click.option("--hops", default=1, show_default=True, help="With --around: how many ties out from the person.")
@click.option("--between", nargs=2, metavar="P Q", help="Two people: their shortest paths and all simple paths.")
@click.option("--max-length", default=4, show_default=True, help="With --between: longest simple path (ties).")
@click.option("--syndicate", metavar="ID", help="A syndicate id from the syndicates report.")
@click.option("--syndicates-report", type=click.Path(path_type=Path), help="JSON output of the syndicates report.")
@click.option("--query", metavar="NAME", help="A named query cypher/NAME.cypher returning nodes, relationships or paths.")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE", help="A parameter of --query, NAME=VALUE (a string; repeatable).")
@click.option("--since", metavar="YYYY-MM-DD", help="Keep only ties dated on or after this day (undated ties stay).")
@click.option("--until", metavar="YYYY-MM-DD", help="Keep only ties dated on or before this day (undated ties stay).")
@click.option("--max-nodes", default=5000, show_default=True, help="Refuse selections larger than this.")
@click.option("--redact", metavar="ROLES", help="Pseudonymise these roles, e.g. victims or victims,witnesses.")
@click.option("--redact-key", metavar="KEY", help="Key of the pseudonyms (env GRAPHNET_REDACT_KEY); keep it safe.")
@click.option("--zip", "make_zip", is_flag=True, help="Also write OUT.zip.")
@click.option("--no-pdf", is_flag=True, help="Do not write report.pdf.")
@pass_ctx
def export(
    ctx: Context,
    out: Path,
    around: str | None,
    hops: int,
    between: tuple[str, str] | None,
    max_length: int,
    syndicate: str | None,
    syndicates_report: Path | None,
    query: str | None,
    params: tuple[str, ...],
    since: str | None,
    until: str | None,
    max_nodes: int,
    redact: str | None,
    redact_key: str | None,
    make_zip: bool,
    no_pdf: bool,
) -> None:
    """Export the subgraph behind a charge as an evidence bundle folder OUT."""
    key = redact_key or ctx.settings.redact_key
    if redact and not key:
        raise GraphnetError("--redact needs a key: pass --redact-key or set GRAPHNET_REDACT_KEY (keep the key: "
                            "the same key gives the same pseudonyms across bundles)")
    result = api.export(
        ctx.db(), out, around=around, hops=hops, between=list(between) if between else None, max_length=max_length,
        syndicate=syndicate, syndicates_report=syndicates_report, query=query, params=_params(params),
        since=since, until=until, max_nodes=max_nodes, redact=redact, redact_key=key if redact else None,
        zip=make_zip, pdf=not no_pdf, command=["graphnet", *sys.argv[1:]] if sys.argv else None,
    )
    click.echo(f"bundle    {result.path}  ({result.nodes} nodes, {result.edges} links, {result.sources} source files)")
    if result.zip_path:
        click.echo(f"zip       {result.zip_path}")
    if redact:
        click.echo(f"redacted  {result.redacted} protected people and things pseudonymised ({redact})")
    for note in result.notes:
        click.echo(f"note      {note}")
    click.echo(f"digest    {result.digest}")
    click.echo("Record the digest with the case file; `graphnet evidence verify` checks the bundle against it.")


@evidence.command()
@click.argument("bundle", type=click.Path(path_type=Path))
@click.option("--digest", "expected", metavar="SHA256", help="The digest recorded when the bundle was handed over.")
@click.option("--no-sources", is_flag=True, help="Do not re-hash the cited source files found on disk.")
def verify(bundle: Path, expected: str | None, no_sources: bool) -> None:
    """Recompute every hash of BUNDLE (folder or zip); exit 1 naming each changed, added or missing file."""
    result = api.verify(bundle, expected_digest=expected, check_sources=not no_sources)
    for problem in result.problems:
        click.echo(f"FAIL  {shown(problem)}", err=True)
    if not result.ok:
        raise click.exceptions.Exit(1)
    click.echo(f"OK    {result.checked_files} files match the manifest; digest {result.digest}")
    if not no_sources:
        click.echo(f"      {result.checked_sources} cited source file(s) re-hashed, "
                   f"{len(result.unchecked_sources)} not found on this machine")


@evidence.command()
@click.argument("bundle", type=click.Path(path_type=Path, exists=True))
@click.option("--from", "source", type=click.Choice(["json", "cypher"]), default="json", show_default=True,
              help="Recreate from subgraph.json, or from the data of subgraph.cypher (read, never run).")
@click.option("--digest", "expected", metavar="SHA256",
              help="Load only if the bundle's digest is this one (the digest recorded at export).")
@pass_ctx
def load(ctx: Context, bundle: Path, source: str, expected: str | None) -> None:
    """Recreate a verified bundle's subgraph (folder or zip) in an empty Neo4j database.

    BUNDLE must pass `graphnet evidence verify` (and match --digest, the digest
    printed at export and recorded with the case file: without it, a bundle
    whose manifest was rebuilt after an edit still verifies). --from cypher
    does not run the script: it accepts only the statements graphnet writes,
    reads their data and loads them like the JSON; any other line is refused,
    naming the line, before anything is written. One transaction: a failure
    leaves the database as it was.
    """
    counts = api.load_bundle(ctx.db(), bundle, source=source, expected_digest=expected)
    click.echo(f"loaded {counts['nodes'] - counts['sources']} nodes and {counts['relationships']} relationships "
               f"from {bundle}, with the {counts['sources']} Source nodes of the files they cite")
