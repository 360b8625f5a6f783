"""Data Integrity `eddsa-rdfc-2022` (W3C VC Data Integrity EdDSA Cryptosuites v1.0):

    hash = SHA-256(RDFC-1.0(proof options + the credential's @context))
         + SHA-256(RDFC-1.0(credential without `proof`))
    Ed25519.verify(public key, multibase(proofValue), hash)

RDFC-1.0 is pyld's URDNA2015 with the offline loader of `contexts`. pyld has no "safe mode",
so a term no context defines would be dropped silently and could be changed without breaking
the signature; `undefined_terms` finds them by expanding once more under a sentinel @vocab
(VC 2.0 contexts map such terms to an issuer-dependent @vocab instead, so they are signed).

Canonicalisation is exponential in blank nodes that cannot be told apart (the "poison graphs"
of RDFC-1.0's security considerations), so a dataset with more than MAX_BLANK_NODES blank
nodes is refused before it starts, and below that the deadline of `workers` stops what is
still too slow: `ob3` runs `undefined_terms` and `signing_input` in a worker process.
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
# The fullest real OB 3.0 credential we have (every optional field filled) has 40 blank nodes,
# the others 1 to 3: 300 admits a CLR carrying seven such credentials. Benign shapes of 300
# canonicalise in milliseconds; the worst (all alike, in one cycle) run into the deadline.
MAX_BLANK_NODES = 300
_NQUADS = "application/n-quads"
_CANONICAL = {"algorithm": "URDNA2015", "inputFormat": _NQUADS, "format": _NQUADS}


def canonical(document: dict[str, Any], *, max_blank_nodes: int = MAX_BLANK_NODES) -> str:
    """RDFC-1.0 N-Quads of a JSON-LD document, contexts from the package only; Unverifiable
    when a context is unknown, the document is not valid JSON-LD, or it has more than
    `max_blank_nodes` blank nodes."""
    unknown = first_unknown_context(document)
    if unknown is not None:
        raise Unverifiable(f"unknown context {unknown}")
    try:
        dataset = jsonld.to_rdf(copy.deepcopy(document), {"documentLoader": load_context})
        found = blank_nodes(dataset)
        if found > max_blank_nodes:
            raise Unverifiable(
                f"the document has {found} blank nodes (objects without an id); "
                f"canonicalisation is refused past {max_blank_nodes}"
            )
        nquads = jsonld.JsonLdProcessor.to_nquads(dataset)
        return str(jsonld.normalize(nquads, dict(_CANONICAL)))
    except Unverifiable:
        raise
    except jsonld.JsonLdError as exc:
        cause = _root_cause(exc)
        if isinstance(cause, Unverifiable):
            raise cause from exc
        raise Unverifiable(f"JSON-LD canonicalisation failed: {exc.type}: {cause}") from exc


def blank_nodes(dataset: dict[str, list[dict[str, Any]]]) -> int:
    """How many distinct blank nodes a pyld RDF dataset has (graph names included)."""
    found = {name for name in dataset if name.startswith("_:")}
    for triples in dataset.values():
        for triple in triples:
            found.update(triple[part]["value"] for part in ("subject", "object")
                         if triple[part]["type"] == "blank node")  # fmt: skip
    return len(found)


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


def proof_signature(proof: dict[str, Any]) -> bytes:
    """The signature bytes of `proof.proofValue`; Unverifiable when there are none."""
    value = proof.get("proofValue")
    if not isinstance(value, str):
        raise Unverifiable("proof has no proofValue string")
    return multibase(value)


def signature_matches(data: bytes, signature: bytes, key: bytes) -> bool:
    """Whether `signature` is the Ed25519 signature of `data` (a `signing_input`) under
    `key`; Unverifiable when the key or signature is malformed."""
    try:
        Ed25519PublicKey.from_public_bytes(key).verify(signature, data)
    except InvalidSignature:
        return False
    except ValueError as exc:
        raise Unverifiable(f"bad Ed25519 key or signature: {exc}") from exc
    return True
