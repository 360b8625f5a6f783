"""ecdsa-sd-2023 derived proofs: the CBOR they are written in is read strictly, a malformed
proof value is INVALID, a base proof UNVERIFIABLE, and a revealed statement added or taken
away breaks the proof (the real derived credential of 1EdTech's validator vectors)."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from credgraph.verify import Outcome, Status
from credgraph.verify.cbor import decode
from credgraph.verify.ecdsa_sd import parse_derived
from credgraph.verify.errors import Invalid, Unverifiable
from tests.crawlers.corpus import CRAWLERS
from tests.verify.helpers import verifier
from tests.verify.vectors import vectors, world

DERIVED = CRAWLERS / "1edtech-ob30-validator" / "vectors" / "ob30" / "sd" / "derivedcredential.json"


def derived() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(DERIVED.read_text(encoding="utf-8"))
    return document


def test_cbor_reads_what_the_suite_writes() -> None:
    # [h'0102', 1, -2, "a", {0: h'ff'}]
    assert decode(bytes.fromhex("8542010201216161a10041ff")) == [
        b"\x01\x02",
        1,
        -2,
        "a",
        {0: b"\xff"},
    ]


@pytest.mark.parametrize(
    ("data", "why"),
    [
        ("19", "ends early"),
        ("4301", "runs past the end"),
        ("8501", "claims more entries"),
        ("9bffffffffffffffff", "claims more entries"),
        ("c240", "major type 6"),
        ("f97e00", "major type 7"),
        ("5f", "indefinite"),
        ("0101", "after the CBOR item"),
        ("81" * 20 + "00", "deeper"),
    ],
)
def test_cbor_refuses_the_rest(data: str, why: str) -> None:
    with pytest.raises(ValueError, match=why):
        decode(bytes.fromhex(data))


def test_a_proof_value_that_is_not_a_derived_proof_is_invalid_and_a_base_proof_unverifiable() -> (
    None
):
    with pytest.raises(Invalid, match="base64url multibase"):
        parse_derived("z3abc")
    with pytest.raises(Invalid, match="neither the derived nor the base header"):
        parse_derived("uAAAA")
    with pytest.raises(Invalid, match="not CBOR"):
        parse_derived("u2V0B" + "_w")
    with pytest.raises(Unverifiable, match="base proof"):
        parse_derived("u2V0A" + "gA")
    good = derived()["proof"][0]["proofValue"]
    assert len(parse_derived(good).signatures) > 0


async def _verified(document: dict[str, Any]) -> Any:
    [vector] = [v for v in vectors() if v.id.endswith("ob30/sd/derivedcredential.json")]
    return await verifier(world(vector)).verify(document=document, now=vector.now)


async def test_a_statement_taken_away_or_added_breaks_the_derived_proof() -> None:
    fewer = derived()
    del fewer["credentialSubject"]["achievement"]["description"]
    more = copy.deepcopy(derived())
    more["credentialSubject"]["achievement"]["image"] = {
        "id": "https://example.com/i.png",
        "type": "Image",
    }
    for document in (fewer, more):
        result = await _verified(document)
        assert result.status is Status.INVALID
        assert [c.outcome for c in result.checks if c.name == "signature"] == [Outcome.FAILED]
    assert (await _verified(derived())).status is Status.VALID
