"""What operators rely on: /healthz, /metrics, access logs, settings from the environment."""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import pytest

from credgraph.api.http.logs import JsonLinesFormatter
from credgraph.api.settings import ApiSettings, load_settings
from credgraph.errors import ConfigError
from tests.api.http_helpers import STATS, TEST_SETTINGS, api


async def test_healthz_is_ok_while_the_store_answers(tmp_path: Path) -> None:
    async with api(tmp_path) as (client, _):
        response = await client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["store"] == "ok"
    assert body["store_latency_ms"] >= 0
    assert response.headers["cache-control"] == "no-store"


async def test_healthz_answers_while_every_shared_worker_thread_is_busy(tmp_path: Path) -> None:
    """The store's ping has a thread of its own: work filling the loop's default executor
    (`asyncio.to_thread`, where matchJob's text readers once ran too) cannot make a healthy
    store look down. Held by events: the ping either runs beside them or waits for them."""
    loop = asyncio.get_running_loop()
    shared = ThreadPoolExecutor(max_workers=2)
    loop.set_default_executor(shared)  # this test's loop only: two threads, both held below
    release = threading.Event()
    holding = threading.Barrier(3)

    def hold() -> None:
        holding.wait(timeout=30)
        release.wait(timeout=30)  # a hang guard: the test sets it

    async with api(tmp_path) as (client, _):
        held = [loop.run_in_executor(None, hold) for _ in range(2)]
        try:
            holding.wait(timeout=30)  # both threads now held
            response = await client.get("/healthz")
        finally:
            release.set()
            await asyncio.gather(*held)
    shared.shutdown()
    assert response.status_code == 200, response.text
    assert response.json()["store"] == "ok"


async def test_healthz_is_503_when_the_store_is_gone(tmp_path: Path) -> None:
    async with api(tmp_path) as (client, app):
        await app.state.store.close()
        response = await client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "store": "unavailable"}
    assert "graph.db" not in response.text  # the reason is logged, not shown


async def test_metrics_count_requests_operations_errors_and_store_calls(tmp_path: Path) -> None:
    async with api(tmp_path) as (client, _):
        await client.post("/graphql", json={"query": STATS})
        await client.post("/graphql", json={"query": STATS})
        await client.post("/graphql", json={"query": "query Broken { stats { nope } }"})
        await client.post("/graphql", content=b"{", headers={"Content-Type": "application/json"})
        response = await client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text
    for line in (
        'credgraph_graphql_operations_total{operation="Stats",outcome="ok"} 2.0',
        'credgraph_graphql_operations_total{operation="Broken",outcome="error"} 1.0',
        'credgraph_graphql_operation_duration_seconds_count{operation="Stats"} 2.0',
        'credgraph_http_requests_total{method="POST",path="/graphql",status="200"} 2.0',
        'credgraph_http_requests_total{method="POST",path="/graphql",status="400"} 2.0',
        'credgraph_graphql_errors_total{code="GRAPHQL_ERROR"} 1.0',
        'credgraph_store_call_duration_seconds_count{method="stats"} 2.0',
    ):
        assert line in text, line


async def test_metrics_belong_to_their_app_and_can_be_turned_off(tmp_path: Path) -> None:
    async with api(tmp_path) as (client, _):
        await client.post("/graphql", json={"query": STATS})
    async with api(tmp_path) as (client, _):
        fresh = (await client.get("/metrics")).text
    assert "credgraph_graphql_operations_total{" not in fresh  # nothing from the first app
    async with api(tmp_path, replace(TEST_SETTINGS, metrics=False)) as (client, _):
        assert (await client.get("/metrics")).status_code == 404


async def test_operation_names_from_clients_cannot_flood_the_metrics(tmp_path: Path) -> None:
    async with api(tmp_path) as (client, _):
        for i in range(210):
            await client.post("/graphql", json={"query": f"query Op{i} {{ stats {{ skills }} }}"})
        await client.post("/graphql", json={"query": STATS, "operationName": "bad name!"})
        text = (await client.get("/metrics")).text
    assert 'operation="Op199"' in text and 'operation="Op200"' not in text
    assert 'credgraph_graphql_operations_total{operation="other",outcome="ok"} 10.0' in text


async def test_access_log_names_request_status_duration_and_operation(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="credgraph.access"):
        async with api(tmp_path) as (client, _):
            response = await client.post("/graphql", json={"query": STATS})
    [record] = [r for r in caplog.records if r.name == "credgraph.access"]
    fields = record.access  # type: ignore[attr-defined]
    assert fields["method"] == "POST" and fields["path"] == "/graphql"
    assert fields["status"] == 200 and fields["operation"] == "Stats"
    assert fields["request_id"] == response.headers["x-request-id"]
    assert fields["duration_ms"] >= 0 and fields["client"] == "ip:203.0.113.7"
    line = json.loads(JsonLinesFormatter().format(record))
    assert line["request_id"] == fields["request_id"] and line["logger"] == "credgraph.access"


async def test_access_log_can_be_turned_off(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="credgraph.access"):
        async with api(tmp_path, replace(TEST_SETTINGS, access_log="off")) as (client, _):
            await client.post("/graphql", json={"query": STATS})
    assert not [r for r in caplog.records if r.name == "credgraph.access"]


def test_settings_come_from_the_environment_then_overrides() -> None:
    env = {
        "CREDGRAPH_STORE": "sqlite:///x.db",
        "CREDGRAPH_PORT": "9000",
        "CREDGRAPH_CORS_ORIGINS": "https://a.example, https://b.example",
        "CREDGRAPH_API_KEYS": "k1,k2",
        "CREDGRAPH_REQUIRE_API_KEY": "yes",
        "CREDGRAPH_TIMEOUT_SECONDS": "2.5",
        "CREDGRAPH_ACCESS_LOG": "json",
    }
    settings = load_settings(env, port=9100, host=None)
    assert settings.store_url == "sqlite:///x.db"
    assert settings.port == 9100 and settings.host == "127.0.0.1"
    assert settings.cors_origins == ("https://a.example", "https://b.example")
    assert settings.api_keys == ("k1", "k2") and settings.require_api_key
    assert settings.timeout_seconds == 2.5 and settings.access_log == "json"
    assert "k1" not in repr(settings)
    assert load_settings(settings.to_env()) == settings


def test_bad_settings_name_every_problem() -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings({"CREDGRAPH_PORT": "eighty", "CREDGRAPH_METRICS": "maybe"})
    assert [p.split("=")[0] for p in caught.value.problems] == [
        "CREDGRAPH_PORT",
        "CREDGRAPH_METRICS",
    ]
    # nan compares false with everything: a rate limit of nan was no limit at all
    with pytest.raises(ConfigError, match=r"CREDGRAPH_RATE_LIMIT_PER_IP='nan'.*not a finite"):
        load_settings({"CREDGRAPH_RATE_LIMIT_PER_IP": "nan"})
    with pytest.raises(ConfigError, match=r"CREDGRAPH_TIMEOUT_SECONDS='inf'.*not a finite"):
        load_settings({"CREDGRAPH_TIMEOUT_SECONDS": "inf"})
    with pytest.raises(ConfigError, match="CREDGRAPH_API_KEYS names no key"):
        ApiSettings(require_api_key=True)
    with pytest.raises(ConfigError, match="CREDGRAPH_MAX_DEPTH must be at least 1"):
        ApiSettings(max_depth=0)
