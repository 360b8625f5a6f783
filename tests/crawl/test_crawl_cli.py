"""`credgraph crawl` end to end: config file, real HTTP, store, summary and exit codes."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from credgraph.cli.crawl import LEASE_HELD_EXIT
from credgraph.cli.main import main
from credgraph.model.lease import Lease
from credgraph.schedule.holder import Holder, new_holder
from credgraph.schedule.lease import lease_name
from credgraph.store import open_store
from tests.crawl.catalogs import acme_pages
from tests.crawl.server import Route, serving

CRAWLER = """
[crawler]
user_agent = "credgraph-test (+https://example.org/contact)"
delay_seconds = 0
allow_private_networks = true
timeout_seconds = 2
max_retries = 0
"""


def write_config(tmp_path: Path, sources: str) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(CRAWLER + sources)
    return path


def test_crawl_prints_a_summary_and_exits_zero_with_document_errors(tmp_path: Path) -> None:
    with serving({}) as server:
        server.routes.update({p: Route(b) for p, b in acme_pages(server.url("")).items()})
        config = write_config(
            tmp_path,
            f"""
[[source]]
id = "acme"
format = "openbadges"
url = "{server.url("/badges?page=1")}"
""",
        )
        store = f"sqlite:///{tmp_path / 'g.db'}"
        result = CliRunner().invoke(main, ["crawl", "--config", str(config), "--store", store])
    text = " ".join(result.output.split())
    assert result.exit_code == 0, result.output
    assert "Crawl summary" in text and "PARTIAL" in text
    assert "pagination loop" in text
    stats = CliRunner().invoke(main, ["stats", "--store", store])
    assert "credentials" in stats.output and " 5 " in " ".join(stats.output.split()) + " "


def test_a_failed_run_exits_one_and_only_named_sources_run(tmp_path: Path) -> None:
    config = write_config(
        tmp_path,
        """
[[source]]
id = "down"
format = "ctdl"
url = "http://127.0.0.1:9/resources"

[[source]]
id = "other"
format = "ctdl"
url = "http://127.0.0.1:9/other"
""",
    )
    store = f"sqlite:///{tmp_path / 'g.db'}"
    result = CliRunner().invoke(
        main, ["crawl", "--config", str(config), "--source", "down", "--store", store]
    )
    assert result.exit_code == 1
    text = " ".join(result.output.split())
    assert "FAILED" in text and "other" not in text.replace("another", "")


def test_invalid_config_exits_two_naming_file_line_and_key(tmp_path: Path) -> None:
    config = write_config(
        tmp_path, '\n[[source]]\nid = "x"\nformat = "rss"\nurl = "https://x.example"\n'
    )
    result = CliRunner().invoke(main, ["crawl", "--config", str(config)])
    assert result.exit_code == 2
    assert "sources.toml:11: [[source]] #1 format: unknown format 'rss'" in " ".join(
        result.output.split()
    )
    two = write_config(
        tmp_path,
        '\n[[source]]\nid = "x"\nformat = "rss"\nurl = "https://x.example"\ncolour = 1\n',
    )
    both = CliRunner().invoke(main, ["crawl", "--config", str(two)])
    assert both.exit_code == 2
    # one problem a line, as written: not a line break printed as "\n"
    lines = [line.strip() for line in both.output.splitlines()]
    assert any("format: unknown format 'rss'" in line for line in lines), both.output
    assert any("colour: unknown key" in line for line in lines) and "\\n" not in both.output
    unknown = CliRunner().invoke(
        main, ["crawl", "--config", str(config).replace("sources", "nope")]
    )
    assert unknown.exit_code == 2 and "no such file" in " ".join(unknown.output.split())


def exited_process_pid() -> int:
    """The pid of a child that has ended (and been reaped): free on this host."""
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                           capture_output=True, text=True, check=True)  # fmt: skip
    return int(child.stdout)


def live_holder() -> str:
    return new_holder()  # this test process: alive as long as the test runs


def other_hosts_holder() -> str:
    # A pid free here proves nothing about another host: that lease is trusted until it expires.
    return str(
        Holder("elsewhere.example", exited_process_pid(), "0123abcd.4026531836", 1, "abc123")
    )


def hand_named_holder() -> str:
    return "scheduler-elsewhere"


@pytest.mark.parametrize(
    ("holder_of", "named"),
    [
        (live_holder, "process {pid} on this host"),
        (other_hosts_holder, "on host elsewhere.example"),
        (hand_named_holder, "'scheduler-elsewhere'"),
    ],
    # ids without the pid: pytest-xdist's workers must collect the same names
    ids=["live holder", "other host", "hand named"],
)
def test_a_source_another_process_is_crawling_is_skipped_and_the_exit_code_says_so(
    tmp_path: Path, holder_of: Callable[[], str], named: str
) -> None:
    """`credgraph crawl` takes each source's lease, as the scheduler does: a source whose
    lease a live process or another host holds is named with that holder and the lease's
    expiry, and left alone; the others crawl; ours are released; the exit code is 3."""
    store_url = f"sqlite:///{tmp_path / 'g.db'}"
    holder = holder_of()

    async def hold() -> Lease:
        async with open_store(store_url) as store:
            assert await store.acquire_lease(lease_name("busy"), holder, 60)
            [lease] = await store.leases()
            return lease

    async def leases() -> list[str]:
        async with open_store(store_url) as store:
            return sorted(lease.holder for lease in await store.leases())

    held = asyncio.run(hold())
    with serving({}) as server:
        server.routes.update({p: Route(b) for p, b in acme_pages(server.url("")).items()})
        config = write_config(
            tmp_path,
            f"""
[[source]]
id = "busy"
format = "openbadges"
url = "{server.url("/badges?page=1")}"

[[source]]
id = "free"
format = "openbadges"
url = "{server.url("/badges?page=1")}"
""",
        )
        result = CliRunner().invoke(main, ["crawl", "--config", str(config), "--store", store_url])
    text = " ".join(result.output.split())
    assert result.exit_code == LEASE_HELD_EXIT == 3, result.output
    assert "busy: another process is crawling it; skipped." in text
    until = f"{held.expires_at:%Y-%m-%d %H:%M:%S} UTC"
    who = text.split("Its lease is held by ", 1)[1].split(f" until {until} (in ", 1)[0]
    assert named.format(pid=os.getpid()) in who
    seconds = int(text.split(f"until {until} (in ", 1)[1].split(" s)", 1)[0])
    assert 50 <= seconds <= 60
    assert "free" in text and text.count("PARTIAL") == 1
    assert "busy │ SKIPPED (lease held)" in text
    assert asyncio.run(leases()) == [holder]  # ours released, the other's untouched
