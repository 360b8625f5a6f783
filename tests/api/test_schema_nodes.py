"""Issuers, skills and occupations: lookups by every accepted form of id, and listings."""

from __future__ import annotations

from typing import Any

import pytest

from credgraph.model import Issuer, Occupation, Skill
from credgraph.store import GraphStore
from tests.api.conftest import errors, query
from tests.contract import data

ISSUER = "query ($id: ID!) { issuer(id: $id) { id name url ctid country description accreditedBy { id name } } }"
SKILL = "query ($id: ID!) { skill(id: $id) { id name uri framework code altLabels broader { id } sameAs { id } } }"
OCCUPATION = """
query ($id: ID!) {
  occupation(id: $id) {
    id code name framework
    requiredSkills { id name }
    skillRequirements { skill { id } importance relation }
  }
}
"""


@pytest.mark.parametrize("key", [data.ACME.id, "HTTPS://ACME.example:443/issuer/"])
async def test_issuer_by_id_or_uri(store: GraphStore, key: str) -> None:
    issuer = (await query(store, ISSUER, {"id": key}))["issuer"]
    assert issuer == {
        "id": data.ACME.id,
        "name": "Acme Academy",
        "url": "https://acme.example",
        "ctid": None,
        "country": "US",
        "description": "Cloud and data training",
        "accreditedBy": [{"id": data.ACCREDITOR.id, "name": "Quality Agency"}],
    }


@pytest.mark.parametrize("key", ["https://accreditor.example/", "HTTPS://ACCREDITOR.EXAMPLE"])
async def test_an_issuer_at_a_sites_root_by_either_spelling(store: GraphStore, key: str) -> None:
    issuer = (await query(store, ISSUER, {"id": key}))["issuer"]
    assert issuer is not None and issuer["id"] == data.ACCREDITOR.id


async def test_issuer_by_ctid_in_any_case(store: GraphStore) -> None:
    assert (await query(store, ISSUER, {"id": data.UNI.id.upper()}))["issuer"]["name"] == (
        "Universität Zürich"
    )


@pytest.mark.parametrize("key", [data.SQL.id, "HTTP://data.europa.eu/esco/skill/sql/"])
async def test_skill_by_id_or_framework_uri(store: GraphStore, key: str) -> None:
    skill = (await query(store, SKILL, {"id": key}))["skill"]
    assert skill == {
        "id": data.SQL.id,
        "name": "SQL",
        "uri": data.SQL.uri,
        "framework": "ESCO",
        "code": None,
        "altLabels": ["Structured Query Language"],
        "broader": [],
        "sameAs": [],
    }


async def test_skill_links_to_broader_and_same_skills(store: GraphStore) -> None:
    databases = Skill("http://data.europa.eu/esco/skill/databases", "Databases", framework="ESCO")
    onet_sql = Skill("onet:sql", "SQL (O*NET)", framework="O*NET")
    await store.upsert_skills(
        [
            databases,
            onet_sql,
            Skill(
                data.SQL.id,
                "SQL",
                framework="ESCO",
                uri=data.SQL.uri,
                broader=(databases.id, "http://data.europa.eu/esco/skill/missing"),
                same_as=(onet_sql.id,),
            ),
        ]
    )
    skill = (await query(store, SKILL, {"id": data.SQL.id}))["skill"]
    assert skill["broader"] == [{"id": databases.id}]  # a link to a missing skill is left out
    assert skill["sameAs"] == [{"id": onet_sql.id}]


@pytest.mark.parametrize(
    "key",
    [
        data.DATA_SCI.id,
        "15-2051.00",
        "15-2051",
        " 15-2051.00 ",
        # the URI an O*NET occupation gives: its O*NET OnLine page
        "https://www.onetonline.org/link/summary/15-2051.00",
        "http://onetonline.org/link/details/15-2051.00/",
    ],
)
async def test_occupation_by_id_or_code(store: GraphStore, key: str) -> None:
    occupation = (await query(store, OCCUPATION, {"id": key}))["occupation"]
    assert occupation["id"] == data.DATA_SCI.id and occupation["code"] == "15-2051.00"
    assert occupation["framework"] == "O*NET-SOC"
    ranked = [data.STATS.id, data.PY.id, data.SQL.id, data.ETHICS.id, data.CLOUD.id]
    assert [s["id"] for s in occupation["requiredSkills"]] == ranked
    assert [r["skill"]["id"] for r in occupation["skillRequirements"]] == ranked
    assert occupation["skillRequirements"][0] == {
        "skill": {"id": data.STATS.id},
        "importance": 4.8,
        "relation": "essential",
    }


async def test_occupation_without_requirements(store: GraphStore) -> None:
    occupation = (await query(store, OCCUPATION, {"id": "15-1242.00"}))["occupation"]
    assert occupation["requiredSkills"] == [] and occupation["skillRequirements"] == []


@pytest.mark.parametrize(
    ("text", "key"),
    [
        (ISSUER, "https://nobody.example/issuer"),
        (SKILL, "label:knitting"),
        (OCCUPATION, "99-9999.00"),
        (OCCUPATION, "not a code"),
        (ISSUER, ""),
    ],
)
async def test_unknown_nodes_are_null(store: GraphStore, text: str, key: str) -> None:
    assert list((await query(store, text, {"id": key})).values()) == [None]


LISTINGS = {
    "issuers": "query ($filter: IssuerFilter, $first: Int, $after: String) { issuers(filter: $filter, first: $first, after: $after) { totalCount edges { cursor node { id name country } } pageInfo { hasNextPage endCursor } } }",
    "skills": "query ($filter: SkillFilter, $first: Int, $after: String) { skills(filter: $filter, first: $first, after: $after) { totalCount edges { cursor node { id name framework } } pageInfo { hasNextPage endCursor } } }",
    "occupations": "query ($filter: OccupationFilter, $first: Int, $after: String) { occupations(filter: $filter, first: $first, after: $after) { totalCount edges { cursor node { id name code } } pageInfo { hasNextPage endCursor } } }",
}


async def walk(store: GraphStore, listing: str, filter_: dict[str, Any], first: int) -> list[str]:
    seen: list[str] = []
    after = None
    while True:
        variables = {"filter": filter_, "first": first, "after": after}
        page = (await query(store, LISTINGS[listing], variables))[listing]
        seen += [e["node"]["id"] for e in page["edges"]]
        assert len(page["edges"]) <= first
        if not page["pageInfo"]["hasNextPage"]:
            assert page["totalCount"] == len(seen)
            return seen
        after = page["pageInfo"]["endCursor"]


async def more_nodes(store: GraphStore) -> None:
    await store.upsert_issuers(
        [
            Issuer("https://data-school.example", "Data School", country="us"),
            Issuer("https://datenakademie.example", "Data Akademie", country="DE"),
        ]
    )
    await store.upsert_skills(
        [
            Skill("onet:2.A.1.a", "Data reading", framework="O*NET", code="2.A.1.a"),
            Skill("label:data cleaning", "Data cleaning"),
        ]
    )
    await store.upsert_occupations(
        [
            Occupation(
                "onet:15-1243.00", "Database Architects", code="15-1243.00", framework="O*NET-SOC"
            ),
            Occupation(
                "onet:43-9021.00", "Data Entry Keyers", code="43-9021.00", framework="O*NET-SOC"
            ),
        ]
    )


@pytest.mark.parametrize(
    ("listing", "filter_", "expected"),
    [
        (
            "issuers",
            {"text": "data"},
            {"https://data-school.example", "https://datenakademie.example", data.ACME.id},
        ),
        (
            "issuers",
            {"text": "data", "country": "US"},
            {"https://data-school.example", data.ACME.id},
        ),
        ("issuers", {"text": "zürich"}, {data.UNI.id}),
        ("skills", {"text": "data"}, {"onet:2.A.1.a", "label:data cleaning", data.ETHICS.id}),
        ("skills", {"text": "data", "framework": "onet"}, {"onet:2.A.1.a"}),
        ("skills", {"text": "structured query", "framework": "ESCO"}, {data.SQL.id}),
        (
            "occupations",
            {"text": "data"},
            {"onet:15-1243.00", "onet:43-9021.00", data.DATA_SCI.id, data.DBA.id},
        ),
        (
            "occupations",
            {"text": "data", "codePrefix": "15-"},
            {"onet:15-1243.00", data.DATA_SCI.id, data.DBA.id},
        ),
        ("occupations", {"text": "nothing matches this"}, set()),
    ],
)
async def test_listings_page_through_every_match(
    store: GraphStore, listing: str, filter_: dict[str, Any], expected: set[str]
) -> None:
    await more_nodes(store)
    at_once = await walk(store, listing, filter_, 100)
    assert set(at_once) == expected and len(at_once) == len(expected)
    for first in (1, 2):
        assert await walk(store, listing, filter_, first) == at_once


async def test_listings_without_text_list_every_node_in_name_order(store: GraphStore) -> None:
    await more_nodes(store)
    for filter_ in (None, {}):
        everyone = await walk(store, "occupations", filter_, 2)
        assert everyone == [
            "onet:43-9021.00",
            data.DATA_SCI.id,
            data.DBA.id,
            "onet:15-1243.00",
        ]
    assert await walk(store, "issuers", {"country": "us"}, 1) == [
        data.ACME.id,
        "https://data-school.example",
    ]
    assert await walk(store, "skills", {"framework": "esco"}, 1) == [data.PY.id, data.SQL.id]
    assert await walk(store, "occupations", {"text": "  "}, 5) == []  # no word: no match


async def test_listing_arguments_are_checked(store: GraphStore) -> None:
    [over] = await errors(store, LISTINGS["skills"], {"filter": {"text": "sql"}, "first": 500})
    assert "over the limit of 100" in over["message"]
    [bad] = await errors(store, LISTINGS["skills"], {"filter": {"text": "sql"}, "after": "zz"})
    assert "is not a valid cursor" in bad["message"]
    credentials = await query(
        store, "{ credentials(first: 1, sort: {field: COST}) { pageInfo { endCursor } } }", {}
    )
    cursor = credentials["credentials"]["pageInfo"]["endCursor"]
    [other] = await errors(
        store, LISTINGS["issuers"], {"filter": {"text": "data"}, "after": cursor}
    )
    assert "belongs to another sort order" in other["message"]


async def test_same_as_shows_crosswalk_equivalences(store: GraphStore) -> None:
    """Occupation.sameAs and Skill.sameAs read crosswalk pairs in both directions; a skill's
    own same_as still shows."""
    from credgraph.model.records import Equivalence
    from credgraph.model.values import NodeKind

    isco = Occupation("isco:2521", "Database designers and administrators", "2521", "ISCO-08")
    await store.upsert_occupations([isco])
    await store.upsert_skills([Skill("onet:2.B.3.e", "Programming", "O*NET", code="2.B.3.e")])
    await store.replace_equivalences(
        "crosswalk x https://x.example/xw.csv",
        [
            Equivalence(NodeKind.OCCUPATION, isco.id, data.DBA.id),
            Equivalence(NodeKind.SKILL, "onet:2.B.3.e", data.PY.id),
        ],
    )
    text = """query ($o: ID!, $i: ID!, $s: ID!) {
      dba: occupation(id: $o) { sameAs { id framework } }
      isco: occupation(id: $i) { sameAs { id } }
      py: skill(id: $s) { sameAs { id framework } }
    }"""
    found = await query(store, text, {"o": data.DBA.id, "i": isco.id, "s": data.PY.id})
    assert found["dba"]["sameAs"] == [{"id": "isco:2521", "framework": "ISCO-08"}]
    assert found["isco"]["sameAs"] == [{"id": data.DBA.id}]
    assert found["py"]["sameAs"] == [{"id": "onet:2.B.3.e", "framework": "O*NET"}]
