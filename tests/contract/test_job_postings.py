"""Job postings on every store: write, read, list with filters, staleness and demand."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from credgraph.model import Credential, Issuer, OccupationLink, Skill, SkillLink, SkillRelation
from credgraph.model.jobs import AskedCredential, JobPosting, Salary
from credgraph.model.values import NodeKind
from credgraph.store import GraphStore
from credgraph.store.jobs import PostingFilter
from tests.contract.data import DATA_SCI, PY, SQL, STATS, prov

NOW = datetime(2026, 12, 1, tzinfo=UTC)
EMPLOYER = Issuer("https://employer.example", "Employer Ltd", url="https://employer.example")
NEW_SKILL = Skill("label:kubernetes", "Kubernetes")


def _skills(*skills: Skill) -> tuple[SkillLink, ...]:
    return tuple(SkillLink(s, SkillRelation.ASSESSES, "exact-uri", 1.0) for s in skills)


def posting(pid: str, title: str, *skills: Skill, **kw: object) -> JobPosting:
    base = JobPosting(
        id=pid,
        title=title,
        url=pid,
        description=f"{title} wanted",
        date_posted=date(2026, 11, 1),
        employer=EMPLOYER,
        skills=_skills(*skills),
        occupations=(OccupationLink(DATA_SCI, "exact-code", 1.0),),
        salary=Salary(50000.0, 70000.0, "USD", "YEAR"),
        provenance=prov("jobs-src", pid),
    )
    return replace(base, **kw)  # type: ignore[arg-type]


ANALYST = posting("https://jobs.example/1", "Data Analyst", SQL, PY)
ENGINEER = posting("https://jobs.example/2", "Data Engineer", SQL, PY, STATS, NEW_SKILL)
CLOSED = posting(
    "https://jobs.example/3", "Statistician", STATS, valid_through=datetime(2026, 1, 1, tzinfo=UTC)
)
SQL_COURSE = Credential(
    "https://acme.example/sql",
    "SQL Basics",
    skills=(SkillLink(SQL, SkillRelation.TEACHES),),
    provenance=prov(),
)
ASKER = posting(
    "https://jobs.example/4",
    "Report Writer",
    STATS,
    asked=(AskedCredential("SQL Basics"),),
    asked_ids=(SQL_COURSE.id,),
)


async def _fill(store: GraphStore) -> None:
    await store.upsert_credentials([SQL_COURSE])
    report = await store.upsert_job_postings([ANALYST, ENGINEER, CLOSED, ASKER])
    assert (report.created, report.rejected) == (4, ())


async def test_postings_round_trip_and_create_mentioned_nodes(store: GraphStore) -> None:
    await _fill(store)
    [view] = await store.get_job_postings([ENGINEER.id])
    assert view.posting == ENGINEER and not view.stale
    assert view.posting.provenance == ENGINEER.provenance
    assert [n.name for n in await store.get_skills([NEW_SKILL.id])] == ["Kubernetes"]
    assert [i.name for i in await store.get_issuers([EMPLOYER.id])] == ["Employer Ltd"]
    again = await store.upsert_job_postings([ENGINEER])
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    changed = await store.upsert_job_postings([replace(ENGINEER, title="Senior Data Engineer")])
    assert changed.updated == 1
    [view] = await store.get_job_postings([ENGINEER.id])
    assert view.posting.title == "Senior Data Engineer"


async def test_invalid_posting_is_rejected_by_name_and_the_rest_stored(store: GraphStore) -> None:
    bad = replace(ANALYST, id="https://jobs.example/bad", title="  ")
    report = await store.upsert_job_postings([bad, ENGINEER])
    assert report.created == 1
    assert [r.record_id for r in report.rejected] == ["https://jobs.example/bad"]
    assert "title" in report.rejected[0].problems[0]


async def test_listing_filters(store: GraphStore) -> None:
    await _fill(store)

    async def titles(f: PostingFilter) -> list[str]:
        page = await store.list_job_postings(f, first=10, at=NOW)
        return [v.posting.title for v in page.items]

    assert await titles(PostingFilter()) == [
        "Data Analyst",
        "Data Engineer",
        "Report Writer",
        "Statistician",
    ]
    assert await titles(PostingFilter(active=False)) == ["Statistician"]
    assert await titles(PostingFilter(skills=(NEW_SKILL.id,))) == ["Data Engineer"]
    assert await titles(PostingFilter(text="engineer")) == ["Data Engineer"]
    assert await titles(PostingFilter(employer=EMPLOYER.id, active=True, skills=(PY.id,))) == [
        "Data Analyst",
        "Data Engineer",
    ]
    first = await store.list_job_postings(first=2, at=NOW)
    rest = await store.list_job_postings(first=2, after=first.end_cursor, at=NOW)
    assert first.has_next_page and first.total_count == 4
    assert [v.posting.title for v in rest.items] == ["Report Writer", "Statistician"]


async def test_demand_counts_active_postings_only(store: GraphStore) -> None:
    await _fill(store)
    skills = await store.posting_demand(NodeKind.SKILL, [SQL.id, STATS.id, "nope"], NOW)
    assert skills.active == 3  # the Statistician posting closed in January
    assert skills.by_id == {SQL.id: 2, STATS.id: 2, "nope": 0}
    assert skills.share(SQL.id) == pytest.approx(2 / 3)
    occupations = await store.posting_demand(NodeKind.OCCUPATION, [DATA_SCI.id], NOW)
    assert occupations.by_id == {DATA_SCI.id: 3}


async def test_credential_demand_by_name_or_half_the_skills(store: GraphStore) -> None:
    await _fill(store)
    found = await store.posting_demand(NodeKind.CREDENTIAL, [SQL_COURSE.id], NOW)
    # asked by name: Report Writer; SQL is half of Data Analyst's skills, a quarter of
    # Data Engineer's (not counted)
    assert found.by_id == {SQL_COURSE.id: 2}


async def test_missed_postings_go_stale_and_leave_demand(store: GraphStore) -> None:
    await _fill(store)
    seen = [ANALYST.id, CLOSED.id, ASKER.id]
    first = await store.mark_postings_missed("jobs-src", seen, threshold=2)
    assert (first.missed, first.newly_stale) == (1, 0)
    second = await store.mark_postings_missed("jobs-src", seen, threshold=2)
    assert second.newly_stale == 1
    [view] = await store.get_job_postings([ENGINEER.id])
    assert view.stale and not view.active_at(NOW)
    demand = await store.posting_demand(NodeKind.SKILL, [NEW_SKILL.id], NOW)
    assert demand.by_id[NEW_SKILL.id] == 0
    revived = await store.mark_postings_missed("jobs-src", [*seen, ENGINEER.id], threshold=2)
    assert revived.revived == 1


async def test_credential_ids_by_name(store: GraphStore) -> None:
    await _fill(store)
    found = await store.credential_ids_by_name(["sql  basics", "SQL BASICS", "Unknown"])
    assert found == {"sql  basics": [SQL_COURSE.id], "SQL BASICS": [SQL_COURSE.id]}


async def test_store_check_sees_the_postings_links(store: GraphStore) -> None:
    await _fill(store)
    report = await store.check()
    assert report.problems == []
    # the employer and Kubernetes are joined only by postings: not orphans on either store
    assert report.orphans["Issuer"] == 0 and report.orphans["Skill"] == 0
