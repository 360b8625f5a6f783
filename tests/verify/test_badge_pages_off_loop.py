"""A badge page is read in a check worker: the event loop keeps ticking while html.parser works
through it, and a page that takes longer than the verification's allowance is NOT_CHECKED
naming the limit rather than holding the loop (1 MB of open tags is seconds of CPU)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import httpx
import pytest

from credgraph.verify import Outcome, Verifier
from credgraph.verify import verifier as verifier_module
from tests.handshake import TICKS, Handshake
from tests.verify.helpers import WORKERS, verifier
from tests.verify.ticks import award_behind_after_ticks

PAGE = "https://pages.example/badge"
ANSWER_WITHIN_S = 5.0


def serving(html: str) -> httpx.MockTransport:
    def answer(request: httpx.Request) -> httpx.Response:
        if str(request.url) == PAGE:
            return httpx.Response(200, text=html, headers={"content-type": "text/html"})
        return httpx.Response(404)

    return httpx.MockTransport(answer)


async def test_a_badge_page_is_read_while_the_event_loop_keeps_ticking(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    handshake = Handshake.in_folder(tmp_path)
    # The worker imports this stand-in by name: it waits for the loop's ticks, then reads.
    monkeypatch.setattr(verifier_module, "award_behind", award_behind_after_ticks)
    html = f"<html><!--{json.dumps(handshake.as_json())}--><p>A badge</p></html>"
    async with handshake.ticking():
        result = await verifier(serving(html)).verify(url=PAGE)
    [check] = [c for c in result.checks if c.name == "badge-page"]
    assert check.outcome is Outcome.NOT_CHECKED
    assert check.reason.startswith(f"{PAGE} is a web page that links to no award")
    assert handshake.ticks >= TICKS


async def test_a_page_past_the_allowance_is_not_checked_naming_the_limit() -> None:
    html = "<html>" + "<i>" * 330_000  # ~1 MB of open tags: seconds of html.parser
    judge = Verifier(verifier().settings, transport=serving(html), workers=WORKERS,
                     compute_seconds=0.3)  # fmt: skip
    started = time.monotonic()
    result = await judge.verify(url=PAGE)
    assert time.monotonic() - started < ANSWER_WITHIN_S
    [check] = [c for c in result.checks if c.name == "badge-page"]
    assert check.outcome is Outcome.NOT_CHECKED
    assert check.reason in (
        f"the badge page {PAGE} was not read: badge page parsing took longer than 0.3 s, the "
        "computing time one verification may use (stopped)",
        # A worker busy with another test's check for the whole 0.3 s: the same limit, said so.
        f"the badge page {PAGE} was not read: badge page parsing could not start within "
        "0.3 s: the check workers were busy with other verifications; try again",
    )
