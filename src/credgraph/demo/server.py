"""A tiny static HTTP server on 127.0.0.1 for the bundled demo catalogs.

Files under `catalogs/` are served with `{base}` replaced by this server's origin, so links
inside them work on whatever port it got. A request path maps to a file as it is, or with
`.json` / `.html` appended (the query string is ignored); `/onet/release.zip` is the `onet/`
folder zipped with fixed timestamps; `/real/<host>/<path>` is a real document at its own URL
(`demo.hosted`), served as recorded. Every answer carries an ETag and honours If-None-Match.
"""

from __future__ import annotations

import hashlib
import io
import threading
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.resources import files
from importlib.resources.abc import Traversable
from urllib.parse import unquote, urlsplit

from credgraph.demo.hosted import hosted_files

ONET_RELEASE = "/onet/release.zip"
_TYPES = {
    ".json": "application/json",
    ".html": "text/html; charset=utf-8",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".zip": "application/zip",
}


def catalog_root() -> Traversable:
    return files("credgraph.demo").joinpath("catalogs")


def _find(root: Traversable, path: str) -> Traversable | None:
    parts = [p for p in unquote(path).split("/") if p]
    if any(p in (".", "..") for p in parts):
        return None
    node = root
    for part in parts[:-1]:
        node = node.joinpath(part)
    if not parts:
        return None
    for name in (parts[-1], parts[-1] + ".json", parts[-1] + ".html"):
        candidate = node.joinpath(name)
        if candidate.is_file():
            return candidate
    return None


def _zip_folder(folder: Traversable) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in sorted(folder.iterdir(), key=lambda t: t.name):
            if item.is_file():
                info = zipfile.ZipInfo(f"db_demo_text/{item.name}", date_time=(2026, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, item.read_bytes())
    return buffer.getvalue()


class DemoCatalogServer:
    """Serve the bundled catalogs on 127.0.0.1 (a free port unless given), in a thread."""

    def __init__(self, port: int = 0) -> None:
        self.root = catalog_root()
        self.hits: dict[int, int] = {}
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out in two writes; with Nagle on, the body waits for the
            # client's delayed ACK of the headers (about 40 ms a response on loopback, most
            # of the demo's crawl).
            disable_nagle_algorithm = True

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                server._handle(self)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.httpd.daemon_threads = True
        self.port = int(self.httpd.server_address[1])
        self.base = f"http://127.0.0.1:{self.port}"
        self._zip = _zip_folder(self.root.joinpath("onet"))
        self._hosted = {
            path: self.root.joinpath("real", name) for path, name in hosted_files().items()
        }
        # shutdown() waits for the loop's next poll (0.5 s by default): stopping is prompt.
        self._thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def url(self, path: str) -> str:
        return self.base + path

    def body(self, path: str) -> tuple[bytes, str] | None:
        """The bytes and content type served for a path, or None (404)."""
        path = urlsplit(path).path
        if path == ONET_RELEASE:
            return self._zip, _TYPES[".zip"]
        found = self._hosted.get(path) or _find(self.root, path)
        if found is None:
            return None
        suffix = "." + found.name.rsplit(".", 1)[-1] if "." in found.name else ""
        text = found.read_text(encoding="utf-8").replace("{base}", self.base)
        return text.encode("utf-8"), _TYPES.get(suffix, "application/octet-stream")

    def _handle(self, h: BaseHTTPRequestHandler) -> None:
        answer = self.body(h.path)
        status, body, headers = 404, b"not found", {"Content-Type": "text/plain"}
        if answer is not None:
            body, content_type = answer
            tag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
            headers = {"Content-Type": content_type, "ETag": tag, "Cache-Control": "no-cache"}
            status = 304 if h.headers.get("If-None-Match") == tag else 200
            if status == 304:
                body = b""
        with self._lock:
            self.hits[status] = self.hits.get(status, 0) + 1
        try:
            h.send_response(status)
            for key, value in headers.items():
                h.send_header(key, value)
            h.send_header("Content-Length", str(len(body)))
            h.end_headers()
            h.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def start(self) -> DemoCatalogServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> DemoCatalogServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
