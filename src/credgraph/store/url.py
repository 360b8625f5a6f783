"""Store URLs: `sqlite:///path/to/graph.db`, `bolt://`, `neo4j://`, `neo4j+s://` (and +ssc).

A plain file path (`graph.db`, `/var/lib/graph`: no scheme, a folder or a SQLite file's suffix)
is read as a SQLite store's path, as people type it; anything with a scheme must be one of the
URLs above.

A Neo4j URL may name its database as its path (`neo4j://host:7687/credentials`), else
`CREDGRAPH_NEO4J_DATABASE` does, else the server's default database is used. A routing URL
(`neo4j://...`) keeps its query as the driver's routing context (`?policy=eu`); a direct
`bolt://` URL takes none.

A password in the URL is percent-encoded as in any URL (`%2F` for `/`, `%23` for `#`, `%3F` for
`?`, `%40` for `@`); every message names the URL with its password masked (`shown_url`).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from credgraph.errors import StoreURLError, shown_url, url_password

DEFAULT_URL = "sqlite:///credgraph.db"
NEO4J_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
ROUTING_SCHEMES = ("neo4j", "neo4j+s", "neo4j+ssc")
DATABASE_VARIABLE = "CREDGRAPH_NEO4J_DATABASE"
# Neo4j's rule for database names and aliases: a letter first, then letters, digits, dots,
# dashes or underscores, 63 characters at most.
DATABASE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9._-]{0,62}")


def default_store_url() -> str:
    return os.environ.get("CREDGRAPH_STORE") or DEFAULT_URL


# What ends a URL's user information when written unencoded, and how each is written encoded.
_DELIMITERS = {"/": "%2F", "#": "%23", "?": "%3F"}


def _refuse_unencoded_password(url: str) -> None:
    """A password holding `/`, `#` or `?` as they are ends the URL's host part early: the URL
    parses as a host named after the user and a port or database named after part of the
    password, so the error would blame those and could not mask what it quoted."""
    password = url_password(url)
    if password is None or not any(d in password for d in _DELIMITERS):
        return
    encoded = ", ".join(f"{e} for {d!r}" for d, e in _DELIMITERS.items())
    raise StoreURLError(
        f"store URL {shown_url(url)} is malformed: its password holds '/', '#' or '?', which "
        f"must be percent-encoded ({encoded}); or give it in $CREDGRAPH_NEO4J_PASSWORD"
    )


@dataclass(frozen=True, slots=True)
class SQLiteTarget:
    path: Path


@dataclass(frozen=True, slots=True)
class Neo4jTarget:
    uri: str  # without credentials or database; a routing URI keeps its routing context
    user: str | None
    password: str | None
    database: str | None  # None: the server's default database

    @property
    def routing(self) -> bool:
        """Whether the driver routes (reads to followers and read replicas, writes to the
        leader) rather than talking to the one server the URI names."""
        return self.uri.split("://", 1)[0] in ROUTING_SCHEMES


def parse_store_url(url: str) -> SQLiteTarget | Neo4jTarget:
    """Parse a store URL; errors name the URL with its password masked."""
    if not isinstance(url, str) or not url.strip():
        raise StoreURLError("store URL is empty; use sqlite:///path.db or bolt://host:7687")
    _refuse_unencoded_password(url.strip())
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise StoreURLError(f"store URL {shown_url(url)} is malformed: {exc}") from exc
    scheme = parts.scheme.lower()
    if not scheme and "://" not in url:
        return _plain_path(url)
    if scheme == "sqlite":
        if parts.netloc not in ("", "localhost"):
            raise StoreURLError(
                f"store URL {shown_url(url)}: sqlite URLs take a path, as sqlite:///relative.db "
                "or sqlite:////absolute/path.db"
            )
        raw = unquote(parts.path)
        path = raw[1:] if raw.startswith("/") else raw
        if not path:
            raise StoreURLError(f"store URL {shown_url(url)} names no database file")
        return SQLiteTarget(Path(path))
    if scheme in NEO4J_SCHEMES:
        if not parts.hostname:
            raise StoreURLError(f"store URL {shown_url(url)} names no host")
        host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
        netloc = host if port is None else f"{host}:{port}"
        database = _database(url, parts.path)
        if parts.query and scheme not in ROUTING_SCHEMES:
            raise StoreURLError(
                f"store URL {shown_url(url)}: a {scheme}:// URL takes no query; a routing context "
                "(?policy=...) needs neo4j:// or neo4j+s://"
            )
        if parts.query:
            netloc = f"{netloc}?{parts.query}"
        user = unquote(parts.username) if parts.username else os.environ.get("CREDGRAPH_NEO4J_USER")
        password = (
            unquote(parts.password)
            if parts.password
            else os.environ.get("CREDGRAPH_NEO4J_PASSWORD")
        )
        return Neo4jTarget(f"{scheme}://{netloc}", user, password, database)
    raise StoreURLError(
        f"store URL {shown_url(url)} has unknown scheme {parts.scheme!r}; "
        "use a file path, sqlite:///path.db, bolt://, neo4j:// or neo4j+s://"
    )


def _plain_path(url: str) -> SQLiteTarget:
    """A path given without a scheme, when it reads as a file's: with a folder (`./x`,
    `data/graph`) or a SQLite file's suffix (`graph.db`). Any other word (`neo4j-prod`,
    `bolt//host`) is a URL mistyped, refused rather than made an empty store."""
    text = url.strip()
    looks_like_file = text.lower().endswith(_SQLITE_SUFFIXES) or ("/" in text and "//" not in text)
    if not looks_like_file:
        raise StoreURLError(
            f"store URL {shown_url(url)} has no scheme and is no SQLite file's path; use a path "
            "ending in .db (or naming its folder, ./graph), sqlite:///path.db, bolt:// or "
            "neo4j://"
        )
    return SQLiteTarget(Path(text))


_SQLITE_SUFFIXES = (".db", ".sqlite", ".sqlite3", ".db3")


def _database(url: str, path: str) -> str | None:
    """The database the URL's path names, else $CREDGRAPH_NEO4J_DATABASE, else None."""
    given = unquote(path).strip("/")
    where = f"store URL {shown_url(url)}"
    if not given:
        given = os.environ.get(DATABASE_VARIABLE, "").strip()
        where = f"${DATABASE_VARIABLE}"
    if not given:
        return None
    if not DATABASE_NAME.fullmatch(given):
        raise StoreURLError(
            f"{where}: {given!r} is not a Neo4j database name (a letter, then letters, "
            "digits, '.', '-' or '_', at most 63 characters)"
        )
    return given


def require_existing(url: str) -> None:
    """For commands that only read: a SQLite URL must name a file that exists (opening one
    that does not would create an empty store and report on nothing)."""
    target = parse_store_url(url)
    if isinstance(target, SQLiteTarget) and not target.path.exists():
        raise StoreURLError(
            f"no SQLite store at {target.path}: check --store (or $CREDGRAPH_STORE); "
            "`credgraph crawl` or `credgraph demo` creates one"
        )
