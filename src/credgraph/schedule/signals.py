"""Unix signals of the scheduler process: SIGHUP reloads, SIGTERM and SIGINT stop (a second
one stops at once, without waiting for runs to reach a batch boundary)."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Callable


def install(
    loop: asyncio.AbstractEventLoop, *, reload: Callable[[], None], stop: Callable[[], None]
) -> Callable[[], None]:
    """Route the signals to `reload` and `stop`; returns a function that restores them."""
    handled = [signal.SIGTERM, signal.SIGINT]
    loop.add_signal_handler(signal.SIGTERM, stop)
    loop.add_signal_handler(signal.SIGINT, stop)
    if hasattr(signal, "SIGHUP"):  # not on Windows
        loop.add_signal_handler(signal.SIGHUP, reload)
        handled.append(signal.SIGHUP)

    def restore() -> None:
        for sig in handled:
            loop.remove_signal_handler(sig)

    return restore
