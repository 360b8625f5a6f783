"""A did:web issuer on the local test server, over real HTTPS (did:web is HTTPS only): a
throwaway certificate for localhost, the server's socket wrapped in TLS, and verifiers whose
transport trusts that certificate and nothing else."""

from __future__ import annotations

import base64
import datetime as dt
import ipaddress
import json
import ssl
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

import httpx
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.x509.oid import NameOID

from credgraph.verify import Verifier, verification_settings
from tests.crawl.server import CatalogServer, Route
from tests.verify.helpers import WORKERS, did_key


@cache
def certificate() -> tuple[bytes, bytes]:
    """(certificate PEM, key PEM) for localhost and 127.0.0.1, its own issuer."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [
                    x509.DNSName("localhost"),
                    x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                ]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return cert.public_bytes(serialization.Encoding.PEM), key_pem


def verifier(*, guard: bool = False) -> Verifier:
    """A verifier trusting the test certificate; `guard` keeps the SSRF guard on (as in
    production), which must refuse localhost. A new one per verification: its transport is
    closed with the verification."""
    trust = ssl.create_default_context(cadata=certificate()[0].decode())
    settings = verification_settings(allow_private_networks=not guard)
    return Verifier(settings, transport=httpx.AsyncHTTPTransport(verify=trust), workers=WORKERS)


class DidWebSite:
    """The issuer `did:web:localhost%3A<port>` (or a path form under it) and its DID documents."""

    def __init__(self, server: CatalogServer) -> None:
        self.server = server
        self.host = f"localhost%3A{server.port}"
        self.did = f"did:web:{self.host}"

    def path_did(self, *segments: str) -> str:
        return ":".join([self.did, *segments])

    def publish(self, did: str, document: dict[str, Any]) -> None:
        """Serve `document` where did:web says `did`'s document is."""
        segments = did.removeprefix(self.did).strip(":").split(":")
        path = (
            "/" + "/".join(segments) + "/did.json" if segments != [""] else "/.well-known/did.json"
        )
        self.server.routes[path] = Route(
            body=json.dumps(document), content_type="application/did+json"
        )


def did_document(
    did: str, key: Ed25519PrivateKey, *, fragment: str = "key-1", relation: str = "assertionMethod",
    controller: str | None = None, jwk: bool = False,
) -> dict[str, Any]:  # fmt: skip
    """A DID document listing `key` as `did#fragment`, referenced from `relation`."""
    method: dict[str, Any] = {"id": f"{did}#{fragment}", "controller": controller or did}
    if jwk:
        raw = key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        x = base64.urlsafe_b64encode(raw).decode().rstrip("=")
        method |= {
            "type": "JsonWebKey2020",
            "publicKeyJwk": {"kty": "OKP", "crv": "Ed25519", "x": x},
        }
    else:
        method |= {"type": "Multikey", "publicKeyMultibase": did_key(key).removeprefix("did:key:")}
    return {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": did,
        "verificationMethod": [method],
        relation: [f"#{fragment}"],
    }


@contextmanager
def did_web_site() -> Iterator[DidWebSite]:
    cert_pem, key_pem = certificate()
    with tempfile.TemporaryDirectory() as folder:
        cert_file, key_file = Path(folder, "cert.pem"), Path(folder, "key.pem")
        cert_file.write_bytes(cert_pem)
        key_file.write_bytes(key_pem)
        tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls.load_cert_chain(cert_file, key_file)
        server = CatalogServer({})
        server.httpd.socket = tls.wrap_socket(server.httpd.socket, server_side=True)
        with server:
            yield DidWebSite(server)
