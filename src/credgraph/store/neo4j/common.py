"""Names, label/type guards, timestamps and error translation shared by the Neo4j modules.

Labels and relationship types reach Cypher text only through `label()` and `rel_type()`,
which accept our enums and nothing else; every value travels as a parameter.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import TypeVar

from neo4j.exceptions import (
    AuthError,
    ConstraintError,
    DriverError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
)

from credgraph.errors import StoreError, StoreUnavailable
from credgraph.model.values import EdgeType, NodeKind
from credgraph.store.url import DATABASE_VARIABLE

T = TypeVar("T")

# Placeholder for the far end of a link whose target is not stored yet. A Ref is keyed by
# (ref_kind, id); when a real node of that kind and id arrives the Ref is relabelled in place,
# so links made earlier appear without touching their owners.
REF = "Ref"
# One node per change of a credential: {credential_id, seq, changed_at, changes (JSON)}.
VERSION = "CredentialVersion"
# What a crawl learned about one fetched document: {source_id, url, doc (JSON DocumentState)}.
DOCUMENT = "CrawlDocument"
# An issuer's published pathway: {id, name, doc (JSON), credential_ids}; not a graph kind.
PATHWAY = "Pathway"

GRAPH_KINDS: tuple[NodeKind, ...] = (
    NodeKind.ISSUER,
    NodeKind.CREDENTIAL,
    NodeKind.SKILL,
    NodeKind.OCCUPATION,
)
# Relationship types that are part of the domain graph (views, neighbourhood, stats, exports).
GRAPH_EDGES: tuple[EdgeType, ...] = tuple(t for t in EdgeType if t is not EdgeType.FROM_SOURCE)
# Kinds whose links may point at a node not stored yet (and so may end at a Ref).
REF_KINDS = frozenset({NodeKind.CREDENTIAL, NodeKind.SKILL})

CHUNK = 5000  # rows per UNWIND statement inside one transaction
# The server's answer for a database name it does not know (directly or in a routing request).
DATABASE_NOT_FOUND = "Neo.ClientError.Database.DatabaseNotFound"


def label(kind: NodeKind) -> str:
    if not isinstance(kind, NodeKind):
        raise TypeError(f"not a node kind: {kind!r}")
    return kind.value


def rel_type(edge_type: EdgeType) -> str:
    assert isinstance(edge_type, EdgeType), f"not an edge type: {edge_type!r}"
    return edge_type.value


def rel_types(types: Sequence[EdgeType]) -> str:
    """`A|B|C` for a relationship pattern."""
    return "|".join(rel_type(t) for t in types)


def graph_node_predicate(var: str) -> str:
    """`(n:Issuer OR n:Credential ...)`: a node that is part of the domain graph."""
    assert var.isidentifier()
    return "(" + " OR ".join(f"{var}:{label(k)}" for k in GRAPH_KINDS) + ")"


GRAPH_REL_PATTERN = rel_types(GRAPH_EDGES)


def kind_of(labels: Sequence[str]) -> NodeKind | None:
    for kind in GRAPH_KINDS:
        if kind.value in labels:
            return kind
    return None


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def utc_iso(value: datetime) -> str:
    """An ISO string in UTC, so string order is time order (naive times are taken as UTC)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def parse_time(value: str | None) -> datetime:
    if not value:
        return datetime.fromtimestamp(0, UTC)
    return datetime.fromisoformat(value)


def translate(exc: Exception, url: str, doing: str) -> StoreError:
    """A driver exception as a credgraph error with a one-line message naming the store."""
    message = _one_line(exc)
    if isinstance(exc, AuthError):
        return StoreUnavailable(f"Neo4j store {url}: authentication failed ({message})")
    if isinstance(exc, ServiceUnavailable | SessionExpired):
        return StoreUnavailable(f"Neo4j store {url} cannot be reached ({message})")
    if isinstance(exc, Neo4jError) and exc.code == DATABASE_NOT_FOUND:
        # The store cannot be opened, as when the server is down (and as a SQLite file in a
        # folder that does not exist): `serve` exits 3 and the scheduler waits for it.
        return StoreUnavailable(
            f"Neo4j store {url}: the database does not exist ({message}); create it, or name "
            f"another in the URL's path or ${DATABASE_VARIABLE}"
        )
    if isinstance(exc, ConstraintError):
        if "ctid" in message.lower():
            return StoreError(
                f"Neo4j store {url}: {doing} failed: two credentials claim one ctid ({message})"
            )
        return StoreError(f"Neo4j store {url}: {doing} failed: constraint violated ({message})")
    return StoreError(f"Neo4j store {url}: {doing} failed ({message})")


def _one_line(exc: Exception) -> str:
    text = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    return " ".join(str(text).split())[:500]


@asynccontextmanager
async def translated(url: str, doing: str) -> AsyncIterator[None]:
    try:
        yield
    except (Neo4jError, DriverError) as exc:
        raise translate(exc, url, doing) from exc
    except OSError as exc:  # raw socket failures the driver did not wrap
        raise StoreUnavailable(f"Neo4j store {url} cannot be reached ({_one_line(exc)})") from exc
