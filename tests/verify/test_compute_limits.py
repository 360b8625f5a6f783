"""The CPU a verification may spend: JSON-LD and schema checks in worker processes under a
deadline that kills what runs past it, a blank-node budget before canonicalising, and one
verification in flight per client."""

from __future__ import annotations

import asyncio
import json
import operator
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from credgraph.verify import (
    Outcome,
    Status,
    VerificationInputError,
    Verifier,
    verification_settings,
)
from credgraph.verify.contexts import first_unknown_context, load_context
from credgraph.verify.data_integrity import MAX_BLANK_NODES, blank_nodes, canonical
from credgraph.verify.errors import Unverifiable
from credgraph.verify.verifier import MAX_DEPTH
from credgraph.verify.workers import CheckWorkers
from tests.api.http_helpers import api
from tests.verify.bombs import blank_node_flood, poison_graph
from tests.verify.helpers import OB3_SIGNED, WORKERS, issuer_site, real, real_json
from tests.verify.test_status_lists_bounded import LIST, entry, status_list
from tests.verify.test_status_lists_bounded import credential as status_credential
from tests.verify.test_status_lists_bounded import serving as status_serving

ANSWER_WITHIN_S = 5.0  # the bound for any hostile request
OFFLINE = verification_settings(allow_private_networks=True)  # the issuer is a MockTransport


def reasons(result: Any) -> dict[str, tuple[Outcome, str]]:
    return {c.name: (c.outcome, c.reason) for c in result.checks}


@pytest.fixture
async def one_worker() -> AsyncIterator[CheckWorkers]:
    workers = CheckWorkers(1)
    yield workers
    await workers.aclose()


@pytest.mark.slow  # waits out a worker's real deadline
async def test_a_worker_past_its_deadline_is_killed_and_replaced(one_worker: CheckWorkers) -> None:
    started = time.monotonic()
    with pytest.raises(TimeoutError):
        await one_worker.run(time.sleep, 60, timeout=0.5)
    assert time.monotonic() - started < ANSWER_WITHIN_S
    # The only worker was sleeping for a minute: this is answered only if it was replaced.
    assert await one_worker.run(operator.add, 2, 3, timeout=ANSWER_WITHIN_S) == 5


@pytest.mark.slow  # starts worker processes
async def test_workers_stopped_under_a_check_answer_it_at_once(
    one_worker: CheckWorkers, tmp_path: Path
) -> None:
    """Closing the pool under a running check answers it (Unverifiable) rather than leaving
    it to wait out its deadline: the pool's stop cancels what is in flight."""
    started_file = tmp_path / "started"
    checking = asyncio.ensure_future(
        one_worker.run(touch_then_sleep, str(started_file), 60, timeout=60)
    )
    while not started_file.exists():
        await asyncio.sleep(0.05)
    await one_worker.aclose()
    with pytest.raises(Unverifiable, match="stopped"):
        await asyncio.wait_for(checking, ANSWER_WITHIN_S)


def touch_then_sleep(path: str, seconds: float) -> None:
    """Runs in a worker: says it started, then holds the worker."""
    Path(path).touch()
    time.sleep(seconds)


@pytest.mark.slow  # waits out a worker's real deadline
async def test_a_cancelled_verification_kills_its_running_check(
    one_worker: CheckWorkers, tmp_path: Path
) -> None:
    started = tmp_path / "started"
    task = asyncio.create_task(one_worker.run(touch_then_sleep, str(started), 60, timeout=60))
    deadline = time.monotonic() + ANSWER_WITHIN_S
    while not started.exists() and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    assert started.exists(), "the check never started"
    task.cancel()  # as when the client goes away or the request times out
    with pytest.raises(asyncio.CancelledError):
        await task
    assert await one_worker.run(operator.add, 2, 3, timeout=ANSWER_WITHIN_S) == 5


@pytest.mark.slow  # waits out a worker's real deadline
async def test_a_poison_graph_is_unverifiable_at_the_deadline(one_worker: CheckWorkers) -> None:
    verifier = Verifier(workers=one_worker, compute_seconds=1.0)
    started = time.monotonic()
    result = await verifier.verify(document=poison_graph(8))
    assert time.monotonic() - started < ANSWER_WITHIN_S
    assert result.status is Status.UNVERIFIABLE
    outcome, reason = reasons(result)["signature"]
    assert outcome is Outcome.NOT_CHECKED
    assert reason.startswith("canonicalisation took longer than 1 s"), reason
    # The schema check came after, with nothing left of the allowance: said, not skipped.
    assert "took longer than 1 s" in reasons(result)["schema"][1]
    # The same single worker verifies the next credential at once: the poison is not
    # still running in it.
    after = Verifier(OFFLINE, transport=issuer_site(), workers=one_worker)
    assert (await after.verify(document=real(OB3_SIGNED))).status is Status.VALID


@pytest.mark.slow  # waits out a worker's real deadline
async def test_a_check_queued_behind_busy_workers_gives_up_at_the_deadline(
    one_worker: CheckWorkers,
) -> None:
    assert await one_worker.run(operator.add, 0, 0, timeout=ANSWER_WITHIN_S) == 0  # started
    busy = asyncio.create_task(one_worker.run(time.sleep, 60, timeout=1.5))
    await asyncio.sleep(0)  # its task is queued first, and the only worker takes it
    allowance = one_worker.allowance(0.5)
    with pytest.raises(Unverifiable, match=r"could not start within 0\.5 s: the check workers"):
        await allowance.run("canonicalisation", operator.add, 1, 2)
    with pytest.raises(TimeoutError):
        await busy


def test_too_many_blank_nodes_are_refused_before_canonicalising() -> None:
    started = time.monotonic()
    with pytest.raises(Unverifiable, match=f"refused past {MAX_BLANK_NODES}"):
        canonical(blank_node_flood(MAX_BLANK_NODES + 1))
    assert time.monotonic() - started < ANSWER_WITHIN_S
    canonical(blank_node_flood(MAX_BLANK_NODES - 10))  # the same shape under the budget


@pytest.mark.slow  # waits out a worker's real deadline
async def test_a_verification_past_the_budget_says_so(one_worker: CheckWorkers) -> None:
    verifier = Verifier(workers=one_worker)
    result = await verifier.verify(document=blank_node_flood(MAX_BLANK_NODES + 1))
    assert result.status is Status.UNVERIFIABLE
    outcome, reason = reasons(result)["signature"]
    assert outcome is Outcome.NOT_CHECKED
    assert reason.endswith(
        f"blank nodes (objects without an id); canonicalisation is refused past {MAX_BLANK_NODES}"
    ), reason


def real_credentials() -> list[tuple[str, dict[str, Any]]]:
    found = []
    for path in real_json():
        document = json.loads(path.read_text())
        if "credentialSubject" in document and first_unknown_context(document) is None:
            found.append((path.name, document))
    return found


def test_every_real_credential_is_far_under_the_blank_node_budget() -> None:
    from pyld import jsonld

    counts = {}
    for name, document in real_credentials():
        unsigned = {k: v for k, v in document.items() if k != "proof"}
        counts[name] = blank_nodes(jsonld.to_rdf(unsigned, {"documentLoader": load_context}))
    assert len(counts) >= 5, counts  # the samples are there to measure
    # The fullest (every optional field) has 40; the budget admits several times that.
    assert max(counts.values()) * 5 <= MAX_BLANK_NODES, counts


def nested(levels: int) -> dict[str, Any]:
    document = poison_graph(2)
    inner: dict[str, Any] = {"https://schema.org/name": "x"}
    for i in range(levels):
        inner = {"id": f"urn:example:{i}", "https://schema.org/knows": inner}
    document["credentialSubject"]["https://schema.org/knows"] = inner
    return document


async def test_a_document_nested_too_deeply_is_refused_as_input(one_worker: CheckWorkers) -> None:
    verifier = Verifier(workers=one_worker)
    with pytest.raises(VerificationInputError, match=f"nests deeper than {MAX_DEPTH} levels"):
        await verifier.verify(document=nested(900))
    # Just under the limit, it is verified like any other (and its proof does not match).
    result = await verifier.verify(document=nested(MAX_DEPTH - 10))
    assert reasons(result)["signature"][0] is Outcome.FAILED


async def test_a_library_recursing_too_deep_in_a_worker_is_unverifiable(
    one_worker: CheckWorkers,
) -> None:
    with pytest.raises(Unverifiable, match="nests too deeply"):
        await one_worker.allowance(ANSWER_WITHIN_S).run("parsing", json.loads, "[" * 100_000)


async def test_one_verification_in_flight_per_client(tmp_path: Path) -> None:
    release = asyncio.Event()
    reached = asyncio.Event()

    async def slow_issuer(request: httpx.Request) -> httpx.Response:
        reached.set()
        await release.wait()
        return httpx.Response(404)

    verifier = Verifier(OFFLINE, transport=httpx.MockTransport(slow_issuer))
    async with api(tmp_path, verifier=verifier) as (client, app):
        first = asyncio.create_task(client.post("/verify", json={"url": "https://a.example/1"}))
        await reached.wait()
        second = await client.post("/verify", json={"document": real(OB3_SIGNED)})
        other = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app, client=("203.0.113.9", 40000)),
            base_url="http://api.test",
        )
        async with other:
            elsewhere = await other.post("/verify", json={"document": {"name": "x"}})
        release.set()
        answered = await first
        after = await client.post("/verify", json={"document": {"name": "x"}})
    await verifier.aclose()
    assert second.status_code == 429, second.text
    assert "one verification at a time per client" in second.json()["error"]
    assert int(second.headers["Retry-After"]) >= 1
    assert elsewhere.status_code == 400  # another client is not held up (and its input is bad)
    assert answered.status_code == 200
    assert after.status_code == 400  # the first one done, this client verifies again


@pytest.mark.slow  # waits on a slow server for real seconds
async def test_time_spent_fetching_is_not_the_checks_computing_time() -> None:
    # The status list's server answers after longer than the whole allowance: only the time
    # the checks spend in the workers counts, so the list is still read and the bit checked.
    allowance = 1.5
    served = status_serving({LIST: status_list()})

    async def slow(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(allowance + 1.0)
        return served.handler(request)  # type: ignore[no-any-return]

    verifier = Verifier(
        verification_settings(allow_private_networks=True),
        transport=httpx.MockTransport(slow),
        workers=WORKERS,
        compute_seconds=allowance,
    )
    result = await verifier.verify(document=status_credential(entry(3)))
    outcome, reason = reasons(result)["revocation"]
    assert outcome is Outcome.PASSED, reason
