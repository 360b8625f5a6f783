"""Skill gaps on every store: required, covered, missing, and a small greedy cover."""

from __future__ import annotations

from credgraph.analysis import skill_gap
from credgraph.analysis.skill_gap import greedy_cover
from credgraph.model.views import SkillCoverage
from credgraph.store import GraphStore
from tests.contract import data
from tests.contract.test_reads import CLOUD, DA, ETHICS, MSC
from tests.contract.test_writes import load


async def test_gap_for_someone_with_a_badge(store: GraphStore) -> None:
    await load(store)
    gap = await skill_gap(store, data.DATA_SCI.id, have=[DA])
    assert [r.skill_id for r in gap.required] == [
        data.STATS.id,
        data.PY.id,
        data.SQL.id,
        data.ETHICS.id,
        data.CLOUD.id,
    ]
    assert gap.covered == (data.STATS.id, data.PY.id, data.SQL.id)
    assert gap.missing == (data.ETHICS.id, data.CLOUD.id)
    # MSC covers ethics (and much else); CLOUD covers cloud computing. ETHICS (the course)
    # also covers ethics but MSC is more transparent, so MSC is picked first.
    assert [r.credential_id for r in gap.recommendations] == [MSC, CLOUD]
    assert gap.uncoverable == ()


async def test_gap_from_raw_skills_and_nothing(store: GraphStore) -> None:
    await load(store)
    gap = await skill_gap(store, data.DATA_SCI.id, have=[data.CLOUD.id, data.ETHICS.id])
    assert set(gap.covered) == {data.CLOUD.id, data.ETHICS.id}
    # DA and MSC both cover statistics, Python and SQL at once; DA discloses more.
    views = {v.id: v.transparency.score for v in await store.get_credentials([DA, MSC])}
    assert views[DA] > views[MSC]
    assert [r.credential_id for r in gap.recommendations] == [DA]
    empty = await skill_gap(store, "onet:99-9999.00")
    assert (empty.required, empty.missing, empty.recommendations) == ((), (), ())


def cov(cid: str, skills: set[str], transparency: float, cost: float | None) -> SkillCoverage:
    return SkillCoverage(cid, frozenset(skills), transparency, cost)


def test_greedy_cover_ties_and_stops() -> None:
    picks = greedy_cover(
        {"a", "b", "c", "d"},
        [
            cov("x", {"a", "b"}, 50, 100.0),
            cov("y", {"a", "b"}, 70, 900.0),  # same gain, more transparent: wins
            cov("z", {"c"}, 10, None),
            cov("w", {"c"}, 10, 5.0),  # same gain and transparency, known lower cost: wins
        ],
    )
    assert [p.credential_id for p in picks] == ["y", "w"]  # nothing covers "d": stop
    assert greedy_cover(set(), [cov("x", {"a"}, 1, 1.0)]) == []
    assert ETHICS  # the course exists in the data set used above
