"""Another process holding the write lock on a SQLite store file until told to let go.

A real second process, not a second connection in the test's own: the store must meet the
lock as it meets another `credgraph` writer or a `sqlite3` shell left in a transaction.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

# BEGIN IMMEDIATE takes the write lock (in WAL mode EXCLUSIVE takes the same one); a write
# inside keeps it; ROLLBACK lets go leaving the file exactly as it was.
HOLDER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
conn.execute("UPDATE credentials SET name = name")
print("locked", flush=True)
sys.stdin.readline()
conn.execute("ROLLBACK")
print("released", flush=True)
"""


class WriteLockHolder:
    def __init__(self, db: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(db)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        assert self.process.stdout is not None
        line = self.process.stdout.readline().strip()
        assert line == "locked", f"the lock holder did not start: {line!r}"
        self.locked_at = time.monotonic()
        self.released_at: float | None = None

    def release(self) -> None:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write("go\n")
        self.process.stdin.flush()
        assert self.process.stdout.readline().strip() == "released"
        self.released_at = time.monotonic()
        assert self.process.wait(10) == 0
        self._close_pipes()

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self._close_pipes()

    def _close_pipes(self) -> None:
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe is not None and not pipe.closed:
                pipe.close()
