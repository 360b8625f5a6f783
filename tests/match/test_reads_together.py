"""matchJob asks for the skills' candidates and the occupations' at once (`together.both`): on
Neo4j the server answers the two in parallel. Shown by a handshake, not by timing: the skills'
read waits for the occupations' to have begun, which could never happen if they ran one after
the other."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from credgraph.analysis.occupations import (
    SAME,
    RelatedOccupation,
    credentials_preparing,
    preparing_for,
    related_occupations,
)
from credgraph.errors import StoreError
from credgraph.match import matcher
from credgraph.store import GraphStore
from credgraph.store.query import CredentialFilter
from tests.api.conftest import errors, query

MATCH = "query($text: String) { matchJob(text: $text) { credentials { credential { id } } } }"
AD = "Data analyst: SQL, Python and statistics every day. O*NET 15-2051.00"
PATIENCE = 60.0  # a bound so a sequential version fails instead of hanging


Read = Callable[..., Awaitable[Any]]


def announcing(begun: asyncio.Event, read: Read) -> Read:
    """`read`, saying it has begun."""

    async def announced(*args: Any, **kwargs: Any) -> Any:
        begun.set()
        return await read(*args, **kwargs)

    return announced


def once(begun: asyncio.Event, read: Read) -> Read:
    """`read`, begun only once `begun` is set (given up after PATIENCE: a version that reads
    the other after this one fails rather than hangs)."""

    async def waiting(*args: Any, **kwargs: Any) -> Any:
        await asyncio.wait_for(begun.wait(), PATIENCE)
        return await read(*args, **kwargs)

    return waiting


async def test_skills_and_occupations_are_read_together(
    store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    occupations_begun = asyncio.Event()
    covered: list[Any] = []
    covering = once(occupations_begun, store.credentials_covering)

    async def covering_recorded(*args: Any, **kwargs: Any) -> Any:
        covered.append(args)
        return await covering(*args, **kwargs)

    monkeypatch.setattr(store, "credentials_covering", covering_recorded)
    monkeypatch.setattr(matcher, "_preparing", announcing(occupations_begun, matcher._preparing))
    data = await query(store, MATCH, {"text": AD})
    assert data["matchJob"]["credentials"]
    assert covered and occupations_begun.is_set()


async def test_an_occupations_first_reads_are_asked_together(
    store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its stated equivalents and the occupations of its SOC group need only the occupation:
    the equivalents' read waits for the group's to have begun."""
    group_begun = asyncio.Event()
    monkeypatch.setattr(store, "equivalents_many", once(group_begun, store.equivalents_many))
    monkeypatch.setattr(store, "list_occupations", announcing(group_begun, store.list_occupations))
    (scientists,) = await store.get_occupations(["onet:15-2051.00"])
    related = await related_occupations(store, scientists)
    assert related[0] == RelatedOccupation("onet:15-2051.00", SAME, 1.0)
    assert group_begun.is_set()


async def test_the_credentials_of_related_occupations_are_read_together(
    store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each occupation's read waits until every one has begun (fails if read one after the
    other); each credential is still kept under the first occupation that brings it."""
    ids = ["onet:15-2051.00", "onet:15-1242.00", "onet:15-2051.00"]
    related = [RelatedOccupation(i, SAME, 1.0 - n / 10) for n, i in enumerate(ids)]
    begun = 0
    all_begun = asyncio.Event()
    list_credentials = store.list_credentials

    async def once_all_begun(*args: Any, **kwargs: Any) -> Any:
        nonlocal begun
        begun += 1
        if begun == len(ids):
            all_begun.set()
        await asyncio.wait_for(all_begun.wait(), PATIENCE)
        return await list_credentials(*args, **kwargs)

    monkeypatch.setattr(store, "list_credentials", once_all_begun)
    found = await credentials_preparing(store, related)
    monkeypatch.setattr(store, "list_credentials", list_credentials)
    assert found
    by_occupation = {p.credential_id: p.occupation for p in found}
    first = {v.id for v in (await list_credentials(_stating(ids[0]), first=50)).items}
    assert first and all(by_occupation[c] is related[0] for c in first)
    assert len(found) == len(by_occupation)  # each once


def _stating(occupation_id: str) -> CredentialFilter:
    return CredentialFilter(occupations=(occupation_id,), exclude_stale=True)


async def test_an_occupations_own_credentials_are_read_while_its_relations_are_found(
    store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The occupation's read waits for its own credentials' read to have begun (fails if
    the relations came first); the answer is the long way's."""
    scientists = "onet:15-2051.00"
    (occupation,) = await store.get_occupations([scientists])
    long_way = await credentials_preparing(store, await related_occupations(store, occupation))
    assert long_way
    own_begun = asyncio.Event()
    monkeypatch.setattr(store, "get_occupations", once(own_begun, store.get_occupations))
    monkeypatch.setattr(store, "list_credentials", announcing(own_begun, store.list_credentials))
    assert await preparing_for(store, scientists) == long_way
    assert await preparing_for(store, "onet:00-0000.00") == []


async def test_the_jobs_own_skills_are_read_while_the_match_runs(
    store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The answer names the job's skills: their read begins before the match's own reads
    end (the covering credentials' read waits for it to have begun)."""
    skills_begun = asyncio.Event()
    covering = once(skills_begun, store.credentials_covering)
    monkeypatch.setattr(store, "credentials_covering", covering)
    monkeypatch.setattr(store, "get_skills", announcing(skills_begun, store.get_skills))
    text = "query($text: String) { matchJob(text: $text) { skills { name } credentials { why } } }"
    data = await query(store, text, {"text": AD})
    assert [s["name"] for s in data["matchJob"]["skills"]] == [
        "SQL",
        "Python (computer programming)",
        "Statistics",
    ]
    assert data["matchJob"]["credentials"]


async def test_a_failed_match_is_the_error_said(
    store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def failing(*args: Any, **kwargs: Any) -> Any:
        raise StoreError("the store went away")

    monkeypatch.setattr(store, "credentials_covering", failing)
    found = await errors(store, MATCH, {"text": AD})
    assert "went away" in str(found)


async def test_the_jobs_occupation_is_read_once(
    store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The match finds what stands for it and the answer names it: one read serves both."""
    asked: list[list[str]] = []
    get_occupations = store.get_occupations

    async def recorded(ids: Any) -> Any:
        asked.append(list(ids))
        return await get_occupations(ids)

    monkeypatch.setattr(store, "get_occupations", recorded)
    text = "query($text: String) { matchJob(text: $text) { occupations { code } credentials { why } } }"
    data = await query(store, text, {"text": AD})
    assert [o["code"] for o in data["matchJob"]["occupations"]] == ["15-2051.00"]
    assert any("prepares for Data Scientists" in m["why"] for m in data["matchJob"]["credentials"])
    assert [ids for ids in asked if "onet:15-2051.00" in ids] == [["onet:15-2051.00"]]
