"""A handshake proving that a step runs off the event loop, without timing luck: the step (in
a worker process or a thread) creates `started`, then waits until the event loop has ticked
TICKS times after it and created `ticked`. On the loop, the step would wait for ticks that
cannot come, and gives up after TICKS_WAIT_S with an error the test sees.

    handshake = Handshake.in_folder(tmp_path)
    async with handshake.ticking():
        ...the work, whose heavy step calls wait_for_ticks(handshake.as_json())...
    assert handshake.ticks >= TICKS

Each test's stand-in for its heavy step (in a module a worker imports by name) calls
`wait_for_ticks` with the handshake its input names, then does the real step.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

TICKS = 20
TICKS_WAIT_S = 30.0  # generous: a loaded machine is slow, never this slow; fails, never hangs


@dataclass
class Handshake:
    started: Path
    ticked: Path
    ticks: int = 0

    @classmethod
    def in_folder(cls, folder: Path) -> Handshake:
        return cls(folder / "started", folder / "ticked")

    def as_json(self) -> dict[str, str]:
        return {"started": str(self.started), "ticked": str(self.ticked)}

    @asynccontextmanager
    async def ticking(self) -> AsyncIterator[None]:
        """Count the loop's ticks once the step has started; mark `ticked` after TICKS."""

        async def tick() -> None:
            while True:
                await asyncio.sleep(0.005)
                if self.started.exists():
                    self.ticks += 1
                    if self.ticks == TICKS:
                        self.ticked.touch()

        ticker = asyncio.create_task(tick())
        try:
            yield
        finally:
            ticker.cancel()


def wait_for_ticks(paths: dict[str, Any]) -> None:
    """The heavy step's side: say it started, then wait for the loop's ticks."""
    Path(paths["started"]).touch()
    ticked = Path(paths["ticked"])
    give_up = time.monotonic() + TICKS_WAIT_S
    while not ticked.exists():
        if time.monotonic() > give_up:
            raise ValueError(f"the event loop did not tick in {TICKS_WAIT_S:g} s")
        time.sleep(0.005)
