"""Data Integrity `eddsa-rdfc-2022` (W3C VC Data Integrity EdDSA Cryptosuites v1.0):

    hash = SHA-256(RDFC-1.0(proof options + the credential's @context))
         + SHA-256(RDFC-1.0(credential without `proof`))
    Ed25519.verify(public key, multibase(proofValue), hash)

RDFC-1.0 is pyld's URDNA2015 with the offline loader of `contexts`. pyld has no "safe mode",
so a term no context defines would be dropped silently and could be changed without breaking
the signature; `undefined_terms` finds them by expanding once more under a sentinel @vocab
(VC 2.0 contexts map such terms to an issuer-dependent @vocab instead, so they are signed).
"""

from __future__ import annotations

import copy
import hashlib
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pyld import jsonld  # type: ignore[import-untyped]

from credgraph.verify.contexts import first_unknown_context, load_context
from credgraph.verify.errors import Unverifiable
from credgraph.verify.multibase import multibase

CRYPTOSUITE = "eddsa-rdfc-2022"
_SENTINEL = "urn:credgraph:undefined-term:"
_OPTIONS = {"algorithm": "URDNA2015", "format": "application/n-quads",
            "documentLoader": load_context}  # fmt: skip


def canonical(document: dict[str, Any]) -> str:
    """RDFC-1.0 N-Quads of a JSON-LD document, contexts from the package only."""
    unknown = first_unknown_context(document)
    if unknown is not None:
        raise Unverifiable(f"unknown context {unknown}")
    try:
        return str(jsonld.normalize(copy.deepcopy(document), dict(_OPTIONS)))
    except Unverifiable:
        raise
    except jsonld.JsonLdError as exc:
        cause = _root_cause(exc)
        if isinstance(cause, Unverifiable):
            raise cause from exc
        raise Unverifiable(f"JSON-LD canonicalisation failed: {exc.type}: {cause}") from exc


def _root_cause(exc: BaseException) -> BaseException:
    seen = exc
    while getattr(seen, "cause", None) is not None or seen.__cause__ is not None:
        nxt = getattr(seen, "cause", None) or seen.__cause__
        if not isinstance(nxt, BaseException) or nxt is seen:
            break
        seen = nxt
    return seen


def undefined_terms(document: dict[str, Any]) -> list[str]:
    """Properties or types that no context defines (they would not be signed)."""
    probe = copy.deepcopy(document)
    context = probe.get("@context")
    contexts = context if isinstance(context, list) else [context]
    # First, so that a context defining its own @vocab (VC 2.0's issuer-dependent one, under
    # which undefined terms are signed) takes over from it.
    probe["@context"] = [{"@vocab": _SENTINEL}, *contexts]
    try:
        expanded = jsonld.expand(probe, {"documentLoader": load_context})
    except jsonld.JsonLdError:
        return []  # canonical() reports the failure itself
    found: set[str] = set()
    _collect(expanded, found)
    return sorted(found)


def _collect(value: Any, found: set[str]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if key.startswith(_SENTINEL):
                found.add(key.removeprefix(_SENTINEL))
            if key == "@type":
                for t in item if isinstance(item, list) else [item]:
                    if isinstance(t, str) and t.startswith(_SENTINEL):
                        found.add(t.removeprefix(_SENTINEL))
            _collect(item, found)
    elif isinstance(value, list):
        for item in value:
            _collect(item, found)


def signing_input(credential: dict[str, Any], proof: dict[str, Any]) -> bytes:
    """The bytes the issuer signed: hash of the proof options, then of the credential."""
    unsigned = {k: v for k, v in credential.items() if k != "proof"}
    options = {k: v for k, v in proof.items() if k != "proofValue"}
    options["@context"] = credential.get("@context")
    return (hashlib.sha256(canonical(options).encode()).digest()
            + hashlib.sha256(canonical(unsigned).encode()).digest())  # fmt: skip


def signature_matches(credential: dict[str, Any], proof: dict[str, Any], key: bytes) -> bool:
    """Whether `proof.proofValue` is the Ed25519 signature of the credential under `key`.
    Raises Unverifiable when the input cannot be computed (unknown context...)."""
    value = proof.get("proofValue")
    if not isinstance(value, str):
        raise Unverifiable("proof has no proofValue string")
    signature = multibase(value)
    data = signing_input(credential, proof)
    try:
        Ed25519PublicKey.from_public_bytes(key).verify(signature, data)
    except InvalidSignature:
        return False
    except ValueError as exc:
        raise Unverifiable(f"bad Ed25519 key or signature: {exc}") from exc
    return True
