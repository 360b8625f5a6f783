"""Neo4j search: a word as typed ranks before the longer words it starts (type-ahead), and
both are found, on the credential text index as on the others."""

from __future__ import annotations

import pytest

from credgraph.model import Credential, Skill
from credgraph.model.values import NodeKind
from credgraph.store import open_store
from tests.stores import wipe_neo4j

pytestmark = pytest.mark.neo4j


async def test_whole_word_matches_rank_before_completions(neo4j_url: str) -> None:
    await wipe_neo4j(neo4j_url)
    async with open_store(neo4j_url) as store:
        await store.upsert_credentials(
            [
                Credential("c:1", "Databases for analysts"),
                Credential("c:2", "Data analysis"),
                Credential("c:3", "Database administration"),
                Credential("c:4", "Cloud data pipelines", description="data in, data out"),
                Credential("c:5", "Welding"),
            ]
        )
        await store.upsert_skills([Skill("s:1", "Datastore design"), Skill("s:2", "Data")])
        hits = await store.search("data", limit=10)
        ids = [h.id for h in hits]
        assert set(ids) == {"c:1", "c:2", "c:3", "c:4", "s:1", "s:2"}
        whole = {"c:2", "c:4", "s:2"}
        assert set(ids[:3]) == whole, hits
        assert all(h.score > max(h.score for h in hits[3:]) for h in hits[:3])
        assert hits == sorted(hits, key=lambda h: -h.score)
        # the completions alone while typing
        typed = await store.search("datab", kinds=[NodeKind.CREDENTIAL])
        assert {h.id for h in typed} == {"c:1", "c:3"}
        # and a multi-word query: all words, the last one also as a prefix
        assert [h.id for h in await store.search("cloud dat")] == ["c:4"]
