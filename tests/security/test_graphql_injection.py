"""The same hostile text through GraphQL over HTTP, as variables and as inline string
literals: every answer is data (nothing found, or the answer the bare words get) or a clean
GraphQL error that names no database, query language or stack frame; the store is unchanged."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import httpx

from credgraph.store import GraphStore
from tests.api.http_helpers import api
from tests.security.payloads import SAMPLE, as_words
from tests.security.snapshot import snapshot, snapshot_of

LOOKUPS = """
query Lookups($t: String!, $id: ID!) {
  search(text: $t, first: 50) { kind id }
  credential(id: $id) { id }
  issuer(id: $id) { id }
  skill(id: $id) { id }
  occupation(id: $id) { id }
  byId: credentials(filter: {issuer: $id, skills: [$id], occupations: [$id]}) { totalCount }
  byText: credentials(filter: {text: $t}) { totalCount edges { node { id } } }
  issuers(filter: {text: $t, country: $t}) { totalCount }
  skills(filter: {text: $t, framework: $t}) { totalCount }
  occupations(filter: {text: $t, codePrefix: $t}) { totalCount }
  similarCredentials(id: $id) { score }
}
"""
CURSOR = "query Page($after: String) { credentials(first: 2, after: $after) { totalCount } }"
# What an internal error would show if it were not masked (GraphQL's own "Syntax Error" is fine).
LEAKS = re.compile(
    r"sqlite|fts5|cypher|neo4j|lucene|traceback|File \"|Exception|"
    r"near \"|no such (table|column)|procedure",
    re.IGNORECASE,
)


def clean_errors(body: dict[str, Any]) -> list[str]:
    messages = [str(e.get("message", "")) for e in body.get("errors") or []]
    for message in messages:
        assert not LEAKS.search(message), message
    return messages


async def post(client: httpx.AsyncClient, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    response = await client.post("/graphql", json={"query": query, "variables": variables})
    assert response.status_code in (200, 400), response.text
    body: dict[str, Any] = response.json()
    return body


async def test_hostile_variables_find_nothing_and_leak_nothing(
    store: GraphStore, tmp_path: Path
) -> None:
    url = str(store.url)  # the app closes the store it serves
    before = await snapshot(store)
    async with api(tmp_path, store=store) as (client, _):
        for payload in SAMPLE:
            body = await post(client, LOOKUPS, {"t": payload, "id": payload})
            assert clean_errors(body) == [], payload
            got = body["data"]
            for field in ("credential", "issuer", "skill", "occupation"):
                assert got[field] is None, (field, payload)
            assert got["byId"]["totalCount"] == 0
            assert got["similarCredentials"] == []
            words = (await post(client, LOOKUPS, {"t": as_words(payload), "id": "none"}))["data"]
            assert got["search"] == words["search"], payload
            assert got["byText"] == words["byText"], payload
    assert await snapshot_of(url) == before


async def test_hostile_text_inline_in_the_query_is_a_string_literal(
    store: GraphStore, tmp_path: Path
) -> None:
    url = str(store.url)  # the app closes the store it serves
    before = await snapshot(store)
    async with api(tmp_path, store=store) as (client, _):
        for payload in [
            "' OR 1=1 --",
            "}) MATCH (n) DETACH DELETE n //",
            '\\" }) RETURN 1 //',
            "*:*",
            "NEAR(data python)",
        ]:
            literal = json.dumps(payload)  # GraphQL string literals escape like JSON
            body = await post(
                client,
                f"{{ search(text: {literal}) {{ id }} credential(id: {literal}) {{ id }} }}",
                {},
            )
            clean_errors(body)
            if body.get("data"):
                assert body["data"]["credential"] is None
        # A literal that breaks out of the string is a syntax error, reported as such.
        body = await post(client, '{ search(text: "x") { id } } } MATCH (n) DETACH DELETE n', {})
        assert clean_errors(body)
    assert await snapshot_of(url) == before


async def test_crafted_cursors_are_a_clean_error(store: GraphStore, tmp_path: Path) -> None:
    async with api(tmp_path, store=store) as (client, _):
        for after in [
            "' OR 1=1 --",
            "eyJhIjoxfQ",
            "WyJOQU1FIixmYWxzZSwxZTMwMCwiJyBPUiAxPTEiXQ",
            "WyJOQU1FIiwgZmFsc2UsIDExODA1OTE2MjA3MTc0MTEzMDM0MjQsICJ4Il0",
        ]:
            body = await post(client, CURSOR, {"after": after})
            assert body.get("data") is None or body["data"]["credentials"] is not None
            messages = clean_errors(body)
            assert messages or body["data"]["credentials"]["totalCount"] >= 0
