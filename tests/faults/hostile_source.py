"""A real HTTP server on 127.0.0.1 that serves one catalog page and can turn hostile.

`tests/crawl/server.py` answers per route; a fault here has to act on the connection itself
(a reset is a TCP RST, not a status), so this server is small and switched by `mode`:

- "good": the catalog page, whole;
- "hang": headers declaring the full length and half the body, then silence;
- "trickle": the body one byte every `trickle_gap` seconds, so no single read times out;
- "reset": the request is read, then the socket is closed with SO_LINGER 0 (an RST);
- "changing": a different document on every request (new records, damaged JSON, an HTML
  error page, bytes that are not text), in turn.
"""

from __future__ import annotations

import json
import socket
import struct
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.crawl.catalogs import ISSUER, badge, page

PATH = "/badges"


class HostileSource:
    def __init__(self, badge_numbers: range = range(1, 4)) -> None:
        self.mode = "good"
        self.badge_numbers = badge_numbers
        self.trickle_gap = 0.2
        self.requests = 0
        self._stop = threading.Event()
        source = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body in two writes: no ACK waited for

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                source._handle(self)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        # shutdown() waits for the loop's next poll: 0.5 s by default, paid by every test.
        self._thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )

    @property
    def url(self) -> str:
        return self.base + PATH

    def listing(self, numbers: range) -> bytes:
        badges = [badge(n, f"Badge {n}", skills=[f"Skill {n}"]) for n in numbers]
        return page(badges, None, self.base).encode()

    def _changing(self, n: int) -> bytes:
        kinds: list[Callable[[], bytes]] = [
            lambda: self.listing(range(100 + n, 102 + n)),
            lambda: self.listing(range(1, 4))[: 40 + n],
            lambda: b"<html><body>Maintenance</body></html>",
            lambda: bytes(range(256)) * 4,
        ]
        return kinds[n % len(kinds)]()

    def _handle(self, h: BaseHTTPRequestHandler) -> None:
        if h.path == "/robots.txt":
            self._send(h, b"User-agent: *\nAllow: /\n", "text/plain")
            return
        if h.path == "/issuer":
            issuer = json.dumps(ISSUER).replace("{base}", self.base).encode()
            self._send(h, issuer, "application/json")
            return
        if h.path != PATH:
            self._send(h, b"{}", "application/json", status=404)
            return
        self.requests += 1
        mode = self.mode
        if mode == "reset":
            # SO_LINGER on with a zero timeout: close() sends RST instead of FIN.
            h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            h.close_connection = True
            h.connection.close()
            return
        body = (
            self._changing(self.requests)
            if mode == "changing"
            else self.listing(self.badge_numbers)
        )
        try:
            h.send_response(200)
            h.send_header("Content-Type", "application/json")
            h.send_header("Content-Length", str(len(body)))
            h.end_headers()
            if mode == "hang":
                h.wfile.write(body[: len(body) // 2])
                h.wfile.flush()
                self._stop.wait(60)
                h.close_connection = True
            elif mode == "trickle":
                for i in range(len(body)):
                    if self._stop.wait(self.trickle_gap):
                        break
                    h.wfile.write(body[i : i + 1])
                    h.wfile.flush()
                h.close_connection = True
            else:
                h.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            h.close_connection = True

    def _send(
        self, h: BaseHTTPRequestHandler, body: bytes, content_type: str, status: int = 200
    ) -> None:
        h.send_response(status)
        h.send_header("Content-Type", content_type)
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)

    def __enter__(self) -> HostileSource:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()
