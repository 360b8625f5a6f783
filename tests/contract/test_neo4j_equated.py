"""A Neo4j database written before the `Equated` label existed: `store check` names the
unlabelled ends of its SAME_AS relationships, comparisons miss those equivalences, and the
next open labels them (the `equated-label` migration, run once per database)."""

from __future__ import annotations

import pytest

from credgraph.model.records import Equivalence, Occupation, Skill
from credgraph.model.values import NodeKind
from credgraph.store import open_store
from credgraph.store.neo4j import Neo4jStore
from tests.contract.test_equated import BACK, ESCO, ONET, STATED, compared, courses
from tests.stores import unlabelled_equivalence_ends, wipe_neo4j

pytestmark = pytest.mark.neo4j

ONET_DEV = Occupation("onet:15-1252.00", "Software Developers", "15-1252.00", "O*NET-SOC")
ESCO_DEV = Occupation("esco:dev", "software developer", "2512.4", "ESCO")
HINTS = "nodes at a SAME_AS relationship without the Equated label (comparisons miss their equivalences)"


async def migration_times(store: Neo4jStore) -> list[str]:
    result = await store._open_driver().execute_query(
        "MATCH (m:Migration {name: 'equated-label'}) RETURN m.done_at AS at"
    )
    return [r["at"] for r in result.records]


async def test_a_database_from_before_the_label_is_labelled_when_opened(neo4j_url: str) -> None:
    await wipe_neo4j(neo4j_url)
    async with open_store(neo4j_url) as store:
        assert isinstance(store, Neo4jStore)
        assert len(await migration_times(store)) == 1  # a new database records it too
        await store.upsert_skills([Skill(ESCO.id, ESCO.name, "ESCO", same_as=(ONET.id,)), ONET])
        await store.upsert_occupations([ONET_DEV, ESCO_DEV])
        await store.replace_equivalences(
            "crosswalk xwalk https://stats.example/onet_esco.csv",
            [Equivalence(NodeKind.OCCUPATION, ESCO_DEV.id, ONET_DEV.id)],
        )
        await courses(store)
        assert await compared(store) == {ESCO.id: [STATED], ONET.id: [BACK]}
        # as a credgraph from before the label left it: no label, no record of the step
        await store._open_driver().execute_query(
            "MATCH (n:Equated) REMOVE n:Equated WITH count(*) AS n MATCH (m:Migration) DELETE m"
        )
        assert await unlabelled_equivalence_ends(store) == 4
        found = {p.detail: p.count for p in (await store.check()).problems}
        assert found == {HINTS: 4}
        assert await compared(store) == {ESCO.id: [], ONET.id: []}
    async with open_store(neo4j_url) as store:
        assert isinstance(store, Neo4jStore)
        assert await unlabelled_equivalence_ends(store) == 0
        assert (await store.check()).ok
        assert await compared(store) == {ESCO.id: [STATED], ONET.id: [BACK]}
        [done_at] = await migration_times(store)
    async with open_store(neo4j_url) as store:
        assert isinstance(store, Neo4jStore)
        assert await migration_times(store) == [done_at]  # recorded: not run again
