"""Verify the badge a candidate lists: Open Badges 2.0 assertions (hosted and signed JWS),
Open Badges 3.0 / CLR 2.0 verifiable credentials (Data Integrity: Ed25519Signature2020,
eddsa-rdfc-2022, ecdsa-rdfc-2019, derived ecdsa-sd-2023 proofs; VC-JWT), mapped onto the graph.

    result = await Verifier().verify(url=..., store=store)   # or document=...
    result.status                # VALID, INVALID, REVOKED, EXPIRED or UNVERIFIABLE
    result.checks                # every check: name, outcome, reason
    result.matches_recipient("alice@example.org")

Modules: verifier (dispatch), ob2, ob3 (what every OB 3.0 credential is checked for), proofs
(its embedded proofs), suites, data_integrity (RDFC canonicalisation, what a proof signs),
ecdsa_sd, cbor, signatures, vc_jwt, jws, embedded (what a CLR carries), methods (verification
methods to keys), binding (whether a key is the issuer's), keys, did_web, multibase, contexts
(shipped JSON-LD contexts, offline loader), schema (shipped 1EdTech JSON Schemas), status_list,
bitstring, status_credential, dates, recipient, definitions (parse and map onto the
graph), linking (the framework linker shared by verifications), workers (the worker processes
and deadline of the CPU-heavy checks), remote (fetches through the Fetcher, under the fetch
budget), limits (what one verification may ask), malformed (the checks' guard against shapes
not foreseen), result, errors.
"""

from credgraph.verify.definitions import SOURCE_ID
from credgraph.verify.errors import VerificationInputError
from credgraph.verify.linking import SharedLinker
from credgraph.verify.recipient import Recipient
from credgraph.verify.result import Achievement, Check, Outcome, Status, VerificationResult
from credgraph.verify.verifier import Verifier, verification_settings

__all__ = [
    "SOURCE_ID",
    "Achievement",
    "Check",
    "Outcome",
    "Recipient",
    "SharedLinker",
    "Status",
    "VerificationInputError",
    "VerificationResult",
    "Verifier",
    "verification_settings",
]
