"""``graphnet view``: write an offline, interactive network page for investigators."""

from __future__ import annotations

from pathlib import Path

import click

from ..analytics import TIME_LIMIT_MINUTES
from ..terminal import shown
from ..views import COLLAPSE_MODES, DEFAULT_LIMIT, SIZE_MEASURES
from ..views import view as view_api
from . import Context, pass_ctx


@click.command()
@click.argument("out", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@click.option("--around", "around", metavar="UID|NAME", help="Draw the neighbourhood of a person, case, phone or lodging (uid, merged record uid or exact name).")
@click.option("--hops", default=1, show_default=True, type=click.IntRange(0, 10), help="How many ties away from --around.")
@click.option("--community", metavar="ID", help="Draw one community (ids as in `graphnet report communities`).")
@click.option("--syndicate", metavar="ID", help="Draw one syndicate from the syndicates report.")
@click.option("--path", "path", nargs=2, metavar="A B", help="Draw every shortest chain of ties between two people.")
@click.option("--projection", metavar="NAME", help="Projection to draw or select from: full, persons, cases, layer:<layer> (default: full; persons for --community/--syndicate).")
@click.option("--since", metavar="YYYY-MM-DD", help="Keep ties dated on or after this day (undated ties stay).")
@click.option("--until", metavar="YYYY-MM-DD", help="Keep ties dated on or before this day (undated ties stay).")
@click.option("--case", "cases", multiple=True, help="Only this case (uid, number or name) and what touches its people; repeatable.")
@click.option("--province", help="Only the cases and people of this province and what touches them.")
@click.option("--source", "sources", multiple=True, help="Only ties from this loaded file (source uid, definition, path or SHA-256 prefix); repeatable.")
@click.option("--size-by", type=click.Choice(SIZE_MEASURES), help="Node size shows this measure (default: uniform).")
@click.option("--color-by", type=click.Choice(["label", "community"]), default="label", show_default=True, help="Fill colour by entity type and role, or by community.")
@click.option("--redact", type=click.Choice(["victims"]), help="Pseudonymise victims (keyed; needs GRAPHNET_REDACT_KEY or --redact-key).")
@click.option("--redact-key", metavar="KEY", help="Key of the victim pseudonyms (default: env GRAPHNET_REDACT_KEY).")
@click.option("--limit", default=DEFAULT_LIMIT, show_default=True, type=click.IntRange(1), help="Refuse to draw more nodes than this (say how many instead).")
@click.option("--collapse", type=click.Choice(COLLAPSE_MODES), help="Draw each community, or each lodging with its guests, as one node.")
@click.option("--hypotheses", is_flag=True, help="Also draw hypothesised ties (dashed grey, labelled, never evidence).")
@click.option("--seed", default=0, show_default=True, type=int, help="Seed of the layout and of any community detection (recorded in the page).")
@click.option("--title", help="Page title (default: says what is drawn).")
@click.option("--runs", default=10, show_default=True, type=click.IntRange(min=1),
              help="With --community: the Louvain runs its ids come from (as `graphnet report communities --runs`).")
@click.option("--time-limit", default=TIME_LIMIT_MINUTES, show_default=True, type=click.FloatRange(min=0),
              metavar="MINUTES", help="With --community on a large graph: stop the runs foretold to take longer; 0: no limit.")
@pass_ctx
def view(
    ctx: Context, out: Path, around: str | None, hops: int, community: str | None, syndicate: str | None,
    path: tuple[str, str] | None, projection: str | None, since: str | None, until: str | None,
    cases: tuple[str, ...], province: str | None, sources: tuple[str, ...], size_by: str | None, color_by: str, redact: str | None, redact_key: str | None, limit: int,
    collapse: str | None, hypotheses: bool, seed: int, title: str | None, runs: int, time_limit: float,
) -> None:  # fmt: skip
    """Write an interactive network view as ONE offline HTML file (OUT.html).

    Choose what to draw with --around UID [--hops N], --community ID,
    --syndicate ID, --path A B, or a whole --projection NAME. The page needs
    no network: vis-network is inlined, every name is escaped, hover or click
    a node or tie to see its properties and the files and rows behind it.

    Example: graphnet view suspect.html --around police:POL-000007 --hops 2 --size-by betweenness --redact victims
    """
    key = None
    if redact:
        key = redact_key or ctx.settings.redact_key
        from ..redact import Redactor

        key = Redactor(key)  # fails with one clear line when no key is set
    result = view_api(
        ctx.db(), out, around=around, hops=hops, community=community, syndicate=syndicate,
        path=list(path) if path else None, projection=projection, since=since, until=until,
        cases=list(cases), province=province, sources=list(sources), size_by=size_by, color_by=color_by, redact=key, limit=limit, collapse=collapse,
        hypotheses=hypotheses, seed=seed, title=title, runs=runs, time_limit=time_limit,
    )  # fmt: skip
    click.echo(f"wrote {result['path']}: {result['nodes']} nodes, {result['edges']} ties ({shown(result['title'])})")
