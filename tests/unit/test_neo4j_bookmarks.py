"""The bookmarks a process shares per Neo4j database (`credgraph.store.neo4j.bookmarks`)."""

from __future__ import annotations

from credgraph.store.neo4j.bookmarks import SharedBookmarks, bookmarks_for


async def test_new_bookmarks_replace_the_ones_a_transaction_started_from() -> None:
    shared = SharedBookmarks()
    await shared.update_bookmarks([], ["b1"])
    await shared.update_bookmarks(["b1"], ["b2"])
    assert set(await shared.get_bookmarks()) == {"b2"}
    # Two transactions that started from the same bookmark both end up causally first.
    await shared.update_bookmarks([], ["b3"])
    assert set(await shared.get_bookmarks()) == {"b2", "b3"}
    await shared.update_bookmarks(["b2", "b3"], [])  # a transaction that wrote nothing
    assert set(await shared.get_bookmarks()) == {"b2", "b3"}


async def test_callers_get_a_copy() -> None:
    shared = SharedBookmarks()
    await shared.update_bookmarks([], ["b1"])
    got = await shared.get_bookmarks()
    assert isinstance(got, set)
    got.add("mine")
    assert set(await shared.get_bookmarks()) == {"b1"}


def test_one_set_per_uri_and_database() -> None:
    uri = "neo4j://bookmarks.example:7687"
    assert bookmarks_for(uri, None) is bookmarks_for(uri, None)
    assert bookmarks_for(uri, "graphs") is bookmarks_for(uri, "graphs")
    assert bookmarks_for(uri, "graphs") is not bookmarks_for(uri, None)
    assert bookmarks_for(uri, None) is not bookmarks_for("bolt://bookmarks.example:7687", None)
