"""A handshake proving that a step of verification runs off the event loop, without timing
luck: the step (in a worker process or a thread) creates `started`, then waits until the
event loop has ticked TICKS times after it and created `ticked`. On the loop, the step would
wait for ticks that cannot come, and gives up after TICKS_WAIT_S with an error the test sees.

    with tmp_path as folder:
        handshake = Handshake.in_folder(folder)
        async with handshake.ticking():
            ...the verification, whose heavy step calls handshake.wait()...
        assert handshake.ticks >= TICKS

The functions below stand in for the real heavy steps in the workers (imported there by name):
each waits for the handshake its input names, then does the real step.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from credgraph.verify.bitstring import Decoded
from credgraph.verify.bitstring import decode_list as real_decode_list
from credgraph.verify.definitions import parse_definition as real_parse_definition
from credgraph.verify.pages import award_behind as real_award_behind

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


def decode_list_after_ticks(text: str) -> Decoded:
    """`bitstring.decode_list` once the loop has ticked (the list names the handshake)."""
    wait_for_ticks(json.loads(text)["handshake"])
    return real_decode_list(text)


def parse_definition_after_ticks(document: dict[str, Any], url: str | None, now: Any) -> Any:
    """`definitions.parse_definition` once the loop has ticked (the document names the
    handshake)."""
    wait_for_ticks(document["handshake"])
    return real_parse_definition(document, url, now)


def award_behind_after_ticks(page_url: str, html: str) -> Any:
    """`pages.award_behind` once the loop has ticked (the page names the handshake in a
    comment, `<!--{...}-->`)."""
    wait_for_ticks(json.loads(html.split("<!--", 1)[1].split("-->", 1)[0]))
    return real_award_behind(page_url, html)
