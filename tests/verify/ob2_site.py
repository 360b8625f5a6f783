"""An OB 2.0 issuer's site on the local test server: profile, badge class, key, revocation
list and hosted assertions (valid, revoked, gone, expired, outside the issuer's scope)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from cryptography.hazmat.primitives.asymmetric import rsa

from tests.crawl.server import CatalogServer, Route
from tests.verify.helpers import hashed_email, public_pem, rsa_key

EMAIL = "beth@example.org"
SALT = "deadsea"
CONTEXT = "https://w3id.org/openbadges/v2"


class Ob2Site:
    def __init__(self, server: CatalogServer, key: rsa.RSAPrivateKey) -> None:
        self.server = server
        self.key = key
        self.issuer_id = server.url("/issuer.json")
        self.badge_id = server.url("/badges/robotics.json")
        self.key_id = server.url("/key.json")
        self.revocations = server.url("/revocations.json")

    def url(self, path: str) -> str:
        return self.server.url(path)

    def serve(self, path: str, body: Any, status: int = 200) -> str:
        self.server.routes[path] = Route(body=json.dumps(body), status=status)
        return self.url(path)

    def assertion(self, path: str, **changes: Any) -> dict[str, Any]:
        document = {
            "@context": CONTEXT, "type": "Assertion", "id": self.url(path),
            "recipient": {"type": "email", "hashed": True, "salt": SALT,
                          "identity": hashed_email(EMAIL, SALT)},
            "badge": self.badge_id, "issuedOn": "2024-01-15T10:00:00Z",
            "expires": "2099-01-01T00:00:00Z", "verification": {"type": "hosted"},
        }  # fmt: skip
        document.update(changes)
        return {k: v for k, v in document.items() if v is not None}

    def signed_payload(self, **changes: Any) -> dict[str, Any]:
        payload = self.assertion(
            "/unused", verification={"type": "SignedBadge", "creator": self.key_id}
        )
        payload["id"] = "urn:uuid:a953081a-4bbd-4927-9653-7219bca00e3b"
        payload.update(changes)
        return payload


def issuer_profile(site: Ob2Site, **changes: Any) -> dict[str, Any]:
    profile = {
        "@context": CONTEXT, "type": "Issuer", "id": site.issuer_id,
        "name": "Robotics Academy", "url": site.url("/"), "email": "badges@example.org",
        "publicKey": site.key_id, "revocationList": site.revocations,
    }  # fmt: skip
    profile.update(changes)
    return profile


def badge_class(site: Ob2Site) -> dict[str, Any]:
    return {
        "@context": CONTEXT, "type": "BadgeClass", "id": site.badge_id,
        "name": "Robotics Fundamentals", "description": "Builds and programs a robot.",
        "image": site.url("/badges/robotics.png"),
        "criteria": {"narrative": "Build a line-following robot and explain its control loop."},
        "issuer": site.issuer_id,
        "alignment": [{"targetName": "Robotics", "targetUrl": "https://example.org/robotics"}],
    }  # fmt: skip


@contextmanager
def ob2_site(**issuer_changes: Any) -> Iterator[Ob2Site]:
    with CatalogServer({}) as server:
        site = Ob2Site(server, rsa_key())
        site.serve("/issuer.json", issuer_profile(site, **issuer_changes))
        site.serve("/badges/robotics.json", badge_class(site))
        site.serve("/key.json", {
            "@context": CONTEXT, "type": "CryptographicKey", "id": site.key_id,
            "owner": site.issuer_id, "publicKeyPem": public_pem(site.key),
        })  # fmt: skip
        site.serve("/revocations.json", {
            "@context": CONTEXT, "type": "RevocationList", "id": site.revocations,
            "issuer": site.issuer_id,
            "revokedAssertions": [{"id": "urn:uuid:revoked-1", "revocationReason": "Issued in error."}],
        })  # fmt: skip
        yield site
