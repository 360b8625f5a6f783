"""Network failures in words people recognise as network failures (DNS, refused connection,
timeout), so that they are not mistaken for a policy such as a robots.txt refusal."""

from __future__ import annotations

import httpx


def network_failure(exc: httpx.HTTPError) -> str:
    """ "DNS failure: cannot resolve x.example: ...", "network failure: timed out ..."..."""
    detail = str(exc) or type(exc).__name__
    if isinstance(exc, httpx.TimeoutException):
        return f"network failure: timed out ({type(exc).__name__})"
    if "cannot resolve" in detail or "Name or service not known" in detail:
        return f"DNS failure: {detail}"
    if isinstance(exc, httpx.TransportError):
        return f"network failure: {detail}"
    return f"connection failed: {detail}"
