"""A store's whole content as comparable data, to show an attack changed nothing."""

from __future__ import annotations

from typing import Any

from credgraph.store import GraphStore, open_store


async def snapshot(store: GraphStore) -> tuple[Any, list[str]]:
    """(stats, every node and edge of iter_graph as sorted text)."""
    items = [repr(item) async for item in store.iter_graph()]
    return await store.stats(), sorted(items)


async def snapshot_of(url: str) -> tuple[Any, list[str]]:
    """`snapshot` of the store at `url`, opened afresh (the API closes the store it serves)."""
    async with open_store(url) as store:
        return await snapshot(store)
