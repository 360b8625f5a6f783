"""What a verification fetches or decodes and hands on is no deeper than a submitted
document may be (MAX_DEPTH): a value nested 900 levels, under Python's recursion limit,
crashed the check worker that sent it back, and JSON deeper than the limit gave a masked
500 where it was decoded on the API's side. Each is now a check or a 400 naming the limit,
and the workers answer the next verification."""

from __future__ import annotations

import base64
import json
from typing import Any

import httpx
import pytest

from credgraph.verify import Outcome, VerificationInputError
from credgraph.verify.errors import Invalid
from credgraph.verify.limits import MAX_DEPTH
from credgraph.verify.methods import did_jwk
from tests.verify.helpers import verifier
from tests.verify.test_status_lists_bounded import (
    LIST,
    REVOCATIONS,
    credential,
    entry,
    serving,
    status_list,
)


def deep(levels: int) -> dict[str, Any]:
    top: dict[str, Any] = {}
    inner = top
    for _ in range(levels):
        inner["a"] = {}
        inner = inner["a"]
    return top


def b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


async def still_answering(transport: httpx.MockTransport) -> None:
    result = await verifier(transport).verify(document=credential(entry(1, LIST)))
    [check] = [c for c in result.checks if c.name == "revocation"]
    assert check.outcome is Outcome.FAILED and check.reason.startswith("revoked: bit 1")


async def test_a_revocation_list_entry_nested_deeply() -> None:
    listing = {"revokedCredentials": [{"id": "urn:uuid:x", "extra": deep(900)}]}
    routes = {REVOCATIONS: listing, LIST: status_list(1)}
    result = await verifier(serving(routes)).verify(
        document=credential({"type": "1EdTechRevocationList", "id": REVOCATIONS})
    )
    [check] = [c for c in result.checks if c.name == "revocation"]
    assert check.outcome is Outcome.NOT_CHECKED
    assert check.reason.endswith(f"its entry nests deeper than {MAX_DEPTH} levels (MAX_DEPTH)")
    await still_answering(serving(routes))


async def test_a_badge_page_embedding_an_award_nested_deeply() -> None:
    award = {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Assertion",
        "id": "https://p.example/a",
        "extra": deep(900),
    }
    page = f'<html><script type="application/ld+json">{json.dumps(award)}</script></html>'

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, text=page, headers={"content-type": "text/html"})

    result = await verifier(httpx.MockTransport(answer)).verify(url="https://p.example/badge")
    [check] = [c for c in result.checks if c.name == "badge-page"]
    assert check.outcome is Outcome.NOT_CHECKED
    assert check.reason.endswith(f"its embedded award nests deeper than {MAX_DEPTH} levels")
    await still_answering(serving({LIST: status_list(1)}))


async def test_a_jws_payload_deeper_than_python_reads_is_bad_input() -> None:
    token = f"{b64(json.dumps({'alg': 'ES256'}))}.{b64('[' * 50_000)}.{b64('sig')}"
    with pytest.raises(VerificationInputError, match="JWS payload is not JSON"):
        await verifier(serving({})).verify(document=token)


@pytest.mark.parametrize("jwk", ["[" * 50_000, json.dumps({"kty": "OKP", **deep(900)})])
def test_a_did_jwk_deeper_than_a_key_is_invalid(jwk: str) -> None:
    """A did:jwk names its key in itself: one that does not decode, or nests (a JWK is
    flat), is no key, whatever names it (a credential, a status list's proof)."""
    with pytest.raises(Invalid, match="is not a did:jwk"):
        did_jwk("did:jwk:" + b64(jwk) + "#0")


async def test_fetched_json_is_decoded_and_measured_once_per_verification() -> None:
    """A key document each proof names, an issuer profile two checks read: decoded once,
    its refusal kept too."""
    from credgraph.fetch import Fetcher
    from credgraph.verify import verification_settings
    from credgraph.verify.errors import Unverifiable
    from credgraph.verify.remote import Remote

    routes = {"https://k.example/key": {"id": "k"}, "https://k.example/deep": deep(900)}
    async with Fetcher(
        verification_settings(allow_private_networks=True), transport=serving(routes)
    ) as fetcher:
        remote = Remote(fetcher)
        first = await remote.json("https://k.example/key")
        assert first == {"id": "k"} and await remote.json("https://k.example/key") is first
        for _ in range(2):
            with pytest.raises(Unverifiable, match=f"nests deeper than {MAX_DEPTH} levels"):
                await remote.json("https://k.example/deep")


async def test_a_fetched_award_holding_a_lone_surrogate_is_not_read() -> None:
    # "\ud800" as a JSON escape decodes to no Unicode text: no hash, store or canonical form
    # takes it, and it once ended a verification in a masked 500.
    text = '{"@context": "https://w3id.org/openbadges/v2", "type": "Assertion", "id": "\\ud800"}'

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, text=text, headers={"content-type": "application/json"})

    result = await verifier(httpx.MockTransport(answer)).verify(url="https://p.example/a.json")
    [check] = [c for c in result.checks if c.name == "document"]
    assert check.outcome is Outcome.NOT_CHECKED
    assert "lone UTF-16 surrogate" in check.reason
