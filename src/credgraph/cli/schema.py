"""`credgraph schema`: the GraphQL schema as SDL (what `schema.graphql` is generated with)."""

from __future__ import annotations

import click


@click.command("schema")
def schema_command() -> None:
    """Print the GraphQL schema (SDL)."""
    from credgraph.api import build_schema

    click.echo(build_schema().as_str())
