"""The parts of a job ad that say nothing about the skills the job needs.

    text = mask_boilerplate(ad)   # same length; boilerplate replaced by dots

An ad carries sections every posting of its employer repeats: the equal-opportunity and
accommodation statements, benefits and pay, how to apply, the employer's "about us". Their
words are labels of a broad vocabulary ("military service", "health insurance", "training
and development", "diversity") without the job asking for them. Two things mark them:

* a **heading** naming such a section ("## How to Apply", "Benefits:", "**Equal Employment
  Opportunity**", "EEO Statement"): what follows it, up to the next heading, is skipped;
* a **statement** that is boilerplate wherever it stands ("... is an equal opportunity
  employer", "without regard to race", "reasonable accommodation"): its line is skipped.

A heading is a line of at most eight words that is a Markdown heading, written in bold, in
capitals, or ending with a colon. The text keeps its length, so offsets into it are offsets
into the ad; dots stop a phrase from being read across a masked part.
"""

from __future__ import annotations

import re

MAX_HEADING_WORDS = 8

_SECTION = re.compile(
    r"(?:(?:our|the) )?(?:"
    r"equal (?:employment )?opportunit(?:y|ies)(?: employer)?|eeo|eoe|"
    r"(?:reasonable )?accommodations?|"
    r"benefits?|perks|(?:benefits|salary|pay) (?:and|&) (?:perks|benefits)|"
    r"perks (?:and|&) benefits|compensation(?: (?:and|&) benefits)?|salary|pay|"
    r"what we offer|why work (?:with|for|at) us|"
    r"how to apply|to apply|application process|next steps|"
    r"about us|about the (?:company|agency|employer|organi[sz]ation)|"
    r"privacy(?: notice| policy)?|legal(?: notice)?|disclaimer|"
    r"(?:commitment to )?diversity(?:,? equity,? (?:and|&) inclusion)?"
    r")(?: statement| information| policy| notice)?",
    re.IGNORECASE,
)
_STATEMENT = re.compile(
    r"equal (?:employment )?opportunity employer|\bEOE\b|without regard to (?:their )?"
    r"(?:race|age|sex|religion|color|colour)|reasonable accommodations?|does not discriminate"
    r"|(?:discriminat\w+|harassment) (?:on the basis|based on) ",
    re.IGNORECASE,
)
_MARKUP = re.compile(r"^[#\s*_>-]+|[\s*_:]+$")


def heading(line: str) -> str | None:
    """The words of `line` if it is written as a heading, else None."""
    stripped = line.strip()
    if not stripped:
        return None
    words = _MARKUP.sub("", stripped)
    if not words or len(words.split()) > MAX_HEADING_WORDS:
        return None
    marked = (
        stripped.startswith("#")
        or (stripped.startswith(("**", "__")) and stripped.rstrip(":").endswith(("**", "__")))
        or stripped.endswith(":")
        or (words.isupper() and len(words) > 3)
    )
    return words if marked else None


def mask_boilerplate(text: str) -> str:
    """`text` with its boilerplate sections and statements replaced by dots."""
    if not text:
        return text
    out: list[str] = []
    skipping = False
    for line in text.splitlines(keepends=True):
        title = heading(line)
        if title is not None:
            skipping = _SECTION.fullmatch(title) is not None
        if skipping or _STATEMENT.search(line):
            body = line.rstrip("\r\n")
            out.append("." * len(body) + line[len(body) :])
        else:
            out.append(line)
    return "".join(out)
