from __future__ import annotations

from pathlib import Path

import pytest

from credgraph.errors import StoreUnavailable, StoreURLError, shown_url
from credgraph.store import open_store
from credgraph.store.url import Neo4jTarget, SQLiteTarget, parse_store_url


def test_sqlite_paths() -> None:
    assert parse_store_url("sqlite:///credgraph.db") == SQLiteTarget(Path("credgraph.db"))
    assert parse_store_url("sqlite:////var/lib/cg.db") == SQLiteTarget(Path("/var/lib/cg.db"))


def test_a_plain_path_is_a_sqlite_store() -> None:
    assert parse_store_url("graph.db") == SQLiteTarget(Path("graph.db"))
    assert parse_store_url(" /var/lib/cg.db ") == SQLiteTarget(Path("/var/lib/cg.db"))
    assert parse_store_url("data/my graph.db") == SQLiteTarget(Path("data/my graph.db"))
    assert parse_store_url("./graph") == SQLiteTarget(Path("graph"))
    assert parse_store_url("g.sqlite3") == SQLiteTarget(Path("g.sqlite3"))


def test_neo4j_urls_take_credentials_from_url_or_env(monkeypatch: pytest.MonkeyPatch) -> None:
    t = parse_store_url("neo4j+s://alice:s%40cret@db.example:7687/graphs")
    assert t == Neo4jTarget("neo4j+s://db.example:7687", "alice", "s@cret", "graphs")
    monkeypatch.setenv("CREDGRAPH_NEO4J_USER", "neo4j")
    monkeypatch.setenv("CREDGRAPH_NEO4J_PASSWORD", "pw")
    assert parse_store_url("bolt://127.0.0.1:7687") == Neo4jTarget(
        "bolt://127.0.0.1:7687", "neo4j", "pw", None
    )


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("", "empty"),
        ("mysql://db/x", "unknown scheme 'mysql'"),
        ("bolt:7687", "names no host"),  # a URL mistyped, not a file named so
        ("://x.db", "unknown scheme ''"),
        ("neo4j-prod", "no scheme and is no SQLite file's path"),  # a URL mistyped
        ("bolt//host:7687", "no scheme and is no SQLite file's path"),
        ("sqlite://host/x.db", "take a path"),
        ("sqlite:///", "names no database file"),
        ("bolt://:7687", "names no host"),
        ("bolt://user:hunter2@db.example:notaport", "malformed"),
    ],
)
def test_bad_urls_name_the_url_with_password_masked(url: str, message: str) -> None:
    with pytest.raises(StoreURLError, match=message) as caught:
        parse_store_url(url)
    assert "hunter2" not in str(caught.value)


def test_shown_url_masks_the_password() -> None:
    assert shown_url("bolt://u:secret@h:1") == "bolt://u:***@h:1"
    assert shown_url("sqlite:///x.db") == "sqlite:///x.db"
    assert shown_url("bolt://neo4j@h:1/db") == "bolt://neo4j@h:1/db"  # a user, no password


# Passwords holding a delimiter, not percent-encoded: a URL parser ends the host part at the
# delimiter, so it sees no password at all (`Secr/t99` makes host `neo4j`, port `Secr`).
UNENCODED_PASSWORDS = [
    "bolt://neo4j:Secr/t99@127.0.0.1:7711",
    "neo4j://neo4j:Secr#t99@db.example.org:7687",
    "bolt://neo4j:Secr?t99@127.0.0.1:7711",
    "bolt://neo4j:7687/Secret@127.0.0.1:7711",  # parses, as port 7687 and database "Secret@..."
]


@pytest.mark.parametrize("url", UNENCODED_PASSWORDS)
def test_a_password_holding_a_delimiter_is_masked_all_the_same(url: str) -> None:
    shown = shown_url(url)
    assert "t99" not in shown and "Secret" not in shown
    assert shown.split("@", 1)[1] in ("127.0.0.1:7711", "db.example.org:7687")
    assert shown_url(f"fetching {url} failed; see https://docs.example/a") == (
        f"fetching {shown} failed; see https://docs.example/a"
    )


@pytest.mark.parametrize("url", UNENCODED_PASSWORDS)
def test_a_password_holding_a_delimiter_must_be_percent_encoded(url: str) -> None:
    with pytest.raises(StoreURLError, match="percent-encoded") as caught:
        parse_store_url(url)
    message = str(caught.value)
    assert "t99" not in message and "Secret" not in message, message
    assert "%2F" in message and "%23" in message and "%3F" in message
    assert "port" not in message.lower() and "database name" not in message


def test_a_percent_encoded_password_is_decoded() -> None:
    target = parse_store_url("bolt://neo4j:Secr%2Ft%239%3F@127.0.0.1:7711")
    assert isinstance(target, Neo4jTarget) and target.password == "Secr/t#9?"


async def test_unreachable_neo4j_is_one_clear_line() -> None:
    store = open_store("bolt://neo4j:topsecret@127.0.0.1:9")  # nothing listens on port 9
    with pytest.raises(StoreUnavailable) as caught:
        await store.open()
    text = str(caught.value)
    assert "127.0.0.1:9" in text and "topsecret" not in text and "\n" not in text


async def test_sqlite_in_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreUnavailable, match="does not exist"):
        await open_store(f"sqlite:///{tmp_path}/no/such/dir/x.db").open()


def test_neo4j_database_from_path_else_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CREDGRAPH_NEO4J_DATABASE", raising=False)
    assert parse_store_url("neo4j://db.example:7687").database is None  # the server's default
    monkeypatch.setenv("CREDGRAPH_NEO4J_DATABASE", "credentials")
    assert parse_store_url("neo4j://db.example:7687").database == "credentials"
    assert parse_store_url("neo4j://db.example:7687/").database == "credentials"
    assert parse_store_url("bolt://db.example:7687/graphs").database == "graphs"  # URL wins


@pytest.mark.parametrize(
    ("url", "env", "message"),
    [
        ("neo4j://u:hunter2@db.example/a/b", "", "'a/b' is not a Neo4j database name"),
        ("neo4j://u:hunter2@db.example/9lives", "", "'9lives' is not a Neo4j database name"),
        ("neo4j://u:hunter2@db.example", "has space", r"\$CREDGRAPH_NEO4J_DATABASE: 'has space'"),
        ("neo4j://u:hunter2@db.example/" + "d" * 64, "", "at most 63 characters"),
    ],
)
def test_bad_database_names_say_where_they_came_from(
    monkeypatch: pytest.MonkeyPatch, url: str, env: str, message: str
) -> None:
    monkeypatch.setenv("CREDGRAPH_NEO4J_DATABASE", env)
    with pytest.raises(StoreURLError, match=message) as caught:
        parse_store_url(url)
    assert "hunter2" not in str(caught.value)


def test_routing_uris_keep_their_routing_context_direct_ones_refuse_it() -> None:
    routed = parse_store_url("neo4j+s://db.example:7687/graphs?policy=eu&region=west")
    assert routed == Neo4jTarget(
        "neo4j+s://db.example:7687?policy=eu&region=west", None, None, "graphs"
    )
    assert routed.routing
    direct = parse_store_url("bolt+s://db.example:7687")
    assert isinstance(direct, Neo4jTarget) and not direct.routing
    with pytest.raises(StoreURLError, match="bolt:// URL takes no query"):
        parse_store_url("bolt://db.example:7687?policy=eu")


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        # a host and port, then an `@` in the path or query: nothing to mask
        ("https://api.example.org:8443/search?email=a@b.com", None),
        ("neo4j://localhost:7687?policy=a@b", None),
        ("neo4j://127.0.0.1:7687/db?x=a@b", None),
        # a password, then an `@` of the query's own: the host stays shown
        ("https://u:pw@h.example/x?mail=a@b.c", "https://u:***@h.example/x?mail=a@b.c"),
    ],
)
def test_only_a_password_is_masked(text: str, shown: str | None) -> None:
    assert shown_url(text) == (shown or text)


def test_a_host_with_a_port_and_an_at_in_its_query_is_no_unencoded_password() -> None:
    target = parse_store_url("neo4j://localhost:7687?policy=a@b")
    assert isinstance(target, Neo4jTarget) and target.password is None
