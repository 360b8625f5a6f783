"""Neo4j keeps each record's fingerprint (`credgraph.model.fingerprint`) on its node and an
upsert compares it before encoding anything: a record stored before fingerprints were kept,
or whose fingerprint differs while its document does not, is still counted unchanged and
writes nothing but its fingerprint; a changed record is written with its new fingerprint."""

from __future__ import annotations

from dataclasses import replace

import pytest

from credgraph.model import Money
from credgraph.model.fingerprint import fingerprint
from credgraph.store import open_store
from credgraph.store.neo4j import Neo4jStore
from tests.contract import data
from tests.stores import history_of, wipe_neo4j

pytestmark = pytest.mark.neo4j

GRAPH_LABELS = ("Credential", "Issuer", "Skill", "Occupation")


async def stored_prints(store: Neo4jStore, label: str) -> dict[str, bytes | None]:
    assert label in GRAPH_LABELS
    result = await store._open_driver().execute_query(
        f"MATCH (n:{label}) RETURN n.id AS id, n.fingerprint AS fp"
    )
    return {r["id"]: None if r["fp"] is None else bytes(r["fp"]) for r in result.records}


async def loaded(store: Neo4jStore) -> None:
    await store.upsert_skills([data.SQL, data.PY])
    await store.upsert_occupations([data.DATA_SCI, data.DBA])
    report = await store.upsert_credentials(data.credentials())
    assert (report.created, report.updated, report.unchanged) == (6, 0, 0)


async def test_records_are_stored_with_their_fingerprints(neo4j_url: str) -> None:
    await wipe_neo4j(neo4j_url)
    async with open_store(neo4j_url) as store:
        assert isinstance(store, Neo4jStore)
        await loaded(store)
        assert await stored_prints(store, "Credential") == {
            c.id: fingerprint(c) for c in data.credentials()
        }
        skills = await stored_prints(store, "Skill")
        assert skills[data.SQL.id] == fingerprint(data.SQL)
        # A node made from a mention is a stub without one: the full record always overwrites it.
        assert skills[data.STATS.id] is None


async def test_records_stored_without_fingerprints_are_unchanged_and_get_them(
    neo4j_url: str,
) -> None:
    await wipe_neo4j(neo4j_url)
    async with open_store(neo4j_url) as store:
        assert isinstance(store, Neo4jStore)
        await loaded(store)
        # As a credgraph from before fingerprints left them; one other fingerprint is wrong.
        await store._open_driver().execute_query("MATCH (n) REMOVE n.fingerprint")
        await store._open_driver().execute_query(
            "MATCH (n:Credential {id: $id}) SET n.fingerprint = $fp",
            id=data.credentials()[0].id,
            fp=b"\x00" * 16,
        )
        version = await store.graph_version()
        stats = await store.stats()
        again = await store.upsert_credentials(data.credentials())
        assert (again.created, again.updated, again.unchanged) == (0, 0, 6)
        skills = await store.upsert_skills([data.SQL, data.PY])
        assert (skills.created, skills.updated, skills.unchanged) == (0, 0, 2)
        assert await store.graph_version() == version
        assert await store.stats() == stats
        assert await history_of(store, data.credentials()[0].id) == []
        assert await stored_prints(store, "Credential") == {
            c.id: fingerprint(c) for c in data.credentials()
        }
        assert (await stored_prints(store, "Skill"))[data.PY.id] == fingerprint(data.PY)
        # and the next upsert finds them by fingerprint alone
        third = await store.upsert_credentials(data.credentials())
        assert (third.created, third.updated, third.unchanged) == (0, 0, 6)


async def test_a_changed_record_is_written_with_its_new_fingerprint(neo4j_url: str) -> None:
    await wipe_neo4j(neo4j_url)
    async with open_store(neo4j_url) as store:
        assert isinstance(store, Neo4jStore)
        await loaded(store)
        original = data.credentials()[1]
        cheaper = replace(original, cost=Money(39.0, "USD"))
        report = await store.upsert_credentials([cheaper, *data.credentials()[2:]])
        assert (report.created, report.updated, report.unchanged) == (0, 1, 4)
        assert (await stored_prints(store, "Credential"))[original.id] == fingerprint(cheaper)
        [view] = await store.get_credentials([original.id])
        assert view.credential.cost == Money(39.0, "USD")
        renamed = replace(data.PY, name="Python")
        nodes = await store.upsert_skills([data.SQL, renamed])
        assert (nodes.created, nodes.updated, nodes.unchanged) == (0, 1, 1)
        assert (await stored_prints(store, "Skill"))[data.PY.id] == fingerprint(renamed)
        [skill] = await store.get_skills([data.PY.id])
        assert skill.name == "Python"
