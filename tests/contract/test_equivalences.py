"""Equivalences: SAME_AS edges owned by a crosswalk document, replaced as a whole, never
touching the edges taxonomy records state, readable in both directions; and computed close
matches, scored edges owned by their method that never replace a stated pair."""

from __future__ import annotations

from dataclasses import replace

from credgraph.model.records import Equivalence, Occupation, Skill
from credgraph.model.values import EdgeType, NodeKind
from credgraph.model.views import GraphEdge, Projection
from credgraph.store import GraphStore
from credgraph.store.equivalence import CloseMatchEdge, RelatedConcept
from tests.contract import data
from tests.contract.test_writes import load

OCC = NodeKind.OCCUPATION
SKILL = NodeKind.SKILL
OWNER = "crosswalk xwalk https://stats.example/isco_soc.csv"


async def _taxonomy(store: GraphStore) -> None:
    await store.upsert_occupations(
        [
            Occupation("onet:15-1252.00", "Software Developers", "15-1252.00", "O*NET-SOC"),
            Occupation("onet:15-1242.00", "Database Administrators", "15-1242.00", "O*NET-SOC"),
            Occupation("esco:dev", "software developer", "2512.4", "ESCO"),
            Occupation("esco:dev2", "web developer", "2513.2", "ESCO"),
            Occupation("isco:2512", "Software developers", "2512", "ISCO-08"),
        ]
    )
    await store.upsert_skills(
        [
            Skill("onet:2.B.3.e", "Programming", "O*NET", code="2.B.3.e", same_as=("esco:python",)),
            Skill("esco:programming", "computer programming", "ESCO"),
            Skill("esco:python", "Python", "ESCO"),
        ]
    )


async def _same_as(store: GraphStore) -> set[tuple[str, str]]:
    return {
        (item.source, item.target)
        async for item in store.iter_graph()
        if isinstance(item, GraphEdge) and item.type is EdgeType.SAME_AS
    }


async def test_replace_creates_then_is_idempotent(store: GraphStore) -> None:
    await _taxonomy(store)
    pairs = [
        Equivalence(OCC, "isco:2512", "onet:15-1252.00"),
        Equivalence(OCC, "esco:dev", "onet:15-1252.00"),
        Equivalence(SKILL, "esco:programming", "onet:2.B.3.e"),
    ]
    first = await store.replace_equivalences(OWNER, pairs)
    assert (first.created, first.unchanged, first.deleted, first.rejected) == (3, 0, 0, ())
    again = await store.replace_equivalences(OWNER, pairs)
    assert (again.created, again.unchanged, again.deleted) == (0, 3, 0)
    assert await _same_as(store) == {
        ("isco:2512", "onet:15-1252.00"),
        ("esco:dev", "onet:15-1252.00"),
        ("esco:programming", "onet:2.B.3.e"),
        ("onet:2.B.3.e", "esco:python"),  # the skill's own
    }
    stats = await store.stats()
    assert stats.relationships == 4


async def test_equivalents_read_both_directions(store: GraphStore) -> None:
    await _taxonomy(store)
    await store.replace_equivalences(
        OWNER,
        [
            Equivalence(OCC, "isco:2512", "onet:15-1252.00"),
            Equivalence(OCC, "esco:dev", "onet:15-1252.00"),
            Equivalence(SKILL, "esco:programming", "onet:2.B.3.e"),
        ],
    )
    found = await store.equivalents_many(
        ["onet:15-1252.00", "esco:dev", "onet:2.B.3.e", "esco:dev2", "nope"]
    )
    assert found == {
        "onet:15-1252.00": ["esco:dev", "isco:2512"],
        "esco:dev": ["onet:15-1252.00"],
        "onet:2.B.3.e": ["esco:programming", "esco:python"],
        "esco:dev2": [],
        "nope": [],
    }
    assert await store.equivalence_pairs() == [
        (SKILL, "esco:programming", "onet:2.B.3.e"),
        (SKILL, "onet:2.B.3.e", "esco:python"),
        (OCC, "esco:dev", "onet:15-1252.00"),
        (OCC, "isco:2512", "onet:15-1252.00"),
    ]


async def test_replace_drops_only_the_owners_stale_pairs(store: GraphStore) -> None:
    await _taxonomy(store)
    other = "crosswalk other https://stats.example/esco_onet.csv"
    await store.replace_equivalences(other, [Equivalence(OCC, "esco:dev", "onet:15-1252.00")])
    await store.replace_equivalences(
        OWNER,
        [
            Equivalence(OCC, "isco:2512", "onet:15-1252.00"),
            Equivalence(OCC, "esco:dev2", "onet:15-1242.00"),
        ],
    )
    report = await store.replace_equivalences(
        OWNER, [Equivalence(OCC, "isco:2512", "onet:15-1252.00")]
    )
    assert (report.created, report.unchanged, report.deleted) == (0, 1, 1)
    assert await _same_as(store) == {
        ("isco:2512", "onet:15-1252.00"),
        ("esco:dev", "onet:15-1252.00"),  # the other crosswalk's
        ("onet:2.B.3.e", "esco:python"),
    }


async def test_taxonomy_reimport_keeps_crosswalk_edges(store: GraphStore) -> None:
    """A skill's re-upsert replaces the SAME_AS edges it owns, never a crosswalk's."""
    await _taxonomy(store)
    await store.replace_equivalences(
        OWNER, [Equivalence(SKILL, "onet:2.B.3.e", "esco:programming")]
    )
    await store.upsert_skills(
        [Skill("onet:2.B.3.e", "Programming (renamed)", "O*NET", code="2.B.3.e")]
    )
    assert await _same_as(store) == {("onet:2.B.3.e", "esco:programming")}


async def test_unstorable_pairs_are_rejected_and_named(store: GraphStore) -> None:
    await _taxonomy(store)
    report = await store.replace_equivalences(
        OWNER,
        [
            Equivalence(OCC, "isco:2512", "onet:15-1252.00"),
            Equivalence(OCC, "isco:9999", "onet:15-1252.00", line="isco_soc.csv:7"),
            Equivalence(OCC, "", "onet:15-1242.00", a_code="2521.1"),
            Equivalence(SKILL, "esco:dev", "onet:2.B.3.e"),  # an occupation is not a skill
            Equivalence(OCC, "esco:dev", "esco:dev"),
        ],
    )
    assert report.created == 1
    problems = [str(r) for r in report.rejected]
    assert problems == [
        "equivalence 'isco:9999 = onet:15-1252.00': occupation 'isco:9999' is not in the store "
        "(isco_soc.csv:7)",
        "equivalence '2521.1 = onet:15-1242.00': a side '2521.1' is not resolved to a node",
        "equivalence 'esco:dev = onet:2.B.3.e': skill 'esco:dev' is not in the store",
        "equivalence 'esco:dev = esco:dev': a concept is trivially the same as itself",
    ]


async def test_occupation_ids_by_code(store: GraphStore) -> None:
    await _taxonomy(store)
    found = await store.occupation_ids_by_code("ESCO", ["2512.4", "2513.2", "2512", "9.9"])
    assert found == {"2512.4": ["esco:dev"], "2513.2": ["esco:dev2"]}
    assert await store.occupation_ids_by_code("ISCO-08", ["2512"]) == {"2512": ["isco:2512"]}


# -- computed close matches ----------------------------------------------------------------------

ESCO_PY = "http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d"
ONET_PY = "onet-tech:python"


async def _frameworks(store: GraphStore) -> None:
    await _taxonomy(store)
    await store.upsert_skills(
        [
            Skill(ESCO_PY, "Python (computer programming)", "ESCO", ESCO_PY),
            Skill(ONET_PY, "Python", "O*NET"),
            Skill("label:python", "Python"),
        ]
    )


def close(a: str, b: str, score: float, method: str = "lexical") -> CloseMatchEdge:
    return CloseMatchEdge(a, b, score, method)


async def test_close_matches_are_scored_edges_read_both_ways(store: GraphStore) -> None:
    await _frameworks(store)
    report = await store.replace_close_matches(
        "lexical", [close(ESCO_PY, ONET_PY, 1.0), close("label:python", ESCO_PY, 0.93)]
    )
    assert (report.created, report.updated, report.deleted, report.rejected) == (2, 0, 0, ())
    related = await store.related_many([ESCO_PY, ONET_PY, "esco:python", "nope"])
    assert related[ESCO_PY] == [
        RelatedConcept(ONET_PY, 1.0, "lexical", False),
        RelatedConcept("label:python", 0.93, "lexical", False),
    ]
    assert related[ONET_PY] == [RelatedConcept(ESCO_PY, 1.0, "lexical", False)]
    # the skill's own same_as, stated
    assert related["esco:python"] == [RelatedConcept("onet:2.B.3.e", 1.0, "stated", True)]
    assert related["nope"] == []
    # computed matches are not statements: sameAs and the linker's folding ignore them
    assert (await store.equivalents_many([ESCO_PY]))[ESCO_PY] == []
    assert all(ESCO_PY not in (a, b) for _kind, a, b in await store.equivalence_pairs())
    again = await store.replace_close_matches(
        "lexical", [close(ONET_PY, ESCO_PY, 0.97), close("label:python", ESCO_PY, 0.93)]
    )
    assert (again.created, again.updated, again.unchanged, again.deleted) == (0, 1, 1, 0)
    assert (await store.related_many([ONET_PY]))[ONET_PY][0].score == 0.97


async def test_close_matches_never_replace_a_stated_pair(store: GraphStore) -> None:
    await _frameworks(store)
    # the skill's own same_as joins onet:2.B.3.e -> esco:python: a computation leaves it be
    report = await store.replace_close_matches(
        "lexical", [close("esco:python", "onet:2.B.3.e", 0.95), close(ESCO_PY, ONET_PY, 1.0)]
    )
    assert (report.created, report.unchanged) == (1, 0)
    related = await store.related_many(["esco:python"])
    assert related["esco:python"] == [RelatedConcept("onet:2.B.3.e", 1.0, "stated", True)]
    # a crosswalk stating a computed pair takes the edge over
    await store.replace_equivalences(OWNER, [Equivalence(SKILL, ONET_PY, ESCO_PY)])
    related = await store.related_many([ESCO_PY])
    assert related[ESCO_PY] == [RelatedConcept(ONET_PY, 1.0, "crosswalk", True)]
    assert (ONET_PY, ESCO_PY) in await _same_as(store)
    assert (ESCO_PY, ONET_PY) not in await _same_as(store)
    # and the next computation does not write it back
    rerun = await store.replace_close_matches("lexical", [close(ESCO_PY, ONET_PY, 1.0)])
    assert (rerun.created, rerun.deleted) == (0, 0)
    assert (await store.related_many([ESCO_PY]))[ESCO_PY][0].method == "crosswalk"


async def test_close_matches_replace_within_scope_and_survive_reimports(
    store: GraphStore,
) -> None:
    await _frameworks(store)
    await store.replace_close_matches(
        "lexical", [close(ESCO_PY, ONET_PY, 1.0), close("label:python", "esco:python", 0.9)]
    )
    # an incremental run over label:python only: the ESCO-O*NET pair is not touched
    report = await store.replace_close_matches("lexical", [], scope=["label:python"])
    assert (report.deleted, report.created) == (1, 0)
    assert [r.id for r in (await store.related_many([ESCO_PY]))[ESCO_PY]] == [ONET_PY]
    # another method's edges are its own
    await store.replace_close_matches("other", [close("label:python", ONET_PY, 0.91, "other")])
    await store.replace_close_matches("lexical", [close(ESCO_PY, ONET_PY, 1.0)])
    assert [r.method for r in (await store.related_many([ONET_PY]))[ONET_PY]] == [
        "lexical",
        "other",
    ]
    # re-importing a skill keeps the computed edges it does not own
    await store.upsert_skills([Skill(ONET_PY, "Python 3", "O*NET")])
    assert len((await store.related_many([ONET_PY]))[ONET_PY]) == 2


async def test_unstorable_close_matches_are_rejected_and_named(store: GraphStore) -> None:
    await _frameworks(store)
    report = await store.replace_close_matches(
        "lexical",
        [
            close(ESCO_PY, ONET_PY, 1.0),
            close(ESCO_PY, "label:nowhere", 0.95),
            close(ONET_PY, ONET_PY, 1.0),
            close("onet:15-1252.00", ESCO_PY, 0.9),  # an occupation is not a skill
            close(ESCO_PY, "label:python", 1.5),
        ],
    )
    assert report.created == 1
    assert [str(r) for r in report.rejected] == [
        f"close match '{ESCO_PY} ~ label:nowhere': skill 'label:nowhere' is not in the store",
        f"close match '{ONET_PY} ~ {ONET_PY}': a concept is trivially the same as itself",
        f"close match 'onet:15-1252.00 ~ {ESCO_PY}': skill 'onet:15-1252.00' is not in the store",
        f"close match '{ESCO_PY} ~ label:python': score 1.5 is not between 0 and 1",
    ]


async def test_skill_sets_related_reads_what_its_two_parts_read(store: GraphStore) -> None:
    """An adapter may answer `skill_sets_related` in one read (Neo4j does): it must equal
    `skill_sets` and `related_many` of every skill in them, stated and computed edges alike."""
    await load(store)
    sets = await store.skill_sets([c.id for c in data.credentials()])
    skills = sorted({s for found in sets.values() for s in found})
    assert len(skills) >= 3
    await store.replace_close_matches(
        "lexical", [close(skills[0], skills[1], 0.91), close(skills[1], skills[2], 0.89)]
    )
    ids = [*sets, "nope"]
    both, related = await store.skill_sets_related(ids)
    assert both == sets
    assert related == await store.related_many(skills)
    assert [r.id for r in related[skills[1]]] == [skills[0], skills[2]]


async def test_compared_credentials_read_what_their_two_parts_read(store: GraphStore) -> None:
    """An adapter may answer `compared_credentials` in one read (Neo4j does): the views must
    equal `get_credentials`' (whole, or projected with skills whatever the projection says),
    in the order asked, and the equivalences `related_many` of every skill they carry."""
    await load(store)
    ids = [c.id for c in data.credentials()]
    sets = await store.skill_sets(ids)
    skills = sorted({s for found in sets.values() for s in found})
    await store.replace_close_matches(
        "lexical", [close(skills[0], skills[1], 0.91), close(skills[1], skills[2], 0.89)]
    )
    asked = [*reversed(ids), "nope", ids[0]]
    for projection in (None, Projection(issuer=True), Projection(skills=True, occupations=True)):
        views, related = await store.compared_credentials(asked, projection)
        wanted = replace(projection, skills=True) if projection else None
        assert views == await store.get_credentials(list(reversed(ids)), wanted)
        assert {v.id: {link.skill.id for link in v.skills} for v in views} == sets
        carried = sorted({link.skill.id for v in views for link in v.skills})
        assert related == await store.related_many(carried)
        assert [r.id for r in related[skills[1]]] == [skills[0], skills[2]]
    assert await store.compared_credentials(["nope"]) == ([], {})
