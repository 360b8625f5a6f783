"""Parse functions for posting pages that take their time, for the page parse workers to run
(module-level, so a worker imports them by name)."""

from __future__ import annotations

import json
import time
from dataclasses import replace
from pathlib import Path

from credgraph.formats import jobposting
from credgraph.formats.base import Document, ParseResult

# How long the ticking parser waits for the event loop's ticks before it says none came: far
# past any scheduling delay, and still a failing test rather than a hung one.
TICKS_WAIT_S = 20.0


def waits_for_ticks(doc: Document) -> ParseResult:
    """A page whose body is JSON naming two files and holding the real page: this parse
    creates `started`, runs until the API's process has created `ticked` (which its event
    loop does after ticks counted while this parse runs), then reads the real page."""
    given = json.loads(doc.text)
    Path(given["started"]).touch()
    ticked = Path(given["ticked"])
    give_up = time.monotonic() + TICKS_WAIT_S
    while not ticked.exists():
        if time.monotonic() > give_up:
            raise ValueError(f"the API's event loop did not tick in {TICKS_WAIT_S:g} s")
        time.sleep(0.005)
    return jobposting.parse(replace(doc, text=given["page"]))


def never_ends(doc: Document) -> ParseResult:
    """A page the parser never gets through (a pathological document)."""
    while True:
        time.sleep(0.01)
