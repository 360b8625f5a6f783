"""Parse functions that go wrong on one page, for the parse workers to run (module-level, so
a worker imports them by name); every other page gets its format's real parser."""

from __future__ import annotations

import json
import os
import signal
import time

from credgraph.formats import parser_for
from credgraph.formats.base import Document, ParseResult
from tests.handshake import wait_for_ticks

STUCK_PAGE = "/badges?page=2"


def never_ends_on_page_2(doc: Document) -> ParseResult:
    """A parser stuck on one page (a pathological document, a loop that never ends)."""
    while doc.url.endswith(STUCK_PAGE):
        time.sleep(0.01)
    return parser_for(doc.format)(doc)


def key_error_on_page_2(doc: Document) -> ParseResult:
    """A parser bug on odd input: a key the parser took for granted."""
    if doc.url.endswith(STUCK_PAGE):
        raise KeyError("credentialSubject")
    return parser_for(doc.format)(doc)


class TwoPartError(Exception):
    """An exception pickle cannot rebuild (its constructor takes two arguments, pickle gives
    it one): were it sent back as itself, the pool every source shares would break."""

    def __init__(self, where: str, why: str) -> None:
        super().__init__(f"{where}: {why}")


def odd_errors_on_page_2(doc: Document) -> ParseResult:
    """A parser bug outside the usual five kinds, raised as an exception pickle cannot rebuild."""
    if doc.url.endswith(STUCK_PAGE):
        try:
            [][0]
        except IndexError as exc:
            raise TwoPartError("credentialSubject", "no items") from exc
    return parser_for(doc.format)(doc)


def dies_on_page_2(doc: Document) -> ParseResult:
    """A worker killed under a parse (out of memory, a crash in a C extension)."""
    if doc.url.endswith(STUCK_PAGE):
        os.kill(os.getpid(), signal.SIGKILL)
    return parser_for(doc.format)(doc)


def waits_for_ticks(doc: Document) -> ParseResult:
    """A page whose body names the handshake (`tests.handshake`): parsed, to nothing, once
    the crawling process's event loop has ticked."""
    wait_for_ticks(json.loads(doc.text))
    return ParseResult()
