"""The near-duplicate rule every job-ad set keeps (SOURCES.md): an ad whose requirement words
are half or more another kept ad's is left out. Standard library only, like the extract
scripts that import it."""

from __future__ import annotations

import re


def word_set(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", text.lower()))


def shared(text: str, other: str) -> float:
    """The share of `text`'s requirement words (title left out) that `other` also has."""
    mine, theirs = word_set(text.split("\n", 1)[1]), word_set(other.split("\n", 1)[1])
    return len(mine & theirs) / len(mine) if mine else 1.0
