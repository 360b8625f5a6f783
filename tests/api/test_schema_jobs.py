"""jobPostings, jobPosting and demand on skills, occupations and credentials, on each store."""

from __future__ import annotations

import pytest

from credgraph.analysis.equivalents import MIN_CONFIDENCE
from credgraph.store import GraphStore
from tests.api.conftest import errors, query
from tests.contract import test_demand_equivalents as equivalents
from tests.contract.data import DATA_SCI, PY, SQL
from tests.contract.test_job_postings import (
    ANALYST,
    ASKER,
    CLOSED,
    EMPLOYER,
    ENGINEER,
    SQL_COURSE,
    posting,
)


async def _postings(store: GraphStore) -> None:
    await store.upsert_credentials([SQL_COURSE])
    report = await store.upsert_job_postings([ANALYST, ENGINEER, CLOSED, ASKER])
    assert report.created == 4


async def test_job_posting_by_id_with_its_links(store: GraphStore) -> None:
    await _postings(store)
    data = await query(
        store,
        """
        query($id: ID!) { jobPosting(id: $id) {
            id title url description datePosted validThrough active stale
            employer { name url } occupations { id } skills { id name }
            askedCredentials { id name } educationRequirements experienceRequirements
            salary { minAmount maxAmount currency unit } provenance { source url }
        } }""",
        {"id": ASKER.id},
    )
    posting = data["jobPosting"]
    assert posting["title"] == "Report Writer" and posting["active"] is True
    assert posting["employer"] == {"name": EMPLOYER.name, "url": EMPLOYER.url}
    assert posting["occupations"] == [{"id": DATA_SCI.id}]
    assert posting["askedCredentials"] == [{"id": SQL_COURSE.id, "name": "SQL Basics"}]
    assert posting["salary"] == {
        "minAmount": 50000.0,
        "maxAmount": 70000.0,
        "currency": "USD",
        "unit": "YEAR",
    }
    assert posting["provenance"] == {"source": "jobs-src", "url": ASKER.id}
    assert posting["datePosted"] == "2026-11-01"
    missing = await query(store, '{ jobPosting(id: "https://nowhere.example") { id } }')
    assert missing == {"jobPosting": None}


async def test_job_postings_filter_and_pages(store: GraphStore) -> None:
    await _postings(store)
    data = await query(
        store,
        """
        query($skills: [ID!]) {
          jobPostings(filter: {skills: $skills, active: true}, first: 1) {
            totalCount edges { node { title active } } pageInfo { hasNextPage endCursor }
          } }""",
        {"skills": [PY.id]},
    )
    page = data["jobPostings"]
    assert page["totalCount"] == 2
    assert [e["node"]["title"] for e in page["edges"]] == ["Data Analyst"]
    after = page["pageInfo"]["endCursor"]
    rest = await query(
        store,
        """
        query($after: String) { jobPostings(filter: {active: true, text: "data"}, after: $after)
        { nodes { title } } }""",
        {"after": after},
    )
    assert [n["title"] for n in rest["jobPostings"]["nodes"]] == ["Data Engineer"]
    closed = await query(
        store, "{ jobPostings(filter: {active: false}) { nodes { title active } } }"
    )
    assert closed["jobPostings"]["nodes"] == [{"title": "Statistician", "active": False}]


async def test_demand_on_skills_occupations_and_credentials(store: GraphStore) -> None:
    await _postings(store)
    data = await query(
        store,
        """
        query($skill: ID!, $occupation: ID!, $credential: ID!) {
          skill(id: $skill) { demand { activePostings share } }
          occupation(id: $occupation) { demand { activePostings share } }
          credential(id: $credential) { demand { activePostings share } }
        }""",
        {"skill": SQL.id, "occupation": DATA_SCI.id, "credential": SQL_COURSE.id},
    )
    assert data["skill"]["demand"] == {"activePostings": 2, "share": pytest.approx(2 / 3)}
    assert data["occupation"]["demand"] == {"activePostings": 3, "share": 1.0}
    assert data["credential"]["demand"] == {"activePostings": 2, "share": pytest.approx(2 / 3)}


async def test_demand_counts_equivalents_as_comparisons_do(store: GraphStore) -> None:
    # computed close matches count from the comparisons' threshold: STRONG (0.95), not WEAK
    await equivalents.stored_equivalences(store)
    await store.upsert_job_postings(
        [
            posting("https://jobs.example/strong", "Analyst", equivalents.STRONG),
            posting("https://jobs.example/weak", "Analytics", equivalents.WEAK),
            posting("https://jobs.example/sql", "DBA", equivalents.ONET_SQL),
        ]
    )
    data = await query(
        store,
        """
        query($analysis: ID!, $sql: ID!) {
          analysis: skill(id: $analysis) { demand { activePostings } }
          sql: skill(id: $sql) { demand { activePostings share } }
        }""",
        {"analysis": equivalents.ANALYSIS.id, "sql": equivalents.ESCO_SQL.id},
    )
    assert MIN_CONFIDENCE < 0.95 and MIN_CONFIDENCE > 0.6
    assert data["analysis"]["demand"] == {"activePostings": 1}
    assert data["sql"]["demand"] == {"activePostings": 1, "share": pytest.approx(1 / 3)}


async def test_demand_without_postings_is_zero(store: GraphStore) -> None:
    data = await query(
        store,
        "query($id: ID!) { skill(id: $id) { demand { activePostings share } } }",
        {"id": SQL.id},
    )
    assert data["skill"]["demand"] == {"activePostings": 0, "share": 0.0}


async def test_bad_filter_and_cursor_are_client_errors(store: GraphStore) -> None:
    too_many = [f"label:s{i}" for i in range(101)]
    found = await errors(
        store,
        "query($s: [ID!]) { jobPostings(filter: {skills: $s}) { totalCount } }",
        {"s": too_many},
    )
    assert "at most 100" in found[0]["message"]
    found = await errors(store, '{ jobPostings(after: "nonsense") { totalCount } }')
    assert "cursor" in found[0]["message"]


def test_demand_has_a_flat_cost_per_item() -> None:
    from graphql import OperationDefinitionNode, build_schema, parse

    from credgraph.api.query_cost import FLAT_COSTS, estimate_cost
    from tests.api.conftest import SCHEMA

    document = parse("{ jobPostings(first: 10) { nodes { skills { demand { share } } } } }")
    [operation] = document.definitions
    assert isinstance(operation, OperationDefinitionNode)
    cost = estimate_cost(build_schema(SCHEMA.as_str()), document, operation, {}, list_size=10)
    # 10 postings x 10 skills each, every demand at its flat cost
    assert cost >= 10 * 10 * FLAT_COSTS["demand"]


async def test_filter_by_soc_code_and_employer_url(store: GraphStore) -> None:
    await _postings(store)
    data = await query(
        store,
        """
        { byCode: jobPostings(filter: {occupations: ["15-2051"], active: true}) { totalCount }
          byOther: jobPostings(filter: {occupations: ["15-1242.00"]}) { totalCount }
          byEmployer: jobPostings(filter: {employer: "HTTPS://Employer.example"}) { totalCount } }""",
    )
    assert data == {
        "byCode": {"totalCount": 3},
        "byOther": {"totalCount": 0},
        "byEmployer": {"totalCount": 4},
    }
