"""``graphnet resolve``: merge person records across agencies, review, accept and undo merges."""

from __future__ import annotations

import csv
import io
import json

import click

from .. import resolution
from ..terminal import shown
from . import Context, pass_ctx

_SHOW = 20  # conflicts and shared phones printed in the summary (all of them with --json)
_FIELDS = ["a", "b", "status", "score", "reason", "decided_at", "decided_by", "a_name", "b_name"]


def _summary(report: resolution.ResolutionReport) -> None:
    click.echo(
        f"records   {report.records} person records; {report.merged_records} of them in "
        f"{report.clusters} merged people"
    )
    by_rule = report.applied_by_rule()
    applied = ", ".join(f"{rule} {n}" for rule, n in by_rule.items()) or "none"
    click.echo(f"applied   {len(report.applied) + len(report.upgraded)} new merges: {applied}")
    if report.upgraded:
        click.echo(f"          ({len(report.upgraded)} of them were proposals that new evidence made certain)")
    click.echo(
        f"proposed  {len(report.proposed)} for review (score {report.review_threshold:g} to "
        f"{report.threshold:g}); list them with `graphnet resolve list --status proposed`"
    )
    if report.blocked:
        click.echo(f"blocked   {len(report.blocked)} merges would join records a reviewer rejected (proposed instead)")
    click.echo(f"kept      {report.kept} earlier decisions found again, unchanged")
    if report.skipped_rejected:
        click.echo(f"rejected  {len(report.skipped_rejected)} matches were rejected earlier and not re-applied")
    if report.shared_phones:
        click.echo(
            f"shared    {len(report.shared_phones)} phones used by more than {report.max_phone_people} people "
            "merge nobody (a lead, not an identity):"
        )
        for phone, n_records, n_people in report.shared_phones[:_SHOW]:
            click.echo(f"          {shown(phone)}  {n_records} records, {n_people} people")
    click.echo(f"conflicts {len(report.conflicts)} people with different birth dates (kept, flagged {resolution.CONFLICT_FLAG}):")
    for c in report.conflicts[:_SHOW]:
        click.echo(f"          {shown(c.canonical)}  ({len(c.records)} records: {shown(', '.join(c.names))})")
        for date, sources in c.dates.items():
            said = "; ".join(f"{what} {uid} [{', '.join(src) or 'no source'}]" for what, uid, src in sources)
            click.echo(f"            {shown(date)}  {shown(said)}")
    if len(report.conflicts) > _SHOW:
        click.echo(f"          ... {len(report.conflicts) - _SHOW} more: `graphnet resolve --json` lists them all")


@click.group(invoke_without_command=True)
@click.option("--threshold", default=0.92, show_default=True, help="Name + birth date score that applies a merge.")
@click.option(
    "--review-threshold", default=0.75, show_default=True, help="Score from which a merge is proposed for review."
)
@click.option(
    "--max-phone-people", default=2, show_default=True,
    help="A phone used by more people than this is shared and merges nobody.",
)
@click.option("--by", "decided_by", default="graphnet", show_default=True, help="Who decides (stored on each decision).")
@click.option("--json", "as_json", is_flag=True, help="Print the full report as JSON.")
@click.pass_context
def resolve(
    click_ctx: click.Context,
    threshold: float,
    review_threshold: float,
    max_phone_people: int,
    decided_by: str,
    as_json: bool,
) -> None:
    """Merge person records that are one person across agencies; every merge is a stored decision.

    Without a subcommand, runs resolution: the same NIK, passport, bank account
    or (unshared) phone merges records; names with birth dates merge at or above
    --threshold and are proposed for review from --review-threshold. Conflicting
    birth dates are kept and flagged. Running it twice changes nothing; a
    rejected merge is never re-applied.
    """
    if click_ctx.invoked_subcommand is not None:
        return
    ctx: Context = click_ctx.find_object(Context)
    report = resolution.resolve(
        ctx.db(),
        threshold=threshold,
        review_threshold=review_threshold,
        decided_by=decided_by,
        max_phone_people=max_phone_people,
    )
    if as_json:
        click.echo(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
    else:
        _summary(report)


@resolve.command("list")
@click.option("--status", type=click.Choice(resolution.STATUSES), help="Only decisions with this status.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@pass_ctx
def list_(ctx: Context, status: str | None, fmt: str) -> None:
    """List merge decisions: records, status, score, reason, who decided and when."""
    found = resolution.decisions(ctx.db(), status)
    rows = [{k: d.as_dict()[k] for k in _FIELDS} for d in found]
    if fmt == "json":
        click.echo(json.dumps([d.as_dict() for d in found], indent=2, ensure_ascii=False))
    elif fmt == "csv":
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=_FIELDS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
        click.echo(buf.getvalue(), nl=False)
    else:
        if not rows:
            click.echo("no decisions" + (f" with status {status}" if status else ""))
            return
        for r in rows:  # reviewers judge names, so show them beside the record uids
            r["a_show"] = f"{r['a']} ({r['a_name'] or '?'})"
            r["b_show"] = f"{r['b']} ({r['b_name'] or '?'})"
        wa = max(len(r["a_show"]) for r in rows)
        wb = max(len(r["b_show"]) for r in rows)
        click.echo(f"{'A':<{wa}}  {'B':<{wb}}  {'STATUS':<8}  {'SCORE':>5}  REASON")
        for r in rows:
            click.echo(
                f"{r['a_show']:<{wa}}  {r['b_show']:<{wb}}  {r['status']:<8}  {r['score']:>5.2f}  {r['reason']}"
            )
        click.echo(f"{len(rows)} decisions")


@resolve.command()
@click.argument("a")
@click.argument("b")
@click.option("--by", "decided_by", default="graphnet", show_default=True, help="Who rejects the merge.")
@pass_ctx
def undo(ctx: Context, a: str, b: str, decided_by: str) -> None:
    """Reject the merge of records A and B (the decision is kept, never re-applied)."""
    result = resolution.undo(ctx.db(), a, b, by=decided_by)
    d = result.decision
    was = f"was {result.previous_status}" if result.previous_status else "no decision existed"
    click.echo(f"rejected  {d.a} = {d.b} ({was}; reason: {d.reason})")
    if result.still_joined_via:
        click.echo(
            "warning   they are still one person through other merges: "
            + " - ".join(result.still_joined_via)
            + "; undo one of those links too",
            err=True,
        )


@resolve.command()
@click.argument("truth", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the figures and examples as JSON.")
@pass_ctx
def evaluate(ctx: Context, truth: str, as_json: bool) -> None:
    """Measure the applied merges against a synthetic scenario's TRUTH file (truth.json).

    Load the scenario (`graphnet load --plan load-plan.yaml`) and run
    `graphnet resolve` first; prints pairwise precision and recall.
    """
    from ..resolution.evaluate import evaluate as evaluate_api

    ev = evaluate_api(ctx.db(), truth)
    if as_json:
        click.echo(json.dumps(ev.as_dict(), indent=2))
        return
    click.echo(f"precision {ev.precision:.4f}  ({ev.true_positives} right merged pairs, {ev.false_positives} wrong)")
    click.echo(f"recall    {ev.recall:.4f}  ({ev.true_positives} of {ev.true_pairs} true pairs merged)")
    click.echo(f"people    {ev.persons} true people, {ev.records} truth records ({ev.unmapped} not found in the graph)")
    for a, b in ev.false_positive_examples:
        click.echo(f"wrong     {a} = {b}")


@resolve.command()
@click.argument("a")
@click.argument("b")
@click.option("--by", "decided_by", default="graphnet", show_default=True, help="Who accepts the merge.")
@pass_ctx
def accept(ctx: Context, a: str, b: str, decided_by: str) -> None:
    """Apply a proposed merge of records A and B after review."""
    d = resolution.accept(ctx.db(), a, b, by=decided_by)
    click.echo(f"applied   {d.a} = {d.b} (score {d.score:.2f}; reason: {d.reason}; by {d.decided_by})")
