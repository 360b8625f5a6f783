"""Reading the configuration again (on SIGHUP, or when the file changes): a valid new one
takes effect, an invalid one is reported and the old one stays in force."""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Awaitable, Callable
from pathlib import Path

from credgraph.config import load_config
from credgraph.config.sources import Config
from credgraph.errors import ConfigError
from credgraph.schedule.logs import LOG, log_event


def read_new_config(path: Path) -> Config | None:
    """The configuration at `path`, or None (logged with every problem) if it is invalid."""
    try:
        return load_config(path)
    except ConfigError as exc:
        log_event(
            LOG, logging.ERROR, "config invalid; the previous one stays in force",
            path=str(path), problems=exc.problems,
        )  # fmt: skip
        return None


def _signature(path: Path) -> tuple[int, int] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


async def watch(path: Path, every: float, on_change: Callable[[], Awaitable[None]]) -> None:
    """Call `on_change` when the file's modification time or size changes (polling: one
    stat call per `every` seconds costs nothing and works on every filesystem and mount)."""
    seen = _signature(path)
    while True:
        await asyncio.sleep(every)
        now = _signature(path)
        if now != seen:
            seen = now
            try:
                await on_change()
            except Exception as exc:  # the watch outlives a reload that fails
                log_event(
                    LOG, logging.ERROR, "config reload failed; still watching",
                    path=str(path), error=f"{type(exc).__name__}: {exc}",
                )  # fmt: skip
