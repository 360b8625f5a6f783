"""Two `credgraph serve` and two `credgraph scheduler` processes on one Neo4j, reached through a
routing `neo4j://` URI as a cluster is, behave as one service: no source is crawled by both
schedulers at once, both APIs answer every query the same, and what is configured once
(API keys, the persisted-query allow-list) holds in both. Automatic persisted queries are
per process (Apollo's protocol re-sends the query to a replica that lacks it)."""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import json
import subprocess
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest
from neo4j import AsyncGraphDatabase

from credgraph.model import CrawlRun
from credgraph.store import open_store
from credgraph.store.neo4j.schema import statements
from tests.crawl.server import CatalogServer
from tests.faults.served import Served, serving_api
from tests.schedule.helpers import (
    CREDGRAPH,
    running,
    serve_catalog,
    source_toml,
    wait_until,
    write_config,
)
from tests.stores import routing_url, wipe_neo4j

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]

SOURCES = ("r0", "r1", "r2")
KEY = "replica-test-key-0123456789"
STATS = "query Stats { stats { issuers credentials skills sources crawlRuns } }"
SAME_EVERYWHERE = [
    STATS,
    "{ credentials(first: 50) { totalCount nodes { id name issuer { id name } "
    "skills { id name } } } }",
    '{ search(text: "badge", first: 50) { kind id name } }',
    "{ sources { id format urls } }",
    "{ crawlRuns(first: 100) { id source status startedAt finishedAt fetched } }",
    "{ issuers(first: 10) { totalCount nodes { id name } } }",
]


def runs_of(url: str) -> dict[str, list[CrawlRun]]:
    async def read() -> dict[str, list[CrawlRun]]:
        async with open_store(url) as store:
            return {s: await store.crawl_runs(s, limit=100) for s in SOURCES}

    return asyncio.run(read())


def ask(api: Served, body: dict[str, Any], key: str | None = KEY) -> httpx.Response:
    headers = {"X-API-Key": key} if key else {}
    return httpx.post(f"{api.base}/graphql", json=body, headers=headers, timeout=30)


def data_of(api: Served, query: str) -> Any:
    answer = ask(api, {"query": query})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert "errors" not in body, body["errors"]
    return body["data"]


def test_two_apis_and_two_schedulers_on_one_neo4j_act_as_one_service(
    neo4j_url: str, tmp_path: Path
) -> None:
    asyncio.run(wipe_neo4j(neo4j_url))
    store = routing_url(neo4j_url)
    allow_list = tmp_path / "persisted.json"
    allow_list.write_text(json.dumps({"Stats": STATS}))
    api_env = {
        "CREDGRAPH_API_KEYS": KEY,
        "CREDGRAPH_REQUIRE_API_KEY": "1",
        "CREDGRAPH_PERSISTED_QUERIES": str(allow_list),
    }
    with CatalogServer() as server, ExitStack() as stack:
        config = write_config(tmp_path / "sources.toml", *(
            source_toml(s, serve_catalog(server, s, pages=3, delay=0.1), every="1s")
            for s in SOURCES
        ))  # fmt: skip
        apis = [stack.enter_context(serving_api(store, env=api_env)) for _ in range(2)]
        a = stack.enter_context(running(config, store, tmp_path / "a"))
        b = stack.enter_context(running(config, store, tmp_path / "b"))
        # Each source several times over, from either scheduler.
        assert wait_until(
            lambda: len(a.named("run finished")) + len(b.named("run finished")) >= 12,
            timeout=90,
        )
        assert a.stop() == 0 and b.stop() == 0
        assert a.job_errors() == b.job_errors() == []
        skipped = [e["reason"] for e in a.named("run skipped") + b.named("run skipped")]

        answers = [[data_of(api, q) for q in SAME_EVERYWHERE] for api in apis]
        by_name = [
            httpx.get(f"{api.base}/graphql", params={"documentId": "Stats"},
                      headers={"X-API-Key": KEY}, timeout=30)
            for api in apis
        ]  # fmt: skip
        keyless = [ask(api, {"query": STATS}, key=None).status_code for api in apis]
        wrong_key = [ask(api, {"query": STATS}, key="not-a-key").status_code for api in apis]
        apq = {
            "persistedQuery": {
                "version": 1,
                "sha256Hash": hashlib.sha256(SAME_EVERYWHERE[5].encode()).hexdigest(),
            }
        }
        registered = ask(apis[0], {"query": SAME_EVERYWHERE[5], "extensions": apq})
        elsewhere = ask(apis[1], {"extensions": apq})

    # Leases: the schedulers met on a held lease, and runs of one source never overlapped.
    assert "lease_held" in skipped
    for source, runs in runs_of(store).items():
        runs.sort(key=lambda r: r.started_at)
        assert len(runs) >= 2, source
        for earlier, later in itertools.pairwise(runs):
            assert earlier.finished_at is not None and earlier.finished_at <= later.started_at
    # Every answer the same from either API, and about the whole crawl.
    assert answers[0] == answers[1]
    stats = answers[0][0]["stats"]
    assert stats["credentials"] == 3 * 3 * len(SOURCES) and stats["sources"] == len(SOURCES)
    # Configured once, global: the allow-list and the keys.
    assert [r.status_code for r in by_name] == [200, 200]
    assert [r.json()["data"] for r in by_name] == [answers[0][0]] * 2
    assert keyless == [401, 401] and wrong_key == [401, 401]
    # Per process: an automatic persisted query registered with one API only.
    assert registered.status_code == 200 and "errors" not in registered.json()
    assert "PersistedQueryNotFound" in elsewhere.text


async def drop_schema(url: str) -> None:
    async with AsyncGraphDatabase.driver(url, auth=None) as driver:
        for show, kind in (
            ("SHOW CONSTRAINTS YIELD name", "CONSTRAINT"),
            ("SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP'", "INDEX"),
        ):
            result = await driver.execute_query(f"{show} RETURN name")
            for record in result.records:  # names from the server itself, never from input
                await driver.execute_query(f"DROP {kind} `{record['name']}` IF EXISTS")


async def schema_names(url: str) -> set[str]:
    async with AsyncGraphDatabase.driver(url, auth=None) as driver:
        result = await driver.execute_query("SHOW INDEXES YIELD name RETURN collect(name) AS names")
        return set(result.records[0]["names"])


def test_replicas_starting_at_once_on_a_new_database_all_open_it(neo4j_url: str) -> None:
    """`docker compose --profile replicas up` starts every replica at once: their schema
    creations collide (Neo4j reports a deadlock), the driver retries, all of them open."""
    asyncio.run(wipe_neo4j(neo4j_url))
    asyncio.run(drop_schema(neo4j_url))
    assert not {n for n in asyncio.run(schema_names(neo4j_url)) if n.startswith("credgraph_")}
    store = routing_url(neo4j_url)
    started = [subprocess.Popen([CREDGRAPH, "stats", "--store", store],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for _ in range(3)]  # fmt: skip
    outcomes = [(p.wait(120), p.communicate()[1]) for p in started]
    assert [code for code, _ in outcomes] == [0, 0, 0], [err[-2000:] for _, err in outcomes]
    made = asyncio.run(schema_names(neo4j_url))
    wanted = {s.split(" IF NOT EXISTS")[0].split()[-1] for s in statements()}
    assert wanted <= made, wanted - made
