"""A ranking of common words is computed once per version of the graph and answered from
until the graph is written: the same rows and scores as computing it again."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from credgraph.errors import StoreURLError
from credgraph.model import Credential
from credgraph.store import open_store
from credgraph.store.sqlite.kept_rankings import (
    KEPT_RANKINGS_VARIABLE,
    KeptRankings,
    kept_rankings,
)
from credgraph.store.sqlite.reads import MAX_WORD_CHARS, MAX_WORDS, words_of

QUERY = '"data"'
BOUND = 50


@pytest.fixture
def index() -> Iterator[sqlite3.Connection]:
    """An FTS5 table as the store defines one (name, body), 80 rows holding "data" at
    lengths that order them out of rowid order, 120 without it."""
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE skills_fts USING fts5(name, body)")
    rows = [(i, f"data skill {i}", "filler " * ((i * 13) % 17)) for i in range(80)]
    rows += [(100 + i, f"other {i}", "") for i in range(120)]
    conn.executemany("INSERT INTO skills_fts (rowid, name, body) VALUES (?, ?, ?)", rows)
    yield conn
    conn.close()


def statement(conn: sqlite3.Connection, query: str, bound: int, limit: int) -> list[tuple]:
    """The ranking as FTS5 gives it, read apart from the module."""
    return conn.execute(
        "SELECT rowid, r FROM (SELECT rowid, bm25(skills_fts, 10.0, 1.0) AS r FROM skills_fts "
        "WHERE skills_fts MATCH ? LIMIT ?) ORDER BY r, rowid LIMIT ?",
        (query, bound, limit),
    ).fetchall()


def rankings_run(conn: sqlite3.Connection) -> list[str]:
    """Records the bm25 statements `conn` runs from now on."""
    ran: list[str] = []
    conn.set_trace_callback(lambda sql: ran.append(sql) if "bm25(" in sql else None)
    return ran


def test_a_kept_ranking_answers_as_the_statement_without_running_it(
    index: sqlite3.Connection,
) -> None:
    kept = KeptRankings(size=4, rows=30)
    first = kept.ranked(index, "skills_fts", QUERY, BOUND, 20, version=7)
    assert first == statement(index, QUERY, BOUND, 20)
    assert [r for r, _ in first] != sorted(r for r, _ in first)  # not in rowid order
    ran = rankings_run(index)
    for limit in (1, 5, 20, 30):
        assert kept.ranked(index, "skills_fts", QUERY, BOUND, limit, version=7) == (
            statement(index, QUERY, BOUND, limit)
        )
    assert len(ran) == 4  # the four reference statements above, none from the kept ranking


def test_a_write_makes_the_next_search_rank_again(index: sqlite3.Connection) -> None:
    kept = KeptRankings(size=4, rows=30)
    kept.ranked(index, "skills_fts", QUERY, BOUND, 10, version=7)
    # A shorter row holding the word twice, among the first matches, ranks first from now on.
    index.execute("INSERT INTO skills_fts (rowid, name, body) VALUES (-1, 'data data', '')")
    ran = rankings_run(index)
    again = kept.ranked(index, "skills_fts", QUERY, BOUND, 10, version=8)
    assert len(ran) == 1
    assert again[0][0] == -1
    index.set_trace_callback(None)
    assert again == statement(index, QUERY, BOUND, 10)


def test_a_page_deeper_than_the_kept_rows_ranks_again(index: sqlite3.Connection) -> None:
    kept = KeptRankings(size=4, rows=30)
    kept.ranked(index, "skills_fts", QUERY, BOUND, 10, version=1)
    ran = rankings_run(index)
    deeper = kept.ranked(index, "skills_fts", QUERY, BOUND, 45, version=1)
    assert len(ran) == 1
    index.set_trace_callback(None)
    assert deeper == statement(index, QUERY, BOUND, 45)
    ran = rankings_run(index)
    kept.ranked(index, "skills_fts", QUERY, BOUND, 30, version=1)  # still kept
    assert ran == []


def test_a_ranking_of_every_match_answers_any_page(index: sqlite3.Connection) -> None:
    kept = KeptRankings(size=4, rows=100)
    whole = kept.ranked(index, "skills_fts", '"skill"', BOUND, 10, version=1)
    assert len(whole) == 10
    ran = rankings_run(index)
    # 50 matches within the bound, all kept: a page of 90 is those 50.
    assert len(kept.ranked(index, "skills_fts", '"skill"', BOUND, 90, version=1)) == 50
    assert ran == []


def test_a_size_of_zero_keeps_nothing(index: sqlite3.Connection) -> None:
    kept = KeptRankings(size=0)
    kept.ranked(index, "skills_fts", QUERY, BOUND, 10, version=1)
    ran = rankings_run(index)
    kept.ranked(index, "skills_fts", QUERY, BOUND, 10, version=1)
    assert len(ran) == 1


def test_the_least_recently_used_ranking_is_dropped(index: sqlite3.Connection) -> None:
    kept = KeptRankings(size=2, rows=10)
    for query in ('"data"', '"skill"', '"filler"'):
        kept.ranked(index, "skills_fts", query, BOUND, 5, version=1)
    ran = rankings_run(index)
    kept.ranked(index, "skills_fts", '"filler"', BOUND, 5, version=1)
    kept.ranked(index, "skills_fts", '"skill"', BOUND, 5, version=1)
    assert ran == []
    kept.ranked(index, "skills_fts", '"data"', BOUND, 5, version=1)
    assert len(ran) == 1


def test_the_variable_is_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(KEPT_RANKINGS_VARIABLE, "0")
    assert kept_rankings() == 0
    monkeypatch.setenv(KEPT_RANKINGS_VARIABLE, "lots")
    with pytest.raises(StoreURLError, match=KEPT_RANKINGS_VARIABLE):
        kept_rankings()


async def test_the_store_answers_a_write_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Through the store's reader threads: a search answered from a kept ranking, then a
    write that puts a better match first, then the same search, each answered as a store
    that keeps no ranking answers it."""
    url = f"sqlite:///{tmp_path / 'g.db'}"
    store = open_store(url)
    await store.open()
    monkeypatch.setenv(KEPT_RANKINGS_VARIABLE, "0")
    keeping_none = open_store(url)
    await keeping_none.open()
    try:
        await store.upsert_credentials(
            [
                Credential(f"https://w.example/{i}", f"Welding {i}", description="arc " * (i % 9))
                for i in range(40)
            ]
            + [Credential(f"https://f.example/{i}", f"Filler {i}") for i in range(60)]
        )
        before = await store.search("welding", limit=5)
        assert await store.search("welding", limit=5) == before
        assert await keeping_none.search("welding", limit=5) == before
        await store.upsert_credentials(
            [Credential("https://w.example/best", "Welding welding welding")]
        )
        after = await store.search("welding", limit=5)
        assert await keeping_none.search("welding", limit=5) == after
    finally:
        await store.close()
        await keeping_none.close()
    assert after[0].id == "https://w.example/best"
    assert before[0].id != after[0].id


def test_a_page_deeper_than_the_rows_kept_is_not_kept(index: sqlite3.Connection) -> None:
    kept = KeptRankings(size=4, rows=10)
    deep = kept.ranked(index, "skills_fts", QUERY, BOUND, 30, version=1)
    assert deep == statement(index, QUERY, BOUND, 30)
    ran = rankings_run(index)
    kept.ranked(index, "skills_fts", QUERY, BOUND, 5, version=1)
    assert len(ran) == 1  # nothing was kept of the deep page


@pytest.mark.parametrize("replaced", [False, True])
async def test_a_store_opened_again_on_another_database_forgets_its_rankings(
    tmp_path: Path, replaced: bool
) -> None:
    """The graph's version counter starts again in a new database: a ranking kept at version
    N of the old one must not answer version N of the new one."""
    path = tmp_path / "g.db"
    store = open_store(f"sqlite:///{path}")

    def welding(site: str, filler_first: bool = False) -> list[Credential]:
        welders = [
            Credential(f"https://{site}/w{i}", f"Welding {i}", description="arc " * (i % 9))
            for i in range(40)
        ]
        fillers = [Credential(f"https://{site}/f{i}", f"Filler {i}") for i in range(60)]
        return fillers + welders if filler_first else welders + fillers

    await store.open()
    try:
        await store.upsert_credentials(welding("old.example"))
        old = await store.search("welding", limit=3)
    finally:
        await store.close()
    if replaced:  # a restore or a reload while the store was closed
        for file in tmp_path.glob("g.db*"):
            file.unlink()
    await store.open()
    try:
        # The same one write: the new database's version is the old one's, its rows others.
        await store.upsert_credentials(
            welding("new.example", filler_first=True) if replaced else []
        )
        again = await store.search("welding", limit=3)
    finally:
        await store.close()
    assert [h.id.split("/")[2] for h in old] == ["old.example"] * 3
    assert [h.id.split("/")[2] for h in again] == (
        ["new.example"] * 3 if replaced else ["old.example"] * 3
    )
    assert all(h.name.startswith("Welding") for h in again)


def test_a_search_keeps_no_more_of_its_text_than_words_of_a_hundred_characters() -> None:
    """What a store keeps per search (word counts, rankings) is keyed by its words: a
    client's megabyte word must not be kept whole."""
    words = words_of(" ".join(["w" * 900_000, *(f"word{i}" for i in range(40))]))
    assert len(words) == MAX_WORDS and words[0] == "w" * MAX_WORD_CHARS
    assert words[1:] == [f"word{i}" for i in range(MAX_WORDS - 1)]
