"""Each distinct document is parsed and checked once; its verdict is cached, never its pass.

A refused document stays refused on every later sight, a changed document is checked
afresh, and the cost limit still reads each request's variables.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from graphql import GraphQLSchema
from strawberry.extensions import MaxAliasesLimiter, QueryDepthLimiter

from credgraph.api import documents
from credgraph.api.documents import MAX_CACHED_QUERY_CHARS, DocumentCache
from credgraph.api.schema import build_schema
from tests.api.http_helpers import api, first_error

SCHEMA: GraphQLSchema = build_schema()._schema


def cache(maxsize: int = 10) -> DocumentCache:
    rules = [
        *QueryDepthLimiter(max_depth=3).validation_rules,
        *MaxAliasesLimiter(max_alias_count=2).validation_rules,
    ]
    return DocumentCache(rules, max_tokens=200, max_repeats=5, maxsize=maxsize)


def nested(levels: int) -> str:
    """`levels` of skill.broader below skill: depth levels + 1."""
    body = "name"
    for _ in range(levels):
        body = f"broader {{ {body} }}"
    return f'query Q {{ skill(id: "x") {{ {body} }} }}'


@pytest.fixture
def validations(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the validation passes the cache runs."""
    calls: list[int] = []
    real = documents.validate_document

    def counted(*args: object) -> object:
        calls.append(1)
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(documents, "validate_document", counted)
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
    assert prepared is not None and prepared.first_variables == ("n",)
    operation = prepared.operation("P")
    assert operation is not None
    small = prepared.cost(SCHEMA, operation, {"n": 2}, 10)
    large = prepared.cost(SCHEMA, operation, {"n": 90}, 10)
    assert small < large
    assert prepared.cost(SCHEMA, operation, {"n": 2}, 10) == small
    assert prepared.cost(SCHEMA, operation, {"n": [1]}, 10) >= 1  # not hashable: computed


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
