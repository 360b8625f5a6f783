"""A real HTTP server on 127.0.0.1 for crawl tests: routes with ETags, Last-Modified, delays,
stalls, truncation, redirects, rate limits and failures, and a log of every request."""

from __future__ import annotations

import gzip
import hashlib
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    body: bytes | str = b""
    status: int = 200
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)
    etag: bool = True  # answer If-None-Match with 304
    last_modified: str | None = None  # answer If-Modified-Since with 304 when equal
    delay: float = 0.0  # before the status line
    stall_after: int | None = None  # send this many body bytes, then hang
    drip: float | None = None  # send the body a byte at a time, this many seconds apart
    truncate_to: int | None = None  # declare the full length, send only this many bytes
    fail_first: int = 0  # answer the first N requests with fail_status
    fail_status: int = 503
    retry_after: str | None = None
    gzip_encoding: bool = False
    dynamic: Callable[[], bytes] | None = None  # a new body on every request
    hits: int = 0

    def payload(self) -> bytes:
        if self.dynamic is not None:
            return self.dynamic()
        return self.body.encode() if isinstance(self.body, str) else self.body


@dataclass
class Hit:
    path: str
    headers: dict[str, str]
    status: int


class CatalogServer:
    """Serve `routes` (path -> Route) on 127.0.0.1 on a free port, in a thread."""

    def __init__(self, routes: dict[str, Route] | None = None) -> None:
        self.routes: dict[str, Route] = routes or {}
        self.log: list[Hit] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out in two writes; with Nagle on, the body waits for the
            # client's delayed ACK of the headers (about 40 ms a response on loopback).
            disable_nagle_algorithm = True

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                server._handle(self)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        # shutdown() waits for the loop's next poll: 0.5 s by default, paid by every test.
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def hits(self, path: str) -> list[Hit]:
        with self._lock:
            return [h for h in self.log if h.path == path]

    def _record(self, handler: BaseHTTPRequestHandler, status: int) -> None:
        with self._lock:
            self.log.append(
                Hit(handler.path, {k.lower(): v for k, v in handler.headers.items()}, status)
            )

    def _handle(self, h: BaseHTTPRequestHandler) -> None:
        route = self.routes.get(h.path)
        if route is None:
            self._send(h, 404, b'{"error": "not found"}', "application/json", {})
            return
        with self._lock:
            route.hits += 1
            hit_number = route.hits
        if route.delay and self._stop.wait(route.delay):
            return
        if hit_number <= route.fail_first:
            extra = {"Retry-After": route.retry_after} if route.retry_after else {}
            self._send(h, route.fail_status, b"busy", "text/plain", extra)
            return
        body = route.payload()
        headers = dict(route.headers)
        if route.etag and route.status == 200:
            tag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            headers["ETag"] = tag
            if h.headers.get("If-None-Match") == tag:
                self._send(h, 304, b"", None, headers)
                return
        if route.last_modified and route.status == 200:
            headers["Last-Modified"] = route.last_modified
            if h.headers.get("If-Modified-Since") == route.last_modified:
                self._send(h, 304, b"", None, headers)
                return
        if route.gzip_encoding:
            body = gzip.compress(body)
            headers["Content-Encoding"] = "gzip"
        self._send(h, route.status, body, route.content_type, headers, route)

    def _send(
        self,
        h: BaseHTTPRequestHandler,
        status: int,
        body: bytes,
        content_type: str | None,
        headers: dict[str, str],
        route: Route | None = None,
    ) -> None:
        self._record(h, status)
        try:
            h.send_response(status)
            if content_type:
                h.send_header("Content-Type", content_type)
            for key, value in headers.items():
                h.send_header(key, value)
            h.send_header("Content-Length", str(len(body)))
            h.end_headers()
            if route is not None and route.stall_after is not None:
                h.wfile.write(body[: route.stall_after])
                h.wfile.flush()
                self._stop.wait(30)
                return
            if route is not None and route.drip is not None:
                for at in range(len(body)):  # never silent past a read timeout, never done
                    if self._stop.wait(route.drip):
                        return
                    h.wfile.write(body[at : at + 1])
                    h.wfile.flush()
                return
            if route is not None and route.truncate_to is not None:
                h.wfile.write(body[: route.truncate_to])
                h.wfile.flush()
                h.close_connection = True
                return
            h.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def __enter__(self) -> CatalogServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@contextmanager
def serving(routes: dict[str, Route]) -> Iterator[CatalogServer]:
    with CatalogServer(routes) as server:
        yield server


def wait_for(predicate: Callable[[], bool], timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    return predicate()
