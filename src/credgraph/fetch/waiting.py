"""The deadline of the document being fetched, which waiting for the host does not spend.

`Fetcher.fetch` gives a document twice the timeout (`timeout_seconds`) for robots.txt, its
redirects, retries and body. Politeness waits are another matter: a turn behind the host's
other requests, its delay or Crawl-delay, a server's `Retry-After` (bounded by their own
settings). Counted against the document, a host asking for 30 s between requests would fail
every document after its first. So the deadline is held still while the transport waits
(`not_spent`), and moved on by as long as the wait took.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar

# The running fetch's deadline, in the task that fetches (a context variable: a task made
# during the fetch, as robots.txt's shared one is, sets its own).
FETCH_DEADLINE: ContextVar[asyncio.Timeout | None] = ContextVar("fetch_deadline", default=None)


@asynccontextmanager
async def not_spent() -> AsyncIterator[None]:
    """A wait that does not spend the running fetch's deadline."""
    deadline = FETCH_DEADLINE.get()
    when = deadline.when() if deadline is not None else None
    if deadline is None or when is None or deadline.expired():
        yield
        return
    loop = asyncio.get_running_loop()
    began = loop.time()
    deadline.reschedule(None)
    try:
        yield
    finally:
        deadline.reschedule(when + (loop.time() - began))
