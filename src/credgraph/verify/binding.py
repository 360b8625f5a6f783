"""Whether a resolved verification method is the credential's issuer's: the issuer's own
document decides.

    the method's document is the issuer's own, and names no other controller    bound
    issuer did:key / did:jwk: its only key is the one its identifier spells     else disowned
    issuer did:web / an http(s) URL: its fetched document lists the method
        (as the issuer's, or as the method's own DID's)                          bound
        its fetched document does not list it                                    disowned (Invalid)
        its document does not answer                                             Unverifiable
    any other issuer id (urn:uuid:..., a DID we do not resolve)                  Unverifiable

So a did:key signing for an http(s) issuer counts when the issuer's profile lists that did:key,
and is disowned when the profile answers without it. 1EdTech's validator takes any did:key for
any issuer; docs/verification.md ("Deviations") says why we do not.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urldefrag

from credgraph.verify.did_web import assertion_method, did_document
from credgraph.verify.errors import Invalid, Unverifiable
from credgraph.verify.methods import OFFLINE_METHODS, Method, did_method
from credgraph.verify.remote import Remote

BOUND = "resolved; controlled by the issuer"
LISTED = "resolved; the issuer's own document lists it"


async def bind(method: Method, issuer: str | None, remote: Remote) -> str:
    """Why `method` is the issuer's (the reason of a PASSED check); Invalid when the issuer's
    own document disowns it, Unverifiable when nothing can tell, and FetchError (from
    credgraph.errors) passed on when the issuer's document does not answer."""
    if not issuer:
        raise Unverifiable("the credential names no issuer id to tie the key to")
    own = _own_did(method.id)
    if method.controller == issuer and method.document == issuer:
        return f"{method.id} {BOUND}"
    disowned = f"{method.id} is controlled by {method.controller}, not the issuer {issuer}"
    kind = did_method(issuer)
    if kind in OFFLINE_METHODS:
        raise Invalid(disowned)  # its only key is the one its identifier spells
    allowed = {issuer} | ({own} if own else set())
    if kind == "web":
        try:
            entry = assertion_method(await did_document(issuer, remote), method.id)
        except Invalid as exc:
            raise Invalid(f"{disowned} ({exc.reason})") from exc
        if str(entry.get("controller") or issuer) not in allowed:
            raise Invalid(
                f"{disowned} (the issuer's DID document names {entry.get('controller')} as its controller)"
            )
        return f"{method.id} {LISTED}"
    if kind is not None:
        raise Unverifiable(
            f"the issuer is a did:{kind}, whose keys need a DID resolver we do not run"
        )
    if not issuer.startswith(("https://", "http://")):
        raise Unverifiable(
            f"nothing ties {method.id} to the issuer {issuer}: an issuer id that is neither a "
            "DID nor an http(s) URL publishes no keys"
        )
    profile = await remote.json(urldefrag(issuer)[0])
    if _lists(profile, method.id, issuer, allowed):
        return f"{method.id} {LISTED}"
    raise Invalid(f"{disowned}: the issuer's profile at {issuer} does not list it")


def _own_did(method_id: str) -> str | None:
    did = urldefrag(method_id)[0]
    return did if did_method(did) else None


def _lists(profile: Any, method_id: str, issuer: str, allowed: set[str]) -> bool:
    """Whether an issuer profile lists `method_id` under verificationMethod, assertionMethod
    or publicKey (by reference or described), no entry naming another controller."""
    if not isinstance(profile, dict):
        return False
    fragment = urldefrag(method_id)[1]
    names = {method_id} | ({f"#{fragment}"} if urldefrag(method_id)[0] == issuer else set())
    for key in ("verificationMethod", "assertionMethod", "publicKey"):
        entries = profile.get(key)
        for entry in entries if isinstance(entries, list) else [entries]:
            if isinstance(entry, str) and entry in names:
                return True
            if isinstance(entry, dict) and entry.get("id") in names:
                return str(entry.get("controller") or issuer) in allowed
    return False


__all__ = ["BOUND", "LISTED", "bind"]
