"""A sample job-board page for `credgraph demo`: job ads that embed credential cards and a job
card with `/embed.js`, served on its own loopback port, so it is another origin than the API
(as a real job board is) and the demo API allows it through CORS.

A job ad is (title, text, card, id): `card` is "credential" (`data-credgraph-credential`, one
credential) or "job" (`data-credgraph-job`, the credentials that prepare for a stored posting).
One card names an id the graph does not hold, to show how the embed words "not found"."""

from __future__ import annotations

import threading
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PATH = "/jobs.html"
UNKNOWN_ID = "demo:no-such-credential"
CARDS = ("credential", "job")
JobAd = tuple[str, str, str, str]

_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sample job board · credgraph demo</title>
<style>
body {{ font: 16px/1.5 Georgia, serif; margin: 0; background: #f7f5f0; color: #222; }}
main {{ max-width: 44rem; margin: 0 auto; padding: 1rem; }}
.job {{ background: #fff; border: 1px solid #ddd; border-radius: 6px; padding: 1rem; margin: 1rem 0; }}
.job h2 {{ margin: 0 0 .3rem; font-size: 1.2rem; }}
.note {{ color: #666; font-size: .9rem; }}
</style>
</head>
<body>
<main>
<h1>Sample job board</h1>
<p class="note">This page is served on {board}, another origin than the credgraph API on
{api}; the API allows it in CREDGRAPH_CORS_ORIGINS. Each ad embeds a card with
<code>&lt;script src="{api}/embed.js"&gt;</code>: a credential with
<code>&lt;div data-credgraph-credential="ID"&gt;</code>, or the credentials that prepare for a
posting with <code>&lt;div data-credgraph-job="POSTING URL OR ID"&gt;</code>.</p>
{jobs}
</main>
<script src="{api}/embed.js" async></script>
</body>
</html>
"""

_JOB = """<article class="job">
<h2>{title}</h2>
<p>{text}</p>
<div data-credgraph-{card}="{id}"></div>
</article>"""


def job_board_page(api: str, board: str, jobs: list[JobAd]) -> str:
    """The page for `jobs` ((title, text, card, id) each), embedding cards from `api`."""
    unknown = sorted({card for _, _, card, _ in jobs} - set(CARDS))
    if unknown:
        raise ValueError(f"job ad card {unknown[0]!r} is not one of {', '.join(CARDS)}")
    items = "\n".join(
        _JOB.format(title=escape(title), text=escape(text), card=card, id=escape(id_))
        for title, text, card, id_ in jobs
    )
    return _PAGE.format(api=escape(api), board=escape(board), jobs=items)


class JobBoardServer:
    """Serve one job-board page on 127.0.0.1 (a free port), in a thread; `base` is its origin,
    known before the page is set (the API must allow it first)."""

    def __init__(self) -> None:
        self.page = b""
        server = self

        class Handler(BaseHTTPRequestHandler):
            disable_nagle_algorithm = True  # headers and body in two writes: no ACK waited for

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                found = self.path.split("?")[0] in (PATH, "/")
                body = server.page if found else b"not found"
                self.send_response(200 if found else 404)
                self.send_header(
                    "Content-Type", "text/html; charset=utf-8" if found else "text/plain"
                )
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.url = self.base + PATH
        # shutdown() waits for the loop's next poll (0.5 s by default): stopping is prompt.
        self._thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def show(self, api: str, jobs: list[JobAd]) -> None:
        self.page = job_board_page(api, self.base, jobs).encode("utf-8")

    def __enter__(self) -> JobBoardServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
