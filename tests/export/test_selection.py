"""Selections on the hand-built graph: exactly the expected nodes and edges, on both stores."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from credgraph.errors import InvalidQuery
from credgraph.export import Export, Selection, parse_since, parse_types
from credgraph.export.selection import resolve_seeds, select
from credgraph.model.values import CredentialType, EdgeType
from credgraph.model.views import GraphEdge, GraphNode
from credgraph.store import GraphStore
from tests.contract import data

DA = "https://acme.example/badges/data-analyst"
SQLB = "https://acme.example/badges/sql-basics"
CLOUD = "https://acme.example/badges/cloud"
MSC = "ce-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"
ETH = "https://nobody.example/c/ethics"
BARE = "https://nobody.example/c/empty"


async def picked(
    store: GraphStore, selection: Selection
) -> tuple[set[str], set[tuple[str, str, str]]]:
    nodes: set[str] = set()
    edges: set[tuple[str, str, str]] = set()
    async for item in select(store, selection):
        if isinstance(item, GraphNode):
            assert item.id not in nodes, f"{item.id} twice"
            nodes.add(item.id)
        else:
            assert isinstance(item, GraphEdge)
            assert {item.source, item.target} <= nodes, f"edge {item} before its nodes"
            edges.add((item.source, item.type.value, item.target))
    return nodes, edges


async def test_type_focus_keeps_the_credentials_and_what_they_link_to(store: GraphStore) -> None:
    nodes, edges = await picked(store, Selection(types=(CredentialType.BADGE,)))
    assert nodes == {
        DA,
        data.ACME.id,
        data.SQL.id,
        data.PY.id,
        data.STATS.id,
        data.DATA_SCI.id,
        data.DBA.id,
    }
    assert (SQLB, "PART_OF", DA) not in edges  # the other credential does not pass
    assert (data.DATA_SCI.id, "REQUIRES_SKILL", data.PY.id) in edges  # both ends kept
    assert (data.ACME.id, "ACCREDITED_BY", data.ACCREDITOR.id) not in edges
    assert {e for e in edges if e[0] == DA} == {
        (DA, "ISSUED_BY", data.ACME.id),
        (DA, "TEACHES", data.SQL.id),
        (DA, "TEACHES", data.PY.id),
        (DA, "ASSESSES", data.STATS.id),
        (DA, "PREPARES_FOR", data.DATA_SCI.id),
        (DA, "PREPARES_FOR", data.DBA.id),
    }


async def test_occupation_prefix(store: GraphStore) -> None:
    nodes, edges = await picked(store, Selection(occupation_prefix="15-1"))
    assert nodes == {DA, SQLB, data.ACME.id, data.SQL.id, data.PY.id, data.STATS.id, data.DBA.id}
    assert (SQLB, "PART_OF", DA) in edges
    assert data.DATA_SCI.id not in nodes  # 15-2051 is outside the prefix


async def test_issuer_and_skill_focus(store: GraphStore) -> None:
    nodes, _ = await picked(store, Selection(issuers=(data.UNI.id,)))
    assert nodes == {
        MSC,
        data.UNI.id,
        data.PY.id,
        data.STATS.id,
        data.ETHICS.id,
        data.SQL.id,
        data.DATA_SCI.id,
        data.ACCREDITOR.id,
    }
    nodes, _ = await picked(
        store, Selection(skills=(data.ETHICS.id,), types=(CredentialType.COURSE,))
    )
    assert nodes == {ETH, data.NOBODY.id, data.ETHICS.id}


async def test_seeds_and_depth(store: GraphStore) -> None:
    nodes, edges = await picked(store, Selection(seeds=(ETH,), depth=1))
    assert nodes == {ETH, data.NOBODY.id, data.ETHICS.id}
    assert edges == {(ETH, "ISSUED_BY", data.NOBODY.id), (ETH, "TEACHES", data.ETHICS.id)}
    nodes, _ = await picked(store, Selection(seeds=(ETH,), depth=2))
    assert nodes == {ETH, data.NOBODY.id, data.ETHICS.id, MSC, data.DATA_SCI.id}
    # a seed named by code, and a filter on top of a neighbourhood
    nodes, _ = await picked(
        store, Selection(seeds=("15-2051.00",), depth=1, types=(CredentialType.DEGREE,))
    )
    # (within one hop of the occupation: its credentials and required skills)
    assert nodes == {MSC, data.PY.id, data.STATS.id, data.ETHICS.id, data.SQL.id, data.DATA_SCI.id}


async def test_dropping_filters(store: GraphStore) -> None:
    await store.mark_missed("src-b", {MSC}, 1)  # ETH and BARE vanished from their catalog
    nodes, edges = await picked(store, Selection(exclude_stale=True))
    assert ETH not in nodes and BARE not in nodes and MSC in nodes
    assert data.NOBODY.id in nodes  # dropping filters drop credentials only
    assert not any(ETH in (s, t) for s, _, t in edges)
    future = datetime.now(UTC) + timedelta(days=1)
    nodes, edges = await picked(store, Selection(changed_since=future))
    assert not nodes & {DA, SQLB, CLOUD, MSC, ETH, BARE}
    assert data.ACME.id in nodes
    assert all(t != EdgeType.ISSUED_BY.value for _, t, _ in edges)


async def test_unknown_seeds_select_nothing(store: GraphStore) -> None:
    spelled = "HTTPS://ACME.Example/badges/data-analyst/"
    onet_page = "https://www.onetonline.org/link/summary/15-2051.00"  # an O*NET occupation's URI
    resolved = await resolve_seeds(store, ["no-such-node", spelled, "15-1242", onet_page])
    assert resolved.unknown == ["no-such-node"]
    assert resolved.ids == [DA, data.DBA.id, data.DATA_SCI.id]
    nodes, edges = await picked(store, Selection(seeds=("no-such-node",)))
    assert (nodes, edges) == (set(), set())


def test_bad_selections_are_named() -> None:
    with pytest.raises(InvalidQuery, match="depth must be between 0 and 6, got 9"):
        Selection(seeds=("x",), depth=9)
    with pytest.raises(InvalidQuery, match="unknown credential type 'diploma'"):
        parse_types(["badge", "diploma"])
    assert parse_types(["badge", "BADGE"]) == (CredentialType.BADGE,)
    with pytest.raises(InvalidQuery, match="not an ISO 8601 date"):
        parse_since("last tuesday")
    assert parse_since("2026-01-31") == datetime(2026, 1, 31, tzinfo=UTC)


async def test_issuer_and_skill_filters_resolve_ids_as_seeds_do(
    store: GraphStore, tmp_path: Path
) -> None:
    """A URI in another case or with a trailing slash, or a CTID in upper case, finds its node
    as a seed does; a filter value naming nothing is named in the manifest and keeps
    nothing (it does not fall away)."""
    exact = Selection(issuers=(data.UNI.id,), skills=(data.SQL.id,))
    spelled = Selection(
        issuers=(data.UNI.id.upper(),), skills=("HTTP://DATA.europa.eu/esco/skill/sql/",)
    )
    assert (await picked(store, exact))[0]
    await Export(store, exact, "ndjson").write(tmp_path / "exact.ndjson")
    await Export(store, spelled, "ndjson").write(tmp_path / "spelled.ndjson")
    assert (tmp_path / "spelled.ndjson").read_bytes() == (tmp_path / "exact.ndjson").read_bytes()
    unknown = Selection(issuers=("https://acme.example/issuer", "issuer:gone"))
    await Export(store, unknown, "ndjson").write(tmp_path / "u.ndjson")
    manifest = json.loads((tmp_path / "u.ndjson.manifest.json").read_text())
    assert manifest["unresolved_filters"] == ["issuer:gone"]
    assert any("1 issuer or skill filter value(s) name no node" in n for n in manifest["notes"])
    assert manifest["counts"]["nodes"]["credential"] == 3  # Acme's, as without the unknown one
    await Export(store, Selection(skills=("label:gone",)), "ndjson").write(tmp_path / "n.ndjson")
    nothing = json.loads((tmp_path / "n.ndjson.manifest.json").read_text())
    assert nothing["empty"] is True and nothing["unresolved_filters"] == ["label:gone"]


async def test_a_sites_root_is_found_with_or_without_its_slash(store: GraphStore) -> None:
    # Stored as published, "https://accreditor.example"; asked as people write it too.
    for spelled in ("https://accreditor.example/", "HTTPS://Accreditor.Example"):
        resolved = await resolve_seeds(store, [spelled])
        assert resolved.ids == [data.ACCREDITOR.id], spelled


async def test_a_filter_value_naming_a_node_of_another_kind_is_unresolved(
    store: GraphStore, tmp_path: Path
) -> None:
    # A credential's id or URL (a site's root, often) given as an issuer is no issuer: it
    # resolved to the credential, kept nothing and was not reported.
    await Export(store, Selection(issuers=(DA,)), "ndjson").write(tmp_path / "c.ndjson")
    manifest = json.loads((tmp_path / "c.ndjson.manifest.json").read_text())
    assert manifest["unresolved_filters"] == [DA]
