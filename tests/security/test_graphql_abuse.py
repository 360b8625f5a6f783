"""GraphQL abuse the limit tests in tests/api do not cover: circular fragments, deep
introspection (introspection is exempt from the depth limit, not from the token limit),
malformed bodies and wrong content types, and a normal client served while all of that
comes in at once."""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.api.http_helpers import STATS, api, stats_count

FAST = 2.0  # seconds for any refusal
START_WITHIN_S = 60.0  # for the abusers' first 16 refusals, however busy the machine


async def test_circular_fragments_are_refused_quickly(tmp_path: Path) -> None:
    query = (
        "{ stats { ...A } } fragment A on GraphStats { credentials ...B } "
        "fragment B on GraphStats { issuers ...A }"
    )
    async with api(tmp_path) as (client, _):
        started = time.perf_counter()
        response = await client.post("/graphql", json={"query": query})
    assert time.perf_counter() - started < FAST
    assert response.status_code == 400
    messages = " ".join(e["message"] for e in response.json()["errors"])
    assert "Cannot spread fragment 'A' within itself" in messages


async def test_deep_introspection_is_bounded_by_the_token_limit(tmp_path: Path) -> None:
    def chain(depth: int) -> str:
        inner = "name"
        for _ in range(depth):
            inner = f"ofType {{ {inner} }}"
        return f"{{ __schema {{ types {{ fields {{ type {{ {inner} }} }} }} }} }}"

    async with api(tmp_path) as (client, _):
        started = time.perf_counter()
        ok = await client.post("/graphql", json={"query": chain(8)})
        deep = await client.post("/graphql", json={"query": chain(1500)})
    assert time.perf_counter() - started < 2 * FAST
    assert ok.status_code == 200 and "errors" not in ok.json()
    assert deep.status_code == 400
    message = deep.json()["errors"][0]["message"].lower()
    assert "nested too deeply" in message or "token" in message, message


async def test_malformed_bodies_and_content_types_get_clear_errors(tmp_path: Path) -> None:
    async with api(tmp_path) as (client, _):
        answers = [
            await client.post(
                "/graphql", content=b"{not json", headers={"content-type": "application/json"}
            ),
            await client.post(
                "/graphql",
                content=b"query=1",
                headers={"content-type": "application/x-www-form-urlencoded"},
            ),
            await client.post(
                "/graphql", content=b"\xff\xfe\x00", headers={"content-type": "application/json"}
            ),
            await client.post("/graphql", json=["not", "an", "operation"]),
            await client.post("/graphql", json={"query": 42}),
        ]
    for response in answers:
        assert 400 <= response.status_code < 500, (response.status_code, response.text)
        body = response.json()
        assert body["errors"][0]["message"], body


# How long a thread waiting for the interpreter lock lets the holder run before asking it to
# let go (CPython's default is 5 ms). See `loop_lets_go_as_a_served_one_does`.
IN_PROCESS_SWITCH_INTERVAL_S = 0.0005


@pytest.fixture
def loop_lets_go_as_a_served_one_does() -> Iterator[None]:
    """In-process, every client shares the server's thread and nothing waits on a socket, so
    the event loop's thread lets go of the interpreter lock only for the microseconds of its
    zero-timeout poll, too short for the store's reader thread to win it: the reader gets it
    when the switch interval runs out, at every step of its read. What else lets go of it is
    an accident: httpx's ASGI transport imports sniffio on every request, and while sniffio is
    not installed (as here) the failed import's file system calls do. With sniffio importable
    and the 5 ms default, a normal request ran into the 10 s operation timeout. A served loop
    lets go at each send and receive: `test_graphql_abuse_served.py` measures that over
    sockets with the default interval (median 13-18 ms). A shorter interval here stands in for
    those system calls, whatever is installed."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(IN_PROCESS_SWITCH_INTERVAL_S)
    try:
        yield
    finally:
        sys.setswitchinterval(before)


@pytest.mark.usefixtures("loop_lets_go_as_a_served_one_does")
async def test_a_normal_client_is_served_while_abuse_comes_in(tmp_path: Path) -> None:
    """Eight abusive clients (alias floods, fragment doubling, deep introspection, junk) and
    one normal client on one app: the normal client's every request succeeds, in time."""
    alias_flood = "{ " + " ".join(f"a{i}: stats {{ credentials }}" for i in range(300)) + " }"
    doubling = (
        "{ stats { ...F0 } } "
        + " ".join(f"fragment F{i} on GraphStats {{ ...F{i + 1} ...F{i + 1} }}" for i in range(40))
        + " fragment F40 on GraphStats { credentials }"
    )
    bad = [
        {"query": alias_flood},
        {"query": doubling},
        {"query": "{" * 5000},
        {"query": "{ __schema { types { " * 300},
    ]
    stop = asyncio.Event()
    refused = 0
    async with api(tmp_path) as (client, _):

        async def abuser(body: dict[str, str]) -> None:
            nonlocal refused
            while not stop.is_set():
                response = await client.post("/graphql", json=body)
                assert response.status_code == 400, response.text
                refused += 1
                # In-process, a refusal never waits on I/O: let the other clients in, as a
                # socket would.
                await asyncio.sleep(0)

        tasks = [asyncio.create_task(abuser(bad[i % len(bad)])) for i in range(8)]
        latencies = []
        try:
            under_way = time.monotonic() + START_WITHIN_S
            while refused < 16:  # the abuse is under way
                if any(t.done() for t in tasks):
                    await asyncio.gather(*tasks)  # an abuser's failed assertion, raised here
                assert time.monotonic() < under_way, f"{refused} refusals in {START_WITHIN_S} s"
                await asyncio.sleep(0.01)
            for _ in range(30):
                started = time.perf_counter()
                response = await client.post("/graphql", json={"query": STATS})
                latencies.append(time.perf_counter() - started)
                assert stats_count(response) > 0
        finally:
            stop.set()
            await asyncio.gather(*tasks)
    assert refused >= 16
    print(
        f"normal requests beside the flood: median {statistics.median(latencies) * 1000:.0f} ms, "
        f"slowest {max(latencies) * 1000:.0f} ms; refused {refused}"
    )
    # Each normal request waits its turn behind up to eight refusals on the one loop: the
    # bounds tell a loop that is frozen (a doubled fragment expanded would take minutes) from
    # a busy machine, where the median reached 0.53 s (0.5 s was the bound before).
    assert statistics.median(latencies) < FAST and max(latencies) < 5 * FAST, latencies
