"""Testing an identity against the recipient an award names, in any script."""

from __future__ import annotations

import hashlib

import pytest

from credgraph.verify.recipient import Recipient


def hashed(identity: str, salt: str = "") -> str:
    return "sha256$" + hashlib.sha256((identity + salt).encode()).hexdigest()


@pytest.mark.parametrize(
    ("recipient", "candidate", "expected"),
    [
        (Recipient("email", hashed("josé@example.org", "s"), True, "s"), "josé@example.org", True),
        (Recipient("email", hashed("josé@example.org", "s"), True, "s"), "jose@example.org", False),
        (Recipient("email", "josé@example.org"), "JOSÉ@example.org", True),  # lower-cased
        (Recipient("email", "jose@example.org"), "josé@example.org", False),
        (Recipient("url", "https://例え.jp/ja"), "https://例え.jp/ja", True),
        (Recipient("email", "sha256$éé", True), "ann@example.org", False),  # not a digest
        (Recipient("email", hashed("ann@example.org"), True), "\ud800", False),  # a lone surrogate
    ],
)
def test_identities_in_any_script_are_compared(
    recipient: Recipient, candidate: str, expected: bool
) -> None:
    assert recipient.matches(candidate) is expected
