"""Each full-text index has a version of its own (schema step 10): what search keeps of one
index (a ranking's best rows, a word's count) holds while only other indexes are written, and
a write of its own rows makes the next search rank again, as one keeping nothing does."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from credgraph.model import Credential, NodeKind, Skill
from credgraph.store import open_store
from credgraph.store.sqlite.kept_rankings import KeptRankings
from credgraph.store.sqlite.search import TermCounts, search
from credgraph.store.sqlite.version import search_version


def skills() -> list[Skill]:
    """80 skills holding "data" at lengths that order them out of id order, 120 without."""
    held = [
        Skill(f"https://s.example/{i:03}", f"Data skill {i}", description="filler " * (i * 13 % 17))
        for i in range(80)
    ]
    return held + [Skill(f"https://s.example/other-{i:03}", f"Other {i}") for i in range(120)]


def rankings_of(conn: sqlite3.Connection) -> list[str]:
    """The bm25 statements `conn` runs from now on."""
    ran: list[str] = []
    conn.set_trace_callback(lambda sql: ran.append(sql) if "bm25(" in sql else None)
    return ran


async def test_only_a_write_of_its_own_rows_moves_an_index_version(tmp_path: Path) -> None:
    path = tmp_path / "g.db"
    async with open_store(f"sqlite:///{path}") as store:
        await store.upsert_skills(skills())
        conn = sqlite3.connect(path, isolation_level=None)
        before = {fts: search_version(conn, fts) for fts in ("skills_fts", "credentials_fts")}
        await store.upsert_credentials([Credential("https://c.example/1", "Data credential")])
        assert search_version(conn, "skills_fts") == before["skills_fts"]
        assert search_version(conn, "credentials_fts") > before["credentials_fts"]
        await store.upsert_skills(skills())  # unchanged: nothing written
        assert search_version(conn, "skills_fts") == before["skills_fts"]
        await store.upsert_skills([Skill("https://s.example/new", "Data new")])
        assert search_version(conn, "skills_fts") > before["skills_fts"]
        conn.close()


async def test_a_ranking_is_kept_across_other_indexes_writes(tmp_path: Path) -> None:
    path = tmp_path / "g.db"
    async with open_store(f"sqlite:///{path}") as store:
        await store.upsert_skills(skills())
        conn = sqlite3.connect(path, isolation_level=None)
        kept, counts = KeptRankings(size=8), TermCounts()

        def found() -> list[str]:
            return [h.id for h in search(conn, "data", [NodeKind.SKILL], 20, 1000, counts, kept)]

        def as_computed_now() -> list[str]:
            hits = search(conn, "data", [NodeKind.SKILL], 20, 1000, TermCounts(), KeptRankings(0))
            return [h.id for h in hits]

        first = found()
        ran = rankings_of(conn)
        await store.upsert_credentials([Credential("https://c.example/1", "Data credential")])
        assert found() == first
        assert ran == []  # answered from the ranking kept before the credentials' write
        await store.upsert_skills([Skill("https://s.example/best", "Data data data")])
        after = found()
        assert len(ran) == 1  # the skills' own write: ranked again
        conn.set_trace_callback(None)
        assert after == as_computed_now()
        assert after[0] == "https://s.example/best" and after != first
        conn.close()


def credentials(holding: range, total: int = 400) -> list[Credential]:
    return [
        Credential(
            f"https://c.example/{i:03}", f"Credential {i}" + (" data" if i in holding else "")
        )
        for i in range(total)
    ]


async def test_a_count_kept_across_writes_bounds_its_kind_less_the_rows_written(
    tmp_path: Path,
) -> None:
    path = tmp_path / "g.db"
    async with open_store(f"sqlite:///{path}") as store:
        await store.upsert_skills(skills())
        await store.upsert_credentials(credentials(range(300)))  # "data" in 3 of 4: unscored
        conn = sqlite3.connect(path, isolation_level=None)
        kept, counts = KeptRankings(size=8), TermCounts()
        kinds = [NodeKind.CREDENTIAL, NodeKind.SKILL]

        def found() -> list[str]:
            return [h.id for h in search(conn, "data", kinds, 20, 1000, counts, kept)]

        def as_computed_now() -> list[str]:
            hits = search(conn, "data", kinds, 20, 1000, TermCounts(), KeptRankings(0))
            return [h.id for h in hits]

        first = found()
        assert all(h.startswith("https://s.example/") for h in first)
        ran = rankings_of(conn)
        await store.upsert_credentials(credentials(range(301))[300:])  # one more holds it
        assert found() == first
        assert not [s for s in ran if "credentials_fts" in s]  # its count, less one, bounds it
        # Most credentials lose the word: the count kept (300, within its minute) is far
        # too high, and only the rows written since bound it well enough to rank them.
        await store.upsert_credentials(credentials(range(10)))
        conn.set_trace_callback(None)
        now = found()
        assert now == as_computed_now()
        assert now[0].startswith("https://c.example/")  # rarer now, so scored above skills
        conn.close()
