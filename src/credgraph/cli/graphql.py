"""`credgraph graphql`: one query run in-process against the store, the JSON response printed
(exit code 1 when it has errors)."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from credgraph.cli.common import run, with_store
from credgraph.cli.options import existing_store, store_option


@click.command("graphql")
@click.argument("query")
@click.option("--variables", default=None, metavar="JSON", help="Variables as a JSON object.")
@store_option
def graphql_command(query: str, variables: str | None, store_url: str | None) -> None:
    """Run a GraphQL QUERY in-process and print the JSON response."""
    from credgraph.api import execute

    try:
        values = json.loads(variables) if variables else None
    except json.JSONDecodeError as exc:
        raise click.BadParameter(f"not JSON: {exc}", param_hint="--variables") from exc
    if values is not None and not isinstance(values, dict):
        raise click.BadParameter("must be a JSON object", param_hint="--variables")

    async def work() -> Any:
        return await with_store(existing_store(store_url), lambda s: execute(s, query, values))

    result = run(work)
    body: dict[str, Any] = {"data": result.data}
    if result.errors:
        body["errors"] = [e.formatted for e in result.errors]
    click.echo(json.dumps(body, indent=2, ensure_ascii=False))
    if result.errors:
        sys.exit(1)
