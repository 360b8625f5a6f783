"""`POST /verify` and GraphQL `verifyCredential` through the ASGI app (real HTTP semantics,
no socket), with a verifier allowed to reach the local issuer site."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

from credgraph.api.http.verify import MAX_BODY_BYTES
from credgraph.store import open_store
from credgraph.verify import SOURCE_ID
from credgraph.verify.verifier import DEFINITION
from tests.api.http_helpers import (
    DOWN,
    TEST_SETTINGS,
    api,
    loaded_store_url,
    reads_fail,
    reads_hang,
)
from tests.verify.helpers import OB3_SIGNED, issuer_site, real, sign_jws, verifier
from tests.verify.ob2_site import EMAIL, ob2_site

JSON = {"Content-Type": "application/json"}
VERIFY = """
mutation Verify($url: String, $document: JSON, $identity: String!) {
  verifyCredential(url: $url, document: $document) {
    status reason kind checks { name outcome reason }
    recipient { type identity hashed salt }
    matchesRecipient(identity: $identity)
    issuer { name }
    achievement { inGraph ingested transparency { score }
                  credential { id name provenance { source url } } }
  }
}
"""


async def test_post_verify_answers_the_result(tmp_path: Path) -> None:
    with ob2_site() as site:
        url = site.serve("/assertions/1.json", site.assertion("/assertions/1.json"))
        async with api(tmp_path, verifier=verifier()) as (client, _app):
            response = await client.post("/verify", json={"url": url, "identity": EMAIL})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "VALID"
    assert body["matchesRecipient"] is True
    assert body["recipient"]["hashed"] is True
    assert [c["name"] for c in body["checks"]][:3] == ["hosted-assertion", "badge", "issuer"]
    [achievement] = body["achievements"]
    assert achievement["ingested"] is True
    assert achievement["definition"]["name"] == "Robotics Fundamentals"
    assert achievement["credentialId"] == achievement["definition"]["id"]


async def test_an_identity_outside_ascii_is_compared(tmp_path: Path) -> None:
    with ob2_site() as site:
        url = site.serve("/assertions/1.json", site.assertion("/assertions/1.json"))
        async with api(tmp_path, verifier=verifier()) as (client, _app):
            response = await client.post("/verify", json={"url": url, "identity": "josé@例え.jp"})
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "VALID"
    assert response.json()["matchesRecipient"] is False


async def test_post_verify_takes_a_document_and_a_jws(tmp_path: Path) -> None:
    with ob2_site() as site:
        token = sign_jws(site.signed_payload(), site.key)
        async with api(tmp_path, verifier=verifier()) as (client, _app):
            signed = await client.post("/verify", json={"document": token})
    async with api(tmp_path, verifier=verifier(issuer_site())) as (client, _app):
        ob3 = await client.post("/verify", json={"document": real(OB3_SIGNED)})
    assert signed.json()["status"] == "VALID"
    assert ob3.json()["status"] == "VALID"
    assert ob3.json()["kind"] == "ob3-data-integrity"


async def test_bad_bodies_get_clear_400s(tmp_path: Path) -> None:
    async with api(tmp_path, verifier=verifier()) as (client, _app):
        cases = {
            b"": "empty body",
            b"{not json": "not JSON",
            b"[1]": "must be a JSON object",
            b'{"url": "x", "document": {}}': "exactly one of `url` or `document`",
            b"{}": "exactly one of `url` or `document`",
            b'{"url": "ftp://example.org/a"}': "must be an http(s) URL",
            b'{"link": "https://example.org"}': "unknown field(s) ['link']",
            b'{"document": {"name": "x"}}': "not an award we can verify",
            # JSON escapes of a lone surrogate: no text, no hash, no canonical form
            b'{"url": "https://example.org/\\ud800"}': "`url` holds a lone UTF-16 surrogate",
            b'{"document": "{\\"name\\": \\"\\ud800\\"}"}': "`document` holds a lone",
            b'{"document": {"type": ["VerifiableCredential"], "name": "\\udc00"}}': (
                "`document` holds a lone UTF-16 surrogate"
            ),
            json.dumps({"document": '{"name": "\\ud800"}'}).encode(): "`document` holds a lone",
            # held to the limit whether sent as an object or as text
            json.dumps({"document": {"name": "x" * 260_000}}).encode(): "over 256,000 bytes",
        }
        for body, message in cases.items():
            response = await client.post("/verify", content=body, headers=JSON)
            assert response.status_code == 400, (body, response.text)
            assert message in response.json()["error"], (body, response.json())
        too_big = await client.post("/verify", content=b" " * (MAX_BODY_BYTES + 1), headers=JSON)
        assert too_big.status_code == 413
        wrong_method = await client.get("/verify")
        assert wrong_method.status_code == 405


async def test_bodies_not_sent_as_json_are_refused_before_anything_is_fetched(
    tmp_path: Path,
) -> None:
    """A form or a `no-cors` fetch from any website can only send text/plain, form-urlencoded
    or multipart bodies: refused (415) as /graphql refuses them, so no other site can make a
    visitor's browser run verifications."""
    with ob2_site() as site:
        url = site.serve("/assertions/1.json", site.assertion("/assertions/1.json"))
        body = json.dumps({"url": url})
        async with api(tmp_path, verifier=verifier()) as (client, _app):
            refused = {
                kind: await client.post("/verify", content=body, headers={"Content-Type": kind})
                for kind in ("text/plain", "application/x-www-form-urlencoded")
            }
            untyped = await client.post("/verify", content=body)
            allowed = await client.post(
                "/verify", content=body, headers={"Content-Type": "application/json; charset=utf-8"}
            )
        fetched = site.server.hits("/assertions/1.json")
    for kind, response in refused.items():
        assert response.status_code == 415, (kind, response.text)
        assert kind in response.json()["error"] and "application/json" in response.json()["error"]
    assert untyped.status_code == 415 and "not nothing" in untyped.json()["error"]
    assert allowed.status_code == 200, allowed.text
    assert len(fetched) == 1  # only the JSON request reached the verifier


async def test_verifications_have_their_own_rate_limit(tmp_path: Path) -> None:
    async with api(tmp_path, verifier=verifier()) as (client, _app):
        answers = [
            (await client.post("/verify", json={"document": {"name": "x"}})).status_code
            for _ in range(12)
        ]
    assert answers[:10] == [400] * 10  # the burst (bad input still costs a verification)
    assert 429 in answers[10:]


async def test_the_graphql_mutation_verifies_and_maps_onto_the_graph(tmp_path: Path) -> None:
    with ob2_site() as site:
        url = site.serve("/assertions/1.json", site.assertion("/assertions/1.json"))
        async with api(tmp_path, verifier=verifier()) as (client, _app):
            response = await client.post("/graphql", json={
                "query": VERIFY, "variables": {"url": url, "identity": EMAIL},
            })  # fmt: skip
    body = response.json()
    assert "errors" not in body, body
    result = body["data"]["verifyCredential"]
    assert result["status"] == "VALID"
    assert result["matchesRecipient"] is True
    assert result["issuer"]["name"] == "Robotics Academy"
    achievement = result["achievement"]
    assert achievement["inGraph"] is True and achievement["ingested"] is True
    assert achievement["credential"]["name"] == "Robotics Fundamentals"
    assert achievement["credential"]["provenance"] == [{"source": SOURCE_ID, "url": site.badge_id}]


async def test_the_graphql_mutation_reports_tampering_and_bad_input(tmp_path: Path) -> None:
    tampered = real(OB3_SIGNED)
    tampered["name"] = "Teamwork Badge!"
    async with api(tmp_path, verifier=verifier(issuer_site())) as (client, _app):
        invalid = await client.post("/graphql", json={
            "query": VERIFY, "variables": {"document": tampered, "identity": "x"},
        })  # fmt: skip
        bad = await client.post("/graphql", json={
            "query": VERIFY, "variables": {"document": "not a badge", "identity": "x"},
        })  # fmt: skip
    result = invalid.json()["data"]["verifyCredential"]
    assert result["status"] == "INVALID"
    assert result["reason"].startswith("signature:")
    assert result["achievement"]["inGraph"] is False  # nothing unverified is stored
    error = bad.json()["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "neither JSON nor a compact JWS" in error["message"]


async def test_verification_is_refused_over_get(tmp_path: Path) -> None:
    async with api(tmp_path, verifier=verifier()) as (client, _app):
        response = await client.get("/graphql", params={
            "query": VERIFY, "variables": json.dumps({"url": "https://a.example/1", "identity": "x"}),
        })  # fmt: skip
    assert response.status_code == 405


async def test_the_verification_rate_limit_is_a_setting(tmp_path: Path) -> None:
    from credgraph.api.settings import load_settings

    settings = replace(TEST_SETTINGS, verify_rate_per_client=0.01, verify_burst_per_client=2)
    async with api(tmp_path, settings, verifier=verifier()) as (client, _app):
        answers = [
            (await client.post("/verify", json={"document": {"name": "x"}})).status_code
            for _ in range(3)
        ]
    assert answers == [400, 400, 429]
    env = {"CREDGRAPH_VERIFY_RATE_PER_CLIENT": "2", "CREDGRAPH_VERIFY_BURST_PER_CLIENT": "5"}
    loaded = load_settings(env)
    assert (loaded.verify_rate_per_client, loaded.verify_burst_per_client) == (2.0, 5)


# -- while the store cannot be reached --------------------------------------------------------
# The verdict does not depend on the graph: a verification answers it, its definition not
# mapped onto the graph and a non-blocking `definition` check saying why. FROZEN is a hang
# guard only (a store that never answers held /verify for its reads' whole retry).
FROZEN = 30.0


def unmapped_verdict(body: dict[str, Any]) -> tuple[str, list[dict[str, Any]]]:
    """The status, and the `definition` checks of an answer."""
    return body["status"], [c for c in body["checks"] if c["name"] == DEFINITION]


async def test_post_verify_answers_the_verdict_when_the_store_gave_up(tmp_path: Path) -> None:
    store = reads_fail(open_store(await loaded_store_url(tmp_path)))
    async with api(tmp_path, store=store, verifier=verifier(issuer_site())) as (client, _app):
        async with asyncio.timeout(FROZEN):
            response = await client.post("/verify", json={"document": real(OB3_SIGNED)})
    assert response.status_code == 200, response.text
    status, [check] = unmapped_verdict(response.json())
    assert status == "VALID"
    assert check["outcome"] == "NOT_CHECKED"
    assert "not mapped onto the graph" in check["reason"] and DOWN in check["reason"]
    assert [a["credentialId"] for a in response.json()["achievements"]] == [None]


async def test_post_verify_does_not_wait_for_a_store_that_does_not_answer(
    tmp_path: Path,
) -> None:
    store = reads_hang(open_store(await loaded_store_url(tmp_path)), asyncio.Event())
    settings = replace(TEST_SETTINGS, timeout_seconds=1.0)
    async with api(tmp_path, settings, store=store, verifier=verifier(issuer_site())) as (
        client,
        _app,
    ):
        async with asyncio.timeout(FROZEN):
            response = await client.post("/verify", json={"document": real(OB3_SIGNED)})
    assert response.status_code == 200, response.text
    status, [check] = unmapped_verdict(response.json())
    assert status == "VALID"
    assert "the store did not answer within 0.5 s" in check["reason"]


async def test_the_graphql_mutation_answers_the_verdict_when_the_store_gave_up(
    tmp_path: Path,
) -> None:
    store = reads_fail(open_store(await loaded_store_url(tmp_path)))
    async with api(tmp_path, store=store, verifier=verifier(issuer_site())) as (client, _app):
        async with asyncio.timeout(FROZEN):
            response = await client.post("/graphql", json={
                "query": VERIFY, "variables": {"document": real(OB3_SIGNED), "identity": "x"},
            })  # fmt: skip
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    status, [check] = unmapped_verdict(body["data"]["verifyCredential"])
    assert status == "VALID" and DOWN in check["reason"]
    assert body["data"]["verifyCredential"]["achievement"]["inGraph"] is False
