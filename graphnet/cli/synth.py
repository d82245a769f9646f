"""``graphnet synth``: write a synthetic scenario (agency spreadsheets + ground truth)."""

from __future__ import annotations

from pathlib import Path

import click

from .. import synth as api


@click.command()
@click.argument("out_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--preset", type=click.Choice(sorted(api.PRESETS)), default="province", show_default=True,
              help="province: West Kalimantan, first half of 2018 (31 cases, 42 traffickers, 127 victims, "
                   "3 syndicates); national: three border routes, >= 1,000,000 relationships once loaded.")
@click.option("--seed", type=int, default=7, show_default=True, help="Seed of every random step (same seed, same files).")
@click.option("--cases", type=int, help="Number of cases (victims and traffickers scale with it).")
@click.option("--syndicates", type=int, help="Number of hidden syndicates (each behind >= 2 cases).")
@click.option("--remove-ties", "tie_removal", type=float, default=0.0, show_default=True,
              help="Fraction of the organisers' evidence rows (calls, payments, stays) to leave out.")
@click.option("--duplicate-rate", type=float, default=0.35, show_default=True,
              help="Probability that a clerk spells a person's name differently.")
@click.option("--missing-rate", type=float, default=0.1, show_default=True,
              help="Probability that an agency has no record (or no NIK/phone) where it could.")
@click.option("--broken-rows", type=int, default=8, show_default=True,
              help="Deliberately broken rows (bad NIK, impossible date) for the rejects path.")
@click.option("--background", type=int, help="Ordinary people calling, paying and travelling in the background.")
@click.option("--estimate", is_flag=True, help="Only print the sizes known before writing (no files).")
def synth(out_dir: Path, preset: str, seed: int, cases: int | None, syndicates: int | None, tie_removal: float,
          duplicate_rate: float, missing_rate: float, broken_rows: int, background: int | None,
          estimate: bool) -> None:
    """Write a synthetic trafficking scenario to OUT_DIR.

    Writes the 11 agency spreadsheets (police cases, victim statements, court
    verdicts, border crossings, lodging guests, passenger lists, phone
    subscribers, call records, money transfers, travel documents, shelter
    intake), load-plan.yaml for `graphnet load --plan`, and truth.json: the
    syndicates, their organisers (who never appear in a case file), who is
    who across agencies, age-falsified documents, the broken rows planted for
    the rejects file, and any removed ties. The loaders never read truth.json.
    """
    options = dict(preset=preset, seed=seed, cases=cases, syndicates=syndicates, duplicate_rate=duplicate_rate,
                   missing_rate=missing_rate, tie_removal=tie_removal, broken_rows=broken_rows, background=background)
    if estimate:
        sizes = api.estimate(api.make_params(**options))
        for key, value in sizes.items():
            click.echo(f"{key:<18} {value:>12,}")
        return
    s = api.generate(out_dir, **options)
    click.echo(f"scenario  {s.out_dir}  (preset {s.preset}, seed {s.seed})")
    click.echo(f"cases {s.cases}, victims {s.victims}, traffickers {s.traffickers}, "
               f"syndicates {s.syndicates} ({s.organisers} organisers)")
    for file, n in s.rows.items():
        click.echo(f"  {file + '.csv':<24} {n:>10,} rows")
    click.echo(f"{s.total_rows:,} rows in {s.seconds:.1f} s; at least {s.min_relationships:,} relationships "
               f"once loaded; {s.broken_rows} broken rows planted; {s.removed_ties} ties removed")
    click.echo(f"load it:   graphnet load --plan {s.out_dir / 'load-plan.yaml'}")
    click.echo(f"the truth: {s.out_dir / 'truth.json'} (never loaded)")
