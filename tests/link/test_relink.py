from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from credgraph.formats.base import ParseResult
from credgraph.link import (
    EXACT_URI,
    FUZZY,
    LABEL_ANY_FRAMEWORK,
    UNRESOLVED,
    Linker,
    link_result,
    load_linker,
    relink,
    relink_credential,
)
from credgraph.link.index import TaxonomyIndex
from credgraph.model.crawl import Source
from credgraph.model.records import Credential, Provenance, Skill, SkillLink
from credgraph.store import GraphStore, open_store
from tests.link.taxonomy import ESCO_ML, OCCUPATIONS, SKILLS
from tests.stores import history_of

FETCHED = datetime(2026, 1, 5, tzinfo=UTC)
PROV = Provenance("src", "https://badges.example/page1", "openbadges", FETCHED)


def local(name: str) -> Skill:
    return Skill("label:" + name.lower(), name)


def badge(n: int, *links: SkillLink) -> Credential:
    return Credential(f"https://badges.example/{n}", f"Badge {n}", skills=links, provenance=PROV)


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[GraphStore]:
    async with open_store(f"sqlite:///{tmp_path / 'graph.db'}") as opened:
        await opened.upsert_sources([Source("src", "openbadges", ("https://badges.example/",))])
        yield opened


def test_relink_credential_keeps_what_is_linked() -> None:
    linker = Linker(TaxonomyIndex.from_records(SKILLS, OCCUPATIONS))
    ml = linker.index.skills.refs[ESCO_ML]
    c = badge(
        1,
        SkillLink(ml, method=FUZZY, confidence=0.91),  # linked: the mention is gone
        SkillLink(local("Critical Thinking"), method="credly:skills", confidence=1.0),
        SkillLink(local("Basket weaving"), method=UNRESOLVED),
    )
    relinked, improved, unresolved = relink_credential(linker, c)
    assert (improved, unresolved) == (1, 1)
    assert [(s.skill.id, s.method, s.confidence) for s in relinked.skills] == [
        (ESCO_ML, FUZZY, 0.91),  # never "upgraded" to exact-uri by re-reading its own node
        ("onet:2.A.2.a", LABEL_ANY_FRAMEWORK, 0.9),
        ("label:basket weaving", UNRESOLVED, None),
    ]
    assert relink_credential(linker, relinked) == (relinked, 0, 1)


async def test_relink_after_a_taxonomy_arrives(store: GraphStore) -> None:
    early = [
        badge(
            n,
            SkillLink(local("Critical Thinking"), method="credly:skills"),
            SkillLink(local("Machine Learning")),
            SkillLink(local("Basket weaving")),
        )
        for n in range(7)
    ]
    await store.upsert_credentials(early)
    before = await load_linker(store)  # nothing canonical yet
    assert len(before.index) == 0
    assert (await relink(store, before, batch=3)).changed == 0

    await store.upsert_skills(SKILLS)  # the taxonomy arrives
    report = await relink(store, await load_linker(store), batch=3)
    assert (report.examined, report.changed, report.links_improved) == (7, 7, 14)
    assert report.still_unresolved == 7 and not report.rejected

    [view] = await store.get_credentials(["https://badges.example/3"])
    links = {(s.skill.id, s.method) for s in view.credential.skills}
    assert links == {
        ("onet:2.A.2.a", LABEL_ANY_FRAMEWORK),
        (ESCO_ML, LABEL_ANY_FRAMEWORK),
        ("label:basket weaving", None),
    }
    assert [p.source_id for p in view.provenance] == ["src"]
    history = await history_of(store, "https://badges.example/3")
    assert [c.field for c in history[-1].changes] == ["skills"]
    covering = await store.credentials_covering(["onet:2.A.2.a"])
    assert len(covering) == 7

    again = await relink(store, await load_linker(store))
    assert (again.examined, again.changed, again.links_improved) == (7, 0, 0)


async def test_a_stop_point_ends_the_pass_between_pages(store: GraphStore) -> None:
    await store.upsert_credentials(
        [badge(n, SkillLink(local("Critical Thinking"))) for n in range(7)]
    )
    await store.upsert_skills(SKILLS)
    pages = 0

    def stop_after_two_pages() -> None:
        nonlocal pages
        pages += 1
        if pages == 3:
            raise RuntimeError("asked to stop")

    with pytest.raises(RuntimeError, match="asked to stop"):
        await relink(store, await load_linker(store), batch=3, stop_point=stop_after_two_pages)
    linked = [
        v.id
        for v in await store.get_credentials([f"https://badges.example/{n}" for n in range(7)])
        if v.credential.skills[0].skill.id == "onet:2.A.2.a"
    ]
    assert len(linked) == 6  # two whole pages, nothing of the third
    rest = await relink(store, await load_linker(store), batch=3)
    assert rest.changed == 1


async def test_relink_leaves_stale_credentials_alone(store: GraphStore) -> None:
    await store.upsert_credentials([badge(1, SkillLink(local("Critical Thinking")))])
    await store.mark_missed("src", [], threshold=1)
    await store.upsert_skills(SKILLS)
    report = await relink(store, await load_linker(store))
    assert (report.skipped_stale, report.changed) == (1, 0)
    [view] = await store.get_credentials(["https://badges.example/1"])
    assert view.stale
    forced = await relink(store, await load_linker(store), include_stale=True)
    assert forced.changed == 1


async def test_crawl_hook_links_a_parse_result(store: GraphStore) -> None:
    await store.upsert_skills(SKILLS)
    linker = await load_linker(store)
    result = ParseResult(
        credentials=[badge(1, SkillLink(Skill(ESCO_ML, "ML", "ESCO", ESCO_ML)))],
        skills=[local("Framework skill")],
    )
    linked = link_result(linker, result)
    assert linked is not result and linked.skills == result.skills
    assert linked.credentials[0].skills[0].method == EXACT_URI
    assert link_result(None, result) is result
    assert link_result(linker, linked) is linked  # nothing left to link
