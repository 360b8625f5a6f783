"""Shared by tests/verify: the real signed samples (recorded under crawlers/, found by file
name), a stand-in for their issuer's web site, and OB 2.0 issuers, badge classes and
assertions served by the local CatalogServer."""

from __future__ import annotations

import base64
import copy
import hashlib
import json
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import httpx
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from credgraph.verify import Verifier, verification_settings
from credgraph.verify.workers import CheckWorkers
from tests.crawlers.corpus import recorded, recorded_path

OB3_SIGNED = "ob3-openbadgecredential-signed-eddsa-rdfc-2022-1.json"
CLR_SIGNED = "clr2-clrcredential-signed-1.json"
ISSUER_URL = "https://example.edu/issuers/565049"
METHOD = f"{ISSUER_URL}#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"


def real(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(real_path(name).read_text())
    return data


def real_path(name: str) -> Path:
    """A real recorded document, wherever its publisher's folder under crawlers/ is."""
    return recorded_path(name)


def real_json(prefix: str = "") -> list[Path]:
    """Every recorded JSON document whose file name starts with `prefix`."""
    return [r.path for r in recorded() if r.path.suffix == ".json" and r.name.startswith(prefix)]


def issuer_site(
    methods: list[dict[str, Any]] | None = None, status: int = 200
) -> httpx.MockTransport:
    """The sample issuer's profile at its id, listing the key its proofs name, as an issuer
    publishes it (the sample's own site does not exist, so a transport stands in)."""
    profile = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": ISSUER_URL,
        "type": ["Profile"],
        "name": "Example Corp",
        "verificationMethod": methods if methods is not None else [{
            "id": METHOD, "type": "Multikey", "controller": ISSUER_URL,
            "publicKeyMultibase": METHOD.split("#")[1],
        }],
    }  # fmt: skip

    def handler(request: httpx.Request) -> httpx.Response:
        if str(request.url) == ISSUER_URL and status == 200:
            return httpx.Response(200, json=profile)
        return httpx.Response(404 if status == 200 else status, json={"error": "not found"})

    return httpx.MockTransport(handler)


# Tests of what a verification says, not how fast: a budget a busy machine cannot exhaust, so
# a valid credential never reads UNVERIFIABLE because a neighbour took the CPU. The budget
# itself is tested in test_compute_limits.py.
COMPUTE_SECONDS = 30.0


# One pool of check workers for the test process, as a server keeps one: starting a pool
# starts a fork server that imports the checks, which costs more CPU than most verifications.
# A verifier leaves given workers open; their finaliser stops them when the tests end.
WORKERS = CheckWorkers()


def verifier(transport: httpx.AsyncBaseTransport | None = None) -> Verifier:
    """A verifier allowed to reach 127.0.0.1 (the test server), like tests/crawl's fetchers."""
    return Verifier(
        verification_settings(allow_private_networks=True),
        transport=transport,
        workers=WORKERS,
        compute_seconds=COMPUTE_SECONDS,
    )


def tampered(document: dict[str, Any], change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    copied = copy.deepcopy(document)
    change(copied)
    return copied


def hashed_email(email: str, salt: str, algorithm: str = "sha256") -> str:
    return f"{algorithm}${hashlib.new(algorithm, (email + salt).encode()).hexdigest()}"


# -- OB 2.0 signed badges ---------------------------------------------------------------------
@cache
def rsa_key(name: str = "issuer") -> rsa.RSAPrivateKey:
    """One key per name for the session: generating RSA keys is the slow part of these tests."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def public_pem(key: rsa.RSAPrivateKey) -> str:
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def sign_jws(payload: dict[str, Any], key: rsa.RSAPrivateKey, alg: str = "RS256") -> str:
    head = _b64(json.dumps({"alg": alg}).encode())
    body = _b64(json.dumps(payload).encode())
    signature = key.sign(f"{head}.{body}".encode(), padding.PKCS1v15(), hashes.SHA256())
    return f"{head}.{body}.{_b64(signature)}"


def replace_payload(token: str, payload: dict[str, Any]) -> str:
    head, _, sig = token.split(".")
    return f"{head}.{_b64(json.dumps(payload).encode())}.{sig}"


# -- OB 3.0 credentials signed here, by a did:key issuer ----------------------------------------
_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def base58(data: bytes) -> str:
    number, out = int.from_bytes(data, "big"), ""
    while number:
        number, rem = divmod(number, 58)
        out = _B58[rem] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out


def did_key(key: Ed25519PrivateKey) -> str:
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "did:key:z" + base58(b"\xed\x01" + raw)


def ob3_credential(issuer: str, **changes: Any) -> dict[str, Any]:
    credential = copy.deepcopy(real(OB3_SIGNED))
    del credential["proof"]
    credential["issuer"] = {"id": issuer, "type": ["Profile"], "name": "Key Holder Academy"}
    credential["id"] = "urn:uuid:5f0c6d2e-0a43-4c36-9d5b-3c1e0d6c1a10"
    credential.update(changes)
    return credential


def sign_data_integrity(
    credential: dict[str, Any], key: Ed25519PrivateKey, method: str | None = None
) -> dict[str, Any]:
    """Sign with a Data Integrity proof naming `method` (by default the key's own did:key)."""
    from credgraph.verify.data_integrity import signing_input

    did = did_key(key)
    proof = {
        "type": "DataIntegrityProof", "created": "2024-01-01T00:00:00Z",
        "verificationMethod": method or f"{did}#{did.removeprefix('did:key:')}",
        "cryptosuite": "eddsa-rdfc-2022", "proofPurpose": "assertionMethod",
    }  # fmt: skip
    proof["proofValue"] = "z" + base58(key.sign(signing_input(credential, proof)))
    return {**credential, "proof": proof}


def sign_vc_jwt(
    credential: dict[str, Any], key: Ed25519PrivateKey, kid: str | None = None, **claims: Any
) -> str:
    did = did_key(key)
    header = {"alg": "EdDSA", "typ": "JWT", "kid": kid or f"{did}#{did.removeprefix('did:key:')}"}
    payload = {"iss": credential["issuer"]["id"], "jti": credential["id"], "vc": credential,
               "nbf": 1262304000, **claims}  # fmt: skip
    head, body = _b64(json.dumps(header).encode()), _b64(json.dumps(payload).encode())
    return f"{head}.{body}.{_b64(key.sign(f'{head}.{body}'.encode()))}"


def signed_clr(key: Ed25519PrivateKey, *inside: Any) -> dict[str, Any]:
    """The real CLR sample re-issued and signed here by `key`'s did:key, carrying `inside`."""
    clr = copy.deepcopy(real(CLR_SIGNED))
    del clr["proof"]
    clr["id"] = "urn:uuid:0d8e5cf1-7c1e-4c1a-9c59-2f4d8f1e6a01"
    clr["issuer"] = {"id": did_key(key), "type": "Profile", "name": "Registrar"}
    clr["credentialSubject"]["verifiableCredential"] = list(inside)
    return sign_data_integrity(clr, key)
