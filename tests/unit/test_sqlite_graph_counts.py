"""The counts the SQLite store keeps (`graph_counts`, schema step 13) are those of its tables
after every write: every public write method driven in random order, with records new,
changed and unchanged, links to stored and missing ends, replacements and deletions, and a
bulk load; `stats` compared with the tables counted afresh after each step. A write path
that inserted or deleted edges or nodes without moving the counts fails here.

Counts a writer that does not keep them (an older credgraph) left behind are never read:
`stats` counts the tables, and the next open counts them into the row again."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

import pytest

from credgraph.model import Credential, CredentialType, Skill, SkillLink, Source
from credgraph.model.crawl import CrawlRun, DocumentState
from credgraph.model.jobs import JobPosting
from credgraph.model.pathway import PathwayComponent, PublishedPathway
from credgraph.model.records import (
    Equivalence,
    Issuer,
    Occupation,
    OccupationLink,
    Provenance,
    SkillRequirement,
)
from credgraph.model.stacking import AdvancedStanding
from credgraph.model.values import CrawlStatus, NodeKind, SkillRelation
from credgraph.model.views import GraphStats
from credgraph.store.equivalence import CloseMatchEdge
from credgraph.store.sqlite import graph_counts, reads
from credgraph.store.sqlite.schema import MIGRATIONS, SCHEMA_VERSION
from credgraph.store.sqlite.store import SQLiteStore

T = TypeVar("T")
TABLES = ("issuers", "credentials", "skills", "occupations", "edges")
AT = datetime(2026, 12, 7, tzinfo=UTC)


def found_at(source: str) -> Provenance:
    return Provenance(source, f"https://{source}.example/page", "openbadges", AT)


def counted_afresh(path: Path) -> tuple[dict[str, int], GraphStats]:
    """Every table counted now, and the stats those counts make (what `stats` answered before
    the store kept any count)."""
    conn = sqlite3.connect(path)
    try:
        rows = {t: int(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in TABLES}
        dangling = sum(int(conn.execute(sql).fetchone()[0]) for sql in graph_counts.DANGLING_COUNTS)
        rows["dangling"] = dangling
        (stale,) = conn.execute("SELECT count(*) FROM credentials WHERE stale = 1").fetchone()
        (sources,) = conn.execute("SELECT count(*) FROM sources").fetchone()
        (runs,) = conn.execute("SELECT count(*) FROM crawl_runs").fetchone()
    finally:
        conn.close()
    stats = GraphStats(
        issuers=rows["issuers"],
        credentials=rows["credentials"],
        skills=rows["skills"],
        occupations=rows["occupations"],
        sources=sources,
        crawl_runs=runs,
        relationships=rows["edges"] - dangling,
        stale_credentials=stale,
    )
    return rows, stats


def kept_row(path: Path) -> dict[str, int] | None:
    conn = sqlite3.connect(path)
    try:
        _version, kept = graph_counts.kept(conn)
    finally:
        conn.close()
    return None if kept is None else {str(table): n for table, n in kept.items()}


class Graph:
    """Random records over a small pool of ids, so that writes meet stored records (changed or
    unchanged), links meet stored and missing ends, and replacements find edges to delete."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.credentials = [f"https://c.example/{n}" for n in range(14)]
        self.skills = [f"skill:{n}" for n in range(10)]
        self.occupations = [f"onet:{n}" for n in range(5)]
        self.issuers = [f"https://i.example/{n}" for n in range(5)]

    def some(self, pool: list[str], most: int) -> list[str]:
        return self.rng.sample(pool, self.rng.randint(0, most))

    def name(self, base: str) -> str:
        return f"{base} v{self.rng.randint(0, 2)}"  # a few versions: changed or unchanged

    def issuer(self, depth: int = 0) -> Issuer:
        accreditors = () if depth else tuple(self.issuer(1) for _ in range(self.rng.randint(0, 2)))
        return Issuer(self.rng.choice(self.issuers), self.name("Issuer"), accredited_by=accreditors)

    def skill(self) -> Skill:
        others = [*self.skills, "skill:never-stored"]
        return Skill(
            self.rng.choice(self.skills),
            self.name("Skill"),
            broader=tuple(self.some(others, 2)),
            same_as=tuple(self.some(others, 2)),
        )

    def occupation(self) -> Occupation:
        return Occupation(self.rng.choice(self.occupations), self.name("Occupation"))

    def credential(self) -> Credential:
        rng = self.rng
        others = [*self.credentials, "https://c.example/never-stored"]
        return Credential(
            rng.choice(self.credentials),
            self.name("Credential"),
            CredentialType.BADGE,
            issuer=self.issuer() if rng.random() < 0.8 else None,
            accredited_by=tuple(self.issuer(1) for _ in range(rng.randint(0, 1))),
            skills=tuple(
                SkillLink(self.skill(), rng.choice(list(SkillRelation))) for _ in range(3)
            ),
            occupations=tuple(OccupationLink(self.occupation()) for _ in range(2)),
            part_of=tuple(self.some(others, 2)),
            has_part=tuple(self.some(others, 2)),
            requires=tuple(self.some(others, 2)),
            prepares_for=tuple(self.some(others, 1)),
            prepared_by=tuple(self.some(others, 1)),
            advanced_standing_for=tuple(AdvancedStanding(c) for c in self.some(others, 1)),
            advanced_standing_from=tuple(AdvancedStanding(c) for c in self.some(others, 1)),
            provenance=found_at("src"),
        )

    def requirements(self) -> list[SkillRequirement]:
        occupations = [*self.occupations, "onet:never-stored"]
        return [
            SkillRequirement(
                self.rng.choice(occupations), self.skill(), float(self.rng.randint(1, 3))
            )
            for _ in range(self.rng.randint(1, 6))  # the same pair twice, at times
        ]

    def equivalences(self) -> list[Equivalence]:
        pairs = []
        for _ in range(self.rng.randint(0, 4)):
            # few skills, the close matches' own: a crosswalk then takes pairs over from them
            kind, pool = self.rng.choice(
                [(NodeKind.SKILL, self.skills[:4]), (NodeKind.OCCUPATION, self.occupations)]
            )
            a, b = self.rng.sample([*pool, f"{pool[0]}-never-stored"], 2)
            pairs.append(Equivalence(kind, a, b))
        return pairs

    def close_matches(self, method: str) -> list[CloseMatchEdge]:
        pairs = [self.rng.sample(self.skills[:4], 2) for _ in range(self.rng.randint(0, 4))]
        return [CloseMatchEdge(a, b, self.rng.choice((0.8, 0.9)), method) for a, b in pairs]

    def pathway(self) -> PublishedPathway:
        chosen = self.some([*self.credentials, "https://c.example/never-stored"], 4)
        components = tuple(
            PathwayComponent(
                f"k{n}", f"Step {n}", "CredentialComponent", c, leads_to=(f"k{n + 1}",)
            )
            for n, c in enumerate(chosen)
        )
        return PublishedPathway(
            f"ce-00000000-0000-0000-0000-00000000000{self.rng.randint(0, 2)}",
            "Pathway",
            components=components,
        )

    def posting(self) -> JobPosting:
        return JobPosting(
            f"job:{self.rng.randint(0, 4)}",
            self.name("Analyst"),
            employer=self.issuer() if self.rng.random() < 0.7 else None,
            skills=tuple(SkillLink(self.skill()) for _ in range(2)),
            occupations=(OccupationLink(self.occupation()),),
            provenance=found_at("jobs"),
        )


def write_steps(store: SQLiteStore, graph: Graph) -> dict[str, Callable[[], Awaitable[object]]]:
    """Every public write of the store, as a step of random arguments."""
    rng = graph.rng

    def batch(make: Callable[[], T], most: int = 4) -> list[T]:
        return [make() for _ in range(rng.randint(1, most))]

    return {
        "upsert_credentials": lambda: store.upsert_credentials(batch(graph.credential, 6)),
        "upsert_issuers": lambda: store.upsert_issuers(batch(graph.issuer)),
        "upsert_skills": lambda: store.upsert_skills(batch(graph.skill)),
        "upsert_occupations": lambda: store.upsert_occupations(batch(graph.occupation)),
        "upsert_skill_requirements": lambda: store.upsert_skill_requirements(graph.requirements()),
        "replace_skill_requirements": lambda: store.replace_skill_requirements(
            rng.choice(("taxonomy a", "taxonomy b")),
            graph.some(graph.occupations, 2),
            graph.requirements(),
        ),
        "upsert_pathways": lambda: store.upsert_pathways([graph.pathway()]),
        "replace_equivalences": lambda: store.replace_equivalences(
            rng.choice(("crosswalk:a", "crosswalk:b")), graph.equivalences()
        ),
        "replace_close_matches": lambda: store.replace_close_matches(
            (method := rng.choice(("lexical", "embedding"))),
            graph.close_matches(method),
            rng.choice((None, graph.some(graph.skills, 3))),
        ),
        "upsert_job_postings": lambda: store.upsert_job_postings([graph.posting()]),
        "mark_postings_missed": lambda: store.mark_postings_missed(
            "jobs", [f"job:{n}" for n in range(rng.randint(0, 4))], 1
        ),
        "mark_missed": lambda: store.mark_missed(
            "src", graph.some(graph.credentials, 10), rng.randint(1, 2)
        ),
        "upsert_sources": lambda: store.upsert_sources(
            [Source("src", "openbadges", (f"https://c.example/{rng.randint(0, 1)}",))]
        ),
        "record_crawl_run": lambda: store.record_crawl_run(
            CrawlRun(
                f"run-{rng.randint(0, 3)}",
                "src",
                CrawlStatus.SUCCEEDED,
                AT - timedelta(days=rng.randint(0, 9)),
                AT,
            )
        ),
        "delete_crawl_runs": lambda: store.delete_crawl_runs(AT - timedelta(days=5)),
        "save_document_states": lambda: store.save_document_states(
            [DocumentState("src", "https://c.example/doc", etag=str(rng.random()))]
        ),
    }


async def assert_kept_right(store: SQLiteStore, path: Path, step: str) -> None:
    rows, expected = counted_afresh(path)
    assert kept_row(path) == rows, step
    assert await store.stats() == expected, step


@pytest.mark.parametrize("seed", range(4))
async def test_every_write_keeps_the_counts_of_the_tables(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    graph = Graph(rng)
    path = tmp_path / "g.db"
    store = SQLiteStore(path)
    await store.open()
    try:
        async with store.bulk_load() as applies:
            assert applies
            await store.upsert_credentials([graph.credential() for _ in range(8)])
            await assert_kept_right(store, path, "during a bulk load")  # links staged
            # A stored credential written again ends the load: its links are sorted in first.
            await store.upsert_credentials([graph.credential() for _ in range(3)])
            await assert_kept_right(store, path, "a bulk load ended by an update")
        await assert_kept_right(store, path, "after a bulk load")
        steps = write_steps(store, graph)
        names = list(steps) * 4  # every write at least four times, in random order
        rng.shuffle(names)
        for n, name in enumerate(names):
            await steps[name]()
            await assert_kept_right(store, path, f"step {n}: {name}")
    finally:
        await store.close()
    _rows, expected = counted_afresh(path)
    assert expected.relationships > 0 and expected.credentials > 0  # the steps wrote a graph


async def test_a_bulk_load_interrupted_is_counted_when_finished(tmp_path: Path) -> None:
    graph = Graph(random.Random(7))
    path = tmp_path / "g.db"
    store = SQLiteStore(path)
    await store.open()
    await store._begin_bulk()
    await store.upsert_credentials([graph.credential() for _ in range(8)])
    store._bulk = False  # as if the process stopped here: the next open finishes the load
    await store.close()
    async with SQLiteStore(path) as reopened:
        await assert_kept_right(reopened, path, "finished on open")
        assert (await reopened.stats()).relationships > 0


def older_writer_adds_an_edge(path: Path) -> None:
    """What a process that does not keep the counts does: writes, and moves the version."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    conn.execute(
        "INSERT INTO edges (src, type, dst, owner) VALUES ('skill:0', 'BROADER', 'skill:1', 'x')"
    )
    conn.execute("UPDATE graph_version SET credentials = credentials + 1 WHERE id = 1")
    conn.execute("COMMIT")
    conn.close()


async def test_counts_an_older_writer_moved_past_are_counted_again(tmp_path: Path) -> None:
    path = tmp_path / "g.db"
    graph = Graph(random.Random(3))
    async with SQLiteStore(path) as store:
        await store.upsert_skills([Skill("skill:0", "S0"), Skill("skill:1", "S1")])
        await store.upsert_credentials([graph.credential() for _ in range(4)])
        before = await store.stats()
        older_writer_adds_an_edge(path)
        assert kept_row(path) is None  # not trusted: the version moved without them
        after = await store.stats()
        assert after.relationships == before.relationships + 1
        assert after == counted_afresh(path)[1]
        assert kept_row(path) is None  # a read does not write
    async with SQLiteStore(path) as store:  # an open counts them into the row again
        assert kept_row(path) is not None
        await assert_kept_right(store, path, "repaired on open")


async def test_a_store_from_before_the_step_gets_its_counts(tmp_path: Path) -> None:
    path = tmp_path / "g.db"
    graph = Graph(random.Random(5))
    async with SQLiteStore(path) as store:
        await store.upsert_credentials([graph.credential() for _ in range(6)])
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("DROP TABLE graph_counts")
    conn.execute(f"PRAGMA user_version = {MIGRATIONS.index(graph_counts.GRAPH_COUNTS)}")
    conn.close()
    async with SQLiteStore(path) as store:
        await assert_kept_right(store, path, "after the upgrade")
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
    conn.close()


async def test_store_check_reports_counts_kept_wrong(tmp_path: Path) -> None:
    path = tmp_path / "g.db"
    graph = Graph(random.Random(11))
    async with SQLiteStore(path) as store:
        await store.upsert_credentials([graph.credential() for _ in range(3)])
        assert (await store.check()).ok
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("UPDATE graph_counts SET edges = edges + 2")  # trusted, and wrong
        conn.close()
        report = await store.check()
    assert [(p.check, p.count) for p in report.problems] == [("kept counts", 2)]


async def test_stats_after_a_write_counts_no_table(tmp_path: Path) -> None:
    path = tmp_path / "g.db"
    graph = Graph(random.Random(13))
    async with SQLiteStore(path) as store:
        await store.upsert_credentials([graph.credential() for _ in range(5)])
        conn = sqlite3.connect(path, isolation_level=None)
        scans: list[str] = []
        conn.set_trace_callback(scans.append)
        kept = reads.KeptCounts()
        first = reads.stats(conn, kept)
        await store.upsert_credentials([replace(graph.credential(), name="Written again")])
        after = reads.stats(conn, kept)
        conn.close()
        assert after == await store.stats()
    assert not {f"SELECT count(*) FROM {t}" for t in TABLES} & set(scans), scans
    assert first.credentials >= 1
