"""What a manifest cites: the source of every exported node, taxonomy nodes through the
imports of their framework, and a note for what the store records no source of."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from credgraph.export import Export, Selection
from credgraph.model.crawl import Source
from credgraph.model.records import Credential, Provenance
from credgraph.store import GraphStore
from tests.contract import data

ONET = Source(
    "onet-29", "onet", ("https://www.onetcenter.org/dl_files/db_29_0.zip",), licence="CC BY 4.0"
)


async def manifest(store: GraphStore, tmp_path: Path, selection: Selection) -> dict[str, Any]:
    out = tmp_path / "m.ndjson"
    await Export(store, selection, "ndjson").write(out)
    found: dict[str, Any] = json.loads((tmp_path / "m.ndjson.manifest.json").read_text())
    return found


async def test_taxonomy_nodes_cite_the_imports_of_their_framework(
    store: GraphStore, tmp_path: Path
) -> None:
    """An export of O*NET occupations and ESCO skills alone (no credential) cited nothing:
    their licence's attribution was lost."""
    await store.upsert_sources([ONET])
    selection = Selection(seeds=(data.DATA_SCI.id, data.SQL.id), depth=0)
    found = await manifest(store, tmp_path, selection)
    assert found["counts"]["nodes"] == {"occupation": 1, "skill": 1}
    [onet] = found["sources"]
    assert onet["id"] == "onet-29" and onet["licence"] == "CC BY 4.0"
    assert onet["urls"] == list(ONET.urls)
    # ESCO has no configured import here: said, not silently left out
    [note] = [n for n in found["notes"] if "No source is recorded" in n]
    assert "1 skill node(s)" in note


async def test_nodes_without_a_recorded_source_are_named_in_the_notes(
    store: GraphStore, tmp_path: Path
) -> None:
    selection = Selection(seeds=(data.NOBODY.id, data.STATS.id), depth=0)
    found = await manifest(store, tmp_path, selection)
    assert found["sources"] == []
    [note] = [n for n in found["notes"] if "No source is recorded" in n]
    assert "1 issuer, 1 skill node(s)" in note


async def test_verified_credentials_are_not_reported_as_a_source_gone(
    store: GraphStore, tmp_path: Path
) -> None:
    verified = "https://badges.example/assertion/1"
    when = datetime(2026, 1, 1, tzinfo=UTC)
    provenance = Provenance("verified-submission", verified, "openbadges", when)
    await store.upsert_credentials([Credential(verified, "Verified", provenance=provenance)])
    found = await manifest(store, tmp_path, Selection(seeds=(verified,), depth=0))
    assert [s["id"] for s in found["sources"]] == ["verified-submission"]
    assert "badge verification" in found["sources"][0]["name"]
    assert not any("no longer configured" in n for n in found["notes"])
    assert any("added by badge verification" in n for n in found["notes"])
