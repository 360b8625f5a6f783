"""What an ad says the employer already has, not what it asks of the person.

    text = mask_owned(ad)   # same length; the employer's own expertise replaced by dots

An ad describing its organisation names skills its people already hold: "enables managers to
call upon in-house expertise in user research, design and analytics", "building on existing
capability in data science". Those skills are the team's context, not the job's demand;
"experience in user research" or "we expect expertise in design" still ask. The marker is an
owner word that says the expertise is there already ("in-house", "existing", "internal")
before a word for expertise, and what it is in: from "in", "of", "on" or "across" to the
end of the sentence or list item.
"""

from __future__ import annotations

import re

_OWNED = re.compile(
    r"\b(?:in-house|existing|internal)\s+(?:[\w-]+\s+)?"
    r"(?:expertise|capabilit(?:y|ies)|skills?|knowledge|specialists|experts)"
    r"\s+(?:in|of|on|across)\s+([^.;:!?\n]+)",
    re.IGNORECASE,
)


def mask_owned(text: str) -> str:
    """`text` with what the employer's own expertise is in replaced by dots."""
    parts: list[str] = []
    done = 0
    for m in _OWNED.finditer(text):
        start, end = m.span(1)
        parts += [text[done:start], "." * (end - start)]
        done = end
    return "".join(parts) + text[done:] if parts else text
