"""Compiled query plans (credgraph.api.plans): they answer what the full executor answers, and
defer to it (None) for everything they do not handle, so that it words every error.

Every query of the schema tests is also checked this way (tests/api/conftest.py `query`); the
tests here name the queries the API is benchmarked on, the shapes a plan must get right
(fragments, aliases, merged fields, `__typename`) and every reason to defer.
"""

from __future__ import annotations

import asyncio
from enum import Enum
from typing import Any

import pytest
import strawberry
from graphql import GraphQLObjectType
from strawberry.dataloader import DataLoader
from strawberry.permission import BasePermission

from credgraph.api import make_context
from credgraph.api.compiled import CompiledQueries, OperationTimedOut, VerifyTally, check_same
from credgraph.api.limits import document_cache
from credgraph.api.resolver_calls import ResolverCall
from credgraph.api.settings import ApiSettings, load_settings
from credgraph.errors import ConfigError
from credgraph.store import GraphStore
from tests.api.conftest import PLANS, SCHEMA
from tests.contract import data

IDS = [c.id for c in data.credentials()]

ONE = """query One($id: ID!) {
  credential(id: $id) {
    id name type url durationHours cost { amount currency }
    issuer { id name country }
    skills { id name framework }
  }
}"""
COMPARE = """query Compare($ids: [ID!]!) {
  compareCredentials(ids: $ids) {
    credentials { id name issuer { id name } skills { id name } }
    sharedSkills { id name }
    uniqueSkills { credential { id } skills { id name } }
    similarity { a b jaccard }
    rows { field values }
  }
}"""
PAGE = """query Page($first: Int) {
  credentials(first: $first, sort: {field: NAME}) {
    totalCount
    edges { cursor node { id name issuer { name } skills { name } occupations { code } } }
    pageInfo { hasNextPage endCursor }
  }
}"""
SIMILAR = """query Similar($id: ID!) {
  similarCredentials(id: $id, first: 10) {
    score credential { id name issuer { id name } } sharedSkills { id name }
  }
}"""
SHAPES = """query Shapes($id: ID!) {
  first: credential(id: $id) { ...Card __typename issuer { __typename name } }
  again: credential(id: $id) { name ... on Credential { transparency { score missing } } }
  credential(id: $id) { skills { id } skills { name } }
  stats { credentials skills }
}
fragment Card on Credential { id name provenance { source url format } }"""

CASES = {
    "one": (ONE, {"id": IDS[0]}),
    "compare": (COMPARE, {"ids": IDS[:3]}),
    "page": (PAGE, {"first": 4}),
    "similar": (SIMILAR, {"id": IDS[0]}),
    "shapes": (SHAPES, {"id": IDS[1]}),
}


async def full(store: GraphStore, text: str, variables: dict[str, Any]) -> Any:
    result = await SCHEMA.execute(text, variable_values=variables,
                                  context_value=make_context(store))  # fmt: skip
    assert not result.errors, result.errors
    return result.data


@pytest.mark.parametrize("case", list(CASES))
async def test_a_plan_answers_as_the_full_executor(store: GraphStore, case: str) -> None:
    text, variables = CASES[case]
    expected = await full(store, text, variables)
    answer = await PLANS.answer(text, variables, None, make_context(store))
    assert answer is not None, "the plan deferred"
    assert answer == expected
    assert list(answer) == list(expected)  # response keys in document order


DEFERRED = {
    "a directive": ("query($s: Boolean!) { stats { credentials @include(if: $s) } }", {"s": True}),
    "introspection": ("{ __schema { queryType { name } } }", {}),
    "__type": ('{ __type(name: "Credential") { name } }', {}),
    "a mutation": ('mutation { verifyCredential(url: "http://127.0.0.1/") { status } }', {}),
    "two operations, no name": ("query A { stats { skills } } query B { stats { issuers } }", {}),
    "a variable of the wrong type": (
        "query($n: Int) { credentials(first: $n) { totalCount } }",
        {"n": "many"},
    ),
    "an invalid document": ("{ credential { nope } }", {}),
    "a syntax error": ("{ stats { ", {}),
    "a store error (bad cursor)": ('{ credentials(after: "not-a-cursor") { totalCount } }', {}),
    "a page too large": ("{ credentials(first: 5000) { totalCount } }", {}),
    "an export": ("{ exportSubgraph(format: NDJSON) { inline } }", {}),
}


@pytest.mark.parametrize("case", list(DEFERRED))
async def test_a_plan_defers_to_the_full_executor(store: GraphStore, case: str) -> None:
    text, variables = DEFERRED[case]
    assert await PLANS.answer(text, variables, None, make_context(store)) is None


async def test_an_unknown_operation_name_defers_and_is_not_remembered(store: GraphStore) -> None:
    text = "query A { stats { skills } } query B { stats { issuers } }"
    context = make_context(store)
    assert await PLANS.answer(text, None, "B", context) == {"stats": {"issuers": 4}}
    for n in range(50):
        assert await PLANS.answer(text, None, f"made-up-{n}", context) is None
    prepared = PLANS.documents.prepare(SCHEMA._schema, text)
    assert prepared is not None and set(prepared.plans) == {"B"}


async def test_a_plan_over_the_cost_limit_defers(store: GraphStore) -> None:
    settings = ApiSettings(max_cost=1000)  # the page costs 67 at `first: 2`, 3,301 at 100
    plans = CompiledQueries(SCHEMA, document_cache(settings), settings)
    cheap = await plans.answer(PAGE, {"first": 2}, None, make_context(store))
    assert cheap is not None
    assert await plans.answer(PAGE, {"first": 100}, None, make_context(store)) is None


# -- a small schema of its own: null propagation, batching --------------------------------------


@strawberry.type
class Item:
    n: int

    @strawberry.field
    def label(self) -> str:
        return None if self.n == 2 else f"item {self.n}"  # type: ignore[return-value]

    @strawberry.field
    async def double(self, info: strawberry.Info) -> int:
        value: int = await info.context["doubles"].load(self.n)
        return value


@strawberry.type
class Small:
    @strawberry.field
    def items(self, upto: int) -> list[Item]:
        return [Item(n=n) for n in range(upto)]


SMALL = strawberry.Schema(query=Small)
SMALL_PLANS = CompiledQueries(SMALL, document_cache(ApiSettings()), ApiSettings())


def doubling_context() -> tuple[dict[str, Any], list[list[int]]]:
    batches: list[list[int]] = []

    async def double(keys: list[int]) -> list[int]:
        batches.append(list(keys))
        return [2 * k for k in keys]

    return {"doubles": DataLoader(load_fn=double)}, batches


async def test_sibling_loads_in_a_plan_share_one_batch() -> None:
    context, batches = doubling_context()
    answer = await SMALL_PLANS.answer("{ items(upto: 2) { n double } }", None, None, context)
    assert answer == {"items": [{"n": 0, "double": 0}, {"n": 1, "double": 2}]}
    assert batches == [[0, 1]]


async def test_a_null_for_a_non_null_field_defers() -> None:
    context, _ = doubling_context()
    text = "query($k: Int!) { items(upto: $k) { label } }"
    assert await SMALL_PLANS.answer(text, {"k": 2}, None, context) == {
        "items": [{"label": "item 0"}, {"label": "item 1"}]
    }
    assert await SMALL_PLANS.answer(text, {"k": 3}, None, context) is None
    result = await SMALL.execute(text, variable_values={"k": 3}, context_value=context)
    assert result.errors and result.errors[0].path == ["items", 2, "label"]


async def test_a_plan_times_out_like_the_full_executor(store: GraphStore) -> None:
    async def slow_stats() -> Any:
        await asyncio.sleep(30)

    settings = ApiSettings(timeout_seconds=0.1)
    plans = CompiledQueries(SCHEMA, document_cache(settings), settings)
    store.stats = slow_stats  # type: ignore[method-assign]
    with pytest.raises(OperationTimedOut):
        await plans.answer("{ stats { credentials } }", None, None, make_context(store))


def test_verify_mode_reports_a_difference() -> None:
    tally = VerifyTally()
    assert check_same("{ a }", {"a": 1}, {"a": 1}, None, tally)
    assert not check_same("{ a }", {"a": 1}, {"a": 2}, None, tally)
    assert not check_same("{ a }", {"a": 1}, {"a": 1}, ["an error"], tally)
    assert (tally.compared, tally.mismatches) == (3, ["{ a }", "{ a }"])


def test_the_mode_is_a_setting() -> None:
    assert load_settings(env={}).compiled_queries == "on"
    assert load_settings(env={"CREDGRAPH_COMPILED_QUERIES": "off"}).compiled_queries == "off"
    with pytest.raises(ConfigError, match="CREDGRAPH_COMPILED_QUERIES"):
        load_settings(env={"CREDGRAPH_COMPILED_QUERIES": "fast"})


# -- the fast paths: values read inline, resolvers called without Strawberry's wrapper ---------


@strawberry.enum
class Shade(Enum):
    LIGHT = "light"
    DARK = "dark"


@strawberry.input
class Window:
    start: int
    size: int = 2


class OnlyWhenAllowed(BasePermission):
    message = "not allowed"

    def has_permission(self, source: Any, info: strawberry.Info, **kwargs: Any) -> bool:
        return bool(info.context.get("allowed"))


def count_of(root: Odd) -> int:
    return len(root.name)


def shouted(parent: strawberry.Parent[Odd], info: strawberry.Info) -> str:
    return f"{parent.name.upper()}{info.context.get('suffix', '')}"


@strawberry.type
class Odd:
    name: str
    count: int = strawberry.field(resolver=count_of)
    shout: str = strawberry.field(resolver=shouted)

    @strawberry.field
    def texts(self) -> list[str | None]:  # not all of them strings: String serialises them
        return ["a", None, 3, True, 1.5]  # type: ignore[list-item]

    @strawberry.field
    def ids(self) -> list[strawberry.ID]:
        return ["x", 7]  # type: ignore[list-item]

    @strawberry.field
    def required_texts(self, gap: bool = False) -> list[str]:
        return ["a", None] if gap else ["a", 2]  # type: ignore[list-item]

    @strawberry.field
    def window(self, of: Window, shade: Shade = Shade.DARK) -> list[str]:
        return [f"{shade.value} {n}" for n in range(of.start, of.start + of.size)]

    @strawberry.field(permission_classes=[OnlyWhenAllowed])
    def secret(self) -> str:
        return "hidden"


@strawberry.type
class OddQuery:
    @strawberry.field
    def odd(self, name: str = "odd") -> Odd:
        return Odd(name=name)

    @strawberry.field
    def odds(self) -> list[Odd | None]:
        return [Odd(name="a"), None]


ODD = strawberry.Schema(query=OddQuery)
ODD_PLANS = CompiledQueries(ODD, document_cache(ApiSettings()), ApiSettings())
ODD_CASES = {
    "strings and ids that are not str": "{ odd { texts ids requiredTexts } }",
    "root, parent and info parameters": '{ odd(name: "ab") { count shout } }',
    "an input object and an enum argument": (
        "{ odd { window(of: {start: 3}) light: window(of: {start: 1, size: 1}, shade: LIGHT) } }"
    ),
    "a nullable object in a list": "{ odds { name count } }",
    "a field with a permission class": "{ odd { secret } }",
}


@pytest.mark.parametrize("case", list(ODD_CASES))
async def test_the_fast_paths_answer_as_the_full_executor(case: str) -> None:
    context = {"suffix": "!", "allowed": True}
    expected = await ODD.execute(ODD_CASES[case], context_value=context)
    assert not expected.errors, expected.errors
    answer = await ODD_PLANS.answer(ODD_CASES[case], None, None, context)
    assert answer == expected.data
    assert answer is not None and list(answer) == list(expected.data or {})


@pytest.mark.parametrize(
    "text",
    ["{ odd { requiredTexts(gap: true) } }", "{ odd { secret } }"],
    ids=["a null in a list of non-null strings", "a permission refused"],
)
async def test_what_the_fast_paths_cannot_answer_defers(text: str) -> None:
    context = {"allowed": False}
    assert await ODD_PLANS.answer(text, None, None, context) is None
    assert (await ODD.execute(text, context_value=context)).errors


def test_resolvers_with_field_extensions_keep_strawberrys_wrapper() -> None:
    odd = ODD._schema.type_map["Odd"]
    assert isinstance(odd, GraphQLObjectType)
    assert ResolverCall.of(ODD._schema, odd.fields["window"]) is not None
    assert ResolverCall.of(ODD._schema, odd.fields["shout"]) is not None
    assert ResolverCall.of(ODD._schema, odd.fields["secret"]) is None  # a permission class
    assert ResolverCall.of(ODD._schema, odd.fields["name"]) is None  # no resolver at all
