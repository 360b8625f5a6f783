"""Neo4j stopped and started again under a real `credgraph serve` during traffic.

The test runs its own Neo4j (tools/neo4j/server on a port of its own, never the suite's
shared one, which other tests rely on). While it is down, every request is answered in
bounded time with an error: a GraphQL error or a 5xx, and 503 on /healthz. After it is back,
the same server process answers again without being restarted.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

import httpx
import pytest

from credgraph.store import open_store
from tests.contract import data
from tests.faults.own_neo4j import launcher
from tests.faults.served import serving_api

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]  # restarts and cuts a real Neo4j

STATS = "query Stats { stats { credentials } }"
# An execution timeout well inside the 8 s outage, so a GraphQL request asked early in it
# is answered with the timeout's 503 however fast Neo4j restarts (with the default 10 s, a
# quick restart let every waiting request succeed: nothing was seen failing). /healthz waits
# 2 s for a ping. An answer later than BOUND is a hang.
TIMEOUT_S = 4
BOUND = TIMEOUT_S + 4.0


async def load_graph(url: str) -> None:
    async with open_store(url) as store:
        await store.upsert_skills([data.SQL, data.PY])
        await store.upsert_occupations([data.DATA_SCI, data.DBA])
        await store.upsert_credentials(data.credentials())


@dataclass
class Answer:
    at: float
    path: str
    status: int  # 0: no HTTP answer at all
    ok: bool
    seconds: float


async def ask(client: httpx.AsyncClient, path: str) -> Answer:
    started = time.monotonic()
    try:
        if path == "/graphql":
            response = await client.post(path, json={"query": STATS})
            ok = response.status_code == 200 and "errors" not in response.json()
        else:
            response = await client.get(path)
            ok = response.status_code == 200
        status = response.status_code
    except httpx.HTTPError:
        status, ok = 0, False
    return Answer(started, path, status, ok, time.monotonic() - started)


async def traffic(base: str, stop: asyncio.Event, answers: list[Answer]) -> None:
    """One /healthz loop and three GraphQL loops, each a request at a time, until `stop`:
    a request held up by the outage does not stop the others from asking."""

    async def loop(client: httpx.AsyncClient, path: str) -> None:
        while not stop.is_set():
            answers.append(await ask(client, path))
            await asyncio.sleep(0.1)

    async with httpx.AsyncClient(base_url=base, timeout=BOUND + 5) as client:
        await asyncio.gather(*(loop(client, p) for p in ("/healthz", *["/graphql"] * 3)))


async def test_the_api_answers_errors_while_neo4j_is_down_then_recovers(
    own_neo4j: tuple[str, int],
) -> None:
    url, port = own_neo4j
    await load_graph(url)
    expected = len(data.credentials())
    with serving_api(url, env={"CREDGRAPH_TIMEOUT_SECONDS": str(TIMEOUT_S)}) as served:
        answers: list[Answer] = []
        stop = asyncio.Event()
        client = asyncio.create_task(traffic(served.base, stop, answers))
        await asyncio.sleep(1.0)
        stopped_at = time.monotonic()
        await asyncio.to_thread(launcher, "stop", port)
        down_at = time.monotonic()
        # Longer than the API's execution timeout: a GraphQL request waits while the driver
        # retries, so a shorter outage is ridden out, not seen.
        await asyncio.sleep(8.0)
        starting_at = time.monotonic()
        await asyncio.to_thread(launcher, "start", port)  # the launcher starts it empty
        up_at = time.monotonic()
        await load_graph(url)
        recovered_at = None
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            recent = [a for a in answers if a.at > up_at]
            if len(recent) >= 4 and all(a.ok for a in recent[-4:]):
                recovered_at = recent[-4].at
                break
            await asyncio.sleep(0.2)
        stop.set()
        await client
        assert served.process.poll() is None, "the server process died"
        async with httpx.AsyncClient(base_url=served.base, timeout=10) as check:
            final = (await check.post("/graphql", json={"query": STATS})).json()

    before = [a for a in answers if a.at + a.seconds < stopped_at]
    during = [a for a in answers if down_at <= a.at < up_at]
    assert before and all(a.ok for a in before)
    assert all(a.status != 0 for a in answers), "a request got no HTTP answer"
    assert max(a.seconds for a in answers) < BOUND, max(answers, key=lambda a: a.seconds)
    # Asked while Neo4j was down: /healthz says 503 after its 2 s ping timeout; a GraphQL
    # request waits while the driver retries (30 s by default) until the store is back or the
    # execution timeout answers 503; nothing that finished before Neo4j was back claims
    # success.
    # A health check asked just before the launcher returned may already reach the started
    # server; every one answered before the start began must say 503.
    down_checks = [a for a in during if a.path == "/healthz" and a.at + a.seconds < starting_at]
    assert down_checks and {a.status for a in down_checks} == {503}
    assert any(not a.ok for a in during if a.path == "/graphql"), [
        (round(a.at - down_at, 2), a.status, a.ok, round(a.seconds, 2)) for a in during
    ] + [round(up_at - down_at, 2)]
    assert not any(a.ok for a in during if a.at + a.seconds < up_at)
    assert recovered_at is not None, "the API did not recover within 30 s of Neo4j's return"
    assert final == {"data": {"stats": {"credentials": expected}}}
