"""What a fetch returns, and the validators kept between crawls for conditional GET."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Validators:
    """From the last successful fetch of a URL: sent back as If-None-Match/If-Modified-Since,
    and the content hash that says whether a 200 brought anything new."""

    etag: str | None = None
    last_modified: str | None = None
    content_hash: str | None = None


@dataclass(frozen=True, slots=True)
class FetchResult:
    url: str  # as asked
    final_url: str  # after redirects
    status: int
    not_modified: bool = False
    unchanged: bool = False  # 200 with the same content hash as last time
    text: str | None = None
    media_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    content_hash: str | None = None
    next_links: tuple[str, ...] = ()  # Link: <...>; rel="next"
    headers: dict[str, str] = field(default_factory=dict)
    path: str | None = None  # where `Fetcher.download` wrote the body

    @property
    def validators(self) -> Validators:
        return Validators(self.etag, self.last_modified, self.content_hash)
