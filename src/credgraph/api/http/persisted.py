"""Persisted queries: an allow-list file, and automatic persisted queries (APQ) by sha256.

The allow-list is a JSON object mapping a name or a sha256 hex digest to a query:

    {"CredentialCard": "query CredentialCard($id: ID!) { credential(id: $id) { name } }",
     "5b2f...e1": "query Stats { stats { credentials } }"}

(an Apollo persisted-query manifest, `{"operations": [{"id", "name", "body"}...]}`, is read
too). A client names an entry with `documentId` (or `id`): its name, its sha256, or
`sha256:<hex>`. Every entry can also be reached by the sha256 of its text, so APQ clients work
against it unchanged. With `require_persisted_queries` nothing else runs.

APQ follows Apollo's protocol: `extensions.persistedQuery.sha256Hash` alone runs a known query
or answers `PersistedQueryNotFound`; a POST with the full query and the matching hash stores it
in a bounded LRU cache (never in required mode, where only the allow-list counts). Queries
over `MAX_APQ_QUERY_CHARS` run but are not kept, so the cache holds at most size x 32 KB.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graphql import GraphQLSyntaxError, parse

from credgraph.api.http.responses import HttpProblem, error_body
from credgraph.errors import ConfigError

MAX_APQ_QUERY_CHARS = 32_768
_SHA256 = re.compile(r"(?:sha256:)?([0-9a-fA-F]{64})")


def sha256_hex(query: str) -> str:
    return hashlib.sha256(query.encode()).hexdigest()


def _hash_key(key: str) -> str | None:
    match = _SHA256.fullmatch(key)
    return match.group(1).lower() if match else None


def load_allow_list(path: str | Path) -> dict[str, str]:
    """Read an allow-list file into {name or sha256: query}; ConfigError names every problem."""
    where = str(path)
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError([f"{where}: cannot read persisted queries: {exc.strerror}"]) from exc
    except ValueError as exc:
        raise ConfigError([f"{where}: persisted queries are not valid JSON: {exc}"]) from exc
    if isinstance(raw, dict) and isinstance(raw.get("operations"), list):
        raw = {
            str(op.get("name") or op.get("id")): op.get("body")
            for op in raw["operations"]
            if isinstance(op, dict)
        }
    if not isinstance(raw, dict):
        raise ConfigError([f"{where}: expected a JSON object of name -> query"])
    problems: list[str] = []
    for key, query in raw.items():
        if not isinstance(query, str):
            problems.append(f"{where}: {key}: the query must be a string")
            continue
        try:
            parse(query)
        except GraphQLSyntaxError as exc:
            problems.append(f"{where}: {key}: {exc.message}")
    if problems:
        raise ConfigError(problems)
    return raw


@dataclass(slots=True)
class Operation:
    """One GraphQL request as the client sent it (GET parameters or one POST object)."""

    query: str | None
    variables: dict[str, Any] | None
    operation_name: str | None
    document_id: str | None
    apq_hash: str | None


class PersistedQueries:
    """Turns an `Operation` into the query text to run, or refuses it."""

    def __init__(self, allow_list: dict[str, str], *, required: bool, apq_cache_size: int) -> None:
        self.required = required
        self.apq_cache_size = apq_cache_size
        self._by_key: dict[str, str] = {}
        for key, query in allow_list.items():
            self._by_key[_hash_key(key) or key] = query
            self._by_key[sha256_hex(query)] = query
        self._apq: OrderedDict[str, str] = OrderedDict()

    def resolve(self, op: Operation, *, may_register: bool) -> str | dict[str, Any]:
        """The query text, or a GraphQL error body that APQ clients act on (HTTP 200).

        Raises HttpProblem for requests that are wrong whatever the server knows.
        """
        if op.document_id is not None:
            return self._by_document_id(op)
        if op.apq_hash is not None:
            return self._by_apq_hash(op, op.apq_hash, may_register=may_register)
        if op.query is None:
            raise HttpProblem(
                400, "Missing query: send `query`, or `documentId` for a persisted query."
            )
        if self.required and sha256_hex(op.query) not in self._by_key:
            raise HttpProblem(
                403,
                "This server only runs persisted queries: send `documentId` with the name or "
                "sha256 of a query in its allow-list.",
                "PERSISTED_QUERY_REQUIRED",
            )
        return op.query

    def _by_document_id(self, op: Operation) -> str:
        key = op.document_id or ""
        query = self._by_key.get(_hash_key(key) or key)
        if query is None:
            raise HttpProblem(400, f"Unknown persisted query {key!r}.", "PERSISTED_QUERY_NOT_FOUND")
        if op.query is not None and op.query != query:
            raise HttpProblem(400, "Send either `documentId` or `query`, not both.")
        return query

    def _by_apq_hash(
        self, op: Operation, given: str, *, may_register: bool
    ) -> str | dict[str, Any]:
        digest = _hash_key(given)
        if digest is None:
            raise HttpProblem(400, "persistedQuery.sha256Hash must be 64 hex digits.")
        if op.query is not None:
            if sha256_hex(op.query) != digest:
                raise HttpProblem(
                    400, "provided sha does not match query", "PERSISTED_QUERY_HASH_MISMATCH"
                )
            if digest in self._by_key:
                return op.query
            if self.required:
                return self.resolve(Operation(op.query, None, None, None, None), may_register=False)
            if may_register and self.apq_cache_size and len(op.query) <= MAX_APQ_QUERY_CHARS:
                self._remember(digest, op.query)
            return op.query
        known = self._by_key.get(digest)
        if known is None and not self.required:
            known = self._apq.get(digest)
            if known is not None:
                self._apq.move_to_end(digest)
        if known is not None:
            return known
        if not self.apq_cache_size and not self.required:
            return error_body("PersistedQueryNotSupported", "PERSISTED_QUERY_NOT_SUPPORTED")
        return error_body("PersistedQueryNotFound", "PERSISTED_QUERY_NOT_FOUND")

    def _remember(self, digest: str, query: str) -> None:
        self._apq[digest] = query
        self._apq.move_to_end(digest)
        while len(self._apq) > self.apq_cache_size:
            self._apq.popitem(last=False)
