"""The `credgraph` command group: each command lives in its own module and is registered here."""

from __future__ import annotations

import click

from credgraph import __version__
from credgraph.cli.crawl_command import crawl_command
from credgraph.cli.demo_command import demo_command
from credgraph.cli.export import export_command
from credgraph.cli.graphql import graphql_command
from credgraph.cli.match import match_command
from credgraph.cli.resolve import resolve_command
from credgraph.cli.scheduler import scheduler_command
from credgraph.cli.schema import schema_command
from credgraph.cli.serve_command import serve_command
from credgraph.cli.sources import sources_command
from credgraph.cli.stats import stats_command
from credgraph.cli.store_check import store_group
from credgraph.cli.verify import verify_command
from credgraph.driver_logs import quiet_driver_logs


@click.group()
@click.version_option(__version__, prog_name="credgraph")
def main() -> None:
    """credgraph: crawl credential catalogs into a graph and compare credentials."""
    quiet_driver_logs()  # before any command opens a Neo4j store


main.add_command(stats_command)
main.add_command(schema_command)
main.add_command(graphql_command)
main.add_command(serve_command)
main.add_command(crawl_command)
main.add_command(demo_command)
main.add_command(export_command)
main.add_command(scheduler_command)
main.add_command(verify_command)
main.add_command(resolve_command)
main.add_command(match_command)
main.add_command(sources_command)
main.add_command(store_group)
