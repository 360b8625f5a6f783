"""The executor's shortcut for plain leaf fields answers exactly what graphql-core's own field
execution answers: the same data, the same errors at the same paths, the same null
propagation; and it steps aside when an extension must see every field."""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any, NewType

import pytest
import strawberry
from graphql import GraphQLResolveInfo
from strawberry.extensions import SchemaExtension
from strawberry.schema.config import StrawberryConfig

from credgraph.api import make_context
from credgraph.api.app import build_api_schema
from credgraph.api.execution import LeanExecutionContext
from credgraph.api.limits import limit_extensions
from credgraph.api.projection import Projections
from credgraph.api.schema import Mutation, Query
from credgraph.api.settings import ApiSettings
from credgraph.store import GraphStore
from tests.api.conftest import SCHEMA

# The same schema with Strawberry's own execution context, as the reference.
REFERENCE = strawberry.Schema(query=Query, mutation=Mutation, extensions=(Projections,))

DOCUMENTS = [
    """{ credentials(first: 10) { totalCount edges { cursor node {
         id name type url ctid durationHours level language stale firstSeen lastSeen keywords
         cost { amount currency } credits { value unit }
         issuer { id name country } skills { id name framework uri }
         occupations { id code name } transparency { score present missing } } }
         pageInfo { hasNextPage endCursor } } }""",
    """{ compareCredentials(ids: ["https://data.example/credentials/da",
                                 "https://data.example/credentials/basics"]) {
         credentials { id name } sharedSkills { id name } similarity { a b jaccard } } }""",
    """{ skills(first: 5) { edges { node { id name framework credentials(first: 2) {
         edges { node { id name } } } } } } }""",
    "{ stats { credentials issuers skills occupations } }",
    '{ credential(id: "nope") { id name } }',
]


@pytest.mark.parametrize("document", DOCUMENTS, ids=range(len(DOCUMENTS)))
async def test_the_schema_answers_as_the_reference_executor_does(
    store: GraphStore, document: str
) -> None:
    lean = await SCHEMA.execute(document, context_value=make_context(store))
    reference = await REFERENCE.execute(document, context_value=make_context(store))
    assert SCHEMA.execution_context_class is LeanExecutionContext
    assert [e.formatted for e in lean.errors or ()] == [e.formatted for e in reference.errors or ()]
    assert lean.data == reference.data


# A small schema whose plain fields hold values the shortcut must hand back to graphql-core.


@strawberry.enum
class Colour(enum.Enum):
    RED = "red"


Odd = NewType("Odd", int)
ODD = strawberry.scalar(
    name="Odd", serialize=lambda value: value if value % 2 else _refuse(value), parse_value=int
)


def _refuse(value: int) -> int:
    raise ValueError(f"{value} is even")


@strawberry.type
class Row:
    name: str  # declared non-null; some rows hold None
    nickname: str | None
    colour: Colour
    odd: Odd | None
    count: int
    ratio: float = 0.5


@strawberry.type
class Cost:
    amount: float
    currency: str | None


@strawberry.type
class Holder:
    # basic fields holding objects: completed whole when every value is plain
    rows: list[Row | None]
    strict_rows: list[Row]
    cost: Cost | None
    costs: list[Cost]


@strawberry.type
class SmallQuery:
    @strawberry.field
    def holders(self) -> list[Holder | None]:
        good = Row(name="a", nickname=None, colour=Colour.RED, odd=Odd(3), count=1)
        bad = Row(name=None, nickname="b", colour=Colour.RED, odd=Odd(5), count=2)  # type: ignore[arg-type]
        return [
            Holder(
                rows=[good, None],
                strict_rows=[good],
                cost=Cost(amount=2.5, currency="EUR"),
                costs=[Cost(amount=1.0, currency=None)],
            ),
            Holder(rows=[good, bad], strict_rows=[good, bad], cost=None, costs=[]),
            Holder(
                rows=[],
                strict_rows=[None],
                cost=Cost(amount="x", currency="EUR"),
                costs=[Cost(amount=1.0, currency="USD")],
            ),  # type: ignore[list-item, arg-type]
        ]

    @strawberry.field
    def rows(self) -> list[Row | None]:
        return [
            Row(name="a", nickname=None, colour=Colour.RED, odd=Odd(3), count=1),
            Row(name=None, nickname="b", colour=Colour.RED, odd=Odd(5), count=2),  # type: ignore[arg-type]
            Row(name="c", nickname="c", colour="purple", odd=Odd(3), count=3),  # type: ignore[arg-type]
            Row(name="d", nickname="d", colour=Colour.RED, odd=Odd(4), count=4),
            Row(name="e", nickname="e", colour=Colour.RED, odd=Odd(5), count="x"),  # type: ignore[arg-type]
            Row(name="f", nickname="f", colour=Colour.RED, odd=Odd(5), count=6, ratio=float("nan")),
        ]


SMALL = "{ rows { name nickname colour odd count ratio } }"


def small_schema(lean: bool, extensions: tuple[Any, ...] = ()) -> strawberry.Schema:
    return strawberry.Schema(
        query=SmallQuery,
        extensions=extensions,
        execution_context_class=LeanExecutionContext if lean else None,
        config=StrawberryConfig(scalar_map={Odd: ODD}),
    )


async def test_nulls_and_serialization_errors_are_reported_by_graphql_core() -> None:
    lean = await small_schema(lean=True).execute(SMALL)
    reference = await small_schema(lean=False).execute(SMALL)
    assert lean.data == reference.data
    assert lean.data == {
        "rows": [
            {"name": "a", "nickname": None, "colour": "RED", "odd": 3, "count": 1, "ratio": 0.5},
            None,  # null for a non-null name
            None,  # an enum value the enum does not hold
            {"name": "d", "nickname": "d", "colour": "RED", "odd": None, "count": 4, "ratio": 0.5},
            None,  # "x" is not an Int
            None,  # NaN is not a Float
        ]
    }
    lean_errors = sorted((e.message, tuple(e.path or ())) for e in lean.errors or ())
    reference_errors = sorted((e.message, tuple(e.path or ())) for e in reference.errors or ())
    assert lean_errors == reference_errors
    assert ("Cannot return null for non-nullable field Row.name.", ("rows", 1, "name")) in (
        lean_errors
    )
    assert sorted(path for _, path in lean_errors) == [
        ("rows", 1, "name"),
        ("rows", 2, "colour"),
        ("rows", 3, "odd"),
        ("rows", 4, "count"),
        ("rows", 5, "ratio"),
    ]


HOLDERS = """{ holders {
  rows { name nickname colour }
  strictRows { name count }
  cost { amount currency }
  costs { amount currency }
  alias: rows { n: name }
} }"""


async def test_objects_of_plain_fields_complete_as_graphql_core_completes_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    taken: list[bool] = []
    complete = LeanExecutionContext.complete_flat

    def counted(self: LeanExecutionContext, flat: Any, source: Any) -> Any:
        value = complete(self, flat, source)
        taken.append(value is not None and not isinstance(value, dict | list))
        return value

    monkeypatch.setattr(LeanExecutionContext, "complete_flat", counted)
    lean = await small_schema(lean=True).execute(HOLDERS)
    reference = await small_schema(lean=False).execute(HOLDERS)
    assert lean.data == reference.data
    assert sorted((e.message, tuple(e.path or ())) for e in lean.errors or ()) == sorted(
        (e.message, tuple(e.path or ())) for e in reference.errors or ()
    )
    assert lean.data is not None
    first = lean.data["holders"][0]
    assert first["rows"] == [{"name": "a", "nickname": None, "colour": "RED"}, None]
    assert first["cost"] == {"amount": 2.5, "currency": "EUR"}
    assert list(first) == ["rows", "strictRows", "cost", "costs", "alias"]
    assert lean.data["holders"][1] is None  # a null name where none may be, in strictRows
    assert lean.errors
    # most fields took the shortcut; the bad values went back to graphql-core
    assert taken.count(False) >= 8 and taken.count(True) >= 2


def counting_extension(seen: list[str]) -> Callable[[], SchemaExtension]:
    class SeesEveryField(SchemaExtension):
        def resolve(
            self,
            _next: Callable[..., Any],
            root: Any,
            info: GraphQLResolveInfo,
            *args: Any,
            **kwargs: Any,
        ) -> Any:
            seen.append(info.field_name)
            return _next(root, info, *args, **kwargs)

    return SeesEveryField


async def test_an_extension_with_a_resolve_hook_sees_every_field() -> None:
    seen: list[str] = []
    result = await small_schema(lean=True, extensions=(counting_extension(seen),)).execute(
        "{ rows { nickname count } }"
    )
    assert result.data is not None
    assert seen.count("nickname") == 6
    assert seen.count("count") == 6


VARYING = """query ($withName: Boolean!) { credentials(first: 4) { nodes {
  id issuer { id name } cost { amount currency } skills { id name @include(if: $withName) }
  occupations { id name } } } }"""


async def test_selections_remembered_across_requests_answer_every_request_right(
    store: GraphStore,
) -> None:
    """With the document parsed once (as the server's document cache does), a selection
    that depends on the document alone is worked out once; one a variable changes is worked
    out per request: each answer still equals the reference executor's."""
    cached = build_api_schema(limit_extensions(ApiSettings()))
    for with_name in (True, False, True, False):
        variables = {"withName": with_name}
        lean = await cached.execute(VARYING, variables, context_value=make_context(store))
        reference = await REFERENCE.execute(VARYING, variables, context_value=make_context(store))
        assert lean.errors is None and lean.data == reference.data
        skills = [s for n in lean.data["credentials"]["nodes"] for s in n["skills"]]
        assert skills and all(("name" in s) is with_name for s in skills)


PAGE = """{ credentials(first: 10) { totalCount edges { cursor node {
  id name type durationHours cost { amount currency } issuer { id name country }
  skills { id name framework } } } pageInfo { hasNextPage endCursor } } }"""


async def test_a_page_of_flat_credentials_completes_without_a_field_call_per_credential(
    store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`edges { cursor node { ... issuer { ... } skills { ... } } }` is flat at every depth:
    graphql-core executes the `credentials` field itself, and nothing per edge."""
    executed: list[str] = []
    execute_field = LeanExecutionContext.execute_field

    def counted(self: LeanExecutionContext, parent_type: Any, source: Any, details: Any,
                *args: Any) -> Any:  # fmt: skip
        executed.append(details[0].node.name.value)
        return execute_field(self, parent_type, source, details, *args)

    monkeypatch.setattr(LeanExecutionContext, "execute_field", counted)
    lean = await SCHEMA.execute(PAGE, context_value=make_context(store))
    reference = await REFERENCE.execute(PAGE, context_value=make_context(store))
    assert lean.errors is None and lean.data == reference.data
    assert lean.data is not None and len(lean.data["credentials"]["edges"]) > 1
    assert executed == ["credentials"]  # counted on the lean executor only


def holder(rows: list[Row | None], strict_rows: list[Row], cost: Cost | None) -> Holder:
    return Holder(rows=rows, strict_rows=strict_rows, cost=cost, costs=[])


@strawberry.type
class Shelf:
    label: str
    holders: list[Holder]


@strawberry.type
class ShelfQuery:
    @strawberry.field
    def shelves(self) -> list[Shelf | None]:
        good = Row(name="a", nickname=None, colour=Colour.RED, odd=Odd(3), count=1)
        bad = Row(name=None, nickname="b", colour=Colour.RED, odd=Odd(5), count=2)  # type: ignore[arg-type]
        cost = Cost(amount=2.5, currency="EUR")
        return [
            Shelf(label="fine", holders=[holder([good], [good], cost)]),
            Shelf(label="deep null", holders=[holder([good], [good, bad], None)]),
            Shelf(label="deep odd", holders=[holder([bad], [good], cost)]),
        ]


SHELVES = """{ shelves { label holders { rows { name odd } strictRows { name }
  cost { amount } } } }"""


async def test_objects_flat_in_turn_answer_and_fail_as_graphql_core_does() -> None:
    """Nested flat objects: a bad value two levels down is reported by graphql-core at its
    path, with the same null propagation, and the rest of the answer is unchanged."""

    def schema(lean: bool) -> strawberry.Schema:
        return strawberry.Schema(
            query=ShelfQuery,
            execution_context_class=LeanExecutionContext if lean else None,
            config=StrawberryConfig(scalar_map={Odd: ODD}),
        )

    lean = await schema(True).execute(SHELVES)
    reference = await schema(False).execute(SHELVES)
    assert lean.data == reference.data
    assert sorted((e.message, tuple(e.path or ())) for e in lean.errors or ()) == sorted(
        (e.message, tuple(e.path or ())) for e in reference.errors or ()
    )
    assert lean.data is not None
    assert lean.data["shelves"][0] == {
        "label": "fine",
        "holders": [{"rows": [{"name": "a", "odd": 3}], "strictRows": [{"name": "a"}],
                     "cost": {"amount": 2.5}}],
    }  # fmt: skip
    assert lean.data["shelves"][1] is None  # a null name in strictRows: up to the non-null list
    assert lean.data["shelves"][2]["holders"][0]["rows"] == [None]
    assert {tuple(e.path or ()) for e in lean.errors or ()} == {
        ("shelves", 1, "holders", 0, "strictRows", 1, "name"),
        ("shelves", 2, "holders", 0, "rows", 0, "name"),
    }


async def test_an_enum_member_completes_once_per_schema(monkeypatch: pytest.MonkeyPatch) -> None:
    """What a member completes to is remembered: a second answer asks graphql-core for no
    enum at all, and is the same answer, the value the enum does not hold still an error."""
    schema = small_schema(lean=True)
    enums: list[Any] = []
    complete = LeanExecutionContext.complete_leaf_value

    def counted(return_type: Any, result: Any) -> Any:
        if return_type.name == "Colour":
            enums.append(result)
        return complete(return_type, result)

    # graphql-core declares it a static method
    monkeypatch.setattr(LeanExecutionContext, "complete_leaf_value", staticmethod(counted))
    first = await schema.execute(SMALL)
    met = len(enums)
    second = await schema.execute(SMALL)
    assert first.data == second.data and first.data is not None
    assert [r and r["colour"] for r in first.data["rows"]] == [
        "RED",
        None,
        None,
        "RED",
        None,
        None,
    ]
    assert Colour.RED in enums[:met] and Colour.RED not in enums[met:]
    assert [e.message for e in first.errors or ()] == [e.message for e in second.errors or ()]


async def test_remembered_selections_go_with_their_documents(store: GraphStore) -> None:
    """Selections were kept 4,096 at a time, each holding its document's whole text through
    its nodes' locations: documents padded with a comment to the 1 MB a request may carry
    held gigabytes. They are kept per operation now, as long as its document is."""
    import gc

    from credgraph.api.documents import MAX_CACHED_QUERY_CHARS
    from credgraph.api.execution import _FLAT_SELECTIONS

    def kept() -> int:  # selections remembered, over every schema and operation
        return sum(
            len(selections)
            for by_operation in _FLAT_SELECTIONS.values()
            for selections in by_operation.values()
        )

    schema = build_api_schema(limit_extensions(ApiSettings()))  # its checked-document cache
    gc.collect()
    before = kept()
    short = "{ credentials(first: 2) { edges { node { id url } } } }"  # the cache keeps it
    result = await schema.execute(short, context_value=make_context(store))
    assert not result.errors
    gc.collect()
    assert kept() > before  # remembered as long as its document is
    before = kept()
    for n in range(3):  # too long for the checked-document cache: nothing else keeps them
        padding = f"# {n} " + "x" * MAX_CACHED_QUERY_CHARS
        # the cached query's own text: its operation node equals the cached one's (nodes
        # compare by content), which must not make the padded text live as long
        query = short + "\n" + padding
        result = await schema.execute(query, context_value=make_context(store))
        assert not result.errors and result.data and result.data["credentials"]["edges"]
    gc.collect()
    assert kept() == before
