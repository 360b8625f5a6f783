"""A verified badge class is linked to the framework skills and occupations of the graph as a
crawl of it would be, in both stores, with one linker shared by verifications and rebuilt
once it is too old; with no frameworks, or none loadable, it is still ingested, unlinked."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from credgraph.errors import StoreUnavailable
from credgraph.formats.base import Document, ParseResult
from credgraph.formats.openbadges import parse
from credgraph.link import (
    EXACT_CODE,
    EXACT_URI,
    LABEL_IN_FRAMEWORK,
    UNRESOLVED,
    Linker,
    link_result,
    load_linker,
)
from credgraph.model.records import OccupationLink, Skill, SkillLink
from credgraph.store import GraphStore
from credgraph.verify import Outcome, SharedLinker, Status, Verifier, verification_settings
from credgraph.verify.linking import CHECK_NAME, RETRY_AFTER_SECONDS
from credgraph.verify.serialise import result_json
from tests.link.taxonomy import ESCO_ML, ESCO_PY, OCCUPATIONS, SKILLS
from tests.stores import STORES, empty_store
from tests.verify.helpers import WORKERS
from tests.verify.ob2_site import Ob2Site, badge_class, ob2_site

ESCO_ROS = "http://data.europa.eu/esco/skill/ros"


@pytest.fixture(params=STORES)
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[GraphStore]:
    async with empty_store(request, tmp_path) as opened:
        yield opened


async def with_frameworks(store: GraphStore) -> GraphStore:
    await store.upsert_skills(SKILLS)
    await store.upsert_occupations(OCCUPATIONS)
    return store


def aligned_badge_class(site: Ob2Site) -> dict[str, Any]:
    """The site's badge class, aligned as issuers write it: a skill named in a framework, one
    by its framework URI, an occupation by its SOC code, and one no framework has."""
    return {**badge_class(site), "alignment": [
        {"targetName": "Python", "targetFramework": "ESCO",
         "targetUrl": "https://example.org/python"},
        {"targetName": "Machine learning", "targetUrl": ESCO_ML},
        {"targetName": "Software Developers", "targetCode": "15-1252.00",
         "targetFramework": "O*NET-SOC", "targetType": "ceterms:Occupation"},
        {"targetName": "Robotics", "targetUrl": "https://example.org/robotics"},
        {"targetName": "Robot Operating System", "targetFramework": "ESCO"},
    ]}  # fmt: skip


def crawled(badge: dict[str, Any]) -> ParseResult:
    """The badge class as a crawl parses it at its URL (before linking)."""
    document = Document(url=badge["id"], text=json.dumps(badge), source_id="badges",
                        format="openbadges", fetched_at=datetime.now(UTC))  # fmt: skip
    return parse(document)


def skill_links(links: Iterable[SkillLink]) -> list[tuple[str, str, str | None, float | None]]:
    return sorted((s.skill.id, s.relation.value, s.method, s.confidence) for s in links)


def occupation_links(links: Iterable[OccupationLink]) -> list[tuple[str, str | None, float | None]]:
    return sorted((o.occupation.id, o.method, o.confidence) for o in links)


class CountingLoad:
    """`load_linker`, counting its calls; `fail` makes it raise as a store that is down."""

    def __init__(self, fail: bool = False) -> None:
        self.calls = 0
        self.fail = fail

    async def __call__(self, store: GraphStore) -> Linker:
        self.calls += 1
        if self.fail:
            raise StoreUnavailable("the database cannot be reached")
        return await load_linker(store)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def verifier_with(shared: SharedLinker) -> Verifier:
    return Verifier(
        verification_settings(allow_private_networks=True), linker=shared, workers=WORKERS
    )


async def test_a_verified_badge_class_is_linked_like_a_crawled_one(store: GraphStore) -> None:
    await with_frameworks(store)
    with ob2_site() as site:
        badge = aligned_badge_class(site)
        site.serve("/badges/robotics.json", badge)
        url = site.serve("/assertions/1.json", site.assertion("/assertions/1.json"))
        result = await verifier_with(SharedLinker()).verify(url=url, store=store)
    assert result.status is Status.VALID
    assert CHECK_NAME not in {c.name for c in result.checks}
    [achievement] = result.achievements
    assert achievement.ingested and achievement.stored is not None

    # The reference: the crawl's own hook over the same badge class, same store.
    [expected] = link_result(await load_linker(store), crawled(badge)).credentials
    definition = achievement.definition
    assert skill_links(definition.skills) == skill_links(expected.skills)
    assert occupation_links(definition.occupations) == occupation_links(expected.occupations)
    methods = {s.skill.id: s.method for s in definition.skills}
    assert (methods[ESCO_PY], methods[ESCO_ML]) == (LABEL_IN_FRAMEWORK, EXACT_URI)
    assert occupation_links(definition.occupations) == [("onet:15-1252.00", EXACT_CODE, 1.0)]

    # What the graph holds: the links point at the framework nodes, with the same method.
    stored = achievement.stored
    assert skill_links(stored.skills) == skill_links(expected.skills)
    assert occupation_links(stored.occupations) == occupation_links(expected.occupations)
    by_id = {s.skill.id: s for s in stored.skills}
    assert by_id[ESCO_PY].skill.name == "Python (computer programming)"
    assert by_id[ESCO_PY].skill.framework == "ESCO"
    assert (by_id[ESCO_PY].method, by_id[ESCO_PY].confidence) == (LABEL_IN_FRAMEWORK, 0.95)
    unresolved = [s for s in stored.skills if s.method == UNRESOLVED]
    assert {s.skill.name for s in unresolved} == {"Robotics", "Robot Operating System"}
    # The framework node itself is untouched by the ingest (its alternative labels stay).
    [python] = await store.get_skills([ESCO_PY])
    assert "Python" in python.alt_labels

    body = result_json(result)["achievements"][0]["definition"]
    assert {
        "id": ESCO_PY,
        "name": "Python (computer programming)",
        "framework": "ESCO",
        "method": LABEL_IN_FRAMEWORK,
        "confidence": 0.95,
    } in body["skills"]


async def verify_twice_concurrently_then_once(verifier: Verifier, store: GraphStore) -> None:
    with ob2_site() as site:
        site.serve("/badges/robotics.json", aligned_badge_class(site))
        urls = [site.serve(f"/assertions/{n}.json", site.assertion(f"/assertions/{n}.json"))
                for n in (1, 2, 3)]  # fmt: skip
        results = list(
            await asyncio.gather(*(verifier.verify(url=u, store=store) for u in urls[:2]))
        )
        results.append(await verifier.verify(url=urls[2], store=store))
    assert [r.status for r in results] == [Status.VALID] * 3
    for result in results:
        linked = {s.skill.id: s.method for s in result.achievements[0].definition.skills}
        assert linked[ESCO_PY] == LABEL_IN_FRAMEWORK


async def test_one_linker_serves_many_verifications(store: GraphStore) -> None:
    await with_frameworks(store)
    load = CountingLoad()
    await verify_twice_concurrently_then_once(verifier_with(SharedLinker(load=load)), store)
    assert load.calls == 1


async def test_a_linker_older_than_its_max_age_is_rebuilt(store: GraphStore) -> None:
    await with_frameworks(store)
    load, clock = CountingLoad(), Clock()
    shared = SharedLinker(max_age_seconds=600, load=load, clock=clock)
    ros = Skill(ESCO_ROS, "Robot Operating System", "ESCO", ESCO_ROS, alt_labels=("ROS",))
    mention = Skill("label:ros", "ROS")

    first = await shared.get(store)
    await store.upsert_skills([ros])  # a taxonomy import adds a node after the build
    clock.now += 599
    assert await shared.get(store) is first  # still fresh: the new node is not known yet
    assert first.link_skill(mention)[1] == UNRESOLVED
    clock.now += 1
    rebuilt = await shared.get(store)
    assert rebuilt is not first and load.calls == shared.builds == 2
    assert rebuilt.link_skill(mention)[0].id == ESCO_ROS


async def test_a_rebuild_that_fails_leaves_the_previous_linker_in_service(
    store: GraphStore,
) -> None:
    await with_frameworks(store)
    load, clock = CountingLoad(), Clock()
    shared = SharedLinker(max_age_seconds=600, load=load, clock=clock)
    first = await shared.get(store)
    load.fail, clock.now = True, clock.now + 600
    assert await shared.get(store) is first
    assert await shared.get(store) is first and load.calls == 2  # not retried at once
    clock.now += RETRY_AFTER_SECONDS
    load.fail = False
    assert await shared.get(store) is not first and shared.builds == 2


async def test_an_empty_store_links_nothing_and_still_ingests(store: GraphStore) -> None:
    load = CountingLoad()
    with ob2_site() as site:
        site.serve("/badges/robotics.json", aligned_badge_class(site))
        url = site.serve("/assertions/1.json", site.assertion("/assertions/1.json"))
        result = await verifier_with(SharedLinker(load=load)).verify(url=url, store=store)
    assert result.status is Status.VALID and load.calls == 1
    assert CHECK_NAME not in {c.name for c in result.checks}
    [achievement] = result.achievements
    assert achievement.ingested and achievement.stored is not None
    assert {s.method for s in achievement.stored.skills} == {UNRESOLVED}
    assert {o.method for o in achievement.stored.occupations} == {UNRESOLVED}
    assert (len(achievement.stored.skills), len(achievement.stored.occupations)) == (4, 1)
    assert (await store.stats()).credentials == 1


async def test_a_linker_that_cannot_be_built_leaves_the_definition_unlinked(
    store: GraphStore,
) -> None:
    await with_frameworks(store)
    load = CountingLoad(fail=True)
    verifier = verifier_with(SharedLinker(load=load))
    with ob2_site() as site:
        badge = aligned_badge_class(site)
        site.serve("/badges/robotics.json", badge)
        url = site.serve("/assertions/1.json", site.assertion("/assertions/1.json"))
        result = await verifier.verify(url=url, store=store)
        again = await verifier.verify(url=url, store=store)
    assert result.status is Status.VALID
    [check] = [c for c in result.checks if c.name == CHECK_NAME]
    assert check.outcome is Outcome.NOT_CHECKED and check.effect is None
    assert "StoreUnavailable" in check.reason
    [achievement] = result.achievements
    assert achievement.ingested and achievement.stored is not None
    [unlinked] = crawled(badge).credentials  # as parsed: the issuer's own alignments
    assert skill_links(achievement.stored.skills) == skill_links(unlinked.skills)
    assert ESCO_PY not in {s.skill.id for s in achievement.stored.skills}
    # A store that just failed is not asked again by the next verification.
    assert again.status is Status.VALID and load.calls == 1
    assert CHECK_NAME in {c.name for c in again.checks}


async def test_no_linker_is_built_without_a_store_or_without_alignments(
    store: GraphStore,
) -> None:
    load = CountingLoad()
    verifier = verifier_with(SharedLinker(load=load))
    with ob2_site() as site:  # its badge class aligns to "Robotics": make it align to nothing
        site.serve("/badges/robotics.json", {**badge_class(site), "alignment": []})
        url = site.serve("/assertions/1.json", site.assertion("/assertions/1.json"))
        with_store = await verifier.verify(url=url, store=store)
        site.serve("/badges/robotics.json", aligned_badge_class(site))
        without_store = await verifier.verify(url=url)
    assert with_store.status is without_store.status is Status.VALID
    assert with_store.achievements[0].ingested
    assert without_store.achievements[0].definition.skills
    assert load.calls == 0
