"""CLI tables at the terminal's width: at 80 columns every source id is printed whole and no
line is wider than the terminal; a wide terminal gets a column per count."""

from __future__ import annotations

import io
import socket
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner
from rich.console import Console

from credgraph.cli.crawl import summary_table
from credgraph.cli.main import main
from credgraph.cli.ports import PortInUseError, check_port_free
from credgraph.cli.sources import table as sources_table
from credgraph.model import CrawlRun, CrawlStatus, Source
from credgraph.schedule.status import SourceStatus

T0 = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)
IDS = ["demo-openbadges-northwind-academy", "real-schemaorg-wgu-programs", "demo-onet"]


def rendered(renderable: object, width: int) -> list[str]:
    console = Console(width=width, file=io.StringIO(), color_system=None, record=True)
    console.print(renderable)
    return console.export_text().splitlines()


def runs() -> list[CrawlRun]:
    return [CrawlRun(f"r{i}", source_id, CrawlStatus.SUCCEEDED, T0, T0 + timedelta(seconds=3),
                     fetched=12, created=40 + i, errors=i)
            for i, source_id in enumerate(IDS)]  # fmt: skip


@pytest.mark.parametrize("width", [80, 100])
def test_the_crawl_summary_fits_the_terminal_and_keeps_ids_whole(width: int) -> None:
    lines = rendered(summary_table(runs(), ["demo-held-by-another-scheduler"]), width)
    assert max(len(line) for line in lines) <= width
    text = "\n".join(lines)
    for source_id in [*IDS, "demo-held-by-another-scheduler"]:
        assert source_id in text, (source_id, text)
    assert "…" not in text
    assert "created" in text and "fetched" in text  # the counts, as words in one cell


def test_a_wide_terminal_gets_a_column_per_count() -> None:
    header = next(line for line in rendered(summary_table(runs()), 200) if "source" in line)
    for name in ("fetched", "not modified", "created", "robots skipped", "seconds"):
        assert name in header


@pytest.mark.parametrize("width", [80, 200])
def test_the_sources_table_fits_the_terminal_and_keeps_ids_whole(width: int) -> None:
    statuses = [
        SourceStatus(Source(source_id, "openbadges", ("https://a.example/",), every="6h"),
                     configured=True, last_run=run, next_run=T0 + timedelta(hours=6),
                     backoff=None, crawling=None)
        for source_id, run in zip(IDS, runs(), strict=True)
    ]  # fmt: skip
    lines = rendered(sources_table(statuses, T0), width)
    assert max(len(line) for line in lines) <= width
    text = "\n".join(lines)
    assert all(source_id in text for source_id in IDS) and "…" not in text
    assert "09:00:00" in text  # the next run


def test_a_busy_port_is_reported_with_the_option_that_moves_it() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(PortInUseError, match=rf"127\.0\.0\.1:{port} .*--port"):
            check_port_free("127.0.0.1", port, "--port", "credgraph demo --port 8001")
        # The demo says so before crawling anything: no store is created.
        out = CliRunner().invoke(main, ["demo", "--port", str(port), "--store", "sqlite:///x.db"])
    assert out.exit_code == 2
    text = " ".join(out.output.split())
    assert "choose another port with --port" in text and "Crawl summary" not in text
