"""`GET /export` over HTTP (in-process ASGI): streamed zips with their manifest, bare files,
clear 400s for bad selections, and the concurrency cap; `exportSubgraph` in GraphQL."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

import networkx as nx

from tests.api.http_helpers import api
from tests.contract import data

DA = "https://acme.example/badges/data-analyst"


async def test_export_zip_streams_data_and_manifest(tmp_path: Path) -> None:
    async with api(tmp_path) as (client, _app):
        response = await client.get("/export", params={"format": "graphml"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/zip"
    assert response.headers["content-disposition"].startswith(
        'attachment; filename="credgraph-graphml-')
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        names = archive.namelist()
        graphml = archive.read("graph.graphml")
        manifest = json.loads(archive.read("manifest.json"))
    assert names == ["graph.graphml", "manifest.json"]
    assert manifest["files"] == [{"name": "graph.graphml", "bytes": len(graphml),
                                  "sha256": hashlib.sha256(graphml).hexdigest()}]
    graph = nx.read_graphml(io.BytesIO(graphml))
    assert graph.nodes[DA]["kind"] == "credential"
    assert manifest["counts"]["nodes"]["credential"] == len(data.credentials())


async def test_export_selection_and_bare_file(tmp_path: Path) -> None:
    async with api(tmp_path) as (client, _app):
        response = await client.get("/export", params=[
            ("format", "ndjson"), ("seed", DA), ("depth", "1"), ("bundle", "false")])
        csv_bare = await client.get("/export", params={"format": "csv", "bundle": "false"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/x-ndjson")
    lines = [json.loads(line) for line in response.text.splitlines()]
    ids = {x["id"] for x in lines if x["element"] == "node"}
    assert DA in ids and data.ACME.id in ids and data.NOBODY.id not in ids
    assert csv_bare.status_code == 400 and "bundled only" in csv_bare.json()["error"]


async def test_bad_export_requests_are_400_with_the_reason(tmp_path: Path) -> None:
    async with api(tmp_path) as (client, _app):
        cases = {
            "format=xlsx": "unknown export format 'xlsx'",
            "": "`format` is required",
            "format=csv&depth=deep": "`depth` must be a whole number",
            "format=csv&seed=x&depth=99": "depth must be between 0 and 6",
            "format=csv&type=DIPLOMA": "unknown credential type 'DIPLOMA'",
            "format=csv&changedSince=yesterday": "not an ISO 8601 date",
            "format=csv&excludeStale=maybe": "`excludeStale` must be true or false",
            "format=csv&sneaky=1": "unknown parameter(s) ['sneaky']",
        }
        for query, reason in cases.items():
            response = await client.get(f"/export?{query}")
            assert response.status_code == 400, query
            assert reason in response.json()["error"], (query, response.json())


async def test_graphql_export_inline_and_by_url(tmp_path: Path) -> None:
    query = """query($s: ExportSelection!, $f: ExportFormat!) {
      exportSubgraph(selection: $s, format: $f) {
        format inline nodeCount edgeCount downloadUrl manifest files { name content sha256 }
      } }"""
    async with api(tmp_path) as (client, _app):
        small = await client.post("/graphql", json={"query": query, "variables": {
            "s": {"seeds": [DA], "depth": 1}, "f": "GRAPHML"}})
        body = small.json()
        assert "errors" not in body, body
        result = body["data"]["exportSubgraph"]
        assert result["inline"] is True and result["nodeCount"] >= 5
        [file] = result["files"]
        assert file["name"] == "graph.graphml"
        assert hashlib.sha256(file["content"].encode()).hexdigest() == file["sha256"]
        assert json.loads(result["manifest"])["selection"]["seeds"] == [DA]
        assert result["downloadUrl"].startswith("/export?format=graphml&seed=")
        download = await client.get(result["downloadUrl"])
        assert download.status_code == 200
        bad = await client.post("/graphql", json={"query": query, "variables": {
            "s": {"seeds": ["x"], "depth": 42}, "f": "CSV"}})
    assert bad.status_code == 200
    assert "depth must be between 0 and 6" in bad.json()["errors"][0]["message"]


async def test_over_the_inline_limit_gives_a_url_only(tmp_path: Path) -> None:
    from credgraph.api.exporting import export_inline
    from credgraph.export import Selection
    from credgraph.store import open_store
    from tests.api.http_helpers import loaded_store_url

    async with open_store(await loaded_store_url(tmp_path)) as store:
        result = await export_inline(store, Selection(exclude_stale=True), "csv", limit=500)
    assert (result.inline, result.files, result.manifest) == (False, [], None)
    assert result.download_url == "/export?format=csv&excludeStale=true"


async def test_exports_are_costly_in_the_query_cost_limit(tmp_path: Path) -> None:
    """Five aliased exports in one operation are over the cost limit before anything runs."""
    fields = " ".join(
        f'e{i}: exportSubgraph(selection: {{}}, format: CSV) {{ inline }}' for i in range(5)
    )
    async with api(tmp_path) as (client, _app):
        response = await client.post("/graphql", json={"query": f"{{ {fields} }}"})
    body = response.json()
    assert "data" not in body or body["data"] is None
    assert "cost" in body["errors"][0]["message"].lower(), body
