"""The health check reads the store's pages: a file overwritten under a running server is
unavailable, not "ok" while every query fails as malformed."""

from __future__ import annotations

from pathlib import Path

import pytest

from credgraph.errors import StoreUnavailable
from credgraph.model import Credential, CredentialType
from credgraph.store.sqlite import SQLiteStore


async def test_a_file_overwritten_under_the_store_fails_its_health_check(tmp_path: Path) -> None:
    path = tmp_path / "graph.db"
    store = SQLiteStore(path)
    await store.open()
    await store.upsert_credentials(
        [Credential(f"cred:{i}", f"Badge {i}", CredentialType.BADGE) for i in range(50)]
    )
    await store.close()  # the write-ahead log checkpointed into the file
    store = SQLiteStore(path)
    await store.open()
    try:
        await store.ping()
        await store.ping()  # twice: what one ping read must not answer for the next
        size = path.stat().st_size
        with path.open("r+b") as file:  # every page but the first, as a disk error might
            file.seek(4096)
            file.write(b"\xff" * (size - 4096))
        with pytest.raises(StoreUnavailable, match="malformed"):
            await store.ping()
    finally:
        await store.close()
