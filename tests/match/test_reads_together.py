"""matchJob asks for the skills' candidates and the occupations' at once (`matcher.both`): on
Neo4j the server answers the two in parallel. Shown by a handshake, not by timing: the skills'
read waits for the occupations' to have begun, which could never happen if they ran one after
the other."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from credgraph.errors import StoreError
from credgraph.match import matcher
from credgraph.store import GraphStore
from tests.api.conftest import query

MATCH = "query($text: String) { matchJob(text: $text) { credentials { credential { id } } } }"
AD = "Data analyst: SQL, Python and statistics every day. O*NET 15-2051.00"
PATIENCE = 60.0  # a bound so a sequential version fails instead of hanging


async def test_skills_and_occupations_are_read_together(
    store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    occupations_begun = asyncio.Event()
    covered: list[Any] = []
    covering = store.credentials_covering
    preparing = matcher._preparing

    async def covering_once_both_run(*args: Any, **kwargs: Any) -> Any:
        covered.append(args)
        await asyncio.wait_for(occupations_begun.wait(), PATIENCE)
        return await covering(*args, **kwargs)

    async def preparing_announced(*args: Any) -> Any:
        occupations_begun.set()
        return await preparing(*args)

    monkeypatch.setattr(store, "credentials_covering", covering_once_both_run)
    monkeypatch.setattr(matcher, "_preparing", preparing_announced)
    data = await query(store, MATCH, {"text": AD})
    assert data["matchJob"]["credentials"]
    assert covered and occupations_begun.is_set()


async def test_a_failure_is_raised_as_it_is_and_the_other_read_cancelled() -> None:
    other_cancelled = asyncio.Event()
    other_started = asyncio.Event()

    async def failing() -> None:
        await other_started.wait()
        raise StoreError("the store went away")

    async def slow() -> None:
        other_started.set()
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            other_cancelled.set()
            raise

    with pytest.raises(StoreError, match="went away"):
        await matcher.both(failing(), slow())
    await asyncio.wait_for(other_cancelled.wait(), PATIENCE)
