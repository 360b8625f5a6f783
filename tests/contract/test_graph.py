"""Contract: neighbourhood streaming, whole-graph streaming, staleness, sources and crawl runs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from credgraph.model import CrawlRun, CrawlStatus, EdgeType, NodeKind, Source
from credgraph.model.crawl import CrawlError
from credgraph.model.records import Credential, Issuer, Skill, SkillLink
from credgraph.model.views import GraphEdge, GraphNode
from credgraph.store import GraphStore
from tests.contract import data
from tests.contract.test_reads import BARE, BASICS, CLOUD, DA, ETHICS, MSC
from tests.contract.test_writes import load


async def collect(
    store: GraphStore, seeds: list[str], depth: int
) -> tuple[dict[str, GraphNode], list[tuple[str, str, str]]]:
    nodes: dict[str, GraphNode] = {}
    edges: list[tuple[str, str, str]] = []
    async for item in store.neighbourhood(seeds, depth):
        if isinstance(item, GraphNode):
            assert item.id not in nodes, f"node {item.id} streamed twice"
            nodes[item.id] = item
        else:
            assert isinstance(item, GraphEdge)
            assert item.source in nodes and item.target in nodes, "edge before its nodes"
            edges.append((item.source, item.type.value, item.target))
    assert len(edges) == len(set(edges)), "an edge was streamed twice"
    return nodes, edges


async def test_neighbourhood_depths(store: GraphStore) -> None:
    await load(store)
    nodes, edges = await collect(store, [data.NOBODY.id], 0)
    assert set(nodes) == {data.NOBODY.id} and edges == []
    assert nodes[data.NOBODY.id].kind == NodeKind.ISSUER
    assert nodes[data.NOBODY.id].properties["name"] == "Nobody Institute"

    nodes, edges = await collect(store, [data.NOBODY.id], 1)
    assert set(nodes) == {data.NOBODY.id, ETHICS}
    assert edges == [(ETHICS, "ISSUED_BY", data.NOBODY.id)]

    nodes, edges = await collect(store, [data.NOBODY.id], 2)
    assert set(nodes) == {data.NOBODY.id, ETHICS, data.ETHICS.id}

    nodes, edges = await collect(store, [data.NOBODY.id], 3)
    assert set(nodes) == {data.NOBODY.id, ETHICS, data.ETHICS.id, MSC, data.DATA_SCI.id}
    # Induced subgraph: the edge between two nodes at the last layer is included.
    assert (MSC, "PREPARES_FOR", data.DATA_SCI.id) in edges  # both at layer 3
    assert (data.DATA_SCI.id, "REQUIRES_SKILL", data.ETHICS.id) in edges
    assert (MSC, "TEACHES", data.ETHICS.id) in edges
    assert nodes[MSC].kind == NodeKind.CREDENTIAL
    assert nodes[MSC].properties["type"] == "DEGREE"
    assert nodes[MSC].properties["cost_currency"] == "CHF"


async def test_neighbourhood_induces_edges_within_the_last_layer(store: GraphStore) -> None:
    await load(store)
    nodes, edges = await collect(store, [data.ACME.id], 1)
    assert set(nodes) == {data.ACME.id, DA, BASICS, CLOUD, data.ACCREDITOR.id}
    assert (BASICS, "PART_OF", DA) in edges  # both at layer 1
    assert len(edges) == 5


async def test_neighbourhood_of_unknown_seed_is_empty(store: GraphStore) -> None:
    await load(store)
    assert await collect(store, ["https://nowhere.example"], 2) == ({}, [])


async def test_iter_graph_matches_stats(store: GraphStore) -> None:
    await load(store)
    kinds: dict[NodeKind, int] = {}
    edge_types: dict[EdgeType, int] = {}
    node_ids: set[str] = set()
    async for item in store.iter_graph():
        if isinstance(item, GraphNode):
            kinds[item.kind] = kinds.get(item.kind, 0) + 1
            node_ids.add(item.id)
        else:
            assert item.source in node_ids and item.target in node_ids
            edge_types[item.type] = edge_types.get(item.type, 0) + 1
    s = await store.stats()
    assert kinds == {
        NodeKind.ISSUER: s.issuers,
        NodeKind.CREDENTIAL: s.credentials,
        NodeKind.SKILL: s.skills,
        NodeKind.OCCUPATION: s.occupations,
    }
    assert sum(edge_types.values()) == s.relationships
    assert edge_types[EdgeType.REQUIRES_SKILL] == 5


async def test_missed_credentials_go_stale_and_come_back(store: GraphStore) -> None:
    await load(store)
    # src-a supplied DA, BASICS, CLOUD; a run that only saw DA misses the other two.
    for _ in range(2):
        report = await store.mark_missed("src-a", [DA], threshold=3)
        assert (report.missed, report.newly_stale) == (2, 0)
    report = await store.mark_missed("src-a", [DA], threshold=3)
    assert (report.missed, report.newly_stale) == (2, 2)
    [basics] = await store.get_credentials([BASICS])
    assert basics.stale
    assert (await store.stats()).stale_credentials == 2
    from credgraph.store.query import CredentialFilter

    fresh = await store.list_credentials(CredentialFilter(exclude_stale=True), first=50)
    assert {v.id for v in fresh.items} == {DA, MSC, ETHICS, BARE}
    report = await store.mark_missed("src-a", [DA, BASICS, CLOUD], threshold=3)
    assert (report.missed, report.newly_stale, report.revived) == (0, 0, 2)
    assert not (await store.get_credentials([BASICS]))[0].stale
    # Nothing was deleted along the way.
    assert (await store.stats()).credentials == 6


async def test_sources_and_crawl_runs(store: GraphStore) -> None:
    sources = [
        Source("src-a", "openbadges", ("https://acme.example/badges",), "0 3 * * *", "CC-BY-4.0"),
        Source("src-b", "ctdl", ("https://registry.example/a", "https://registry.example/b")),
    ]
    assert (await store.upsert_sources(sources)).created == 2
    assert (await store.upsert_sources(sources)).unchanged == 2
    assert await store.list_sources() == sources
    t0 = datetime(2026, 11, 1, tzinfo=UTC)
    runs = [
        CrawlRun(
            f"run-{i}",
            "src-a" if i % 2 else "src-b",
            CrawlStatus.RUNNING if i == 4 else CrawlStatus.SUCCEEDED,
            t0 + timedelta(hours=i),
            None if i == 4 else t0 + timedelta(hours=i, minutes=5),
            fetched=i,
        )
        for i in range(5)
    ]
    for run in runs:
        await store.record_crawl_run(run)
    failed = CrawlRun(
        "run-4",
        "src-b",
        CrawlStatus.PARTIAL,
        runs[4].started_at,
        runs[4].started_at + timedelta(minutes=5),
        fetched=9,
        errors=1,
        error_samples=(CrawlError("https://registry.example/b", "invalid JSON"),),
    )
    await store.record_crawl_run(failed)  # same id, ended: replaced, not duplicated
    latest = await store.crawl_runs(limit=10)
    assert [r.id for r in latest] == ["run-4", "run-3", "run-2", "run-1", "run-0"]
    assert latest[0] == failed
    assert [r.id for r in await store.crawl_runs("src-a")] == ["run-3", "run-1"]
    assert (await store.stats()).crawl_runs == 5


async def test_document_states_round_trip(store: GraphStore) -> None:
    from credgraph.model.crawl import DocumentState

    t0 = datetime(2026, 11, 1, tzinfo=UTC)
    states = [
        DocumentState(
            "src-a",
            "https://x.example/p1",
            '"etag-1"',
            "Sat, 01 Nov 2026 00:00:00 GMT",
            "sha256:aa",
            t0,
            ("https://x.example/c/1", "https://x.example/c/2"),
            ("https://x.example/p2",),
        ),
        DocumentState("src-a", "https://x.example/p2", None, None, "sha256:bb", t0),
        DocumentState("src-b", "https://x.example/p1", '"other"', None, "sha256:cc", t0),
    ]
    await store.save_document_states(states)
    assert await store.document_states("src-a") == {s.url: s for s in states[:2]}
    replaced = DocumentState("src-a", "https://x.example/p2", '"etag-2"', None, "sha256:dd", t0)
    await store.save_document_states([replaced])
    assert (await store.document_states("src-a"))["https://x.example/p2"] == replaced
    assert list(await store.document_states("src-b")) == ["https://x.example/p1"]
    assert await store.document_states("nope") == {}


async def test_iter_graph_tells_a_node_known_only_from_a_mention(store: GraphStore) -> None:
    """A skill a credential's link names is a stub until its own record is written: the
    linker's index lets such a node give way to a framework's own (link/index.py)."""
    mentioned = Skill(
        "onet-content-model:2.A.1.e", "Mathematics", "O*NET Content Model", code="2.A.1.e"
    )
    issuer = Issuer("issuer:stub-test", "Stub Test")
    await store.upsert_credentials(
        [Credential("https://stub.example/1", "One", issuer=issuer, skills=(SkillLink(mentioned),))]
    )
    await store.upsert_skills([Skill("onet:2.A.1.e", "Mathematics", "O*NET", code="2.A.1.e")])

    async def stubs() -> dict[str, bool]:
        return {
            item.id: item.stub
            async for item in store.iter_graph()
            if isinstance(item, GraphNode) and item.kind is NodeKind.SKILL
        }

    assert await stubs() == {mentioned.id: True, "onet:2.A.1.e": False}
    await store.upsert_skills([mentioned])  # a framework document defines it after all
    assert await stubs() == {mentioned.id: False, "onet:2.A.1.e": False}
