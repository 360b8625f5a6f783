"""Options several commands share, spelled and explained once."""

from __future__ import annotations

import click

config_option = click.option(
    "--config",
    "config_path",
    default="sources.toml",
    show_default=True,
    type=click.Path(dir_okay=False),
    help="The sources file.",
)
store_option = click.option(
    "--store",
    "store_url",
    default=None,
    metavar="URL",
    help="sqlite:///path.db (default ./credgraph.db, or $CREDGRAPH_STORE) or bolt://host:7687.",
)
