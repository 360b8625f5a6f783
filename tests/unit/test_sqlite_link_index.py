"""The partial index of credential-to-credential links is written with a condition of
equalities (no IN list, which SQLite re-evaluates per inserted link at a cost), holds exactly
those links, is what the pathway reads use, and replaces the older definition in a store
migrated from before, or in an interrupted bulk load's kept definitions."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from credgraph.model import Credential, CredentialType, Skill, SkillLink
from credgraph.store import open_store
from credgraph.store.sqlite.link_index import CREDENTIAL_LINKS, EDGES_CREDENTIAL_LINKS
from credgraph.store.sqlite.schema import MIGRATIONS, SCHEMA_VERSION
from tests.contract.test_pathways import _graph

_OLD = (
    "CREATE INDEX edges_credential_links ON edges(type, src, dst) WHERE type IN "
    "('PREPARES_FOR_CREDENTIAL', 'PART_OF', 'ADVANCED_STANDING', 'PUBLISHED_PATHWAY')"
)
_FOUR = ("PREPARES_FOR_CREDENTIAL", "PART_OF", "ADVANCED_STANDING", "PUBLISHED_PATHWAY")


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
                    skills=(SkillLink(Skill("s1", "SQL")),),
                    part_of=("c6",),
                )
            ]
        )


def _indexed(conn: sqlite3.Connection) -> list[tuple[str, str, str]]:
    return conn.execute(
        "SELECT type, src, dst FROM edges INDEXED BY edges_credential_links "
        f"WHERE {CREDENTIAL_LINKS} ORDER BY 1, 2, 3"
    ).fetchall()


def _expected(conn: sqlite3.Connection) -> list[tuple[str, str, str]]:
    marks = ",".join("?" * len(_FOUR))
    return conn.execute(
        f"SELECT type, src, dst FROM edges NOT INDEXED WHERE type IN ({marks}) ORDER BY 1, 2, 3",
        _FOUR,
    ).fetchall()


def _definition(conn: sqlite3.Connection) -> str:
    (sql,) = conn.execute(
        "SELECT sql FROM sqlite_master WHERE name = 'edges_credential_links'"
    ).fetchone()
    return str(sql)


async def test_the_index_holds_the_credential_links_and_the_pathway_reads_use_it(
    tmp_path: Path,
) -> None:
    path = tmp_path / "g.db"
    await _store(path)
    conn = sqlite3.connect(path)
    assert " IN " not in _definition(conn).upper()
    found = _indexed(conn)
    assert found == _expected(conn)
    assert {t for t, _, _ in found} == {"PREPARES_FOR_CREDENTIAL", "PART_OF", "ADVANCED_STANDING"}
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
    conn.close()


async def test_a_store_from_before_gets_the_new_definition(tmp_path: Path) -> None:
    path = tmp_path / "g.db"
    await _store(path)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("DROP INDEX edges_credential_links")
    conn.execute(_OLD)
    conn.execute(f"PRAGMA user_version = {MIGRATIONS.index(EDGES_CREDENTIAL_LINKS)}")
    conn.close()
    async with open_store(f"sqlite:///{path}") as store:
        assert [v.id for v in await store.get_credentials(["c1"])] == ["c1"]
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
    assert " IN " not in _definition(conn).upper()
    assert _indexed(conn) == _expected(conn) != []
    conn.close()


async def test_an_interrupted_bulk_load_keeps_no_old_definition(tmp_path: Path) -> None:
    path = tmp_path / "g.db"
    await _store(path)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("DROP INDEX edges_credential_links")
    conn.execute(
        "INSERT INTO deferred_indexes (name, sql) VALUES ('edges_credential_links', ?)", (_OLD,)
    )
    conn.execute(f"PRAGMA user_version = {MIGRATIONS.index(EDGES_CREDENTIAL_LINKS)}")
    conn.close()
    async with open_store(f"sqlite:///{path}"):
        pass
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM deferred_indexes").fetchone() == (0,)
    assert " IN " not in _definition(conn).upper()
    assert _indexed(conn) == _expected(conn) != []
    conn.close()
