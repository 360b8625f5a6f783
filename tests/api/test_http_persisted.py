"""Persisted queries: Apollo-style automatic persisted queries and an allow-list file."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from credgraph.api.http.persisted import Operation, PersistedQueries, load_allow_list
from credgraph.errors import ConfigError
from tests.api.http_helpers import (
    CREDENTIAL_COUNT,
    STATS,
    TEST_SETTINGS,
    api,
    first_error,
    stats_count,
)

ISSUERS = "query Issuers { stats { issuers } }"


def sha(query: str) -> str:
    return hashlib.sha256(query.encode()).hexdigest()


def apq(query_hash: str) -> dict[str, Any]:
    return {"persistedQuery": {"version": 1, "sha256Hash": query_hash}}


async def test_automatic_persisted_query_flow(tmp_path: Path) -> None:
    digest = sha(STATS)
    async with api(tmp_path) as (client, _):
        unknown = await client.post("/graphql", json={"extensions": apq(digest)})
        registered = await client.post("/graphql", json={"query": STATS, "extensions": apq(digest)})
        by_hash = await client.post("/graphql", json={"extensions": apq(digest)})
        by_get = await client.get("/graphql", params={"extensions": json.dumps(apq(digest))})
        revalidated = await client.get(
            "/graphql",
            params={"extensions": json.dumps(apq(digest))},
            headers={"If-None-Match": by_get.headers["etag"]},
        )
    # Apollo clients read this error and resend with the full query.
    assert unknown.status_code == 200
    assert first_error(unknown) == {
        "message": "PersistedQueryNotFound",
        "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND"},
    }
    assert unknown.headers["cache-control"] == "no-store"
    assert stats_count(registered) == stats_count(by_hash) == CREDENTIAL_COUNT
    assert stats_count(by_get) == CREDENTIAL_COUNT
    assert by_get.headers["cache-control"].startswith("public")
    assert revalidated.status_code == 304


async def test_a_hash_that_does_not_match_the_query_is_refused(tmp_path: Path) -> None:
    async with api(tmp_path) as (client, _):
        response = await client.post(
            "/graphql", json={"query": STATS, "extensions": apq(sha(ISSUERS))}
        )
        bogus = await client.post("/graphql", json={"extensions": apq("not-a-hash")})
        later = await client.post("/graphql", json={"extensions": apq(sha(ISSUERS))})
    assert response.status_code == 400
    assert first_error(response)["extensions"]["code"] == "PERSISTED_QUERY_HASH_MISMATCH"
    assert bogus.status_code == 400
    assert first_error(later)["message"] == "PersistedQueryNotFound"


async def test_queries_sent_over_get_are_not_registered(tmp_path: Path) -> None:
    digest = sha(STATS)
    params = {"query": STATS, "extensions": json.dumps(apq(digest))}
    async with api(tmp_path) as (client, _):
        ran = await client.get("/graphql", params=params)
        after = await client.post("/graphql", json={"extensions": apq(digest)})
    assert stats_count(ran) == CREDENTIAL_COUNT
    assert first_error(after)["message"] == "PersistedQueryNotFound"


async def test_apq_can_be_turned_off(tmp_path: Path) -> None:
    async with api(tmp_path, replace(TEST_SETTINGS, apq_cache_size=0)) as (client, _):
        response = await client.post("/graphql", json={"extensions": apq(sha(STATS))})
    assert first_error(response)["extensions"]["code"] == "PERSISTED_QUERY_NOT_SUPPORTED"


def test_the_apq_cache_is_bounded_and_keeps_recent_queries() -> None:
    persisted = PersistedQueries({}, required=False, apq_cache_size=2)
    queries = [f"{{ stats {{ c{i}: credentials }} }}" for i in range(3)]

    def send(query: str | None, digest: str) -> str | dict[str, Any]:
        return persisted.resolve(Operation(query, None, None, None, digest), may_register=True)

    send(queries[0], sha(queries[0]))
    send(queries[1], sha(queries[1]))
    assert send(None, sha(queries[0])) == queries[0]  # now the most recent
    send(queries[2], sha(queries[2]))  # evicts queries[1]
    assert send(None, sha(queries[0])) == queries[0]
    assert send(None, sha(queries[1])) == {
        "errors": [
            {
                "message": "PersistedQueryNotFound",
                "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND"},
            }
        ]
    }


@pytest.fixture
def allow_list(tmp_path: Path) -> Path:
    path = tmp_path / "persisted.json"
    path.write_text(json.dumps({"Stats": STATS, f"sha256:{sha(ISSUERS)}": ISSUERS}))
    return path


async def test_allow_listed_queries_run_by_name_or_hash(tmp_path: Path, allow_list: Path) -> None:
    settings = replace(TEST_SETTINGS, persisted_queries=str(allow_list))
    async with api(tmp_path, settings) as (client, _):
        by_name = await client.post("/graphql", json={"documentId": "Stats"})
        by_get = await client.get("/graphql", params={"documentId": "Stats"})
        by_hash = await client.post("/graphql", json={"documentId": f"sha256:{sha(ISSUERS)}"})
        by_apq = await client.post("/graphql", json={"extensions": apq(sha(STATS))})
        unknown = await client.post("/graphql", json={"documentId": "Nope"})
        free = await client.post("/graphql", json={"query": "{ stats { skills } }"})
    assert stats_count(by_name) == stats_count(by_get) == stats_count(by_apq) == CREDENTIAL_COUNT
    assert by_hash.json()["data"]["stats"]["issuers"] >= 1
    assert unknown.status_code == 400
    assert first_error(unknown)["message"] == "Unknown persisted query 'Nope'."
    assert free.status_code == 200  # not required: arbitrary queries still run


async def test_required_allow_list_refuses_everything_else(
    tmp_path: Path, allow_list: Path
) -> None:
    settings = replace(
        TEST_SETTINGS, persisted_queries=str(allow_list), require_persisted_queries=True
    )
    other = "{ stats { skills } }"
    async with api(tmp_path, settings) as (client, _):
        listed = await client.post("/graphql", json={"documentId": "Stats"})
        same_text = await client.post("/graphql", json={"query": STATS})
        refused = await client.post("/graphql", json={"query": other})
        refused_get = await client.get("/graphql", params={"query": other})
        registration = await client.post(
            "/graphql", json={"query": other, "extensions": apq(sha(other))}
        )
        after = await client.post("/graphql", json={"extensions": apq(sha(other))})
    assert stats_count(listed) == stats_count(same_text) == CREDENTIAL_COUNT
    for response in (refused, refused_get, registration):
        assert response.status_code == 403
        error = first_error(response)
        assert error["extensions"]["code"] == "PERSISTED_QUERY_REQUIRED"
        assert "only runs persisted queries" in error["message"]
    assert first_error(after)["message"] == "PersistedQueryNotFound"


def test_a_bad_allow_list_names_every_problem(tmp_path: Path) -> None:
    path = tmp_path / "persisted.json"
    path.write_text(json.dumps({"Broken": "query { stats {", "NotText": 3, "Fine": STATS}))
    with pytest.raises(ConfigError) as caught:
        load_allow_list(path)
    assert len(caught.value.problems) == 2
    assert "Broken" in caught.value.problems[0] and "NotText" in caught.value.problems[1]
    with pytest.raises(ConfigError, match="cannot read"):
        load_allow_list(tmp_path / "missing.json")


def test_an_apollo_manifest_is_read(tmp_path: Path) -> None:
    path = tmp_path / "manifest.json"
    manifest = {
        "format": "apollo-persisted-query-manifest",
        "version": 1,
        "operations": [{"id": sha(STATS), "name": "Stats", "type": "query", "body": STATS}],
    }
    path.write_text(json.dumps(manifest))
    assert load_allow_list(path) == {"Stats": STATS}
