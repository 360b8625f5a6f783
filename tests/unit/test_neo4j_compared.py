"""`store.neo4j.writes.compared` reads the stored fingerprints while it hashes the records:
when the hashing fails, the read is stopped and waited for, and a cancellation of the
caller that arrives during that wait is not swallowed."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from credgraph.model.values import NodeKind
from credgraph.store.neo4j import writes


class Record:
    id = "cred:1"


async def test_a_failed_hash_stops_the_read_and_is_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    read_ended = asyncio.Event()

    async def slow_read(*_: Any) -> dict[str, Any]:
        try:
            await asyncio.sleep(30)
        finally:
            read_ended.set()
        return {}

    def broken_hash(_: Any) -> dict[Any, bytes]:
        raise ValueError("unhashable record")

    monkeypatch.setattr(writes, "stored_prints", slow_read)
    monkeypatch.setattr(writes, "_fingerprints", broken_hash)
    with pytest.raises(ValueError, match="unhashable"):
        await writes.compared(None, NodeKind.CREDENTIAL, [Record()], {})  # type: ignore[arg-type]
    assert read_ended.is_set()


async def test_a_cancellation_during_the_reads_wind_down_is_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    winding_down = asyncio.Event()

    async def stubborn_read(*_: Any) -> dict[str, Any]:
        try:
            await asyncio.sleep(30)
        except asyncio.CancelledError:
            winding_down.set()
            await asyncio.sleep(30)  # slow to stop: the caller waits here
        return {}

    def broken_hash(_: Any) -> dict[Any, bytes]:
        raise ValueError("unhashable record")

    monkeypatch.setattr(writes, "stored_prints", stubborn_read)
    monkeypatch.setattr(writes, "_fingerprints", broken_hash)
    caller = asyncio.ensure_future(
        writes.compared(None, NodeKind.CREDENTIAL, [Record()], {})  # type: ignore[arg-type]
    )
    await asyncio.wait_for(winding_down.wait(), 10)
    caller.cancel()
    with pytest.raises(asyncio.CancelledError):
        await caller
