"""A job posting linked to a node known only from a mention moves to the framework's node once
a taxonomy brings one, as a credential's link does (`relink.improves`): an alignment by code
to "O*NET Content Model" 2.A.1.e, crawled before O*NET, meets O*NET's 2.A.1.e after it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from credgraph.link import EXACT_CODE, load_linker
from credgraph.link.postings import link_posting, link_postings, relink_postings
from credgraph.model.jobs import JobPosting
from credgraph.model.records import Provenance, Skill, SkillLink
from credgraph.store import GraphStore
from tests.stores import STORES, empty_store

MENTIONED = Skill(
    "onet-content-model:2.A.1.e", "Mathematics", "O*NET Content Model", code="2.A.1.e"
)
ONET = Skill("onet:2.A.1.e", "Mathematics", "O*NET", code="2.A.1.e")
POSTING = JobPosting(
    id="https://jobs.example/analyst",
    title="Analyst",
    url="https://jobs.example/analyst",
    date_posted=date(2026, 11, 1),
    skills=(SkillLink(MENTIONED),),
    provenance=Provenance(
        "jobs", "https://jobs.example/", "jobposting", datetime(2026, 11, 2, tzinfo=UTC)
    ),
)


@pytest.fixture(params=STORES)
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[GraphStore]:
    async with empty_store(request, tmp_path, "postings.db") as opened:
        yield opened


async def test_a_posting_linked_to_a_mentions_node_moves_to_the_frameworks(
    store: GraphStore,
) -> None:
    linker = await load_linker(store)  # the catalog first: no O*NET yet
    [linked], _arrived = link_postings(linker, [POSTING])
    await store.upsert_job_postings([linked])
    [view] = await store.get_job_postings([POSTING.id])
    assert [s.skill.id for s in view.posting.skills] == [MENTIONED.id]

    await store.upsert_skills([ONET])  # the taxonomy arrives
    linker = await load_linker(store)
    assert await relink_postings(store, linker) == 1
    [view] = await store.get_job_postings([POSTING.id])
    [link] = view.posting.skills
    assert (link.skill.id, link.method) == (ONET.id, EXACT_CODE)
    # and linking again changes nothing
    assert link_posting(linker, view.posting) is view.posting
    assert await relink_postings(store, linker) == 0
