"""Parse functions for posting pages that take their time, for the page parse workers to run
(module-level, so a worker imports them by name)."""

from __future__ import annotations

import json
import time
from dataclasses import replace

from credgraph.formats import jobposting
from credgraph.formats.base import Document, ParseResult
from tests.handshake import wait_for_ticks


def waits_for_ticks(doc: Document) -> ParseResult:
    """A page whose body is JSON naming the handshake (`tests.handshake`) and holding the
    real page: parsed once the API process's event loop has ticked."""
    given = json.loads(doc.text)
    wait_for_ticks(given)
    return jobposting.parse(replace(doc, text=given["page"]))


def never_ends(doc: Document) -> ParseResult:
    """A page the parser never gets through (a pathological document)."""
    while True:
        time.sleep(0.01)
