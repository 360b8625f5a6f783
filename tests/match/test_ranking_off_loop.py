"""matchJob ranks its candidates in a thread: 500 credentials against 200 skills is tens of
milliseconds of CPU (120 ms before `ranking.best`), which the event loop only waits for."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from credgraph.match import matcher
from credgraph.store import GraphStore
from tests.api.conftest import query
from tests.handshake import TICKS, Handshake, wait_for_ticks

MATCH = "query($text: String) { matchJob(text: $text) { credentials { credential { id } } } }"
AD = "Data analyst: SQL, Python and statistics every day. O*NET 15-2051.00"


async def test_the_ranking_runs_while_the_loop_ticks(
    store: GraphStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    handshake = Handshake.in_folder(tmp_path)
    real = matcher.best
    threads: list[threading.Thread] = []

    def ranked_after_ticks(*args: Any) -> Any:
        threads.append(threading.current_thread())
        wait_for_ticks(handshake.as_json())  # on the loop, the ticks could never come
        return real(*args)

    monkeypatch.setattr(matcher, "best", ranked_after_ticks)
    async with handshake.ticking():
        data = await query(store, MATCH, {"text": AD})
    assert data["matchJob"]["credentials"]
    assert handshake.ticks >= TICKS
    assert threads and threads[0] is not threading.main_thread()
