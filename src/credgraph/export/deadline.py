"""How long an export may run: a wall-clock deadline fixed when the export is admitted, and
the bound that stops each of its steps (a read from the store, a batch written in a worker
thread, a chunk sent to the client) once it has passed.

    deadline = Deadline(60.0)
    async with deadline.bound():       # ExportTimedOut when the 60 s run out in here
        batch = await next_batch()

Each step is bounded on its own, never a span that yields to a caller: a timeout must cancel
the task where the step runs, not whatever the caller happens to be awaiting.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from types import TracebackType


class ExportTimedOut(TimeoutError):
    """The export ran past its deadline and was stopped."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"the export ran past its deadline of {seconds:g} s and was stopped")
        self.seconds = seconds


class Deadline:
    """`seconds` from now (monotonic time)."""

    def __init__(self, seconds: float) -> None:
        if not seconds > 0:
            raise ValueError(f"an export deadline must be positive, got {seconds!r}")
        self.seconds = seconds
        self.at = time.monotonic() + seconds

    @property
    def remaining(self) -> float:
        return max(self.at - time.monotonic(), 0.0)

    @property
    def passed(self) -> bool:
        return time.monotonic() >= self.at

    def bound(self) -> _Bound:
        """Stop the awaits inside with ExportTimedOut once the deadline passes."""
        return _Bound(self)


def within(deadline: Deadline | None) -> contextlib.AbstractAsyncContextManager[None]:
    """`deadline.bound()`, or no bound at all without a deadline (the CLI's exports)."""
    return deadline.bound() if deadline is not None else contextlib.nullcontext()


class _Bound(contextlib.AbstractAsyncContextManager[None]):
    def __init__(self, deadline: Deadline) -> None:
        self.deadline = deadline
        self.timeout = asyncio.timeout(deadline.remaining)

    async def __aenter__(self) -> None:
        if self.deadline.passed:
            raise ExportTimedOut(self.deadline.seconds)
        await self.timeout.__aenter__()

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            await self.timeout.__aexit__(kind, error, traceback)
        except TimeoutError:
            raise ExportTimedOut(self.deadline.seconds) from None
