"""bench/search_growth.py measures each search three ways (rankings kept, each one the first
after a write of its kinds, each one after a write of a credential) on every file, with the
growth between files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from credgraph.model import Credential
from credgraph.store import open_store
from tests.scripts import ROOT


async def graph(path: Path, credentials: int) -> None:
    store = open_store(f"sqlite:///{path}")
    await store.open()
    try:
        await store.upsert_credentials(
            [
                Credential(f"https://c.example/{i}", f"credential {i} data" if i % 2 else f"x {i}")
                for i in range(credentials)
            ]
        )
    finally:
        await store.close()


async def test_every_way_on_every_file(tmp_path: Path) -> None:
    small, large = tmp_path / "small.db", tmp_path / "large.db"
    await graph(small, 40)
    await graph(large, 400)
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench/search_growth.py"),
            "--runs",
            "3",
            str(small),
            str(large),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    out = done.stdout
    for way in ("rankings kept", "first after a write", "after a credentials write"):
        assert out.count(f"top 20, {way}") == 3, out
    assert out.count("400 credentials: p50") == 9
    assert out.count("growth") == 9
    assert "load average before" in out
