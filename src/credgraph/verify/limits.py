"""What one verification may ask of us, bounded before it is spent. Each limit is named in the
reason of the check it stops, so an issuer whose document meets one can see which.

    MAX_DOCUMENT_BYTES   a document given, or a badge class fetched, larger is refused
    MAX_DEPTH            ...nesting deeper is refused
    MAX_STATUS_ENTRIES   credentialStatus entries read; the rest are NOT_CHECKED
    MAX_FETCHES          distinct URLs fetched; past them, fetches fail naming the limit
    FETCH_SECONDS        time spent fetching, all URLs together (each fetch is cut at it)
    MAX_ALIGNMENTS       skill/occupation alignments linked per definition; the rest dropped
    STORE_SECONDS        time spent waiting on the store (linking, mapping onto the graph)

Computing time (JSON-LD, canonicalisation, schemas, status lists, badge pages, the definition's
parse) is the check workers' allowance (`workers.SECONDS`).
"""

from __future__ import annotations

import json
from typing import Any

from credgraph.model.validation import holds_lone_surrogate
from credgraph.verify.errors import Unverifiable

MAX_DOCUMENT_BYTES = 256_000
# Real awards nest up to 11 levels (a CLR carrying credentials, the fullest OB 3.0 sample);
# JSON-LD processing, and pickling for the workers, recurse per level and fail near 500.
MAX_DEPTH = 64
# Real credentials carry one or two (revocation, suspension); each distinct list is a fetch of
# up to 1 MB and an inflate of up to 16 MB.
MAX_STATUS_ENTRIES = 8
# An OB 2.0 hosted assertion needs four (assertion, badge class, issuer, revocation list); an
# OB 3.0 credential a key document and its status lists; a CLR that again per credential.
MAX_FETCHES = 32
# Under the 10 s a person waits at most for one fetch twice over (Fetcher: timeout x 2): without
# it, N distinct status-list URLs that each answer slowly chain N sequential fetches.
FETCH_SECONDS = 20.0
# Real badge classes align with a handful of skills (the fullest in our samples, 40); linking
# costs ~10 ms of fuzzy matching per distinct name at ESCO size.
MAX_ALIGNMENTS = 100
# The verdict never depends on the graph, so a store that does not answer (a Neo4j down holds
# each read for its whole retry, 30 s by default) must not hold it: past this, the definitions
# are answered unmapped. The API gives less (`Verification.store_seconds`).
STORE_SECONDS = 10.0


def nests_deeper_than(document: Any, levels: int) -> bool:
    """Whether `document` nests deeper than `levels` (without recursing itself, so a document
    of any depth gets this answer)."""
    stack: list[tuple[Any, int]] = [(document, 1)] if isinstance(document, (dict, list)) else []
    while stack:
        value, depth = stack.pop()
        children = value.values() if isinstance(value, dict) else value
        for child in children:
            if isinstance(child, (dict, list)):
                if depth >= levels:
                    return True
                stack.append((child, depth + 1))
    return False


def bounded_json(text: str, what: str) -> Any:
    """`text` as JSON, no deeper than MAX_DEPTH (what is fetched goes on to the check
    workers, and back: a document nested 900 deep, under Python's recursion limit, crashed
    one); Unverifiable naming `what` ("it", a URL) otherwise."""
    try:
        found = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise Unverifiable(f"{what} did not answer JSON ({exc})") from exc
    if nests_deeper_than(found, MAX_DEPTH):
        raise Unverifiable(f"{what} nests deeper than {MAX_DEPTH} levels (MAX_DEPTH)")
    if holds_lone_surrogate(found):  # a JSON escape such as "\\ud800": no hash can read it
        raise Unverifiable(f"{what} answered JSON holding a lone UTF-16 surrogate")
    return found
