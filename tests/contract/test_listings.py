"""Contract: issuer, skill and occupation listings and the bulk reads behind nested fields
answer the same on every adapter."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

import pytest

from credgraph.errors import InvalidQuery
from credgraph.model import (
    Credential,
    CredentialType,
    Issuer,
    Money,
    Occupation,
    OccupationLink,
    Skill,
)
from credgraph.model.views import Page
from credgraph.store import GraphStore
from credgraph.store.query import CredentialSort, Cursor, SortField
from tests.contract import data
from tests.contract.test_writes import load
from tests.stores import history_of

ACME_2 = Issuer("issuer:acme-2", "ACME  academy")  # the same name key as data.ACME
DATA_SCHOOL = Issuer("https://data-school.example", "Data School", country="us")
AKADEMIE = Issuer("https://datenakademie.example", "Data Akademie", country="DE")
READING = Skill("onet:2.A.1.a", "Data reading", framework="O*NET", code="2.A.1.a")
CLEANING = Skill("label:data cleaning", "Data cleaning")
ARCHITECTS = Occupation(
    "onet:15-1243.00", "Database Architects", code="15-1243.00", framework="O*NET-SOC"
)
KEYERS = Occupation(
    "onet:43-9021.00", "Data Entry Keyers", code="43-9021.00", framework="O*NET-SOC"
)
ASTRONAUT = Occupation("label:astronaut", "Astronaut")  # only ever mentioned: a stub

ISSUERS = [
    data.ACME.id,
    ACME_2.id,
    AKADEMIE.id,
    DATA_SCHOOL.id,
    data.NOBODY.id,
    data.ACCREDITOR.id,
    data.UNI.id,
]
SKILLS = [
    data.CLOUD.id,
    CLEANING.id,
    data.ETHICS.id,
    READING.id,
    data.DEVOPS.id,
    data.PY.id,
    data.SQL.id,
    data.STATS.id,
]
OCCUPATIONS = [ASTRONAUT.id, KEYERS.id, data.DATA_SCI.id, data.DBA.id, ARCHITECTS.id]

Lister = Callable[[int, str | None], Awaitable[Page[Any]]]


async def loaded(store: GraphStore) -> GraphStore:
    await load(store)
    await store.upsert_issuers([ACME_2, DATA_SCHOOL, AKADEMIE])
    await store.upsert_skills([READING, CLEANING])
    await store.upsert_occupations([ARCHITECTS, KEYERS])
    space = Credential(
        "https://nobody.example/c/space",
        "Space Basics",
        CredentialType.COURSE,
        occupations=(OccupationLink(ASTRONAUT),),
        provenance=data.prov("src-b", "https://nobody.example"),
    )
    assert (await store.upsert_credentials([space])).created == 1
    return store


async def walk(lister: Lister, first: int) -> list[str]:
    """Every page of a listing in turn; checks each page's shape on the way."""
    seen: list[str] = []
    after: str | None = None
    total: int | None = None
    while True:
        page = await lister(first, after)
        assert len(page.items) <= first and len(page.cursors) == len(page.items)
        assert total is None or page.total_count == total
        total = page.total_count
        seen += [item.id for item in page.items]
        if page.items:
            assert page.end_cursor == page.cursors[-1]
        if not page.has_next_page:
            assert page.total_count == len(seen)
            return seen
        assert page.end_cursor is not None
        after = page.end_cursor


def issuers(store: GraphStore, text: str | None = None, country: str | None = None) -> Lister:
    return lambda first, after: store.list_issuers(text, country, first, after)


def skills(store: GraphStore, text: str | None = None, framework: str | None = None) -> Lister:
    return lambda first, after: store.list_skills(text, framework, first, after)


def occupations(
    store: GraphStore, text: str | None = None, code_prefix: str | None = None
) -> Lister:
    return lambda first, after: store.list_occupations(text, code_prefix, first, after)


LISTINGS: list[tuple[str, Callable[[GraphStore], Lister], list[str]]] = [
    ("issuers", issuers, ISSUERS),
    ("skills", skills, SKILLS),
    ("occupations", occupations, OCCUPATIONS),
    ("issuers in US", lambda s: issuers(s, country="US"), [data.ACME.id, DATA_SCHOOL.id]),
    ("issuers in de", lambda s: issuers(s, country=" de "), [AKADEMIE.id, data.ACCREDITOR.id]),
    ("issuers nowhere", lambda s: issuers(s, country="FR"), []),
    ("issuers: data", lambda s: issuers(s, "data"), [data.ACME.id, AKADEMIE.id, DATA_SCHOOL.id]),
    ("issuers: zurich", lambda s: issuers(s, "zurich"), [data.UNI.id]),
    ("issuers: data in US", lambda s: issuers(s, "data", "us"), [data.ACME.id, DATA_SCHOOL.id]),
    ("skills in onet", lambda s: skills(s, framework="onet"), [READING.id]),
    ("skills in ESCO", lambda s: skills(s, framework="ESCO"), [data.PY.id, data.SQL.id]),
    ("skills: data", lambda s: skills(s, "data"), [CLEANING.id, data.ETHICS.id, READING.id]),
    ("skills: alt label", lambda s: skills(s, "structured query", "esco"), [data.SQL.id]),
    (
        "occupations 15-",
        lambda s: occupations(s, code_prefix="15-"),
        [data.DATA_SCI.id, data.DBA.id, ARCHITECTS.id],
    ),
    ("occupations, empty prefix", lambda s: occupations(s, code_prefix=""), OCCUPATIONS),
    (
        "occupations: data",
        lambda s: occupations(s, "data"),
        [KEYERS.id, data.DATA_SCI.id, data.DBA.id, ARCHITECTS.id],
    ),
    (
        "occupations: database 15-",
        lambda s: occupations(s, "database", "15-"),
        [data.DBA.id, ARCHITECTS.id],
    ),
    ("occupations: no words", lambda s: occupations(s, " ?! "), []),
    ("occupations: syntax", lambda s: occupations(s, '"data* -( :'), OCCUPATIONS[1:]),
    ("skills: nothing", lambda s: skills(s, "knitting"), []),
]


@pytest.mark.parametrize(
    ("lister", "expected"), [(m, e) for _, m, e in LISTINGS], ids=[n for n, _, _ in LISTINGS]
)
async def test_every_page_in_name_order(
    store: GraphStore, lister: Callable[[GraphStore], Lister], expected: list[str]
) -> None:
    await loaded(store)
    for first in (1, 2, 50):
        assert await walk(lister(store), first) == expected, first


async def test_pages_carry_records_and_stubs(store: GraphStore) -> None:
    await loaded(store)
    page = await store.list_occupations(first=1)
    assert page.items == (ASTRONAUT,) and page.has_next_page and page.total_count == 5
    page = await store.list_issuers(country="ch", first=5)
    assert [i.name for i in page.items] == ["Universität Zürich"]
    page = await store.list_skills("python", first=5)
    assert page.items == (data.PY,)


async def test_empty_page_and_empty_store(store: GraphStore) -> None:
    for listed in (
        await store.list_issuers(),
        await store.list_skills(),
        await store.list_occupations(),
    ):
        assert listed == Page((), (), None, False, 0)
    await loaded(store)
    zero = await store.list_skills(first=0)
    assert zero.items == () and zero.has_next_page and zero.total_count == len(SKILLS)


async def test_bad_cursors_and_page_sizes(store: GraphStore) -> None:
    await loaded(store)
    credentials = await store.list_credentials(sort=CredentialSort(SortField.COST), first=1)
    other_order = credentials.end_cursor
    not_a_name = Cursor("NAME", False, 3, "x").encode()
    for list_nodes in (store.list_issuers, store.list_skills, store.list_occupations):
        with pytest.raises(InvalidQuery, match="not a valid cursor"):
            await list_nodes(None, None, 5, "zz")
        with pytest.raises(InvalidQuery, match="not a valid cursor"):
            await list_nodes(None, None, 5, not_a_name)
        with pytest.raises(InvalidQuery, match="another sort order"):
            await list_nodes(None, None, 5, other_order)
        with pytest.raises(InvalidQuery, match="over the limit"):
            await list_nodes(None, None, 5000, None)
        with pytest.raises(InvalidQuery):
            await list_nodes(None, None, -1, None)


async def test_required_skills_in_bulk_agree_with_one_by_one(store: GraphStore) -> None:
    await loaded(store)
    asked = [data.DATA_SCI.id, data.DBA.id, "onet:00-0000.00", data.DATA_SCI.id, ASTRONAUT.id]
    many = await store.occupation_required_skills_many(asked)
    assert set(many) == set(asked)
    for occupation_id in asked:
        assert many[occupation_id] == await store.occupation_required_skills(occupation_id)
    assert [r.skill_id for r in many[data.DATA_SCI.id]][:2] == [data.STATS.id, data.PY.id]
    assert await store.occupation_required_skills_many([]) == {}


async def test_history_in_bulk_agrees_with_one_by_one(store: GraphStore) -> None:
    await loaded(store)
    da, basics = data.credentials()[:2]
    await store.upsert_credentials([replace(basics, cost=Money(39.0, "USD"))])
    await store.upsert_credentials([replace(basics, cost=Money(29.0, "USD"))])
    await store.upsert_credentials([replace(da, duration_hours=41.0)])
    asked = [basics.id, da.id, data.credentials()[2].id, "https://nope.example"]
    many = await store.credential_history_many(asked)
    assert set(many) == set(asked)
    for credential_id in asked:
        assert many[credential_id] == await history_of(store, credential_id)
    assert [len(many[i]) for i in asked] == [2, 1, 0, 0]
    assert [c.changes[0].new for c in many[basics.id]] == [
        {"amount": 39.0, "currency": "USD"},
        {"amount": 29.0, "currency": "USD"},
    ]
    assert await store.credential_history_many([]) == {}
