"""Every error credgraph raises on purpose, in one tree.

    CredgraphError
    ├── InvalidRecord          a record failed validation (names the record and the field)
    ├── StoreError             anything a store adapter could not do
    │   ├── StoreURLError      the store URL is malformed or names an unknown scheme
    │   ├── StoreUnavailable   the database cannot be opened (server down, no such database, file locked too long)
    │   └── SchemaVersionError the database was written by a newer credgraph
    ├── InvalidQuery           a filter, sort, cursor or limit given to a store is not valid
    │   └── QueryTimeout       a read ran past its deadline and was stopped: ask for less
    ├── Busy                   every thread for requests' CPU work stayed taken: ask again soon
    ├── ConfigError            sources.toml is invalid (every problem, with file, line and key)
    ├── ParseError             a whole document could not be read (formats.base; names the URL)
    └── FetchError             a document could not be fetched (fetch; names the URL and why)
        └── BlockedURL         refused by the SSRF guard, never sent
            └── RobotsDisallowed   robots.txt disallows it: skipped and counted, not an error

Driver and sqlite3 exceptions are translated into these at the adapter boundary, so callers
never import neo4j or sqlite3 to handle failures.
"""

from __future__ import annotations

import re


class CredgraphError(Exception):
    """Base of every error credgraph raises on purpose."""


class InvalidRecord(CredgraphError):
    """A record is not acceptable; `record_id` and `problems` say which and why."""

    def __init__(self, kind: str, record_id: str | None, problems: list[str]) -> None:
        self.kind = kind
        self.record_id = record_id
        self.problems = problems
        label = record_id if record_id else "<no id>"
        super().__init__(f"invalid {kind} {label!r}: " + "; ".join(problems))


class StoreError(CredgraphError):
    """A store adapter failed."""


class StoreURLError(StoreError):
    """The store URL cannot be used."""


class StoreUnavailable(StoreError):
    """The database cannot be reached, does not exist, or stayed locked past the timeout."""


class SchemaVersionError(StoreError):
    """The database schema is newer than this credgraph understands."""


class InvalidQuery(CredgraphError):
    """A filter, sort, cursor or page size is not valid."""


class QueryTimeout(InvalidQuery):
    """A read asked for more than its deadline allows and was stopped part way; the same
    question will stop again, so the caller must ask for less (fewer ids, a narrower filter,
    a smaller depth). Or an index a read needs is still being built past the time a request
    may wait for it; the message says which. `seconds` is the deadline it ran past."""

    def __init__(self, message: str, *, seconds: float) -> None:
        self.seconds = seconds
        super().__init__(message)


class Busy(CredgraphError):
    """Work waited its whole allowance for one of the threads that run requests' CPU work
    (`credgraph.request_threads`) and never started: the process is busy, not the request
    wrong, so the same request asked again shortly can succeed. `seconds`: the wait."""

    def __init__(self, message: str, *, seconds: float) -> None:
        self.seconds = seconds
        super().__init__(message)


class ConfigError(CredgraphError):
    """sources.toml is invalid; `problems` lists each one as `file:line: key: message`."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("invalid configuration:\n  " + "\n  ".join(problems))


# A URL's user information with a password: `scheme://user:password@`. The password is read
# as a URL parser reads it (to the first `/`, `?`, `#` or `@`) when an `@` follows it there;
# otherwise it is taken to run to the last `@` before whitespace: a password holding `/`, `?`
# or `#` unencoded (`bolt://neo4j:Secr/t99@host`) makes a parser see host `neo4j`, port
# `Secr` and no password at all. A host with a port and then a path, query or fragment
# holding an `@` of its own (`https://api.example.org:8443/search?email=a@b.com`, a name
# with a dot or `localhost`, then digits) is a host, not a user, and nothing is masked.
_USER_PASSWORD = re.compile(
    r"(?<=://)(?!(?:[^/?#@:\s]*\.[^/?#@:\s]*|localhost):\d+(?:[/?#\s]|$))"
    r"(?P<user>[^/?#@:\s]*):(?P<password>[^/?#@\s]*|\S*)@"
)


def shown_url(text: str) -> str:
    """`text` with the password of every URL in it masked (a whole URL is such a text): a
    message goes to logs, run records and API answers, where a catalog's basic-auth password
    or a store's must not."""
    return _USER_PASSWORD.sub(r"\g<user>:***@", text)


def url_password(url: str) -> str | None:
    """The password in `url` as written (not decoded), read as `shown_url` reads it; None
    when there is none."""
    found = _USER_PASSWORD.search(url)
    return found.group("password") if found else None


class FetchError(CredgraphError):
    """A document could not be fetched; the message names the URL and the reason (a URL's
    password masked in both: `shown_url`). `url` keeps the URL as given, the crawl's key."""

    def __init__(self, url: str, reason: str, *, status: int | None = None) -> None:
        self.url = url
        self.reason = shown_url(reason)
        self.status = status
        super().__init__(f"{shown_url(url)}: {self.reason}")


class BlockedURL(FetchError):
    """Refused before sending: private address under the SSRF guard, or robots.txt."""


class RobotsDisallowed(BlockedURL):
    """robots.txt disallows the URL for our user agent."""
