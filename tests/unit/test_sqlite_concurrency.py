"""The embedded store across processes: readers see a consistent graph while another process
writes, and a writer blocked by a lock waits, then fails with a clear message."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from credgraph.errors import StoreUnavailable
from credgraph.model import Credential
from credgraph.store.sqlite import SQLiteStore

pytestmark = pytest.mark.slow  # processes

HOLD_LOCK = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
conn.execute("UPDATE credentials SET name = name")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("COMMIT")
"""

WRITER = """
import asyncio, sys
from credgraph.model import Credential
from credgraph.store.sqlite import SQLiteStore

async def main() -> None:
    async with SQLiteStore(__import__("pathlib").Path(sys.argv[1])) as store:
        for batch in range(20):
            await store.upsert_credentials(
                [Credential(f"https://w.example/{batch}/{i}", f"W {batch} {i}") for i in range(200)]
            )
asyncio.run(main())
"""


def hold_lock(path: Path, seconds: float) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(path), str(seconds)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
    return proc


async def seeded(path: Path, **kwargs: int) -> SQLiteStore:
    store = SQLiteStore(path, **kwargs)
    await store.open()
    await store.upsert_credentials([Credential("https://x.example/1", "One")])
    return store


async def test_reads_go_on_while_another_process_holds_the_write_lock(tmp_path: Path) -> None:
    store = await seeded(tmp_path / "g.db")
    proc = hold_lock(tmp_path / "g.db", 20.0)
    try:
        started = time.monotonic()
        assert (await store.stats()).credentials == 1
        assert [v.id for v in await store.get_credentials(["https://x.example/1"])] == [
            "https://x.example/1"
        ]
        # Did not wait for the writer: far under the 20 s it holds the lock, whatever the
        # machine's load.
        assert time.monotonic() - started < 10.0
    finally:
        proc.terminate()  # the lock goes with the process
        proc.communicate()  # waits, and closes the pipe
        await store.close()


async def test_a_locked_file_waits_then_fails_clearly(tmp_path: Path) -> None:
    store = await seeded(tmp_path / "g.db", busy_timeout_ms=300)
    proc = hold_lock(tmp_path / "g.db", 3.0)
    try:
        started = time.monotonic()
        with pytest.raises(StoreUnavailable, match="stayed locked by another process"):
            await store.upsert_credentials([Credential("https://x.example/2", "Two")])
        assert time.monotonic() - started >= 0.25  # it waited for the lock first
        assert (await store.stats()).credentials == 1  # nothing half-written
    finally:
        proc.communicate()  # waits, and closes the pipe
        await store.close()


async def test_a_writer_waits_for_a_short_lock_and_succeeds(tmp_path: Path) -> None:
    store = await seeded(tmp_path / "g.db", busy_timeout_ms=10_000)
    proc = hold_lock(tmp_path / "g.db", 0.5)
    try:
        report = await store.upsert_credentials([Credential("https://x.example/2", "Two")])
        assert report.created == 1
    finally:
        proc.communicate()  # waits, and closes the pipe
        await store.close()


async def test_reader_sees_only_whole_batches_from_a_writing_process(tmp_path: Path) -> None:
    store = await seeded(tmp_path / "g.db")
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path / "g.db")])
    seen: list[int] = []
    try:
        while writer.poll() is None:
            seen.append((await store.stats()).credentials)
            time.sleep(0.005)
    finally:
        assert writer.wait() == 0
    seen.append((await store.stats()).credentials)
    await store.close()
    assert all((n - 1) % 200 == 0 for n in seen), "a reader saw part of a batch"
    assert seen == sorted(seen) and seen[-1] == 1 + 20 * 200
