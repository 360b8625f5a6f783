"""What every command shares: the consoles, running async work with credgraph's errors as one
line on stderr and exit code 2, and opening the store a command works on."""

from __future__ import annotations

import asyncio
import re
import sys
from collections.abc import Awaitable, Callable
from typing import NoReturn, TypeVar

from rich.console import Console
from rich.markup import escape

from credgraph.errors import CredgraphError
from credgraph.store import GraphStore, default_store_url, open_store

T = TypeVar("T")
console = Console()
err_console = Console(stderr=True, soft_wrap=True)
for _c in (console, err_console):
    if not _c.is_terminal:  # piped or captured: tables wide enough to read without wrapping
        _c.width = max(_c.width, 140)


# C0 and C1 control characters and DEL, but for line breaks and tabs: an escape sequence in a
# crawled name or a name given on the command line would reach the terminal, which acts on it
# (a title set, the screen cleared). Rich drops some of them, not ESC.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def shown(text: str) -> str:
    """`text` safe to print in rich markup: its markup escaped, its control characters but
    line breaks and tabs written out as escapes (`\\x1b`)."""
    return escape(_CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode(), text))


def fail(exc: Exception, code: int = 2) -> NoReturn:
    """Print `exc` as one error line on stderr and exit with `code` (2: bad input)."""
    err_console.print(f"[bold red]error:[/] {shown(str(exc))}", highlight=False)
    sys.exit(code)


def run(work: Callable[[], Awaitable[T]]) -> T:
    """Run async work; credgraph's own errors become one line on stderr and exit code 2."""
    try:
        return asyncio.run(work())  # type: ignore[arg-type]
    except CredgraphError as exc:
        fail(exc)


async def with_store(url: str | None, work: Callable[[GraphStore], Awaitable[T]]) -> T:
    async with open_store(url or default_store_url()) as store:
        return await work(store)
