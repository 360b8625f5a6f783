"""`credgraph store check` on each store: a store loaded through the port is consistent; the
same store damaged behind the port's back (a dangling edge, a credential naming a missing
issuer, a node the counts disagree about) is not, and the command exits 1."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from typing import Any

from click.testing import CliRunner

from credgraph.cli.main import main
from credgraph.store import GraphStore
from credgraph.store.check import CheckReport
from credgraph.store.neo4j.store import Neo4jStore
from credgraph.store.sqlite.store import SQLiteStore
from tests.contract import data

CREDENTIAL = "https://acme.example/badges/data-analyst"


async def damage(store: GraphStore) -> None:
    """A TEACHES edge to a skill that is not stored, a credential whose issuer is gone from
    under it, and a node the two counts disagree about, written straight to the database."""
    if isinstance(store, SQLiteStore):
        with sqlite3.connect(store.path) as conn:  # foreign keys off, as any tool opens it
            conn.execute(
                "INSERT INTO edges (src, type, dst, owner, props) VALUES "
                "(?, 'TEACHES', 'skill:ghost', ?, NULL)",
                (CREDENTIAL, CREDENTIAL),
            )
            conn.execute(
                "UPDATE credentials SET issuer_id = 'issuer:ghost' WHERE id = ?", (CREDENTIAL,)
            )
            conn.execute("DELETE FROM skills_fts WHERE rowid = (SELECT min(rowid) FROM skills)")
        return
    assert isinstance(store, Neo4jStore)
    driver = store._open_driver()
    await driver.execute_query(
        "MATCH (c:Credential {id: $id}) CREATE (c)-[:TEACHES]->(:Ref {id: 'skill:ghost'}) "
        "CREATE (c)-[:ASSESSES]->(:Thing {id: 'x'}) SET c.issuer_id = 'issuer:ghost' "
        "CREATE (:Skill {name: 'no id'})",
        {"id": CREDENTIAL},
    )


def problems(report: CheckReport) -> dict[str, int]:
    return {p.detail: p.count for p in report.problems}


async def test_a_store_loaded_through_the_port_is_consistent(store: GraphStore) -> None:
    report = await store.check()
    assert report.ok, report.problems
    stats = await store.stats()
    assert report.counts == {
        "Issuer": stats.issuers,
        "Credential": stats.credentials,
        "Skill": stats.skills,
        "Occupation": stats.occupations,
    }
    assert report.counts["Credential"] == len(data.credentials())
    assert set(report.orphans) == set(report.counts)


async def test_a_damaged_store_fails_the_check_naming_each_problem(store: GraphStore) -> None:
    await damage(store)
    report = await store.check()
    assert not report.ok
    found = problems(report)
    assert (
        found[
            "TEACHES edges whose end is not a stored Skill"
            if isinstance(store, SQLiteStore)
            else "TEACHES relationships whose end is not a stored Skill"
        ]
        == 1
    )
    assert any("issuer" in detail for detail in found), found
    assert {p.check for p in report.problems} >= {
        "dangling references",
        "credential issuers",
        "counts",
    }
    if isinstance(store, SQLiteStore):
        assert "foreign_key_check" in {p.check for p in report.problems}
    else:
        assert found["ASSESSES relationships whose end is not a stored Skill"] == 1


async def test_the_command_exits_1_on_a_damaged_store_and_0_on_a_sound_one(
    store: GraphStore,
) -> None:
    url = store.url
    runner = CliRunner()

    async def invoke(*args: str) -> Any:
        # In a thread: the command runs its own event loop.
        return await asyncio.to_thread(
            runner.invoke, main, ["store", "check", "--store", url, *args]
        )

    sound = await invoke("--json")
    assert sound.exit_code == 0, sound.output
    assert json.loads(sound.output)["ok"] is True
    await damage(store)
    damaged = await invoke("--json")
    assert damaged.exit_code == 1, damaged.output
    body = json.loads(damaged.output)
    assert body["ok"] is False and body["problems"]
    table = await invoke()
    assert table.exit_code == 1 and "problem" in table.output


def test_the_check_allows_dangling_ends_exactly_where_the_writes_make_them() -> None:
    from credgraph.store.check import ENDS, MAY_DANGLE
    from credgraph.store.neo4j import links

    assert MAY_DANGLE == links.MAY_DANGLE
    for edge_type, (start, end) in links._ENDS.items():
        assert end in ENDS[edge_type][1], edge_type
        assert start is None or start in ENDS[edge_type][0], edge_type
