"""Hostile documents are refused quickly with a clear error; internal failures are masked."""

from __future__ import annotations

import asyncio
import base64
import logging
import time
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
import strawberry
from graphql import OperationDefinitionNode, get_introspection_query, parse

from credgraph.api import build_schema
from credgraph.api.core_schema import core_schema
from credgraph.api.query_cost import estimate_cost
from credgraph.errors import StoreUnavailable
from credgraph.model.views import GraphStats
from credgraph.store import open_store
from tests.api.http_helpers import STATS, TEST_SETTINGS, api, first_error, loaded_store_url

# A freeze-level bound, not a speed target: a refusal that spent the work it refuses (or a
# timeout that did not fire) takes minutes. bench/api_bench.py measures how fast requests go.
FROZEN = 10.0  # seconds


async def post_timed(client: httpx.AsyncClient, body: object) -> tuple[httpx.Response, float]:
    started = time.perf_counter()
    response = await client.post("/graphql", json=body)
    return response, time.perf_counter() - started


async def test_a_depth_bomb_is_refused(tmp_path: Path) -> None:
    nested = "stats { credentials }"
    for i in range(40):
        nested = f"f{i} {{ {nested} }}"
    async with api(tmp_path) as (client, _):
        response, seconds = await post_timed(client, {"query": f"query Deep {{ {nested} }}"})
    assert response.status_code == 400
    messages = [e["message"] for e in response.json()["errors"]]
    assert "'Deep' exceeds maximum operation depth of 10" in messages
    assert seconds < FROZEN


async def test_an_alias_explosion_is_refused(tmp_path: Path) -> None:
    aliases = " ".join(f"a{i}: stats {{ credentials }}" for i in range(300))
    async with api(tmp_path) as (client, _):
        response, seconds = await post_timed(client, {"query": f"{{ {aliases} }}"})
    assert response.status_code == 400
    assert first_error(response)["message"] == "300 aliases found. Allowed: 30"
    assert seconds < FROZEN


@pytest.mark.parametrize(
    "query",
    [
        "{ " + "stats { credentials } " * 400 + "}",
        "{ stats { ...F0 } } "
        + " ".join(f"fragment F{i} on GraphStats {{ ...F{i + 1} ...F{i + 1} }}" for i in range(40))
        + " fragment F40 on GraphStats { credentials }",
    ],
    ids=["copies", "fragment doubling"],
)
async def test_a_field_repeated_many_times_is_refused_before_validation(
    tmp_path: Path, query: str
) -> None:
    async with api(tmp_path) as (client, _):
        response, seconds = await post_timed(client, {"query": query})
    assert response.status_code == 400
    error = first_error(response)
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert "at most 30 are allowed" in error["message"]
    assert seconds < FROZEN


async def test_a_token_flood_stops_the_parser(tmp_path: Path) -> None:
    flood = "{ stats { " + "credentials " * 50_000 + "} }"
    async with api(tmp_path) as (client, _):
        response, seconds = await post_timed(client, {"query": flood})
    assert response.status_code == 400
    assert "more than 2000 tokens" in first_error(response)["message"]
    assert seconds < FROZEN


async def test_a_giant_first_is_refused_by_the_cost_estimate(tmp_path: Path) -> None:
    query = "query Huge($n: Int) { credentials(first: $n) { edges { node { name } } } }"
    async with api(tmp_path) as (client, _):
        small, _ = await post_timed(client, {"query": query, "variables": {"n": 2}})
        response, seconds = await post_timed(
            client, {"query": query, "variables": {"n": 1_000_000}}
        )
    assert len(small.json()["data"]["credentials"]["edges"]) == 2  # same document, cached
    assert response.status_code == 400
    error = first_error(response)
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert "estimated cost 3000001 exceeds the limit of 20000" in error["message"]
    assert seconds < FROZEN


@strawberry.type
class Item:
    name: str

    @strawberry.field
    def children(self, first: int = 5) -> list[Item]:
        return []

    @strawberry.field
    def tags(self) -> list[str]:
        return []


@strawberry.type
class ItemConnection:
    total: int
    edges: list[Item]


@strawberry.type
class Query:
    @strawberry.field
    def items(self, first: int = 20) -> list[Item]:
        return []

    @strawberry.field
    def page(self, first: int | None = None) -> ItemConnection:
        return ItemConnection(total=0, edges=[])

    @strawberry.field
    def one(self) -> Item:
        return Item(name="x")


TEST_SCHEMA = strawberry.Schema(query=Query)._schema


def cost(query: str, variables: dict[str, object] | None = None) -> int:
    document = parse(query)
    operation = next(d for d in document.definitions if isinstance(d, OperationDefinitionNode))
    return estimate_cost(TEST_SCHEMA, document, operation, variables or {}, list_size=10)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("{ one { name } }", 2),
        ("{ items { name } }", 1 + 20),  # the schema's default `first`
        ("{ items(first: 3) { name children { name } } }", 1 + 3 * (1 + 1 + 5)),
        (
            "{ items(first: 2) { children(first: 4) { children(first: 4) { name } } } }",
            1 + 2 * (1 + 4 * (1 + 4)),
        ),
        ("{ page(first: 50) { total edges { name } } }", 1 + 50 * (1 + 1 + 1)),
        ("{ page { edges { name } } }", 1 + 10 * 2),  # no default: the configured list size
        ("query($n: Int = 7) { items(first: $n) { name } }", 1 + 7),
        (
            "{ items(first: 2) { ...F } } fragment F on Item { name ...G } fragment G on Item { tags }",
            1 + 2 * 2,
        ),
        # introspection is costed too, `types` being the schema's own number of types
        (
            "{ items(first: 2) { ... on Item { name } } __schema { types { name } } }",
            1 + 2 + 1 + 1 + len(TEST_SCHEMA.type_map),
        ),
        ("{ one { ...F } } fragment F on Item { ...F }", 1),  # a cycle costs nothing extra
    ],
)
def test_cost_estimate(query: str, expected: int) -> None:
    assert cost(query) == expected


def test_introspection_costs_what_the_schema_holds() -> None:
    """Thirty aliased `__schema` selections cost thirty times one; a `__type` chosen by name
    is sized by the widest type (introspection's own included), all types by their mean."""
    one = cost("{ __schema { types { fields { name } } } }")
    assert one > len(TEST_SCHEMA.type_map)
    thirty = "{ " + " ".join(
        f"s{i}: __schema {{ types {{ fields {{ name }} }} }}" for i in range(30)
    )
    assert cost(thirty + " }") == 30 * one
    widest = max(len(getattr(t, "fields", {})) for t in TEST_SCHEMA.type_map.values())
    assert cost('{ __type(name: "Item") { fields { name } } }') == 1 + 1 + widest


def test_cost_estimate_reads_variables() -> None:
    assert cost("query($n: Int) { items(first: $n) { name } }", {"n": 1000}) == 1001


async def test_the_explorers_introspection_and_typical_queries_are_admitted(
    tmp_path: Path,
) -> None:
    plain = get_introspection_query()
    full = get_introspection_query(
        specified_by_url=True, directive_is_repeatable=True, schema_description=True,
        input_value_deprecation=True, one_of=True,
    )  # fmt: skip
    typical = [
        plain,
        full,
        "{ credentials(first: 20) { edges { node { name skills { name } } } } }",
        '{ matchJob(text: "SQL and Python", first: 10) { credentials { coverage '
        "credential { name } } skills { name } } }",
    ]
    async with api(tmp_path) as (client, _):
        answers = [await client.post("/graphql", json={"query": q}) for q in typical]
    for query, response in zip(typical, answers, strict=True):
        assert response.status_code == 200, (query[:80], response.text[:300])
        assert "errors" not in response.json(), response.text[:300]
    assert answers[1].json()["data"]["__schema"]["queryType"]["name"] == "Query"


async def test_repeated_introspection_is_refused_by_the_cost_estimate(tmp_path: Path) -> None:
    """Thirty aliased full introspections in 2 KB were megabytes of answer, resolved without
    a pause; each one is costed now, and together they are refused before anything runs."""
    fragment = full_introspection_fragment()
    query = "{ " + " ".join(f"s{i}: __schema {{ ...S }}" for i in range(30)) + " } " + fragment
    batch = [{"query": "{ " + " ".join(f"s{i}: __schema {{ ...S }}" for i in range(8)) + " } "
              + fragment}] * 3  # fmt: skip
    async with api(tmp_path) as (client, _):
        single = await client.post("/graphql", json={"query": query})
        batched = await client.post("/graphql", json=batch)
    assert single.status_code == 400
    error = first_error(single)
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert "is too expensive" in error["message"]
    assert batched.status_code == 200  # a batch answers each operation
    for answer in batched.json():
        assert answer.get("data") is None
        assert answer["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"


def full_introspection_fragment() -> str:
    """The body of the standard introspection query's `__schema`, as a fragment `S`."""
    query = get_introspection_query(descriptions=True)
    body = query[query.index("__schema {") + len("__schema {") :]
    selection, fragments = body.split("\n    }\n  }\n", 1)
    return "fragment S on __Schema { " + selection + " } " + fragments


async def test_what_match_job_selects_is_costed_per_first_item(tmp_path: Path) -> None:
    """matchJob's flat cost is its own work; a selection under it is costed as under any list
    of `first` items, so thirty aliased matches of deep credentials are refused."""
    deep = (
        "fragment C on Credential { name skills { name broader { name sameAs { name } } } "
        "occupations { name requiredSkills { name } } preparesFor { name skills { name } } }"
    )
    query = (
        "query($t: String!) { "
        + " ".join(
            f"m{i}: matchJob(text: $t, first: 50) {{ credentials {{ credential {{ ...C }} }} }}"
            for i in range(30)
        )
        + " } "
        + deep
    )
    async with api(tmp_path) as (client, _):
        response = await client.post("/graphql", json={"query": query, "variables": {"t": "SQL"}})
    assert response.status_code == 400
    assert first_error(response)["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    one = cost_of('{ matchJob(text: "x", first: 50) { credentials { credential { name } } } }')
    assert one == 1 + 500 + 50 * (1 + 10 * (1 + 1))


def cost_of(query: str) -> int:
    """The estimate for credgraph's own schema."""
    schema = core_schema(build_schema())
    document = parse(query)
    operation = next(d for d in document.definitions if isinstance(d, OperationDefinitionNode))
    return estimate_cost(schema, document, operation, {}, list_size=10)


async def test_a_slow_operation_times_out(tmp_path: Path) -> None:
    store = open_store(await loaded_store_url(tmp_path))

    async def slow_stats() -> GraphStats:
        await asyncio.sleep(30)
        raise AssertionError("the timeout should have stopped this")

    store.stats = slow_stats  # type: ignore[method-assign]
    settings = replace(TEST_SETTINGS, timeout_seconds=0.2)
    async with api(tmp_path, settings, store=store) as (client, _):
        response, seconds = await post_timed(client, {"query": STATS})
    assert response.status_code == 503
    error = first_error(response)
    assert error["extensions"]["code"] == "TIMEOUT"
    assert "longer than 0.2 s" in error["message"]
    assert "ask for less" in error["message"]  # the store answers: the operation was slow
    assert seconds < FROZEN


async def test_a_timeout_while_the_store_does_not_answer_says_so(tmp_path: Path) -> None:
    store = open_store(await loaded_store_url(tmp_path))
    opened = store.ping

    async def slow_stats() -> GraphStats:
        await asyncio.sleep(30)  # as a read waits for a Neo4j that is down
        raise AssertionError("the timeout should have stopped this")

    store.stats = slow_stats  # type: ignore[method-assign]
    settings = replace(TEST_SETTINGS, timeout_seconds=0.2)
    async with api(tmp_path, settings, store=store) as (client, _):

        async def down() -> None:
            raise StoreUnavailable("Neo4j at bolt://127.0.0.1:9 is unreachable")

        store.ping = down  # type: ignore[method-assign]  # once the app has started
        response = await client.post("/graphql", json={"query": STATS})
        store.ping = opened  # type: ignore[method-assign]
    assert response.status_code == 503
    message = first_error(response)["message"]
    assert "the store does not answer (Neo4j at bolt://127.0.0.1:9 is unreachable)" in message
    assert "ask for less" not in message


async def test_internal_errors_are_masked_and_logged_with_the_request_id(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store = open_store(await loaded_store_url(tmp_path))

    async def broken_stats() -> GraphStats:
        raise RuntimeError("secret table credgraph_internal is corrupt")

    store.stats = broken_stats  # type: ignore[method-assign]
    with caplog.at_level(logging.ERROR, logger="credgraph.api"):
        async with api(tmp_path, store=store) as (client, _):
            response = await client.post("/graphql", json={"query": STATS})
    request_id = response.headers["x-request-id"]
    assert response.status_code == 200  # execution ran; the field failed
    assert "secret" not in response.text
    error = first_error(response)
    assert error["message"] == f"Internal server error (request id {request_id})"
    assert error["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "requestId": request_id}
    assert error["path"] == ["stats"]
    [record] = [r for r in caplog.records if request_id in r.getMessage()]
    assert record.exc_info is not None and "corrupt" in str(record.exc_info[1])


async def test_errors_about_the_callers_input_stay_visible(tmp_path: Path) -> None:
    query = "query($n: Int) { credentials(first: $n) { totalCount } }"
    async with api(tmp_path) as (client, _):
        bad_type = await client.post("/graphql", json={"query": query, "variables": {"n": "x"}})
        over_cap = await client.post("/graphql", json={"query": query, "variables": {"n": 101}})
    assert bad_type.status_code == 400
    assert "Int cannot represent non-integer value" in first_error(bad_type)["message"]
    assert over_cap.status_code == 200
    assert "over the limit of 100" in first_error(over_cap)["message"]


class ExplodingSchema:
    async def execute(self, *args: object, **kwargs: object) -> None:
        raise RuntimeError("bug outside any resolver: secret detail")


async def test_a_bug_outside_graphql_is_a_masked_500_with_the_request_id(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="credgraph.api"):
        async with api(tmp_path, schema_factory=lambda _: ExplodingSchema()) as (client, _):
            response = await client.post("/graphql", json={"query": STATS})
    request_id = response.headers["x-request-id"]
    assert response.status_code == 500
    assert "secret" not in response.text
    assert first_error(response)["message"] == f"Internal server error (request id {request_id})"
    assert any(request_id in r.getMessage() and r.exc_info for r in caplog.records)


# -- arguments a store would refuse --------------------------------------------------------------

FILTERED = "query($f: CredentialFilter) { credentials(filter: $f) { totalCount } }"
EXPORTED = (
    "query($s: ExportSelection!) { exportSubgraph(selection: $s, format: NDJSON) { downloadUrl } }"
)
IDS = [f"https://skills.example/{i}" for i in range(1200)]


@pytest.mark.parametrize(
    ("query", "variables", "named"),
    [
        (FILTERED, {"f": {"skills": IDS}}, ("`filter.skills`", "1200", "limit of 100")),
        (FILTERED, {"f": {"occupations": IDS}}, ("`filter.occupations`", "1200", "limit of 100")),
        (FILTERED, {"f": {"types": ["BADGE"] * 101}}, ("`filter.types`", "101", "limit of 100")),
        (EXPORTED, {"s": {"seeds": IDS[:501]}}, ("`selection.seeds`", "501", "limit of 500")),
        (EXPORTED, {"s": {"issuers": IDS[:101]}}, ("`selection.issuers`", "101", "limit of 100")),
        (EXPORTED, {"s": {"skills": IDS[:101]}}, ("`selection.skills`", "101", "limit of 100")),
        (
            "query($ids: [ID!]!) { compareCredentials(ids: $ids) { unknownIds } }",
            {"ids": IDS[:21]},
            ("`ids`", "21", "at most 20"),
        ),
        (
            "query($h: [ID!]) { skillGap(occupation: \"15-2051.00\", have: $h) { missingSkills { id } } }",
            {"h": IDS[:501]},
            ("`have`", "501", "limit is 500"),
        ),
    ],
    ids=[
        "filter skills", "filter occupations", "filter types", "export seeds",
        "export issuers", "export skills", "compare ids", "skill gap have",
    ],
)  # fmt: skip
async def test_a_list_over_its_limit_is_refused_naming_the_argument(
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    query: str,
    variables: dict[str, object],
    named: tuple[str, ...],
) -> None:
    """1,200 skills in a filter used to reach SQLite as 1,200 nested conditions ("Expression
    tree is too large"): a masked 500. Now the argument, its length and its limit are named."""
    with caplog.at_level(logging.ERROR, logger="credgraph"):
        async with api(tmp_path) as (client, _):
            response, seconds = await post_timed(client, {"query": query, "variables": variables})
    assert response.status_code < 500, response.text
    error = first_error(response)
    assert error["extensions"]["code"] == "BAD_USER_INPUT", error
    assert all(part in error["message"] for part in named), error["message"]
    assert not [r for r in caplog.records if "internal error" in r.getMessage()]
    assert seconds < FROZEN


async def test_filter_lists_at_their_limit_are_served(tmp_path: Path) -> None:
    """Every list of a credential filter full at once: what SQLite must still plan."""
    at_limit = {"skills": IDS[:100], "occupations": IDS[100:200], "types": ["BADGE"] * 100}
    async with api(tmp_path) as (client, _):
        response = await client.post(
            "/graphql", json={"query": FILTERED, "variables": {"f": at_limit}}
        )
    assert response.json() == {"data": {"credentials": {"totalCount": 0}}}


NESTED_CURSOR = base64.urlsafe_b64encode(b"[" * 5000 + b"]" * 5000).decode()


@pytest.mark.parametrize("field", ["credentials", "issuers", "skills", "occupations"])
@pytest.mark.parametrize(
    "cursor",
    [NESTED_CURSOR, "A" * 60_000, base64.urlsafe_b64encode(b'{"a": 1}').decode(), "%%%"],
    ids=["nested", "long", "an object", "not base64"],
)
async def test_a_forged_cursor_is_refused_as_not_valid(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, field: str, cursor: str
) -> None:
    """A cursor of thousands of nested arrays made the store's decoder recurse past the
    interpreter's limit: a RecursionError, masked as a 500."""
    query = f"query($a: String) {{ {field}(after: $a) {{ totalCount }} }}"
    with caplog.at_level(logging.ERROR, logger="credgraph"):
        async with api(tmp_path) as (client, _):
            response, seconds = await post_timed(
                client, {"query": query, "variables": {"a": cursor}}
            )
    assert response.status_code < 500, response.text
    error = first_error(response)
    assert error["extensions"]["code"] == "BAD_USER_INPUT", error
    assert "not a valid cursor" in error["message"]
    assert not [r for r in caplog.records if "internal error" in r.getMessage()]
    assert seconds < FROZEN


async def test_a_cursor_a_page_gave_still_pages_on(tmp_path: Path) -> None:
    page = "query($a: String) { issuers(first: 1, after: $a) { pageInfo { endCursor } edges { node { id } } } }"
    async with api(tmp_path) as (client, _):
        first = (await client.post("/graphql", json={"query": page})).json()["data"]["issuers"]
        after = first["pageInfo"]["endCursor"]
        second = await client.post("/graphql", json={"query": page, "variables": {"a": after}})
    [node] = second.json()["data"]["issuers"]["edges"]
    assert node["node"]["id"] != first["edges"][0]["node"]["id"]


async def test_more_than_a_hundred_validation_errors_are_a_400(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """graphql-core stops validating at 100 errors and says so in a 101st."""
    unknown = "{ stats { " + " ".join(f"nope{i}" for i in range(150)) + " } }"
    with caplog.at_level(logging.ERROR, logger="credgraph"):
        async with api(tmp_path) as (client, _):
            answers = [await client.post("/graphql", json={"query": unknown}) for _ in range(2)]
            get = await client.get("/graphql", params={"query": unknown})
    for response in [*answers, get]:  # the second from the document cache
        assert response.status_code == 400, response.text
        errors = response.json()["errors"]
        assert len(errors) == 101
        assert errors[0]["message"] == "Cannot query field 'nope0' on type 'GraphStats'."
        assert errors[-1]["message"].startswith("Too many validation errors")
    assert not [r for r in caplog.records if "internal error" in r.getMessage()]
