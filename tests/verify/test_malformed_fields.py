"""Fields of the wrong shape (a list where a string belongs, an object where a list does) end
as a check naming the field and the URL it came from, never as a crash of the verification:
/verify answers 200 with the result, GraphQL the result rather than INTERNAL_SERVER_ERROR."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from credgraph.verify import Outcome, Status, VerificationResult
from tests.api.http_helpers import api
from tests.verify.helpers import verifier

STATUS_LIST = "https://status.example/list"
REVOCATIONS = "https://status.example/revocations"
PAGE = "https://pages.example/badge"


def credential(**changes: Any) -> dict[str, Any]:
    return {"@context": ["https://www.w3.org/ns/credentials/v2"],
            "type": ["VerifiableCredential", "OpenBadgeCredential"], "id": "urn:uuid:x",
            "credentialSubject": {}, **changes}  # fmt: skip


def bitstring_entry(**changes: Any) -> dict[str, Any]:
    return {"type": "BitstringStatusListEntry", "statusPurpose": "revocation",
            "statusListCredential": STATUS_LIST, "statusListIndex": "1", **changes}  # fmt: skip


def site(
    *, status_list: Any = None, revocations: Any = None, page: str = ""
) -> httpx.MockTransport:
    def answer(request: httpx.Request) -> httpx.Response:
        url = str(request.url)
        if url == STATUS_LIST and status_list is not None:
            return httpx.Response(200, json=status_list)
        if url == REVOCATIONS and revocations is not None:
            return httpx.Response(200, json=revocations)
        if url == PAGE and page:
            return httpx.Response(200, text=page, headers={"content-type": "text/html"})
        return httpx.Response(404)

    return httpx.MockTransport(answer)


def revocation(result: VerificationResult) -> tuple[Outcome, str]:
    [found] = [c for c in result.checks if c.name == "revocation"]
    return found.outcome, found.reason


async def test_a_status_type_that_is_a_list_or_an_object_is_named() -> None:
    for kind, said in ((["x"], "a list ['x']"), ({"a": 1}, "an object {'a': 1}")):
        document = credential(credentialStatus={"type": kind, "id": REVOCATIONS})
        result = await verifier(site()).verify(document=document)
        assert revocation(result) == (
            Outcome.NOT_CHECKED, f"credentialStatus: its type must be a string, got {said}"
        )  # fmt: skip


async def test_an_entry_among_several_is_named_by_its_number() -> None:
    document = credential(credentialStatus=[bitstring_entry(statusPurpose="x"), {"type": [1]}])
    result = await verifier(site()).verify(document=document)
    reasons = [c.reason for c in result.checks if c.name == "revocation"]
    assert reasons[1] == "credentialStatus entry 2: its type must be a string, got a list [1]"


async def test_a_status_purpose_that_is_a_list_is_named() -> None:
    document = credential(credentialStatus=bitstring_entry(statusPurpose=["revocation"]))
    result = await verifier(site()).verify(document=document)
    assert revocation(result) == (
        Outcome.NOT_CHECKED, "statusPurpose must be a string, got a list ['revocation']"
    )  # fmt: skip


async def test_a_status_list_whose_type_holds_an_object_is_not_read() -> None:
    listing = {"type": [{"a": 1}], "credentialSubject": {}}
    result = await verifier(site(status_list=listing)).verify(
        document=credential(credentialStatus=bitstring_entry())
    )
    outcome, reason = revocation(result)
    assert outcome is Outcome.NOT_CHECKED
    assert reason == (
        f"status list {STATUS_LIST} could not be read: it is not a status list credential "
        "(its type is a list [{'a': 1}])"
    )


async def test_a_revocation_list_entry_whose_id_is_a_list_names_nothing() -> None:
    listing = {"revokedCredentials": [{"id": ["urn:uuid:x"]}, {"uid": {"a": 1}}, 5]}
    result = await verifier(site(revocations=listing)).verify(
        document=credential(credentialStatus={"type": "1EdTechRevocationList", "id": REVOCATIONS})
    )
    assert revocation(result) == (Outcome.PASSED, f"not in the revocation list {REVOCATIONS}")


@pytest.mark.parametrize("kind", ["5", "[{}]", '{"a": 1}', "null"])
async def test_a_badge_page_whose_embedded_award_has_an_odd_type_links_to_nothing(
    kind: str,
) -> None:
    page = f'<html><script type="application/ld+json">{{"type": {kind}}}</script></html>'
    result = await verifier(site(page=page)).verify(url=PAGE)
    [check] = [c for c in result.checks if c.name == "badge-page"]
    assert check.outcome is Outcome.NOT_CHECKED
    assert check.reason.startswith(f"{PAGE} is a web page that links to no award")


async def test_malformed_status_fields_are_answered_not_500(tmp_path: Path) -> None:
    documents = [
        credential(credentialStatus={"type": ["x"], "id": REVOCATIONS}),
        credential(credentialStatus=bitstring_entry(statusPurpose=["revocation"])),
        credential(credentialStatus=[{"type": {"a": 1}}]),
    ]
    mutation = "mutation V($d: JSON) { verifyCredential(document: $d) { status } }"
    async with api(tmp_path, verifier=verifier(site())) as (client, _app):
        for document in documents:
            posted = await client.post("/verify", json={"document": document})
            assert posted.status_code == 200, posted.text
            [check] = [c for c in posted.json()["checks"] if c["name"] == "revocation"]
            assert check["outcome"] == "NOT_CHECKED" and "must be a string" in check["reason"]
            graphql = await client.post(
                "/graphql", json={"query": mutation, "variables": {"d": document}}
            )
            assert graphql.json() == {"data": {"verifyCredential": {"status": "INVALID"}}}


def test_an_unforeseen_shape_is_a_named_check() -> None:
    from credgraph.verify.malformed import malformed_as_check
    from credgraph.verify.result import Checks

    checks = Checks()
    with malformed_as_check(checks, "revocation", "status list https://s.example/l"):
        {}[["a"]]  # type: ignore[index]  # what a list used as a key raises
    [check] = checks.items
    assert check.outcome is Outcome.NOT_CHECKED and check.effect is Status.UNVERIFIABLE
    assert check.reason.startswith("status list https://s.example/l is malformed")
