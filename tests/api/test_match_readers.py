"""matchJob's text readers on the process's threads for requests' CPU work
(`credgraph.request_threads`): a request queued for a thread keeps its whole reading deadline,
one that waits too long is told the server is busy, and /healthz answers while every thread
reads. Readers are held by events, never by timing; time only bounds a hang."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from credgraph.api import matching
from credgraph.match.asked import Asked, asked_by_text
from credgraph.match.index import GraphVocabulary
from credgraph.request_threads import REQUEST_THREADS
from tests.api.http_helpers import api

MATCH = "query ($t: String!) { matchJob(text: $t) { unmatched } }"
HANG_GUARD_S = 60.0


class HeldReaders:
    """matchJob's text reader, replaced: each call records the deadline it was given; the
    first `hold` then wait until `release` is set (stand-ins that keep the threads taken)."""

    def __init__(self, hold: int) -> None:
        self.hold = hold
        self.release = threading.Event()
        self._lock = threading.Lock()
        self.deadlines: list[float] = []

    def __call__(self, graph: GraphVocabulary, text: str, deadline: float) -> Asked:
        with self._lock:
            self.deadlines.append(deadline)
            holding = len(self.deadlines) <= self.hold
        if holding:
            self.release.wait(HANG_GUARD_S)
            return asked_by_text(graph, text)  # a stand-in: its own deadline is not the point
        return asked_by_text(graph, text, deadline)

    async def all_holding(self) -> None:
        await until(lambda: len(self.deadlines) >= self.hold)


async def until(condition: Callable[[], bool]) -> None:
    """Yield to the loop until `condition` holds; fail rather than hang."""
    for _ in range(int(HANG_GUARD_S / 0.01)):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("never happened")


def ask(client: httpx.AsyncClient, text: str) -> Awaitable[httpx.Response]:
    return asyncio.ensure_future(
        client.post("/graphql", json={"query": MATCH, "variables": {"t": text}})
    )


class CountedRuns:
    """`REQUEST_THREADS.run`, counting calls: a call has queued its work once counted (the
    work is submitted before `run` first waits)."""

    def __init__(self) -> None:
        self.calls = 0
        self._run = REQUEST_THREADS.run

    async def __call__(self, work: Callable[[], Any], *, wait: float | None = None) -> Any:
        self.calls += 1
        return await self._run(work, wait=wait)


@pytest.fixture
async def held(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[tuple[httpx.AsyncClient, HeldReaders, list[Awaitable[httpx.Response]]]]:
    """A client, with every thread for requests' CPU work taken by a matchJob reader held."""
    async with api(tmp_path) as (client, _):
        warmed = await ask(client, "SQL and Python")  # the vocabulary, built before holding
        assert warmed.status_code == 200, warmed.text
        readers = HeldReaders(hold=REQUEST_THREADS.threads)
        monkeypatch.setattr(matching, "asked_by_text", readers)
        holders = [ask(client, "SQL") for _ in range(readers.hold)]
        try:
            await readers.all_holding()
            yield client, readers, holders
        finally:
            readers.release.set()
            await asyncio.gather(*holders)


async def test_healthz_answers_while_every_reader_thread_reads(
    held: tuple[httpx.AsyncClient, HeldReaders, list[Awaitable[httpx.Response]]],
) -> None:
    client, _, _ = held
    response = await client.get("/healthz")
    assert response.status_code == 200, response.text


async def test_a_request_queued_for_a_thread_keeps_its_whole_reading_deadline(
    held: tuple[httpx.AsyncClient, HeldReaders, list[Awaitable[httpx.Response]]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    client, readers, _ = held
    monkeypatch.setattr(matching, "READ_WAIT_SECONDS", HANG_GUARD_S)
    runs = CountedRuns()
    monkeypatch.setattr(REQUEST_THREADS, "run", runs)
    queued = ask(client, "SQL and Python")
    await until(lambda: runs.calls == 1)  # its reading is queued behind the held ones
    freed_at = time.monotonic()
    readers.release.set()
    response = await queued
    assert response.status_code == 200, response.text
    assert "errors" not in response.json()
    # The deadline was taken when its thread took it up, after the threads were freed.
    assert readers.deadlines[-1] >= freed_at + matching.EXTRACT_SECONDS


async def test_a_request_finding_every_thread_taken_is_told_to_retry(
    held: tuple[httpx.AsyncClient, HeldReaders, list[Awaitable[httpx.Response]]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    client, readers, holders = held
    # Every thread is held until the test says: any wait at all runs out.
    monkeypatch.setattr(matching, "READ_WAIT_SECONDS", 0.01)
    response = await ask(client, "SQL and Python")
    assert response.status_code == 503, response.text
    assert response.headers["Retry-After"] == "1"
    (error,) = response.json()["errors"]
    assert error["extensions"]["code"] == "BUSY"
    assert "busy" in error["message"] and "ask again" in error["message"]
    readers.release.set()
    assert all(r.status_code == 200 for r in await asyncio.gather(*holders))
    # Refused while queued, its reading never ran: only the held readers were called.
    assert len(readers.deadlines) == readers.hold
