"""SQLite search ranks at most CREDGRAPH_SEARCH_CANDIDATES matches per kind: below that bound
its answer is that of ranking every match; past it, the best of the first matches found."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from credgraph.errors import StoreURLError
from credgraph.model import Credential, NodeKind, Skill, SkillLink
from credgraph.model.views import SearchHit
from credgraph.store import open_store
from credgraph.store.sqlite import search as search_module
from credgraph.store.sqlite.search import (
    SEARCH_CANDIDATES_VARIABLE,
    TermCounts,
    search,
    search_candidates,
)

BOUND = 8


def numbered(site: str, name: str, count: int) -> list[Credential]:
    """`count` credentials at https://`site`/0.. named "`name` 0".."""
    return [Credential(f"https://{site}/{i}", f"{name} {i}") for i in range(count)]


def catalogue() -> list[Credential]:
    """30 credentials with "welding" in the name, each scored apart by a longer description
    than the one before (bm25 favours short ones, out of rowid order), 5 with "rare" in them
    and 100 with neither; every name holds "course"."""
    out = []
    for i in range(30):
        description = "welding " + "practice " * ((i * 7) % 30)
        out.append(
            Credential(f"https://w.example/{i}", f"Welding course {i}", description=description)
        )
    for i in range(5):
        out.append(
            Credential(f"https://r.example/{i}", f"Rare course {i}", description="rare " * (i + 1))
        )
    out += numbered("f.example", "Filler course", 100)
    return out


def every_match_ranked(path: Path, word: str, limit: int) -> list[tuple[str, float]]:
    """The answer of ranking every match of `word` (a prefix), read apart from the store's code."""
    return every_match_ranked_query(path, f'"{word}"*', limit)


def every_match_ranked_query(path: Path, match: str, limit: int) -> list[tuple[str, float]]:
    """The answer of ranking every match of the FTS5 query `match`."""
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(
            "SELECT n.id, bm25(credentials_fts, 10.0, 1.0) AS r FROM credentials_fts f "
            "JOIN credentials n ON n.rowid = f.rowid WHERE credentials_fts MATCH ? "
            "ORDER BY r, f.rowid LIMIT ?",
            (match, limit),
        ).fetchall()
    finally:
        conn.close()
    return [(i, round(-r, 6)) for i, r in rows]


def first_matches(path: Path, word: str, count: int) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(
            "SELECT n.id FROM credentials_fts f JOIN credentials n ON n.rowid = f.rowid "
            "WHERE credentials_fts MATCH ? ORDER BY f.rowid LIMIT ?",
            (f'"{word}"*', count),
        ).fetchall()
    finally:
        conn.close()
    return {r[0] for r in rows}


@pytest.fixture
async def path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(SEARCH_CANDIDATES_VARIABLE, str(BOUND))
    db = tmp_path / "g.db"
    async with open_store(f"sqlite:///{db}") as store:
        await store.upsert_credentials(catalogue())
    return db


@pytest.mark.parametrize("limit", [1, 3, 5, 20])
async def test_below_the_bound_every_match_is_ranked(path: Path, limit: int) -> None:
    async with open_store(f"sqlite:///{path}") as store:
        hits = await store.search("rare", kinds=[NodeKind.CREDENTIAL], limit=limit)
    assert [(h.id, h.score) for h in hits] == every_match_ranked(path, "rare", limit)
    assert len(hits) == min(limit, 5)


async def test_past_the_bound_the_first_matches_are_ranked(path: Path) -> None:
    async with open_store(f"sqlite:///{path}") as store:
        hits = await store.search("welding", kinds=[NodeKind.CREDENTIAL], limit=5)
    candidates = first_matches(path, "welding", BOUND)
    assert len(hits) == 5 and {h.id for h in hits} <= candidates
    everything = every_match_ranked(path, "welding", 30)
    best_of_candidates = [hit for hit in everything if hit[0] in candidates][:5]
    assert best_of_candidates != everything[:5]  # the bound is hit: the answer differs
    assert [(h.id, h.score) for h in hits] == best_of_candidates


async def test_a_page_larger_than_the_bound_is_filled(path: Path) -> None:
    async with open_store(f"sqlite:///{path}") as store:
        hits = await store.search("course", kinds=[NodeKind.CREDENTIAL], limit=20)
    assert len(hits) == 20 and {h.id for h in hits} == first_matches(path, "course", 20)


async def test_an_unbounded_store_ranks_every_match(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(SEARCH_CANDIDATES_VARIABLE, "1000")
    async with open_store(f"sqlite:///{path}") as store:
        hits = await store.search("welding", kinds=[NodeKind.CREDENTIAL], limit=7)
    assert [(h.id, h.score) for h in hits] == every_match_ranked(path, "welding", 7)


@pytest.mark.parametrize("raw", ["0", "many", "-1"])
def test_a_bad_bound_names_the_variable(monkeypatch: pytest.MonkeyPatch, raw: str) -> None:
    monkeypatch.setenv(SEARCH_CANDIDATES_VARIABLE, raw)
    with pytest.raises(StoreURLError, match=SEARCH_CANDIDATES_VARIABLE):
        search_candidates()


# -- words too common to score, and the last word taken whole -----------------------------------


def ranked_by(path: Path, match: str, among: str, limit: int) -> list[tuple[str, float]]:
    """bm25 of the words `match` over the rows that also match `among`, read apart from the
    store's code."""
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(
            "SELECT n.id, bm25(credentials_fts, 10.0, 1.0) AS r FROM credentials_fts f "
            "JOIN credentials n ON n.rowid = f.rowid WHERE credentials_fts MATCH ? "
            "AND f.rowid IN (SELECT rowid FROM credentials_fts WHERE credentials_fts MATCH ?) "
            "ORDER BY r, f.rowid LIMIT ?",
            (match, among, limit),
        ).fetchall()
    finally:
        conn.close()
    return [(i, round(-r, 6)) for i, r in rows]


async def test_a_word_in_more_than_half_the_rows_is_matched_not_scored(path: Path) -> None:
    # "course" is in every name (135 rows, past the bound of 8); "rare" in 5.
    async with open_store(f"sqlite:///{path}") as store:
        hits = await store.search("rare course", kinds=[NodeKind.CREDENTIAL], limit=5)
    assert [(h.id, h.score) for h in hits] == ranked_by(path, '"rare"', '"rare" "course"', 5)
    # bm25 of every word differs by the 10^-6 IDF of "course" times its weight (<= k1 + 1).
    with_course = dict(every_match_ranked_query(path, '"rare" "course"', 5))
    assert all(abs(with_course[h.id] - h.score) <= 5e-6 for h in hits)


async def stored(db: Path, records: list[Credential], *, one_by_one: bool = False) -> Path:
    """`records` upserted into a new SQLite file at `db` (one by one: rowids in list order)."""
    async with open_store(f"sqlite:///{db}") as store:
        for batch in ([r] for r in records) if one_by_one else [records]:
            await store.upsert_credentials(batch)
    return db


async def search_in(db: Path, text: str, limit: int) -> list[SearchHit]:
    """Credentials found for `text` by a store opened now (the search bound read then)."""
    async with open_store(f"sqlite:///{db}") as store:
        return await store.search(text, kinds=[NodeKind.CREDENTIAL], limit=limit)


async def test_words_all_too_common_list_name_matches_first_unscored(tmp_path: Path) -> None:
    # "badge" in every row, in the name of the odd ones only (a body mention for the others).
    records = [
        Credential(
            f"https://b.example/{i}",
            f"Badge {i}" if i % 2 else f"Award {i}",
            description=None if i % 2 else "a badge",
        )
        for i in range(40)
    ]
    db = await stored(tmp_path / "c.db", records)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(SEARCH_CANDIDATES_VARIABLE, str(BOUND))
        hits = await search_in(db, "badge", 25)
    assert [h.score for h in hits] == [0.0] * 25
    named = [h.id for h in hits[:20]]
    assert named == [f"https://b.example/{i}" for i in range(1, 40, 2)]  # index order
    assert all("Award" in h.name for h in hits[20:])


async def test_the_last_word_is_taken_whole_once_it_fills_the_bound(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # "weldings" rows first in the index, then 12 with "welding": the prefix would take them.
    records = numbered("p.example", "Weldings guide", 6)
    records += numbered("w.example", "Welding guide", 12)
    records += numbered("f.example", "Filler", 30)
    db = await stored(tmp_path / "w.db", records, one_by_one=True)  # rowids in this order
    monkeypatch.setenv(SEARCH_CANDIDATES_VARIABLE, "10")  # "welding" alone: 12 rows
    whole = await search_in(db, "welding", 10)
    assert {h.id for h in whole} == {f"https://w.example/{i}" for i in range(10)}
    monkeypatch.setenv(SEARCH_CANDIDATES_VARIABLE, "13")  # not filled: matched as a prefix
    prefix = await search_in(db, "welding", 13)
    assert {h.id for h in prefix} == {
        *(f"https://p.example/{i}" for i in range(6)),
        *(f"https://w.example/{i}" for i in range(7)),
    }


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def counting_table(tmp_path: Path, rows: int) -> tuple[sqlite3.Connection, list[str]]:
    conn = sqlite3.connect(tmp_path / "t.db")
    conn.execute("CREATE VIRTUAL TABLE t_fts USING fts5(name, body)")
    conn.executemany(
        "INSERT INTO t_fts (rowid, name, body) VALUES (?, 'data', '')",
        [(i,) for i in range(1, rows + 1)],
    )
    counted: list[str] = []
    conn.set_trace_callback(lambda sql: counted.append(sql) if "count(*)" in sql else None)
    return conn, counted


def test_word_counts_are_kept_while_the_graph_is_not_written(tmp_path: Path) -> None:
    conn, counted = counting_table(tmp_path, 100)
    clock = Clock()
    counts = TermCounts(size=2, clock=clock)
    assert counts.rows_holding(conn, "t_fts", "data", 100, version=7) == 100
    clock.now = 3600.0  # no write since: however old, the count holds
    assert counts.rows_holding(conn, "t_fts", "data", 100, version=7) == 100
    assert len(counted) == 1
    # Another text is another count, even when FTS5 folds it to the same token: Python's
    # lower() joins some words FTS5 keeps apart, so only the same text is the same word.
    assert counts.rows_holding(conn, "t_fts", "DATA", 100, version=7) == 100
    assert len(counted) == 2
    counted.clear()
    counts.rows_holding(conn, "t_fts", "x", 100, version=7)
    counts.rows_holding(conn, "t_fts", "y", 100, version=7)  # past size 2: "data" is dropped
    counts.rows_holding(conn, "t_fts", "data", 100, version=7)
    assert len(counted) == 3
    conn.close()


def test_after_a_write_a_count_is_kept_a_minute_within_a_tenth_of_the_size(
    tmp_path: Path,
) -> None:
    conn, counted = counting_table(tmp_path, 100)
    clock = Clock()
    counts = TermCounts(clock=clock)
    counts.rows_holding(conn, "t_fts", "data", 100, version=1)
    # Rewritten in place (the size unmoved): "data" is now in none of the rows.
    conn.execute("UPDATE t_fts SET name = 'other'")
    clock.now = 30.0
    assert counts.rows_holding(conn, "t_fts", "data", 100, version=2) == 100  # within the minute
    clock.now = 61.0
    assert counts.rows_holding(conn, "t_fts", "data", 100, version=2) == 0  # counted again
    assert counts.rows_holding(conn, "t_fts", "data", 120, version=3) == 0  # +20 %: again
    assert len(counted) == 3
    conn.close()


def test_word_counts_fold_case_as_the_index_does(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "s.db")
    conn.execute("CREATE VIRTUAL TABLE t_fts USING fts5(name, body)")
    conn.executemany(
        "INSERT INTO t_fts (rowid, name, body) VALUES (?, 'Straße', '')", [(i,) for i in range(5)]
    )
    counts = TermCounts()
    assert counts.rows_holding(conn, "t_fts", "STRASSE", 5, version=1) == 0
    assert counts.rows_holding(conn, "t_fts", "straße", 5, version=1) == 5
    conn.close()


async def test_a_common_last_word_after_rarer_ones_is_still_read_as_a_prefix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # "data" alone fills the bound of 8, "rare data" as typed matches nothing: "rare data"
    # must still find the rare databases as typed ahead.
    records = numbered("d.example", "Data course", 20)
    records += numbered("r.example", "Rare database course", 3)
    db = await stored(tmp_path / "p.db", records)
    monkeypatch.setenv(SEARCH_CANDIDATES_VARIABLE, str(BOUND))
    hits = await search_in(db, "rare data", 5)
    alone = await search_in(db, "data", 5)
    assert {h.id for h in hits} == {f"https://r.example/{i}" for i in range(3)}
    assert all(h.id.startswith("https://d.example/") for h in alone)  # taken as typed


async def test_a_last_word_filling_the_bound_ranks_as_typed_before_its_completions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # "data" in 22 of 60 rows (past the bound of 8, under half): scored as typed; its
    # completion "database" still matches, ranked after the rows holding "data" itself.
    records = numbered("r.example", "Rare database course", 3)
    records += numbered("t.example", "Rare data course", 2)
    records += numbered("d.example", "Data course", 20)
    records += numbered("f.example", "Filler course", 35)
    db = await stored(tmp_path / "o.db", records)
    monkeypatch.setenv(SEARCH_CANDIDATES_VARIABLE, str(BOUND))
    hits = await search_in(db, "rare data", 10)
    hosts = [h.id.split("/")[2] for h in hits]
    assert hosts == ["t.example"] * 2 + ["r.example"] * 3
    assert hits[1].score > hits[2].score > 0
    # Rows holding every word as typed get the score bm25 gives them over the whole index.
    whole = dict(every_match_ranked_query(db, '"rare" "data"', 2))
    assert all(abs(whole[h.id] - h.score) <= 5e-6 for h in hits[:2])


# -- costs that grew with the index: kinds that cannot score into the page, a last word read as
# a prefix, a common word's IDF ---------------------------------------------------------------


def traced_search(
    db: Path, text: str, kinds: list[NodeKind], limit: int
) -> tuple[list[SearchHit], list[str]]:
    """The hits of `search` on a connection of its own, and every statement it ran there."""
    conn = sqlite3.connect(db)
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    try:
        return search(conn, text, kinds, limit, BOUND, TermCounts()), statements
    finally:
        conn.close()


def skilled_catalogue(python_skills: list[Skill]) -> list[Credential]:
    """25 credentials, "python" in the name of 10 (IDF 0.39: none scores above 0.86), the
    first teaching `python_skills`, the others one of 19 welding skills each."""
    others = [Skill(f"https://s.example/o{i}", f"Welding {i}") for i in range(19)]
    return [
        Credential(
            f"https://c.example/{i}",
            f"Python course {i}" if i < 10 else f"Filler course {i}",
            skills=tuple(SkillLink(s) for s in (python_skills if i == 0 else [others[i % 19]])),
        )
        for i in range(25)
    ]


async def test_a_kind_that_cannot_score_into_the_page_is_not_ranked(tmp_path: Path) -> None:
    # "python" names 2 of 21 skills (IDF 2.0: each scores near 4).
    python = [Skill(f"https://s.example/py{i}", f"Python {i}") for i in range(2)]
    db = await stored(tmp_path / "k.db", skilled_catalogue(python))
    both = [NodeKind.CREDENTIAL, NodeKind.SKILL]
    hits, statements = traced_search(db, "python", both, 2)
    apart = [traced_search(db, "python", [kind], 2)[0] for kind in both]
    assert apart[0] and apart[0][0].score < 0.86 < apart[1][-1].score  # credentials do match
    assert hits == apart[1]
    assert not any("bm25(credentials_fts" in s for s in statements)


async def test_a_kind_that_can_score_into_the_page_is_ranked(tmp_path: Path) -> None:
    # The skills' words are rarer (a higher ceiling: ranked first) but their 2 matches, one
    # mention in a long description each, score below the credentials named for the word.
    python = [
        Skill(f"https://s.example/py{i}", f"Skill {i}", description="python " + "word " * 60)
        for i in range(2)
    ]
    db = await stored(tmp_path / "r.db", skilled_catalogue(python))
    both = [NodeKind.CREDENTIAL, NodeKind.SKILL]
    hits, _ = traced_search(db, "python", both, 2)
    skills = traced_search(db, "python", [NodeKind.SKILL], 2)[0]
    credentials = traced_search(db, "python", [NodeKind.CREDENTIAL], 2)[0]
    assert len(skills) == 2 and skills[0].score < credentials[-1].score
    assert hits == credentials


async def test_a_common_word_among_few_rows_is_scored_as_fts5_scores_it(tmp_path: Path) -> None:
    # "data" in 22 of 60 rows (past the bound of 8, under half: scored), "rare" in 5; the
    # last word read as a prefix: "database" completes it.
    records = numbered("r.example", "Rare database course", 3)
    records += [
        Credential(f"https://t.example/{i}", f"Rare data course {i}", description="data " * i)
        for i in range(2)
    ]
    records += numbered("d.example", "Data course", 20)
    records += numbered("f.example", "Filler course", 35)
    db = await stored(tmp_path / "a.db", records)
    hits, statements = traced_search(db, "rare data", [NodeKind.CREDENTIAL], 10)
    assert [h.id.split("/")[2] for h in hits] == ["t.example"] * 2 + ["r.example"] * 3
    # Exactly FTS5's bm25 of the scored words (a row holding only "database" scores "rare").
    fts5 = dict(ranked_by(db, '"rare" OR "data"', '"rare" "data"*', 10))
    assert [(h.id, h.score) for h in hits] == [(h.id, fts5[h.id]) for h in hits]
    # Neither the completions of "data" merged nor its posting list read for bm25.
    assert not any('"data"*' in s or "bm25(" in s for s in statements)


async def test_rows_found_apart_past_the_bound_are_not_ranked(tmp_path: Path) -> None:
    # "rare" in 12 rows, the 2 holding "data" itself last in the index: the first 8 matches
    # of "rare data" (the bound) hold "database" only, and only they are ranked.
    records = [
        Credential(f"https://r.example/{i}", f"Rare database course {i}", description="word " * i)
        for i in range(10)
    ]
    records += numbered("t.example", "Rare data course", 2)
    records += numbered("d.example", "Data course", 20)
    records += numbered("f.example", "Filler course", 28)
    db = await stored(tmp_path / "b.db", records, one_by_one=True)
    hits, _ = traced_search(db, "rare data", [NodeKind.CREDENTIAL], 5)
    first = [f"https://r.example/{i}" for i in range(BOUND)]
    fts5 = dict(ranked_by(db, '"rare" OR "data"', '"rare" "data"*', 60))
    best = sorted(first, key=lambda i: (-fts5[i], i))[:5]
    assert [(h.id, h.score) for h in hits] == [(i, fts5[i]) for i in best]


async def test_a_kind_is_not_skipped_on_counts_kept_across_a_write(tmp_path: Path) -> None:
    """Counts kept across a write may be a minute old: a word now in fewer rows scores
    higher than the ceiling they give, so the kind is ranked, not skipped."""
    python = [Skill(f"https://s.example/py{i}", f"Python {i}") for i in range(2)]
    db = await stored(tmp_path / "w.db", skilled_catalogue(python))
    both = [NodeKind.CREDENTIAL, NodeKind.SKILL]
    kept = TermCounts()
    conn = sqlite3.connect(db)
    try:
        first = search(conn, "python", both, 2, BOUND, kept)
        assert {h.kind for h in first} == {NodeKind.SKILL}  # credentials skipped, as above
        async with open_store(f"sqlite:///{db}") as store:  # "python" left in one credential
            renamed = [
                Credential(f"https://c.example/{i}", f"Filler course {i}") for i in range(1, 10)
            ]
            await store.upsert_credentials(renamed)
        after = search(conn, "python", both, 2, BOUND, kept)
        assert after == search(conn, "python", both, 2, BOUND, TermCounts())
        assert NodeKind.CREDENTIAL in {h.kind for h in after}
    finally:
        conn.close()


async def test_a_word_that_is_no_token_is_left_out(tmp_path: Path) -> None:
    db = await stored(tmp_path / "u.db", catalogue())
    assert await search_in(db, "_ welding", 5) == await search_in(db, "welding", 5)
    assert len(await search_in(db, "__ welding", 5)) == 5


async def test_rows_too_long_to_index_apart_are_matched_by_fts5_alike(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past `POOL_TEXT_CHARS` of text the few rows are not indexed apart: FTS5 matches and
    ranks them itself, with the same answer."""
    records = [
        Credential(f"https://r.example/{i}", f"Rare database course {i}", description="word " * i)
        for i in range(10)
    ]
    records += numbered("t.example", "Rare data course", 2)
    records += numbered("d.example", "Data course", 20)
    db = await stored(tmp_path / "l.db", records, one_by_one=True)
    apart, _ = traced_search(db, "rare data", [NodeKind.CREDENTIAL], 5)
    monkeypatch.setattr(search_module, "POOL_TEXT_CHARS", 0)
    by_fts5, _ = traced_search(db, "rare data", [NodeKind.CREDENTIAL], 5)
    assert apart and by_fts5 == apart
