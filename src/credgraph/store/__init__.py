"""Graph stores behind one port. `open_store(url)` picks the adapter; it does no I/O until
`await store.open()` (or `async with open_store(url) as store`)."""

from __future__ import annotations

from credgraph.errors import shown_url
from credgraph.store.base import GraphStore
from credgraph.store.query import CredentialFilter, CredentialSort, SortField
from credgraph.store.url import Neo4jTarget, default_store_url, parse_store_url


def open_store(url: str | None = None) -> GraphStore:
    """A store for `url` (default: $CREDGRAPH_STORE or sqlite:///credgraph.db)."""
    target = parse_store_url(url or default_store_url())
    if isinstance(target, Neo4jTarget):
        from credgraph.store.neo4j import Neo4jStore

        return Neo4jStore(target, url=shown_url(url or default_store_url()))
    from credgraph.store.sqlite import SQLiteStore

    return SQLiteStore(target.path, url=shown_url(url or default_store_url()))


__all__ = [
    "CredentialFilter",
    "CredentialSort",
    "GraphStore",
    "SortField",
    "default_store_url",
    "open_store",
]
