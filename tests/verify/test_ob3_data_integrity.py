"""OB 3.0 and CLR 2.0 credentials with a Data Integrity eddsa-rdfc-2022 proof: the real
signed samples of the specification, verified with contexts shipped in the package."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from importlib import resources

import pytest

from credgraph.verify import Outcome, Status
from credgraph.verify.contexts import known_contexts, load_context, pinned
from credgraph.verify.errors import Unverifiable
from tests.verify.helpers import (
    ISSUER_URL,
    METHOD,
    OB3_SIGNED,
    issuer_site,
    real,
    tampered,
    verifier,
)


def outcomes(result: object) -> dict[str, Outcome]:
    return {c.name: c.outcome for c in result.checks}  # type: ignore[attr-defined]


async def test_the_real_signed_ob3_sample_verifies() -> None:
    result = await verifier(issuer_site()).verify(document=real(OB3_SIGNED))
    assert result.status is Status.VALID, result.checks
    checks = outcomes(result)
    assert checks["signature"] is Outcome.PASSED
    assert checks["verification-method"] is Outcome.PASSED
    assert checks["contexts"] is Outcome.PASSED
    assert result.kind == "ob3-data-integrity"
    assert result.credential_id == "http://example.com/credentials/3527"
    assert result.issuer is not None and result.issuer.name == "Example Corp"
    assert result.recipient is not None
    assert result.recipient.identity == "did:example:ebfeb1f712ebc6f1c276e12ec21"
    assert result.issued_on is not None and result.issued_on.year == 2010
    [achievement] = result.achievements
    assert achievement.definition.name == "Teamwork"
    assert achievement.definition.criteria
    assert achievement.transparency.score > 0


async def test_one_changed_character_is_caught() -> None:
    def change(doc: dict) -> None:  # type: ignore[type-arg]
        doc["credentialSubject"]["id"] = doc["credentialSubject"]["id"][:-1] + "2"

    result = await verifier(issuer_site()).verify(document=tampered(real(OB3_SIGNED), change))
    assert result.status is Status.INVALID
    failed = [c for c in result.checks if c.outcome is Outcome.FAILED]
    assert [c.name for c in failed] == ["signature"]
    assert "changed after signing" in failed[0].reason


async def test_a_changed_achievement_name_is_caught() -> None:
    def change(doc: dict) -> None:  # type: ignore[type-arg]
        doc["credentialSubject"]["achievement"]["name"] = "Teamwork!"

    result = await verifier(issuer_site()).verify(document=tampered(real(OB3_SIGNED), change))
    assert result.status is Status.INVALID
    assert outcomes(result)["signature"] is Outcome.FAILED


async def test_without_the_issuers_key_the_signature_is_checked_but_not_trusted() -> None:
    # The issuer's site is unreachable: a key spelled in the proof proves nothing about who
    # signed, so the answer is UNVERIFIABLE, but tampering is still caught.
    result = await verifier(issuer_site(status=503)).verify(document=real(OB3_SIGNED))
    assert result.status is Status.UNVERIFIABLE
    checks = outcomes(result)
    assert checks["verification-method"] is Outcome.NOT_CHECKED
    assert checks["signature"] is Outcome.PASSED

    def change(doc: dict) -> None:  # type: ignore[type-arg]
        doc["validFrom"] = "2010-01-01T00:00:01Z"

    broken = await verifier(issuer_site(status=503)).verify(
        document=tampered(real(OB3_SIGNED), change)
    )
    assert broken.status is Status.INVALID


async def test_a_key_the_issuers_own_document_does_not_list_is_disowned() -> None:
    # The issuer's profile answers and lists another key: the key the proof names is not one
    # the issuer signs with (INVALID), though the key it spells still verifies the signature.
    other = [{"id": f"{ISSUER_URL}#other", "type": "Multikey", "controller": ISSUER_URL,
              "publicKeyMultibase": METHOD.split("#")[1]}]  # fmt: skip
    result = await verifier(issuer_site(methods=other)).verify(document=real(OB3_SIGNED))
    assert result.status is Status.INVALID
    reason = next(c.reason for c in result.checks if c.name == "verification-method")
    assert reason == f"{ISSUER_URL} does not describe the verification method {METHOD}"


async def test_a_key_controlled_by_someone_else_is_invalid() -> None:
    stolen = [{"id": METHOD, "type": "Multikey", "controller": "https://attacker.example/",
               "publicKeyMultibase": METHOD.split("#")[1]}]  # fmt: skip
    result = await verifier(issuer_site(methods=stolen)).verify(document=real(OB3_SIGNED))
    assert result.status is Status.INVALID
    assert outcomes(result)["verification-method"] is Outcome.FAILED


async def test_a_credential_not_yet_valid_is_invalid() -> None:
    result = await verifier(issuer_site()).verify(
        document=real(OB3_SIGNED), now=datetime(2009, 1, 1, tzinfo=UTC)
    )
    assert result.status is Status.INVALID
    assert outcomes(result)["issued"] is Outcome.FAILED
    assert outcomes(result)["signature"] is Outcome.PASSED


def test_the_shipped_contexts_are_pinned_copies_of_named_repository_files() -> None:
    contexts = known_contexts()
    for url in (
        "https://www.w3.org/ns/credentials/v2",
        "https://www.w3.org/2018/credentials/v1",
        "https://w3id.org/security/data-integrity/v1",
        "https://w3id.org/security/data-integrity/v2",
        "https://w3id.org/security/multikey/v1",
        "https://w3id.org/security/suites/ed25519-2020/v1",
        "https://purl.imsglobal.org/spec/ob/v3p0/context.json",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json",
        "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json",
        "https://w3id.org/vc/status-list/2021/v1",
    ):
        assert url in contexts, url
    folder = resources.files("credgraph.verify").joinpath("contexts")
    for url, entry in contexts.items():
        assert entry["licence"] and entry["repository"] and entry["source"], url
        assert len(entry["commit"]) == 40, url
        data = folder.joinpath(entry["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], url
        assert load_context(url)["document"]["@context"], url
    shipped = {p.name for p in folder.iterdir() if p.name.endswith(".json")} - {"index.json"}
    assert shipped == {entry["file"] for entry in contexts.values()}  # nothing unlisted ships


def test_a_context_whose_bytes_are_not_the_pinned_ones_is_refused() -> None:
    entry = known_contexts()["https://www.w3.org/ns/credentials/v2"]
    good = resources.files("credgraph.verify").joinpath("contexts", entry["file"]).read_bytes()
    assert pinned("https://www.w3.org/ns/credentials/v2", entry, good)
    with pytest.raises(Unverifiable, match="is not the pinned file"):
        pinned(
            "https://www.w3.org/ns/credentials/v2",
            entry,
            good.replace(b"credentials#", b"credential#", 1),
        )
