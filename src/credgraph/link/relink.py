"""Re-linking stored credentials after the vocabulary changed (a taxonomy arrived later).

`relink` walks every credential in keyset pages and re-resolves the links that are not yet
canonical: `unresolved` ones, and links written before linking ran (a parser's own method,
or none). A link is replaced only by a better one (`improves`): a canonical link always
beats a non-canonical one; a canonical link is replaced only by one to another node with a
strictly higher confidence, or, when it points at a node known only from a mention (an
alignment's own `onet-content-model:2.A.1.e`, stored before O*NET was), by an equally sure
one to another node (O*NET's `onet:2.A.1.e`, which the mention's node gives way to). So
nothing already linked is lost, and running it twice changes nothing the second time.

A canonical link embeds the node, not the issuer's words: a `fuzzy` link cannot be re-tried
from the original mention later; only unresolved mentions keep their words.

`relink_mentions` is the targeted pass for framework nodes that arrive one by one (a crawled
alignment naming an ESCO URI): only the credentials that mention one of the nodes' labels as
an issuer-local `label:` skill or occupation are read and re-linked.

Changed credentials are upserted through the ordinary port, so the store versions them. The
port has no "relink" write: an upsert also counts as a sighting (last seen = now, miss count
reset, stale cleared), so stale credentials are skipped unless `include_stale` is set, and
each upsert carries the credential's most recent provenance so its source stays the same.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from credgraph.link.off_loop import in_thread, still_current
from credgraph.link.resolve import (
    LINK_METHODS,
    Linker,
    merge_occupation_links,
    merge_skill_links,
)
from credgraph.model.ids import normalise_label
from credgraph.model.records import Credential, Occupation, OccupationLink, Skill, SkillLink
from credgraph.model.views import CredentialView, RejectedRecord
from credgraph.store.base import GraphStore
from credgraph.store.query import MAX_PAGE_SIZE, CredentialFilter


@dataclass
class RelinkReport:
    examined: int = 0  # credentials read
    changed: int = 0  # credentials upserted with better links
    links_improved: int = 0  # skill and occupation links replaced by better ones
    still_unresolved: int = 0  # links left non-canonical after the pass
    skipped_stale: int = 0
    updated: int = 0  # as the store reported the upserts
    rejected: list[RejectedRecord] = field(default_factory=list)


def improves(
    old_method: str | None,
    old_confidence: float | None,
    old_id: str,
    new_method: str,
    new_confidence: float | None,
    new_id: str,
    *,
    old_from_mention: bool = False,
) -> bool:
    """Whether a new resolution should replace an existing link. `old_from_mention`: the
    link's node is known only from a mention; the resolver found another node for it, which
    the mention's node gave way to, so an equal confidence is enough."""
    if new_method not in LINK_METHODS:
        return False
    if old_method not in LINK_METHODS:
        return True
    if new_id == old_id:
        return False
    old, new = old_confidence or 0.0, new_confidence or 0.0
    return new >= old if old_from_mention else new > old


def relink_credential(linker: Linker, c: Credential) -> tuple[Credential, int, int]:
    """(credential with better links, links improved, links still not canonical)."""
    improved = unresolved = 0
    skills: list[SkillLink] = []
    for link in c.skills:
        node, method, confidence = linker.link_skill(link.skill)
        if improves(
            link.method,
            link.confidence,
            link.skill.id,
            method,
            confidence,
            node.id,
            old_from_mention=linker.index.skills.is_from_mention(link.skill.id),
        ):
            link = SkillLink(node, link.relation, method, confidence)
            improved += 1
        unresolved += link.method not in LINK_METHODS
        skills.append(link)
    occupations: list[OccupationLink] = []
    for olink in c.occupations:
        onode, method, confidence = linker.link_occupation(olink.occupation)
        if improves(
            olink.method,
            olink.confidence,
            olink.occupation.id,
            method,
            confidence,
            onode.id,
            old_from_mention=linker.index.occupations.is_from_mention(olink.occupation.id),
        ):
            olink = OccupationLink(onode, method, confidence)
            improved += 1
        unresolved += olink.method not in LINK_METHODS
        occupations.append(olink)
    if not improved:
        return c, 0, unresolved
    relinked = dataclasses.replace(
        c, skills=merge_skill_links(skills), occupations=merge_occupation_links(occupations)
    )
    return relinked, improved, unresolved


def _relinked(
    linker: Linker, views: Sequence[CredentialView], report: RelinkReport, include_stale: bool
) -> list[Credential]:
    """The credentials of `views` whose links `linker` improves, relinked, counted in
    `report` (run in a thread: linking is CPU, seconds for a page of new labels)."""
    changed: list[Credential] = []
    for view in views:
        report.examined += 1
        if view.stale and not include_stale:
            report.skipped_stale += 1
            continue
        relinked, improved, unresolved = relink_credential(linker, view.credential)
        report.still_unresolved += unresolved
        if improved:
            report.links_improved += improved
            changed.append(_with_provenance(view, relinked))
    return changed


def _with_provenance(view: CredentialView, c: Credential) -> Credential:
    if c.provenance is not None or not view.provenance:
        return c
    latest = max(view.provenance, key=lambda p: p.fetched_at)
    return dataclasses.replace(c, provenance=latest)


async def relink(
    store: GraphStore,
    linker: Linker,
    batch: int = 500,
    *,
    include_stale: bool = False,
    stop_point: Callable[[], None] = lambda: None,
) -> RelinkReport:
    """Re-link every stored credential whose links can be improved; upsert the changed ones
    page by page. Returns counts. `stop_point` is called before each page: it raises to end
    the pass there (a run asked to stop), every page before it whole."""
    report = RelinkReport()
    size = max(1, min(batch, MAX_PAGE_SIZE))
    after: str | None = None
    while True:
        stop_point()
        page = await store.list_credentials(first=size, after=after)
        await _relink_views(store, linker, page.items, report, include_stale=include_stale)
        if not page.has_next_page or page.end_cursor is None:
            return report
        after = page.end_cursor


def label_ids(nodes: Iterable[Skill | Occupation]) -> list[str]:
    """The `label:` ids an issuer's mention of one of these nodes' labels would have."""
    found: dict[str, None] = {}
    for node in nodes:
        for text in (node.name, *node.alt_labels):
            if key := normalise_label(text):
                found["label:" + key] = None
    return list(found)


async def relink_mentions(
    store: GraphStore, linker: Linker, nodes: Sequence[Skill | Occupation]
) -> RelinkReport:
    """Re-link the stored credentials that mention a label of one of `nodes` (framework nodes
    the linker just learned) as a `label:` skill or occupation."""
    report = RelinkReport()
    skills = label_ids(n for n in nodes if isinstance(n, Skill))
    occupations = label_ids(n for n in nodes if isinstance(n, Occupation))
    stored = {s.id for s in await store.get_skills(skills)}
    stored |= {o.id for o in await store.get_occupations(occupations)}
    seen: set[str] = set()
    for label_id in (*skills, *occupations):
        if label_id not in stored:
            continue
        by_skill = label_id in skills
        wanted = (
            CredentialFilter(skills=(label_id,))
            if by_skill
            else CredentialFilter(occupations=(label_id,))
        )
        after: str | None = None
        while True:
            page = await store.list_credentials(wanted, first=MAX_PAGE_SIZE, after=after)
            fresh = [v for v in page.items if v.id not in seen]
            seen.update(v.id for v in fresh)
            await _relink_views(store, linker, fresh, report, include_stale=False)
            if not page.has_next_page or page.end_cursor is None:
                break
            after = page.end_cursor
    return report


async def _relink_views(
    store: GraphStore,
    linker: Linker,
    views: Sequence[CredentialView],
    report: RelinkReport,
    *,
    include_stale: bool,
) -> None:
    changed = await in_thread(_relinked, linker, views, report, include_stale)
    changed = await still_current(
        changed,
        views,
        lambda view: view.credential,
        store.get_credentials,
        lambda moved: in_thread(_relinked, linker, moved, RelinkReport(), include_stale),
    )
    if changed:
        upserted = await store.upsert_credentials(changed)
        report.changed += upserted.updated + upserted.created
        report.updated += upserted.updated
        report.rejected.extend(upserted.rejected)
