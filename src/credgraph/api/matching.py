"""`matchJob`: the credentials that prepare for a job, given one of four ways.

    matchJob(text: "We are hiring a data analyst: SQL, Python, Tableau ...") { ... }

Exactly one of `id` (a stored posting), `url` (a posting page, fetched through the guarded
Fetcher: private networks refused, the page parsed in a worker process under
`fetching.PARSE_SECONDS`), `posting` (a JobPosting JSON-LD object, or an object holding one)
or `text` (a job ad pasted in). Each is bounded before any work: text at `MAX_TEXT_CHARS`,
the posting's JSON at `MAX_POSTING_BYTES`, a URL at `MAX_URL_CHARS`, `first` at `MAX_FIRST`.
Reading the text runs on the process's threads for requests' CPU work (`request_threads`),
under a deadline (`EXTRACT_SECONDS`) that starts when its thread does; a request that waits
`READ_WAIT_SECONDS` for a thread is answered BUSY. The graph's labels it reads against are
built once per store version (`match.index`).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from functools import partial
from typing import Annotated, Any

import orjson
import strawberry
from graphql import GraphQLError
from strawberry.scalars import JSON

from credgraph.api.arguments import InvalidArgument
from credgraph.api.context import ApiInfo, loaders_of, store_of
from credgraph.api.loaders import Loaders, load_present
from credgraph.api.types.credential_match import CredentialMatch
from credgraph.api.types.job_match import JobMatch
from credgraph.api.types.occupation import Occupation
from credgraph.api.types.skill import Skill
from credgraph.errors import BlockedURL, Busy, FetchError
from credgraph.formats.jobposting import read_one_posting
from credgraph.match.asked import Asked, asked_by_posting, asked_by_text
from credgraph.match.fetching import (
    FetchedPosting,
    PostingPageTooSlow,
    PostingURLInvalid,
    checked_posting_url,
    fetch_posting,
)
from credgraph.match.index import VOCABULARIES, GraphVocabulary, VocabularyNotReady
from credgraph.match.matcher import JobMatchResult, match
from credgraph.match.skill_text import ExtractionTimeout
from credgraph.model.jobs import JobPosting
from credgraph.request_threads import REQUEST_THREADS

MAX_TEXT_CHARS = 100_000  # a long job ad is 10-20 thousand characters
MAX_POSTING_BYTES = 256 * 1024
MAX_URL_CHARS = 2048
MAX_FIRST = 50
EXTRACT_SECONDS = 2.0  # reading one job, from when its thread takes it up
# How long a request waits for a thread to read its job on, before it is told the server is
# busy (BUSY, HTTP 503 with Retry-After): with every thread reading, the queue moves by
# readers of at most EXTRACT_SECONDS each.
READ_WAIT_SECONDS = 2.0
# How long a request waits for the graph's first vocabulary to be built (under the
# operation's own 10 s timeout); past it, a TIMEOUT saying the build goes on. With a previous
# version's vocabulary to answer from, a request waits for a rebuild only briefly.
VOCABULARY_WAIT_SECONDS = 8.0
REBUILD_WAIT_SECONDS = 1.0
PASTED_BASE = "https://credgraph.invalid/pasted-posting"  # names a posting with no id or url
INPUTS = ("id", "url", "posting", "text")
# `asked_by_text` or `asked_by_posting`: (graph, what is read, deadline) -> what the job asks
Reader = Callable[[GraphVocabulary, Any, float], Asked]


async def match_job(
    info: ApiInfo,
    id: Annotated[
        strawberry.ID | None, strawberry.argument(description="A stored job posting's id.")
    ] = None,
    url: Annotated[
        str | None,
        strawberry.argument(description="A job posting page (schema.org JobPosting), fetched."),
    ] = None,
    posting: Annotated[
        JSON | None, strawberry.argument(description="A JobPosting JSON-LD object.")
    ] = None,
    text: Annotated[
        str | None,
        strawberry.argument(description=f"A job ad's text, at most {MAX_TEXT_CHARS} characters."),
    ] = None,
    first: Annotated[
        int | None,
        strawberry.argument(description=f"How many credentials at most (0-{MAX_FIRST}); null: 10."),
    ] = 10,
) -> JobMatch:
    given = {"id": id, "url": url, "posting": posting, "text": text}
    named = [name for name in INPUTS if given[name] is not None]
    if len(named) != 1:
        got = "none" if not named else ", ".join(f"`{n}`" for n in named)
        raise InvalidArgument(f"give exactly one of `id`, `url`, `posting` or `text` (got {got})")
    size = 10 if first is None else first
    if not 0 <= size <= MAX_FIRST:
        raise InvalidArgument(f"`first` must be between 0 and {MAX_FIRST}, got {size}")
    store = store_of(info)
    try:
        graph, current = await VOCABULARIES.within(
            store, VOCABULARY_WAIT_SECONDS, REBUILD_WAIT_SECONDS
        )
    except VocabularyNotReady as exc:
        raise GraphQLError(str(exc), extensions={"code": "TIMEOUT"}) from exc
    asked = await _asked(info, graph, named[0], given[named[0]])
    if not current:
        asked.read_warnings.append(
            "read against the graph's skills and occupations as they were before its latest "
            "change: the labels of the new version are still being read"
        )
    loaders = loaders_of(info)

    async def hours_of(ids: Any) -> dict[str, float | None]:
        views = await load_present(loaders.credentials, ids)
        return {v.id: v.credential.duration_hours for v in views}

    # The job's own skills and occupations, which the answer names, read while the match
    # runs (the loaders keep them for `_answer`).
    job_terms = asyncio.ensure_future(_job_terms(loaders, asked))
    try:
        result = await match(
            store, asked, size, hours_of, partial(load_present, loaders.occupations)
        )
    except BaseException:
        # The match's failure is the one said; a task cancelled, or one whose failure is
        # taken here, leaves asyncio nothing to report as never retrieved.
        job_terms.cancel()
        if job_terms.done() and not job_terms.cancelled():
            job_terms.exception()
        raise
    await job_terms
    return await _answer(info, result)


async def _job_terms(loaders: Loaders, asked: Asked) -> None:
    """The job's skills and occupations read into the request's loaders."""
    await asyncio.gather(
        load_present(loaders.skills, asked.skill_ids),
        load_present(loaders.occupations, asked.occupation_ids),
    )


async def _asked(info: ApiInfo, graph: GraphVocabulary, kind: str, value: Any) -> Asked:
    if kind == "text":
        return await _read(asked_by_text, graph, _checked_text(value))
    if kind == "posting":
        return await _read(asked_by_posting, graph, *_pasted_posting(value))
    if kind == "url":
        fetched = await _fetched_posting(_checked_url(value))
        return await _read(asked_by_posting, graph, fetched.posting, fetched.warnings)
    return await _read(asked_by_posting, graph, await _stored_posting(info, str(value)))


async def _read(
    reader: Reader, graph: GraphVocabulary, subject: Any, warnings: Sequence[str] = ()
) -> Asked:
    """Run `reader` on one of the threads for requests' CPU work (`REQUEST_THREADS`): reading
    a long text is CPU work. `warnings`: what reading the posting's JSON left out, said in the
    answer. Waiting for a thread and reading are bounded apart: a request queued behind
    others is told the server is busy (`READ_WAIT_SECONDS`), and one that starts has its
    whole `EXTRACT_SECONDS`, which the reader checks as it goes and stops at."""
    try:
        asked = await REQUEST_THREADS.run(
            partial(_reading, reader, graph, subject), wait=READ_WAIT_SECONDS
        )
    except Busy as exc:
        raise GraphQLError(
            f"the server is busy reading other jobs: {exc}", extensions={"code": "BUSY"}
        ) from exc
    except ExtractionTimeout as exc:
        raise GraphQLError(
            f"reading the job took longer than {EXTRACT_SECONDS:.0f} s: {exc}",
            extensions={"code": "TIMEOUT"},
        ) from exc
    asked.read_warnings[:0] = warnings
    return asked


def _reading(reader: Reader, graph: GraphVocabulary, subject: Any) -> Asked:
    """`reader` under a deadline that starts now, in its thread: time spent queued for the
    thread is not taken from the reading."""
    return reader(graph, subject, time.monotonic() + EXTRACT_SECONDS)


def _checked_text(text: str) -> str:
    if len(text) > MAX_TEXT_CHARS:
        raise InvalidArgument(f"`text` is {len(text)} characters; the limit is {MAX_TEXT_CHARS}")
    if not text.strip():
        raise InvalidArgument("`text` is empty")
    return text


def _pasted_posting(value: Any) -> tuple[JobPosting, list[str]]:
    if not isinstance(value, dict):
        raise InvalidArgument("`posting` must be a JSON object (one schema.org JobPosting)")
    try:
        size = len(orjson.dumps(value))
    except (TypeError, orjson.JSONEncodeError) as exc:
        if "Recursion limit" in str(exc):  # orjson's bound on nesting, 255 levels
            raise InvalidArgument("`posting` is nested too deeply (over 254 levels)") from exc
        raise InvalidArgument(f"`posting` is not plain JSON: {exc}") from exc
    if size > MAX_POSTING_BYTES:
        raise InvalidArgument(
            f"`posting` is {size} bytes of JSON; the limit is {MAX_POSTING_BYTES}"
        )
    read = read_one_posting(value, PASTED_BASE)
    if read.posting is None:
        raise InvalidArgument(
            "`posting` is not a usable JobPosting: " + "; ".join(read.warnings[-2:])
        )
    return read.posting, read.warnings


def _checked_url(url: str) -> str:
    if len(url) > MAX_URL_CHARS:
        raise InvalidArgument(f"`url` is {len(url)} characters; the limit is {MAX_URL_CHARS}")
    try:
        return checked_posting_url(url)
    except PostingURLInvalid as exc:
        raise InvalidArgument(f"`url` {exc}") from exc


async def _fetched_posting(url: str) -> FetchedPosting:
    try:
        return await fetch_posting(url)
    except PostingPageTooSlow as exc:
        # The page's fault or the server's load, not the query's: said as a timeout.
        raise GraphQLError(
            f"`url` could not be read: {exc.reason}", extensions={"code": "TIMEOUT"}
        ) from exc
    except BlockedURL as exc:
        raise InvalidArgument(f"`url` refused: {exc.reason}") from exc
    except FetchError as exc:
        raise InvalidArgument(f"`url` could not be read: {exc}") from exc


async def _stored_posting(info: ApiInfo, posting_id: str) -> JobPosting:
    found = await store_of(info).get_job_postings([posting_id])
    if not found:
        raise InvalidArgument(f"`id` names no stored job posting: {posting_id[:200]!r}")
    return found[0].posting


async def _answer(info: ApiInfo, result: JobMatchResult) -> JobMatch:
    loaders = loaders_of(info)
    asked = result.asked
    skill_ids = list(asked.skill_ids)
    skill_ids += [c.via for m in result.matches for c in m.covered if c.via]
    occupation_ids = list(asked.occupation_ids)
    occupation_ids += [m.occupation.occupation_id for m in result.matches if m.occupation]
    skills, occupations, views = await asyncio.gather(
        load_present(loaders.skills, skill_ids),
        load_present(loaders.occupations, occupation_ids),
        load_present(loaders.credentials, [m.credential_id for m in result.matches]),
    )
    by_skill = {s.id: s for s in skills}
    by_occupation = {o.id: o for o in occupations}
    by_view = {v.id: v for v in views}
    return JobMatch(
        skills=[Skill.from_model(by_skill[i]) for i in asked.skill_ids if i in by_skill],
        occupations=[
            Occupation.from_model(by_occupation[i])
            for i in asked.occupation_ids
            if i in by_occupation
        ],
        unmatched=list(asked.unmatched),
        warnings=[*asked.warnings(), *result.warnings],
        credentials=[
            CredentialMatch.from_model(m, by_view[m.credential_id], by_skill, by_occupation)
            for m in result.matches
            if m.credential_id in by_view
        ],
    )
