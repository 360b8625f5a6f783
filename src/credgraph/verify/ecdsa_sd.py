"""`ecdsa-sd-2023` (W3C VC Data Integrity ECDSA Cryptosuites, selective disclosure): a holder
derives, from the issuer's base proof, a proof over the statements it chose to reveal.

    proofValue  = "u" + base64url(0xd9 0x5d 0x01 + CBOR[baseSignature, publicKey,
                                                      signatures, labelMap, mandatoryIndexes])
    N-Quads     = RDFC-1.0 of the revealed credential, blank nodes renamed by labelMap, sorted
    issuer      signs  SHA-256(RDFC(proof options)) + publicKey + SHA-256(mandatory N-Quads)
    publicKey   (one-time, P-256) signs each other N-Quad, in order, one signature each

Only derived proofs are verified: a base proof (header 0xd9 0x5d 0x00) is the holder's to
derive from, and is UNVERIFIABLE for a verifier, as the specification has it. `parse_derived`
runs where the verification runs (it is cheap and bounded by the proof's size); `verified`
canonicalises and checks every signature, in a worker process.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

from credgraph.verify import cbor
from credgraph.verify.data_integrity import HASHES, relabelled_quads, signed_options
from credgraph.verify.errors import Invalid, Unverifiable
from credgraph.verify.multibase import P256_PREFIX, P384_PREFIX, base64url, multicodec_key
from credgraph.verify.signatures import from_der, key_kind, signature_matches

DERIVED = b"\xd9\x5d\x01"
BASE = b"\xd9\x5d\x00"
# More signatures than a credential under the blank-node budget can have statements.
MAX_SIGNATURES = 5_000


@dataclass(frozen=True, slots=True)
class DerivedProof:
    base_signature: bytes
    public_key: bytes  # the one-time Multikey, header included
    signatures: tuple[bytes, ...]
    labels: dict[str, str]  # c14nN -> the label the issuer's HMAC gave it
    mandatory: frozenset[int]


def parse_derived(value: Any) -> DerivedProof:
    """The five parts of a derived proofValue; Invalid when it is malformed, Unverifiable for
    a base proof."""
    if not isinstance(value, str) or not value.startswith("u"):
        raise Invalid("an ecdsa-sd-2023 proofValue is base64url multibase ('u...')")
    try:
        raw = base64url(value[1:])
    except ValueError as exc:
        raise Invalid(f"the ecdsa-sd-2023 proofValue is {exc}") from exc
    if raw.startswith(BASE):
        raise Unverifiable("ecdsa-sd-2023 base proof: it is for the holder to derive a proof "
                           "from, and only derived proofs are verified")  # fmt: skip
    if not raw.startswith(DERIVED):
        raise Invalid("the ecdsa-sd-2023 proofValue has neither the derived nor the base header")
    try:
        parts = cbor.decode(raw[3:])
    except (ValueError, UnicodeDecodeError) as exc:
        raise Invalid(
            f"the ecdsa-sd-2023 proofValue is not CBOR as the suite writes it: {exc}"
        ) from exc
    return _parts(parts)


def _parts(parts: Any) -> DerivedProof:
    shape = "an array of [base signature, public key, signatures, label map, mandatory indexes]"
    if not isinstance(parts, list) or len(parts) != 5:
        raise Invalid(f"the ecdsa-sd-2023 proof is not {shape}")
    signature, key, signatures, labels, mandatory = parts
    if not (isinstance(signature, bytes) and isinstance(key, bytes)
            and key[:2] in (P256_PREFIX, P384_PREFIX)
            and isinstance(signatures, list) and len(signatures) <= MAX_SIGNATURES
            and all(isinstance(s, bytes) for s in signatures)
            and isinstance(labels, dict)
            and all(isinstance(k, int) and isinstance(v, bytes) for k, v in labels.items())
            and isinstance(mandatory, list) and all(isinstance(i, int) for i in mandatory)):  # fmt: skip
        raise Invalid(f"the ecdsa-sd-2023 proof is not {shape} of the right types")
    named = {
        f"c14n{k}": "u" + base64.urlsafe_b64encode(v).rstrip(b"=").decode()
        for k, v in labels.items()
    }
    return DerivedProof(signature, key, tuple(signatures), named, frozenset(mandatory))


def verified(credential: dict[str, Any], proof: dict[str, Any], issuer_key_der: bytes) -> bool:
    """Whether a derived proof holds: the issuer's signature over the proof options, the
    one-time key and the mandatory statements, and the one-time key's signature over every
    other statement. Runs in a worker process (canonicalisation)."""
    derived = parse_derived(proof.get("proofValue"))
    issuer_key = from_der(issuer_key_der)
    hash_name = "sha384" if key_kind(issuer_key) == "P-384" else "sha256"
    digest = HASHES[hash_name]
    unsecured = {k: v for k, v in credential.items() if k != "proof"}
    quads = relabelled_quads(unsecured, derived.labels, hash_name)
    mandatory = "".join(q for i, q in enumerate(quads) if i in derived.mandatory)
    others = [q for i, q in enumerate(quads) if i not in derived.mandatory]
    if len(others) != len(derived.signatures):
        return False  # a statement revealed without its signature, or a signature too many
    proof_hash = digest(signed_options(credential, proof, hash_name).encode()).digest()
    signed = proof_hash + derived.public_key + digest(mandatory.encode()).digest()
    if not signature_matches(issuer_key, derived.base_signature, signed):
        return False
    one_time = multicodec_key(derived.public_key, "the proof's one-time key")
    return all(
        signature_matches(one_time, s, q.encode())
        for s, q in zip(derived.signatures, others, strict=True)
    )


__all__ = ["DerivedProof", "parse_derived", "verified"]
