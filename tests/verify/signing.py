"""Credentials and tokens signed here, in every suite credgraph verifies, with keys generated
for the test: Ed25519, P-256 and P-384 did:keys, did:jwk, Data Integrity proofs
(Ed25519Signature2020, eddsa-rdfc-2022, ecdsa-rdfc-2019) and compact JWS with any header."""

from __future__ import annotations

import base64
import json
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from tests.verify.helpers import base58

PrivateKey = Ed25519PrivateKey | ec.EllipticCurvePrivateKey
_PREFIX = {"secp256r1": b"\x80\x24", "secp384r1": b"\x81\x24"}
_SIZE = {"secp256r1": 32, "secp384r1": 48}


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def multikey(key: PrivateKey) -> str:
    public = key.public_key()
    if isinstance(public, ec.EllipticCurvePublicKey):
        point = public.public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.CompressedPoint
        )
        return "z" + base58(_PREFIX[public.curve.name] + point)
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "z" + base58(b"\xed\x01" + raw)


def did_key_of(key: PrivateKey) -> str:
    return f"did:key:{multikey(key)}"


def key_method(key: PrivateKey) -> str:
    return f"{did_key_of(key)}#{multikey(key)}"


def jwk_of(key: PrivateKey) -> dict[str, str]:
    public = key.public_key()
    if isinstance(public, ec.EllipticCurvePublicKey):
        numbers, size = public.public_numbers(), _SIZE[public.curve.name]
        crv = "P-256" if size == 32 else "P-384"
        return {"kty": "EC", "crv": crv, "x": b64(numbers.x.to_bytes(size, "big")),
                "y": b64(numbers.y.to_bytes(size, "big"))}  # fmt: skip
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return {"kty": "OKP", "crv": "Ed25519", "x": b64(raw)}


def did_jwk_of(key: PrivateKey) -> str:
    return "did:jwk:" + b64(json.dumps(jwk_of(key)).encode())


def raw_signature(key: PrivateKey, data: bytes) -> bytes:
    """Ed25519, or ECDSA as r || s with the hash its curve goes with."""
    if isinstance(key, ec.EllipticCurvePrivateKey):
        size = _SIZE[key.curve.name]
        digest = hashes.SHA256() if size == 32 else hashes.SHA384()
        r, s = decode_dss_signature(key.sign(data, ec.ECDSA(digest)))
        return r.to_bytes(size, "big") + s.to_bytes(size, "big")
    return key.sign(data)


def sign_suite(
    credential: dict[str, Any],
    key: PrivateKey,
    suite: str = "eddsa-rdfc-2022",
    method: str | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """Sign `credential` with one proof of `suite` (a cryptosuite, or Ed25519Signature2020)."""
    from credgraph.verify.data_integrity import signing_input

    proof: dict[str, Any] = {"type": "DataIntegrityProof", "cryptosuite": suite}
    if suite == "Ed25519Signature2020":
        proof = {"type": suite}
    proof |= {"created": "2024-01-01T00:00:00Z", "verificationMethod": method or key_method(key),
              "proofPurpose": "assertionMethod", **fields}  # fmt: skip
    sha384 = isinstance(key, ec.EllipticCurvePrivateKey) and key.curve.name == "secp384r1"
    data = signing_input(credential, proof, "sha384" if sha384 else "sha256")
    proof["proofValue"] = "z" + base58(raw_signature(key, data))
    return {**credential, "proof": proof}


def sign_token(header: dict[str, Any], payload: dict[str, Any], key: PrivateKey) -> str:
    head, body = b64(json.dumps(header).encode()), b64(json.dumps(payload).encode())
    return f"{head}.{body}.{b64(raw_signature(key, f'{head}.{body}'.encode()))}"


def jwt_claims(credential: dict[str, Any], **claims: Any) -> dict[str, Any]:
    issuer = credential["issuer"]["id"]
    return {"iss": issuer, "jti": credential["id"], "vc": credential, "nbf": 1262304000, **claims}
