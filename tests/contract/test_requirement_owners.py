"""Contract: a taxonomy source owns the requirements it states; replacing an occupation's
requirements for one owner makes them exactly what it now states and leaves other owners'
alone, on every adapter."""

from __future__ import annotations

from credgraph.model.records import Skill, SkillRequirement
from credgraph.store import GraphStore
from tests.contract import data

ONET = "taxonomy onet"
OTHER = "taxonomy onet-technology"


async def nodes(store: GraphStore) -> None:
    await store.upsert_skills([data.SQL, data.PY, data.STATS, data.ETHICS, data.CLOUD])
    await store.upsert_occupations([data.DATA_SCI, data.DBA])


async def required(store: GraphStore, occupation_id: str) -> list[tuple[str, float | None]]:
    return [
        (r.skill_id, r.importance) for r in await store.occupation_required_skills(occupation_id)
    ]


def need(occupation_id: str, skill: Skill, importance: float | None) -> SkillRequirement:
    return SkillRequirement(occupation_id, skill, importance, "importance")


async def test_a_newer_release_drops_changes_and_keeps(store: GraphStore) -> None:
    await nodes(store)
    first = await store.replace_skill_requirements(
        ONET,
        [data.DATA_SCI.id],
        [
            need(data.DATA_SCI.id, data.PY, 4.5),
            need(data.DATA_SCI.id, data.STATS, 4.8),
            need(data.DATA_SCI.id, data.SQL, 3.9),
        ],
    )
    assert (first.created, first.updated, first.unchanged, first.deleted) == (3, 0, 0, 0)
    stats = await store.stats()
    again = await store.replace_skill_requirements(
        ONET,
        [data.DATA_SCI.id],
        [need(data.DATA_SCI.id, data.PY, 4.0), need(data.DATA_SCI.id, data.STATS, 4.8)],
    )
    assert (again.created, again.updated, again.unchanged, again.deleted) == (0, 1, 1, 1)
    assert await required(store, data.DATA_SCI.id) == [(data.STATS.id, 4.8), (data.PY.id, 4.0)]
    assert (await store.stats()).relationships == stats.relationships - 1


async def test_an_occupation_the_release_states_nothing_for_loses_its_requirements(
    store: GraphStore,
) -> None:
    await nodes(store)
    await store.replace_skill_requirements(
        ONET,
        [data.DATA_SCI.id, data.DBA.id],
        [need(data.DATA_SCI.id, data.PY, 4.5), need(data.DBA.id, data.SQL, 4.9)],
    )
    report = await store.replace_skill_requirements(
        ONET, [data.DATA_SCI.id, data.DBA.id], [need(data.DBA.id, data.SQL, 4.9)]
    )
    assert (report.created, report.updated, report.unchanged, report.deleted) == (0, 0, 1, 1)
    assert await required(store, data.DATA_SCI.id) == []
    assert await required(store, data.DBA.id) == [(data.SQL.id, 4.9)]


async def test_another_owners_requirements_are_left_alone(store: GraphStore) -> None:
    await nodes(store)
    await store.replace_skill_requirements(ONET, [], [need(data.DATA_SCI.id, data.PY, 4.5)])
    await store.replace_skill_requirements(OTHER, [], [need(data.DATA_SCI.id, data.CLOUD, None)])
    report = await store.replace_skill_requirements(ONET, [data.DATA_SCI.id], [])
    assert report.deleted == 1
    assert await required(store, data.DATA_SCI.id) == [(data.CLOUD.id, None)]
    # The pair another owner states last is its: the first owner's replacement keeps it.
    await store.replace_skill_requirements(ONET, [], [need(data.DATA_SCI.id, data.CLOUD, 2.0)])
    await store.replace_skill_requirements(OTHER, [], [need(data.DATA_SCI.id, data.CLOUD, 3.0)])
    assert (await store.replace_skill_requirements(ONET, [data.DATA_SCI.id], [])).deleted == 0
    assert await required(store, data.DATA_SCI.id) == [(data.CLOUD.id, 3.0)]


async def test_requirements_stored_without_an_owner_are_taken_over(store: GraphStore) -> None:
    """Requirements stored before they had owners (by `upsert_skill_requirements`) belong
    to the first source that replaces the occupation's."""
    await nodes(store)
    await store.upsert_skill_requirements(data.REQUIREMENTS)
    report = await store.replace_skill_requirements(
        ONET, [data.DATA_SCI.id], [need(data.DATA_SCI.id, data.STATS, 4.8)]
    )
    assert (report.created, report.deleted) == (0, 4)
    assert await required(store, data.DATA_SCI.id) == [(data.STATS.id, 4.8)]


async def test_unknown_occupations_are_rejected_and_the_rest_replaced(store: GraphStore) -> None:
    await nodes(store)
    report = await store.replace_skill_requirements(
        ONET,
        ["onet:99-9999.00", data.DATA_SCI.id],
        [need("onet:99-9999.00", data.PY, 3.0), need(data.DATA_SCI.id, data.PY, 4.5)],
    )
    assert report.created == 1
    assert [r.record_id for r in report.rejected] == ["onet:99-9999.00"]
    assert await required(store, data.DATA_SCI.id) == [(data.PY.id, 4.5)]


async def test_an_unchanged_replacement_writes_nothing(store: GraphStore) -> None:
    await nodes(store)
    stated = [need(data.DATA_SCI.id, data.PY, 4.5), need(data.DATA_SCI.id, data.SQL, 3.9)]
    await store.replace_skill_requirements(ONET, [data.DATA_SCI.id], stated)
    version = await store.graph_version()
    report = await store.replace_skill_requirements(ONET, [data.DATA_SCI.id], stated)
    assert (report.created, report.updated, report.unchanged, report.deleted) == (0, 0, 2, 0)
    assert await store.graph_version() == version
