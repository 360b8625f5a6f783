"""Alternate names as publishers write them (CTDL `ceterms:alternateName`, Open Badges and
schema.org `alternateName`): the abbreviations and short forms ("PMP", "SAA-C03") people
put on a resume, which `credgraph.resolving` matches. Each format finds the raw values; this
keeps the usable ones the same way for all of them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from credgraph.formats.normalise import clean_text
from credgraph.model.validation import MAX_NAME

MAX_ALTERNATE_NAMES = 20  # a record listing more is listing something else (keywords)


def alternate_names(values: Iterable[Any], name: str) -> tuple[str, ...]:
    """Distinct one-line texts other than `name`, each short enough for a name, at most
    `MAX_ALTERNATE_NAMES`; values that are not text are left out."""
    out: dict[str, None] = {}
    seen = {name.casefold()}
    for value in values:
        # text, or JSON-LD's {"@value": text}; a number is an id, not a name
        text = clean_text(value) if isinstance(value, str | dict) else None
        if not text:
            continue
        text = " ".join(text.split())
        if len(text) > MAX_NAME or text.casefold() in seen:
            continue
        seen.add(text.casefold())
        out[text] = None
        if len(out) == MAX_ALTERNATE_NAMES:
            break
    return tuple(out)
