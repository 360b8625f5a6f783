"""`credgraph crawl` end to end: config file, real HTTP, store, summary and exit codes."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from credgraph.cli.main import main
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
        config = write_config(tmp_path, f"""
[[source]]
id = "acme"
format = "openbadges"
url = "{server.url('/badges?page=1')}"
""")
        store = f"sqlite:///{tmp_path / 'g.db'}"
        result = CliRunner().invoke(main, ["crawl", "--config", str(config), "--store", store])
    text = " ".join(result.output.split())
    assert result.exit_code == 0, result.output
    assert "Crawl summary" in text and "PARTIAL" in text
    assert "pagination loop" in text
    stats = CliRunner().invoke(main, ["stats", "--store", store])
    assert "credentials" in stats.output and " 5 " in " ".join(stats.output.split()) + " "


def test_a_failed_run_exits_one_and_only_named_sources_run(tmp_path: Path) -> None:
    config = write_config(tmp_path, """
[[source]]
id = "down"
format = "ctdl"
url = "http://127.0.0.1:9/resources"

[[source]]
id = "other"
format = "ctdl"
url = "http://127.0.0.1:9/other"
""")
    store = f"sqlite:///{tmp_path / 'g.db'}"
    result = CliRunner().invoke(main, ["crawl", "--config", str(config), "--source", "down",
                                       "--store", store])
    assert result.exit_code == 1
    text = " ".join(result.output.split())
    assert "FAILED" in text and "other" not in text.replace("another", "")


def test_invalid_config_exits_two_naming_file_line_and_key(tmp_path: Path) -> None:
    config = write_config(tmp_path, '\n[[source]]\nid = "x"\nformat = "rss"\nurl = "https://x.example"\n')
    result = CliRunner().invoke(main, ["crawl", "--config", str(config)])
    assert result.exit_code == 2
    assert "sources.toml:11: [[source]] #1 format: unknown format 'rss'" in " ".join(result.output.split())
    unknown = CliRunner().invoke(main, ["crawl", "--config", str(config).replace("sources", "nope")])
    assert unknown.exit_code == 2 and "no such file" in " ".join(unknown.output.split())


def test_a_source_another_process_is_crawling_is_skipped(tmp_path: Path) -> None:
    """`credgraph crawl` takes each source's lease, as the scheduler does: a source whose
    lease is held elsewhere is named and left alone, the others crawl; leases are released."""
    import asyncio

    from credgraph.schedule.lease import lease_name
    from credgraph.store import open_store

    store_url = f"sqlite:///{tmp_path / 'g.db'}"

    async def hold() -> None:
        async with open_store(store_url) as store:
            assert await store.acquire_lease(lease_name("busy"), "scheduler-elsewhere", 60)

    async def leases() -> list[str]:
        async with open_store(store_url) as store:
            return sorted(lease.name for lease in await store.leases())

    asyncio.run(hold())
    with serving({}) as server:
        server.routes.update({p: Route(b) for p, b in acme_pages(server.url("")).items()})
        config = write_config(tmp_path, f"""
[[source]]
id = "busy"
format = "openbadges"
url = "{server.url('/badges?page=1')}"

[[source]]
id = "free"
format = "openbadges"
url = "{server.url('/badges?page=1')}"
""")
        result = CliRunner().invoke(main, ["crawl", "--config", str(config), "--store", store_url])
    text = " ".join(result.output.split())
    assert result.exit_code == 0, result.output
    assert "busy: another process is crawling it" in text
    assert "free" in text and text.count("PARTIAL") == 1
    assert asyncio.run(leases()) == ["source:busy"]  # ours released, the other's untouched
