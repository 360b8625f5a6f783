"""The last guard of a check against a document of the wrong shape: a field that should be a
string holding a list or an object, an object where a list was expected. Each check names the
fields it reads and says what is wrong with them; this guard is for the shapes it did not
foresee, so that a stranger's document ends as a named NOT_CHECKED check rather than a crash
of the whole verification (a 500 from /verify).

    with malformed_as_check(checks, "revocation", f"status list {url}"):
        ...read the list...
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from credgraph.verify.result import Checks

# What Python raises when code written for one shape meets another: a list used as a set
# member or dict key, a number iterated, a string indexed like an object.
MALFORMED = (TypeError, AttributeError, KeyError, IndexError)


_KINDS = {dict: "an object", list: "a list", str: "a string", bool: "a boolean",
          int: "a number", float: "a number"}  # fmt: skip


def shape(value: object) -> str:
    """A value as a reason quotes it: its JSON kind and the start of its text."""
    if value is None:
        return "null"
    kind = _KINDS.get(type(value), type(value).__name__)
    return f"{kind} {repr(value)[:80]}"


@contextmanager
def malformed_as_check(checks: Checks, name: str, where: str) -> Iterator[None]:
    """Record an unforeseen shape met inside the block as NOT_CHECKED `name`, naming `where`."""
    try:
        yield
    except MALFORMED as exc:
        checks.not_checked(
            name, f"{where} is malformed, so it could not be read ({type(exc).__name__}: {exc})"
        )
