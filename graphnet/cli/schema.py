"""``graphnet schema``: show the declared schema and the Cypher it implies."""

from __future__ import annotations

import click

from ..schema import load_schema, schema_cypher


@click.group()
def schema() -> None:
    """Show the graph schema (labels, relationship types, layers)."""


@schema.command("show")
def show() -> None:
    """List labels and relationship types with their endpoints and layer."""
    s = load_schema()
    click.echo("Labels:")
    for label in s.labels:
        click.echo(f"  {label:<13} {s.nodes[label].description}")
    click.echo("Relationship types:")
    for t in s.relationship_types:
        r = s.relationships[t]
        ends = f"({'|'.join(r.sources)})->({'|'.join(r.targets)})"
        flag = "" if r.evidence else "  [not evidence]"
        click.echo(f"  {t:<16} {ends:<45} layer={r.layer}{flag}")


@schema.command("cypher")
def cypher_cmd() -> None:
    """Print the constraints and indexes (the text of cypher/schema.cypher)."""
    click.echo(schema_cypher(), nl=False)
