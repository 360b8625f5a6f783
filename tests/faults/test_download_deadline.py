"""A release server that trickles its body one byte at a time: each read arrives well within
the per-read timeout, so only `Fetcher.download`'s overall deadline ends the download. Over
real HTTP (tests/faults/hostile_source.py), no fetch-layer mocks."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from credgraph.config.sources import CrawlerSettings
from credgraph.errors import ConfigError, FetchError
from credgraph.fetch import Fetcher
from credgraph.fetch.deadline import (
    DEADLINE_VARIABLE,
    DEFAULT_DEADLINE_SECONDS,
    download_deadline_seconds,
)
from credgraph.ingest import crawl_sources
from credgraph.model import CrawlStatus, Source
from credgraph.store import open_store
from tests.faults.hostile_source import HostileSource

# One byte every 0.2 s against a per-read timeout of 1 s: the per-read timeout never fires.
SETTINGS = CrawlerSettings(
    delay_seconds=0.0, allow_private_networks=True, timeout_seconds=1.0, max_retries=0
)
DEADLINE = 1.5
# The deadline plus slack for two shared, busy cores; the trickled body alone takes minutes.
BOUND = DEADLINE + 3.0


@pytest.mark.slow  # waits out a real deadline
async def test_a_trickling_download_ends_at_its_deadline_naming_url_and_limit(
    tmp_path: Path,
) -> None:
    with HostileSource() as source:
        source.mode = "trickle"
        async with Fetcher(SETTINGS, download_deadline=DEADLINE) as fetcher:
            started = time.monotonic()
            with pytest.raises(FetchError) as raised:
                await fetcher.download(source.url, tmp_path / "release.zip")
            took = time.monotonic() - started
            trickled = (tmp_path / "release.zip").stat().st_size

            source.mode = "good"  # the same deadline lets a prompt download through
            done = await fetcher.download(source.url, tmp_path / "good.zip")
    assert DEADLINE <= took < BOUND, took
    assert 0 < trickled < len(source.listing(source.badge_numbers))  # it was mid-body
    assert raised.value.url == source.url
    assert str(raised.value).startswith(source.url)
    assert f"{DEADLINE:g} s deadline" in raised.value.reason
    assert DEADLINE_VARIABLE in raised.value.reason
    assert done.path and Path(done.path).read_bytes() == source.listing(source.badge_numbers)


@pytest.mark.slow  # waits out a real deadline
async def test_a_taxonomy_import_from_a_trickling_server_fails_in_bounded_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(DEADLINE_VARIABLE, str(DEADLINE))  # the operator's setting
    with HostileSource() as source:
        source.mode = "trickle"
        async with open_store(f"sqlite:///{tmp_path / 'graph.db'}") as store:
            started = time.monotonic()
            [run] = await crawl_sources([Source("esco", "esco", (source.url,))], store, SETTINGS)
            took = time.monotonic() - started
            stats = await store.stats()
    assert took < BOUND, took
    assert run.status is CrawlStatus.FAILED, run
    assert any("deadline" in e.reason for e in run.error_samples), run.error_samples
    assert (stats.skills, stats.occupations) == (0, 0)


@pytest.mark.parametrize(
    ("raw", "expected"), [(None, DEFAULT_DEADLINE_SECONDS), ("", DEFAULT_DEADLINE_SECONDS),
                          ("7200", 7200.0), ("0.5", 0.5)],
)  # fmt: skip
def test_the_deadline_setting(
    raw: str | None, expected: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    if raw is None:
        monkeypatch.delenv(DEADLINE_VARIABLE, raising=False)
    else:
        monkeypatch.setenv(DEADLINE_VARIABLE, raw)
    assert download_deadline_seconds() == expected


@pytest.mark.parametrize("raw", ["0", "-1", "nan", "inf", "86401", "soon"])
def test_a_bad_deadline_setting_is_refused(raw: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DEADLINE_VARIABLE, raw)
    with pytest.raises(ConfigError, match=DEADLINE_VARIABLE):
        Fetcher(SETTINGS)
