"""A disk that fills up during `credgraph export`.

The real command runs in a subprocess whose file-size limit (RLIMIT_FSIZE) is far below the
export's size, with SIGXFSZ ignored, so the kernel fails a write mid-export with EFBIG, as a
full disk fails it with ENOSPC: the same failed write() at the same place, without root or a
mount to make a small filesystem. For every format:

- the command exits non-zero with one line naming the file and the OS error, no traceback;
- no file is left at the path asked for, nor a `.part`, nor a temporary file;
- the store is unchanged (its whole graph equal before and after) and `store check` is clean.

The store stays open in the test process meanwhile, so SQLite's shared-memory and WAL files
exist already and the export only reads them: the limit falls on the export alone.
"""

from __future__ import annotations

import asyncio
import os
import resource
import secrets
import signal
import subprocess
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from credgraph.model import Credential, Issuer, Source
from credgraph.store import GraphStore, open_store
from tests.contract import data
from tests.faults.reference import GraphSnapshot, snapshot

pytestmark = pytest.mark.slow  # a child process writes until its file-size limit

CREDGRAPH = str(Path(sys.executable).parent / "credgraph")
LIMIT = 128 * 1024  # bytes any one file may reach; every export below is several times that
FORMATS = {"graphml": "g.graphml", "csv": "g.zip", "jsonld": "g.jsonld", "ndjson": "g.ndjson",
           "nodelink": "g.json"}  # fmt: skip
BULK = 3000  # credentials beside the contract graph: megabytes in every format, zipped too


async def load(store: GraphStore) -> None:
    await store.upsert_sources(
        [Source("src-a", "openbadges", ("https://catalog.example/page1",), licence="CC0")]
    )
    await store.upsert_credentials(data.credentials())
    await store.upsert_skill_requirements(data.REQUIREMENTS)
    issuer = Issuer("https://bulk.example", "Bulk Academy")
    # Random text: a zip cannot squeeze it under the limit.
    await store.upsert_credentials(
        Credential(f"https://bulk.example/c/{n}", f"Credential {n}", issuer=issuer,
                   description=secrets.token_urlsafe(300))
        for n in range(BULK)
    )  # fmt: skip


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[tuple[str, GraphStore]]:
    url = f"sqlite:///{tmp_path / 'store' / 'g.db'}"
    (tmp_path / "store").mkdir()
    async with open_store(url) as opened:
        await load(opened)
        yield url, opened


def limited(max_bytes: int) -> Callable[[], None]:
    def preexec() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG from write(), not a killed process
        resource.setrlimit(resource.RLIMIT_FSIZE, (max_bytes, max_bytes))

    return preexec


def export(store_url: str, format_name: str, out: Path, *extra: str,
           max_bytes: int | None = None) -> subprocess.CompletedProcess[str]:  # fmt: skip
    scratch = out.parent / "tmp"
    scratch.mkdir(exist_ok=True)
    return subprocess.run(
        [CREDGRAPH, "export", "--format", format_name, "--out", str(out), "--store", store_url,
         *extra],
        env={**os.environ, "TMPDIR": str(scratch), "PYTHONDONTWRITEBYTECODE": "1"},
        preexec_fn=limited(max_bytes) if max_bytes else None,
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def left_behind(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


async def unchanged(store: GraphStore, before: GraphSnapshot) -> None:
    after = await snapshot(store)
    assert after == before, after.differences(before)
    report = await store.check()
    assert report.ok, report.as_json()


@pytest.mark.parametrize("format_name", list(FORMATS))
async def test_a_disk_filling_up_mid_export_fails_clearly_and_leaves_nothing(
    store: tuple[str, GraphStore], tmp_path: Path, format_name: str
) -> None:
    url, opened = store
    before = await snapshot(opened)
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / FORMATS[format_name]
    result = await asyncio.to_thread(export, url, format_name, out, max_bytes=LIMIT)
    print(f"\n{format_name}: exit {result.returncode}: {result.stderr.strip()}")
    assert result.returncode != 0, result.stdout
    message = " ".join(result.stderr.split())  # rich wraps long lines
    assert f"error: writing {out}" in message and "File too large" in message, result.stderr
    assert "Traceback" not in result.stderr
    assert left_behind(folder) == [], left_behind(folder)
    await unchanged(opened, before)
    # The same export without the limit is larger than it: the limit was met mid-export.
    result = await asyncio.to_thread(export, url, format_name, out)
    assert result.returncode == 0, result.stderr
    assert out.stat().st_size > 2 * LIMIT


async def test_a_manifest_that_cannot_be_written_takes_its_data_file_with_it(
    store: tuple[str, GraphStore], tmp_path: Path
) -> None:
    """A small selection fits, its manifest (sources, counts, notes) does not: the data file
    must not stay behind without the manifest that says what it holds."""
    url, opened = store
    before = await snapshot(opened)
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "one.ndjson"
    seed = ("--seed", "https://bulk.example/c/1", "--depth", "0")
    whole = await asyncio.to_thread(export, url, "ndjson", out, *seed)
    assert whole.returncode == 0, whole.stderr
    data_size = out.stat().st_size
    manifest_size = out.with_name(out.name + ".manifest.json").stat().st_size
    assert data_size < manifest_size, (data_size, manifest_size)
    for path in folder.glob("one.*"):
        path.unlink()
    result = await asyncio.to_thread(
        export, url, "ndjson", out, *seed, max_bytes=(data_size + manifest_size) // 2
    )
    print(f"\nmanifest: exit {result.returncode}: {result.stderr.strip()}")
    assert result.returncode != 0
    assert "File too large" in " ".join(result.stderr.split()), result.stderr
    assert left_behind(folder) == [], left_behind(folder)
    await unchanged(opened, before)
