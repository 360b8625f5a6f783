"""The CPU-heavy half of Data Integrity proofs: RDF Dataset Canonicalization (RDFC-1.0) of the
credential and of the proof options, and the bytes a suite signs. These functions run in the
verifier's worker processes (`workers`), under its deadline.

    eddsa-rdfc-2022, eddsa-2022, Ed25519Signature2020, ecdsa-rdfc-2019 (P-256):
        SHA-256(RDFC(proof options + the credential's @context)) + SHA-256(RDFC(credential))
    ecdsa-rdfc-2019 (P-384): the same with SHA-384, inside RDFC too (blank-node labels differ)
    ecdsa-sd-2023: `selective_input`, see `ecdsa_sd`

RDFC-1.0 is pyld's URDNA2015 with the offline loader of `contexts` (and, for SHA-384, the same
algorithm with its hash swapped, as pyld's own URGNA2012 does). pyld has no "safe mode", so a
term no context defines would be dropped silently and could be changed without breaking the
signature; `undefined_terms` finds them by expanding once more under a sentinel @vocab (a
context that defines its own @vocab, as the VC 2.0 examples context does, takes over from it,
and terms under it are signed). The credential is checked before its proofs
(`ob3`), the proof options by `signed_options` as they are canonicalised.

Canonicalisation is exponential in blank nodes that cannot be told apart (the "poison graphs"
of RDFC-1.0's security considerations), so a dataset with more than MAX_BLANK_NODES blank
nodes is refused before it starts, and below that the deadline of `workers` stops what is
still too slow.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Callable, Sequence
from typing import Any

from pyld import canon, jsonld  # type: ignore[import-untyped]
from pyld.nquads import parse_nquads, serialize_nquad  # type: ignore[import-untyped]

from credgraph.verify.contexts import first_unknown_context, load_context
from credgraph.verify.errors import Invalid, Unverifiable

_SENTINEL = "urn:credgraph:undefined-term:"
# The fullest real OB 3.0 credential we have (every optional field filled) has 40 blank nodes,
# the others 1 to 3: 300 admits a CLR carrying seven such credentials. Benign shapes of 300
# canonicalise in milliseconds; the worst (all alike, in one cycle) run into the deadline.
MAX_BLANK_NODES = 300
_NQUADS = "application/n-quads"
HASHES: dict[str, Callable[[bytes], Any]] = {"sha256": hashlib.sha256, "sha384": hashlib.sha384}


class _Rdfc384(canon.URDNA2015):  # type: ignore[misc]
    """RDFC-1.0 with SHA-384, as ecdsa-rdfc-2019 asks for P-384 keys."""

    def create_hash(self) -> Any:
        return hashlib.sha384()


def canonical(
    document: dict[str, Any], *, max_blank_nodes: int = MAX_BLANK_NODES, hash_name: str = "sha256"
) -> str:
    """RDFC-1.0 N-Quads of a JSON-LD document, contexts from the package only; Unverifiable
    when a context is unknown, the document is not valid JSON-LD, or it has more than
    `max_blank_nodes` blank nodes."""
    dataset = _canonical_dataset(document, max_blank_nodes, hash_name, _NQUADS)
    return str(dataset)


def canonical_quads(
    document: dict[str, Any], hash_name: str = "sha256"
) -> dict[str, list[dict[str, Any]]]:
    """The canonical dataset (graph name -> quads, blank nodes labelled `_:c14nN`)."""
    found: dict[str, list[dict[str, Any]]] = _canonical_dataset(
        document, MAX_BLANK_NODES, hash_name, None
    )
    return found


def _canonical_dataset(
    document: dict[str, Any], max_blank_nodes: int, hash_name: str, output: str | None
) -> Any:
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
        parsed = parse_nquads(jsonld.JsonLdProcessor.to_nquads(dataset))
        algorithm = _Rdfc384() if hash_name == "sha384" else canon.URDNA2015()
        return algorithm.main(parsed, {"format": output} if output else {})
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


def proof_options(credential: dict[str, Any], proof: dict[str, Any]) -> dict[str, Any]:
    """What a proof signs of itself: the proof without its value, in the credential's
    @context (Ed25519Signature2020 and every Data Integrity cryptosuite alike)."""
    options = {k: v for k, v in proof.items() if k != "proofValue"}
    options["@context"] = credential.get("@context")
    return options


def unsecured(
    credential: dict[str, Any], previous: Sequence[dict[str, Any]] = ()
) -> dict[str, Any]:
    """The credential as its signer saw it: without `proof`, or, for a proof that names
    `previousProof` (a proof chain), with those earlier proofs as its `proof`."""
    document = {k: v for k, v in credential.items() if k != "proof"}
    if previous:
        document["proof"] = list(previous) if len(previous) > 1 else previous[0]
    return document


def signed_options(credential: dict[str, Any], proof: dict[str, Any], hash_name: str) -> str:
    """The canonical proof options; Invalid when the credential's contexts leave one of the
    proof's own terms undefined: canonicalisation would drop it, so it would not be signed
    (an Ed25519Signature2020 proof in a credential without its suite's context)."""
    options = proof_options(credential, proof)
    undefined = undefined_terms(options)
    if undefined:
        raise Invalid(f"the proof's terms {', '.join(undefined[:5])} are defined by no context of "
                      "the credential, so they are not signed (the suite's context is missing)")  # fmt: skip
    return canonical(options, hash_name=hash_name)


def signing_input(
    credential: dict[str, Any],
    proof: dict[str, Any],
    hash_name: str = "sha256",
    previous: Sequence[dict[str, Any]] = (),
) -> bytes:
    """The bytes the issuer signed: hash of the proof options, then of the credential."""
    digest = HASHES[hash_name]
    options = signed_options(credential, proof, hash_name)
    document = canonical(unsecured(credential, previous), hash_name=hash_name)
    return bytes(digest(options.encode()).digest() + digest(document.encode()).digest())


def relabelled_quads(
    document: dict[str, Any], labels: dict[str, str], hash_name: str = "sha256"
) -> list[str]:
    """The canonical N-Quads of `document`, each blank node `_:c14nN` renamed `_:<labels[c14nN]>`,
    sorted (ecdsa-sd-2023's labelReplacementCanonicalizeJsonLd); Unverifiable when a label is
    missing from `labels`."""
    lines = []
    for graph, quads in canonical_quads(document, hash_name).items():
        name = None if graph == "@default" else _relabel(graph, labels)
        for quad in quads:
            for part in ("subject", "object"):
                if quad[part]["type"] == "blank node":
                    quad[part]["value"] = _relabel(quad[part]["value"], labels)
            quad.pop("name", None)
            lines.append(str(serialize_nquad(quad, name)))
    return sorted(lines)


def _relabel(label: str, labels: dict[str, str]) -> str:
    if not label.startswith("_:"):
        return label
    new = labels.get(label.removeprefix("_:"))
    if new is None:
        raise Unverifiable(f"the proof's label map has no label for the blank node {label}")
    return f"_:{new}"
