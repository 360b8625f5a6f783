"""Contract: a read under a projection carries the same values as the whole view for what it
names (flat fields, issuer, skills and occupations in the record's order), on every adapter."""

from __future__ import annotations

from dataclasses import replace

import pytest

from credgraph.model.records import Skill
from credgraph.model.views import CredentialView, Projection
from credgraph.store import GraphStore, open_store
from credgraph.store.query import CredentialFilter, CredentialSort, SortField
from tests.contract import data
from tests.contract.test_writes import load
from tests.stores import wipe_neo4j

EVERYTHING = Projection(issuer=True, skills=True, occupations=True, total_count=False)


def flat(view: CredentialView) -> tuple[object, ...]:
    c = view.credential
    return (
        c.id,
        c.name,
        c.type,
        c.ctid,
        c.url,
        c.language,
        c.duration_hours,
        c.cost,
        view.transparency.score,
    )


def issuer(view: CredentialView) -> tuple[object, ...] | None:
    i = view.issuer
    return None if i is None else (i.id, i.name, i.country, i.ctid, i.url)


def skills(view: CredentialView) -> list[tuple[object, ...]]:
    return [
        (s.skill.id, s.skill.name, s.skill.framework, s.skill.uri, s.skill.code)
        for s in view.skills
    ]


def occupations(view: CredentialView) -> list[tuple[object, ...]]:
    return [
        (
            o.occupation.id,
            o.occupation.name,
            o.occupation.framework,
            o.occupation.uri,
            o.occupation.code,
        )
        for o in view.occupations
    ]


def assert_same(projected: CredentialView, whole: CredentialView, p: Projection) -> None:
    assert flat(projected) == flat(whole)
    assert issuer(projected) == (issuer(whole) if p.issuer else None)
    assert skills(projected) == (skills(whole) if p.skills else [])
    assert occupations(projected) == (occupations(whole) if p.occupations else [])


PROJECTIONS = [
    Projection(),
    Projection(issuer=True),
    Projection(skills=True),
    Projection(occupations=True),
    EVERYTHING,
]


@pytest.mark.parametrize("projection", PROJECTIONS, ids=repr)
async def test_projected_lookup_equals_whole_view_on_what_it_names(
    store: GraphStore, projection: Projection
) -> None:
    await load(store)
    ids = [c.id for c in data.credentials()]
    whole = await store.get_credentials(ids)
    projected = await store.get_credentials([*ids, "https://nope.example"], projection)
    assert [v.id for v in projected] == ids
    for p, w in zip(projected, whole, strict=True):
        assert_same(p, w, projection)


async def test_projected_skills_keep_the_record_order(store: GraphStore) -> None:
    await load(store)
    msc = data.credentials()[3]
    # Reversed: an order the edges or ids would not give by chance.
    reordered = replace(msc, skills=tuple(reversed(msc.skills)))
    await store.upsert_credentials([reordered])
    [view] = await store.get_credentials([msc.id], EVERYTHING)
    assert [s.skill.id for s in view.skills] == [s.skill.id for s in reordered.skills]
    assert [o.occupation.id for o in view.occupations] == [data.DATA_SCI.id]


@pytest.mark.parametrize(
    "sort",
    [
        CredentialSort(),
        CredentialSort(SortField.COST, descending=True),
        CredentialSort(SortField.HOURS),
    ],
    ids=lambda s: f"{s.field.value}{'-desc' if s.descending else ''}",
)
async def test_projected_pages_equal_whole_pages(store: GraphStore, sort: CredentialSort) -> None:
    await load(store)
    for f in (None, CredentialFilter(occupations=(data.DBA.id,)), CredentialFilter(text="SQL")):
        after: str | None = None
        projected_after: str | None = None
        while True:
            whole = await store.list_credentials(f, sort, first=2, after=after)
            projected = await store.list_credentials(
                f, sort, first=2, after=projected_after, projection=EVERYTHING
            )
            assert projected.total_count == 0
            assert [v.id for v in projected.items] == [v.id for v in whole.items]
            assert projected.cursors == whole.cursors
            assert projected.has_next_page == whole.has_next_page
            for p, w in zip(projected.items, whole.items, strict=True):
                assert_same(p, w, EVERYTHING)
            if not whole.has_next_page:
                break
            after, projected_after = whole.end_cursor, projected.end_cursor


async def test_a_projected_page_counts_when_asked(store: GraphStore) -> None:
    await load(store)
    f = CredentialFilter(skills=(data.SQL.id,))
    whole = await store.list_credentials(f, first=1)
    counted = await store.list_credentials(f, first=1, projection=Projection(total_count=True))
    assert counted.total_count == whole.total_count == 3
    empty = await store.list_credentials(
        CredentialFilter(skills=("label:nothing",)), first=1, projection=Projection()
    )
    assert empty.items == () and not empty.has_next_page


async def test_a_skill_stub_is_read_with_its_stored_fields(store: GraphStore) -> None:
    await load(store)
    await store.upsert_skills([Skill(data.DEVOPS.id, "DevOps", framework="ESCO", code="d1")])
    [whole] = await store.get_credentials(["https://acme.example/badges/cloud"])
    [projected] = await store.get_credentials(["https://acme.example/badges/cloud"], EVERYTHING)
    assert skills(projected) == skills(whole)
    assert ("label:devops", "DevOps", "ESCO", None, "d1") in skills(projected)


@pytest.mark.neo4j
async def test_neo4j_nodes_written_before_the_link_order_was_kept_read_it_from_documents(
    neo4j_url: str,
) -> None:
    from neo4j import AsyncGraphDatabase

    await wipe_neo4j(neo4j_url)
    async with open_store(neo4j_url) as store:
        await load(store)
        ids = [c.id for c in data.credentials()]
        whole = await store.get_credentials(ids)
        async with AsyncGraphDatabase.driver(neo4j_url, auth=None) as driver:
            await driver.execute_query("MATCH (c:Credential) REMOVE c.skill_ids, c.occupation_ids")
        projected = await store.get_credentials(ids, EVERYTHING)
        page = await store.list_credentials(first=10, projection=EVERYTHING)
    for p, w in zip(projected, whole, strict=True):
        assert_same(p, w, EVERYTHING)
    by_id = {w.id: w for w in whole}
    for p in page.items:
        assert_same(p, by_id[p.id], EVERYTHING)


NARROW = replace(
    EVERYTHING,
    credential_fields=frozenset({"duration_hours", "cost_amount", "cost_currency"}),
    issuer_fields=frozenset({"country"}),
    skill_fields=frozenset({"framework"}),
    occupation_fields=frozenset(),
)


async def test_a_narrowed_projection_reads_only_the_fields_it_names(store: GraphStore) -> None:
    """Of the flat fields, a projection's `*_fields` are read and equal the whole view's; the
    others come back None (ids, names and the credential's type are always read), in lookups
    and pages alike."""
    await load(store)
    ids = [c.id for c in data.credentials()]
    whole = {v.id: v for v in await store.get_credentials(ids)}
    page = await store.list_credentials(first=50, projection=NARROW)
    for view in [*await store.get_credentials(ids, NARROW), *page.items]:
        w, c = whole[view.id], view.credential
        assert (c.id, c.name, c.type) == (w.credential.id, w.credential.name, w.credential.type)
        assert (c.duration_hours, c.cost) == (w.credential.duration_hours, w.credential.cost)
        assert c.ctid is None and c.url is None and c.language is None
        assert view.transparency.score == 0.0
        if w.issuer is not None:
            assert view.issuer is not None
            assert (view.issuer.id, view.issuer.name) == (w.issuer.id, w.issuer.name)
            assert view.issuer.country == w.issuer.country
            assert view.issuer.ctid is None and view.issuer.url is None
        assert [(s.skill.id, s.skill.name, s.skill.framework) for s in view.skills] == [
            (s.skill.id, s.skill.name, s.skill.framework) for s in w.skills
        ]
        assert all(s.skill.uri is None and s.skill.code is None for s in view.skills)
        assert [o.occupation.id for o in view.occupations] == [
            o.occupation.id for o in w.occupations
        ]
        assert all(o.occupation.code is None for o in view.occupations)
    assert any(v.skills for v in page.items) and any(v.issuer for v in page.items)
