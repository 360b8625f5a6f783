"""The linked documents a crawl run has fetched (an issuer or a BadgeClass named by URL), and
which of them a page's parse is given before it asks.

Each page is parsed in a worker process, and the documents it is given travel there with it.
Sent whole, however many, they made every page's parse cost grow with the run (a catalog of
many issuers). So a page is given every document fetched while their text stays under
`LINKED_TEXT_GIVEN`, as always; past it, every failed fetch (a parser reads a failure as
"do not ask again"; Coursera asks for several partners in one URL, and asking again for a
failed one fails the others with it), while their URLs fit the bound, then the documents asked
for last that fit what is left. A page asking for one it was not given is parsed again with it
(`DocumentCrawl._parse`): an issuer by URL is not fetched again, a Coursera partner may be.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from typing import Any

# Text of the linked documents a page is given before it asks, at most (characters as
# fetched; a failed fetch counts its URL): about a megabyte pickled to a worker with the page.
LINKED_TEXT_GIVEN = 1_000_000


class LinkedDocuments:
    """URL -> the document fetched and decoded (None: the fetch or the decoding failed), in
    the order fetched, with what each costs a page that is given it."""

    def __init__(self) -> None:
        self.documents: dict[str, Any] = {}
        self.cost: dict[str, int] = {}
        self.order: dict[str, int] = {}
        self.failed: dict[str, None] = {}
        self.total = 0
        self.failed_total = 0
        self.asked: OrderedDict[str, None] = OrderedDict()  # asked for by a page, the last last

    def __contains__(self, url: object) -> bool:
        return url in self.documents

    def add(self, url: str, document: Any, text_length: int) -> None:
        """`document` fetched from `url` (None: failed), its text `text_length` long."""
        if url in self.documents:
            return
        cost = text_length if document is not None else len(url)
        self.documents[url] = document
        self.cost[url] = cost
        self.order[url] = len(self.order)
        self.total += cost
        if document is None:
            self.failed[url] = None
            self.failed_total += cost

    def asked_for(self, urls: Iterable[str]) -> dict[str, Any]:
        """The documents of `urls` fetched, noted as asked for last."""
        given = {}
        for url in urls:
            if url in self.documents:
                self.asked[url] = None
                self.asked.move_to_end(url)
                given[url] = self.documents[url]
        return given

    def to_give(self) -> dict[str, Any]:
        """What a page is given before it asks (the module docstring), in the order fetched."""
        bound = LINKED_TEXT_GIVEN
        if self.total <= bound:
            return dict(self.documents)
        chosen: set[str] = set()
        room = bound
        if self.failed_total <= room:
            chosen.update(self.failed)
            room -= self.failed_total
        for url in reversed(self.asked):
            if url in chosen:
                continue
            if self.cost[url] > room:
                break
            room -= self.cost[url]
            chosen.add(url)
        return {u: self.documents[u] for u in sorted(chosen, key=self.order.__getitem__)}
