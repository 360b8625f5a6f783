"""Documents verification needs from the web (hosted assertions, badge classes, issuer
profiles, keys, revocation lists), fetched only through the Fetcher: the SSRF guard, robots,
redirect re-checks and size and time caps apply to every URL a stranger's document names.

Each URL is fetched once per verification, and what a check made of its body (a status list
inflated, a revocation list searched) is kept in `decoded` for the verification's other checks.
A verification fetches at most MAX_FETCHES distinct URLs within `seconds` all together: past
either, a fetch fails with FetchError naming the limit, as an unreachable URL does, so its
check is NOT_CHECKED."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from credgraph.errors import FetchError
from credgraph.fetch import Fetcher
from credgraph.request_threads import REQUEST_THREADS
from credgraph.verify.errors import Unverifiable
from credgraph.verify.limits import FETCH_SECONDS, MAX_FETCHES, bounded_json


@dataclass(slots=True)
class Remote:
    fetcher: Fetcher
    seconds: float = FETCH_SECONDS
    decoded: dict[tuple[str, str], Any] = field(default_factory=dict)
    _seen: dict[str, str] = field(default_factory=dict)
    _tried: set[str] = field(default_factory=set)
    _ends: float = field(init=False)

    def __post_init__(self) -> None:
        self._ends = time.monotonic() + self.seconds

    async def text(self, url: str) -> str:
        """The body at `url`; FetchError (with `.status` for HTTP errors) when it fails."""
        if url not in self._seen:
            if url not in self._tried and len(self._tried) >= MAX_FETCHES:
                raise FetchError(url, f"one verification fetches at most {MAX_FETCHES} URLs")
            self._tried.add(url)
            left = self._ends - time.monotonic()
            if left <= 0:
                raise FetchError(url, self._spent())
            try:
                async with asyncio.timeout(left):
                    result = await self.fetcher.fetch(url)
            except TimeoutError as exc:
                raise FetchError(url, self._spent()) from exc
            self._seen[url] = result.text or ""
        return self._seen[url]

    async def json(self, url: str) -> Any:
        """The JSON at `url`, no deeper than a submitted document may be (`bounded_json`).
        Decoded and measured once per verification (a key document each proof names, an
        issuer's profile two checks read), in a thread: a megabyte takes a third of a
        second, on the threads for requests' CPU work. Callers read what it returns; none
        changes it."""
        key = ("json", url)
        if key not in self.decoded:
            text = await self.text(url)
            try:
                self.decoded[key] = await REQUEST_THREADS.run(partial(bounded_json, text, url))
            except Unverifiable as exc:
                self.decoded[key] = exc
        found = self.decoded[key]
        if isinstance(found, Unverifiable):
            raise found
        return found

    def _spent(self) -> str:
        return f"the {self.seconds:g} s one verification may spend fetching are spent"
