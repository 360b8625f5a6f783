"""What a crawl writes, as text: the crawl benchmark's catalog parsed, linked and stored page by
page (as `crawl_stages.py` does) into a fresh SQLite store at a fixed clock, then changed
records written over it, and every table dumped in a stable order.

    python bench/store_dump.py OUT.txt [--credentials 2000] [--page-size 100]

Two versions of the store's write code must produce the same file: run it once with each
(`PYTHONPATH=<checkout>/src`) and `cmp` the outputs. The second pass renames every third
credential and drops a skill from every fifth, so the update path (changed rows, their
full-text rows, replaced links, version diffs) is dumped too; every fourth is fetched a day
later (its provenance row updated).
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import sqlite3
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from crawl_stages import badge_page, pages  # noqa: E402

from credgraph.formats import parser_for  # noqa: E402
from credgraph.formats.base import ParseResult  # noqa: E402
from credgraph.ingest.stacking import credential_alignments  # noqa: E402
from credgraph.link import link_page, load_linker  # noqa: E402
from credgraph.model.records import Credential  # noqa: E402
from credgraph.store import open_store  # noqa: E402

FETCHED = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
CLOCK = iter(f"2026-12-06T12:{m:02d}:{s:02d}.000000+00:00" for m in range(60) for s in range(60))


def changed(c: Credential, n: int) -> Credential:
    if n % 3 == 0:
        c = dataclasses.replace(c, name=c.name + " (revised)")
    if n % 4 == 0 and c.provenance is not None:
        fetched = c.provenance.fetched_at + timedelta(days=1)
        c = dataclasses.replace(c, provenance=dataclasses.replace(c.provenance, fetched_at=fetched))
    if n % 5 == 0 and c.skills:
        c = dataclasses.replace(c, skills=c.skills[1:])
    return c


def dump(path: Path, out: Path) -> None:
    conn = sqlite3.connect(path)
    tables = [
        name
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
        )
        # FTS5's shadow tables hold its index; the virtual tables themselves are dumped
        if not any(name.endswith(s) for s in ("_data", "_idx", "_docsize", "_config", "_content"))
    ]
    with out.open("w", encoding="utf-8") as f:
        for (sql,) in conn.execute("SELECT sql FROM sqlite_master ORDER BY type, name, sql"):
            f.write(f"{sql}\n")
        for table in tables:
            rowid = "" if "WITHOUT ROWID" in _create(conn, table) else "rowid, "
            width = len(conn.execute(f"SELECT {rowid}* FROM {table} LIMIT 0").description)
            order = ", ".join(str(i + 1) for i in range(width))
            f.write(f"== {table}\n")
            for row in conn.execute(f"SELECT {rowid}* FROM {table} ORDER BY {order}"):
                f.write(repr(row) + "\n")
    conn.close()


def _create(conn: sqlite3.Connection, table: str) -> str:
    (sql,) = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (table,)).fetchone()
    return str(sql or "")


async def write(path: Path, total: int, page_size: int) -> None:
    docs, linked = pages(total, page_size)
    parse = parser_for("openbadges")
    async with open_store(f"sqlite:///{path}") as store:
        linker = await load_linker(store)
        results: list[ParseResult] = []
        for url, text in docs:
            document = badge_page(url, text, linked, FETCHED)
            result = await credential_alignments(store, parse(document))
            result, _arrived = link_page(linker, result)
            results.append(result)
            await store.upsert_issuers(result.issuers)
            if result.skills:
                await store.upsert_skills(result.skills)
            await store.upsert_credentials(result.credentials)
        for result in results:
            await store.upsert_credentials(
                [changed(c, n) for n, c in enumerate(result.credentials)]
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--credentials", type=int, default=2_000)
    parser.add_argument("--page-size", type=int, default=100)
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory(prefix="credgraph-store-dump-") as tmp,
        mock.patch("credgraph.store.sqlite.store._now", lambda: next(CLOCK)),
    ):
        path = Path(tmp) / "dump.db"
        asyncio.run(write(path, args.credentials, args.page_size))
        dump(path, args.out)


if __name__ == "__main__":
    main()
