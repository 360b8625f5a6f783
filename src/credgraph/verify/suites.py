"""The proof suites verified, and what each asks of its key and hash.

    Ed25519Signature2020                  Ed25519           (the suite most OB 3.0 issuers used first)
    DataIntegrityProof eddsa-rdfc-2022    Ed25519
                       eddsa-2022         Ed25519           (eddsa-rdfc-2022's name in 2022-23 drafts)
                       ecdsa-rdfc-2019    P-256 or P-384
                       ecdsa-2019         P-256 or P-384    (ecdsa-rdfc-2019's name in 2023 drafts)
                       ecdsa-sd-2023      P-256 or P-384    derived proofs only (`ecdsa_sd`)

All but ecdsa-sd-2023 sign SHA-256 (SHA-384 for a P-384 key) of the RDFC-1.0 canonical proof
options, then of the credential (`data_integrity.signing_input`). Suites we know but do not
verify are named in the answer (`not_verified`), so a credential signed with one is
UNVERIFIABLE "for that suite", never mistaken for a broken signature.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from credgraph.verify.signatures import PublicKey, key_kind


@dataclass(frozen=True, slots=True)
class Suite:
    name: str
    keys: tuple[str, ...]  # the key kinds (`signatures.key_kind`) it signs with
    selective: bool = False

    def hash_for(self, key: PublicKey) -> str:
        return "sha384" if key_kind(key) == "P-384" else "sha256"


_EDDSA = ("Ed25519",)
_ECDSA = ("P-256", "P-384")
_CRYPTOSUITES = {
    "eddsa-rdfc-2022": Suite("eddsa-rdfc-2022", _EDDSA),
    "eddsa-2022": Suite("eddsa-2022", _EDDSA),
    "ecdsa-rdfc-2019": Suite("ecdsa-rdfc-2019", _ECDSA),
    "ecdsa-2019": Suite("ecdsa-2019", _ECDSA),
    "ecdsa-sd-2023": Suite("ecdsa-sd-2023", _ECDSA, selective=True),
}
_TYPES = {"Ed25519Signature2020": Suite("Ed25519Signature2020", _EDDSA)}
_NOT_VERIFIED = {
    "eddsa-jcs-2022": "JSON canonicalisation (JCS) suites are not verified",
    "ecdsa-jcs-2019": "JSON canonicalisation (JCS) suites are not verified",
    "bbs-2023": "BBS selective-disclosure proofs are not verified",
    "Ed25519Signature2018": "the 2018 Ed25519 suite (detached JWS) is not verified",
    "JsonWebSignature2020": "JsonWebSignature2020 (detached JWS) is not verified",
    "RsaSignature2018": "RsaSignature2018 is not verified",
    "EcdsaSecp256k1Signature2019": "secp256k1 signatures are not verified",
    "BbsBlsSignature2020": "BBS+ signatures are not verified",
}
SUPPORTED = tuple(sorted([*_TYPES, *_CRYPTOSUITES]))


def described(proof: dict[str, Any]) -> str:
    """How a proof names its suite: its cryptosuite for a DataIntegrityProof, else its type."""
    if proof.get("type") == "DataIntegrityProof":
        return str(proof.get("cryptosuite") or "DataIntegrityProof without a cryptosuite")
    return str(proof.get("type") or "a proof without a type")


def suite_of(proof: dict[str, Any]) -> Suite | None:
    if proof.get("type") == "DataIntegrityProof":
        return _CRYPTOSUITES.get(str(proof.get("cryptosuite")))
    return _TYPES.get(str(proof.get("type")))


def not_verified(proof: dict[str, Any]) -> str:
    """Why a proof of a suite we do not verify is not verified (naming the suite)."""
    name = described(proof)
    known = _NOT_VERIFIED.get(name)
    return f"{name}: {known}" if known else f"{name} is not a proof suite we verify"
