"""Documents verification needs from the web (hosted assertions, badge classes, issuer
profiles, keys, revocation lists), fetched only through the Fetcher: the SSRF guard, robots,
redirect re-checks and size and time caps apply to every URL a stranger's document names.
Each URL is fetched once per verification."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from credgraph.fetch import Fetcher
from credgraph.verify.errors import Unverifiable


@dataclass(slots=True)
class Remote:
    fetcher: Fetcher
    _seen: dict[str, str] = field(default_factory=dict)

    async def text(self, url: str) -> str:
        """The body at `url`; FetchError (with `.status` for HTTP errors) when it fails."""
        if url not in self._seen:
            result = await self.fetcher.fetch(url)
            self._seen[url] = result.text or ""
        return self._seen[url]

    async def json(self, url: str) -> Any:
        text = await self.text(url)
        try:
            return json.loads(text)
        except (ValueError, RecursionError) as exc:
            raise Unverifiable(f"{url} did not answer JSON ({exc})") from exc
