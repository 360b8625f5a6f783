"""How many exports a server runs at once: a fixed number of slots, taken when an export is
admitted and given back when it ends, however it ends.

    slot = slots.take()          # TooManyExports when every slot is held: refuse, don't queue
    with slot:
        ...                      # the export

Taking never waits and is one step under a lock, so two requests can never both see the last
free slot (checking first and taking later, across an await, let six exports past a cap of
two). `/export` and GraphQL's `exportSubgraph` take from the same slots: `process_slots()`
unless the app provides its own.
"""

from __future__ import annotations

import functools
import threading
from types import TracebackType

MAX_CONCURRENT = 2  # exports at once in one server process
RETRY_AFTER_S = 5  # what a refused client is told to wait


class TooManyExports(Exception):
    """Every slot is held; the message names the cap."""

    def __init__(self, limit: int, retry_after: int = RETRY_AFTER_S) -> None:
        super().__init__(
            f"too many exports running: this server runs at most {limit} at once; "
            f"retry in {retry_after} s"
        )
        self.limit = limit
        self.retry_after = retry_after


class ExportSlots:
    def __init__(self, limit: int = MAX_CONCURRENT) -> None:
        if limit < 1:
            raise ValueError(f"at least one export slot is needed, got {limit}")
        self.limit = limit
        self._held = 0
        self._lock = threading.Lock()  # exports may be admitted from more than one loop

    @property
    def held(self) -> int:
        return self._held

    def take(self) -> Slot:
        """A slot, or TooManyExports at once when all are held."""
        with self._lock:
            if self._held >= self.limit:
                raise TooManyExports(self.limit)
            self._held += 1
        return Slot(self)

    def _give_back(self) -> None:
        with self._lock:
            self._held -= 1


class Slot:
    """One held slot; `release()` gives it back once, however often it is called."""

    def __init__(self, slots: ExportSlots) -> None:
        self._slots: ExportSlots | None = slots

    def release(self) -> None:
        slots, self._slots = self._slots, None
        if slots is not None:
            slots._give_back()

    def __enter__(self) -> Slot:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.release()


@functools.cache
def process_slots() -> ExportSlots:
    """The slots every export of this process shares unless an app provides its own."""
    return ExportSlots(MAX_CONCURRENT)
