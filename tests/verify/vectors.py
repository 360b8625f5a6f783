"""The verification vectors under crawlers/<suite-or-platform>/vectors/: real signed
credentials from public conformance suites and issuing platforms, each with the verdict it
must get, read from the folder's `verdicts.toml`:

    now = "2025-06-01T00:00:00Z"          # when they are verified (some expire)

    [worlds.<name>]                       # what the verifier's fetches are answered with
    files = [{ url = "...", file = "dids/legacy/did.json" }]      # real documents of the folder
    profiles = [{ url = "https://issuer.example/1", methods = ["#z6Mk...", "did:key:z6Mk...#z6Mk..."] }]
    did_documents = [{ did = "did:web:...", methods = ["#z6Mk..."] }]
    revocation_lists = [{ url = "...", revoked = ["urn:uuid:..."] }]

    [[vector]]
    file = "eddsa-rdfc-2022/signedDataInt.json"   # a compact JWS when it ends in .jwt
    world = "listed"                              # default: "default"; "offline": nothing answers
    verdict = "VALID"
    checks = { signature = "PASSED" }             # some check of that name had that outcome
    reasons = { verification-method = "not the issuer" }   # ... with that in its reason
    tamper = true                                 # changed signed bytes must make it INVALID
    source = "what the suite or platform says it is"
    why = "why our verdict is what it is, where it is not the source's"

Profiles, DID documents and revocation lists are stand-ins built here from the keys the
vectors name, for hosts that do not exist (example.com, vc.example) or that tests must not
reach; `files` are real documents copied with the vectors (SOURCES.md says from where).
"""

from __future__ import annotations

import copy
import json
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag

import httpx

from credgraph.verify import Outcome, Status
from credgraph.verify.did_web import did_web_url
from tests.crawlers.corpus import CRAWLERS

OFFLINE = "offline"


@dataclass(frozen=True)
class Vector:
    folder: Path
    file: str
    world: str
    verdict: Status
    checks: dict[str, Outcome]
    reasons: dict[str, str]
    tamper: bool
    source: str
    why: str
    now: datetime

    @property
    def id(self) -> str:
        suffix = "" if self.world == "default" else f"@{self.world}"
        return f"{self.folder.parent.name}/{self.file}{suffix}"

    def document(self) -> Any:
        text = (self.folder / self.file).read_text(encoding="utf-8")
        return text.strip() if self.file.endswith(".jwt") else json.loads(text)


def verdict_files() -> list[Path]:
    return sorted(CRAWLERS.glob("*/vectors/verdicts.toml"))


@cache
def _verdicts(path: Path) -> dict[str, Any]:
    found: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    return found


def vectors() -> list[Vector]:
    found = []
    for path in verdict_files():
        table = _verdicts(path)
        now = datetime.fromisoformat(table["now"])
        for entry in table["vector"]:
            found.append(Vector(
                folder=path.parent, file=entry["file"], world=entry.get("world", "default"),
                verdict=Status(entry["verdict"]),
                checks={k: Outcome(v) for k, v in entry.get("checks", {}).items()},
                reasons=dict(entry.get("reasons", {})), tamper=bool(entry.get("tamper")),
                source=entry["source"], why=entry.get("why", ""), now=now,
            ))  # fmt: skip
    return found


def world(vector: Vector) -> httpx.MockTransport:
    """What the vector's world answers: its documents at their URLs, 404 for anything else."""
    pages: dict[str, bytes] = {}
    if vector.world != OFFLINE:
        spec = _verdicts(vector.folder / "verdicts.toml").get("worlds", {}).get(vector.world, {})
        pages = _pages(vector.folder, spec)

    def answer(request: httpx.Request) -> httpx.Response:
        body = pages.get(str(request.url))
        if body is None:
            return httpx.Response(404, text="not found")
        return httpx.Response(200, content=body, headers={"content-type": "application/json"})

    return httpx.MockTransport(answer)


def _pages(folder: Path, spec: dict[str, Any]) -> dict[str, bytes]:
    pages = {f["url"]: (folder / f["file"]).read_bytes() for f in spec.get("files", [])}
    for profile in spec.get("profiles", []):
        pages[profile["url"]] = _json(_profile(profile["url"], profile["methods"]))
    for did in spec.get("did_documents", []):
        pages[did_web_url(did["did"])] = _json(_did_document(did["did"], did["methods"]))
    for listing in spec.get("revocation_lists", []):
        revoked = [
            {"id": cid, "revocationReason": "revoked (stand-in)"} for cid in listing["revoked"]
        ]
        pages[listing["url"]] = _json({"id": listing["url"], "type": "RevocationList",
                                       "revokedCredentials": revoked})  # fmt: skip
    return pages


def _json(value: Any) -> bytes:
    return json.dumps(value).encode()


def _method(owner: str, method: str) -> dict[str, Any]:
    """A Multikey verification method entry for `method` (`#<multikey>` of `owner`, or a did:key)."""
    absolute = f"{owner}{method}" if method.startswith("#") else method
    did, fragment = urldefrag(absolute)
    controller = did if did.startswith("did:key:") else owner
    return {"id": absolute, "type": "Multikey", "controller": controller,
            "publicKeyMultibase": fragment}  # fmt: skip


def _profile(url: str, methods: list[str]) -> dict[str, Any]:
    return {"@context": ["https://www.w3.org/ns/credentials/v2"], "id": url, "type": ["Profile"],
            "name": "stand-in issuer profile",
            "verificationMethod": [_method(url, m) for m in methods]}  # fmt: skip


def _did_document(did: str, methods: list[str]) -> dict[str, Any]:
    entries = [_method(did, m) for m in methods]
    return {"@context": ["https://www.w3.org/ns/did/v1"], "id": did, "verificationMethod": entries,
            "assertionMethod": [e["id"] for e in entries]}  # fmt: skip


# -- tampering: change one signed byte, the way a forger would ----------------------------------
def tampered_variants(document: Any) -> dict[str, Any]:
    """Copies of a signed document, each with one signed value changed: a value the subject
    holds, and the proof's own `created` (proof options are signed too); for a compact JWS, a
    claim of its payload."""
    if isinstance(document, str):
        return {"payload claim": _tampered_jws(document)}
    variants = {}
    subject = copy.deepcopy(document)
    if _change_first_text(subject.get("credentialSubject"), lambda s: s + "!"):
        variants["subject value"] = subject
    elif isinstance(subject.get("name"), str):
        subject["name"] += "!"
        variants["credential name"] = subject
    proof = copy.deepcopy(document)
    proofs = proof.get("proof")
    first = proofs[-1] if isinstance(proofs, list) else proofs
    if isinstance(first, dict) and isinstance(first.get("created"), str):
        first["created"] = "2001-02-03T04:05:06Z"
        variants["proof created"] = proof
    return variants


def _change_first_text(value: Any, change: Callable[[str], str]) -> bool:
    if isinstance(value, dict):
        for key, item in value.items():
            if (
                key not in ("id", "type", "@context")
                and isinstance(item, str)
                and not item.startswith(("did:", "http", "urn:", "data:"))
            ):
                value[key] = change(item)
                return True
        return any(_change_first_text(v, change) for k, v in value.items() if k != "@context")
    if isinstance(value, list):
        return any(_change_first_text(v, change) for v in value)
    return False


def _tampered_jws(token: str) -> str:
    import base64

    head, body, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    credential = claims.get("vc", claims)
    if not _change_first_text(credential.get("credentialSubject"), lambda s: s + "!"):
        credential["name"] = f"{credential.get('name', '')}!"
    encoded = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{head}.{encoded}.{signature}"
