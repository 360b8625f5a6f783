"""Verification methods (a proof's `verificationMethod`, a JWT's `kid`) resolved to a key and
the party the resolved document says controls it.

    did:key:z6Mk...[#z6Mk...]   offline: the key is the identifier (Ed25519, P-256, P-384)
    did:jwk:eyJ...[#0]          offline: the JWK is the identifier
    did:web:host[:path]#frag    the DID document, which must list it under assertionMethod
    https://host/path#frag      the document at that URL, which must describe it (a controller
                                document, a key document, a JWK or a JWK Set)

What comes of each, as 1EdTech's OB 3.0 validator answers the same (its public vectors are
checked in tests/verify/test_vectors.py):

    not a URI (no scheme), an unknown scheme, a malformed DID,
    did:example (reserved for examples, it resolves nowhere)         Invalid
    a document that answers but does not describe the method         Invalid (disowned)
    a DID method we do not resolve (did:ion, did:ethr, ...)           Unverifiable, named
    a document that does not answer                                   Unverifiable (FetchError)

The validator resolves other DID methods through a universal resolver; we run none, so those
are Unverifiable where it may answer either way (docs/verification.md, "Deviations").
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urldefrag

from credgraph.verify.did_web import assertion_method, did_document
from credgraph.verify.errors import Invalid, Unverifiable
from credgraph.verify.keys import jwk_key, method_key
from credgraph.verify.limits import MAX_DEPTH, nests_deeper_than
from credgraph.verify.multibase import base64url, multikey
from credgraph.verify.remote import Remote
from credgraph.verify.signatures import PublicKey

# DID Core: did:<method-name>:<method-specific-id>, method names in lowercase letters and digits.
_DID = re.compile(r"^did:([a-z0-9]+):([A-Za-z0-9._%:-]+)$")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
OFFLINE_METHODS = ("key", "jwk")


@dataclass(frozen=True, slots=True)
class Method:
    """A resolved verification method: its key, who the resolved document says controls it,
    and the document that said so (the DID itself for did:key and did:jwk)."""

    id: str
    key: PublicKey
    controller: str
    document: str


def did_method(identifier: str) -> str | None:
    """The method name of a DID (`key` for `did:key:...`), None for anything else."""
    match = _DID.match(urldefrag(identifier)[0])
    return match.group(1) if match else None


async def resolve(method_id: Any, remote: Remote) -> Method:
    """The key `method_id` names; Invalid or Unverifiable as the module docstring says, with
    FetchError passed on for a document that did not answer."""
    if not isinstance(method_id, str) or not method_id:
        raise Invalid("the proof names no verificationMethod")
    if method_id.startswith("did:"):
        return await _did_method(method_id, remote)
    base, fragment = urldefrag(method_id)
    if base.startswith(("https://", "http://")):
        document = await remote.json(base)
        entry = _described(document, method_id, fragment)
        if entry is None:
            raise Invalid(f"{base} does not describe the verification method {method_id}")
        owner = document.get("id") if isinstance(document, dict) else None
        controller = entry.get("controller") or owner or base
        return Method(method_id, method_key(entry, method_id), str(controller), base)
    if not _SCHEME.match(method_id):
        raise Invalid(f"verificationMethod {method_id[:80]!r} is not a URI (it has no scheme)")
    scheme = method_id.split(":", 1)[0]
    raise Invalid(f"verificationMethod {method_id[:80]} has the unknown scheme {scheme!r}")


async def _did_method(method_id: str, remote: Remote) -> Method:
    did, fragment = urldefrag(method_id)
    match = _DID.match(did)
    if match is None:
        raise Invalid(f"{did[:80]} is not a DID (did:<method>:<identifier>)")
    method, specific = match.groups()
    if method == "key":
        if fragment and fragment != specific:
            raise Invalid(f"{did} has one verification method, #{specific}, not #{fragment}")
        return Method(method_id, multikey(specific), did, did)
    if method == "jwk":
        if fragment not in ("", "0"):
            raise Invalid(f"a did:jwk has one verification method, #0, not #{fragment}")
        return Method(method_id, jwk_key(did_jwk(did)), did, did)
    if method == "web":
        entry = assertion_method(await did_document(did, remote), method_id)
        return Method(
            method_id, method_key(entry, method_id), str(entry.get("controller") or did), did
        )
    if method == "example":
        raise Invalid(
            f"{did} uses did:example, which is reserved for examples and resolves nowhere"
        )
    raise Unverifiable(f"did:{method} keys need a DID resolver we do not run")


def did_jwk(did: str) -> dict[str, Any]:
    """The JWK a did:jwk is made of (DID fragment ignored)."""
    specific = urldefrag(did)[0].removeprefix("did:jwk:")
    try:
        jwk = json.loads(base64url(specific))
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise Invalid(f"{did[:40]}... is not a did:jwk: {exc}") from exc
    if not isinstance(jwk, dict):
        raise Invalid(f"{did[:40]}... is not a did:jwk: its JWK is not an object")
    if nests_deeper_than(jwk, MAX_DEPTH):  # a JWK is flat
        raise Invalid(f"{did[:40]}... is not a did:jwk: its JWK nests deeper than {MAX_DEPTH}")
    return jwk


def _described(document: Any, method_id: str, fragment: str) -> dict[str, Any] | None:
    """The entry of an HTTP(S) document that describes `method_id`: the document itself (a
    key document or a bare JWK), or an entry of verificationMethod, assertionMethod,
    publicKey, or of a JWK Set's keys (by `kid`)."""
    if not isinstance(document, dict):
        return None
    if document.get("id") == method_id or (not fragment and "kty" in document):
        return document if "kty" not in document else {"publicKeyJwk": document}
    names = {method_id, f"#{fragment}"} if fragment else {method_id}
    for key in ("verificationMethod", "assertionMethod", "publicKey"):
        entries = document.get(key)
        for entry in entries if isinstance(entries, list) else [entries]:
            if isinstance(entry, dict) and entry.get("id") in names:
                return entry
    keys = document.get("keys")
    for jwk in keys if isinstance(keys, list) else []:
        if isinstance(jwk, dict) and fragment and jwk.get("kid") in (fragment, method_id):
            return {"publicKeyJwk": jwk}
    return None


def key_in(method_id: str) -> PublicKey | None:
    """The key a method id spells itself (a did:key, or a Multikey fragment of any URL), to
    tell a changed document from an untrusted one when the method cannot be resolved: a key
    written into a document proves nothing about who wrote it."""
    did, fragment = urldefrag(method_id)
    spelled = did.removeprefix("did:key:") if did.startswith("did:key:") else fragment
    if not spelled.startswith("z"):
        return None
    try:
        return multikey(spelled)
    except (Invalid, Unverifiable):
        return None
