"""`credgraph match "TEXT"` or `credgraph match --url URL`: the credentials of the graph that
prepare for a job ad, as a table (rank, credential, coverage, score, why)."""

from __future__ import annotations

import asyncio
import sys
import time

import click
from rich.console import Console
from rich.table import Table

from credgraph.api.matching import EXTRACT_SECONDS, MAX_FIRST, MAX_TEXT_CHARS
from credgraph.cli.common import fail, shown
from credgraph.cli.options import existing_store, store_option
from credgraph.errors import CredgraphError
from credgraph.match.asked import asked_by_posting, asked_by_text
from credgraph.match.fetching import checked_posting_url, fetch_posting
from credgraph.match.index import VOCABULARIES
from credgraph.match.matcher import JobMatchResult, match
from credgraph.match.skill_text import ExtractionTimeout
from credgraph.store import open_store


class MatchInputError(ValueError):
    """The command line names no job to read."""


@click.command("match")
@click.argument("text", required=False)
@click.option(
    "--url",
    default=None,
    metavar="URL",
    help="A job posting page (schema.org JobPosting) to fetch instead of TEXT.",
)
@click.option(
    "--first",
    default=10,
    show_default=True,
    type=click.IntRange(1, MAX_FIRST),
    help="How many credentials at most.",
)
@store_option
def match_command(text: str | None, url: str | None, first: int, store_url: str | None) -> None:
    """Credentials that prepare for a job: TEXT is a job ad ("-" reads it from stdin), or
    --url names a posting page. Prints the skills and occupations found, then the
    credentials ranked by coverage of the job's skills, occupation alignment, transparency,
    hours and cost. Exit 2 on bad input."""
    try:
        if text == "-":
            text = sys.stdin.read(MAX_TEXT_CHARS + 1)
        if (text is None) == (url is None):
            raise MatchInputError("give exactly one of TEXT or --url")
        if text is not None and len(text) > MAX_TEXT_CHARS:
            raise MatchInputError(f"TEXT is over {MAX_TEXT_CHARS} characters")
        if text is not None and not text.strip():
            raise MatchInputError("TEXT is empty")
        if url is not None:
            checked_posting_url(url)  # before the store is opened
        result, names = asyncio.run(_match(text, url, first, store_url))
    except (MatchInputError, CredgraphError, ExtractionTimeout, OSError) as exc:
        fail(exc)
    _print(result, names)


async def _match(
    text: str | None, url: str | None, first: int, store_url: str | None
) -> tuple[JobMatchResult, dict[str, str]]:
    async with open_store(existing_store(store_url)) as store:
        graph = await VOCABULARIES.get(store)
        deadline = time.monotonic() + EXTRACT_SECONDS
        if url is not None:
            fetched = await fetch_posting(url)
            asked = await asyncio.to_thread(asked_by_posting, graph, fetched.posting, deadline)
            asked.read_warnings[:0] = fetched.warnings
        else:
            asked = await asyncio.to_thread(asked_by_text, graph, text or "", deadline)
        result = await match(store, asked, first)
        names = {s.id: s.name for s in await store.get_skills(asked.skill_ids)}
        names.update(
            (o.id, f"{o.name} ({o.code})" if o.code else o.name)
            for o in await store.get_occupations(asked.occupation_ids)
        )
        views = await store.get_credentials([m.credential_id for m in result.matches])
        names.update((v.id, v.credential.name) for v in views)
        via = [c.via for m in result.matches for c in m.covered if c.via]
        names.update((s.id, s.name) for s in await store.get_skills(via))
        return result, names


def _print(result: JobMatchResult, names: dict[str, str]) -> None:
    console = Console()
    asked = result.asked

    def listed(ids: list[str]) -> str:
        return ", ".join(names.get(i, i) for i in ids) or "none"

    console.print(f"[bold]skills:[/] {shown(listed(asked.skill_ids))}", highlight=False)
    console.print(f"[bold]occupations:[/] {shown(listed(asked.occupation_ids))}", highlight=False)
    if asked.unmatched:
        console.print(
            f"[bold]not in the graph:[/] {shown(', '.join(asked.unmatched))}", highlight=False
        )
    for warning in [*asked.warnings(), *result.warnings]:
        console.print(f"[bold yellow]warning:[/] {shown(warning)}", highlight=False)
    table = Table()
    for column in ("#", "credential", "coverage", "score", "why"):
        table.add_column(column)
    for n, m in enumerate(result.matches, 1):
        covered = ", ".join(
            names.get(c.skill_id, c.skill_id)
            + (f" (through {names.get(c.via, c.via)})" if c.via else "")
            for c in m.covered
        )
        missing = ", ".join(names.get(s, s) for s in m.missing)
        why = (f"covers {covered}" if covered else "") + (f"; missing {missing}" if missing else "")
        if m.occupation is not None:
            why += f"; prepares for {names.get(m.occupation.occupation_id, m.occupation.occupation_id)}"
        table.add_row(
            str(n),
            shown(names.get(m.credential_id, m.credential_id)),
            f"{m.coverage:.0%}",
            f"{m.score:.2f}",
            shown(why.strip("; ")),
        )
    if result.matches:
        console.print(table)
    else:
        console.print("no credential in the graph covers these skills or occupations")
