"""Ids, search text, filters and cursors aimed at SQL, FTS5, Cypher and Lucene syntax, through
the store port of each adapter: no error but InvalidQuery, no extra data (the same answer as
the text reduced to its words), and the store unchanged afterwards."""

from __future__ import annotations

import base64
import json

import pytest

from credgraph.errors import InvalidQuery
from credgraph.model.values import NodeKind
from credgraph.store import GraphStore
from credgraph.store.query import CredentialFilter, CredentialSort, SortField
from tests.security.payloads import PAYLOADS, SAMPLE, as_words
from tests.security.snapshot import snapshot

KNOWN = "https://acme.example/badges/data-analyst"


async def hit_ids(store: GraphStore, text: str) -> list[tuple[str, str]]:
    return [(str(h.kind), h.id) for h in await store.search(text, limit=50)]


async def test_search_text_is_matched_as_words_never_as_syntax(store: GraphStore) -> None:
    before = await snapshot(store)
    everything = {i for w in ("data", "python", "sql", "acme") for i in await hit_ids(store, w)}
    assert everything, "the graph must hold something to leak"
    for payload in PAYLOADS:
        got = await hit_ids(store, payload)
        assert got == await hit_ids(store, as_words(payload)), payload
    assert await snapshot(store) == before


async def test_listing_text_and_prefixes_are_not_syntax(store: GraphStore) -> None:
    before = await snapshot(store)
    for payload in SAMPLE:
        words = as_words(payload)
        for listing in (store.list_issuers, store.list_skills, store.list_occupations):
            page = await listing(text=payload)
            same = await listing(text=words)
            assert [i.id for i in page.items] == [i.id for i in same.items], (listing, payload)
        found = await store.list_credentials(CredentialFilter(text=payload))
        expected = await store.list_credentials(CredentialFilter(text=words))
        assert [v.credential.id for v in found.items] == [v.credential.id for v in expected.items]
        # a code prefix or framework is compared as it is: LIKE wildcards match nothing
        prefixed = await store.list_occupations(code_prefix=payload)
        assert all(o.code and o.code.startswith(payload) for o in prefixed.items), payload
        framework = await store.list_skills(framework=payload)
        assert len(framework.items) <= len((await store.list_skills()).items)
    assert await snapshot(store) == before


async def test_crafted_ids_find_nothing(store: GraphStore) -> None:
    before = await snapshot(store)
    for payload in SAMPLE:
        assert await store.get_credentials([payload]) == []
        assert await store.get_issuers([payload]) == []
        assert await store.get_skills([payload]) == []
        assert await store.get_occupations([payload]) == []
        assert await store.resolve_credential_ids([payload]) == {}
        assert await store.similar(payload) == []
        assert await store.occupation_required_skills(payload) == []
        assert [i async for i in store.neighbourhood([payload], 2)] == []
        comparison = await store.compare([payload, KNOWN])
        assert await store.skill_sets([payload]) == {}
        assert comparison is not None
        for filter in (
            CredentialFilter(issuer=payload),
            CredentialFilter(skills=(payload,)),
            CredentialFilter(occupations=(payload,)),
        ):
            page = await store.list_credentials(filter)
            assert not page.items and page.total_count == 0, (filter, payload)
        assert await store.equivalents_many([payload]) in ({}, {payload: []})
    assert await snapshot(store) == before


def cursor(*parts: object) -> str:
    raw = json.dumps(list(parts)).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@pytest.mark.parametrize("field", [SortField.NAME, SortField.COST, SortField.LAST_SEEN])
async def test_crafted_cursors_are_refused_or_read_as_values(
    store: GraphStore, field: SortField
) -> None:
    before = await snapshot(store)
    sort = CredentialSort(field)
    values: list[object] = [*SAMPLE[:6], {"$ne": None}, ["a", 1], 2**70, -1e308, None, True]
    for value in values:
        for last_id in ("' OR 1=1 --", "}) MATCH (n) DETACH DELETE n //"):
            try:
                page = await store.list_credentials(
                    None, sort, 5, cursor(field, False, value, last_id)
                )
            except InvalidQuery:
                continue
            assert len(page.items) <= 5
    for listing in (store.list_issuers, store.list_skills, store.list_occupations):
        for token in ("' OR 1=1 --", cursor("' OR 1=1", 1, {"x": 1}), cursor(None, None)):
            with pytest.raises(InvalidQuery):
                await listing(after=token)
    assert await snapshot(store) == before


async def test_search_kinds_and_limits_hold_under_hostile_text(store: GraphStore) -> None:
    for payload in ("*:*", "* OR 1=1", '"*'):
        hits = await store.search(payload, kinds=[NodeKind.SKILL], limit=3)
        assert len(hits) <= 3 and all(h.kind == NodeKind.SKILL for h in hits)
