"""Causal consistency across a process: one set of bookmarks per Neo4j database, shared by
every store this process opens on it.

On a cluster a read routed to a follower or read replica may run before that server has
applied the last write. A transaction that starts with the bookmarks of earlier ones waits
until its server has caught up with them, so a process that writes, then reads, sees its
own writes. The driver's own bookmark manager is per driver, and a process often holds more
than one store on the same database (the API beside an in-process crawl, `credgraph verify`
adding a definition, then reading it back, tests opening a second store): sharing the
bookmarks per (URI, database) makes all of them one causal chain.

Across processes there is no chain (an API replica does not wait for a scheduler's writes);
a reader that needs another process's write waits for the cluster to replicate it, which a
primary acknowledges only once a majority holds it.
"""

from __future__ import annotations

import threading
from collections.abc import Collection

from neo4j.api import AsyncBookmarkManager


class SharedBookmarks(AsyncBookmarkManager):
    """The latest bookmarks of one database: a transaction's new bookmarks replace those it
    started from (the driver's default policy), under a thread lock because a process may run
    stores on more than one event loop (uvicorn beside a worker thread, tests)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._bookmarks: set[str] = set()

    async def update_bookmarks(
        self, previous_bookmarks: Collection[str], new_bookmarks: Collection[str]
    ) -> None:
        if not new_bookmarks:
            return
        with self._lock:
            self._bookmarks.difference_update(previous_bookmarks)
            self._bookmarks.update(new_bookmarks)

    async def get_bookmarks(self) -> Collection[str]:
        with self._lock:
            return set(self._bookmarks)


_registry_lock = threading.Lock()
_registry: dict[tuple[str, str | None], SharedBookmarks] = {}


def bookmarks_for(uri: str, database: str | None) -> SharedBookmarks:
    """This process's bookmarks for `database` (None: the server's default) at `uri`."""
    with _registry_lock:
        return _registry.setdefault((uri, database), SharedBookmarks())
