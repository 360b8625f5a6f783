"""Skill gaps on every store: required, covered (the skill or an equivalent), missing, and the
recommendations in their three rounds (exact cover, equivalent cover, the occupation itself),
each saying why."""

from __future__ import annotations

from credgraph.analysis import skill_gap
from credgraph.analysis.occupations import related_occupations
from credgraph.analysis.skill_gap import (
    COVERS,
    COVERS_EQUIVALENT,
    EQUIVALENT_COVER,
    EXACT,
    OCCUPATION,
    PREPARES_FOR,
    greedy_cover,
)
from credgraph.model.records import (
    Credential,
    Equivalence,
    Occupation,
    OccupationLink,
    Skill,
    SkillLink,
    SkillRequirement,
)
from credgraph.model.values import NodeKind
from credgraph.model.views import SkillCoverage
from credgraph.store import GraphStore
from credgraph.store.equivalence import CloseMatchEdge
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
    assert [(r.credential_id, r.round) for r in gap.recommendations] == [
        (MSC, EXACT),
        (CLOUD, EXACT),
    ]
    msc = gap.recommendations[0]
    assert [(r.kind, r.skill_id or r.occupation_id) for r in msc.reasons] == [
        (COVERS, data.ETHICS.id),
        (PREPARES_FOR, data.DATA_SCI.id),
    ]
    assert gap.uncoverable == ()


async def test_gap_from_raw_skills_and_nothing(store: GraphStore) -> None:
    await load(store)
    gap = await skill_gap(store, data.DATA_SCI.id, have=[data.CLOUD.id, data.ETHICS.id])
    assert set(gap.covered) == {data.CLOUD.id, data.ETHICS.id}
    # DA and MSC both cover statistics, Python and SQL at once; DA discloses more. MSC
    # still prepares for Data Scientists: recommended after the cover, saying so.
    views = {v.id: v.transparency.score for v in await store.get_credentials([DA, MSC])}
    assert views[DA] > views[MSC]
    assert [(r.credential_id, r.round) for r in gap.recommendations] == [
        (DA, EXACT),
        (MSC, OCCUPATION),
    ]
    [why] = gap.recommendations[1].reasons
    assert (why.kind, why.occupation_id, why.relation) == (PREPARES_FOR, data.DATA_SCI.id, "same")
    empty = await skill_gap(store, "onet:99-9999.00")
    assert (empty.required, empty.missing, empty.recommendations) == ((), (), ())


ESCO_HEAT = "http://data.europa.eu/esco/skill/00735755-adc6-4ea0-b034-b8caff339c9f"
HVAC = Occupation(
    "onet:49-9021.00",
    "Heating, Air Conditioning, and Refrigeration Mechanics and Installers",
    "49-9021.00",
    "O*NET-SOC",
)
INSTALLATION = Skill("onet:2.B.3.d", "Installation", "O*NET", code="2.B.3.d")
REPAIRING = Skill("onet:2.B.3.l", "Repairing", "O*NET", code="2.B.3.l")
ESCO_REPAIR = Skill("http://data.europa.eu/esco/skill/repair", "repair equipment", "ESCO")


async def test_a_badge_for_the_occupation_is_recommended_whatever_its_skills(
    store: GraphStore,
) -> None:
    """The issue's case: an ESCO skill and the O*NET occupation it prepares for."""
    await store.upsert_occupations([HVAC])
    await store.upsert_skills([INSTALLATION, REPAIRING, ESCO_REPAIR])
    await store.upsert_skill_requirements(
        [
            SkillRequirement(HVAC.id, INSTALLATION, 4.1, "importance"),
            SkillRequirement(HVAC.id, REPAIRING, 3.9, "importance"),
        ]
    )
    heat_pumps = Skill(ESCO_HEAT, "install heat pumps", "ESCO", ESCO_HEAT)
    await store.upsert_credentials(
        [
            Credential(
                "https://badges.example/heat-pumps",
                "Heat Pump Installer",
                skills=(SkillLink(heat_pumps),),
                occupations=(OccupationLink(HVAC),),
            ),
            Credential(
                "https://badges.example/repair", "Repair Basics", skills=(SkillLink(ESCO_REPAIR),)
            ),
        ]
    )
    # no path from ESCO's heat pumps to O*NET's elements; one equivalence for repairing
    await store.replace_close_matches(
        "lexical", [CloseMatchEdge(ESCO_REPAIR.id, REPAIRING.id, 0.91, "lexical")]
    )
    gap = await skill_gap(store, HVAC.id)
    assert gap.missing == (INSTALLATION.id, REPAIRING.id)
    rounds = [(r.credential_id, r.round) for r in gap.recommendations]
    assert rounds == [
        ("https://badges.example/repair", EQUIVALENT_COVER),
        ("https://badges.example/heat-pumps", OCCUPATION),
    ]
    [via] = gap.recommendations[0].reasons
    assert (via.kind, via.skill_id, via.via, via.relation, via.confidence) == (
        COVERS_EQUIVALENT,
        REPAIRING.id,
        ESCO_REPAIR.id,
        "lexical",
        0.91,
    )
    assert gap.uncoverable == (INSTALLATION.id,)
    # someone holding the ESCO skill holds O*NET's repairing through it
    held = await skill_gap(store, HVAC.id, have=[ESCO_REPAIR.id])
    assert held.covered == (REPAIRING.id,)
    assert held.covered_through[REPAIRING.id].skill_id == ESCO_REPAIR.id


SCIENTISTS = Occupation("onet:15-2051.00", "Data Scientists", "15-2051.00", "O*NET-SOC")
BI = Occupation("onet:15-2051.01", "Business Intelligence Analysts", "15-2051.01", "O*NET-SOC")
ESCO_DS = Occupation("http://data.europa.eu/esco/occupation/ds", "data scientist", "2511.4", "ESCO")
ISCO = Occupation("isco:2511", "Systems analysts", "2511", "ISCO-08")


async def test_occupations_stand_for_one_another(store: GraphStore) -> None:
    await store.upsert_occupations([SCIENTISTS, BI, ESCO_DS, ISCO])
    await store.replace_equivalences(
        "crosswalk isco-soc https://stats.example/isco_soc.csv",
        [Equivalence(NodeKind.OCCUPATION, ISCO.id, SCIENTISTS.id)],
    )
    await store.upsert_credentials(
        [
            Credential(
                "https://badges.example/bi", "BI Analyst", occupations=(OccupationLink(BI),)
            ),
        ]
    )
    # 15-2051.01 appears for 15-2051.00 (the same SOC occupation)
    gap = await skill_gap(store, SCIENTISTS)
    assert [(r.credential_id, r.round) for r in gap.recommendations] == [
        ("https://badges.example/bi", OCCUPATION)
    ]
    assert gap.recommendations[0].reasons[0].relation == "same SOC occupation"
    # and for the ESCO occupation, through its ISCO-08 group and the ISCO-SOC crosswalk
    related = {r.occupation_id: r.relation for r in await related_occupations(store, ESCO_DS)}
    assert related == {
        ESCO_DS.id: "same",
        ISCO.id: "same ISCO-08 unit group",
        SCIENTISTS.id: "crosswalk",
    }
    related_soc = {
        r.occupation_id: r.relation for r in await related_occupations(store, SCIENTISTS)
    }
    assert related_soc == {
        SCIENTISTS.id: "same",
        ISCO.id: "crosswalk",
        BI.id: "same SOC occupation",
    }


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
