"""`credgraph demo` serves a sample job board on another origin whose cards load (the demo API
allows that origin): credential cards, one whose unknown id reads as "not found", and a job
card listing the credentials that prepare for a posting of the demo's job feed."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from credgraph.cli.demo import DEMO_POSTING
from tests.api.test_http_uvicorn import free_port
from tests.demo.test_demo import DEMO_START_S

pytestmark = pytest.mark.slow  # a server process and Chromium

BOARD = re.compile(r"(http://127\.0\.0\.1:\d+/jobs\.html) \(a job board embedding cards\)")


@pytest.mark.slow  # a real `credgraph demo`: crawl, then serve
def test_the_demo_job_board_embeds_cards_from_the_demo_api(page: Page, tmp_path: Path) -> None:
    port = free_port()
    proc = subprocess.Popen(
        [str(Path(sys.executable).with_name("credgraph")), "demo", "--port", str(port),
         "--store", f"sqlite:///{tmp_path / 'demo.db'}"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "COLUMNS": "300"},
    )  # fmt: skip
    api = f"http://127.0.0.1:{port}"
    drain: threading.Thread | None = None
    try:
        assert proc.stdout is not None
        board = None
        for line in proc.stdout:  # the URLs are printed before the API starts serving
            found = BOARD.search(line)
            if found:
                board = found.group(1)
                break
        assert board is not None and not board.startswith(api), "no job board URL printed"
        # The rest of the output (the API's access log) is read as it comes: a pipe nobody
        # reads would block the demo once its buffer filled.
        drain = threading.Thread(target=proc.stdout.read, daemon=True)
        drain.start()
        deadline = time.monotonic() + DEMO_START_S  # the test is that it serves, not how fast
        while True:
            try:
                with urllib.request.urlopen(api + "/healthz", timeout=1) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            assert proc.poll() is None and time.monotonic() < deadline, "the API did not start"
            time.sleep(0.1)
        page.goto(board)
        cards = page.locator("[data-credgraph-credential]")
        expect(cards).to_have_count(3)
        expect(cards.nth(0)).to_have_attribute("data-credgraph-state", "ready")
        expect(cards.nth(0).locator(".name")).to_have_text(
            "Applied Data Science (Micro-credential)"
        )
        expect(cards.nth(0).locator(".meta")).to_contain_text("Micro-credential")
        expect(cards.nth(1)).to_have_attribute("data-credgraph-state", "ready")
        expect(cards.nth(2)).to_have_attribute("data-credgraph-state", "not-found")
        expect(cards.nth(2).locator(".error")).to_contain_text("No credential with id")
        job = page.locator("[data-credgraph-job]")
        expect(job).to_have_count(1)
        expect(job).to_have_attribute("data-credgraph-job", DEMO_POSTING)
        expect(job).to_have_attribute("data-credgraph-state", "ready")
        expect(job.locator(".name")).to_have_text("Credentials that prepare for this job")
        expect(job.locator(".matches")).to_contain_text("Data Analytics Certificate")  # asked for
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        if drain is not None:
            drain.join(timeout=10)  # the demo's exit ends its output
        assert proc.stdout is not None
        proc.stdout.close()
