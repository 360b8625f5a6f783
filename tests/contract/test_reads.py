"""Contract: lookups, filters, sorts, keyset pages and search answer the same on every adapter."""

from __future__ import annotations

import pytest

from credgraph.errors import InvalidQuery
from credgraph.model import Credential, CredentialType, Money, NodeKind
from credgraph.store import GraphStore
from credgraph.store.query import CredentialFilter, CredentialSort, SortField
from tests.contract import data
from tests.contract.test_writes import load

DA = "https://acme.example/badges/data-analyst"
BASICS = "https://acme.example/badges/sql-basics"
CLOUD = "https://acme.example/badges/cloud"
MSC = "ce-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"
ETHICS = "https://nobody.example/c/ethics"
BARE = "https://nobody.example/c/empty"


async def ids(
    store: GraphStore,
    f: CredentialFilter | None = None,
    sort: CredentialSort | None = None,
    page: int = 100,
) -> list[str]:
    out: list[str] = []
    after = None
    while True:
        result = await store.list_credentials(f, sort, first=page, after=after)
        out += [v.id for v in result.items]
        if not result.has_next_page:
            return out
        after = result.end_cursor


async def test_get_many_keeps_order_and_drops_unknown(store: GraphStore) -> None:
    await load(store)
    views = await store.get_credentials([MSC, "https://nope.example", DA, MSC])
    assert [v.id for v in views] == [MSC, DA, MSC]
    assert await store.get_credentials([]) == []


async def test_resolve_by_id_ctid_or_source_url(store: GraphStore) -> None:
    await load(store)
    found = await store.resolve_credential_ids(
        [MSC.upper(), "https://uzh.example/msc-data", DA, "https://unknown.example"]
    )
    assert found == {MSC.upper(): MSC, "https://uzh.example/msc-data": MSC, DA: DA}
    # two spellings of one credential asked together: each resolves
    both = await store.resolve_credential_ids([MSC, MSC.upper(), MSC])
    assert both == {MSC: MSC, MSC.upper(): MSC}


@pytest.mark.parametrize(
    ("filter_", "expected"),
    [
        (CredentialFilter(), {DA, BASICS, CLOUD, MSC, ETHICS, BARE}),
        (CredentialFilter(issuer=data.ACME.id), {DA, BASICS, CLOUD}),
        (CredentialFilter(types=(CredentialType.BADGE, CredentialType.DEGREE)), {DA, MSC}),
        (CredentialFilter(skills=(data.SQL.id,)), {DA, BASICS, MSC}),
        (CredentialFilter(skills=(data.SQL.id, data.STATS.id)), {DA, MSC}),
        (CredentialFilter(occupations=(data.DBA.id,)), {DA, BASICS}),
        (CredentialFilter(max_cost=199.0), {DA, BASICS}),
        (CredentialFilter(max_hours=40), {DA, BASICS}),
        (CredentialFilter(text="sql"), {DA, BASICS, MSC}),
        (CredentialFilter(text="Datenwissenschaft"), {MSC}),
        (CredentialFilter(text="cloud devops", issuer=data.ACME.id), {CLOUD}),
        (CredentialFilter(text='"; DROP TABLE credentials; --'), set()),
        (CredentialFilter(text="sql", max_cost=100), {BASICS}),
    ],
)
async def test_filters(store: GraphStore, filter_: CredentialFilter, expected: set[str]) -> None:
    await load(store)
    assert set(await ids(store, filter_)) == expected
    page = await store.list_credentials(filter_, first=1)
    assert page.total_count == len(expected)


async def test_min_transparency_filter_matches_scores(store: GraphStore) -> None:
    await load(store)
    views = await store.get_credentials([DA, BASICS, CLOUD, MSC, ETHICS, BARE])
    threshold = sorted(v.transparency.score for v in views)[3]
    expected = {v.id for v in views if v.transparency.score >= threshold}
    assert set(await ids(store, CredentialFilter(min_transparency=threshold))) == expected


@pytest.mark.parametrize("field", list(SortField))
@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("page", [1, 2, 4])
async def test_sort_and_keyset_pages_agree(
    store: GraphStore, field: SortField, descending: bool, page: int
) -> None:
    await load(store)
    sort = CredentialSort(field, descending)
    all_at_once = await ids(store, sort=sort, page=100)
    assert await ids(store, sort=sort, page=page) == all_at_once
    assert sorted(all_at_once) == sorted([DA, BASICS, CLOUD, MSC, ETHICS, BARE])


async def test_sort_orders(store: GraphStore) -> None:
    await load(store)
    by_cost = await ids(store, sort=CredentialSort(SortField.COST))
    assert by_cost == [BASICS, DA, MSC, *sorted([CLOUD, ETHICS, BARE])]  # unknown cost last
    by_cost_desc = await ids(store, sort=CredentialSort(SortField.COST, descending=True))
    assert by_cost_desc[:3] == [MSC, DA, BASICS]  # unknown still last when descending
    assert set(by_cost_desc[3:]) == {CLOUD, ETHICS, BARE}
    by_skills = await ids(store, sort=CredentialSort(SortField.SKILL_COUNT, descending=True))
    assert by_skills[:2] == [MSC, DA]
    by_name = await ids(store, sort=CredentialSort(SortField.NAME))
    assert by_name[0] == BARE and by_name[-1] == BASICS
    names = [v.credential.name.casefold() for v in await store.get_credentials(by_name)]
    assert names == sorted(names)


async def test_keyset_is_stable_under_inserts(store: GraphStore) -> None:
    await load(store)
    first = await store.list_credentials(sort=CredentialSort(SortField.NAME), first=3)
    await store.upsert_credentials([Credential("https://new.example/a", "AAA first by name")])
    rest = await store.list_credentials(
        sort=CredentialSort(SortField.NAME), first=10, after=first.end_cursor
    )
    seen = [v.id for v in first.items] + [v.id for v in rest.items]
    assert len(seen) == len(set(seen)) == 6
    assert rest.total_count == 7


async def test_bad_cursors_and_page_sizes_are_query_errors(store: GraphStore) -> None:
    await load(store)
    page = await store.list_credentials(sort=CredentialSort(SortField.COST), first=2)
    with pytest.raises(InvalidQuery, match="another sort order"):
        await store.list_credentials(sort=CredentialSort(SortField.NAME), after=page.end_cursor)
    with pytest.raises(InvalidQuery, match="not a valid cursor"):
        await store.list_credentials(after="!!!not-a-cursor")
    with pytest.raises(InvalidQuery, match="over the limit"):
        await store.list_credentials(first=100_000)
    with pytest.raises(InvalidQuery):
        await store.list_credentials(first=-1)
    empty = await store.list_credentials(first=0)
    assert empty.items == () and empty.total_count == 6 and empty.has_next_page


async def test_search_across_kinds(store: GraphStore) -> None:
    await load(store)
    hits = await store.search("sql")
    kinds = {(h.kind, h.id) for h in hits}
    assert (NodeKind.SKILL, data.SQL.id) in kinds
    assert {(NodeKind.CREDENTIAL, DA), (NodeKind.CREDENTIAL, BASICS)} <= kinds
    assert hits == sorted(hits, key=lambda h: -h.score)
    zurich = await store.search("Zürich", kinds=[NodeKind.ISSUER])
    assert [h.id for h in zurich] == [data.UNI.id]
    assert [h.id for h in await store.search("zurich", kinds=[NodeKind.ISSUER])] == [data.UNI.id]
    only_skills = await store.search("structured query", kinds=[NodeKind.SKILL])
    assert [h.id for h in only_skills] == [data.SQL.id]  # alternative label
    assert [h.id for h in await store.search("Data Sci", kinds=[NodeKind.OCCUPATION])] == [
        data.DATA_SCI.id
    ]
    for hostile in ['sql" OR "1"="1', "NEAR(a b)", "*", "sql AND", "name:x", "\\", "((", ""]:
        await store.search(hostile)  # no syntax error escapes
    assert await store.search("zzzzqqq") == []


async def test_search_limit(store: GraphStore) -> None:
    await load(store)
    assert len(await store.search("data", limit=2)) == 2


async def test_compare_and_similar(store: GraphStore) -> None:
    await load(store)
    cmp = await store.compare([DA, MSC, "https://unknown.example"])
    assert cmp.credential_ids == (DA, MSC)
    assert set(cmp.shared_skill_ids) == {data.SQL.id, data.PY.id, data.STATS.id}
    assert cmp.unique_skill_ids == {DA: (), MSC: (data.ETHICS.id,)}
    assert cmp.jaccard[(DA, MSC)] == pytest.approx(3 / 4)
    similar = await store.similar(DA, k=3)
    assert [(s.credential_id, round(s.score, 3)) for s in similar] == [
        (MSC, 0.75),
        (BASICS, round(1 / 3, 3)),
    ]
    assert set(similar[0].shared_skill_ids) == {data.SQL.id, data.PY.id, data.STATS.id}
    assert await store.similar("https://unknown.example") == []


async def test_skill_gap_primitives(store: GraphStore) -> None:
    await load(store)
    required = await store.occupation_required_skills(data.DATA_SCI.id)
    assert [r.skill_id for r in required] == [
        data.STATS.id,
        data.PY.id,
        data.SQL.id,
        data.ETHICS.id,
        data.CLOUD.id,
    ]
    assert required[0].importance == 4.8 and required[0].relation == "essential"
    covering = await store.credentials_covering([data.ETHICS.id, data.CLOUD.id, data.PY.id])
    by_id = {c.credential_id: c.covered_skill_ids for c in covering}
    assert by_id[MSC] == {data.ETHICS.id, data.PY.id}
    assert by_id[CLOUD] == {data.CLOUD.id}
    assert by_id[ETHICS] == {data.ETHICS.id}
    assert covering[0].credential_id == MSC
    assert await store.occupation_required_skills("onet:00-0000.00") == []


async def test_stats(store: GraphStore) -> None:
    await load(store)
    s = await store.stats()
    assert (s.issuers, s.credentials, s.skills, s.occupations) == (4, 6, 6, 2)
    # 5 ISSUED_BY + 11 skill links + 4 PREPARES_FOR + 1 PART_OF + 1 REQUIRES + 1 credential
    # ACCREDITED_BY + 1 issuer ACCREDITED_BY + 5 REQUIRES_SKILL
    assert s.relationships == 29
    assert s.stale_credentials == 0


async def test_dangling_links_appear_when_their_target_arrives(store: GraphStore) -> None:
    part = Credential("https://x.example/part", "Part", part_of=("https://x.example/whole",))
    await store.upsert_credentials([part])
    assert (await store.stats()).relationships == 0
    [view] = await store.get_credentials([part.id])
    assert view.part_of == ()
    await store.upsert_credentials([Credential("https://x.example/whole", "Whole")])
    [whole] = await store.get_credentials(["https://x.example/whole"])
    assert whole.has_part == (part.id,)
    assert (await store.stats()).relationships == 1


async def test_part_of_lists_what_the_larger_credential_states(store: GraphStore) -> None:
    # A program states its courses (`hasPart`); a course states one program itself.
    course = Credential("https://x.example/course", "Course", part_of=("https://x.example/b",))
    program_a = Credential("https://x.example/a", "Program A", has_part=(course.id,))
    program_b = Credential("https://x.example/b", "Program B")
    await store.upsert_credentials([course, program_a, program_b])
    [view] = await store.get_credentials([course.id])
    assert view.part_of == (program_b.id, program_a.id)  # its own statement first
    [a] = await store.get_credentials([program_a.id])
    assert a.has_part == (course.id,)


async def test_cost_survives_as_money(store: GraphStore) -> None:
    await load(store)
    [msc] = await store.get_credentials([MSC])
    assert msc.credential.cost == Money(1500.0, "CHF")
    assert msc.credential.credits is not None and msc.credential.credits.unit == "ECTS"
