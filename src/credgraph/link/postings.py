"""Linking a job posting's skills and occupations to canonical taxonomy nodes, exactly as a
credential's are (`Linker.link_skill` / `link_occupation`, method and confidence kept on the
link), and the framework nodes postings name, for the linker to learn.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence

from credgraph.link.off_loop import in_thread, still_current
from credgraph.link.relink import improves
from credgraph.link.resolve import LINK_METHODS, Linker, merge_occupation_links, merge_skill_links
from credgraph.model.jobs import JobPosting
from credgraph.model.records import Occupation, OccupationLink, Skill, SkillLink
from credgraph.store.base import GraphStore
from credgraph.store.jobs import PostingView
from credgraph.store.query import MAX_PAGE_SIZE


def link_posting(linker: Linker, posting: JobPosting) -> JobPosting:
    """A copy whose links point at canonical nodes where the linker finds one. A link made
    already (a method of `LINK_METHODS`) is kept unless it improves as a credential's would
    (`relink.improves`): to a node known only from a mention, once a framework's own node
    stands for it, so linking twice changes nothing and an import moves it."""
    skills = merge_skill_links(_skill(linker, s) for s in posting.skills)
    occupations = merge_occupation_links(_occupation(linker, o) for o in posting.occupations)
    if skills == posting.skills and occupations == posting.occupations:
        return posting
    return dataclasses.replace(posting, skills=skills, occupations=occupations)


def _skill(linker: Linker, link: SkillLink) -> SkillLink:
    linked = link.method in LINK_METHODS
    if linked and not linker.index.skills.is_from_mention(link.skill.id):
        return link
    skill, method, confidence = linker.link_skill(link.skill)
    if linked and not improves(
        link.method, link.confidence, link.skill.id, method, confidence, skill.id,
        old_from_mention=True,
    ):  # fmt: skip
        return link
    return SkillLink(skill, link.relation, method, confidence)


def _occupation(linker: Linker, link: OccupationLink) -> OccupationLink:
    linked = link.method in LINK_METHODS
    if linked and not linker.index.occupations.is_from_mention(link.occupation.id):
        return link
    occupation, method, confidence = linker.link_occupation(link.occupation)
    if linked and not improves(
        link.method, link.confidence, link.occupation.id, method, confidence, occupation.id,
        old_from_mention=True,
    ):  # fmt: skip
        return link
    return OccupationLink(occupation, method, confidence)


def posting_nodes(postings: Iterable[JobPosting]) -> list[Skill | Occupation]:
    nodes: list[Skill | Occupation] = []
    for p in postings:
        nodes.extend(link.skill for link in p.skills)
        nodes.extend(link.occupation for link in p.occupations)
    return nodes


def link_postings(
    linker: Linker | None, postings: list[JobPosting]
) -> tuple[list[JobPosting], list[Skill | Occupation]]:
    """`postings` linked, and the framework nodes they brought that the linker learned."""
    if linker is None or not postings:
        return postings, []
    arrived = linker.learn(posting_nodes(postings), from_mentions=True)
    return [link_posting(linker, p) for p in postings], arrived


async def relink_postings(
    store: GraphStore,
    linker: Linker,
    batch: int = 500,
    *,
    stop_point: Callable[[], None] = lambda: None,
) -> int:
    """Re-link every stored posting whose links the linker can now improve (after a taxonomy
    import), page by page; how many postings changed. `stop_point` as `relink`'s."""
    changed = 0
    after: str | None = None
    while True:
        stop_point()
        page = await store.list_job_postings(first=max(1, min(batch, MAX_PAGE_SIZE)), after=after)
        better = await in_thread(_better, linker, page.items)
        better = await still_current(
            better,
            page.items,
            lambda view: view.posting,
            store.get_job_postings,
            lambda moved: in_thread(_better, linker, moved),
        )
        if better:
            report = await store.upsert_job_postings(better)
            changed += report.created + report.updated
        if not page.has_next_page or page.end_cursor is None:
            return changed
        after = page.end_cursor


def _better(linker: Linker, views: Sequence[PostingView]) -> list[JobPosting]:
    """The postings of `views` whose links `linker` improves (run in a thread: linking is
    CPU, seconds for a page of new labels)."""
    return [
        new for view in views if (new := link_posting(linker, view.posting)) is not view.posting
    ]
