"""Verification benchmark: verifications per second for each proof type, on one core,
without a store and without network (keys and issuer documents come from an in-process
transport, so what is measured is parsing, canonicalisation and signature checks).

    python bench/verify_bench.py            # 200 verifications of each kind
    python bench/verify_bench.py -n 1000
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path
from typing import Any

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from credgraph.verify import Status, Verifier, verification_settings
from tests.verify.helpers import (
    CLR_SIGNED,
    OB3_SIGNED,
    did_key,
    issuer_site,
    ob3_credential,
    public_pem,
    real,
    rsa_key,
    sign_data_integrity,
    sign_jws,
    sign_vc_jwt,
)

SITE = "https://badges.example"


def ob2_site() -> tuple[httpx.MockTransport, str]:
    key = rsa_key()
    docs: dict[str, Any] = {
        f"{SITE}/issuer": {"id": f"{SITE}/issuer", "type": "Issuer", "name": "Bench Issuer",
                           "url": SITE, "email": "a@b.example", "publicKey": f"{SITE}/key",
                           "revocationList": f"{SITE}/revoked"},
        f"{SITE}/badge": {"id": f"{SITE}/badge", "type": "BadgeClass", "name": "Bench Badge",
                          "description": "d", "criteria": {"narrative": "n"},
                          "issuer": f"{SITE}/issuer"},
        f"{SITE}/key": {"id": f"{SITE}/key", "type": "CryptographicKey",
                        "owner": f"{SITE}/issuer", "publicKeyPem": public_pem(key)},
        f"{SITE}/revoked": {"type": "RevocationList", "revokedAssertions": []},
    }  # fmt: skip

    def handler(request: httpx.Request) -> httpx.Response:
        found = docs.get(str(request.url))
        return httpx.Response(200, json=found) if found else httpx.Response(404)

    payload = {"@context": "https://w3id.org/openbadges/v2", "type": "Assertion",
               "id": "urn:uuid:1", "badge": f"{SITE}/badge", "issuedOn": "2024-01-01T00:00:00Z",
               "recipient": {"type": "email", "identity": "a@b.example", "hashed": False},
               "verification": {"type": "SignedBadge", "creator": f"{SITE}/key"}}  # fmt: skip
    return httpx.MockTransport(handler), sign_jws(payload, key)


def did_web_site(key: Ed25519PrivateKey) -> tuple[httpx.MockTransport, str]:
    """A did:web issuer's DID document, served in-process (the tests serve one over HTTPS)."""
    did = "did:web:badges.example"
    document = {"id": did, "assertionMethod": ["#key-1"], "verificationMethod": [
        {"id": f"{did}#key-1", "type": "Multikey", "controller": did,
         "publicKeyMultibase": did_key(key).removeprefix("did:key:")}]}  # fmt: skip

    def handler(request: httpx.Request) -> httpx.Response:
        if str(request.url) == "https://badges.example/.well-known/did.json":
            return httpx.Response(200, json=document)
        return httpx.Response(404)

    return httpx.MockTransport(handler), did


async def rate(verifier: Verifier, document: Any, n: int) -> tuple[float, Status]:
    result = await verifier.verify(document=document)  # warm caches
    started = time.perf_counter()
    for _ in range(n):
        await verifier.verify(document=document)
    return n / (time.perf_counter() - started), result.status


async def main(n: int) -> None:
    settings = verification_settings(allow_private_networks=True)
    key = Ed25519PrivateKey.generate()
    credential = ob3_credential(did_key(key))
    ob2_transport, ob2_token = ob2_site()
    web_transport, web_did = did_web_site(key)
    cases = [
        ("Data Integrity eddsa-rdfc-2022 (real sample, HTTP key)",
         Verifier(settings, transport=issuer_site()), real(OB3_SIGNED)),
        ("CLR 2.0 real sample + the credential it carries (HTTP key)",
         Verifier(settings, transport=issuer_site()), real(CLR_SIGNED)),
        ("Data Integrity eddsa-rdfc-2022 (did:web)", Verifier(settings, transport=web_transport),
         sign_data_integrity(ob3_credential(web_did), key, f"{web_did}#key-1")),
        ("Data Integrity eddsa-rdfc-2022 (did:key)", Verifier(settings),
         sign_data_integrity(credential, key)),
        ("VC-JWT EdDSA (did:key)", Verifier(settings), sign_vc_jwt(credential, key)),
        ("OB 2.0 signed JWS RS256", Verifier(settings, transport=ob2_transport), ob2_token),
    ]  # fmt: skip
    table = Table(title=f"verifications per second ({n} each, one process)")
    for column in ("proof", "status", "per second", "ms each"):
        table.add_column(column)
    for name, verifier, document in cases:
        per_second, status = await rate(verifier, json.loads(json.dumps(document)), n)
        table.add_row(name, status.value, f"{per_second:,.0f}", f"{1000 / per_second:.2f}")
    Console().print(table)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=200)
    asyncio.run(main(parser.parse_args().n))
