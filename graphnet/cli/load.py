"""``graphnet load`` and ``graphnet loaders``: files into the graph, and the shipped definitions."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .. import loading
from ..errors import GraphnetError
from ..terminal import shown
from . import Context, pass_ctx

__all__ = ["load", "loaders"]


@click.command()
@click.argument("definition", required=False)
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--plan", type=click.Path(dir_okay=False, path_type=Path),
              help="A load plan YAML: a list of {definition, file} (paths relative to the plan).")
@click.option("--rejects", "rejects_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Directory for <file>.rejects.csv (default: beside each file, else the current directory).")
@click.option("--namespace", help="Prefix of record uids instead of the definition's namespace.")
@click.option("--force", is_flag=True, help="Write again even if the file was already loaded completely.")
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: on a terminal).")
@click.option("--bulk", is_flag=True,
              help="With --plan, into an EMPTY managed database: Neo4j's offline importer (same graph, "
                   "for millions of rows; the server restarts once).")
@pass_ctx
def load(ctx: Context, definition: str | None, files: tuple[Path, ...], plan: Path | None,
         rejects_dir: Path | None, namespace: str | None, force: bool, progress: bool | None, bulk: bool) -> None:
    """Load FILE(s) with DEFINITION (a shipped name from `graphnet loaders`, or a .yaml path).

    Every node and relationship records the file and row it came from. Rows
    that cannot load go to <file>.rejects.csv with the reason; a wrong
    definition or a missing column stops before anything is written. Loading
    the same file again changes nothing.

    \b
    graphnet load caviar ../shared/datasets/caviar/caviar_full_undirected_edges.csv
    graphnet load --plan scenario/load-plan.yaml
    graphnet load --plan national/load-plan.yaml --bulk    # first load of a large scenario
    """
    if bulk:
        if plan is None or definition or files:
            raise click.UsageError("--bulk loads a whole plan: give --plan PLAN.yaml (and no DEFINITION FILE...)")
        if namespace or force:
            raise click.UsageError("--bulk takes neither --namespace (set it per entry of the plan) nor --force")
        from ..loading.bulk import bulk_load_plan

        summaries = bulk_load_plan(ctx.settings, plan, rejects_dir=rejects_dir, echo=lambda m: click.echo(m, err=True))
        _report(summaries)
        return
    if progress is None:
        progress = sys.stderr.isatty()
    kw = dict(rejects_dir=rejects_dir, namespace=namespace, progress=progress, force=force,
              echo=lambda m: click.echo(shown(m), err=True))
    if plan is not None:
        if definition or files:
            raise click.UsageError("give either --plan PLAN.yaml or DEFINITION FILE..., not both")
        summaries = loading.load_plan(ctx.db(), plan, **kw)
    else:
        if not definition or not files:
            raise click.UsageError("give DEFINITION and at least one FILE (or --plan PLAN.yaml)")
        d = loading.read_definition(definition)  # a wrong definition fails before any file is touched
        summaries = loading.load_files(ctx.db(), d, list(files), **kw)
    _report(summaries)


def _report(summaries: list[loading.LoadSummary]) -> None:
    for s in summaries:
        click.echo(str(s))
    if len(summaries) > 1:
        click.echo(
            f"total: {sum(s.rows_read for s in summaries)} rows read, "
            f"{sum(s.rows_rejected for s in summaries)} rejected, "
            f"{sum(s.nodes_created for s in summaries)} nodes and "
            f"{sum(s.relationships_created for s in summaries)} relationships created"
        )


@click.command()
@click.option("--show", metavar="NAME", help="Print one definition's YAML.")
def loaders(show: str | None) -> None:
    """List the shipped loader definitions (name and one-line description)."""
    if show:
        d = loading.read_definition(show)
        click.echo(d.text, nl=False)
        return
    defs = loading.list_definitions()
    if not defs:
        raise GraphnetError("no loader definitions are installed")
    width = max(len(n) for n, _ in defs)
    for name, desc in defs:
        click.echo(f"{name:<{width}}  {desc}")
