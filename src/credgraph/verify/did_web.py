"""did:web (W3C CCG did:web method): a DID document at an HTTPS URL made from the DID,

    did:web:example.edu                     https://example.edu/.well-known/did.json
    did:web:example.edu%3A8443              https://example.edu:8443/.well-known/did.json
    did:web:example.edu:issuers:42          https://example.edu/issuers/42/did.json

fetched through the Fetcher like every other URL a stranger's document names (the SSRF guard,
redirects re-checked, size and time caps), so a DID naming a private address is refused.

A verification method counts only when the document is the DID's own (`id` is the DID) and
lists the method under `assertionMethod`: a key merely present in the document, or one another
DID controls, signs nothing on the issuer's behalf. A document that is not the DID's own says
nothing (Unverifiable); the DID's own document not listing the method disowns it (Invalid).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote, urldefrag

from credgraph.verify.errors import Invalid, Unverifiable
from credgraph.verify.remote import Remote

_HOST = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::[0-9]{1,5})?$")
_SEGMENT = re.compile(r"^[A-Za-z0-9._~%-]+$")


def did_web_url(did: str) -> str:
    """The HTTPS URL of the DID document of a did:web (fragment ignored)."""
    base, _ = urldefrag(did)
    if not base.startswith("did:web:"):
        raise Unverifiable(f"{base} is not a did:web")
    host, *path = base.removeprefix("did:web:").split(":")
    host = unquote(host)  # a port is written %3A
    if not _HOST.match(host):
        raise Unverifiable(f"{base} does not name a host")
    if any(not _SEGMENT.match(s) or unquote(s) in (".", "..") or "/" in unquote(s) for s in path):
        raise Unverifiable(f"{base} has a path segment that is not allowed")
    return f"https://{host}/" + ("/".join(path) + "/did.json" if path else ".well-known/did.json")


async def did_document(did: str, remote: Remote) -> dict[str, Any]:
    """The DID document of a did:web, checked to be that DID's own."""
    base, _ = urldefrag(did)
    document = await remote.json(did_web_url(base))
    if not isinstance(document, dict):
        raise Unverifiable(f"the DID document of {base} is not a JSON object")
    if document.get("id") != base:
        raise Unverifiable(
            f"the DID document at {did_web_url(base)} is for {document.get('id')!r}, not {base}"
        )
    return document


def assertion_method(document: dict[str, Any], method_id: str) -> dict[str, Any]:
    """The verification method `method_id` of `document`, if it may assert (sign credentials);
    Invalid when the document does not list it so."""
    did = str(document["id"])
    fragment = urldefrag(method_id)[1]
    names = {method_id, f"#{fragment}"} if fragment else {method_id}

    def absolute(value: Any) -> Any:
        return f"{did}{value}" if isinstance(value, str) and value.startswith("#") else value

    listed = document.get("assertionMethod")
    entries = listed if isinstance(listed, list) else [listed]
    embedded = [e for e in entries if isinstance(e, dict)]
    referenced = {absolute(e) for e in entries if isinstance(e, str)}
    if method_id not in referenced and not any(
        absolute(e.get("id")) == method_id for e in embedded
    ):
        raise Invalid(f"{did} does not list {method_id} under assertionMethod")
    methods = document.get("verificationMethod")
    candidates = embedded + [m for m in (methods if isinstance(methods, list) else [])
                             if isinstance(m, dict)]  # fmt: skip
    for entry in candidates:
        if entry.get("id") in names or absolute(entry.get("id")) == method_id:
            return entry
    raise Invalid(f"{did} names {method_id} but does not describe it")
