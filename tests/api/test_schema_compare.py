"""Comparing credentials, similar credentials, skill gaps and search."""

from __future__ import annotations

import pytest

from credgraph.store import GraphStore
from tests.api.conftest import errors, query
from tests.contract import data
from tests.contract.test_reads import BASICS, CLOUD, DA, ETHICS, MSC

COMPARE = """
query ($ids: [ID!]!) {
  compareCredentials(ids: $ids) {
    credentials { id }
    sharedSkills { id }
    uniqueSkills { credential { id } skills { id } }
    similarity { a b jaccard }
    rows { field label values }
    unknownIds
  }
}
"""


async def test_compare_rows_line_up_with_credentials(store: GraphStore) -> None:
    ids = ["https://uzh.example/msc-data", DA, "https://unknown.example/x", BASICS, DA]
    cmp = (await query(store, COMPARE, {"ids": ids}))["compareCredentials"]
    assert [c["id"] for c in cmp["credentials"]] == [MSC, DA, BASICS]
    assert cmp["unknownIds"] == ["https://unknown.example/x"]
    assert [s["id"] for s in cmp["sharedSkills"]] == [data.SQL.id]
    assert {u["credential"]["id"]: [s["id"] for s in u["skills"]] for u in cmp["uniqueSkills"]} == {
        MSC: [data.ETHICS.id],
        DA: [],
        BASICS: [],
    }
    pairs = {(p["a"], p["b"]): p["jaccard"] for p in cmp["similarity"]}
    assert pairs == pytest.approx({(MSC, DA): 0.75, (MSC, BASICS): 0.25, (DA, BASICS): 1 / 3})
    rows = {r["field"]: r["values"] for r in cmp["rows"]}
    assert list(rows) == [
        "issuer", "type", "level", "hours", "credits", "cost", "assessment", "deliveryMode",
        "qualityAssurance", "validity", "occupations", "skills", "transparency",
    ]  # fmt: skip
    assert rows["issuer"] == ["Universität Zürich", "Acme Academy", "Acme Academy"]
    assert rows["type"] == ["DEGREE", "BADGE", "MICRO_CREDENTIAL"]
    assert rows["level"] == [None, "EQF 5", None]
    assert rows["hours"] == ["2700", "40", "8"]
    assert rows["credits"] == ["90 ECTS", None, None]
    assert rows["cost"] == ["1500 CHF", "199 USD", "49 USD"]
    assert rows["assessment"] == [None, "Online exam", None]
    assert rows["deliveryMode"] == [None, "online", None]
    # The degree's own accreditor; the badges' issuer's accreditor.
    assert rows["qualityAssurance"] == ["Quality Agency"] * 3
    assert rows["validity"] == [None, None, None]
    assert rows["occupations"] == [
        "Data Scientists",
        "Data Scientists; Database Administrators",
        "Database Administrators",
    ]
    assert rows["skills"] == ["4", "3", "1"]
    views = await store.get_credentials([MSC, DA, BASICS])
    assert rows["transparency"] == [f"{v.transparency.score:g}" for v in views]
    assert {r["field"]: r["label"] for r in cmp["rows"]}["deliveryMode"] == "Delivery mode"


async def test_compare_nothing_or_unknown(store: GraphStore) -> None:
    for ids in ([], ["https://unknown.example/x"]):
        cmp = (await query(store, COMPARE, {"ids": ids}))["compareCredentials"]
        assert cmp["credentials"] == [] and cmp["similarity"] == [] and cmp["sharedSkills"] == []
        assert all(r["values"] == [] for r in cmp["rows"])
        assert cmp["unknownIds"] == ids


async def test_compare_has_a_limit(store: GraphStore) -> None:
    [error] = await errors(store, COMPARE, {"ids": [f"https://x.example/{i}" for i in range(21)]})
    assert error["message"] == "`ids` names 21 credentials; compare at most 20 at once"


SIMILAR = """
query ($id: ID!, $first: Int) {
  similarCredentials(id: $id, first: $first) { credential { id name } score sharedSkills { id } }
}
"""


async def test_similar_credentials(store: GraphStore) -> None:
    similar = (await query(store, SIMILAR, {"id": DA}))["similarCredentials"]
    assert [(s["credential"]["id"], round(s["score"], 3)) for s in similar] == [
        (MSC, 0.75),
        (BASICS, 0.333),
    ]
    assert {s["id"] for s in similar[0]["sharedSkills"]} == {data.SQL.id, data.PY.id, data.STATS.id}
    one = await query(store, SIMILAR, {"id": "https://uzh.example/msc-data", "first": 1})
    assert [s["credential"]["id"] for s in one["similarCredentials"]] == [DA]
    assert (await query(store, SIMILAR, {"id": "https://unknown.example"}))[
        "similarCredentials"
    ] == []
    [error] = await errors(store, SIMILAR, {"id": DA, "first": 1000})
    assert "over the limit of 100" in error["message"]


GAP = """
query ($occupation: ID!, $have: [ID!]) {
  skillGap(occupation: $occupation, have: $have) {
    occupation { id name }
    requiredSkills { id } coveredSkills { id } missingSkills { id } uncoverableSkills { id }
    recommendations { id name }
  }
}
"""


def ids(items: list[dict[str, str]]) -> list[str]:
    return [i["id"] for i in items]


async def test_skill_gap_for_someone_with_a_badge(store: GraphStore) -> None:
    for have in ([DA], ["HTTPS://ACME.example/badges/data-analyst/"]):
        gap = (await query(store, GAP, {"occupation": "15-2051.00", "have": have}))["skillGap"]
        assert gap["occupation"] == {"id": data.DATA_SCI.id, "name": "Data Scientists"}
        assert ids(gap["requiredSkills"]) == [
            data.STATS.id, data.PY.id, data.SQL.id, data.ETHICS.id, data.CLOUD.id,
        ]  # fmt: skip
        assert ids(gap["coveredSkills"]) == [data.STATS.id, data.PY.id, data.SQL.id]
        assert ids(gap["missingSkills"]) == [data.ETHICS.id, data.CLOUD.id]
        assert ids(gap["recommendations"]) == [MSC, CLOUD]
        assert gap["uncoverableSkills"] == []


async def test_skill_gap_from_skills_or_nothing(store: GraphStore) -> None:
    have = [data.CLOUD.id, "HTTP://data.europa.eu/esco/skill/python", data.ETHICS.id]
    gap = (await query(store, GAP, {"occupation": data.DATA_SCI.id, "have": have}))["skillGap"]
    assert set(ids(gap["coveredSkills"])) == {data.CLOUD.id, data.PY.id, data.ETHICS.id}
    assert ids(gap["missingSkills"]) == [data.STATS.id, data.SQL.id]
    assert ids(gap["recommendations"]) == [DA]
    nothing = (await query(store, GAP, {"occupation": data.DATA_SCI.id}))["skillGap"]
    assert nothing["coveredSkills"] == [] and len(nothing["missingSkills"]) == 5
    assert ids(nothing["recommendations"])[0] in {DA, MSC}
    # Every missing skill is taught somewhere; nothing is uncoverable.
    assert nothing["uncoverableSkills"] == []


async def test_skill_gap_for_occupation_without_requirements_or_unknown(store: GraphStore) -> None:
    empty = (await query(store, GAP, {"occupation": "15-1242.00"}))["skillGap"]
    assert empty["requiredSkills"] == [] and empty["recommendations"] == []
    assert await query(store, GAP, {"occupation": "99-9999.00"}) == {"skillGap": None}
    [error] = await errors(store, GAP, {"occupation": "15-2051.00", "have": ["x"] * 501})
    assert error["message"] == "`have` names 501 ids; the limit is 500"


SEARCH = """
query ($text: String!, $first: Int, $kinds: [NodeKind!]) {
  search(text: $text, first: $first, kinds: $kinds) {
    kind id name score
    node {
      __typename
      ... on Credential { id type }
      ... on Issuer { id country }
      ... on Skill { id framework }
      ... on Occupation { id code }
    }
  }
}
"""


async def test_search_finds_every_kind_with_the_node(store: GraphStore) -> None:
    hits = (await query(store, SEARCH, {"text": "sql"}))["search"]
    found = {(h["kind"], h["id"]) for h in hits}
    assert ("SKILL", data.SQL.id) in found
    assert {("CREDENTIAL", DA), ("CREDENTIAL", BASICS)} <= found
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)
    typenames = {
        "CREDENTIAL": "Credential",
        "SKILL": "Skill",
        "ISSUER": "Issuer",
        "OCCUPATION": "Occupation",
    }
    for hit in hits:
        assert (
            hit["node"]["__typename"] == typenames[hit["kind"]] and hit["node"]["id"] == hit["id"]
        )
    skill = next(h for h in hits if h["id"] == data.SQL.id)
    assert skill["name"] == "SQL" and skill["node"]["framework"] == "ESCO"


async def test_search_kinds_and_limits(store: GraphStore) -> None:
    zurich = (await query(store, SEARCH, {"text": "zurich", "kinds": ["ISSUER"]}))["search"]
    assert [(h["id"], h["node"]["country"]) for h in zurich] == [(data.UNI.id, "CH")]
    code = (await query(store, SEARCH, {"text": "Data Sci", "kinds": ["OCCUPATION"]}))["search"]
    assert [h["node"]["code"] for h in code] == ["15-2051.00"]
    assert len((await query(store, SEARCH, {"text": "data", "first": 2}))["search"]) == 2
    assert (await query(store, SEARCH, {"text": "data", "kinds": []}))["search"] == []
    for text in ["", "zzzzqqq", 'sql" OR "1"="1', "((", "*"]:
        assert isinstance((await query(store, SEARCH, {"text": text}))["search"], list)
    [error] = await errors(store, SEARCH, {"text": "data", "first": 101})
    assert "over the limit of 100" in error["message"]
    assert ETHICS  # the ethics course is in the searched graph
