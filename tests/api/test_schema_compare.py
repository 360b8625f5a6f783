"""Comparing credentials, similar credentials, skill gaps and search; skills shared as one node
or as equivalent nodes of different frameworks, and recommendations that say why."""

from __future__ import annotations

from dataclasses import replace

import pytest

from credgraph.model.records import (
    Credential,
    Equivalence,
    Occupation,
    OccupationLink,
    Skill,
    SkillLink,
)
from credgraph.model.values import NodeKind
from credgraph.store import GraphStore
from credgraph.store.equivalence import CloseMatchEdge
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
    # DA covers both; MSC prepares for Data Scientists (after the cover)
    assert ids(gap["recommendations"]) == [DA, MSC]
    nothing = (await query(store, GAP, {"occupation": data.DATA_SCI.id}))["skillGap"]
    assert nothing["coveredSkills"] == [] and len(nothing["missingSkills"]) == 5
    assert ids(nothing["recommendations"])[0] in {DA, MSC}
    # Every missing skill is taught somewhere; nothing is uncoverable.
    assert nothing["uncoverableSkills"] == []


async def test_skill_gap_for_occupation_without_requirements_or_unknown(store: GraphStore) -> None:
    empty = (await query(store, GAP, {"occupation": "15-1242.00"}))["skillGap"]
    # no requirements: the credentials stating the occupation, most transparent first
    assert empty["requiredSkills"] == [] and ids(empty["recommendations"]) == [DA, BASICS]
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
    twice = (await query(store, SEARCH, {"text": "sql", "kinds": ["SKILL", "SKILL"]}))["search"]
    assert [h["id"] for h in twice] == [data.SQL.id]  # a kind listed twice is searched once
    for text in ["", "zzzzqqq", 'sql" OR "1"="1', "((", "*"]:
        assert isinstance((await query(store, SEARCH, {"text": text}))["search"], list)
    [error] = await errors(store, SEARCH, {"text": "data", "first": 101})
    assert "over the limit of 100" in error["message"]
    assert ETHICS  # the ethics course is in the searched graph


ONET_PY = Skill("onet-tech:python", "Python", "O*NET")
BI = Occupation("onet:15-2051.01", "Business Intelligence Analysts", "15-2051.01", "O*NET-SOC")
ONET_PY_BADGE = "https://other.example/badges/py"


async def with_onet_python(store: GraphStore) -> None:
    """Another issuer's badge teaching O*NET's Python and preparing for a detailed SOC
    occupation; ESCO's Python and O*NET's computed as close matches."""
    await store.upsert_skills([ONET_PY])
    await store.upsert_occupations([BI])
    await store.upsert_credentials(
        [
            Credential(
                ONET_PY_BADGE,
                "Python Essentials",
                skills=(SkillLink(ONET_PY), SkillLink(data.SQL)),
                occupations=(OccupationLink(BI),),
            )
        ]
    )
    await store.replace_close_matches(
        "lexical", [CloseMatchEdge(data.PY.id, ONET_PY.id, 0.95, "lexical")]
    )


SHARED = """
query ($ids: [ID!]!) {
  compareCredentials(ids: $ids) {
    sharedSkills { id }
    sharedSkillMatches { skills { id } kind method confidence }
    uniqueSkills { credential { id } skills { id } }
    similarity { jaccard }
  }
}
"""


async def test_compare_counts_equivalent_skills_as_shared_and_says_so(store: GraphStore) -> None:
    await with_onet_python(store)
    cmp = (await query(store, SHARED, {"ids": [DA, ONET_PY_BADGE]}))["compareCredentials"]
    assert cmp["sharedSkillMatches"] == [
        {
            "skills": [{"id": data.PY.id}, {"id": ONET_PY.id}],
            "kind": "EQUIVALENT",
            "method": "lexical",
            "confidence": 0.95,
        },
        {
            "skills": [{"id": data.SQL.id}, {"id": data.SQL.id}],
            "kind": "SAME",
            "method": None,
            "confidence": 1.0,
        },
    ]
    assert ids(cmp["sharedSkills"]) == [data.PY.id, data.SQL.id]
    assert {u["credential"]["id"]: ids(u["skills"]) for u in cmp["uniqueSkills"]} == {
        DA: [data.STATS.id],
        ONET_PY_BADGE: [],
    }
    # shared: SQL (1) and Python (0.95) of 3 skills
    [pair] = cmp["similarity"]
    assert pair["jaccard"] == pytest.approx(1.95 / (3 + 2 - 1.95))


SIMILAR_THROUGH = """
query ($id: ID!) {
  similarCredentials(id: $id) {
    credential { id } score sharedSkills { id }
    equivalentSkills { skill { id } match { id } kind method confidence }
  }
}
"""


async def test_similar_credentials_through_equivalences(store: GraphStore) -> None:
    await with_onet_python(store)
    similar = (await query(store, SIMILAR_THROUGH, {"id": ONET_PY_BADGE}))["similarCredentials"]
    by_id = {s["credential"]["id"]: s for s in similar}
    assert by_id[DA]["equivalentSkills"] == [
        {
            "skill": {"id": ONET_PY.id},
            "match": {"id": data.PY.id},
            "kind": "EQUIVALENT",
            "method": "lexical",
            "confidence": 0.95,
        }
    ]
    assert ids(by_id[DA]["sharedSkills"]) == [data.SQL.id]
    assert by_id[DA]["score"] == pytest.approx(1.95 / (2 + 3 - 1.95))
    assert BASICS in by_id  # SQL only: found as before
    assert [s["credential"]["id"] for s in similar][:1] == [DA]


# A chain of equivalences: the CASE item states it is ESCO's mathematics, a crosswalk equates
# ESCO's mathematics with O*NET's 2.A.1.e; nothing joins the CASE item to 2.A.1.e.
CASE_ITEM = Skill("https://case.example/items/quant", "Quantitative reasoning", "CASE")
ESCO_MATHS = Skill("esco:maths", "mathematics", "ESCO")
ONET_MATHS = Skill("onet:2.A.1.e", "Mathematical Reasoning", "O*NET", code="2.A.1.e")
CASE_CRED, ESCO_CRED, ONET_CRED = (
    "https://case.example/certificate",
    "https://esco.example/badge",
    "https://onet.example/course",
)


async def with_a_chain_of_equivalences(store: GraphStore) -> None:
    await store.upsert_skills(
        [ESCO_MATHS, ONET_MATHS, replace(CASE_ITEM, same_as=(ESCO_MATHS.id,))]
    )
    await store.replace_equivalences(
        "crosswalk xwalk https://xwalk.example/skills.csv",
        [Equivalence(NodeKind.SKILL, ESCO_MATHS.id, ONET_MATHS.id)],
    )
    await store.upsert_credentials(
        [
            Credential(cid, name, skills=(SkillLink(skill),))
            for cid, name, skill in (
                (CASE_CRED, "Quantitative Reasoning Certificate", CASE_ITEM),
                (ESCO_CRED, "Mathematics Badge", ESCO_MATHS),
                (ONET_CRED, "Mathematical Reasoning Course", ONET_MATHS),
            )
        ]
    )


async def _compared(store: GraphStore, credentials: list[str]) -> dict[str, object]:
    cmp = (await query(store, PAIRWISE, {"ids": credentials}))["compareCredentials"]
    return {
        "shared": cmp["sharedSkillMatches"],
        "unique": {u["credential"]["id"]: ids(u["skills"]) for u in cmp["uniqueSkills"]},
        "similarity": {frozenset((p["a"], p["b"])): p["jaccard"] for p in cmp["similarity"]},
    }


PAIRWISE = """
query ($ids: [ID!]!) {
  compareCredentials(ids: $ids) {
    sharedSkillMatches { skills { id } kind }
    uniqueSkills { credential { id } skills { id } }
    similarity { a b jaccard }
  }
}
"""


async def test_a_pairs_similarity_counts_only_direct_equivalences(
    empty_store: GraphStore,
) -> None:
    """The CASE and O*NET credentials share nothing, whichever other credentials are compared
    with them: a chain through ESCO's node joins no two of their skills (as in
    `similarCredentials`)."""
    await with_a_chain_of_equivalences(empty_store)
    alone = await _compared(empty_store, [CASE_CRED, ONET_CRED])
    assert alone == {
        "shared": [],
        "unique": {CASE_CRED: [CASE_ITEM.id], ONET_CRED: [ONET_MATHS.id]},
        "similarity": {frozenset((CASE_CRED, ONET_CRED)): 0.0},
    }
    for order in ([CASE_CRED, ONET_CRED, ESCO_CRED], [ESCO_CRED, ONET_CRED, CASE_CRED]):
        three = await _compared(empty_store, order)
        assert three["similarity"] == {
            frozenset((CASE_CRED, ONET_CRED)): 0.0,
            frozenset((CASE_CRED, ESCO_CRED)): 1.0,
            frozenset((ONET_CRED, ESCO_CRED)): 1.0,
        }, order
        # No node of the O*NET credential is the CASE item or equivalent to it: not shared by all.
        assert three["shared"] == [], order
        assert three["unique"] == {CASE_CRED: [], ESCO_CRED: [], ONET_CRED: []}, order
    similar = (await query(empty_store, SIMILAR_THROUGH, {"id": CASE_CRED}))["similarCredentials"]
    assert [s["credential"]["id"] for s in similar] == [ESCO_CRED]


async def test_a_skill_is_shared_by_all_when_their_nodes_are_directly_equivalent(
    empty_store: GraphStore,
) -> None:
    await with_a_chain_of_equivalences(empty_store)
    await empty_store.replace_equivalences(
        "crosswalk case https://xwalk.example/case.csv",
        [Equivalence(NodeKind.SKILL, CASE_ITEM.id, ONET_MATHS.id)],
    )
    node_of = {CASE_CRED: CASE_ITEM.id, ESCO_CRED: ESCO_MATHS.id, ONET_CRED: ONET_MATHS.id}
    for order in ([CASE_CRED, ONET_CRED, ESCO_CRED], [ONET_CRED, ESCO_CRED, CASE_CRED]):
        three = await _compared(empty_store, order)
        assert three["shared"] == [
            {"skills": [{"id": node_of[c]} for c in order], "kind": "EQUIVALENT"}
        ], order
        assert set(three["similarity"].values()) == {1.0}, order


RELATED = """
query ($id: ID!) { skill(id: $id) { related { skill { id name } score method stated } } }
"""


async def test_skill_related_lists_stated_and_computed_equivalents(store: GraphStore) -> None:
    await with_onet_python(store)
    related = (await query(store, RELATED, {"id": ONET_PY.id}))["skill"]["related"]
    assert related == [
        {
            "skill": {"id": data.PY.id, "name": "Python (computer programming)"},
            "score": 0.95,
            "method": "lexical",
            "stated": False,
        }
    ]


WHY = """
query ($occupation: ID!, $have: [ID!]) {
  skillGap(occupation: $occupation, have: $have) {
    occupation { id }
    coveredThrough { skill { id } match { id } kind confidence }
    recommended {
      credential { id } round why
      reasons { kind skill { id } via { id } occupation { id } relation confidence }
    }
  }
}
"""


async def test_skill_gap_explains_each_recommendation(store: GraphStore) -> None:
    await with_onet_python(store)
    gap = (await query(store, WHY, {"occupation": "15-2051.00", "have": [ONET_PY_BADGE]}))[
        "skillGap"
    ]
    assert gap["coveredThrough"] == [
        {
            "skill": {"id": data.PY.id},
            "match": {"id": ONET_PY.id},
            "kind": "EQUIVALENT",
            "confidence": 0.95,
        }
    ]
    recommended = {r["credential"]["id"]: r for r in gap["recommended"]}
    msc = recommended[MSC]
    assert msc["round"] == "EXACT_COVER"
    assert msc["why"] == (
        "Covers Statistics, Data ethics; prepares for Data Scientists (15-2051.00)."
    )
    assert [r["kind"] for r in msc["reasons"]] == ["COVERS", "COVERS", "PREPARES_FOR"]
    # the badge stating 15-2051.01 is held; asked from nothing it is recommended last
    fresh = (await query(store, WHY, {"occupation": "15-2051"}))["skillGap"]
    last = fresh["recommended"][-1]
    assert (last["credential"]["id"], last["round"]) == (ONET_PY_BADGE, "OCCUPATION")
    assert last["why"] == (
        "Prepares for Business Intelligence Analysts (15-2051.01), "
        "same SOC occupation as the one asked about."
    )
    assert last["reasons"] == [
        {
            "kind": "PREPARES_FOR",
            "skill": None,
            "via": None,
            "occupation": {"id": BI.id},
            "relation": "same SOC occupation",
            "confidence": 0.9,
        }
    ]


async def test_a_soc_code_stands_for_its_detailed_occupations(empty_store: GraphStore) -> None:
    """With only 15-2051.01 stored (an alignment's stub), 15-2051 finds it."""
    await empty_store.upsert_credentials(
        [Credential(ONET_PY_BADGE, "Python Essentials", occupations=(OccupationLink(BI),))]
    )
    for key in ("15-2051", "15-2051.01"):
        gap = (await query(empty_store, WHY, {"occupation": key}))["skillGap"]
        assert gap["occupation"] == {"id": BI.id}
        assert [r["credential"]["id"] for r in gap["recommended"]] == [ONET_PY_BADGE]
    assert (await query(empty_store, WHY, {"occupation": "15-2052"}))["skillGap"] is None


async def test_a_similar_credentials_score_counts_each_of_the_others_skills_once(
    store: GraphStore,
) -> None:
    """Two skills equivalent to one skill of the other credential counted twice: a score of
    2 / 1. Matched one to one, as a comparison's similarity is, it is 1 / 2."""
    target = Skill("onet:2.A.1.e", "Mathematical Reasoning", "O*NET", code="2.A.1.e")
    first = replace(Skill("esco:maths", "mathematics", "ESCO"), same_as=(target.id,))
    second = replace(CASE_ITEM, same_as=(target.id,))
    await store.upsert_skills([target, first, second])
    two, one = "https://two.example/badge", "https://one.example/course"
    await store.upsert_credentials(
        [
            Credential(two, "Two Ways of Counting", skills=(SkillLink(first), SkillLink(second))),
            Credential(one, "Mathematical Reasoning Course", skills=(SkillLink(target),)),
        ]
    )
    similar = (await query(store, SIMILAR_THROUGH, {"id": two}))["similarCredentials"]
    [found] = [s for s in similar if s["credential"]["id"] == one]
    compared = await _compared(store, [two, one])
    assert found["score"] == pytest.approx(0.5)
    assert found["score"] == pytest.approx(compared["similarity"][frozenset((two, one))])
    assert len(found["equivalentSkills"]) == 1
