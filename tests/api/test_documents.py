"""Each distinct document is parsed and checked once; its verdict is cached, never its pass.

A refused document stays refused on every later sight, a changed document is checked
afresh, and the cost limit still reads each request's variables.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

import pytest
from graphql import GraphQLSchema, OperationType, parse, specified_rules, validate

from credgraph.api import documents
from credgraph.api.documents import MAX_CACHED_QUERY_CHARS, DocumentCache
from credgraph.api.schema import build_schema
from tests.api.http_helpers import TEST_SETTINGS, api, first_error

SCHEMA: GraphQLSchema = build_schema()._schema


def cache(maxsize: int = 10) -> DocumentCache:
    return DocumentCache(max_tokens=200, max_repeats=5, max_depth=3, max_aliases=2, maxsize=maxsize)


def nested(levels: int) -> str:
    """`levels` of skill.broader below skill: depth levels + 1."""
    body = "name"
    for _ in range(levels):
        body = f"broader {{ {body} }}"
    return f'query Q {{ skill(id: "x") {{ {body} }} }}'


@pytest.fixture
def validations(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the checks the cache runs (the shape check runs on every parsed document that
    repeats no field too often; validation only on those it lets through)."""
    calls: list[int] = []
    real = documents.measure_shape

    def counted(*args: object) -> object:
        calls.append(1)
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(documents, "measure_shape", counted)
    return calls


def test_a_refused_document_is_refused_again_from_the_cache(validations: list[int]) -> None:
    documents_ = cache()
    first = documents_.prepare(SCHEMA, nested(5))
    again = documents_.prepare(SCHEMA, nested(5))
    assert first is not None and again is first
    assert [e.message for e in again.errors] == ["'Q' exceeds maximum operation depth of 3"]
    assert len(validations) == 1 and len(documents_) == 1


def test_a_changed_document_is_checked_afresh(validations: list[int]) -> None:
    documents_ = cache()
    fine = documents_.prepare(SCHEMA, nested(1))
    deeper = documents_.prepare(SCHEMA, nested(4))
    assert fine is not None and fine.errors == ()
    assert deeper is not None and "maximum operation depth" in deeper.errors[0].message
    assert len(validations) == 2 and len(documents_) == 2


def test_repeated_fields_and_aliases_are_part_of_the_cached_verdict() -> None:
    documents_ = cache()
    repeated = "{ stats { " + "credentials " * 6 + "} }"
    aliases = "{ a: stats { credentials } b: stats { credentials } c: stats { credentials } }"
    for _ in range(2):
        refused = documents_.prepare(SCHEMA, repeated)
        assert refused is not None and "at most 5 are allowed" in refused.errors[0].message
        too_many = documents_.prepare(SCHEMA, aliases)
        assert too_many is not None and too_many.errors[0].message == "3 aliases found. Allowed: 2"


def test_syntax_errors_and_token_floods_are_not_kept() -> None:
    documents_ = cache()
    assert documents_.prepare(SCHEMA, "{ stats { credentials }") is None
    assert documents_.prepare(SCHEMA, "{ stats { " + "credentials " * 500 + "} }") is None
    assert len(documents_) == 0


def test_the_cache_is_bounded_and_skips_huge_texts() -> None:
    documents_ = cache(maxsize=2)
    for n in range(5):
        assert documents_.prepare(SCHEMA, f"query Q{n} {{ stats {{ credentials }} }}") is not None
    assert len(documents_) == 2
    padded = "{ stats { credentials } }" + " " * MAX_CACHED_QUERY_CHARS
    assert documents_.prepare(SCHEMA, padded) is not None
    assert len(documents_) == 2


def test_one_cache_serves_one_schema() -> None:
    documents_ = cache()
    documents_.prepare(SCHEMA, "{ stats { credentials } }")
    with pytest.raises(ValueError, match="one schema"):
        documents_.prepare(build_schema()._schema, "{ stats { credentials } }")


def test_the_cost_follows_the_variables_of_each_request() -> None:
    prepared = cache().prepare(
        SCHEMA, "query P($n: Int) { credentials(first: $n) { edges { node { name } } } }"
    )
    assert prepared is not None and prepared.cost_variables == ("n",)
    operation = prepared.operation("P")
    assert operation is not None
    small = prepared.cost(SCHEMA, operation, {"n": 2}, 10)
    large = prepared.cost(SCHEMA, operation, {"n": 90}, 10)
    assert small < large
    assert prepared.cost(SCHEMA, operation, {"n": 2}, 10) == small
    # Costed as execution will coerce them: a float with an integral value is that Int, and
    # shares its cache entry; a value that does not coerce never runs, so it costs nothing.
    assert prepared.cost(SCHEMA, operation, {"n": 90.0}, 10) == large
    assert prepared.cost(SCHEMA, operation, {"n": [1]}, 10) == 0


def test_the_cost_follows_the_length_of_a_list_that_sizes_the_answer() -> None:
    # One answer per name: the cached cost of ten names must not serve a hundred.
    prepared = cache().prepare(
        SCHEMA, "query R($n: [String!]!) { resolveCredentials(names: $n) { input } }"
    )
    assert prepared is not None and prepared.cost_variables == ("n",)
    operation = prepared.operation("R")
    assert operation is not None
    ten = prepared.cost(SCHEMA, operation, {"n": ["a"] * 10}, 10)
    hundred = prepared.cost(SCHEMA, operation, {"n": ["a"] * 100}, 10)
    assert (ten, hundred) == (1 + 10, 1 + 100)
    assert prepared.cost(SCHEMA, operation, {"n": ["b"] * 10}, 10) == ten


def test_a_cost_that_reads_no_variable_is_computed_once() -> None:
    prepared = cache().prepare(
        SCHEMA, "query C($ids: [ID!]!) { compareCredentials(ids: $ids) { credentials { id } } }"
    )
    assert prepared is not None and prepared.cost_variables == ()
    operation = prepared.operation("C")
    assert operation is not None
    cost = prepared.cost(SCHEMA, operation, {"ids": ["a", "b"]}, 10)
    assert cost > 1
    assert prepared.cost(SCHEMA, operation, {"ids": "not a list of ids"}, 10) == cost
    assert list(prepared.costs) == [("C",)]


async def test_a_float_first_is_costed_as_the_int_it_coerces_to(tmp_path: Path) -> None:
    page = """query Page($n: Int) {
      credentials(first: $n) { edges { node { name skills { name } } } }
    }"""
    settings = replace(TEST_SETTINGS, max_cost=600)  # first 20 (the default) fits, 100 does not
    async with api(tmp_path, settings) as (client, _):
        as_float = await client.post("/graphql", json={"query": page, "variables": {"n": 100.0}})
        as_int = await client.post("/graphql", json={"query": page, "variables": {"n": 100}})
        default = await client.post("/graphql", json={"query": page})
    for refused in (as_float, as_int):
        assert refused.status_code == 400
        assert first_error(refused)["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert default.status_code == 200 and "errors" not in default.json()


async def test_over_http_a_deep_query_is_refused_on_every_sight(tmp_path: Path) -> None:
    deep = nested(20)
    async with api(tmp_path) as (client, _):
        answers = [await client.post("/graphql", json={"query": deep}) for _ in range(3)]
        fine = await client.post("/graphql", json={"query": nested(2)})
    assert [a.status_code for a in answers] == [400, 400, 400]
    assert all("exceeds maximum operation depth" in first_error(a)["message"] for a in answers)
    assert fine.status_code == 200 and "errors" not in fine.json()


async def test_over_http_the_cost_limit_reads_each_requests_variables(tmp_path: Path) -> None:
    page = """query Page($n: Int) {
      credentials(first: $n) { edges { node { name skills { name } } } }
    }"""
    async with api(tmp_path) as (client, _):
        sizes = (2, 1_000_000, 2, 1_000_000)
        answers = [
            await client.post("/graphql", json={"query": page, "variables": {"n": n}})
            for n in sizes
        ]
    refused = [first_error(a)["extensions"]["code"] if "errors" in a.json() else None
               for a in answers]  # fmt: skip
    assert refused == [None, "QUERY_TOO_COMPLEX", None, "QUERY_TOO_COMPLEX"]


def fan_out(levels: int, width: int, *, aliased: bool = False) -> str:
    """Each level's fragment spreads the next one `width` times under `prerequisites` (or
    under `width` aliased `prerequisites`): width**levels paths through a ~2 KB document."""
    parts = []
    for i in range(levels):
        if aliased:
            body = " ".join(f"a{j}: prerequisites {{ ...F{i + 1} }}" for j in range(width))
        else:
            body = "id prerequisites { " + " ".join([f"...F{i + 1}"] * width) + " }"
        parts.append(f"fragment F{i} on Credential {{ {body} }}")
    parts.append(f"fragment F{levels} on Credential {{ id }}")
    return '{ credential(id: "x") { ...F0 } } ' + " ".join(parts)


def prepared_in_thread(documents_: DocumentCache, query: str) -> documents.Prepared | None:
    """Prepare `query` in a thread given 30 s: an unmemoised check would take hours."""
    done: list[documents.Prepared | None] = []
    worker = threading.Thread(target=lambda: done.append(documents_.prepare(SCHEMA, query)))
    worker.daemon = True
    worker.start()
    worker.join(30)
    assert done, "checking the document did not finish in 30 s"
    return done[0]


def test_repeated_fragment_spreads_are_measured_once_each() -> None:
    documents_ = DocumentCache(max_tokens=5000, max_repeats=30, max_depth=12, max_aliases=30)
    # 30 spreads per level over 9 levels: within the depth limit, so validation runs too.
    fine = prepared_in_thread(documents_, fan_out(9, 30))
    assert fine is not None and fine.errors == ()
    deep = prepared_in_thread(documents_, fan_out(13, 30))
    assert deep is not None
    assert [e.message for e in deep.errors] == ["'anonymous' exceeds maximum operation depth of 12"]
    # 5 aliases a level over 8 levels, fragments expanded: 5 + 5^2 + ... + 5^8 aliased fields.
    aliased = prepared_in_thread(documents_, fan_out(8, 5, aliased=True))
    assert aliased is not None
    assert [e.message for e in aliased.errors] == [
        f"{sum(5**k for k in range(1, 9))} aliases found. Allowed: 30"
    ]


def test_a_fanned_out_document_is_refused_by_its_cost_without_running() -> None:
    documents_ = DocumentCache(max_tokens=5000, max_repeats=30, max_depth=12, max_aliases=30)
    prepared = prepared_in_thread(documents_, fan_out(9, 30))
    assert prepared is not None
    operation = prepared.operation(None)
    assert operation is not None
    # Each level multiplies by the default list size (10): far past any limit, computed fast.
    assert prepared.cost(SCHEMA, operation, {}, 10) > 10**9


def test_a_refusal_keeps_its_messages_and_locations_but_not_the_tree() -> None:
    query = "query Q { stats { nope credentials } }\nmutation M { nothere }"
    refused = cache().prepare(SCHEMA, query, validation_rules=specified_rules)
    assert refused is not None
    assert [e.formatted for e in refused.errors] == [
        e.formatted for e in validate(SCHEMA, parse(query))
    ]
    assert refused.errors[1].locations == [(2, 14)]
    assert all(e.nodes is None for e in refused.errors)
    # Strawberry reads the operations' types before validation (a mutation over GET).
    outline = [(d.operation, d.name and d.name.value) for d in refused.document.definitions]
    assert outline == [(OperationType.QUERY, "Q"), (OperationType.MUTATION, "M")]
    deep = cache().prepare(SCHEMA, nested(5))
    assert deep is not None and deep.errors[0].locations == [(1, 1)]
