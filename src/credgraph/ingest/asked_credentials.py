"""The credentials a job posting asks for, resolved to stored credentials: the one place
that does it.

A posting names credentials three ways: an EducationalOccupationalCredential with a `url`,
one with a `name`, and names written in its `qualifications` text. Each is tried in order,
first hit wins:

1. `by_url`: the URL is a stored credential's id, CTID or page URL (exact, normalised).
2. `by_name`: the name equals a stored credential's name, normalised (case, accents,
   punctuation and spacing folded); for `qualifications`, each phrase the text lists
   (`candidate_phrases`) is tried as a name. A name no credential has exactly goes to the
   resume-name resolver (`credgraph.resolving`: alternate names, published codes, acronyms,
   issuer names, fuzzy matching), and counts only when its best match is confident
   (`CONFIDENT`, above the 0.5 that names the graph does not hold stay under) and clearly
   ahead of the next one.

A name matching several stored credentials exactly, or two nearly as well, resolves to none
of them (ambiguous), so demand is never counted for the wrong one.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence

from credgraph.model.jobs import JobPosting
from credgraph.resolving.service import MAX_NAME_CHARS, MAX_NAMES, resolve_names
from credgraph.store.ports import GraphReader

_PHRASE_SPLIT = re.compile(r"\s*(?:[\n;•·|]|,\s|\.\s|\(|\)|\s(?:or|and|and/or)\s)\s*", re.I)
_FILLER = re.compile(
    r"^(?:an?|the|current|valid|active|must hold|holds?|have|has|possession of|preferred:?"
    r"|required:?)\s+|\s+(?:is|are)?\s*(?:preferred|required|desired|a plus|or equivalent"
    r"|certification|certificate|certified|credential|badge|micro-credential|license|licence)\.?$",
    re.I,
)
MAX_PHRASES = 64
MAX_PHRASE = 160
CONFIDENT = 0.85  # a resolved name's confidence before a posting is counted as asking for it
AHEAD = 0.1  # and its lead over the second-best credential


def candidate_phrases(text: str | None) -> list[str]:
    """Phrases of a qualifications text that may be credential names: its list items,
    clauses and parenthesised parts, with fillers such as "preferred" taken off.

    >>> candidate_phrases("CompTIA Security+ certification preferred; PMP or CAPM")
    ['CompTIA Security+ certification preferred', 'CompTIA Security+ certification', 'CompTIA Security+', 'PMP', 'CAPM']
    """
    found: list[str] = []
    for part in _PHRASE_SPLIT.split(text or ""):
        phrase = " ".join(part.split()).strip(" .:-")
        while phrase:
            if len(phrase) <= MAX_PHRASE and phrase not in found:
                found.append(phrase)
            shorter = _FILLER.sub("", phrase).strip(" .:-")
            if shorter == phrase:
                break
            phrase = shorter
    return found[:MAX_PHRASES]


async def by_url(store: GraphReader, urls: Sequence[str]) -> dict[str, str]:
    return await store.resolve_credential_ids(list(dict.fromkeys(urls)))


async def by_name(store: GraphReader, names: Sequence[str]) -> dict[str, str]:
    """Names to the one stored credential each names, exactly or else confidently through
    the name resolver; ambiguous names are left out."""
    # The index of the graph as last built (built once, then rebuilt in the background when
    # the graph changes): a posting crawl writes employers page after page, and waiting for a
    # fresh index of the whole catalogue on each page would cost a rebuild per page.
    unique = list(dict.fromkeys(names))
    found = await store.credential_ids_by_name(unique)
    hits = {name: ids[0] for name, ids in found.items() if len(ids) == 1}
    rest = [n for n in unique if not found.get(n) and len(n) <= MAX_NAME_CHARS]
    for start in range(0, len(rest), MAX_NAMES):
        batch = rest[start : start + MAX_NAMES]
        for name, matches in zip(batch, await resolve_names(store, batch, 2), strict=True):
            if (
                matches
                and matches[0].confidence >= CONFIDENT
                and (len(matches) == 1 or matches[0].confidence - matches[1].confidence >= AHEAD)
            ):
                hits[name] = matches[0].credential_id
    return hits


async def resolve_asked(store: GraphReader, postings: Iterable[JobPosting]) -> list[JobPosting]:
    """`postings` with `asked_ids` set to the stored credentials they ask for."""
    postings = list(postings)
    urls = [a.url for p in postings for a in p.asked if a.url]
    names = [a.name for p in postings for a in p.asked if a.name]
    names += [n for p in postings for n in candidate_phrases(p.qualifications)]
    if not urls and not names:
        return postings
    url_hits = await by_url(store, urls) if urls else {}
    name_hits = await by_name(store, names) if names else {}
    out = []
    for p in postings:
        ids: list[str] = []
        for asked in p.asked:
            hit = (url_hits.get(asked.url) if asked.url else None) or (
                name_hits.get(asked.name) if asked.name else None
            )
            if hit:
                ids.append(hit)
        ids += [hit for n in candidate_phrases(p.qualifications) if (hit := name_hits.get(n))]
        resolved = tuple(dict.fromkeys(ids))
        out.append(p if resolved == p.asked_ids else dataclasses.replace(p, asked_ids=resolved))
    return out
