"""The credential lookups and the credential connection: ids in every form, every field,
keyset pages in every order, filters, and clear errors for bad arguments."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from credgraph.model import Money
from credgraph.store import GraphStore
from tests.api.conftest import errors, query
from tests.contract import data
from tests.contract.test_reads import BARE, BASICS, CLOUD, DA, ETHICS, MSC

ALL = {DA, BASICS, CLOUD, MSC, ETHICS, BARE}

CREDENTIAL = """
query ($id: ID!) {
  credential(id: $id) {
    id name description type url ctid language durationHours level assessment deliveryMode
    validity criteria entryRequirements keywords firstSeen lastSeen stale
    cost { amount currency } credits { value unit }
    issuer { id name country accreditedBy { id name } }
    skills { id name framework }
    skillLinks { skill { id } relation method confidence }
    occupations { id code name }
    accreditedBy { name }
    prerequisites { id } partOf { id } hasPart { id }
    transparency { score present missing }
    provenance { source url format fetchedAt licence }
    history { changedAt changes { field old new } }
  }
}
"""


@pytest.mark.parametrize(
    "key", [MSC, MSC.upper(), "https://uzh.example/msc-data", "HTTPS://UZH.example/msc-data/"]
)
async def test_credential_by_id_ctid_or_source_url(store: GraphStore, key: str) -> None:
    found = (await query(store, CREDENTIAL, {"id": key}))["credential"]
    assert found["id"] == MSC and found["name"] == "MSc Datenwissenschaft"


@pytest.mark.parametrize(
    "key", ["https://unknown.example/x", "ce-00000000-0000-0000-0000-000000000000", "", " "]
)
async def test_unknown_credential_is_null(store: GraphStore, key: str) -> None:
    assert await query(store, CREDENTIAL, {"id": key}) == {"credential": None}


async def test_credential_fields(store: GraphStore) -> None:
    c = (await query(store, CREDENTIAL, {"id": DA}))["credential"]
    assert c["type"] == "BADGE" and c["language"] == "en" and c["level"] == "EQF 5"
    assert c["cost"] == {"amount": 199.0, "currency": "USD"} and c["credits"] is None
    assert c["durationHours"] == 40.0 and c["deliveryMode"] == "online"
    assert c["issuer"]["name"] == "Acme Academy" and c["issuer"]["country"] == "US"
    assert c["issuer"]["accreditedBy"] == [{"id": data.ACCREDITOR.id, "name": "Quality Agency"}]
    assert [s["id"] for s in c["skills"]] == [data.SQL.id, data.PY.id, data.STATS.id]
    assert c["skills"][0]["framework"] == "ESCO"
    assert [(s["skill"]["id"], s["relation"]) for s in c["skillLinks"]][-1] == (
        data.STATS.id,
        "ASSESSES",
    )
    assert c["skillLinks"][0]["method"] == "exact-uri" and c["skillLinks"][0]["confidence"] == 1
    assert {o["code"] for o in c["occupations"]} == {"15-2051.00", "15-1242.00"}
    assert c["hasPart"] == [{"id": BASICS}] and c["partOf"] == [] and c["prerequisites"] == []
    assert c["transparency"]["score"] > 50
    assert "validity" in c["transparency"]["missing"]
    assert "quality_assurance" in c["transparency"]["present"]  # through the issuer
    assert c["provenance"] == [
        {
            "source": "src-a",
            "url": "https://catalog.example/page1",
            "format": "openbadges",
            "fetchedAt": "2026-11-01T12:00:00+00:00",
            "licence": "CC-BY-4.0",
        }
    ]
    assert c["firstSeen"] and c["lastSeen"] and c["stale"] is False and c["history"] == []

    msc = (await query(store, CREDENTIAL, {"id": MSC}))["credential"]
    assert msc["credits"] == {"value": 90.0, "unit": "ECTS"} and msc["ctid"] == MSC
    assert msc["accreditedBy"] == [{"name": "Quality Agency"}]
    assert msc["prerequisites"] == [{"id": BASICS}]
    basics = (await query(store, CREDENTIAL, {"id": BASICS}))["credential"]
    assert basics["partOf"] == [{"id": DA}]


async def test_history_shows_old_and_new_values(store: GraphStore) -> None:
    basics = data.credentials()[1]
    await store.upsert_credentials([replace(basics, cost=Money(39.0, "USD"))])
    [change] = (await query(store, CREDENTIAL, {"id": BASICS}))["credential"]["history"]
    assert change["changes"] == [
        {
            "field": "cost",
            "old": {"amount": 49.0, "currency": "USD"},
            "new": {"amount": 39.0, "currency": "USD"},
        }
    ]


PAGE = """
query ($filter: CredentialFilter, $sort: CredentialSort, $first: Int, $after: String) {
  credentials(filter: $filter, sort: $sort, first: $first, after: $after) {
    totalCount
    edges { cursor node { id } }
    nodes { id }
    pageInfo { hasNextPage endCursor }
  }
}
"""


async def walk(store: GraphStore, first: int, **variables: Any) -> list[str]:
    """Every id over every page, checking each page's shape on the way."""
    seen: list[str] = []
    after = None
    while True:
        page = (await query(store, PAGE, {**variables, "first": first, "after": after}))[
            "credentials"
        ]
        ids = [e["node"]["id"] for e in page["edges"]]
        assert [n["id"] for n in page["nodes"]] == ids and len(ids) <= first
        if ids:
            assert page["pageInfo"]["endCursor"] == page["edges"][-1]["cursor"]
        seen += ids
        if not page["pageInfo"]["hasNextPage"]:
            assert page["totalCount"] == len(seen)
            return seen
        after = page["pageInfo"]["endCursor"]


@pytest.mark.parametrize(
    "field",
    ["NAME", "COST", "HOURS", "TRANSPARENCY", "SKILL_COUNT", "OCCUPATION_COUNT", "LAST_SEEN"],
)
@pytest.mark.parametrize("direction", ["ASC", "DESC"])
async def test_pages_in_every_order_cover_everything_once(
    store: GraphStore, field: str, direction: str
) -> None:
    sort = {"field": field, "direction": direction}
    at_once = await walk(store, 100, sort=sort)
    assert sorted(at_once) == sorted(ALL)
    for first in (1, 2, 4):
        assert await walk(store, first, sort=sort) == at_once


async def test_sort_orders_and_default(store: GraphStore) -> None:
    by_cost = await walk(store, 100, sort={"field": "COST"})
    assert by_cost[:3] == [BASICS, DA, MSC]  # ascending by default; unknown costs last
    by_name = await walk(store, 100)
    assert by_name[0] == BARE and by_name[-1] == BASICS
    assert await walk(store, 100, sort={"field": "NAME", "direction": None}) == by_name


@pytest.mark.parametrize(
    ("filter_", "expected"),
    [
        ({}, ALL),
        ({"issuer": data.ACME.id}, {DA, BASICS, CLOUD}),
        ({"issuer": "HTTPS://Acme.Example/issuer/"}, {DA, BASICS, CLOUD}),
        ({"issuer": data.UNI.id.upper()}, {MSC}),
        ({"types": ["BADGE", "DEGREE"]}, {DA, MSC}),
        ({"skills": [data.SQL.id]}, {DA, BASICS, MSC}),
        ({"skills": [data.SQL.id, data.STATS.id]}, {DA, MSC}),
        ({"occupations": ["15-1242.00"]}, {DA, BASICS}),
        ({"occupations": [data.DATA_SCI.id]}, {DA, MSC}),
        ({"maxCost": 200}, {DA, BASICS}),
        ({"maxHours": 40}, {DA, BASICS}),
        ({"text": "sql"}, {DA, BASICS, MSC}),
        ({"text": "Datenwissenschaft"}, {MSC}),
        ({"text": '"; DROP TABLE credentials; --'}, set()),
        ({"text": "sql", "issuer": data.ACME.id, "maxCost": 100}, {BASICS}),
        ({"issuer": "https://unknown.example"}, set()),
        ({"excludeStale": True}, ALL),
    ],
)
async def test_filters(store: GraphStore, filter_: dict[str, Any], expected: set[str]) -> None:
    assert set(await walk(store, 2, filter=filter_)) == expected


async def test_min_transparency_filter(store: GraphStore) -> None:
    scores = {
        c["id"]: c["transparency"]["score"]
        for c in (
            await query(
                store, "{ credentials(first: 100) { nodes { id transparency { score } } } }"
            )
        )["credentials"]["nodes"]
    }
    threshold = sorted(scores.values())[3]
    found = await walk(store, 100, filter={"minTransparency": threshold})
    assert set(found) == {i for i, s in scores.items() if s >= threshold}


async def test_page_size_limits(store: GraphStore) -> None:
    [over] = await errors(store, PAGE, {"first": 101})
    assert over["message"] == "`first` is 101, over the limit of 100 per request"
    assert over["extensions"] == {"code": "BAD_USER_INPUT"}
    [negative] = await errors(store, PAGE, {"first": -1})
    assert negative["message"] == "`first` must be 0 or more, got -1"
    empty = (await query(store, PAGE, {"first": 0}))["credentials"]
    assert empty["edges"] == [] and empty["totalCount"] == 6 and empty["pageInfo"]["hasNextPage"]
    assert len((await query(store, PAGE, {"first": None}))["credentials"]["edges"]) == 6
    [small] = await errors(store, PAGE, {"first": 3}, max_page_size=2)
    assert "over the limit of 2" in small["message"]


async def test_bad_cursors_are_clear_errors(store: GraphStore) -> None:
    [bad] = await errors(store, PAGE, {"after": "!!!not-a-cursor"})
    assert "is not a valid cursor" in bad["message"]
    assert bad["extensions"] == {"code": "BAD_USER_INPUT"} and bad["path"] == ["credentials"]
    by_cost = (await query(store, PAGE, {"first": 2, "sort": {"field": "COST"}}))["credentials"]
    [other] = await errors(
        store, PAGE, {"after": by_cost["pageInfo"]["endCursor"], "sort": {"field": "NAME"}}
    )
    assert "belongs to another sort order" in other["message"]


async def test_unknown_sort_field_and_type_are_validation_errors(store: GraphStore) -> None:
    [sort] = await errors(store, PAGE, {"sort": {"field": "PRICE"}})
    assert "PRICE" in sort["message"] and "CredentialSortField" in sort["message"]
    [kind] = await errors(store, PAGE, {"filter": {"types": ["DIPLOMA"]}})
    assert "DIPLOMA" in kind["message"]
