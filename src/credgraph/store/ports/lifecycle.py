"""The lifecycle role of a store: open, close, answer a ping, check itself.

Every adapter has it; a caller that only reads or writes gets a store already opened.
"""

from __future__ import annotations

import abc
from types import TracebackType
from typing import Protocol, Self

from credgraph.errors import StoreError
from credgraph.store.check import CheckReport


class StoreLifecycle(Protocol):
    """A connection to one database, named by its (masked) URL."""

    url: str

    @abc.abstractmethod
    async def open(self) -> None:
        """Connect and create or migrate the schema (idempotent)."""

    @abc.abstractmethod
    async def close(self) -> None: ...

    async def __aenter__(self) -> Self:
        await self.open()
        return self

    async def __aexit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    @abc.abstractmethod
    async def ping(self) -> None:
        """Raise StoreUnavailable unless the database answers."""

    async def check(self) -> CheckReport:
        """A read-only consistency check of the whole store (`credgraph store check`): dangling
        references, credentials without their issuer, counts read two ways, orphans by kind.
        Adapters override it; the default says it is not supported."""
        raise StoreError(f"{type(self).__name__} has no consistency check")
