"""Issuers, achievements and credentials identified by a DID or a `urn:uuid:` keep that
identifier: a DID issuer is never re-keyed by its name, so two issuers sharing a name stay two."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from credgraph.formats.base import Document, ParseResult
from credgraph.formats.openbadges import parse
from credgraph.model.ids import credential_id, is_did, issuer_id
from credgraph.model.validation import validate_credential
from tests.crawlers.corpus import recorded_path

FETCHED = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
DCC_KEY = "did:key:z6MkhVTX9BF3NGYX6cc7jWpbNnR7cAjH8LUffabZP8Qu4ysC"


def parse_json(body: Any, url: str = "https://wallet.example.org/c.json") -> ParseResult:
    doc = Document(
        url=url, text=json.dumps(body), source_id="t", format="openbadges", fetched_at=FETCHED
    )
    result = parse(doc)
    assert all(validate_credential(c) == [] for c in result.credentials)
    return result


def credential(
    issuer: Any,
    achievement_id: Any = "urn:uuid:bd6d9316-f7ae-4073-a1e5-2f7f5bd22922",
    name: str = "Badge",
) -> dict[str, Any]:
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": "urn:uuid:cebd27cf-f753-471d-bc2b-b728e51595f3",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": issuer,
        "credentialSubject": {"type": ["AchievementSubject"], "achievement": {
            "id": achievement_id, "type": ["Achievement"], "name": name,
            "criteria": {"narrative": "Earned."}}},
    }  # fmt: skip


def test_a_real_did_key_issuer_keeps_its_did_and_its_name() -> None:
    text = recorded_path("vc-dcc-valid-credential.json").read_text(encoding="utf-8")
    (badge,) = parse_json(json.loads(text)).credentials
    assert badge.issuer is not None
    assert (badge.issuer.id, badge.issuer.name) == (
        DCC_KEY,
        "Digital Credentials Consortium Test Issuer",
    )
    assert badge.issuer.url == "https://dcconsortium.org"
    assert badge.id == "urn:uuid:bd6d9316-f7ae-4073-a1e5-2f7f5bd22922"


@pytest.mark.parametrize("did", [
    "did:key:z6MknNQD1WHLGGraFi6zcbGevuAgkVfdyCdtZnQTGWVVvR5Q",
    "did:web:credentials.example.edu",
    "did:web:localhost%3A8443:issuers:1",
    "did:jwk:eyJrdHkiOiJPS1AiLCJjcnYiOiJFZDI1NTE5IiwieCI6IjBfZ2tIeVhQLU5MdjJ3Nk5sMmFNdnR1bEJ3In0",
])  # fmt: skip
def test_every_did_method_keeps_the_did_as_the_issuer_id(did: str) -> None:
    (badge,) = parse_json(
        credential({"id": did, "type": "Profile", "name": "Example U"})
    ).credentials
    assert badge.issuer is not None and (badge.issuer.id, badge.issuer.name) == (did, "Example U")


def test_two_issuers_that_share_a_name_but_not_a_did_stay_two() -> None:
    listing = [
        credential(
            {"id": "did:web:a.example", "type": "Profile", "name": "Example University"},
            "urn:uuid:00000000-0000-4000-8000-000000000001",
            "A",
        ),
        credential(
            {"id": "did:web:b.example", "type": "Profile", "name": "Example University"},
            "urn:uuid:00000000-0000-4000-8000-000000000002",
            "B",
        ),
    ]
    result = parse_json(listing)
    ids = {c.issuer.id for c in result.credentials if c.issuer}
    assert ids == {"did:web:a.example", "did:web:b.example"}


def test_an_issuer_given_only_as_a_did_string_is_that_did_not_a_fetch() -> None:
    result = parse_json(credential("did:web:credentials.example.edu"))
    (badge,) = result.credentials
    assert badge.issuer is not None and badge.issuer.id == "did:web:credentials.example.edu"
    assert result.needs == []  # a DID document names keys, not the issuer: nothing to fetch


@pytest.mark.parametrize("achievement_id", [
    "urn:uuid:bd6d9316-f7ae-4073-a1e5-2f7f5bd22922",
    "did:example:achievement-42",
    "did:web:badges.example.edu:achievements:robotics",
])  # fmt: skip
def test_achievements_identified_by_a_did_or_a_urn_uuid_are_read(achievement_id: str) -> None:
    result = parse_json(credential({"id": "did:web:x.example", "name": "X"}, achievement_id))
    assert [c.id for c in result.credentials] == [achievement_id]
    assert not any("no id" in w for w in result.warnings)


def test_identity_rules_keep_dids_as_published() -> None:
    assert issuer_id(ctid=None, uri=DCC_KEY, name="Other Name") == DCC_KEY
    assert (
        credential_id(ctid=None, uri="did:web:Example.EDU:badges") == "did:web:Example.EDU:badges"
    )
    # a DID URL (with a fragment naming a key) identifies a key, not an issuer
    assert not is_did(f"{DCC_KEY}#{DCC_KEY.split(':')[2]}")
    assert not is_did("did:") and not is_did("did:web")
