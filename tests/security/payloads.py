"""Text aimed at the query languages behind the stores: SQL, SQLite FTS5, Cypher and the
Lucene syntax of Neo4j's full-text indexes. None of it may be read as syntax."""

from __future__ import annotations

import re

SQL = [
    "' OR 1=1 --",
    '" OR ""="',
    "x') OR ('1'='1",
    "'; DROP TABLE credentials; --",
    "1; DELETE FROM credentials",
    "%",
    "_",
    "%' --",
    "\\",
]
FTS5 = [
    "NEAR(data python)",
    "NEAR(",
    '"*',
    "*",
    "^data",
    "name:data",
    "{name description}: data",
    "data OR python",
    "data AND NOT python",
    "data NOT python",
    "-data",
    "+data",
    "data*",
    '"data',
    "(data",
    ")",
    "credentials_fts MATCH 'a'",
]
CYPHER = [
    "}) MATCH (n) DETACH DELETE n //",
    "') MATCH (n) DETACH DELETE n //",
    '" }) RETURN 1 //',
    "` MATCH (n) RETURN n //",
    "$text",
    "{id}",
    "x' }) WITH 1 AS x MATCH (n) SET n.name = 'pwned' //",
]
LUCENE = ["*:*", "name:*", "data~2", "/.*/", "[a TO z]", "data^10", "?", "data && python", "\\*"]
ODD = ["", " ", "\x00", "\t\n", "\ufffd", "Ω" * 300, "a" * 5000]

PAYLOADS: list[str] = SQL + FTS5 + CYPHER + LUCENE + ODD


def as_words(text: str) -> str:
    """The payload with every character that could be syntax turned into a space: what the
    stores promise to search for instead."""
    return re.sub(r"[^\w]+", " ", text)


# One of each kind, for the checks that cost a round trip per listing.
SAMPLE: list[str] = [
    "' OR 1=1 --",
    "%",
    "_",
    "NEAR(data python)",
    '"*',
    "^data",
    "name:data",
    "data OR python",
    "}) MATCH (n) DETACH DELETE n //",
    "$text",
    "*:*",
    "/.*/",
    "data~2",
    "\x00",
    "a" * 5000,
]
