"""The partial indexes of `edges` (credential-to-credential links, links that may lack an end)
are written with conditions of equalities (no IN list, which SQLite re-evaluates per
inserted link at a cost), hold exactly those links, are what their reads use, and replace
the older definitions in a store migrated from before, or in an interrupted bulk load's
kept definitions."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from credgraph.model import Credential, CredentialType, Skill, SkillLink
from credgraph.store import open_store
from credgraph.store.sqlite.graph_counts import DANGLING_COUNTS
from credgraph.store.sqlite.link_index import (
    CREDENTIAL_LINKS,
    EDGES_CREDENTIAL_LINKS,
    MAYBE_DANGLING,
)
from credgraph.store.sqlite.schema import MIGRATIONS, SCHEMA_VERSION
from tests.contract.test_pathways import _graph

_OLD = {
    "edges_credential_links": (
        "CREATE INDEX edges_credential_links ON edges(type, src, dst) WHERE type IN "
        "('PREPARES_FOR_CREDENTIAL', 'PART_OF', 'ADVANCED_STANDING', 'PUBLISHED_PATHWAY')"
    ),
    "edges_maybe_dangling": (
        "CREATE INDEX edges_maybe_dangling ON edges(type, src, dst) "
        "WHERE type IN ('PART_OF', 'REQUIRES', 'BROADER', 'SAME_AS')"
    ),
}
_TYPES = {
    "edges_credential_links": (
        CREDENTIAL_LINKS,
        ("PREPARES_FOR_CREDENTIAL", "PART_OF", "ADVANCED_STANDING", "PUBLISHED_PATHWAY"),
    ),
    "edges_maybe_dangling": (MAYBE_DANGLING, ("PART_OF", "REQUIRES", "BROADER", "SAME_AS")),
}


async def _store(path: Path) -> None:
    async with open_store(f"sqlite:///{path}") as store:
        await _graph(store)
        # links of other types, which the index must leave out
        await store.upsert_credentials(
            [
                Credential(
                    "c7",
                    "Credential 7",
                    CredentialType.BADGE,
                    skills=(SkillLink(Skill("s1", "SQL", broader=("s0",))),),
                    part_of=("c6",),
                    requires=("c1",),
                )
            ]
        )


def _indexed(conn: sqlite3.Connection, index: str) -> list[tuple[str, str, str]]:
    condition, _types = _TYPES[index]
    return conn.execute(
        f"SELECT type, src, dst FROM edges INDEXED BY {index} WHERE {condition} ORDER BY 1, 2, 3"
    ).fetchall()


def _expected(conn: sqlite3.Connection, index: str) -> list[tuple[str, str, str]]:
    _condition, types = _TYPES[index]
    marks = ",".join("?" * len(types))
    return conn.execute(
        f"SELECT type, src, dst FROM edges NOT INDEXED WHERE type IN ({marks}) ORDER BY 1, 2, 3",
        types,
    ).fetchall()


def _definition(conn: sqlite3.Connection, index: str) -> str:
    (sql,) = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (index,)).fetchone()
    return str(sql)


async def test_the_indexes_hold_their_links_and_their_reads_use_them(tmp_path: Path) -> None:
    path = tmp_path / "g.db"
    await _store(path)
    conn = sqlite3.connect(path)
    for index in _TYPES:
        assert " IN " not in _definition(conn, index).upper()
        assert _indexed(conn, index) == _expected(conn, index) != []
    assert {t for t, _, _ in _indexed(conn, "edges_credential_links")} == {
        "PREPARES_FOR_CREDENTIAL",
        "PART_OF",
        "ADVANCED_STANDING",
    }
    assert {t for t, _, _ in _indexed(conn, "edges_maybe_dangling")} == {
        "PART_OF",
        "REQUIRES",
        "BROADER",
    }
    (others,) = conn.execute("SELECT count(*) FROM edges WHERE type = 'TEACHES'").fetchone()
    assert others == 1
    for extra in ("type <> 'ADVANCED_STANDING'", "type = 'ADVANCED_STANDING'"):
        plan = " ".join(
            r[3]
            for r in conn.execute(
                f"EXPLAIN QUERY PLAN SELECT src, dst FROM edges WHERE {CREDENTIAL_LINKS} AND {extra}"
            )
        )
        assert "edges_credential_links" in plan
    for sql in DANGLING_COUNTS:
        plan = " ".join(r[3] for r in conn.execute(f"EXPLAIN QUERY PLAN {sql}"))
        assert "edges_maybe_dangling" in plan
    conn.close()


def _from_before(path: Path, *, interrupted_load: bool) -> None:
    """The store as the step before this one left it (or left it mid bulk load)."""
    conn = sqlite3.connect(path, isolation_level=None)
    for index, sql in _OLD.items():
        conn.execute(f"DROP INDEX {index}")
        if interrupted_load:
            conn.execute("INSERT INTO deferred_indexes (name, sql) VALUES (?, ?)", (index, sql))
        else:
            conn.execute(sql)
    conn.execute(f"PRAGMA user_version = {MIGRATIONS.index(EDGES_CREDENTIAL_LINKS)}")
    conn.close()


async def test_a_store_from_before_gets_the_new_definitions(tmp_path: Path) -> None:
    path = tmp_path / "g.db"
    await _store(path)
    _from_before(path, interrupted_load=False)
    async with open_store(f"sqlite:///{path}") as store:
        assert [v.id for v in await store.get_credentials(["c1"])] == ["c1"]
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
    for index in _TYPES:
        assert " IN " not in _definition(conn, index).upper()
        assert _indexed(conn, index) == _expected(conn, index) != []
    conn.close()


async def test_an_interrupted_bulk_load_keeps_no_old_definition(tmp_path: Path) -> None:
    path = tmp_path / "g.db"
    await _store(path)
    _from_before(path, interrupted_load=True)
    async with open_store(f"sqlite:///{path}"):
        pass
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM deferred_indexes").fetchone() == (0,)
    for index in _TYPES:
        assert " IN " not in _definition(conn, index).upper()
        assert _indexed(conn, index) == _expected(conn, index) != []
    conn.close()
