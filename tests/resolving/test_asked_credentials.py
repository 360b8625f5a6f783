"""A job posting's asked credentials go through the resume-name resolver when no stored
credential has the name exactly: published codes and acronyms count when the match is
confident, names the graph does not hold and ambiguous ones count for nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from credgraph.ingest.asked_credentials import by_name, resolve_asked
from credgraph.model.jobs import AskedCredential, JobPosting
from credgraph.store import GraphStore
from tests.resolving.catalog import CREDENTIALS, PMP, SAA, SECURITY_PLUS
from tests.stores import STORES
from tests.stores import empty_store as opened_empty


@pytest.fixture(params=STORES)
async def empty_store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[GraphStore]:
    async with opened_empty(request, tmp_path) as opened:
        yield opened


async def test_names_resolve_exactly_or_confidently(empty_store: GraphStore) -> None:
    await empty_store.upsert_credentials(CREDENTIALS)
    exact = next(c for c in CREDENTIALS if c.id == PMP).name
    hits = await by_name(
        empty_store,
        [
            exact,
            "AWS SAA-C03",
            "CompTIA Security+",
            "Bachelor of Arts in History",
            "5 years of experience",
        ],
    )
    assert hits == {exact: PMP, "AWS SAA-C03": SAA, "CompTIA Security+": SECURITY_PLUS}


async def test_a_posting_asks_for_what_its_qualifications_name(empty_store: GraphStore) -> None:
    await empty_store.upsert_credentials(CREDENTIALS)
    posting = JobPosting(
        "https://jobs.example/1",
        "Cloud engineer",
        qualifications="AWS SAA-C03 certification preferred; a degree in history",
        asked=(AskedCredential("PMP"),),
    )
    [resolved] = await resolve_asked(empty_store, [posting])
    assert set(resolved.asked_ids) == {SAA, PMP}
