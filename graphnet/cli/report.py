"""``graphnet report``: analyst reports on a projection of the graph."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import click

from ..analytics import TIME_LIMIT_MINUTES
from ..errors import GraphnetError
from ..reporting import FORMATS, Report, write
from . import Context, pass_ctx


@click.group()
def report() -> None:
    """Analyst reports: centrality, brokers, communities, syndicates, behind, disruption, hypotheses.

    Every report runs on a projection of the graph (--projection: persons,
    full, cases or layer:<layer>; hypotheses always on the full graph),
    optionally narrowed by a time window
    (--since/--until), cases (--case), a province (--province) or source files
    (--source), and states that graph, its seed and its weight semantics in its
    output so a reader can reproduce it.
    """


def _common(func: Callable[..., Any] | None = None, *, projection: bool = True) -> Any:
    """The options every report takes (``@_common(projection=False)``: all but --projection)."""
    if func is None:
        return functools.partial(_common, projection=projection)
    options = [
        click.option("--projection", default="persons", show_default=True,
                     help="persons, full, cases or layer:<layer> (e.g. layer:phone)."),
        click.option("--since", help="Keep ties dated on or after this day (YYYY-MM-DD); undated ties stay."),
        click.option("--until", help="Keep ties dated on or before this day (YYYY-MM-DD); undated ties stay."),
        click.option("--case", "cases", multiple=True, help="Only this case (uid, number or name) and what touches its people; repeatable."),
        click.option("--province", help="Only the cases and people of this province and what touches them."),
        click.option("--source", "sources", multiple=True, help="Only ties from this loaded file (source uid, definition, path or SHA-256 prefix); repeatable."),
        click.option("--top", default=20, show_default=True, type=click.IntRange(min=1), help="Rows to show."),
        click.option("--engine", default="auto", show_default=True, type=click.Choice(["auto", "networkx", "igraph", "gds"]),
                     help="Engine of the heavy kernels (betweenness, closeness, PageRank, ...); gds (centrality, "
                          "brokers, syndicates, behind, disruption) runs degree, strength, betweenness and "
                          "(personalised) PageRank in Neo4j (GRAPHNET_GDS=1 graphnet db start)."),
        click.option("--redact", is_flag=True,
                     help="Pseudonymise victims (keyed; needs GRAPHNET_REDACT_KEY or --redact-key) before computing: "
                          "for reports you share."),
        click.option("--redact-key", metavar="KEY", help="Key of the victim pseudonyms (default: env GRAPHNET_REDACT_KEY)."),
        click.option("--format", "fmt", default="table", show_default=True, type=click.Choice(FORMATS), help="Output format."),
        click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), help="Write to this file instead of stdout."),
    ]
    if not projection:
        options = options[1:]
    for option in reversed(options):
        func = option(func)
    return func


def _filters(kw: dict[str, Any]) -> dict[str, Any]:
    return {
        "since": kw.pop("since"),
        "until": kw.pop("until"),
        "cases": list(kw.pop("cases")) or None,
        "province": kw.pop("province"),
        "sources": list(kw.pop("sources")) or None,
    }


EMPTY_NOTE = ("EMPTY SELECTION: the graph this report ran on has no {what}; check --projection, --since/--until, "
              "--case, --province, --source and what is loaded (`graphnet db status`)")


def _emit(result: Report, fmt: str, output: str | None) -> None:
    what = "nodes" if result.graph.get("nodes") == 0 else "ties" if result.graph.get("edges") == 0 else None
    if what:  # said first, in the report and (when it goes to a file) here
        result.notes.insert(0, EMPTY_NOTE.format(what=what))
        if output:
            click.echo(result.notes[0], err=True)
    text = write(result, fmt, output)
    if text is not None:
        click.echo(text, nl=False)
    else:
        click.echo(f"{result.kind} report written to {output}", err=True)


def _command(func: Callable[..., Report]) -> Callable[..., None]:
    """Wrap ``func(ctx, filters, **options) -> Report`` as a command body that prints the report."""

    @functools.wraps(func)
    def wrapper(ctx: Context, **kw: Any) -> None:
        from ..analytics.reports import GDS_REPORTS

        if kw.get("engine") == "gds" and func.__name__ not in GDS_REPORTS:
            raise GraphnetError(
                f"report {func.__name__} runs in Python: it accepts --engine auto, networkx or igraph "
                f"(--engine gds works for the reports {', '.join(GDS_REPORTS)})"
            )
        fmt, output = kw.pop("fmt"), kw.pop("output")
        filters = _filters(kw)
        key = kw.pop("redact_key") or ctx.settings.redact_key
        if kw.pop("redact"):
            from ..redact import Redactor

            filters["redactor"] = Redactor(key)
        _emit(func(ctx, filters, **kw), fmt, output)

    return wrapper


def _large_graph_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """--sample, --sample-seed and --time-limit: how betweenness runs on a graph too big for the exact one."""
    options = [
        click.option("--sample", type=click.IntRange(min=2), metavar="K",
                     help="Estimate betweenness from K random sources instead of all; the report states the error "
                          "(95% bound and each person's standard error)."),
        click.option("--sample-seed", default=0, show_default=True, help="Seed of the sampled sources (recorded)."),
        click.option("--time-limit", default=TIME_LIMIT_MINUTES, show_default=True, type=click.FloatRange(min=0),
                     metavar="MINUTES",
                     help="Stop before exact betweenness/closeness foretold (timed on 3 sources) to take longer; "
                          "0: no limit."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@report.command()
@_common
@click.option("--by", default="betweenness", show_default=True,
              help="Measure to rank by: degree, strength, betweenness, closeness, harmonic, eigenvector, pagerank, constraint, effective_size, core.")
@click.option("--measures", metavar="LIST", help="Comma-separated measures to show beside --by "
              "(default: degree,strength,betweenness,closeness,eigenvector,pagerank,constraint).")
@_large_graph_options
@pass_ctx
@_command
def centrality(ctx: Context, filters: dict[str, Any], *, projection: str, top: int, engine: str, by: str,
               measures: str | None, sample: int | None, sample_seed: int, time_limit: float) -> Report:
    """Rank people by degree, strength, betweenness, closeness, eigenvector, PageRank and constraint.

    On a big graph, exact betweenness and closeness can take hours: the report
    times them first and stops with the ways out (--sample, --measures, a
    narrower graph, --time-limit).
    """
    from ..analytics import reports

    extra = {"measures": tuple(m.strip() for m in measures.split(",") if m.strip())} if measures else {}
    return reports.centrality(ctx.db(), projection=projection, top=top, by=by, engine=engine, sample=sample,
                              seed=sample_seed, time_limit=time_limit, **extra, **filters)


@report.command()
@_common
@click.option("--group", metavar="ATTRIBUTE",
              help="Node attribute whose values are the groups (trafficking stage, group, origin, ...); "
                   "default: stage, else each person's first role.")
@_large_graph_options
@pass_ctx
@_command
def brokers(ctx: Context, filters: dict[str, Any], *, projection: str, top: int, engine: str, group: str,
            sample: int | None, sample_seed: int, time_limit: float) -> Report:
    """Rank brokers: Gould-Fernandez roles (coordinator, consultant, representative, gatekeeper, liaison), betweenness, constraint."""
    from ..analytics import reports

    return reports.brokers(ctx.db(), projection=projection, group=group, top=top, engine=engine, sample=sample,
                           seed=sample_seed, time_limit=time_limit, **filters)


@report.command()
@_common
@click.option("--seed", default=0, show_default=True, help="Seed of the Louvain grouping of cases (recorded in the output).")
@click.option("--resolution", default=1.0, show_default=True, help="Louvain resolution (higher = smaller syndicates).")
@click.option("--max-hops", default=3, show_default=True, type=click.IntRange(min=1), help="Candidates within this many ties of a convict.")
@click.option("--paths", default=3, show_default=True, type=click.IntRange(min=0), help="Paths shown per candidate (to the nearest convicts).")
@_large_graph_options
@pass_ctx
@_command
def syndicates(ctx: Context, filters: dict[str, Any], *, projection: str, top: int, engine: str, seed: int,
               resolution: float, max_hops: int, paths: int, sample: int | None, sample_seed: int,
               time_limit: float) -> Report:
    """Link cases into candidate syndicates and rank the uncharged people behind their convicts.

    B (betweenness over the whole graph) is exact unless --sample K; on a big
    graph it is timed first and the report stops when it would pass --time-limit.
    """
    from ..analytics import syndicates as api

    return api.syndicates(ctx.db(), projection=projection, top=top, seed=seed, resolution=resolution,
                          max_hops=max_hops, paths=paths, engine=engine, sample=sample, sample_seed=sample_seed,
                          time_limit=time_limit, **filters)


@report.command()
@click.argument("person")
@_common
@click.option("--max-hops", default=3, show_default=True, type=click.IntRange(min=1), help="Candidates within this many ties of the person.")
@click.option("--paths", default=3, show_default=True, type=click.IntRange(min=0), help="Paths shown per candidate.")
@_large_graph_options
@pass_ctx
@_command
def behind(ctx: Context, filters: dict[str, Any], *, person: str, projection: str, top: int, engine: str,
           max_hops: int, paths: int, sample: int | None, sample_seed: int, time_limit: float) -> Report:
    """Rank the uncharged people behind one convict (PERSON: uid, record uid or exact name), with paths.

    B is exact unless --sample K (as in syndicates).
    """
    from ..analytics import syndicates as api

    return api.behind(ctx.db(), person, projection=projection, top=top, max_hops=max_hops, paths=paths,
                      engine=engine, sample=sample, sample_seed=sample_seed, time_limit=time_limit, **filters)


@report.command()
@_common
@click.option("--seed", default=0, show_default=True, help="First Louvain seed (runs use seed, seed+1, ...; recorded).")
@click.option("--runs", default=10, show_default=True, type=click.IntRange(min=1), help="Louvain runs for the stability measure.")
@click.option("--resolution", default=1.0, show_default=True, help="Louvain resolution (higher = smaller communities).")
@click.option("--time-limit", default=TIME_LIMIT_MINUTES, show_default=True, type=click.FloatRange(min=0),
              metavar="MINUTES",
              help="On a large graph, stop the runs (one per core at a time) when the first ones foretell them all "
                   "to take longer, or when it passes; 0: no limit.")
@pass_ctx
@_command
def communities(ctx: Context, filters: dict[str, Any], *, projection: str, top: int, engine: str, seed: int,
                runs: int, resolution: float, time_limit: float) -> Report:
    """Louvain communities with modularity and each person's stability over several seeds (--top communities)."""
    from ..analytics import reports

    return reports.communities(ctx.db(), projection=projection, top=top, seed=seed, runs=runs,
                               resolution=resolution, time_limit=time_limit, **filters)


@report.command()
@_common
@click.option("--strategy", "strategies", multiple=True,
              type=click.Choice(["degree", "degree-seq", "betweenness", "betweenness-seq", "keyplayer"]),
              help="Removal strategy (repeatable; default all).")
@click.option("--plot", type=click.Path(dir_okay=False, writable=True), help="Also draw the curves into this PNG file.")
@click.option("--time-limit", default=TIME_LIMIT_MINUTES, show_default=True, type=click.FloatRange(min=0),
              metavar="MINUTES",
              help="Stop before the betweenness strategies foretold (timed on 3 sources) to take longer; 0: no limit.")
@pass_ctx
@_command
def disruption(ctx: Context, filters: dict[str, Any], *, projection: str, top: int, engine: str,
               strategies: tuple[str, ...], plot: str | None, time_limit: float) -> Report:
    """Simulate removing --top people by degree, betweenness or key-player set; curves (CSV with --format csv).

    On a big graph the betweenness strategies (exact betweenness once, or
    once per removal for betweenness-seq) are timed first; the report stops
    before computing when they would pass --time-limit.
    """
    from ..analytics import reports

    kw = {"strategies": strategies} if strategies else {}
    return reports.disruption(ctx.db(), projection=projection, top=top, engine=engine, plot=plot,
                              time_limit=time_limit, **kw, **filters)


@report.command()
@_common(projection=False)
@click.option("--method", default="adamic_adar", show_default=True, type=click.Choice(["adamic_adar", "resource_allocation"]),
              help="Link-prediction score over shared infrastructure.")
@click.option("--store", is_flag=True, help="Also write them as HYPOTHESIS relationships (never evidence).")
@pass_ctx
@_command
def hypotheses(ctx: Context, filters: dict[str, Any], *, top: int, engine: str, method: str, store: bool) -> Report:
    """List hidden-tie hypotheses (people sharing infrastructure with no recorded tie); never evidence.

    Runs on the full graph (people and the phones, lodgings, accounts they share), so it has no --projection.
    """
    from ..analytics import reports

    return reports.hypotheses(ctx.db(), method=method, top=top, store=store, **filters)
