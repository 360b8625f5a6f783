"""Re-linking after a taxonomy arrives (every stored credential and posting, or those naming
a node a crawl just brought) links in a thread while the event loop goes on: each label no
node carries is fuzzy-matched, about 10 ms against ESCO and O*NET, so a page of a hundred
credentials with new labels held the loop for a second and more, and with it the crawl's
lease renewals."""

from __future__ import annotations

import asyncio
import importlib
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TypeVar

import pytest

from credgraph.link import load_linker, relink, relink_mentions
from credgraph.link import postings as postings_module
from credgraph.link.off_loop import in_thread
from credgraph.link.postings import relink_postings
from credgraph.model.crawl import Source
from credgraph.model.jobs import JobPosting
from credgraph.model.records import Credential, Provenance, Skill, SkillLink
from credgraph.store import GraphStore
from tests.handshake import TICKS, Handshake, wait_for_ticks
from tests.link.taxonomy import SKILLS
from tests.stores import STORES, empty_store

FETCHED = datetime(2026, 1, 5, tzinfo=UTC)
T = TypeVar("T")
# The module, which the package's `relink` function hides.
relink_module = importlib.import_module("credgraph.link.relink")


def badge(n: int) -> Credential:
    return Credential(
        f"https://badges.example/{n}",
        f"Badge {n}",
        skills=(SkillLink(Skill("label:machine learning", "Machine Learning")),),
        provenance=Provenance("src", "https://badges.example/", "openbadges", FETCHED),
    )


def job(n: int) -> JobPosting:
    return JobPosting(
        id=f"https://jobs.example/{n}",
        title=f"Engineer {n}",
        url=f"https://jobs.example/{n}",
        date_posted=date(2026, 11, 1),
        skills=(SkillLink(Skill("label:machine learning", "Machine Learning")),),
        provenance=Provenance("src", "https://jobs.example/", "jobposting", FETCHED),
    )


@pytest.fixture(params=STORES)
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[GraphStore]:
    async with empty_store(request, tmp_path) as opened:
        await opened.upsert_sources([Source("src", "openbadges", ("https://badges.example/",))])
        await opened.upsert_credentials([badge(n) for n in range(3)])
        await opened.upsert_job_postings([job(n) for n in range(3)])
        await opened.upsert_skills(SKILLS)  # the taxonomy arrives after them
        yield opened


def after_ticks(handshake: Handshake, real: Any) -> Any:
    """`real`, its first call waiting for the loop's ticks (on the loop it would fail)."""
    first = threading.Event()

    def call(*args: Any) -> Any:
        if not first.is_set():
            first.set()
            wait_for_ticks(handshake.as_json())
        return real(*args)

    return call


@pytest.mark.parametrize("mentions_only", [False, True])
async def test_credentials_link_off_the_loop(
    store: GraphStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mentions_only: bool
) -> None:
    """The whole pass after a taxonomy import, and the pass over the credentials naming the
    nodes a crawl just brought."""
    handshake = Handshake.in_folder(tmp_path)
    real = relink_module.relink_credential
    monkeypatch.setattr(relink_module, "relink_credential", after_ticks(handshake, real))
    linker = await load_linker(store)
    async with handshake.ticking():
        if mentions_only:
            report = await relink_mentions(store, linker, SKILLS)
        else:
            report = await relink(store, linker, batch=2)
    assert (report.examined, report.changed) == (3, 3)
    assert handshake.ticks >= TICKS


async def test_postings_link_off_the_loop(
    store: GraphStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    handshake = Handshake.in_folder(tmp_path)
    real = postings_module.link_posting
    monkeypatch.setattr(postings_module, "link_posting", after_ticks(handshake, real))
    async with handshake.ticking():
        changed = await relink_postings(store, await load_linker(store), batch=2)
    assert changed == 3
    [view] = await store.get_job_postings(["https://jobs.example/1"])
    assert [s.skill.id for s in view.posting.skills] != ["label:machine learning"]
    assert handshake.ticks >= TICKS


async def test_a_cancelled_caller_waits_for_its_thread() -> None:
    """A thread cannot be stopped: what it uses stays its own until it ends."""
    started, go, done = threading.Event(), threading.Event(), threading.Event()

    def work() -> None:
        started.set()
        go.wait(30)
        done.set()

    task = asyncio.create_task(in_thread(work))
    await asyncio.to_thread(started.wait, 30)
    for _ in range(2):  # a second cancellation (a second Ctrl-C) waits too
        task.cancel()
        for _ in range(20):
            await asyncio.sleep(0)
        assert not task.done()  # the thread is still at work
    go.set()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert done.is_set()


async def written_meanwhile(
    monkeypatch: pytest.MonkeyPatch,
    module: Any,
    links: str,
    passing: Callable[[], Coroutine[Any, Any, T]],
    write: Callable[[], Awaitable[object]],
) -> T:
    """`passing()` run with `module.links` pausing at its first call (the page linking in
    its thread) until `write()` has been done on the loop; what the pass returned."""
    started, written = threading.Event(), threading.Event()
    real = getattr(module, links)

    def pausing(*args: Any) -> Any:
        if not started.is_set():
            started.set()
            written.wait(30)
        return real(*args)

    monkeypatch.setattr(module, links, pausing)
    task = asyncio.create_task(passing())
    await asyncio.to_thread(started.wait, 30)
    await write()
    written.set()
    return await task


async def test_a_credential_written_while_its_page_links_is_not_written_back_older(
    store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Other crawls write while a page links: the pass links the newer record again, and
    never puts its older copy back (the crawl, its document unchanged, would not write the
    newer one again)."""
    renamed = replace(badge(1), name="Badge 1, renamed by its issuer")

    async def rename() -> None:
        assert (await store.upsert_credentials([renamed])).updated == 1

    linker = await load_linker(store)
    report = await written_meanwhile(
        monkeypatch, relink_module, "relink_credential", lambda: relink(store, linker), rename
    )
    [view] = await store.get_credentials(["https://badges.example/1"])
    assert view.credential.name == "Badge 1, renamed by its issuer"
    assert [s.skill.id for s in view.credential.skills] != ["label:machine learning"]
    assert report.changed == 3


async def test_a_posting_written_while_its_page_links_is_not_written_back_older(
    store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    reposted = replace(job(1), title="Senior Engineer 1")

    async def repost() -> None:
        assert (await store.upsert_job_postings([reposted])).updated == 1

    linker = await load_linker(store)
    changed = await written_meanwhile(
        monkeypatch, postings_module, "link_posting", lambda: relink_postings(store, linker), repost
    )
    assert changed == 3
    [view] = await store.get_job_postings(["https://jobs.example/1"])
    assert view.posting.title == "Senior Engineer 1"
    assert [s.skill.id for s in view.posting.skills] != ["label:machine learning"]
