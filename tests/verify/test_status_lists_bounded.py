"""What a credential's status entries may cost: at most MAX_STATUS_ENTRIES of them are read,
each distinct list is fetched and decoded once per verification, decoding runs in a check
worker (the event loop keeps ticking), and all fetches share one deadline."""

from __future__ import annotations

import asyncio
import base64
import gzip
import json
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest

from credgraph.errors import FetchError
from credgraph.fetch import Fetcher
from credgraph.verify import Outcome, Verifier, bitstring, verification_settings
from credgraph.verify.limits import MAX_DEPTH, MAX_FETCHES, MAX_STATUS_ENTRIES
from credgraph.verify.remote import Remote
from credgraph.verify.result import Checks
from credgraph.verify.status_list import check_credential_status
from tests.handshake import TICKS, Handshake
from tests.verify.helpers import WORKERS, verifier
from tests.verify.ticks import decode_list_after_ticks

T = TypeVar("T")
LIST = "https://status.example/list"
REVOCATIONS = "https://status.example/revocations"
NOW = datetime(2026, 1, 1, tzinfo=UTC)
OFFLINE = verification_settings(allow_private_networks=True)


def status_list(*set_bits: int, **extra: Any) -> dict[str, Any]:
    bits = bytearray(16 * 1024)
    for index in set_bits:
        bits[index // 8] |= 0x80 >> (index % 8)
    encoded = "u" + base64.urlsafe_b64encode(gzip.compress(bytes(bits))).decode().rstrip("=")
    return {"type": ["VerifiableCredential", "BitstringStatusListCredential"],
            "credentialSubject": {"statusPurpose": "revocation", "encodedList": encoded}, **extra}  # fmt: skip


def entry(index: int, url: str = LIST) -> dict[str, Any]:
    return {"type": "BitstringStatusListEntry", "statusPurpose": "revocation",
            "statusListCredential": url, "statusListIndex": str(index)}  # fmt: skip


def credential(status: Any) -> dict[str, Any]:
    return {"@context": ["https://www.w3.org/ns/credentials/v2"],
            "type": ["VerifiableCredential", "OpenBadgeCredential"], "id": "urn:uuid:x",
            "credentialSubject": {}, "credentialStatus": status}  # fmt: skip


def serving(routes: dict[str, Any], requested: list[str] | None = None) -> httpx.MockTransport:
    def answer(request: httpx.Request) -> httpx.Response:
        if requested is not None:
            requested.append(str(request.url))
        found = routes.get(str(request.url))
        return httpx.Response(200, json=found) if found is not None else httpx.Response(404)

    return httpx.MockTransport(answer)


class CountingAllowance:
    """An allowance that computes in this process and counts what it was asked to run."""

    def __init__(self) -> None:
        self.ran: list[str] = []

    async def run(self, what: str, fn: Callable[..., T], *args: Any) -> T:
        self.ran.append(what)
        return fn(*args)


async def statuses(status: Any, routes: dict[str, Any]) -> tuple[Checks, list[str], list[str]]:
    requested: list[str] = []
    compute = CountingAllowance()
    checks = Checks()
    async with Fetcher(OFFLINE, transport=serving(routes, requested)) as fetcher:
        await check_credential_status(
            checks,
            Remote(fetcher),
            compute,
            credential(status),
            NOW,  # type: ignore[arg-type]
        )
    return checks, requested, compute.ran


async def test_each_status_list_is_fetched_and_decoded_once_per_verification() -> None:
    checks, requested, ran = await statuses([entry(i) for i in range(5)], {LIST: status_list(3)})
    reasons = [c.reason for c in checks.items]
    assert [r.split(" of ")[0] for r in reasons] == [
        "bit 0", "bit 1", "bit 2", "revoked: bit 3", "bit 4"
    ]  # fmt: skip
    assert requested.count(LIST) == 1
    assert ran == ["status list decoding"]


async def test_each_revocation_list_is_searched_once_for_the_same_credential() -> None:
    listing = {"revokedCredentials": [{"id": "urn:uuid:x", "revocationReason": "withdrawn"}]}
    status = [{"type": "1EdTechRevocationList", "id": REVOCATIONS}] * 3
    checks, requested, ran = await statuses(status, {REVOCATIONS: listing})
    assert [c.reason for c in checks.items] == [f"revoked in {REVOCATIONS}: withdrawn"] * 3
    assert requested.count(REVOCATIONS) == 1
    assert ran == ["revocation list search"]


async def test_entries_past_the_cap_are_not_checked_and_the_limit_is_named() -> None:
    count = MAX_STATUS_ENTRIES + 5
    checks, _requested, ran = await statuses(
        [entry(i) for i in range(count)], {LIST: status_list()}
    )
    *read, last = checks.items
    assert len(read) == MAX_STATUS_ENTRIES
    assert last.outcome is Outcome.NOT_CHECKED
    assert last.reason == (
        f"credentialStatus has {count} entries: only the first {MAX_STATUS_ENTRIES} are "
        "checked (MAX_STATUS_ENTRIES)"
    )
    assert len(ran) == 1


async def test_a_status_list_is_decoded_while_the_event_loop_keeps_ticking(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    handshake = Handshake.in_folder(tmp_path)
    # The worker imports this stand-in by name: it waits for the loop's ticks, then decodes.
    monkeypatch.setattr(bitstring, "decode_list", decode_list_after_ticks)
    listing = status_list(1, handshake=handshake.as_json())
    async with handshake.ticking():
        result = await verifier(serving({LIST: listing})).verify(
            document=credential(entry(1))
        )  # fmt: skip
    [check] = [c for c in result.checks if c.name == "revocation"]
    assert check.outcome is Outcome.FAILED and check.reason.startswith(f"revoked: bit 1 of {LIST}")
    assert handshake.ticks >= TICKS


async def test_all_fetches_of_a_verification_share_one_deadline() -> None:
    async def slow(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(60)  # each list answers only after a minute
        return httpx.Response(404)

    urls = [f"https://status{i}.example/list" for i in range(4)]
    judge = Verifier(OFFLINE, transport=httpx.MockTransport(slow), workers=WORKERS,
                     fetch_seconds=0.5)  # fmt: skip
    started = time.monotonic()
    result = await judge.verify(document=credential([entry(1, url) for url in urls]))
    took = time.monotonic() - started
    reasons = [c.reason for c in result.checks if c.name == "revocation"]
    spent = "the 0.5 s one verification may spend fetching are spent"
    assert reasons == [f"status list {u} could not be read: {u}: {spent}" for u in urls]
    assert took < 5.0  # one deadline for all four, not four fetch timeouts (20 s each)


async def test_a_verification_fetches_at_most_max_fetches_urls() -> None:
    routes = {f"https://s.example/{i}": {} for i in range(MAX_FETCHES + 1)}
    async with Fetcher(OFFLINE, transport=serving(routes)) as fetcher:
        remote = Remote(fetcher)
        for url in list(routes)[:MAX_FETCHES]:
            await remote.text(url)
        await remote.text("https://s.example/0")  # fetched already: no new fetch
        with pytest.raises(FetchError, match=f"fetches at most {MAX_FETCHES} URLs"):
            await remote.text(f"https://s.example/{MAX_FETCHES}")


def test_decode_list_names_what_it_could_not_read() -> None:
    assert bitstring.decode_list(json.dumps({"credentialSubject": {}})).unreadable == (
        "its credentialSubject has no encodedList"
    )
    broken = {"credentialSubject": {"encodedList": "uaGVsbG8"}}  # "hello", not gzip
    decoded = bitstring.decode_list(json.dumps(broken))
    assert decoded.bits is None and "incorrect header check" in str(decoded.unreadable)


async def test_a_status_list_nested_deeply_is_refused_and_the_workers_live_on() -> None:
    """900 levels, under Python's recursion limit: decoded in a check worker, sent back,
    such a list crashed the worker ("the worker process died")."""
    deep: dict[str, Any] = {}
    inner = deep
    for _ in range(900):
        inner["a"] = {}
        inner = inner["a"]
    judge = verifier(serving({LIST: status_list(1, extra=deep), REVOCATIONS: status_list(1)}))
    result = await judge.verify(document=credential(entry(1)))
    [check] = [c for c in result.checks if c.name == "revocation"]
    assert check.outcome is Outcome.NOT_CHECKED
    assert check.reason.endswith(f"nests deeper than {MAX_DEPTH} levels (MAX_DEPTH)")
    again = await judge.verify(document=credential(entry(1, REVOCATIONS)))
    [check] = [c for c in again.checks if c.name == "revocation"]
    assert check.outcome is Outcome.FAILED and check.reason.startswith("revoked: bit 1")
