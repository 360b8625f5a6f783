"""A build of the name index or the matching vocabulary cancelled at shutdown
(`stop_building`) before it first ran leaves no record behind: the cache builds again when
asked, rather than answering every later request with the cancellation."""

from __future__ import annotations

import asyncio
from pathlib import Path

from credgraph.match.index import Vocabularies
from credgraph.model import Credential, Skill
from credgraph.resolving.service import NameIndexCache
from credgraph.store import open_store


async def test_a_name_index_build_cancelled_before_it_ran(tmp_path: Path) -> None:
    async with open_store(f"sqlite:///{tmp_path / 'g.db'}") as store:
        await store.upsert_credentials(
            [Credential("https://c.example/1", "AWS Cloud Practitioner")]
        )
        cache = NameIndexCache()
        first = asyncio.ensure_future(cache.index(store))
        while not cache.building:  # index() has made the build task; it has not run yet
            await asyncio.sleep(0)
        cache.stop_building()
        await asyncio.gather(first, return_exceptions=True)
        index = await cache.index(store)
    assert index.ids[0] == "https://c.example/1"


async def test_a_vocabulary_build_cancelled_before_it_ran(tmp_path: Path) -> None:
    async with open_store(f"sqlite:///{tmp_path / 'g.db'}") as store:
        await store.upsert_skills([Skill("https://s.example/sql", "SQL")])
        vocabularies = Vocabularies()
        first = asyncio.ensure_future(vocabularies.get(store))
        while not vocabularies.building(store):
            await asyncio.sleep(0)
        vocabularies.stop_building(store)
        await asyncio.gather(first, return_exceptions=True)
        graph = await vocabularies.get(store)
    assert graph.skill_ids == frozenset({"https://s.example/sql"})
