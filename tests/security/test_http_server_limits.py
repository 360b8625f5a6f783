"""Hostile HTTP connections against a real `credgraph serve`, over raw sockets: heads far past
the cap, a connection that sends nothing, headers trickled a byte at a time, a declared body
that never comes. Each is answered (431 or 408) or closed within 5 s, `/healthz` keeps
answering within 1 s meanwhile, and the server's memory stays near where it started; normal
requests, keep-alive and pipelining work as before, and an idle connection still closes after
uvicorn's 5 s keep-alive timeout. The head and body timeouts are set to 1 s through the
environment, so that each hostile case takes about a second.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import httpx
import pytest

from credgraph.api.http.server_limits import MAX_HEAD_BYTES
from tests.faults.served import Served, serving_loaded_api
from tests.security.freeze import FreezeReport, probe

pytestmark = pytest.mark.slow

ANSWER_WITHIN_S = 5.0
HEALTH_WITHIN_S = 1.0
RSS_GROWTH_MIB = 50.0
TIMEOUT_S = 1.0
KEEP_ALIVE_S = 5.0  # uvicorn's timeout_keep_alive, as credgraph.cli.serve sets it
SETTINGS = {
    "CREDGRAPH_HEADER_TIMEOUT_SECONDS": str(TIMEOUT_S),
    "CREDGRAPH_BODY_TIMEOUT_SECONDS": str(TIMEOUT_S),
    "CREDGRAPH_RATE_LIMIT_PER_IP": "0",
    "CREDGRAPH_ACCESS_LOG": "off",
}
PAD_LINE = b"X-Pad: " + b"a" * 8000 + b"\r\n"


@dataclass(frozen=True)
class RawAnswer:
    """What came back on one raw connection, and when the server stopped talking."""

    data: bytes
    seconds: float  # from the first byte sent (or the connection) to EOF, reset or timeout
    closed: bool  # the server closed the connection (EOF or reset), not our read timeout

    @property
    def status(self) -> int | None:
        if not self.data.startswith(b"HTTP/1.1 "):
            return None
        return int(self.data[9:12])

    def response(self) -> httpx.Response:
        """As an httpx.Response, for the freeze probe (status and body only)."""
        body = self.data.partition(b"\r\n\r\n")[2]
        return httpx.Response(self.status or 0, content=body)


def exchange(served: Served, chunks: Iterable[bytes], *, read_for: float = 10.0) -> RawAnswer:
    """Send `chunks` on a fresh connection (stopping when the server refuses more), then read
    until the server closes it or `read_for` seconds pass."""
    with socket.create_connection(("127.0.0.1", port(served))) as sock:
        sock.settimeout(read_for)
        started = time.monotonic()
        try:
            for chunk in chunks:
                sock.sendall(chunk)
        except OSError:
            pass  # the server answered and closed while we were still sending
        data, closed = b"", False
        deadline = started + read_for
        while time.monotonic() < deadline:
            try:
                piece = sock.recv(65536)
            except TimeoutError:
                break
            except OSError:
                closed = True
                break
            if not piece:
                closed = True
                break
            data += piece
        return RawAnswer(data, time.monotonic() - started, closed)


def port(served: Served) -> int:
    return int(served.base.rsplit(":", 1)[1])


def raw(send: Callable[[], RawAnswer]) -> Callable[[httpx.Client], httpx.Response]:
    """A raw exchange as the probe's hostile request."""
    return lambda _client: send().response()


def huge_head(total: int) -> Iterator[bytes]:
    yield b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n"
    for _ in range(total // len(PAD_LINE)):
        yield PAD_LINE


def trickled(head: bytes, every: float) -> Iterator[bytes]:
    for i in range(len(head)):
        yield head[i : i + 1]
        time.sleep(every)


def assert_answered(report: FreezeReport, status: int, answer_within: float) -> None:
    assert report.answered_within(answer_within), report.describe()
    assert report.health_worst < HEALTH_WITHIN_S, report.describe()
    assert report.status == status, report.describe()
    assert report.rss_growth_mib < RSS_GROWTH_MIB, report.describe()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    with serving_loaded_api(tmp_path_factory.mktemp("limits"), env=SETTINGS) as running:
        yield running


def test_48_mb_of_headers_over_4_connections_get_431_without_memory(served: Served) -> None:
    answers: list[RawAnswer] = []

    def four_floods() -> RawAnswer:
        threads = [
            threading.Thread(target=lambda: answers.append(exchange(served, huge_head(12_000_000))))
            for _ in range(4)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return max(answers, key=lambda answer: answer.seconds)

    report = probe(served, raw(four_floods))
    assert_answered(report, 431, ANSWER_WITHIN_S)
    assert [a.status for a in answers] == [431] * 4, answers
    assert all(a.closed for a in answers)
    assert b"larger than 16384 bytes" in answers[0].data
    assert b"REQUEST_HEADER_FIELDS_TOO_LARGE" in answers[0].data


def test_one_endless_header_line_gets_431(served: Served) -> None:
    def endless_line() -> Iterator[bytes]:
        yield b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Pad: "
        for _ in range(1000):
            yield b"a" * 10_000  # 10 MB and never a line end

    report = probe(served, raw(lambda: exchange(served, endless_line())))
    assert_answered(report, 431, ANSWER_WITHIN_S)


def test_heads_up_to_the_cap_are_served_and_one_byte_more_is_refused(served: Served) -> None:
    def request(head_bytes: int) -> bytes:
        start = b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Pad: "
        end = b"\r\nConnection: close\r\n\r\n"
        return start + b"a" * (head_bytes - len(start) - len(end)) + end

    at_cap = exchange(served, [request(MAX_HEAD_BYTES)])
    over = exchange(served, [request(MAX_HEAD_BYTES + 1)])
    assert at_cap.status == 200, at_cap.data[:200]
    assert over.status == 431, over.data[:200]


def test_a_connection_that_sends_nothing_is_closed_after_the_head_timeout(
    served: Served,
) -> None:
    answer = exchange(served, [], read_for=ANSWER_WITHIN_S)
    assert answer.closed, answer
    assert answer.data == b""  # nothing of a request came: nothing to answer
    assert TIMEOUT_S * 0.9 <= answer.seconds < TIMEOUT_S + 2, answer


def test_trickled_headers_get_408(served: Served) -> None:
    head = b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: " + b"a" * 100 + b"\r\n\r\n"
    answers: list[RawAnswer] = []

    def trickle() -> RawAnswer:
        answers.append(exchange(served, trickled(head, every=0.1), read_for=ANSWER_WITHIN_S))
        return answers[0]

    report = probe(served, raw(trickle))
    assert_answered(report, 408, TIMEOUT_S + 2)
    assert answers[0].closed
    assert b"did not arrive within 1 s" in answers[0].data


def test_a_body_that_never_comes_gets_408(served: Served) -> None:
    head = (
        b"POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
        b"Content-Length: 100\r\n\r\n{"
    )
    answers: list[RawAnswer] = []

    def stall() -> RawAnswer:
        answers.append(exchange(served, [head], read_for=ANSWER_WITHIN_S))
        return answers[0]

    report = probe(served, raw(stall))
    assert_answered(report, 408, TIMEOUT_S + 2)
    assert answers[0].closed
    assert b"request body did not arrive" in answers[0].data


def test_keep_alive_pipelining_and_bodies_in_pieces_still_work(served: Served) -> None:
    get = b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n"
    body = b'{"query": "{ stats { credentials } }"}'
    post = (
        b"POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
        b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(body)
    )

    def conversation() -> Iterator[bytes]:
        yield get + get  # pipelined
        time.sleep(0.3)  # within the head timeout: the connection is still open
        yield post
        yield body[:10]
        yield body[10:]

    answer = exchange(served, conversation())
    assert answer.data.count(b"HTTP/1.1 200 OK") == 3, answer.data
    assert b'"credentials":' in answer.data
    assert answer.closed


def test_a_connection_idle_after_a_response_is_closed_by_keep_alive(served: Served) -> None:
    get = b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n"
    answer = exchange(served, [get], read_for=KEEP_ALIVE_S + 3)
    assert answer.data.count(b"HTTP/1.1") == 1, answer.data  # the 200, no 408 after it
    assert answer.status == 200
    assert answer.closed and answer.seconds < KEEP_ALIVE_S + 2, answer


def test_the_next_head_is_due_within_the_head_timeout_of_the_last_response(
    served: Served,
) -> None:
    get = b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n"

    def late_second_request() -> Iterator[bytes]:
        yield get
        time.sleep(TIMEOUT_S / 2)
        yield b"G"  # and nothing more

    answer = exchange(served, late_second_request(), read_for=ANSWER_WITHIN_S)
    assert answer.status == 200
    assert answer.data.count(b"HTTP/1.1 408 Request Timeout") == 1, answer.data
    assert answer.closed and answer.seconds < TIMEOUT_S + 2, answer
