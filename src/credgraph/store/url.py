"""Store URLs: `sqlite:///path/to/graph.db`, `bolt://`, `neo4j://`, `neo4j+s://` (and +ssc)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

from credgraph.errors import StoreURLError

DEFAULT_URL = "sqlite:///credgraph.db"
NEO4J_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")


def default_store_url() -> str:
    return os.environ.get("CREDGRAPH_STORE") or DEFAULT_URL


def mask(url: str) -> str:
    """The URL with any password replaced by ***, for messages and logs."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<unparseable URL>"
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


@dataclass(frozen=True, slots=True)
class SQLiteTarget:
    path: Path


@dataclass(frozen=True, slots=True)
class Neo4jTarget:
    uri: str  # without credentials
    user: str | None
    password: str | None
    database: str | None


def parse_store_url(url: str) -> SQLiteTarget | Neo4jTarget:
    """Parse a store URL; errors name the URL with its password masked."""
    if not isinstance(url, str) or not url.strip():
        raise StoreURLError("store URL is empty; use sqlite:///path.db or bolt://host:7687")
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise StoreURLError(f"store URL {mask(url)} is malformed: {exc}") from exc
    scheme = parts.scheme.lower()
    if scheme == "sqlite":
        if parts.netloc not in ("", "localhost"):
            raise StoreURLError(
                f"store URL {mask(url)}: sqlite URLs take a path, as sqlite:///relative.db "
                "or sqlite:////absolute/path.db"
            )
        raw = unquote(parts.path)
        path = raw[1:] if raw.startswith("/") else raw
        if not path:
            raise StoreURLError(f"store URL {mask(url)} names no database file")
        return SQLiteTarget(Path(path))
    if scheme in NEO4J_SCHEMES:
        if not parts.hostname:
            raise StoreURLError(f"store URL {mask(url)} names no host")
        host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
        netloc = host if port is None else f"{host}:{port}"
        database = parts.path.strip("/") or None
        user = unquote(parts.username) if parts.username else os.environ.get("CREDGRAPH_NEO4J_USER")
        password = (
            unquote(parts.password)
            if parts.password
            else os.environ.get("CREDGRAPH_NEO4J_PASSWORD")
        )
        return Neo4jTarget(f"{scheme}://{netloc}", user, password, database)
    raise StoreURLError(
        f"store URL {mask(url)} has unknown scheme {parts.scheme!r}; "
        "use sqlite:///path.db, bolt://, neo4j:// or neo4j+s://"
    )


def require_existing(url: str) -> None:
    """For commands that only read: a SQLite URL must name a file that exists (opening one
    that does not would create an empty store and report on nothing)."""
    target = parse_store_url(url)
    if isinstance(target, SQLiteTarget) and not target.path.exists():
        raise StoreURLError(
            f"no SQLite store at {target.path}: check --store (or $CREDGRAPH_STORE); "
            "`credgraph crawl` or `credgraph demo` creates one"
        )
