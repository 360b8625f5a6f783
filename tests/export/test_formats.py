"""Every format, from both stores, read back with the libraries researchers use: networkx
(GraphML, node-link), pandas (CSV), rdflib and pyld (JSON-LD), json (NDJSON); manifests
checked against the files and the store."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd
import pytest
from pyld import jsonld
from rdflib import Dataset, URIRef

from credgraph.errors import InvalidQuery
from credgraph.export import Export, Selection
from credgraph.model.values import CredentialType
from credgraph.model.views import GraphNode
from credgraph.store import GraphStore
from tests.contract import data

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")


async def test_every_stored_property_has_a_column(store: GraphStore) -> None:
    """Exports declare their columns up front: a property the stores produce and the table
    lacks would be silently dropped."""
    from credgraph.export.columns import EDGE_COLUMNS, NODE_PROPERTIES
    from credgraph.model.views import GraphEdge

    async for item in store.iter_graph():
        if isinstance(item, GraphNode):
            extra = set(item.properties) - set(NODE_PROPERTIES[item.kind]) - {"id"}
        else:
            assert isinstance(item, GraphEdge)
            extra = set(item.properties) - set(EDGE_COLUMNS)
        assert not extra, f"{item}: no export column for {extra}"


async def expected_counts(store: GraphStore) -> tuple[dict[str, int], int]:
    stats = await store.stats()
    kinds = {
        "issuer": stats.issuers,
        "credential": stats.credentials,
        "skill": stats.skills,
        "occupation": stats.occupations,
    }
    return kinds, stats.relationships


def unzip(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
        return {name: archive.read(name) for name in archive.namelist()}


def check_manifest(
    manifest: dict[str, Any], files: dict[str, bytes], kinds: dict[str, int], edges: int
) -> None:
    assert manifest["counts"]["nodes"] == kinds
    assert manifest["counts"]["total_edges"] == edges
    assert {f["name"]: f["sha256"] for f in manifest["files"]} == {
        name: hashlib.sha256(body).hexdigest() for name, body in files.items()
    }
    assert {s["id"] for s in manifest["sources"]} == {"src-a", "src-b"}
    assert all(s["licence"] and s["urls"] for s in manifest["sources"])
    assert manifest["generator"]["name"] == "credgraph" and manifest["empty"] is False


async def test_graphml_reads_back_typed(store: GraphStore, tmp_path: Path) -> None:
    kinds, edges = await expected_counts(store)
    out = tmp_path / "g.graphml"
    written = await Export(store, Selection(), "graphml").write(out)
    assert written == [out, tmp_path / "g.graphml.manifest.json"]
    graph = nx.read_graphml(out)
    by_kind: dict[str, int] = {}
    for _, attrs in graph.nodes(data=True):
        by_kind[attrs["kind"]] = by_kind.get(attrs["kind"], 0) + 1
    assert by_kind == kinds
    assert graph.number_of_edges() == edges
    da = graph.nodes["https://acme.example/badges/data-analyst"]
    assert da["label"] == "Data Analyst Badge" and da["type"] == "BADGE"
    assert isinstance(da["transparency"], float) and da["duration_hours"] == 40.0
    assert da["stale"] is False and da["cost_currency"] == "USD"
    edge = graph.edges["https://acme.example/badges/data-analyst", data.SQL.id]
    assert edge["type"] == "TEACHES" and edge["confidence"] == 1.0
    manifest = json.loads(written[1].read_text())
    check_manifest(manifest, {"g.graphml": out.read_bytes()}, kinds, edges)
    assert not list(tmp_path.glob("*.part"))


async def test_csv_zip_loads_with_pandas(store: GraphStore, tmp_path: Path) -> None:
    kinds, edges = await expected_counts(store)
    out = tmp_path / "g.zip"
    await Export(store, Selection(), "csv").write(out)
    files = unzip(out)
    assert list(files) == ["nodes.csv", "edges.csv", "changes.csv", "manifest.json"]
    nodes = pd.read_csv(io.BytesIO(files["nodes.csv"]))
    edge_rows = pd.read_csv(io.BytesIO(files["edges.csv"]))
    assert nodes["kind"].value_counts().to_dict() == kinds
    assert len(edge_rows) == edges
    assert list(edge_rows.columns[:3]) == ["source", "target", "type"]
    msc = nodes.set_index("id").loc["ce-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"]
    assert msc["credits_value"] == 90.0 and msc["name"] == "MSc Datenwissenschaft"
    manifest = json.loads(files.pop("manifest.json"))
    check_manifest(manifest, files, kinds, edges)


async def test_jsonld_parses_with_rdflib_and_pyld(store: GraphStore, tmp_path: Path) -> None:
    out = tmp_path / "g.jsonld"
    await Export(store, Selection(), "jsonld").write(out)
    document = json.loads(out.read_text())
    expanded = jsonld.expand(document)
    assert len(expanded) > 10
    graph = Dataset().parse(data=out.read_text(), format="json-ld")
    predicates = {str(p) for p in graph.predicates()}
    assert "https://purl.org/ctdl/terms/ownedBy" in predicates
    assert "https://schema.org/name" in predicates
    assert "http://www.w3.org/2004/02/skos/core#altLabel" in predicates
    da = URIRef("https://acme.example/badges/data-analyst")
    assert (da, URIRef("https://purl.org/ctdl/terms/teaches"), URIRef(data.SQL.id)) in graph
    types = {
        str(o) for o in graph.objects(da, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"))
    }
    assert types == {"https://purl.org/ctdl/terms/Badge"}
    # ids that are not URIs become urn:credgraph: IRIs, the same in nodes and edges
    dba = URIRef("urn:credgraph:onet:15-1242.00")
    assert (dba, URIRef("https://schema.org/name"), None) in graph
    assert (da, URIRef("https://purl.org/ctdl/terms/occupationType"), dba) in graph


async def test_ndjson_and_nodelink(store: GraphStore, tmp_path: Path) -> None:
    kinds, edges = await expected_counts(store)
    await Export(store, Selection(), "ndjson").write(tmp_path / "g.ndjson")
    lines = [json.loads(line) for line in (tmp_path / "g.ndjson").read_text().splitlines()]
    assert sum(1 for x in lines if x["element"] == "edge") == edges
    assert {x["kind"] for x in lines if x["element"] == "node"} == set(kinds)
    await Export(store, Selection(), "nodelink").write(tmp_path / "g.json")
    graph = nx.node_link_graph(json.loads((tmp_path / "g.json").read_text()), edges="edges")
    assert graph.number_of_nodes() == sum(kinds.values())
    assert graph.number_of_edges() == edges


async def test_nodelink_keeps_parallel_edges(store: GraphStore, tmp_path: Path) -> None:
    """Two links between one pair (a badge that teaches and assesses SQL) are two edges once
    networkx reads the node-link JSON as the user guide says, told apart by their key."""
    from credgraph.model.records import Credential
    from credgraph.model.values import SkillRelation

    both = "https://x.example/c/teaches-and-assesses"
    await store.upsert_credentials(
        [
            Credential(
                both,
                "SQL, taught and assessed",
                skills=(data.link(data.SQL), data.link(data.SQL, SkillRelation.ASSESSES)),
            )
        ]
    )
    _kinds, edges = await expected_counts(store)
    await Export(store, Selection(), "nodelink").write(tmp_path / "g.json")
    document = json.loads((tmp_path / "g.json").read_text())
    assert document["multigraph"] is True
    graph = nx.node_link_graph(document, edges="edges")
    assert graph.number_of_edges() == len(document["edges"]) == edges
    assert set(graph[both][data.SQL.id]) == {"TEACHES", "ASSESSES"}
    assert graph.edges[both, data.SQL.id, "ASSESSES"]["type"] == "ASSESSES"


@pytest.mark.parametrize("format_name", ["csv", "nodelink", "graphml"])
async def test_neighbourhood_exports_place_nodes_before_edges(
    store: GraphStore, tmp_path: Path, format_name: str
) -> None:
    """A neighbourhood streams layer by layer (nodes after edges); nodes-first formats hold
    edges back and still come out whole."""
    out = tmp_path / "n.zip"
    export = Export(store, Selection(seeds=("15-2051.00",), depth=2), format_name)
    await export.write(out)
    files = unzip(out)
    manifest = json.loads(files.pop("manifest.json"))
    assert manifest["selection"]["seeds"] == ["15-2051.00"]
    assert manifest["counts"]["total_nodes"] > 5 and manifest["counts"]["total_edges"] > 5
    if format_name == "csv":
        nodes = pd.read_csv(io.BytesIO(files["nodes.csv"]))
        edges = pd.read_csv(io.BytesIO(files["edges.csv"]))
        assert set(edges["source"]) | set(edges["target"]) <= set(nodes["id"])
        assert len(edges) == manifest["counts"]["total_edges"]


async def test_empty_selection_is_valid_and_says_so(store: GraphStore, tmp_path: Path) -> None:
    await Export(store, Selection(seeds=("nothing-here",)), "graphml").write(tmp_path / "e.graphml")
    assert nx.read_graphml(tmp_path / "e.graphml").number_of_nodes() == 0
    manifest = json.loads((tmp_path / "e.graphml.manifest.json").read_text())
    assert manifest["empty"] is True and manifest["unresolved_seeds"] == ["nothing-here"]
    assert any("matched nothing" in note for note in manifest["notes"])
    await Export(store, Selection(seeds=("nothing-here",)), "csv").write(tmp_path / "e.zip")
    files = unzip(tmp_path / "e.zip")
    assert pd.read_csv(io.BytesIO(files["nodes.csv"])).empty


async def test_hostile_text_stays_readable(store: GraphStore, tmp_path: Path) -> None:
    from credgraph.model.records import Credential

    await store.upsert_credentials(
        [Credential("https://x.example/c/1", 'Bell\x07 <&> "quoted" ]]>', description="a\x00b")]
    )
    await Export(store, Selection(), "graphml").write(tmp_path / "h.graphml")
    graph = nx.read_graphml(tmp_path / "h.graphml")
    assert graph.nodes["https://x.example/c/1"]["name"].startswith('Bell\ufffd <&> "quoted"')
    await Export(store, Selection(), "jsonld").write(tmp_path / "h.jsonld")
    Dataset().parse(data=(tmp_path / "h.jsonld").read_text(), format="json-ld")


async def test_a_failed_export_leaves_no_file(store: GraphStore, tmp_path: Path) -> None:
    class Failing:
        def __init__(self, inner: GraphStore) -> None:
            self.inner = inner

        def __getattr__(self, name: str) -> Any:
            return getattr(self.inner, name)

        async def iter_graph(self) -> Any:
            count = 0
            async for item in self.inner.iter_graph():
                count += 1
                if count > 3 and isinstance(item, GraphNode):
                    raise OSError(28, "No space left on device")
                yield item

    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(OSError, match="No space left"):
        await Export(Failing(store), Selection(), "graphml").write(  # type: ignore[arg-type]
            folder / "f.graphml"
        )
    assert list(folder.iterdir()) == []


async def test_bad_requests_are_named(store: GraphStore, tmp_path: Path) -> None:
    with pytest.raises(InvalidQuery, match="unknown export format 'xlsx'"):
        Export(store, Selection(), "xlsx")
    with pytest.raises(InvalidQuery, match=r"csv exports several files: --out must end in \.zip"):
        await Export(store, Selection(), "csv").write(tmp_path / "g.csv")
    with pytest.raises(InvalidQuery, match=r"folder .* does not exist"):
        await Export(store, Selection(), "ndjson").write(tmp_path / "no" / "g.ndjson")


async def test_credential_history_travels_with_csv_and_ndjson(
    store: GraphStore, tmp_path: Path
) -> None:
    """Researchers study how catalogs change: each exported credential's version records."""
    from dataclasses import replace

    [badge] = [c for c in data.credentials() if c.id == "https://acme.example/badges/data-analyst"]
    await store.upsert_credentials([replace(badge, duration_hours=45.0, name="Data Analyst")])
    await Export(store, Selection(types=(CredentialType.BADGE,)), "csv").write(tmp_path / "c.zip")
    files = unzip(tmp_path / "c.zip")
    changes = pd.read_csv(io.BytesIO(files["changes.csv"]))
    assert sorted(changes["field"]) == ["duration_hours", "name"]
    assert set(changes["credential_id"]) == {badge.id}
    name = changes.set_index("field").loc["name"]
    assert (json.loads(name["old"]), json.loads(name["new"])) == (
        "Data Analyst Badge",
        "Data Analyst",
    )
    assert json.loads(files["manifest.json"])["counts"]["credential_changes"] == 1
    await Export(store, Selection(), "ndjson").write(tmp_path / "c.ndjson")
    lines = [json.loads(x) for x in (tmp_path / "c.ndjson").read_text().splitlines()]
    [change] = [x for x in lines if x["element"] == "change"]
    assert change["credential"] == badge.id
    assert {c["field"] for c in change["changes"]} == {"duration_hours", "name"}
    assert lines.index(change) == len(lines) - 1  # after every node and edge
