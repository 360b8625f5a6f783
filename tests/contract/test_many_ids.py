"""Contract: a read given thousands of ids answers as it does for a few, on every adapter.

SQLite refuses a statement with too many bound parameters or too deep an expression ("too
many SQL variables", "Expression tree is too large"); a store must never let that reach the
caller for a request as plain as 5,000 ids.
"""

from __future__ import annotations

from credgraph.model import CredentialType
from credgraph.store import GraphStore
from credgraph.store.query import CredentialFilter
from tests.contract import data
from tests.contract.test_writes import load

MANY = 5_000
DA = "https://acme.example/badges/data-analyst"
BASICS = "https://acme.example/badges/sql-basics"
MSC = "ce-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"
ETHICS = "https://nobody.example/c/ethics"


def unknown(n: int, kind: str = "credential") -> list[str]:
    return [f"https://unknown.example/{kind}/{i}" for i in range(n)]


async def ids_of(store: GraphStore, f: CredentialFilter) -> tuple[set[str], int]:
    page = await store.list_credentials(f, first=50)
    return {v.id for v in page.items}, page.total_count


async def test_credentials_by_5000_ids_come_back_in_the_order_asked(store: GraphStore) -> None:
    await load(store)
    asked = [ETHICS, *unknown(MANY // 2), MSC, *unknown(MANY // 2), DA, ETHICS]
    assert len(asked) > MANY
    assert [v.id for v in await store.get_credentials(asked)] == [ETHICS, MSC, DA, ETHICS]
    assert set(await store.skill_sets(asked)) == {ETHICS, MSC, DA}
    assert (await store.resolve_credential_ids(asked))[MSC] == MSC
    history = await store.credential_history_many(asked)
    assert set(history) == set(asked) and history[DA] == []


async def test_nodes_by_5000_ids(store: GraphStore) -> None:
    await load(store)
    skills = [*unknown(MANY, "skill"), data.PY.id, data.SQL.id]
    assert [s.id for s in await store.get_skills(skills)] == [data.PY.id, data.SQL.id]
    issuers = [data.UNI.id, *unknown(MANY, "issuer"), data.ACME.id]
    assert [i.id for i in await store.get_issuers(issuers)] == [data.UNI.id, data.ACME.id]
    occupations = [*unknown(MANY, "occupation"), data.DBA.id]
    assert [o.id for o in await store.get_occupations(occupations)] == [data.DBA.id]
    required = await store.occupation_required_skills_many([*occupations, data.DATA_SCI.id])
    assert len(required) == MANY + 2 and len(required[data.DATA_SCI.id]) == 5


async def test_a_filter_of_5000_skills_wants_every_one_of_them(store: GraphStore) -> None:
    await load(store)
    assert await ids_of(store, CredentialFilter(skills=(data.SQL.id, *unknown(MANY)))) == (
        set(),
        0,
    )
    assert await ids_of(store, CredentialFilter(skills=(data.SQL.id,) * MANY)) == (
        {DA, BASICS, MSC},
        3,
    )
    both = CredentialFilter(skills=(data.SQL.id, data.PY.id) * (MANY // 2))
    assert await ids_of(store, both) == ({DA, MSC}, 2)


async def test_a_filter_of_5000_occupations_or_types(store: GraphStore) -> None:
    await load(store)
    assert await ids_of(store, CredentialFilter(occupations=(data.DBA.id,) * MANY)) == (
        {DA, BASICS},
        2,
    )
    assert await ids_of(
        store, CredentialFilter(occupations=(data.DBA.id, *unknown(MANY, "occupation")))
    ) == (set(), 0)
    types = (CredentialType.BADGE, CredentialType.DEGREE) * (MANY // 2)
    assert await ids_of(store, CredentialFilter(types=types)) == ({DA, MSC}, 2)


async def test_coverage_of_5000_skills_counts_the_last_one_too(store: GraphStore) -> None:
    await load(store)
    wanted = [*unknown(MANY, "skill"), data.ETHICS.id]
    coverage = {
        c.credential_id: c.covered_skill_ids for c in await store.credentials_covering(wanted)
    }
    assert coverage == {MSC: frozenset({data.ETHICS.id}), ETHICS: frozenset({data.ETHICS.id})}
