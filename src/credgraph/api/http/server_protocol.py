"""The HTTP/1.1 connection of `credgraph serve`: uvicorn's httptools protocol, bounded.

uvicorn reads a request head of any size and waits as long as the client likes for it and for
a declared body: four connections sending 12 MB of headers each grew the server by 250 MB, and
a connection that sends nothing, trickles a header or never sends its body stays open for good.
This protocol (given to uvicorn as its `http=` class) adds, per connection, the bounds of
credgraph.api.http.server_limits:

- the request line and headers together may take `max_head_bytes`: past that the answer is
  431 and the connection closes. The parser is never fed more of a head than that, so it never
  buffers more, however long one header line is;
- the head must arrive within `head_timeout` of the connection opening or of the previous
  response: 408 and close. A new connection that sends nothing is closed then without an
  answer; one idle after a response is closed by uvicorn's keep-alive timeout as before;
- a declared body must arrive within `body_timeout` of its head: 408 and close. Time the
  server holds the body back itself (reading paused by uvicorn's flow control, a 100-continue
  not sent yet, a pipelined request waiting its turn) is not held against the client.

The rest (keep-alive and its timeout, pipelining, 100-continue, upgrades) is uvicorn's: this
class only wraps HttpToolsProtocol's public callbacks and calls through to them.
"""

from __future__ import annotations

import asyncio
import functools
import http
import logging
from dataclasses import dataclass
from typing import ClassVar

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from credgraph.api.http.responses import dump, error_body
from credgraph.api.http.server_limits import HttpLimits, limits_from_env

log = logging.getLogger("credgraph.api")


@dataclass
class RequestReading:
    """How far one connection is in reading its next request."""

    limits: HttpLimits
    head_since: float  # loop time the connection opened or the previous response ended
    awaiting_head: bool = True  # the head of the next request is not complete yet
    head_bytes: int = 0  # of that head, read so far
    refused: bool = False  # its head passed the cap while an earlier response was in flight
    head_timer: asyncio.TimerHandle | None = None
    body_timer: asyncio.TimerHandle | None = None

    def stop_timers(self) -> None:
        for timer in (self.head_timer, self.body_timer):
            if timer is not None:
                timer.cancel()
        self.head_timer = self.body_timer = None


class LimitedHttpProtocol(HttpToolsProtocol):
    """HttpToolsProtocol with a cap on request heads and deadlines for heads and bodies."""

    limits: ClassVar[HttpLimits | None] = None  # None: from the environment (--workers)
    reading: RequestReading

    def connection_made(  # type: ignore[override]  # uvicorn narrows it to asyncio.Transport
        self, transport: asyncio.Transport
    ) -> None:
        super().connection_made(transport)
        self.reading = RequestReading(self.limits or _environment_limits(), self.loop.time())
        self.arm_head_timer()  # uvicorn has no timer for a new connection that sends nothing

    def connection_lost(self, exc: Exception | None) -> None:
        self.reading.stop_timers()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        reading = self.reading
        if reading.refused:
            return  # its 431 follows the response in flight; nothing after it is read
        cap = reading.limits.max_head_bytes
        while data:
            # Feed a head at most up to the cap, so that a head past it is refused before the
            # parser holds more. A head that begins in the same piece as the end of the
            # previous request is counted from the next piece: it may pass the cap by less
            # than one more cap before it is refused.
            room = cap - reading.head_bytes if reading.awaiting_head else cap
            piece, data = data[:room], data[room:]
            if reading.awaiting_head:
                reading.head_bytes += len(piece)
            super().data_received(piece)
            if reading.awaiting_head and reading.head_bytes >= cap:
                if self.still_reading():
                    self.refuse_head()
                return
            if data and not self.still_reading():
                return
        # A timer only for what is still missing after this read: a request that came whole
        # (the usual case) starts none, nor costs a check here.
        if not reading.awaiting_head:
            if reading.body_timer is None and self.still_reading():
                self.arm_body_timer()
        elif (
            reading.head_bytes
            and reading.head_timer is None
            and self.idle()
            and self.still_reading()
        ):
            self.arm_head_timer()

    def still_reading(self) -> bool:
        """False once uvicorn refused the request (400) or handed the connection on (upgrade):
        it reads no further of the data either."""
        return not (
            self.transport.is_closing()
            or self.transport.get_protocol() is not self
            or self.parser.should_upgrade()
        )

    # Parser callbacks: where each request's head and body end.

    def on_headers_complete(self) -> None:
        reading = self.reading
        reading.awaiting_head = False
        if reading.head_timer is not None:
            reading.head_timer.cancel()
            reading.head_timer = None
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        super().on_message_complete()
        reading = self.reading
        reading.awaiting_head, reading.head_bytes = True, 0
        if reading.body_timer is not None:
            reading.body_timer.cancel()
            reading.body_timer = None

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if self.transport.is_closing() or not self.idle():
            return  # closed, or the next pipelined request is in flight now
        reading = self.reading
        if reading.refused:
            self.answer_and_close(*self.head_too_large())
        elif reading.awaiting_head:
            reading.head_since = self.loop.time()
            # Until a byte of the next head comes, uvicorn's keep-alive timer closes the idle
            # connection; from then on the head timer counts from here.
            if reading.head_bytes:
                self.arm_head_timer()

    def idle(self) -> bool:
        """No response is in flight: a 408 or 431 written now goes out in order."""
        return self.cycle is None or self.cycle.response_complete

    # Refusals and deadlines.

    def refuse_head(self) -> None:
        self.reading.refused = True
        self.reading.stop_timers()
        if self.idle():
            self.answer_and_close(*self.head_too_large())
        # else on_response_complete answers once the response in flight is sent

    def head_too_large(self) -> tuple[int, str, str]:
        cap = self.reading.limits.max_head_bytes
        return (
            431, f"The request line and headers are larger than {cap} bytes.",
            "REQUEST_HEADER_FIELDS_TOO_LARGE",
        )  # fmt: skip

    def arm_head_timer(self) -> None:
        reading = self.reading
        if reading.head_timer is not None:
            reading.head_timer.cancel()
        left = reading.head_since + reading.limits.head_timeout - self.loop.time()
        reading.head_timer = self.loop.call_later(max(left, 0.0), self.head_timed_out)

    def head_timed_out(self) -> None:
        reading = self.reading
        reading.head_timer = None
        if self.transport.is_closing() or not reading.awaiting_head:
            return
        if not reading.head_bytes:
            self.transport.close()  # an idle connection: nobody to answer
            return
        seconds = reading.limits.head_timeout
        self.answer_and_close(
            408, f"The request line and headers did not arrive within {seconds:g} s.",
            "REQUEST_TIMEOUT",
        )  # fmt: skip

    def arm_body_timer(self) -> None:
        self.reading.body_timer = self.loop.call_later(
            self.reading.limits.body_timeout, self.body_timed_out
        )

    def body_timed_out(self) -> None:
        reading = self.reading
        reading.body_timer = None
        if self.transport.is_closing() or reading.awaiting_head:
            return
        cycle = self.cycle
        if self.flow.read_paused or cycle.waiting_for_100_continue or self.pipeline:
            self.arm_body_timer()  # the server holds the body back, not the client
            return
        if cycle.response_started:
            self.transport.close()  # answered already: no room for a 408
            return
        seconds = reading.limits.body_timeout
        self.answer_and_close(
            408, f"The request body did not arrive within {seconds:g} s.", "REQUEST_TIMEOUT"
        )

    def answer_and_close(self, status: int, message: str, code: str) -> None:
        """Write a JSON error response outside any ASGI cycle (like uvicorn's own 400 for a
        request it cannot parse), then close the connection."""
        client = f"{self.client[0]}:{self.client[1]}" if self.client else "unknown client"
        log.warning("HTTP %d to %s: %s", status, client, message)
        body = dump(error_body(message, code))
        head = [f"HTTP/1.1 {status} {http.HTTPStatus(status).phrase}\r\n".encode()]
        for name, value in self.server_state.default_headers:
            head += [name, b": ", value, b"\r\n"]
        head += [
            b"content-type: application/json\r\n",
            b"content-length: %d\r\n" % len(body),
            b"cache-control: no-store\r\n",
            b"connection: close\r\n\r\n",
        ]
        self.transport.write(b"".join(head) + body)
        self.transport.close()


def protocol_with(limits: HttpLimits) -> type[LimitedHttpProtocol]:
    """LimitedHttpProtocol held to `limits`, for a server in this process. uvicorn pickles
    its `http=` class for `--workers` processes, which a class built here cannot be: those
    take LimitedHttpProtocol itself, which reads the same limits from the environment."""

    class Limited(LimitedHttpProtocol):
        pass

    Limited.limits = limits
    return Limited


@functools.cache
def _environment_limits() -> HttpLimits:
    return limits_from_env()
