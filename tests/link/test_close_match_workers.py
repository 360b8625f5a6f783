"""Close matches are computed in a worker process: the event loop keeps running while they
are, a computation past its deadline is stopped with an error naming the limit (and nothing
is replaced), and what the worker finds is what the matcher finds in-process."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from credgraph.errors import ConfigError
from credgraph.link import update_close_matches
from credgraph.link.close_match_workers import (
    DEFAULT_SECONDS,
    SECONDS_VARIABLE,
    CloseMatchesStopped,
    close_match_seconds,
)
from credgraph.link.close_matches import concepts_of, stored_skills
from credgraph.link.lexical import THRESHOLD, LexicalMatcher
from credgraph.model.records import Skill
from credgraph.store import GraphStore
from credgraph.store.equivalence import RelatedConcept
from tests.handshake import TICKS, Handshake
from tests.link import slow_matchers
from tests.stores import STORES, empty_store

ESCO_PY = "http://data.europa.eu/esco/skill/python"
ONET_PY = "onet:python"
SKILLS = [
    Skill(ESCO_PY, "Python (computer programming)", "ESCO", alt_labels=("Python",)),
    Skill(ONET_PY, "Python", "O*NET"),
    Skill("http://data.europa.eu/esco/skill/sql", "SQL", "ESCO"),
    Skill("onet:sql", "Structured query language SQL", "O*NET"),
    Skill("http://data.europa.eu/esco/skill/bake", "bake bread", "ESCO"),
    Skill("label:python", "python", None),
]


@pytest.fixture(params=STORES)
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[GraphStore]:
    async with empty_store(request, tmp_path, "close.db") as opened:
        await opened.upsert_skills(SKILLS)
        yield opened


async def test_the_worker_finds_what_the_matcher_finds_in_process(store: GraphStore) -> None:
    in_process = LexicalMatcher(concepts_of(await stored_skills(store)), threshold=THRESHOLD)
    expected = {(m.a, m.b): m.score for m in in_process.matches()}
    assert (ESCO_PY, ONET_PY) in expected or (ONET_PY, ESCO_PY) in expected
    report = await update_close_matches(store)
    assert (report.concepts, report.compared) == (len(SKILLS), len(in_process))
    assert (report.matches, report.created) == (len(expected), len(expected))
    related = await store.related_many([ESCO_PY])
    stored = {r.id: r.score for r in related[ESCO_PY]}
    assert stored == {b if a == ESCO_PY else a: s for (a, b), s in expected.items()
                      if ESCO_PY in (a, b)}  # fmt: skip
    again = await update_close_matches(store, [ONET_PY, "nowhere"])
    assert again.compared == 1
    assert (
        RelatedConcept(ONET_PY, stored[ONET_PY], "lexical", False)
        in (await store.related_many([ESCO_PY]))[ESCO_PY]
    )


async def test_the_event_loop_keeps_ticking_while_close_matches_are_computed(
    store: GraphStore, tmp_path: Path
) -> None:
    ticks = Handshake.in_folder(tmp_path)
    # The handshake's files reach the worker as a skill's labels.
    handshake = Skill("x:handshake", str(ticks.started), slow_matchers.HANDSHAKE,
                      alt_labels=(str(ticks.ticked),))  # fmt: skip
    await store.upsert_skills([handshake])
    async with ticks.ticking():
        report = await update_close_matches(store, compute=slow_matchers.waits_for_ticks)
    assert ticks.ticks >= TICKS
    assert report.matches > 0 and report.created == report.matches


async def test_a_computation_past_its_deadline_is_stopped_and_replaces_nothing(
    store: GraphStore,
) -> None:
    first = await update_close_matches(store)
    assert first.created > 0
    before = await store.related_many([ESCO_PY])
    with pytest.raises(CloseMatchesStopped) as stopped:
        await update_close_matches(store, compute=slow_matchers.never_ends, seconds=0.5)
    assert str(stopped.value) == (
        f"computing them took longer than 0.5 s ({SECONDS_VARIABLE}) and was stopped"
    )
    assert await store.related_many([ESCO_PY]) == before
    # The worker stuck on it was replaced: the next computation runs.
    assert (await update_close_matches(store)).matches == first.matches


def test_the_deadline_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(SECONDS_VARIABLE, raising=False)
    assert close_match_seconds() == DEFAULT_SECONDS
    monkeypatch.setenv(SECONDS_VARIABLE, "90")
    assert close_match_seconds() == 90.0
    monkeypatch.setenv(SECONDS_VARIABLE, "soon")
    with pytest.raises(ConfigError, match=SECONDS_VARIABLE):
        close_match_seconds()


async def test_a_run_whose_close_matches_fail_records_the_error_and_keeps_its_records(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from credgraph.ingest import crawl_sources
    from credgraph.model import CrawlStatus, Source
    from credgraph.store import open_store
    from tests.crawl.server import Route, serving
    from tests.link.test_arrivals import SETTINGS, badges

    monkeypatch.setenv(SECONDS_VARIABLE, "soon")  # read when the run's close matches start
    async with open_store(f"sqlite:///{tmp_path}/run.db") as opened:
        with serving({}) as server:
            server.routes["/badges"] = Route(badges(server.url("")))
            source = Source("academy", "openbadges", (server.url("/badges"),))
            [run] = await crawl_sources([source], opened, SETTINGS)
        assert run.status is CrawlStatus.PARTIAL
        [error] = run.error_samples
        assert error.reason.startswith("close matches not computed: ")
        assert SECONDS_VARIABLE in error.reason and "'soon'" in error.reason
        assert run.created > 0 and await opened.get_credentials([f"{server.url('')}/badges/py"])
