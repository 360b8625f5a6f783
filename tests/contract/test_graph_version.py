"""`graph_version`: one token that every kind of graph write changes, in its own transaction,
and that writes changing nothing, the crawl ledger and leases leave alone."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from credgraph.model import Credential, Issuer, Skill
from credgraph.model.crawl import CrawlRun
from credgraph.model.jobs import JobPosting
from credgraph.model.pathway import PathwayComponent, PublishedPathway
from credgraph.model.records import Equivalence, SkillRequirement
from credgraph.model.values import CrawlStatus, NodeKind
from credgraph.store import GraphStore
from credgraph.store.equivalence import CloseMatchEdge
from tests.contract.data import DATA_SCI, prov

ISSUER = Issuer("https://issuer.example", "Issuer Example")
CREDENTIAL = Credential("https://issuer.example/c1", "Cloud Practitioner", issuer=ISSUER)
PROGRAMMING = Skill("onet:2.B.3.e", "Programming", "O*NET", code="2.B.3.e")
CODING = Skill("esco:programming", "Computer programming", "ESCO")
POSTING = JobPosting(
    id="https://jobs.example/1",
    title="Cloud engineer",
    url="https://jobs.example/1",
    description="Cloud engineer wanted",
    date_posted=date(2026, 11, 1),
    employer=ISSUER,
    provenance=prov("jobs-src", "https://jobs.example/1"),
)


async def changes(store: GraphStore, before: str) -> str:
    after = await store.graph_version()
    assert after != before
    return after


async def test_every_kind_of_graph_write_changes_the_version(store: GraphStore) -> None:
    version = await store.graph_version()
    assert await store.graph_version() == version  # reading changes nothing

    await store.upsert_credentials([CREDENTIAL])
    version = await changes(store, version)
    await store.upsert_credentials([CREDENTIAL])  # unchanged: nothing written
    assert await store.graph_version() == version
    await store.upsert_credentials([replace(CREDENTIAL, name="Cloud Practitioner (CLF-C02)")])
    version = await changes(store, version)

    await store.upsert_issuers([replace(ISSUER, country="US")])
    version = await changes(store, version)

    await store.upsert_skills([PROGRAMMING, CODING])
    version = await changes(store, version)
    await store.upsert_skills([PROGRAMMING])
    assert await store.graph_version() == version
    await store.upsert_skills([replace(PROGRAMMING, alt_labels=("Coding",))])
    version = await changes(store, version)

    await store.upsert_job_postings([POSTING])
    version = await changes(store, version)
    await store.upsert_job_postings([POSTING])
    assert await store.graph_version() == version

    stated = [Equivalence(NodeKind.SKILL, CODING.id, PROGRAMMING.id)]
    await store.replace_equivalences("crosswalk:test", stated)
    version = await changes(store, version)
    await store.replace_equivalences("crosswalk:test", stated)
    assert await store.graph_version() == version
    await store.replace_equivalences("crosswalk:test", [])  # a deletion is a change too
    version = await changes(store, version)

    await store.replace_close_matches(
        "lexical", [CloseMatchEdge(CODING.id, PROGRAMMING.id, 0.9, "lexical")]
    )
    version = await changes(store, version)


async def test_the_ledger_and_leases_leave_the_version_alone(store: GraphStore) -> None:
    await store.upsert_credentials([CREDENTIAL])
    version = await store.graph_version()
    started = datetime(2026, 11, 1, tzinfo=UTC)
    await store.record_crawl_run(CrawlRun("src-a@1", "src-a", CrawlStatus.SUCCEEDED, started))
    assert await store.acquire_lease("source:src-a", "worker-1", 60.0)
    await store.release_lease("source:src-a", "worker-1")
    assert await store.graph_version() == version


async def test_requirements_pathways_and_stale_marks_change_the_version(
    store: GraphStore,
) -> None:
    crawled = replace(CREDENTIAL, provenance=prov("src-a", CREDENTIAL.id))
    await store.upsert_credentials([crawled])
    await store.upsert_occupations([DATA_SCI])
    version = await store.graph_version()

    await store.upsert_skill_requirements([SkillRequirement(DATA_SCI.id, PROGRAMMING, 4.0)])
    version = await changes(store, version)

    steps = PublishedPathway(
        "pathway:cloud",
        "Cloud pathway",
        components=(PathwayComponent("k:c", "Cloud", "CredentialComponent", CREDENTIAL.id),),
    )
    await store.upsert_pathways([steps])
    version = await changes(store, version)

    assert (await store.mark_missed("src-a", [], threshold=1)).newly_stale == 1
    version = await changes(store, version)
    assert (await store.mark_missed("src-a", [], threshold=1)).newly_stale == 0
    assert await store.graph_version() == version  # still stale: nothing changed
    assert (await store.mark_missed("src-a", [CREDENTIAL.id], threshold=1)).revived == 1
    await changes(store, version)
