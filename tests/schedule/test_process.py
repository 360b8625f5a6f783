"""`credgraph scheduler` as a real process against the local test server and a SQLite store:
repeated runs, SIGHUP reloads, SIGTERM, kill -9 and two schedulers on one store."""

from __future__ import annotations

import asyncio
import itertools
import signal
import socket
import sqlite3
import urllib.request
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from credgraph.cli.main import main
from credgraph.config import load_config
from credgraph.ingest import crawl_sources
from credgraph.model import CrawlRun, CrawlStatus
from credgraph.store import open_store
from credgraph.store.check import CheckReport
from tests.crawl.server import CatalogServer
from tests.faults.reference import GraphSnapshot, snapshot
from tests.schedule.helpers import running, serve_catalog, source_toml, wait_until, write_config

pytestmark = pytest.mark.slow  # scheduler processes


def runs_of(store: str, source: str | None = None) -> list[CrawlRun]:
    async def read() -> list[CrawlRun]:
        async with open_store(store) as opened:
            return await opened.crawl_runs(source, limit=100)

    return asyncio.run(read())


def credential_count(store: str) -> int:
    async def read() -> int:
        async with open_store(store) as opened:
            return (await opened.stats()).credentials

    return asyncio.run(read())


def integrity(db: Path) -> str:
    with sqlite3.connect(db) as conn:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])


async def graph_and_check(store: str) -> tuple[GraphSnapshot, CheckReport]:
    async with open_store(store) as opened:
        return await snapshot(opened), await opened.check()


async def reference_crawl(config: Path, source_id: str, db: Path) -> GraphSnapshot:
    """The graph one crawl of the source with no fault leaves in a new store."""
    loaded = load_config(config)
    async with open_store(f"sqlite:///{db}") as opened:
        [run] = await crawl_sources([loaded.source(source_id)], opened, loaded.crawler)
        assert run.status is CrawlStatus.SUCCEEDED, run.error_samples
        return await snapshot(opened)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_an_interval_source_runs_again_and_the_second_run_is_all_not_modified(
    tmp_path: Path,
) -> None:
    store, port = f"sqlite:///{tmp_path / 'g.db'}", free_port()
    with CatalogServer() as server:
        url = serve_catalog(server, "acme", pages=3)
        config = write_config(tmp_path / "sources.toml", source_toml("acme", url, every="1s"))
        with running(config, store, tmp_path / "log", "--metrics-port", str(port)) as scheduler:
            first, second = scheduler.wait_for("run finished", 2, timeout=20)[:2]
            metrics = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics").read().decode()
            assert scheduler.stop() == 0
    assert (first["status"], first["fetched"], first["created"]) == ("SUCCEEDED", 3, 10)
    assert (second["status"], second["fetched"], second["not_modified"]) == ("SUCCEEDED", 0, 3)
    assert second["created"] == second["updated"] == 0
    oldest_two = runs_of(store, "acme")[-2:]
    assert [r.not_modified for r in reversed(oldest_two)] == [0, 3]
    assert 'credgraph_crawl_runs_total{source="acme",status="SUCCEEDED"}' in metrics
    assert 'credgraph_crawl_documents_total{outcome="not_modified",source="acme"}' in metrics
    assert "credgraph_crawl_run_duration_seconds_bucket" in metrics


def test_sighup_adds_a_source_and_an_invalid_config_leaves_the_old_one_in_force(
    tmp_path: Path,
) -> None:
    store = f"sqlite:///{tmp_path / 'g.db'}"
    with CatalogServer() as server:
        acme = source_toml("acme", serve_catalog(server, "acme", pages=1), every="1h")
        beta = source_toml("beta", serve_catalog(server, "beta", pages=2), every="1h")
        config = write_config(tmp_path / "sources.toml", acme)
        with running(config, store, tmp_path / "log") as scheduler:
            scheduler.wait_for("run finished", source="acme")
            config.write_text(config.read_text() + '\n[[source]]\nid = "Bad Id"\n')
            scheduler.signal(signal.SIGHUP)
            [invalid] = scheduler.wait_for("config invalid; the previous one stays in force")
            assert any("Bad Id" in p for p in invalid["problems"])
            write_config(config, acme, beta)
            scheduler.signal(signal.SIGHUP)
            [reloaded] = scheduler.wait_for("config reloaded")
            assert reloaded["added"] == ["beta"] and reloaded["removed"] == []
            [run] = scheduler.wait_for("run finished", source="beta")
            assert scheduler.stop() == 0
    assert (run["status"], run["created"]) == ("SUCCEEDED", 6)  # its issuer came with acme
    assert [r.status for r in runs_of(store, "acme")] == [CrawlStatus.SUCCEEDED]


def test_sigterm_during_a_run_stops_at_a_page_boundary_and_records_it_aborted(
    tmp_path: Path,
) -> None:
    db = tmp_path / "g.db"
    store = f"sqlite:///{db}"
    with CatalogServer() as server:
        url = serve_catalog(server, "slow", pages=8, delay=0.4)
        config = write_config(tmp_path / "sources.toml", source_toml("slow", url, every="1h"))
        with running(config, store, tmp_path / "log") as scheduler:
            scheduler.wait_for("run started")
            assert wait_until(lambda: len(server.hits("/slow?page=3")) == 1, timeout=15)
            scheduler.signal(signal.SIGTERM)
            assert scheduler.process.wait(20) == 0
            served = [n for n in range(1, 9) for _ in server.hits(f"/slow?page={n}")]
        [stopping] = scheduler.named("scheduler stopping")
        assert stopping["running"] == ["slow"]
        assert not scheduler.named("runs cancelled after the stop grace")
        assert scheduler.job_errors() == []
    [run] = runs_of(store, "slow")
    assert run.status is CrawlStatus.ABORTED and run.finished_at is not None
    assert "shutting down" in run.error_samples[-1].reason
    # Every page the run took was stored whole; nothing after the stop. The page after it
    # may have been fetched ahead (while the last one was stored) and then dropped, unstored.
    assert served == list(range(1, len(served) + 1)), served  # in order, each once
    assert 3 <= run.fetched < 8 and run.fetched <= len(served) <= run.fetched + 1
    assert credential_count(store) == 3 * run.fetched
    assert integrity(db) == "ok"


def test_a_run_that_does_not_reach_a_page_boundary_in_the_grace_time_is_cancelled(
    tmp_path: Path,
) -> None:
    store = f"sqlite:///{tmp_path / 'g.db'}"
    with CatalogServer() as server:
        url = serve_catalog(server, "stuck", pages=2, delay=4.0)
        config = write_config(tmp_path / "sources.toml", source_toml("stuck", url, every="1h"))
        with running(config, store, tmp_path / "log", "--stop-grace", "0.5") as scheduler:
            assert wait_until(
                lambda: (
                    len(server.hits("/stuck?page=1")) == 0
                    and server.routes["/stuck?page=1"].hits == 1
                ),
                timeout=15,
            )
            scheduler.signal(signal.SIGTERM)
            assert scheduler.process.wait(15) == 0
        assert scheduler.named("runs cancelled after the stop grace")
        # a clean stop: the cancelled run is no failed job, with a traceback, at ERROR
        assert not scheduler.named("job failed")
        assert "raised an exception" not in scheduler.log()
    [run] = runs_of(store, "stuck")
    assert run.status is CrawlStatus.ABORTED and run.fetched == 0


def test_kill_9_mid_run_then_a_restart_duplicates_and_corrupts_nothing(tmp_path: Path) -> None:
    db = tmp_path / "g.db"
    store = f"sqlite:///{db}"
    with CatalogServer() as server:
        url = serve_catalog(server, "big", pages=6, delay=0.3)
        config = write_config(tmp_path / "sources.toml", source_toml("big", url, every="1h"))
        # A lease that outlives the test: it is taken over because its holder has ended, never
        # because it expired while the second process started (3 s, the helpers' default,
        # was sometimes shorter than that start on a busy machine).
        long_lease = ("--lease-ttl", "300")
        with running(config, store, tmp_path / "log1", *long_lease) as first:
            assert wait_until(lambda: len(server.hits("/big?page=3")) == 1, timeout=15)
            first.process.kill()
            first.process.wait()
        [orphan] = runs_of(store, "big")
        assert orphan.status is CrawlStatus.RUNNING  # as a killed process leaves it
        with running(config, store, tmp_path / "log2", *long_lease) as second:
            # The dead holder is a process of this host that has ended: its lease is taken
            # over at once.
            [done] = second.wait_for("run finished", timeout=30)
            assert second.named("lease taken over")
            assert second.named("orphaned run aborted", run=orphan.id)
            assert second.stop() == 0
        reference = asyncio.run(reference_crawl(config, "big", tmp_path / "reference.db"))
    graph, report = asyncio.run(graph_and_check(store))
    assert done["status"] == "SUCCEEDED"
    finished, aborted = runs_of(store, "big")
    assert (aborted.id, aborted.status) == (orphan.id, CrawlStatus.ABORTED)
    assert finished.status is CrawlStatus.SUCCEEDED
    assert credential_count(store) == 18  # 6 pages x 3, each once
    assert integrity(db) == "ok"
    # Nothing lost or changed either: the graph a crawl with no fault leaves, consistent.
    assert graph == reference, graph.differences(reference)
    assert report.ok, report.as_json()


def test_two_schedulers_on_one_store_never_crawl_a_source_at_once(tmp_path: Path) -> None:
    store = f"sqlite:///{tmp_path / 'g.db'}"
    with CatalogServer() as server:
        sources = [source_toml(f"s{i}", serve_catalog(server, f"s{i}", pages=3, delay=0.15),
                               every="1s") for i in range(2)]  # fmt: skip
        config = write_config(tmp_path / "sources.toml", *sources)
        with (
            running(config, store, tmp_path / "a") as a,
            running(config, store, tmp_path / "b") as b,
        ):
            # Whichever process takes a lease first crawls; the other must find it held.
            assert wait_until(
                lambda: len(a.named("run finished")) + len(b.named("run finished")) >= 8
            )
            assert a.stop() == 0 and b.stop() == 0
        skipped = [e["reason"] for e in a.named("run skipped") + b.named("run skipped")]
        assert a.job_errors() == b.job_errors() == []
    assert "lease_held" in skipped
    for source in ("s0", "s1"):
        runs = sorted(runs_of(store, source), key=lambda r: r.started_at)
        assert len(runs) >= 3
        for earlier, later in itertools.pairwise(runs):
            assert earlier.finished_at is not None and earlier.finished_at <= later.started_at


def test_invalid_config_at_start_exits_two_naming_the_problem(tmp_path: Path) -> None:
    config = write_config(tmp_path / "sources.toml", '\n[[source]]\nid = "x"\nformat = "rss"\n')
    result = CliRunner().invoke(
        main, ["scheduler", "--config", str(config), "--store", f"sqlite:///{tmp_path / 'g.db'}"]
    )
    assert result.exit_code == 2
    assert "unknown format 'rss'" in result.output


def test_a_failing_source_backs_off_and_old_runs_are_deleted(tmp_path: Path) -> None:
    store = f"sqlite:///{tmp_path / 'g.db'}"
    with CatalogServer() as server:  # serves nothing: every run fails
        config = write_config(
            tmp_path / "sources.toml", source_toml("down", server.url("/gone"), every="1s")
        )
        with running(
            config, store, tmp_path / "log", "--backoff-max", "3s", "--keep-runs", "1s"
        ) as scheduler:
            [backing] = scheduler.wait_for("source backing off", timeout=20)
            scheduler.wait_for("run finished", 3, timeout=20)
            [deleted] = scheduler.wait_for("old crawl runs deleted", timeout=20)
            assert scheduler.stop() == 0
        starts = [e["ts"] for e in scheduler.named("run started")]
        finished = len(scheduler.named("run finished"))
    assert backing["failures"] == 2 and "404" in backing["reason"]
    first, second, third = (datetime.fromisoformat(t.replace("Z", "+00:00")) for t in starts[:3])
    assert (second - first).total_seconds() < 1.6  # one failure: the normal interval
    assert (third - second).total_seconds() >= 1.5  # two: twice the interval (slack 0.5 s)
    assert deleted["count"] >= 1
    assert len(runs_of(store, "down")) < finished  # runs older than 1 s went, the latest stayed


def test_a_changed_file_is_reloaded_without_a_signal(tmp_path: Path) -> None:
    store = f"sqlite:///{tmp_path / 'g.db'}"
    with CatalogServer() as server:
        acme = serve_catalog(server, "acme", pages=1)
        gone = source_toml("gone", serve_catalog(server, "gone", pages=1), every="1h")
        config = write_config(tmp_path / "sources.toml", source_toml("acme", acme, "1h"), gone)
        with running(config, store, tmp_path / "log", "--reload-poll", "0.2") as scheduler:
            scheduler.wait_for("run finished", 2)
            write_config(config, source_toml("acme", acme, every="1s"))
            [reloaded] = scheduler.wait_for("config reloaded")
            assert (reloaded["removed"], reloaded["rescheduled"]) == (["gone"], ["acme"])
            scheduler.wait_for("run finished", 2, source="acme")  # now every second
            assert scheduler.stop() == 0
    assert len(runs_of(store, "gone")) == 1
