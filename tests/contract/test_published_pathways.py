"""Published pathways are stored, found per credential, and followed by the pathway search."""

from __future__ import annotations

from dataclasses import replace

from credgraph.model import Credential, CredentialType, EdgeType
from credgraph.model.pathway import PathwayComponent, PublishedPathway
from credgraph.model.stacking import PathwayGoal, PathwayRelation
from credgraph.model.views import GraphEdge
from credgraph.store import GraphStore

A = Credential("cred:a", "A+", CredentialType.CERTIFICATION, duration_hours=10)
N = Credential("cred:n", "Network+", CredentialType.CERTIFICATION, duration_hours=20)
S = Credential("cred:s", "Security+", CredentialType.CERTIFICATION, duration_hours=30)
PATH = PublishedPathway(
    "ce-cc62e516-f95d-4306-a11a-c0ecc39d835f",
    "IT pathway",
    components=(
        PathwayComponent("k:a", "A+", "CredentialComponent", A.id, leads_to=("k:n",)),
        PathwayComponent("k:n", "Network+", "CredentialComponent", N.id, leads_to=("k:s",)),
        PathwayComponent("k:s", "Security+", "CredentialComponent", S.id, destination=True),
    ),
)


async def test_a_pathway_stored_before_its_credentials_is_followed(store: GraphStore) -> None:
    report = await store.upsert_pathways([PATH])
    assert (report.created, report.rejected) == (1, ())
    await store.upsert_credentials([A, N, S])
    [route] = await store.pathways(A.id, PathwayGoal(frozenset({S.id})), 6, 5)
    assert [s.credential for s in route.steps] == [A.id, N.id, S.id]
    assert {s.via for s in route.steps[1:]} == {PathwayRelation.PUBLISHED_PATHWAY}
    found = await store.published_pathways([N.id, "cred:none"])
    assert [p.name for p in found[N.id]] == ["IT pathway"]
    assert found[N.id][0].components == PATH.components
    assert found["cred:none"] == []
    assert (await store.upsert_pathways([PATH])).unchanged == 1


async def test_a_recrawled_pathway_replaces_its_steps(store: GraphStore) -> None:
    await store.upsert_credentials([A, N, S])
    await store.upsert_pathways([PATH])
    shorter = replace(PATH, components=PATH.components[1:])
    assert (await store.upsert_pathways([shorter])).updated == 1
    assert await store.pathways(A.id, PathwayGoal(frozenset({S.id})), 6, 5) == []
    assert (await store.published_pathways([A.id]))[A.id] == []


async def test_a_pathway_without_a_name_is_rejected_by_name(store: GraphStore) -> None:
    report = await store.upsert_pathways([replace(PATH, name=" ")])
    [rejected] = report.rejected
    assert rejected.record_id == PATH.id and "name" in rejected.problems[0]


async def test_replacing_a_pathway_of_uncrawled_credentials_leaves_the_store_consistent(
    store: GraphStore,
) -> None:
    await store.upsert_pathways([PATH])  # none of its credentials is stored
    assert (await store.check()).ok
    await store.upsert_pathways([replace(PATH, components=())])
    report = await store.check()
    assert report.ok, report.problems


async def test_the_whole_graph_holds_a_pathways_links(store: GraphStore) -> None:
    # The graph's walk (whole-graph exports) read on Neo4j only the links each credential
    # owns, and a pathway owns its own: every export without seeds left them out, while
    # stats counted them.
    await store.upsert_credentials([A, N, S])
    await store.upsert_pathways([PATH])
    edges = [
        (item.source, item.target)
        async for item in store.iter_graph()
        if isinstance(item, GraphEdge) and item.type is EdgeType.PUBLISHED_PATHWAY
    ]
    assert sorted(edges) == [(A.id, N.id), (N.id, S.id)]
    assert (await store.stats()).relationships == 2
