"""Contract: `total_count` is exact up to the count bound and a lower bound past it, on every
adapter and every listing; the bound changes counts only, never the pages."""

from __future__ import annotations

import pytest

from credgraph.errors import StoreURLError
from credgraph.model.views import Projection
from credgraph.store import GraphStore
from credgraph.store.counting import COUNT_BOUND_VARIABLE, count_bound
from credgraph.store.query import CredentialFilter, CredentialSort, SortField
from tests.contract.test_listings import ISSUERS, OCCUPATIONS, SKILLS, loaded
from tests.contract.test_reads import ids

ALL_CREDENTIALS = 6
SQL_MATCHES = 3  # text "sql": the data analyst badge, SQL basics, the MSc


@pytest.fixture(params=[2, 3, 6, 7], autouse=True)
def bound(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> int:
    """Set before the store opens (autouse fixtures come first), as an operator would."""
    monkeypatch.setenv(COUNT_BOUND_VARIABLE, str(request.param))
    return int(request.param)


def expected(matches: int, bound: int) -> tuple[int, bool]:
    return (matches, True) if matches <= bound else (bound, False)


@pytest.mark.parametrize(
    ("filter_", "matches"),
    [(None, ALL_CREDENTIALS), (CredentialFilter(text="sql"), SQL_MATCHES)],
)
async def test_credential_count_is_exact_up_to_the_bound(
    store: GraphStore, bound: int, filter_: CredentialFilter | None, matches: int
) -> None:
    await loaded(store)  # seven credentials with the space course; the filter drops it
    if filter_ is None:
        matches += 1
    for sort in (None, CredentialSort(SortField.COST, descending=True)):
        page = await store.list_credentials(filter_, sort, first=1)
        assert (page.total_count, page.total_count_exact) == expected(matches, bound)
        projected = await store.list_credentials(
            filter_, sort, first=1, projection=Projection(total_count=True)
        )
        assert (projected.total_count, projected.total_count_exact) == expected(matches, bound)


async def test_the_bound_leaves_pages_whole(store: GraphStore, bound: int) -> None:
    await loaded(store)
    sort = CredentialSort(SortField.NAME)
    walked = await ids(store, sort=sort, page=1)
    assert len(walked) == ALL_CREDENTIALS + 1 == len(set(walked))
    assert await ids(store, sort=sort, page=100) == walked


async def test_an_uncounted_page_says_nothing_of_its_count(store: GraphStore) -> None:
    await loaded(store)
    page = await store.list_credentials(first=1, projection=Projection(total_count=False))
    assert (page.total_count, page.total_count_exact) == (0, True)
    assert len(page.items) == 1 and page.has_next_page


async def test_node_listing_counts_are_bounded(store: GraphStore, bound: int) -> None:
    await loaded(store)
    issuers = await store.list_issuers(first=2)
    assert (issuers.total_count, issuers.total_count_exact) == expected(len(ISSUERS), bound)
    skills = await store.list_skills(first=2)
    assert (skills.total_count, skills.total_count_exact) == expected(len(SKILLS), bound)
    occupations = await store.list_occupations(first=1)
    assert (occupations.total_count, occupations.total_count_exact) == expected(
        len(OCCUPATIONS), bound
    )
    matches = len((await store.list_skills(text="data", first=100)).items)
    assert matches >= 2  # reading, cleaning, and any other skill named with "data"
    data_skills = await store.list_skills(text="data", first=1)
    assert (data_skills.total_count, data_skills.total_count_exact) == expected(matches, bound)


@pytest.mark.parametrize("raw", ["0", "-5", "ten", "1e4", "2000000000"])
def test_a_bad_bound_is_refused_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, raw: str
) -> None:
    monkeypatch.setenv(COUNT_BOUND_VARIABLE, raw)
    with pytest.raises(StoreURLError, match=COUNT_BOUND_VARIABLE):
        count_bound()


def test_the_default_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(COUNT_BOUND_VARIABLE, raising=False)
    assert count_bound() == 10_000
    monkeypatch.setenv(COUNT_BOUND_VARIABLE, " 250 ")
    assert count_bound() == 250
