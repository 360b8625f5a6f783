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
    help=(
        "A SQLite file (path.db or sqlite:///path.db; default ./credgraph.db, or "
        "$CREDGRAPH_STORE) or a Neo4j URL (bolt://host:7687, neo4j://host:7687)."
    ),
)


DEMO_STORE = "sqlite:///credgraph-demo.db"


def existing_store(store_url: str | None) -> str:
    """The store URL a reading command uses (--store, else $CREDGRAPH_STORE, else
    ./credgraph.db), refused when it names a SQLite file that does not exist: opening it would
    create an empty store and report on nothing."""
    from credgraph.errors import StoreURLError
    from credgraph.store import default_store_url
    from credgraph.store.url import SQLiteTarget, parse_store_url

    url = store_url or default_store_url()
    target = parse_store_url(url)
    if isinstance(target, SQLiteTarget) and not target.path.exists():
        hint = "`credgraph crawl` or `credgraph demo` creates one"
        demo = parse_store_url(DEMO_STORE)
        if isinstance(demo, SQLiteTarget) and demo.path.exists() and demo.path != target.path:
            hint = f"the demo's graph is in {demo.path}: pass --store {DEMO_STORE}"
        raise StoreURLError(
            f"no SQLite store at {target.path} (nothing was created): check --store "
            f"(or $CREDGRAPH_STORE); {hint}"
        )
    return url
