"""The embedded SQLite store (stdlib sqlite3, WAL, FTS5)."""

from credgraph.store.sqlite.store import SQLiteStore

__all__ = ["SQLiteStore"]
