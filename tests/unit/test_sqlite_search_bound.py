"""SQLite search ranks at most CREDGRAPH_SEARCH_CANDIDATES matches per kind: below that bound
its answer is that of ranking every match; past it, the best of the first matches found."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from credgraph.errors import StoreURLError
from credgraph.model import Credential, NodeKind
from credgraph.store import open_store
from credgraph.store.sqlite.reads import SEARCH_CANDIDATES_VARIABLE, search_candidates

BOUND = 8


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
    out += [Credential(f"https://f.example/{i}", f"Filler course {i}") for i in range(100)]
    return out


def every_match_ranked(path: Path, word: str, limit: int) -> list[tuple[str, float]]:
    """The answer of ranking every match, read apart from the store's code."""
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(
            "SELECT n.id, bm25(credentials_fts, 10.0, 1.0) AS r FROM credentials_fts f "
            "JOIN credentials n ON n.rowid = f.rowid WHERE credentials_fts MATCH ? "
            "ORDER BY r, f.rowid LIMIT ?",
            (f'"{word}"*', limit),
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
