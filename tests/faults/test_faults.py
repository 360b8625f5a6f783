"""Neo4j going away in the middle of a batch leaves no half-written batch.

The server aborts the store's write transaction while it runs (as when the server restarts or
the connection drops). The driver may retry the whole transaction (a transient error), or the
store raises a StoreError: either way the batch is in the store entirely or not at all, and
the graph is the one expected (node ids by kind, every relationship), not just its counts.
"""

from __future__ import annotations

import asyncio

import pytest
from neo4j import AsyncGraphDatabase

from credgraph.errors import StoreError
from credgraph.model import Credential, Skill, SkillLink
from credgraph.store import open_store
from tests.faults.reference import GraphSnapshot, snapshot

pytestmark = pytest.mark.neo4j


def big_batch(n: int) -> list[Credential]:
    return [
        Credential(
            f"https://mid.example/{i}",
            f"Credential {i}",
            skills=tuple(
                SkillLink(Skill(f"label:mid-{(i + k) % 500}", f"Skill {(i + k) % 500}"))
                for k in range(8)
            ),
        )
        for i in range(n)
    ]


def ends(graph: GraphSnapshot) -> set[tuple[str, str, str]]:
    return {edge[:3] for edge in graph.edges}


def batch_ends(batch: list[Credential]) -> set[tuple[str, str, str]]:
    """The relationships writing `batch` with no fault adds: the reference to compare with."""
    return {
        ("TEACHES", c.id, link.skill.id) for c in batch for link in c.skills
    }  # fmt: skip


async def terminate_writes(url: str, stop: asyncio.Event) -> int:
    """Terminate every running write transaction of other sessions until one was killed."""
    killed = 0
    async with AsyncGraphDatabase.driver(url, auth=None) as driver:
        while not stop.is_set() and not killed:
            records, _, _ = await driver.execute_query(
                "SHOW TRANSACTIONS YIELD transactionId, currentQuery "
                "WHERE currentQuery CONTAINS 'UNWIND' RETURN transactionId"
            )
            for record in records:
                await driver.execute_query("TERMINATE TRANSACTIONS $id", id=record["transactionId"])
                killed += 1
            await asyncio.sleep(0.01)
    return killed


async def test_an_aborted_batch_writes_nothing(neo4j_url: str) -> None:
    async with AsyncGraphDatabase.driver(neo4j_url, auth=None) as driver, driver.session() as s:
        await (await s.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS")).consume()
    async with open_store(neo4j_url) as store:
        await store.upsert_credentials([Credential("https://before.example/1", "Kept")])
        before = await store.stats()
        graph_before = await snapshot(store)
        stop = asyncio.Event()
        killer = asyncio.create_task(terminate_writes(neo4j_url, stop))
        batch = big_batch(20_000)
        try:
            report = await store.upsert_credentials(batch)
        except StoreError:
            report = None
        stop.set()
        assert await killer >= 1, "no write transaction was caught running"
        after = await store.stats()
        graph_after = await snapshot(store)
        if report is None:  # failed: nothing of the batch
            assert after == before
            assert await store.get_credentials(["https://mid.example/0"]) == []
            assert graph_after == graph_before, graph_after.differences(graph_before)
        else:  # retried by the driver: all of it, once
            assert report.created == 20_000
            assert after.credentials == before.credentials + 20_000
            assert after.relationships == before.relationships + 20_000 * 8
            assert graph_after.ids("Credential") == graph_before.ids("Credential") | {
                c.id for c in batch
            }
            assert graph_after.ids("Skill") == {f"label:mid-{k}" for k in range(500)}
            assert ends(graph_after) == ends(graph_before) | batch_ends(batch)
        # ...and the store keeps working after the failure.
        report = await store.upsert_credentials([Credential("https://after.example/1", "After")])
        assert report.created == 1
