"""Demand follows equivalences on every store: a skill's demand counts the active postings
requiring it or a skill equivalent to it (each posting once), and a credential covers a
posting's required skill through an equivalent of a skill it teaches. Stated equivalences
always count; computed close matches from `min_confidence` up; neither is followed twice."""

from __future__ import annotations

from datetime import UTC, datetime

from credgraph.model import Credential, OccupationLink, SkillLink, SkillRelation
from credgraph.model.records import Equivalence, Occupation, Skill
from credgraph.model.values import NodeKind
from credgraph.store import GraphStore
from credgraph.store.equivalence import CloseMatchEdge
from tests.contract.data import STATS, prov
from tests.contract.test_job_postings import NOW, posting

SKILL, OCC, CRED = NodeKind.SKILL, NodeKind.OCCUPATION, NodeKind.CREDENTIAL
CROSSWALK = "crosswalk xwalk https://stats.example/onet_esco.csv"
CLOSED = {"valid_through": datetime(2026, 1, 1, tzinfo=UTC)}

ESCO_SQL = Skill("esco:sql", "SQL", "ESCO")
ONET_SQL = Skill("onet:sql", "Structured query language", "O*NET")  # crosswalk to ESCO_SQL
# states its own sameAs to ESCO_SQL; ONET_SQL is two edges away, so not its equivalent
LC_SQL = Skill("lc:sql", "SQL (programming language)", "Lightcast", same_as=(ESCO_SQL.id,))
ANALYSIS = Skill("esco:analyse-data", "analyse data", "ESCO")
STRONG = Skill("onet:data-analysis", "Data analysis", "O*NET")  # computed 0.95 to ANALYSIS
WEAK = Skill("lc:data-analytics", "Data analytics", "Lightcast")  # computed 0.60 to ANALYSIS
ONET_DEV = Occupation("onet:15-1252.00", "Software Developers", "15-1252.00", "O*NET-SOC")
ESCO_DEV = Occupation("esco:dev", "software developer", "2512.4", "ESCO")


async def stored_equivalences(store: GraphStore) -> None:
    await store.upsert_skills([ESCO_SQL, ONET_SQL, LC_SQL, ANALYSIS, STRONG, WEAK, STATS])
    await store.upsert_occupations([ONET_DEV, ESCO_DEV])
    await store.replace_equivalences(
        CROSSWALK,
        [
            Equivalence(SKILL, ESCO_SQL.id, ONET_SQL.id),
            Equivalence(OCC, ESCO_DEV.id, ONET_DEV.id),
        ],
    )
    report = await store.replace_close_matches(
        "lexical",
        [
            CloseMatchEdge(STRONG.id, ANALYSIS.id, 0.95, "lexical"),
            CloseMatchEdge(ANALYSIS.id, WEAK.id, 0.6, "lexical"),
        ],
    )
    assert (report.created, report.rejected) == (2, ())


def _for(occupation: Occupation) -> dict[str, object]:
    return {"occupations": (OccupationLink(occupation, "exact-code", 1.0),)}


async def test_skill_demand_counts_stated_equivalents_once_per_posting(
    store: GraphStore,
) -> None:
    await stored_equivalences(store)
    await store.upsert_job_postings(
        [
            posting("https://jobs.example/both", "DBA", ESCO_SQL, ONET_SQL, **_for(ESCO_DEV)),
            posting("https://jobs.example/onet", "Analyst", ONET_SQL, **_for(ONET_DEV)),
            posting("https://jobs.example/lc", "Reporter", LC_SQL),
            posting("https://jobs.example/old", "Old DBA", ESCO_SQL, **CLOSED, **_for(ONET_DEV)),
        ]
    )
    found = await store.posting_demand(SKILL, [ESCO_SQL.id, ONET_SQL.id, LC_SQL.id], NOW)
    assert found.active == 3  # the old posting closed in January
    # ESCO_SQL: both (once, though it names two equivalent skills), onet, lc
    # ONET_SQL: both, onet (LC_SQL is the same as ESCO_SQL, not directly as ONET_SQL)
    assert found.by_id == {ESCO_SQL.id: 3, ONET_SQL.id: 2, LC_SQL.id: 2}
    occupations = await store.posting_demand(OCC, [ONET_DEV.id, ESCO_DEV.id], NOW)
    assert occupations.by_id == {ONET_DEV.id: 2, ESCO_DEV.id: 2}


async def test_computed_close_matches_count_from_min_confidence(store: GraphStore) -> None:
    await stored_equivalences(store)
    await store.upsert_job_postings(
        [
            posting("https://jobs.example/strong", "Analyst", STRONG),
            posting("https://jobs.example/weak", "Analytics", WEAK),
        ]
    )

    async def demand(min_confidence: float) -> int:
        found = await store.posting_demand(SKILL, [ANALYSIS.id], NOW, min_confidence=min_confidence)
        return found.by_id[ANALYSIS.id]

    assert await demand(1.0) == 0  # the default: stated equivalences only
    assert await demand(0.88) == 1
    assert await demand(0.5) == 2
    default = await store.posting_demand(SKILL, [ANALYSIS.id], NOW)
    assert default.by_id == {ANALYSIS.id: 0}


async def test_credential_covers_half_a_posting_through_an_equivalent(store: GraphStore) -> None:
    await stored_equivalences(store)
    course = Credential(
        "https://acme.example/sql-analysis",
        "SQL for analysts",
        skills=(
            SkillLink(ESCO_SQL, SkillRelation.TEACHES),
            SkillLink(ANALYSIS, SkillRelation.ASSESSES),
        ),
        provenance=prov(),
    )
    await store.upsert_credentials([course])
    await store.upsert_job_postings(
        [
            # ONET_SQL is covered through the crosswalk: one of two skills, half
            posting("https://jobs.example/half", "DBA", ONET_SQL, STATS),
            # the same one skill of two, but the posting closed
            posting("https://jobs.example/closed", "Old DBA", ONET_SQL, STATS, **CLOSED),
            # two equivalent skills both covered: two of four, half
            posting("https://jobs.example/pair", "Lead", ESCO_SQL, ONET_SQL, STATS, WEAK),
            # one of two through a computed match: counts from 0.88, not at 0.96
            posting("https://jobs.example/close", "Analyst", STRONG, STATS),
            # LC_SQL is the same as ESCO_SQL: covered, but one of three is less than half
            posting("https://jobs.example/third", "Reporter", LC_SQL, STATS, WEAK),
        ]
    )
    strict = await store.posting_demand(CRED, [course.id], NOW, min_confidence=0.96)
    assert (strict.active, strict.by_id) == (4, {course.id: 2})
    usual = await store.posting_demand(CRED, [course.id, "nope"], NOW, min_confidence=0.88)
    assert usual.by_id == {course.id: 3, "nope": 0}
