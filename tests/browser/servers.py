"""The servers a browser test talks to: `credgraph serve` (a real uvicorn) over a loaded SQLite
store, and a plain job-board page on another local port (another origin)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx


def serve_api(store_url: str, port: int, env: Mapping[str, str]) -> subprocess.Popen[str]:
    """`credgraph serve` on 127.0.0.1:`port`, returned once `/healthz` answers."""
    process = subprocess.Popen(
        [sys.executable, "-c", "from credgraph.cli.main import main; main()", "serve",
         "--store", store_url, "--host", "127.0.0.1", "--port", str(port)],
        env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"credgraph serve exited early:\n{process.communicate()[1]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return process
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"credgraph serve did not start:\n{process.communicate()[1]}")
        time.sleep(0.1)


@contextmanager
def static_site(port: int, pages: Mapping[str, str]) -> Iterator[str]:
    """Serve `pages` ({path: html}) on 127.0.0.1:`port`; yields the base URL."""

    class Handler(BaseHTTPRequestHandler):
        disable_nagle_algorithm = True  # headers and body in two writes: no ACK waited for

        def do_GET(self) -> None:
            html = pages.get(self.path.split("?")[0])
            body = (html or "not found").encode()
            self.send_response(200 if html else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # quiet test output
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    # shutdown() waits for the loop's next poll: 0.5 s by default.
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
    )
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.shutdown()
        server.server_close()
