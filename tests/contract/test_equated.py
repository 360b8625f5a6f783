"""Every way a SAME_AS edge is written shows in a comparison of two credentials that teach its
two ends, on every store: a crosswalk, a computed close match, a skill document stating its
own sameAs (to a skill stored before or after it, as a record or as a mention), and a skill
first met as a mention that states a sameAs (in a credential, an occupation's requirements,
a job posting). A Neo4j comparison expands SAME_AS only from skills labelled `Equated`, so
each of these paths must label both ends; `conftest.py` checks after every contract test
that no node at a SAME_AS lacks the label."""

from __future__ import annotations

from credgraph.model import Credential, SkillLink, SkillRelation
from credgraph.model.records import Equivalence, Occupation, Skill, SkillRequirement
from credgraph.model.values import NodeKind
from credgraph.model.views import Projection
from credgraph.store import GraphStore
from credgraph.store.equivalence import CloseMatchEdge, RelatedConcept
from tests.contract.data import prov
from tests.contract.test_job_postings import posting

ESCO = Skill("esco:sql", "SQL", "ESCO")
ONET = Skill("onet:sql", "Structured query language", "O*NET")
FIRST = "https://acme.example/sql-one"
SECOND = "https://acme.example/sql-two"
STATED = RelatedConcept(ONET.id, 1.0, "stated", True)
BACK = RelatedConcept(ESCO.id, 1.0, "stated", True)


def course(credential_id: str, skill: Skill) -> Credential:
    return Credential(
        credential_id,
        f"Course on {skill.name}",
        skills=(SkillLink(skill, SkillRelation.TEACHES),),
        provenance=prov(),
    )


async def compared(store: GraphStore) -> dict[str, list[RelatedConcept]]:
    """The equivalences a comparison of the two courses carries, read all the ways the port
    reads them (each must agree)."""
    views, related = await store.compared_credentials([FIRST, SECOND])
    assert [v.id for v in views] == [FIRST, SECOND]
    projected = Projection(issuer=True, skills=True)
    assert (await store.compared_credentials([FIRST, SECOND], projected))[1] == related
    assert (await store.skill_sets_related([FIRST, SECOND]))[1] == related
    return related


async def courses(store: GraphStore, first: Skill = ESCO, second: Skill = ONET) -> None:
    report = await store.upsert_credentials([course(FIRST, first), course(SECOND, second)])
    assert report.created == 2


async def test_a_crosswalk_pair(store: GraphStore) -> None:
    await courses(store)
    owner = "crosswalk xwalk https://stats.example/onet_esco.csv"
    await store.replace_equivalences(owner, [Equivalence(NodeKind.SKILL, ESCO.id, ONET.id)])
    assert await compared(store) == {
        ESCO.id: [RelatedConcept(ONET.id, 1.0, "crosswalk", True)],
        ONET.id: [RelatedConcept(ESCO.id, 1.0, "crosswalk", True)],
    }


async def test_a_computed_close_match(store: GraphStore) -> None:
    await courses(store)
    report = await store.replace_close_matches(
        "lexical", [CloseMatchEdge(ONET.id, ESCO.id, 0.93, "lexical")]
    )
    assert report.created == 1
    assert await compared(store) == {
        ESCO.id: [RelatedConcept(ONET.id, 0.93, "lexical", False)],
        ONET.id: [RelatedConcept(ESCO.id, 0.93, "lexical", False)],
    }


async def test_a_skill_stating_its_own_same_as_to_a_stored_skill(store: GraphStore) -> None:
    await courses(store)
    await store.upsert_skills([ONET, ESCO])
    assert await compared(store) == {ESCO.id: [], ONET.id: []}
    # the skill's document changes: it now states the other is the same
    await store.upsert_skills([Skill(ESCO.id, ESCO.name, "ESCO", same_as=(ONET.id,))])
    assert await compared(store) == {ESCO.id: [STATED], ONET.id: [BACK]}


async def test_a_skill_stating_its_own_same_as_before_the_other_is_stored(
    store: GraphStore,
) -> None:
    # the far end is a placeholder until a course mentions it
    await store.upsert_skills([Skill(ESCO.id, ESCO.name, "ESCO", same_as=(ONET.id,))])
    await courses(store)
    assert await compared(store) == {ESCO.id: [STATED], ONET.id: [BACK]}


async def test_a_skill_stating_its_own_same_as_before_the_other_arrives_as_a_record(
    store: GraphStore,
) -> None:
    await store.upsert_skills([Skill(ESCO.id, ESCO.name, "ESCO", same_as=(ONET.id,))])
    await store.upsert_skills([ONET])
    await courses(store)
    assert await compared(store) == {ESCO.id: [STATED], ONET.id: [BACK]}


async def test_a_skill_first_mentioned_by_a_credential_with_its_same_as(
    store: GraphStore,
) -> None:
    await store.upsert_skills([ONET])
    await courses(store, first=Skill(ESCO.id, ESCO.name, "ESCO", same_as=(ONET.id,)))
    assert await compared(store) == {ESCO.id: [STATED], ONET.id: [BACK]}


async def test_a_skill_first_mentioned_by_an_occupation_with_its_same_as(
    store: GraphStore,
) -> None:
    occupation = Occupation("onet:15-1242.00", "Database Administrators", "15-1242.00", "O*NET-SOC")
    await store.upsert_occupations([occupation])
    stated = Skill(ESCO.id, ESCO.name, "ESCO", same_as=(ONET.id,))
    report = await store.upsert_skill_requirements([SkillRequirement(occupation.id, stated, 4.5)])
    assert report.created == 1
    await courses(store)
    assert await compared(store) == {ESCO.id: [STATED], ONET.id: [BACK]}


async def test_a_skill_first_mentioned_by_a_job_posting_with_its_same_as(
    store: GraphStore,
) -> None:
    stated = Skill(ESCO.id, ESCO.name, "ESCO", same_as=(ONET.id,))
    report = await store.upsert_job_postings([posting("https://jobs.example/dba", "DBA", stated)])
    assert report.created == 1
    await courses(store)
    assert await compared(store) == {ESCO.id: [STATED], ONET.id: [BACK]}
