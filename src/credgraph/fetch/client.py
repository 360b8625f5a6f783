"""The one HTTP client credgraph crawls with.

Fetcher.fetch(url, validators)
  -> robots.txt check (per host, cached)           RobotsCache
  -> redirects followed one hop at a time, each re-checked, loops detected
  -> transport stack: PoliteTransport (per-host slots, delay, Retry-After, backoff)
                      GuardTransport (SSRF guard on every hop)
                      credgraph.fetch.transport.PinnedTransport (or a test transport)
  -> body streamed under a size cap, gunzipped if a .gz file, decoded to text
  -> 304 / same content hash reported so the crawl skips parsing and writing

Time: httpx's timeout bounds each read; `fetch` puts twice that over the whole document, and
`download` its own deadline (fetch.deadline) over the whole release.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Self

import httpx

from credgraph import __version__
from credgraph.config.sources import CrawlerSettings
from credgraph.errors import BlockedURL, FetchError, RobotsDisallowed
from credgraph.fetch.deadline import DEADLINE_VARIABLE, download_deadline_seconds
from credgraph.fetch.decode import DecodeError, decode_body, gunzip_capped, is_gzip
from credgraph.fetch.guard import GuardTransport, pinned_transport
from credgraph.fetch.network import network_failure
from credgraph.fetch.polite import PoliteTransport
from credgraph.fetch.result import FetchResult, Validators
from credgraph.fetch.robots import RobotsCache, RobotsRules
from credgraph.fetch.waiting import FETCH_DEADLINE

_ACCEPT = (
    "application/ld+json, application/json;q=0.9, text/html;q=0.8, application/xml;q=0.7, */*;q=0.5"
)
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


@dataclass(slots=True)
class FetchCounters:
    requests: int = 0
    robots_refusals: int = 0


def _next_links(response: httpx.Response) -> tuple[str, ...]:
    links = []
    for link in response.links.values() if response.headers.get("link") else ():
        if "next" in (link.get("rel") or "").split():
            try:
                links.append(str(response.url.join(link["url"])))
            except httpx.InvalidURL:  # `<http://[::1>`: no page to follow
                continue
    return tuple(links)


class Fetcher:
    """Fetch documents politely and safely. Use as an async context manager.

    `download_deadline` bounds each `download` in seconds; by default the operator's
    CREDGRAPH_DOWNLOAD_DEADLINE_SECONDS, else 1800. `clock` and `sleep` time the per-host
    delays and retry pauses (real time unless a test passes its own)."""

    def __init__(
        self,
        settings: CrawlerSettings,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        backoff_base: float = 0.5,
        download_deadline: float | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.settings = settings
        self.download_deadline = (
            download_deadline if download_deadline is not None else download_deadline_seconds()
        )
        self.polite = PoliteTransport(
            GuardTransport(
                transport or pinned_transport(allow_private=settings.allow_private_networks),
                allow_private=settings.allow_private_networks,
            ),
            per_host_concurrency=settings.per_host_concurrency,
            delay_seconds=settings.delay_seconds,
            max_retries=settings.max_retries,
            max_retry_after=settings.max_retry_after_seconds,
            backoff_base=backoff_base,
            clock=clock,
            sleep=sleep,
        )
        user_agent = settings.user_agent or f"credgraph/{__version__}"
        self.client = httpx.AsyncClient(
            transport=self.polite,
            timeout=httpx.Timeout(settings.timeout_seconds),
            headers={"User-Agent": user_agent, "Accept": _ACCEPT},
            follow_redirects=False,
        )
        self.counters = FetchCounters()
        self.robots = RobotsCache(self._get_robots, seconds=settings.timeout_seconds)

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        self.robots.close()
        await self.client.aclose()

    async def _get_robots(self, url: str, max_bytes: int) -> tuple[int, bytes]:
        async with self.client.stream("GET", url, follow_redirects=True) as response:
            body = bytearray()
            async for chunk in response.aiter_bytes():
                body += chunk
                if len(body) >= max_bytes:  # the rest is not read
                    break
            return response.status_code, bytes(body)

    async def robots_rules(self, url: str) -> RobotsRules:
        rules = await self.robots.rules_for(httpx.URL(url))
        delay = rules.crawl_delay(self.settings.user_agent)
        if delay:
            self.polite.set_host_delay(httpx.URL(url).netloc.decode("ascii", "replace"), delay)
        return rules

    async def fetch(self, url: str, validators: Validators | None = None) -> FetchResult:
        """Fetch one document. Raises FetchError (BlockedURL for guard/robots refusals)
        naming the URL and the reason; never returns a partial body."""
        try:
            # waits for the host's turn and its Retry-After do not spend it (`fetch.waiting`)
            async with asyncio.timeout(self.settings.timeout_seconds * 2) as deadline:
                token = FETCH_DEADLINE.set(deadline)
                try:
                    return await self._fetch(url, validators)
                finally:
                    FETCH_DEADLINE.reset(token)
        except TimeoutError as exc:
            raise FetchError(
                url, f"timed out after {self.settings.timeout_seconds * 2:.0f} s"
            ) from exc

    async def download(
        self, url: str, sink: Path, validators: Validators | None = None
    ) -> FetchResult:
        """Fetch a large file (a taxonomy release) into `sink`, streamed under
        `max_archive_bytes`, with the same politeness, guard and conditional GET as `fetch`.
        The whole download (robots.txt, redirects, retries and body) must end within
        `download_deadline` seconds, or FetchError names the URL and the deadline."""
        deadline = self.download_deadline
        try:
            async with asyncio.timeout(deadline):
                return await self._fetch(url, validators, sink)
        except TimeoutError as exc:
            raise FetchError(
                url,
                f"download not finished within its {deadline:g} s deadline "
                f"({DEADLINE_VARIABLE}); stopped",
            ) from exc

    async def _fetch(
        self, url: str, validators: Validators | None, sink: Path | None = None
    ) -> FetchResult:
        try:
            target = httpx.URL(url)
        except (httpx.InvalidURL, TypeError) as exc:
            raise FetchError(url, f"not a valid URL: {exc}") from exc
        chain = [str(target)]
        for _ in range(self.settings.max_redirects + 1):
            rules = await self.robots_rules(str(target))
            if rules.unavailable and rules.network:
                raise FetchError(url, f"{rules.reason}; host not reached")
            if rules.unavailable:
                raise FetchError(
                    url,
                    f"host not crawled: {rules.reason} (RFC 9309: a robots.txt that cannot be "
                    "read disallows the host)",
                )
            if not rules.allowed(str(target), self.settings.user_agent):
                self.counters.robots_refusals += 1
                raise RobotsDisallowed(str(target), "skipped: disallowed by robots.txt")
            headers = {}
            # A header is ASCII; a stored validator that is not (a server sent `ETag: "é"`) is
            # not sent back, and the document is fetched whole.
            if validators and validators.etag and validators.etag.isascii():
                headers["If-None-Match"] = validators.etag
            if validators and validators.last_modified and validators.last_modified.isascii():
                headers["If-Modified-Since"] = validators.last_modified
            request = self.client.build_request("GET", target, headers=headers)
            self.counters.requests += 1
            try:
                response = await self.client.send(request, stream=True)
            except BlockedURL:
                raise
            except httpx.TimeoutException as exc:
                raise FetchError(url, f"timed out ({type(exc).__name__}) after retries") from exc
            except httpx.HTTPError as exc:
                raise FetchError(url, network_failure(exc)) from exc
            try:
                if response.status_code in _REDIRECTS and "location" in response.headers:
                    target = response.url.join(response.headers["location"])
                    if target.scheme not in ("http", "https"):
                        # Refused here, naming the hop: asked for its robots.txt first, a
                        # `file:` target would be blamed as "/robots.txt" with no scheme.
                        raise BlockedURL(
                            url,
                            f"redirected to {target}: scheme {target.scheme!r} is not "
                            "fetched (http and https only)",
                        )
                    if str(target) in chain:
                        raise FetchError(
                            url, "redirect loop: " + " -> ".join([*chain, str(target)])
                        )
                    chain.append(str(target))
                    continue
                return await self._result(url, response, validators, sink)
            finally:
                await response.aclose()
        raise FetchError(url, f"more than {self.settings.max_redirects} redirects")

    async def _result(
        self,
        url: str,
        response: httpx.Response,
        validators: Validators | None,
        sink: Path | None = None,
    ) -> FetchResult:
        status = response.status_code
        common = {
            "url": url,
            "final_url": str(response.url),
            "status": status,
            "etag": response.headers.get("etag"),
            "last_modified": response.headers.get("last-modified"),
            "next_links": _next_links(response),
            "headers": {k.lower(): v for k, v in response.headers.items()},
        }
        if status == 304:
            kept = validators or Validators()
            return FetchResult(
                **{
                    **common,
                    "etag": common["etag"] or kept.etag,
                    "last_modified": common["last_modified"] or kept.last_modified,
                },
                not_modified=True,
                content_hash=kept.content_hash,
            )
        if status >= 400:
            reason = f"HTTP {status} {response.reason_phrase}".strip()
            if status in (429, 503) and response.headers.get("retry-after"):
                reason += f" (Retry-After {response.headers['retry-after']}, more than we wait)"
            elif status >= 500:
                reason += f" after {self.settings.max_retries} retries"
            raise FetchError(url, reason, status=status)
        if sink is not None:
            digest = await self._stream_to(url, response, sink)
            unchanged = bool(validators and validators.content_hash == digest)
            return FetchResult(**common, unchanged=unchanged, content_hash=digest, path=str(sink))
        body = await self._read_capped(url, response)
        if is_gzip(body):
            try:
                body = gunzip_capped(body, self.settings.max_response_bytes)
            except DecodeError as exc:
                raise FetchError(url, str(exc), status=status) from exc
        digest = "sha256:" + hashlib.sha256(body).hexdigest()
        content_type = response.headers.get("content-type")
        media_type = content_type.split(";")[0].strip().lower() if content_type else None
        if validators and validators.content_hash == digest:
            return FetchResult(**common, unchanged=True, media_type=media_type, content_hash=digest)
        try:
            text = decode_body(body, content_type)
        except DecodeError as exc:
            raise FetchError(url, str(exc), status=status) from exc
        return FetchResult(**common, text=text, media_type=media_type, content_hash=digest)

    async def _stream_to(self, url: str, response: httpx.Response, sink: Path) -> str:
        cap = self.settings.max_archive_bytes
        digest = hashlib.sha256()
        size = 0
        try:
            with sink.open("wb") as out:
                async for chunk in response.aiter_bytes():
                    size += len(chunk)
                    if size > cap:
                        raise FetchError(url, f"download is over the {cap:,}-byte cap (stopped)")
                    digest.update(chunk)
                    out.write(chunk)
        except httpx.TimeoutException as exc:
            raise FetchError(url, "timed out while downloading") from exc
        except httpx.HTTPError as exc:
            raise FetchError(url, f"download incomplete: {exc or type(exc).__name__}") from exc
        return "sha256:" + digest.hexdigest()

    async def _read_capped(self, url: str, response: httpx.Response) -> bytes:
        cap = self.settings.max_response_bytes
        declared = response.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > cap:
            raise FetchError(
                url, f"response of {int(declared):,} bytes is over the {cap:,}-byte cap"
            )
        chunks: list[bytes] = []
        size = 0
        try:
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                if size > cap:
                    raise FetchError(
                        url, f"response is over the {cap:,}-byte cap (stopped reading)"
                    )
                chunks.append(chunk)
        except httpx.TimeoutException as exc:
            raise FetchError(url, "timed out while reading the body") from exc
        except httpx.HTTPError as exc:
            raise FetchError(url, f"body incomplete: {exc or type(exc).__name__}") from exc
        return b"".join(chunks)
