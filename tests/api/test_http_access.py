"""Who may call and how often: CORS allow-list, API keys, rate limits."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import httpx

from credgraph.api.http.ratelimit import TokenBuckets
from tests.api.http_helpers import STATS, TEST_SETTINGS, api, first_error, stats_count

JOB_BOARD = "https://jobs.example"
PREFLIGHT = {
    "Access-Control-Request-Method": "POST",
    "Access-Control-Request-Headers": "content-type",
}


async def test_cors_preflight_from_an_allowed_origin(tmp_path: Path) -> None:
    settings = replace(TEST_SETTINGS, cors_origins=(JOB_BOARD,))
    async with api(tmp_path, settings) as (client, _):
        preflight = await client.options("/graphql", headers={"Origin": JOB_BOARD, **PREFLIGHT})
        actual = await client.post("/graphql", json={"query": STATS}, headers={"Origin": JOB_BOARD})
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == JOB_BOARD
    assert "POST" in preflight.headers["access-control-allow-methods"]
    assert actual.headers["access-control-allow-origin"] == JOB_BOARD
    assert "x-request-id" in actual.headers["access-control-expose-headers"].lower()


async def test_cors_preflight_from_another_origin_is_denied(tmp_path: Path) -> None:
    settings = replace(TEST_SETTINGS, cors_origins=(JOB_BOARD,))
    evil = "https://evil.example"
    async with api(tmp_path, settings) as (client, _):
        preflight = await client.options("/graphql", headers={"Origin": evil, **PREFLIGHT})
        actual = await client.post("/graphql", json={"query": STATS}, headers={"Origin": evil})
    assert preflight.status_code == 400
    assert "access-control-allow-origin" not in preflight.headers
    assert "access-control-allow-origin" not in actual.headers


async def test_no_cors_headers_without_an_allow_list(tmp_path: Path) -> None:
    async with api(tmp_path) as (client, _):
        preflight = await client.options("/graphql", headers={"Origin": JOB_BOARD, **PREFLIGHT})
    assert preflight.status_code == 405
    assert "access-control-allow-origin" not in preflight.headers


async def test_required_api_key(tmp_path: Path) -> None:
    settings = replace(TEST_SETTINGS, api_keys=("k-alpha", "k-beta"), require_api_key=True)
    query = {"query": STATS}
    async with api(tmp_path, settings) as (client, _):
        missing = await client.post("/graphql", json=query)
        invalid = await client.post("/graphql", json=query, headers={"X-API-Key": "k-gamma"})
        bearer = await client.post(
            "/graphql", json=query, headers={"Authorization": "Bearer k-alpha"}
        )
        header = await client.get("/graphql", params=query, headers={"X-API-Key": "k-beta"})
        health = await client.get("/healthz")
    assert missing.status_code == invalid.status_code == 401
    assert missing.headers["www-authenticate"].startswith("Bearer")
    assert first_error(missing)["extensions"]["code"] == "UNAUTHENTICATED"
    assert "API key is required" in first_error(missing)["message"]
    assert first_error(invalid)["message"] == "Invalid API key."
    assert stats_count(bearer) > 0 and stats_count(header) > 0
    assert header.headers["cache-control"].startswith("private")  # keys gate the data
    assert health.status_code == 200  # probes need no key


async def test_optional_api_keys_still_refuse_a_wrong_key(tmp_path: Path) -> None:
    settings = replace(TEST_SETTINGS, api_keys=("k-alpha",))
    async with api(tmp_path, settings) as (client, _):
        anonymous = await client.post("/graphql", json={"query": STATS})
        wrong = await client.post(
            "/graphql", json={"query": STATS}, headers={"Authorization": "Bearer k-nope"}
        )
    assert anonymous.status_code == 200
    assert wrong.status_code == 401


async def test_guessing_api_keys_is_limited_per_address(tmp_path: Path) -> None:
    """10 wrong keys a minute from one address, then 429 with Retry-After; while blocked a
    right key from that address is refused unchecked too (its answer would tell a right
    guess from a wrong one), and other addresses are not affected."""
    settings = replace(TEST_SETTINGS, api_keys=("k-alpha",))
    body = {"query": STATS}
    async with api(tmp_path, settings) as (client, app):
        wrong = [
            await client.post("/graphql", json=body, headers={"X-API-Key": f"guess-{i}"})
            for i in range(11)
        ]
        right_here = await client.post("/graphql", json=body, headers={"X-API-Key": "k-alpha"})
        anonymous_here = await client.post("/graphql", json=body)
        elsewhere = httpx.ASGITransport(app=app, client=("198.51.100.20", 40000))
        async with httpx.AsyncClient(transport=elsewhere, base_url="http://api.test") as other:
            right_elsewhere = await other.post(
                "/graphql", json=body, headers={"Authorization": "Bearer k-alpha"}
            )
            wrong_elsewhere = await other.post("/graphql", json=body, headers={"X-API-Key": "x"})
    assert [r.status_code for r in wrong] == [401] * 10 + [429]
    limited = wrong[-1]
    assert limited.headers["retry-after"] == "6"  # one attempt back every 6 s (10 a minute)
    assert first_error(limited)["extensions"]["code"] == "RATE_LIMITED"
    assert "wrong API keys" in first_error(limited)["message"]
    assert right_here.status_code == 429
    assert stats_count(anonymous_here) > 0
    assert stats_count(right_elsewhere) > 0
    assert wrong_elsewhere.status_code == 401


async def test_rate_limit_per_ip_answers_429_with_retry_after(tmp_path: Path) -> None:
    settings = replace(TEST_SETTINGS, rate_limit_per_ip=0.5, rate_burst_per_ip=2)
    async with api(tmp_path, settings) as (client, _):
        statuses = [(await client.post("/graphql", json={"query": STATS})) for _ in range(3)]
        health = await client.get("/healthz")
    assert [r.status_code for r in statuses] == [200, 200, 429]
    limited = statuses[-1]
    assert limited.headers["retry-after"] == "2"  # one token at 0.5/s
    assert first_error(limited)["extensions"]["code"] == "RATE_LIMITED"
    assert health.status_code == 200


async def test_rate_limits_count_each_key_on_its_own(tmp_path: Path) -> None:
    settings = replace(
        TEST_SETTINGS,
        api_keys=("k-alpha", "k-beta"),
        rate_limit_per_key=1,
        rate_burst_per_key=1,
        rate_limit_per_ip=1,
        rate_burst_per_ip=1,
    )
    body = {"query": STATS}
    async with api(tmp_path, settings) as (client, _):
        alpha = [
            await client.post("/graphql", json=body, headers={"X-API-Key": "k-alpha"})
            for _ in range(2)
        ]
        beta = await client.post("/graphql", json=body, headers={"X-API-Key": "k-beta"})
        anonymous = await client.post("/graphql", json=body)
    assert [r.status_code for r in alpha] == [200, 429]
    assert beta.status_code == 200 and anonymous.status_code == 200


async def test_a_batch_costs_one_token_per_operation(tmp_path: Path) -> None:
    settings = replace(TEST_SETTINGS, rate_limit_per_ip=0.1, rate_burst_per_ip=5)
    async with api(tmp_path, settings) as (client, _):
        first = await client.post("/graphql", json=[{"query": STATS}] * 4)
        second = await client.post("/graphql", json=[{"query": STATS}] * 4)
    assert first.status_code == 200
    assert second.status_code == 429
    assert int(second.headers["retry-after"]) >= 1


def test_token_buckets_refill_over_time_and_stay_bounded() -> None:
    now = [0.0]
    buckets = TokenBuckets(rate=2, burst=2, max_clients=3, clock=lambda: now[0])
    assert [buckets.take("a") for _ in range(3)] == [0.0, 0.0, 0.5]
    now[0] += 0.5
    assert buckets.take("a") == 0.0
    for client in ("b", "c", "d"):
        buckets.take(client)
    assert len(buckets._buckets) == 3  # "a", least recently seen, was forgotten
    assert TokenBuckets(rate=0, burst=1).take("x", 100) == 0.0  # off


def test_token_buckets_wait_asks_without_taking() -> None:
    now = [0.0]
    buckets = TokenBuckets(rate=0.5, burst=1, clock=lambda: now[0])
    assert buckets.wait("a") == 0.0  # never seen: a full bucket
    assert buckets.take("a") == 0.0
    assert buckets.wait("a") == buckets.wait("a") == 2.0
    now[0] += 1.5
    assert buckets.wait("a") == 0.5
    now[0] += 0.5
    assert buckets.wait("a") == 0.0 and buckets.take("a") == 0.0
