"""The `schema` check: OB 3.0 credentials against 1EdTech's published JSON Schema, shipped in
the package; the real samples conform, a broken credential is INVALID with the JSON path named
even when its proof holds, and where no shipped schema applies the check says why."""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from jsonschema import Draft201909Validator

from credgraph.verify import Check, Outcome, Status, VerificationResult
from credgraph.verify.result import Checks
from credgraph.verify.schema import check_schema, schema_for, shipped_schemas
from tests.verify.helpers import (
    CLR_SIGNED,
    OB3_SIGNED,
    did_key,
    issuer_site,
    ob3_credential,
    real,
    real_json,
    sign_data_integrity,
    signed_clr,
    verifier,
)

KEY = Ed25519PrivateKey.generate()
OB3_SCHEMA = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
)
CLR_SCHEMA = (
    "https://purl.imsglobal.org/spec/clr/v2p0/schema/json/clr_v2p0_clrcredential_schema.json"
)


def schema_check(result: VerificationResult) -> Check:
    return next(c for c in result.checks if c.name == "schema")


def checked(credential: dict[str, Any]) -> Check:
    checks = Checks()
    check_schema(checks, credential)
    [check] = checks.items
    return check


def test_the_shipped_schema_is_the_published_file_and_a_valid_schema() -> None:
    entry = shipped_schemas()[OB3_SCHEMA]
    data = resources.files("credgraph.verify").joinpath("schemas", entry["file"]).read_bytes()
    assert hashlib.sha256(data).hexdigest() == entry["sha256"]
    assert entry["licence"] and entry["source"] and entry["version"]
    schema = json.loads(data)
    assert schema["$id"] == OB3_SCHEMA
    Draft201909Validator.check_schema(schema)


def described_by_the_ob3_schema() -> list[str]:
    """The real OB 3.0 samples of a type the shipped OB 3.0 schema describes (endorsements and
    other credential types are checked by no shipped schema)."""
    found = [p.name for p in real_json("ob3-")
             if schema_for(json.loads(p.read_text()))[0] == OB3_SCHEMA]  # fmt: skip
    return sorted(found)


def test_the_real_samples_the_schema_describes_are_there() -> None:
    assert len(described_by_the_ob3_schema()) >= 5


@pytest.mark.parametrize("sample", described_by_the_ob3_schema())
def test_every_real_ob3_sample_conforms(sample: str) -> None:
    check = checked(real(sample))
    assert check.outcome is Outcome.PASSED, check.reason
    assert check.reason.startswith("conforms to ob_v3p0_achievementcredential_schema.json")


async def test_the_signed_sample_verifies_with_its_schema_checked() -> None:
    result = await verifier(issuer_site()).verify(document=real(OB3_SIGNED))
    assert result.status is Status.VALID
    assert schema_check(result).outcome is Outcome.PASSED


async def test_a_signed_credential_that_breaks_its_schema_is_invalid_and_says_where() -> None:
    credential = ob3_credential(did_key(KEY))
    del credential["credentialSubject"]["achievement"]["criteria"]
    credential["credentialSubject"]["achievement"]["name"] = 42
    result = await verifier().verify(document=sign_data_integrity(credential, KEY))
    assert result.status is Status.INVALID
    assert next(c for c in result.checks if c.name == "signature").outcome is Outcome.PASSED
    check = schema_check(result)
    assert check.outcome is Outcome.FAILED
    assert "$.credentialSubject.achievement: 'criteria' is a required property" in check.reason
    assert "$.credentialSubject.achievement.name" in check.reason
    assert result.reason().startswith("schema: does not conform to ob_v3p0_achievementcredential")


def test_a_credential_without_valid_from_is_named() -> None:
    credential = real(OB3_SIGNED)
    del credential["validFrom"]
    check = checked(credential)
    assert check.outcome is Outcome.FAILED and check.effect is Status.INVALID
    assert "$: 'validFrom' is a required property" in check.reason


def test_the_real_clr_sample_conforms_to_the_clr_schema() -> None:
    entry = shipped_schemas()[CLR_SCHEMA]
    data = resources.files("credgraph.verify").joinpath("schemas", entry["file"]).read_bytes()
    assert hashlib.sha256(data).hexdigest() == entry["sha256"]
    Draft201909Validator.check_schema(json.loads(data))
    check = checked(real(CLR_SIGNED))
    assert check.outcome is Outcome.PASSED, check.reason
    assert check.reason == "conforms to clr_v2p0_clrcredential_schema.json"


async def test_a_signed_clr_carrying_nothing_breaks_its_schema() -> None:
    result = await verifier().verify(document=signed_clr(KEY))
    assert result.status is Status.INVALID
    assert next(c for c in result.checks if c.name == "signature").outcome is Outcome.PASSED
    outcome, reason = schema_check(result).outcome, schema_check(result).reason
    assert outcome is Outcome.FAILED
    assert reason.startswith("does not conform to clr_v2p0_clrcredential_schema.json: ")
    assert "$.credentialSubject.verifiableCredential" in reason


def test_where_no_shipped_schema_applies_the_check_is_skipped_with_the_reason() -> None:
    v1 = real(OB3_SIGNED)
    v1["@context"] = ["https://www.w3.org/2018/credentials/v1", *v1["@context"][1:]]
    assert checked(v1).reason.startswith("skipped: the 1EdTech schemas describe VC 2.0")
    endorsement = {**real(OB3_SIGNED), "type": ["VerifiableCredential", "EndorsementCredential"]}
    assert "no shipped 1EdTech schema for type" in checked(endorsement).reason


def test_schemas_the_credential_names_that_we_do_not_ship_are_named() -> None:
    credential = real(OB3_SIGNED)
    credential["credentialSchema"] = [
        {"id": OB3_SCHEMA, "type": "1EdTechJsonSchemaValidator2019"},
        {"id": "https://issuer.example/extension.json", "type": "1EdTechJsonSchemaValidator2019"},
    ]
    check = checked(credential)
    assert check.outcome is Outcome.PASSED
    assert "https://issuer.example/extension.json, not shipped, not checked" in check.reason
