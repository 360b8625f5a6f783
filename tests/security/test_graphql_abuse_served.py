"""A flood of bad GraphQL against a real `credgraph serve`, over sockets: eight clients send
queries that are refused in CPU time alone (an alias flood, fragment doubling, deep
introspection, unbalanced braces), never waiting on the store, so the server's event loop is
all but always busy, while a normal client reads the graph's counts from the SQLite store,
whose reads run on reader threads. Every normal request is answered, and in time: the loop
lets go of the interpreter lock at each send and receive, and the reader thread gets its
turns then, not after the flood.

The per-address rate limit is off, as behind a proxy that hides addresses or against a
flood from many addresses: it would otherwise refuse the flood before it costs anything.
"""

from __future__ import annotations

import statistics
import threading
import time
from collections.abc import Iterator

import httpx
import pytest

from tests.api.http_helpers import STATS, stats_count
from tests.faults.served import Served, serving_loaded_api
from tests.security.test_graphql_abuse import FAST, START_WITHIN_S

pytestmark = pytest.mark.slow

ABUSERS = 8
NORMAL_REQUESTS = 30
SETTINGS = {"CREDGRAPH_RATE_LIMIT_PER_IP": "0", "CREDGRAPH_ACCESS_LOG": "off"}


def bad_bodies() -> list[dict[str, str]]:
    alias_flood = "{ " + " ".join(f"a{i}: stats {{ credentials }}" for i in range(300)) + " }"
    doubling = (
        "{ stats { ...F0 } } "
        + " ".join(f"fragment F{i} on GraphStats {{ ...F{i + 1} ...F{i + 1} }}" for i in range(40))
        + " fragment F40 on GraphStats { credentials }"
    )
    return [
        {"query": alias_flood},
        {"query": doubling},
        {"query": "{" * 5000},
        {"query": "{ __schema { types { " * 300},
    ]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    with serving_loaded_api(tmp_path_factory.mktemp("abuse"), env=SETTINGS) as running:
        yield running


def test_a_normal_client_is_served_while_a_flood_keeps_the_loop_busy(served: Served) -> None:
    stop = threading.Event()
    refused = [0] * ABUSERS
    wrong: list[str] = []

    def abuse(n: int, body: dict[str, str]) -> None:
        try:
            with httpx.Client(base_url=served.base, timeout=30) as client:
                while not stop.is_set():
                    response = client.post("/graphql", json=body)
                    if response.status_code != 400:
                        wrong.append(f"{response.status_code}: {response.text[:200]}")
                    refused[n] += 1
        except Exception as exc:  # the server gone, or a 30 s wait: the test's failure
            wrong.append(repr(exc))

    bodies = bad_bodies()
    abusers = [
        threading.Thread(target=abuse, args=(n, bodies[n % len(bodies)]), daemon=True)
        for n in range(ABUSERS)
    ]
    for thread in abusers:
        thread.start()
    latencies: list[float] = []
    try:
        under_way = time.monotonic() + START_WITHIN_S
        while sum(refused) < 4 * ABUSERS:  # the flood is under way
            if wrong or time.monotonic() > under_way:
                pytest.fail(f"the flood did not get going: {wrong[:3]}")
            time.sleep(0.01)
        before = sum(refused)
        with httpx.Client(base_url=served.base, timeout=30) as client:
            for _ in range(NORMAL_REQUESTS):
                started = time.perf_counter()
                response = client.post("/graphql", json={"query": STATS})
                latencies.append(time.perf_counter() - started)
                assert stats_count(response) > 0
        during = sum(refused)
    finally:
        stop.set()
        for thread in abusers:
            thread.join(30)
    assert not wrong, wrong[:3]
    print(
        f"normal requests beside the flood: median {statistics.median(latencies) * 1000:.0f} ms, "
        f"slowest {max(latencies) * 1000:.0f} ms; refused {sum(refused)}"
    )
    assert during > before  # the flood went on while the normal client was served
    # A frozen loop would keep the normal client waiting for the whole flood; a busy machine
    # slows it, but each read waits for its own steps, not for every refusal.
    assert statistics.median(latencies) < FAST and max(latencies) < 5 * FAST, latencies
