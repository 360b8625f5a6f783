"""What one match may have in flight: the credential reads of all its occupations share one
bound (`PARALLEL_READS`), reads cancelled before they start leave nothing never awaited, and a
failed match leaves asyncio nothing to report. A store of counters stands in for the reads:
what is measured is how many are in flight, which the real stores answer the same way."""

from __future__ import annotations

import asyncio
import gc
import logging
import warnings
from pathlib import Path
from typing import Any

import pytest

from credgraph.analysis.occupations import PARALLEL_READS, related_occupations
from credgraph.errors import StoreError
from credgraph.match import matcher
from credgraph.model.records import Occupation
from credgraph.model.views import Page
from credgraph.store import open_store
from tests.api.conftest import errors
from tests.contract.test_writes import load
from tests.sqlite_template import new_sqlite_store

AD = "Data analyst: SQL, Python and statistics every day. O*NET 15-2051.00"
STEPS = 5  # loop turns each read stays in flight: every read started meanwhile overlaps it


class InFlight:
    """Reads of occupations and credentials that count how many are in flight."""

    def __init__(self) -> None:
        self.now = self.most = self.credentials_now = self.credentials_most = 0

    async def _held(self, credentials: bool = False) -> None:
        self.now += 1
        self.most = max(self.most, self.now)
        if credentials:
            self.credentials_now += 1
            self.credentials_most = max(self.credentials_most, self.credentials_now)
        for _ in range(STEPS):
            await asyncio.sleep(0)
        self.now -= 1
        if credentials:
            self.credentials_now -= 1

    async def get_occupations(self, ids: Any) -> list[Occupation]:
        await self._held()
        return [Occupation(i, i, code=i.split(":")[1] + ".00", framework="O*NET-SOC") for i in ids]

    async def equivalents_many(self, ids: Any) -> dict[str, list[str]]:
        await self._held()
        return {i: [] for i in ids}

    async def list_occupations(self, code_prefix: str = "", **_: Any) -> Page[Occupation]:
        await self._held()
        codes = [f"{code_prefix}.{n:02d}" for n in range(1, 21)]
        return Page(tuple(Occupation(f"onet:{c}", c, code=c) for c in codes), (), None, False, 0)

    async def list_credentials(self, *_: Any, **__: Any) -> Page[Any]:
        await self._held(credentials=True)
        return Page((), (), None, False, 0)


async def test_the_credential_reads_of_all_a_jobs_occupations_share_one_bound() -> None:
    store = InFlight()
    ids = [f"onet:15-20{n}1" for n in range(matcher.MAX_OCCUPATIONS)]
    await matcher._preparing(store, ids, None)  # type: ignore[arg-type]
    # 5 occupations of 21 related each: 105 reads of credentials, 8 at a time, not 8 each.
    assert store.credentials_most == PARALLEL_READS
    assert store.most < PARALLEL_READS + 4 * matcher.MAX_OCCUPATIONS


async def test_reads_cancelled_before_they_start_leave_nothing_never_awaited() -> None:
    class Slow:
        async def equivalents_many(self, ids: Any) -> dict[str, list[str]]:
            await asyncio.Event().wait()
            return {}

        async def list_occupations(self, **_: Any) -> Page[Occupation]:
            await asyncio.Event().wait()
            return Page((), (), None, False, 0)

    occupation = Occupation("esco:x", "x", code="2512.4", framework="ESCO")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        reading = asyncio.ensure_future(related_occupations(Slow(), occupation))  # type: ignore[arg-type]
        await asyncio.sleep(0)  # its first step: the reads' tasks made, not yet run
        reading.cancel()
        await asyncio.gather(reading, return_exceptions=True)
        gc.collect()
    assert reading.cancelled()
    assert [str(w.message) for w in caught if "never awaited" in str(w.message)] == []


def test_a_failed_match_leaves_nothing_unreported_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The job's skills are still being read when the match fails: its error is the answer's,
    and asyncio has no exception left that nobody retrieved. (A loop of its own, so that what
    the requests leave is freed and reported while the test's handler listens.)"""
    reported: list[str] = []

    async def failing_matches() -> None:
        asyncio.get_running_loop().set_exception_handler(
            lambda _loop, context: reported.append(context["message"])
        )
        async with open_store(await new_sqlite_store(tmp_path / "graph.db")) as store:
            await load(store)
            get_skills = store.get_skills

            async def held(ids: Any) -> Any:
                await asyncio.sleep(0.05)  # a networked store's read: in flight when it fails
                return await get_skills(ids)

            async def failing(*_: Any, **__: Any) -> Any:
                raise StoreError("the store went away")

            store.get_skills = held  # type: ignore[method-assign]
            store.credentials_covering = failing  # type: ignore[method-assign]
            text = "query($t: String) { matchJob(text: $t) { credentials { credential { id } } } }"
            for _ in range(3):
                found = await errors(store, text, {"t": AD})
                assert "went away" in str(found)
            await asyncio.sleep(0.2)  # the reads end (or are cancelled) and are freed
            gc.collect()
            await asyncio.sleep(0)

    # The errors' log records would keep their tracebacks, and with them what the requests
    # left, alive in the test's log capture: not logged here.
    monkeypatch.setattr(logging.getLogger("strawberry.execution"), "disabled", True)
    asyncio.run(failing_matches())
    assert reported == []
