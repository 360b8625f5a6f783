"""Whether a port can be listened on, checked before a command does slow work (a crawl) and
prints URLs that would not answer."""

from __future__ import annotations

import socket

from credgraph.errors import CredgraphError


class PortInUseError(CredgraphError):
    """The port a command would serve on is taken."""


def check_port_free(host: str, port: int, option: str, example: str) -> None:
    """Raise PortInUseError naming `option` (the way to move it) when `host`:`port` is taken."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        # As uvicorn binds: a port left in TIME_WAIT by a previous run counts as free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise PortInUseError(
                f"cannot listen on {host}:{port} ({reason.lower()}): another program uses it; "
                f"choose another port with {option}, e.g. `{example}`"
            ) from exc
