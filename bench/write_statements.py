"""The credentials' write of a crawl, statement by statement: the crawl benchmark's catalog
parsed and linked once, then each page's issuers, skills and credentials stored into a fresh
SQLite store, with the CPU time of every SQL statement of the credentials' write (keyed by
its first words) and of the Python around them, per credential.

    python bench/write_statements.py [--credentials 10000] [--page-size 100] [--rounds 2]

The write is `writes.upsert_credentials` in one transaction per page, as
`SQLiteStore.upsert_credentials` runs it, through a connection wrapper that times each
`execute` / `executemany` (fetching included); the figures are those of the last round.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import os
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from crawl_stages import badge_page, pages  # noqa: E402

from credgraph.formats import parser_for  # noqa: E402
from credgraph.formats.base import ParseResult  # noqa: E402
from credgraph.ingest.stacking import credential_alignments  # noqa: E402
from credgraph.link import link_page, load_linker  # noqa: E402
from credgraph.store import open_store  # noqa: E402
from credgraph.store.sqlite import version, writes  # noqa: E402
from credgraph.store.sqlite.store import SQLiteStore  # noqa: E402


class TimedConnection:
    """The statements a write runs, each timed into `spent` by its first five words, on
    `clock` (CPU time unless told otherwise)."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        spent: collections.Counter[str],
        clock: Callable[[], float] = time.process_time,
    ) -> None:
        self.conn = conn
        self.spent = spent
        self.clock = clock

    def _timed(self, sql: str, run: Callable[..., Any], *args: Any) -> Any:
        started = self.clock()
        cursor = run(sql, *args)
        rows = _Rows(cursor.fetchall())
        rows.rowcount = cursor.rowcount  # what the kept counts move by (graph_counts.py)
        self.spent[" ".join(sql.split()[:5])] += self.clock() - started
        return rows

    def execute(self, sql: str, *args: Any) -> Any:
        return self._timed(sql, self.conn.execute, *args)

    def executemany(self, sql: str, *args: Any) -> Any:
        return self._timed(sql, self.conn.executemany, *args)


class _Rows(list[Any]):
    rowcount = -1

    def fetchall(self) -> list[Any]:
        return list(self)

    def fetchone(self) -> Any:
        return self[0] if self else None


async def linked_pages(total: int, page_size: int) -> list[ParseResult]:
    docs, linked = pages(total, page_size)
    parse = parser_for("openbadges")
    results = []
    with tempfile.TemporaryDirectory(prefix="credgraph-write-statements-") as tmp:
        async with open_store(f"sqlite:///{Path(tmp) / 'linker.db'}") as store:
            linker = await load_linker(store)
            for url, text in docs:
                document = badge_page(url, text, linked)
                result = await credential_alignments(store, parse(document))
                result, _arrived = link_page(linker, result)
                results.append(result)
    return results


async def one_round(results: list[ParseResult], spent: collections.Counter[str]) -> float:
    """CPU seconds of the credentials' writes (statements and Python) over every page."""
    total = 0.0
    with tempfile.TemporaryDirectory(prefix="credgraph-write-statements-") as tmp:
        async with open_store(f"sqlite:///{Path(tmp) / 'store.db'}") as store:
            assert isinstance(store, SQLiteStore)
            for result in results:
                await store.upsert_issuers(result.issuers)
                if result.skills:
                    await store.upsert_skills(result.skills)
                # on this thread, as the store's writer thread runs it
                started = time.process_time()
                conn = TimedConnection(store.conn, spent)
                conn.execute("BEGIN IMMEDIATE")
                now = datetime.now(UTC).isoformat(timespec="microseconds")
                counts, _rejected = writes.upsert_credentials(conn, result.credentials, now)  # type: ignore[arg-type]
                if counts.created or counts.updated:
                    version.bump(conn)  # type: ignore[arg-type]
                conn.execute("COMMIT")
                total += time.process_time() - started
    return total


async def main(total: int, page_size: int, rounds: int) -> None:
    results = await linked_pages(total, page_size)
    for n in range(rounds):
        spent: collections.Counter[str] = collections.Counter()
        seconds = await one_round(results, spent)
        statements = sum(spent.values())
        per = 1000 / total
        print(
            f"round {n + 1}: the credentials' write {seconds * per:.4f} ms per credential, "
            f"statements {statements * per:.4f}, Python {(seconds - statements) * per:.4f}; "
            f"load average {os.getloadavg()[0]:.2f}"
        )
    for words, cpu in spent.most_common(12):
        print(f"  {cpu * per:.4f}  {words}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--credentials", type=int, default=10_000)
    parser.add_argument("--page-size", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    asyncio.run(main(args.credentials, args.page_size, args.rounds))
