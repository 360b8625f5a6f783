"""/graphql over HTTP: POST and GET, caching, batching, and clear 4xx for bad requests."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import httpx

from tests.api.http_helpers import (
    CREDENTIAL_COUNT,
    STATS,
    TEST_SETTINGS,
    api,
    first_error,
    stats_count,
)


async def test_post_runs_a_query(tmp_path: Path) -> None:
    async with api(tmp_path) as (client, _):
        response = await client.post("/graphql", json={"query": STATS})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert stats_count(response) == CREDENTIAL_COUNT
    assert response.headers["cache-control"] == "no-store"


async def test_get_runs_a_query_with_variables_and_operation_name(tmp_path: Path) -> None:
    query = "query A { stats { issuers } } query B($x: Boolean!) { stats { credentials @include(if: $x) } }"
    params = {"query": query, "operationName": "B", "variables": json.dumps({"x": True})}
    async with api(tmp_path) as (client, _):
        response = await client.get("/graphql", params=params)
    assert response.status_code == 200
    assert stats_count(response) == CREDENTIAL_COUNT


async def test_a_document_of_several_operations_needs_an_operation_name(tmp_path: Path) -> None:
    """GraphQL over HTTP: no `operationName` for a document of several operations is a
    request error; the first operation used to run, silently."""
    query = "query A { stats { issuers } } query B { stats { credentials } }"
    async with api(tmp_path) as (client, _):
        posted = await client.post("/graphql", json={"query": query})
        got = await client.get("/graphql", params={"query": query})
        named = await client.post("/graphql", json={"query": query, "operationName": "B"})
        lone = await client.post("/graphql", json={"query": "query A { stats { issuers } }"})
    for refused in (posted, got):
        assert refused.status_code == 400, refused.text
        assert "data" not in refused.json()
        assert (
            "holds 2 operations: name the one to run with `operationName`"
            in (first_error(refused)["message"])
        )
    assert named.status_code == 200 and stats_count(named) == CREDENTIAL_COUNT
    assert lone.status_code == 200 and "errors" not in lone.json()


async def test_get_is_cacheable_with_a_strong_etag_and_answers_304(tmp_path: Path) -> None:
    settings = replace(TEST_SETTINGS, cache_max_age=120)
    async with api(tmp_path, settings) as (client, _):
        first = await client.get("/graphql", params={"query": STATS})
        etag = first.headers["etag"]
        again = await client.get(
            "/graphql", params={"query": STATS}, headers={"If-None-Match": etag}
        )
        other = await client.get(
            "/graphql", params={"query": STATS}, headers={"If-None-Match": '"something-else"'}
        )
    assert first.status_code == 200
    assert first.headers["cache-control"] == "public, max-age=120"
    assert etag.startswith('"') and not etag.startswith("W/")
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    assert other.status_code == 200 and other.headers["etag"] == etag


async def test_get_answers_with_errors_are_not_cached(tmp_path: Path) -> None:
    async with api(tmp_path) as (client, _):
        response = await client.get("/graphql", params={"query": "{ stats { nope } }"})
    assert response.status_code == 400
    assert response.headers["cache-control"] == "no-store"
    assert "etag" not in response.headers
    assert "nope" in first_error(response)["message"]


async def test_mutations_over_get_are_refused(tmp_path: Path) -> None:
    async with api(tmp_path) as (client, _):
        response = await client.get("/graphql", params={"query": "mutation { stats }"})
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert first_error(response)["message"] == "Mutations must be sent with POST, not GET."


async def test_bad_requests_get_a_graphql_error_body_never_a_500(tmp_path: Path) -> None:
    big = "x" * (TEST_SETTINGS.max_body_bytes + 1)
    async with api(tmp_path) as (client, _):
        cases = {
            "malformed JSON": await client.post(
                "/graphql", content=b'{"query": ', headers={"Content-Type": "application/json"}
            ),
            "wrong content type": await client.post(
                "/graphql", content=STATS, headers={"Content-Type": "text/plain"}
            ),
            "no query": await client.post("/graphql", json={"variables": {}}),
            "query not a string": await client.post("/graphql", json={"query": 42}),
            "variables not an object": await client.post(
                "/graphql", json={"query": STATS, "variables": [1]}
            ),
            "not an object": await client.post("/graphql", json="query"),
            "huge body": await client.post("/graphql", json={"query": STATS, "pad": big}),
            "bad variables param": await client.get(
                "/graphql", params={"query": STATS, "variables": "{nope"}
            ),
            "GET without query": await client.get("/graphql"),
            "PUT": await client.put("/graphql", json={"query": STATS}),
            "unknown operation name": await client.post(
                "/graphql", json={"query": STATS, "operationName": "Nope"}
            ),
            "deep JSON": await client.post(
                "/graphql",
                content=b"[" * 200_000 + b"]" * 200_000,
                headers={"Content-Type": "application/json"},
            ),
        }
    expected = {
        "malformed JSON": 400,
        "wrong content type": 415,
        "huge body": 413,
        "PUT": 405,
    }
    for case, response in cases.items():
        assert response.status_code == expected.get(case, 400), (case, response.text)
        assert response.headers["content-type"] == "application/json", case
        error = first_error(response)
        assert error["message"] and error["extensions"]["code"], case
    assert "not valid JSON" in first_error(cases["malformed JSON"])["message"]
    assert "application/json" in first_error(cases["wrong content type"])["message"]
    assert "Missing query" in first_error(cases["no query"])["message"]
    assert "Nope" in first_error(cases["unknown operation name"])["message"]


async def test_json_the_fast_reader_refuses_is_read_as_before(tmp_path: Path) -> None:
    """NaN and integers past 64 bits are JSON to Python's reader (not to orjson's): they
    reach GraphQL, whose variable coercion names them, instead of a 400 for bad JSON."""
    page = (
        "query($x: Float, $n: Int) { credentials(first: $n, filter: {maxCost: $x}) { totalCount } }"
    )
    bodies = {
        "NaN": b'{"query": "%s", "variables": {"x": NaN}}' % page.encode(),
        "a huge integer": b'{"query": "%s", "variables": {"n": %d}}' % (page.encode(), 10**30),
    }
    async with api(tmp_path) as (client, _):
        for case, body in bodies.items():
            response = await client.post(
                "/graphql", content=body, headers={"Content-Type": "application/json"}
            )
            message = first_error(response)["message"]
            assert "not valid JSON" not in message, (case, message)
            assert "$x" in message or "$n" in message, (case, message)


LOOKUP = "query($id: ID!) { credential(id: $id) { id } }"
LONE = "\\ud800"  # a JSON escape of half a surrogate pair: no UTF-8 spelling exists


async def test_lone_surrogates_are_refused_naming_where(tmp_path: Path) -> None:
    """orjson refuses them; the standard library, which reads what orjson refuses, let them
    through to SQLite (UnicodeEncodeError: a masked 500)."""
    query = json.dumps(LOOKUP)
    async with api(tmp_path) as (client, _):

        async def post(text: str) -> httpx.Response:
            return await client.post(
                "/graphql", content=text.encode(), headers={"Content-Type": "application/json"}
            )

        cases = {
            "variable `id`": await post(f'{{"query": {query}, "variables": {{"id": "x{LONE}"}}}}'),
            "`query`": await post(f'{{"query": "# {LONE}\\n{{ stats {{ credentials }} }}"}}'),
            "`operationName`": await post(f'{{"query": {query}, "operationName": "{LONE}"}}'),
            "`extensions`": await post(
                f'{{"query": {query}, "extensions": {{"a": [["{LONE}"]]}}}}'
            ),
            "variable `deep`": await post(
                f'[{{"query": {query}}}, '
                f'{{"query": {query}, "variables": {{"deep": {{"a": [1, "{LONE}"]}}}}}}]'
            ),
            "variable `id` over GET": await client.get(
                "/graphql", params={"query": LOOKUP, "variables": f'{{"id": "{LONE}"}}'}
            ),
        }
        pair = await post(f'{{"query": {query}, "variables": {{"id": "\\ud83c\\udf93"}}}}')
    for where, response in cases.items():
        assert response.status_code == 400, (where, response.text)
        message = first_error(response)["message"]
        assert where.removesuffix(" over GET") in message, (where, message)
        assert "lone UTF-16 surrogate" in message, (where, message)
    assert pair.json() == {"data": {"credential": None}}  # a whole pair is a character


async def test_variables_over_their_cap_are_refused(tmp_path: Path) -> None:
    settings = replace(TEST_SETTINGS, max_variables_bytes=1000)
    variables = {"x": "y" * 2000}
    async with api(tmp_path, settings) as (client, _):
        post = await client.post("/graphql", json={"query": STATS, "variables": variables})
        get = await client.get(
            "/graphql", params={"query": STATS, "variables": json.dumps(variables)}
        )
    assert post.status_code == get.status_code == 413
    assert "variables" in first_error(post)["message"]


async def test_variables_are_measured_as_utf8_not_escaped(tmp_path: Path) -> None:
    settings = replace(TEST_SETTINGS, max_variables_bytes=1000)
    under = {"t": "数据" * 150}  # 900 bytes of UTF-8; escaped as \uXXXX it would be 1,800
    over = {"t": "数据" * 170}  # 1,020 bytes
    filler = "# " + "x" * 1000 + "\n"  # the body over the cap, so the variables are measured
    query = filler + "query ($t: String!) { search(text: $t) { id } }"
    async with api(tmp_path, settings) as (client, _):
        ok = await client.post("/graphql", json={"query": query, "variables": under})
        refused = await client.post("/graphql", json={"query": query, "variables": over})
    assert ok.status_code == 200, ok.text
    assert refused.status_code == 413


async def test_batches_run_each_operation_up_to_the_cap(tmp_path: Path) -> None:
    settings = replace(TEST_SETTINGS, max_batch=3)
    async with api(tmp_path, settings) as (client, _):
        ok = await client.post(
            "/graphql", json=[{"query": STATS}, {"query": "{ stats { issuers } }"}]
        )
        too_many = await client.post("/graphql", json=[{"query": STATS}] * 4)
    assert ok.status_code == 200
    first, second = ok.json()
    assert first["data"]["stats"]["credentials"] == CREDENTIAL_COUNT
    assert second["data"]["stats"]["issuers"] >= 1
    assert too_many.status_code == 400
    assert "1 to 3 operations" in first_error(too_many)["message"]


async def test_batching_can_be_turned_off(tmp_path: Path) -> None:
    async with api(tmp_path, replace(TEST_SETTINGS, max_batch=1)) as (client, _):
        response = await client.post("/graphql", json=[{"query": STATS}])
    assert response.status_code == 400
    assert "Batching is turned off" in first_error(response)["message"]


async def test_every_response_carries_a_request_id(tmp_path: Path) -> None:
    async with api(tmp_path) as (client, _):
        responses = [
            await client.post("/graphql", json={"query": STATS}),
            await client.post(
                "/graphql", content=b"{", headers={"Content-Type": "application/json"}
            ),
            await client.get("/healthz"),
            await client.get("/metrics"),
            await client.get("/nowhere"),
        ]
        echoed = await client.get("/healthz", headers={"X-Request-Id": "job-board-42"})
        unsafe = await client.get("/healthz", headers={"X-Request-Id": "a b\tc" * 30})
    ids = [r.headers["x-request-id"] for r in responses]
    assert all(len(i) == 32 for i in ids) and len(set(ids)) == len(ids)
    assert echoed.headers["x-request-id"] == "job-board-42"
    assert len(unsafe.headers["x-request-id"]) == 32
