"""The whole-graph indexes (matchJob's vocabulary, resolveCredentials' name index) and the
worker processes (the verifier's, matchJob(url:)'s page readers) begun as the server starts,
and `/readyz` saying when they are there. Builds and starts are held by events: no timing."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from credgraph.api.settings import ApiSettings
from credgraph.match.fetching import PAGE_PARSERS
from credgraph.match.index import VOCABULARIES
from credgraph.resolving.service import index_cache
from credgraph.store.sqlite.store import SQLiteStore
from credgraph.verify import Verifier
from credgraph.verify.workers import CheckWorkers
from tests.api.http_helpers import TEST_SETTINGS, api

WARM = replace(TEST_SETTINGS, warm_indexes=True)
RESOLVE = 'query { resolveCredentials(names: ["Data Analytics Certificate"]) { input } }'
MATCH = 'query { matchJob(text: "SQL and Python") { unmatched } }'


async def ready(client: Any) -> dict[str, Any]:
    """The /readyz answer once it is 200 (each wait yields to the builds); fails rather than
    hangs when it never comes."""
    for _ in range(6000):  # a minute of 10 ms waits: the builds here take milliseconds
        response = await client.get("/readyz")
        if response.status_code == 200:
            body: dict[str, Any] = response.json()
            return body
        assert response.status_code == 503
        assert response.json()["status"] == "building"
        await asyncio.sleep(0.01)
    raise AssertionError("/readyz never answered 200")


async def test_both_indexes_are_built_at_startup_and_requests_use_them(tmp_path: Path) -> None:
    async with api(tmp_path, WARM) as (client, app):
        body = await ready(client)
        assert body["status"] == "ok"
        assert body["indexes"] == {"matching": "ready", "names": "ready"}
        builds = VOCABULARIES.builds
        served = app.state.warmup.store
        built_names = await index_cache(served).index(served, wait=0)
        for query in (MATCH, RESOLVE):
            answer = (await client.post("/graphql", json={"query": query})).json()
            assert "errors" not in answer, answer
        assert VOCABULARIES.builds == builds  # matchJob found the vocabulary built
        assert await index_cache(served).index(served, wait=0) is built_names


async def test_readyz_is_503_while_an_index_builds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = asyncio.Event()
    asked = asyncio.Event()

    real = SQLiteStore.credential_names

    async def held(self: SQLiteStore) -> Any:
        asked.set()
        await release.wait()
        return await real(self)

    monkeypatch.setattr(SQLiteStore, "credential_names", held)
    async with api(tmp_path, WARM) as (client, _):
        await asked.wait()  # the vocabulary is built; the names are being read
        response = await client.get("/readyz")
        assert response.status_code == 503
        assert response.json() == {
            "status": "building",
            "indexes": {"matching": "ready", "names": "building"},
            "workers": {"verification": "off", "posting_pages": "off"},
        }
        assert (await client.get("/healthz")).status_code == 200  # alive meanwhile
        release.set()
        assert (await ready(client))["indexes"]["names"] == "ready"


async def test_turned_off_nothing_is_built_until_asked(tmp_path: Path) -> None:
    async with api(tmp_path, TEST_SETTINGS) as (client, app):
        response = await client.get("/readyz")
        assert response.status_code == 200
        assert response.json()["indexes"] == {"matching": "off", "names": "off"}
        assert VOCABULARIES.built(app.state.warmup.store) is False


async def test_shutting_down_cancels_a_build_in_progress(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = asyncio.Event()
    ended: list[str] = []

    async def never(self: SQLiteStore) -> Any:
        asked.set()
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            ended.append("cancelled")
            raise

    monkeypatch.setattr(SQLiteStore, "credential_names", never)
    async with api(tmp_path, WARM) as (client, _):
        await asked.wait()
        assert (await client.get("/readyz")).status_code == 503
    assert ended == ["cancelled"]  # not left reading a closed store


WARM_VERIFIER = replace(TEST_SETTINGS, warm_verifier=True)


class HeldStart:
    """A pool's start that waits for `release`; `asked` is set once it began."""

    def __init__(self) -> None:
        self.asked = asyncio.Event()
        self.release = asyncio.Event()

    async def __call__(self, *_pool: object) -> None:
        self.asked.set()
        await self.release.wait()


async def test_the_verifiers_workers_are_started_before_readiness(tmp_path: Path) -> None:
    verifier = Verifier()
    async with api(tmp_path, WARM_VERIFIER, verifier=verifier) as (client, _):
        body = await ready(client)
        assert body["workers"] == {"verification": "ready", "posting_pages": "off"}
        assert verifier.workers.running  # up before any verification asked for them
    assert not verifier.workers.running  # and stopped with the app


async def test_readyz_is_503_while_the_workers_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    held = HeldStart()
    monkeypatch.setattr(CheckWorkers, "started", held)
    async with api(tmp_path, WARM_VERIFIER) as (client, _):
        await held.asked.wait()
        response = await client.get("/readyz")
        assert response.status_code == 503
        assert response.json()["workers"] == {"verification": "building", "posting_pages": "off"}
        held.release.set()
        assert (await ready(client))["workers"]["verification"] == "ready"


@pytest.mark.parametrize(
    ("settings", "owner", "method", "part", "expected"),
    [
        # the names index's read of the store fails: the matching index is built all the same
        (
            WARM,
            SQLiteStore,
            "credential_names",
            "indexes",
            {"matching": "ready", "names": "failed"},
        ),
        (WARM_VERIFIER, CheckWorkers, "started", "workers", {"verification": "failed"}),
    ],
    ids=["index build", "workers' start"],
)
async def test_a_failed_start_is_reported_and_does_not_hold_readiness(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    settings: ApiSettings,
    owner: type,
    method: str,
    part: str,
    expected: dict[str, str],
) -> None:
    async def broken(self: object) -> Any:
        raise OSError("no more processes")

    monkeypatch.setattr(owner, method, broken)
    async with api(tmp_path, settings) as (client, _):
        body = await ready(client)
    assert {k: v for k, v in body[part].items() if k in expected} == expected
    assert "no more processes" in caplog.text


async def test_turned_off_the_workers_start_on_first_use(tmp_path: Path) -> None:
    verifier = Verifier()
    async with api(tmp_path, TEST_SETTINGS, verifier=verifier) as (client, _):
        response = await client.get("/readyz")
        assert response.status_code == 200
        assert response.json()["workers"] == {"verification": "off", "posting_pages": "off"}
        assert not verifier.workers.running
        assert not PAGE_PARSERS.running


WARM_PAGE_PARSERS = replace(TEST_SETTINGS, warm_page_parsers=True)


async def test_the_posting_page_readers_are_started_before_readiness(tmp_path: Path) -> None:
    await PAGE_PARSERS.aclose()  # whatever an earlier test in this process left running
    async with api(tmp_path, WARM_PAGE_PARSERS) as (client, _):
        body = await ready(client)
        assert body["workers"] == {"verification": "off", "posting_pages": "ready"}
        assert PAGE_PARSERS.running  # before any matchJob(url:) asked for a page
    assert not PAGE_PARSERS.running  # and stopped with the app


async def test_both_pools_start_side_by_side_and_each_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    async def broken() -> None:
        raise OSError("no more processes")

    held = HeldStart()
    monkeypatch.setattr(CheckWorkers, "started", held)
    monkeypatch.setattr(PAGE_PARSERS, "start", broken)
    both = replace(TEST_SETTINGS, warm_verifier=True, warm_page_parsers=True)
    async with api(tmp_path, both) as (client, _):
        await held.asked.wait()
        for _ in range(1000):  # the page readers' failed start is reported while the other holds
            response = await client.get("/readyz")
            assert response.status_code == 503
            if response.json()["workers"]["posting_pages"] == "failed":
                break
            await asyncio.sleep(0.01)
        assert response.json()["workers"] == {"verification": "building", "posting_pages": "failed"}
        held.release.set()
        body = await ready(client)
    assert body["workers"] == {"verification": "ready", "posting_pages": "failed"}
    assert "starting the posting_pages workers at startup failed" in caplog.text
