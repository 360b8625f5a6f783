"""Renewing a held lease: the holder is told it lost the lease before another process can
take it, whatever a renewal call does meanwhile (answers no, fails, or never answers: a store
cut off behind a silent network, where one call spends the driver's retry time)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from credgraph.errors import StoreError
from credgraph.model.lease import Lease
from credgraph.schedule.lease import keep_renewed

NAME = "source:acme"
HANG_GUARD = 30.0  # seconds; only a hang reaches it


class Renewals:
    """The lease half of a store whose renewals answer as `answer` says; counts them."""

    def __init__(self, answer: Callable[[], Awaitable[bool]]) -> None:
        self.answer = answer
        self.calls = 0

    async def renew_lease(self, name: str, holder: str, ttl_seconds: float) -> bool:
        self.calls += 1
        return await self.answer()

    async def acquire_lease(self, name: str, holder: str, ttl_seconds: float) -> bool:
        return True

    async def release_lease(self, name: str, holder: str) -> None:
        return None

    async def take_over_lease(
        self, name: str, old_holder: str, new_holder: str, ttl_seconds: float
    ) -> bool:
        return False

    async def leases(self) -> list[Lease]:
        return []


async def never_answers() -> bool:
    await asyncio.Event().wait()  # never set: a store call stuck in its retries
    return True


async def renewed() -> bool:
    return True


async def taken() -> bool:
    return False


async def unreachable() -> bool:
    raise StoreError("Neo4j at bolt://db:7687 unreachable")


class FakeTime:
    """A monotonic clock that moves only when every task is asleep on it: then to the
    earliest wake-up. "Every task is asleep" is SETTLE turns of the loop with nothing else
    to do, far more than any step of the renewal takes (a count, not a wait)."""

    SETTLE = 50

    def __init__(self) -> None:
        self.now = 0.0
        self.sleepers: list[tuple[float, asyncio.Future[None]]] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        wake = asyncio.get_running_loop().create_future()
        self.sleepers.append((self.now + max(0.0, seconds), wake))
        await wake

    async def run(self, until: float, stop: asyncio.Event) -> None:
        """Let time pass up to `until`, or until `stop` is set."""
        while not stop.is_set():
            for _ in range(self.SETTLE):
                await asyncio.sleep(0)
            self.sleepers = [(at, wake) for at, wake in self.sleepers if not wake.done()]
            if stop.is_set() or not self.sleepers:
                return
            at, wake = min(self.sleepers, key=lambda sleeper: sleeper[0])
            if at > until:
                self.now = until
                return
            self.now = at
            wake.set_result(None)


class Losses:
    def __init__(self, time: FakeTime | None = None) -> None:
        self.time = time
        self.reasons: list[str] = []
        self.at: list[float] = []
        self.event = asyncio.Event()

    def __call__(self, reason: str) -> None:
        self.reasons.append(reason)
        self.at.append(self.time.now if self.time else 0.0)
        self.event.set()


async def test_a_renewal_that_never_answers_loses_the_lease() -> None:
    store = Renewals(never_answers)
    lost = Losses()
    async with keep_renewed(store, NAME, "P", 0.3, lost):
        # Before, the renewal waited on the stuck call for ever: on_lost never came.
        await asyncio.wait_for(lost.event.wait(), HANG_GUARD)
    assert lost.reasons == [f"lease {NAME} could not be renewed within its 0.3 s TTL"]
    assert store.calls == 1


TTL = 60.0


async def renew_on_fake_time(store: Renewals, until: float = 10 * TTL) -> Losses:
    time = FakeTime()
    lost = Losses(time)
    async with keep_renewed(store, NAME, "P", TTL, lost, clock=time.clock, sleep=time.sleep):
        await time.run(until, lost.event)
    return lost


async def test_a_stuck_renewal_gives_the_lease_up_before_its_ttl_runs_out() -> None:
    store = Renewals(never_answers)
    lost = await renew_on_fake_time(store)
    # Asked at 20 s; given up at 50 s, a sixth of the TTL before another process may take it.
    assert lost.at == [50.0]
    assert lost.reasons == [f"lease {NAME} could not be renewed within its 60 s TTL"]
    assert store.calls == 1


async def test_failing_renewals_are_tried_again_until_the_lease_is_given_up() -> None:
    store = Renewals(unreachable)
    lost = await renew_on_fake_time(store)
    assert lost.at == [50.0]
    assert store.calls == 6  # at 20, 25, 30, 35, 40 and 45 s


def in_turn(*answers: Callable[[], Awaitable[bool]]) -> Callable[[], Awaitable[bool]]:
    """Renewals answering as `answers` say, one each, then renewed."""
    left = iter(answers)

    async def answer() -> bool:
        return await next(left, renewed)()

    return answer


async def test_a_renewal_after_failures_keeps_the_lease() -> None:
    store = Renewals(in_turn(unreachable, unreachable, renewed, never_answers))
    lost = await renew_on_fake_time(store)
    # Failed at 20 and 25 s, renewed when asked at 30 s: trusted until 80 s, and the next
    # call (at 50 s) never answers.
    assert lost.at == [80.0]
    assert store.calls == 4


async def test_renewed_leases_are_held_for_as_long_as_the_block_runs() -> None:
    store = Renewals(renewed)
    lost = await renew_on_fake_time(store, until=10 * TTL)
    assert lost.reasons == []
    assert store.calls == 30  # every 20 s for 600 s


async def test_a_lease_taken_by_another_process_is_lost_at_once() -> None:
    store = Renewals(taken)
    lost = await renew_on_fake_time(store)
    assert lost.at == [20.0]
    assert lost.reasons == [f"lease {NAME} was taken by another process"]
