"""Small OB 3.0 credentials that cost a verifier far more than their size: a poison graph for
RDF canonicalisation, and a flood of blank nodes. Shared by tests/verify and tests/security.

Their proofs are well formed and name the issuer's own did:key (resolved offline), so a
verifier gets as far as canonicalising before it can tell the signature is wrong; signing
them for real would itself take the minute the poison costs.
"""

from __future__ import annotations

from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tests.verify.helpers import base58, did_key, ob3_credential

KNOWS = "https://schema.org/knows"  # a full IRI: defined without any context, so signed


def with_unchecked_proof(credential: dict[str, Any]) -> dict[str, Any]:
    """`credential` with a Data Integrity proof by its issuer's did:key over other bytes."""
    key = Ed25519PrivateKey.generate()
    did = did_key(key)
    credential["issuer"]["id"] = did
    proof = {
        "type": "DataIntegrityProof", "created": "2024-01-01T00:00:00Z",
        "verificationMethod": f"{did}#{did.removeprefix('did:key:')}",
        "cryptosuite": "eddsa-rdfc-2022", "proofPurpose": "assertionMethod",
        "proofValue": "z" + base58(key.sign(b"not the signing input")),
    }  # fmt: skip
    return {**credential, "proof": proof}


def poison_graph(nodes: int = 8) -> dict[str, Any]:
    """A credential whose subject knows `nodes` blank nodes that all know each other: no
    blank node can be told from another, so URDNA2015 tries every order (8: about a minute)."""
    credential = ob3_credential("did:key:placeholder")
    subject = credential["credentialSubject"]
    del subject["id"]  # a blank node too
    subject[KNOWS] = [
        {"id": f"_:n{i}", KNOWS: [{"id": f"_:n{j}"} for j in range(nodes) if j != i]}
        for i in range(nodes)
    ]
    return with_unchecked_proof(credential)


def blank_node_flood(nodes: int) -> dict[str, Any]:
    """A credential whose achievement has `nodes` alignments without ids (blank nodes, each
    told apart by its name: cheap to canonicalise, but many)."""
    credential = ob3_credential("did:key:placeholder")
    credential["credentialSubject"]["achievement"]["alignment"] = [
        {"type": ["Alignment"], "targetName": f"skill {i}",
         "targetUrl": f"https://example.org/skills/{i}"}
        for i in range(nodes)
    ]  # fmt: skip
    return with_unchecked_proof(credential)
