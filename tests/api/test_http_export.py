"""`GET /export` over HTTP (in-process ASGI): streamed zips with their manifest, bare files,
clear 400s for bad selections, and the concurrency cap; `exportSubgraph` in GraphQL. The
bounds (one cap for both, deadlines, slots given back however a stream ends) are driven
through the ASGI interface directly, where a test controls what the client does."""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
import zipfile
from pathlib import Path

import networkx as nx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.types import Message, Receive, Scope, Send

from credgraph.api.exporting import export_inline
from credgraph.api.http.export import ExportEndpoint, ExportScope
from credgraph.api.types.export_result import ExportResult
from credgraph.export import Selection
from credgraph.export.slots import ExportSlots, Slot, process_slots
from credgraph.store import open_store
from tests.api.http_helpers import api, loaded_store_url
from tests.contract import data
from tests.export.slow_store import slow

DA = "https://acme.example/badges/data-analyst"


async def test_export_zip_streams_data_and_manifest(tmp_path: Path) -> None:
    async with api(tmp_path) as (client, _app):
        response = await client.get("/export", params={"format": "graphml"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/zip"
    assert response.headers["content-disposition"].startswith(
        'attachment; filename="credgraph-graphml-'
    )
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        names = archive.namelist()
        graphml = archive.read("graph.graphml")
        manifest = json.loads(archive.read("manifest.json"))
    assert names == ["graph.graphml", "manifest.json"]
    assert manifest["files"] == [
        {
            "name": "graph.graphml",
            "bytes": len(graphml),
            "sha256": hashlib.sha256(graphml).hexdigest(),
        }
    ]
    graph = nx.read_graphml(io.BytesIO(graphml))
    assert graph.nodes[DA]["kind"] == "credential"
    assert manifest["counts"]["nodes"]["credential"] == len(data.credentials())


async def test_export_selection_and_bare_file(tmp_path: Path) -> None:
    async with api(tmp_path) as (client, _app):
        response = await client.get(
            "/export",
            params=[("format", "ndjson"), ("seed", DA), ("depth", "1"), ("bundle", "false")],
        )
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
        small = await client.post(
            "/graphql",
            json={"query": query, "variables": {"s": {"seeds": [DA], "depth": 1}, "f": "GRAPHML"}},
        )
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
        bad = await client.post(
            "/graphql",
            json={"query": query, "variables": {"s": {"seeds": ["x"], "depth": 42}, "f": "CSV"}},
        )
    assert bad.status_code == 200
    assert "depth must be between 0 and 6" in bad.json()["errors"][0]["message"]


async def test_over_the_inline_limit_gives_a_url_only(tmp_path: Path) -> None:
    async with open_store(await loaded_store_url(tmp_path)) as store:
        result = await export_inline(store, Selection(exclude_stale=True), "csv", limit=500)
    assert (result.inline, result.files, result.manifest) == (False, [], None)
    assert result.download_url == "/export?format=csv&excludeStale=true"


async def test_exports_are_costly_in_the_query_cost_limit(tmp_path: Path) -> None:
    """Five aliased exports in one operation are over the cost limit before anything runs."""
    fields = " ".join(
        f"e{i}: exportSubgraph(selection: {{}}, format: CSV) {{ inline }}" for i in range(5)
    )
    async with api(tmp_path) as (client, _app):
        response = await client.post("/graphql", json={"query": f"{{ {fields} }}"})
    body = response.json()
    assert "data" not in body or body["data"] is None
    assert "cost" in body["errors"][0]["message"].lower(), body


# -- bounds: one cap for /export and exportSubgraph, deadlines, slots given back ----------------

EXPORT_QUERY = "{ exportSubgraph(selection: {}, format: NDJSON) { inline } }"


async def test_past_the_export_cap_export_is_429_and_graphql_rate_limited(
    tmp_path: Path,
) -> None:
    held: list[Slot] = []
    try:
        async with api(tmp_path) as (client, app):
            slots = app_slots(app)
            held += [slots.take() for _ in range(slots.limit)]
            refused = await client.get("/export", params={"format": "csv"})
            limited = (await client.post("/graphql", json={"query": EXPORT_QUERY})).json()
            for slot in held:
                slot.release()
            served = await client.get("/export", params={"format": "csv"})
            inline = (await client.post("/graphql", json={"query": EXPORT_QUERY})).json()
    finally:
        for slot in held:
            slot.release()
    assert refused.status_code == 429 and refused.headers["retry-after"] == "5"
    assert f"at most {slots.limit} at once" in refused.json()["error"]
    [error] = limited["errors"]
    assert error["extensions"]["code"] == "RATE_LIMITED", limited
    assert f"at most {slots.limit} at once" in error["message"]
    assert served.status_code == 200
    assert inline["data"]["exportSubgraph"]["inline"] is True
    assert slots.held == 0


def app_slots(app: Starlette) -> ExportSlots:
    """The slots the app gives its exports: its ExportScope's, else the process's."""
    for middleware in app.user_middleware:
        if middleware.cls is ExportScope and middleware.kwargs.get("slots") is not None:
            slots: ExportSlots = middleware.kwargs["slots"]
            return slots
    return process_slots()


def export_scope(query: str) -> Scope:
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": "/export",
        "raw_path": b"/export",
        "root_path": "",
        "query_string": query.encode(),
        "headers": [],
        "client": ("203.0.113.7", 40000),
        "server": ("api.test", 80),
    }


async def never_disconnects() -> Message:
    await asyncio.Event().wait()
    raise AssertionError("unreachable")


async def stream_export(endpoint: ExportEndpoint, receive: Receive, send: Send) -> None:
    scope = export_scope("format=ndjson&bundle=false")
    response = await endpoint.endpoint(Request(scope))
    await asyncio.wait_for(response(scope, receive, send), 5)


@pytest.mark.slow
async def test_a_stream_past_its_deadline_is_cut_and_gives_its_slot_back(
    tmp_path: Path,
) -> None:
    async with open_store(await loaded_store_url(tmp_path)) as store:
        slow_store, seen = slow(store, delay=0.05)
        slots = ExportSlots(1)
        sent: list[Message] = []

        async def send(message: Message) -> None:
            sent.append({**message, "held": slots.held})

        await stream_export(ExportEndpoint(slow_store, slots=slots, seconds=0.3),
                            never_disconnects, send)  # fmt: skip
    assert sent[0]["type"] == "http.response.start" and sent[0]["status"] == 200
    assert sent[0]["held"] == 1
    # Never the last body message: the server closes the connection, the client sees a cut.
    assert all(m.get("more_body", True) for m in sent)
    assert slots.held == 0
    assert seen.streams_closed == seen.streams_opened


@pytest.mark.slow
async def test_a_client_that_stops_reading_is_cut_at_the_deadline(tmp_path: Path) -> None:
    async with open_store(await loaded_store_url(tmp_path)) as store:
        slots = ExportSlots(1)

        async def send(message: Message) -> None:
            if message["type"] == "http.response.body":
                await asyncio.Event().wait()  # the client's window never opens again

        await stream_export(ExportEndpoint(store, slots=slots, seconds=0.3),
                            never_disconnects, send)  # fmt: skip
    assert slots.held == 0


@pytest.mark.slow
async def test_a_client_going_away_gives_the_slot_back(tmp_path: Path) -> None:
    async with open_store(await loaded_store_url(tmp_path)) as store:
        slow_store, seen = slow(store, delay=0.05)
        slots = ExportSlots(1)
        sent: list[Message] = []

        async def send(message: Message) -> None:
            sent.append(message)

        async def leaves_after_the_headers() -> Message:
            while not sent:
                await asyncio.sleep(0.01)
            return {"type": "http.disconnect"}

        # A 60 s deadline: only the client's going away can end this stream in time.
        await stream_export(ExportEndpoint(slow_store, slots=slots),
                            leaves_after_the_headers, send)  # fmt: skip
        whole_graph = len([item async for item in store.iter_graph()])
    assert all(m.get("more_body", True) for m in sent)  # stopped, not finished
    assert seen.items_read < whole_graph
    assert slots.held == 0
    assert seen.streams_closed == seen.streams_opened


@pytest.mark.slow
async def test_inline_exports_of_one_request_share_one_deadline(tmp_path: Path) -> None:
    async with open_store(await loaded_store_url(tmp_path)) as store:
        slow_store, seen = slow(store, delay=0.05)
        slots = ExportSlots(1)
        results: list[ExportResult] = []
        read_by_first: list[int] = []

        async def two_exports(scope: Scope, receive: Receive, send: Send) -> None:
            results.append(await export_inline(slow_store, Selection(), "ndjson"))
            read_by_first.append(seen.items_read)
            results.append(await export_inline(slow_store, Selection(), "ndjson"))

        scope = ExportScope(two_exports, slots=slots, inline_seconds=0.3)
        await asyncio.wait_for(scope(export_scope(""), never_disconnects, never_sends), 5)
        whole_graph = len([item async for item in store.iter_graph()])
    assert [r.inline for r in results] == [False, False]
    assert read_by_first[0] < whole_graph  # the first stopped at the deadline
    assert results[1].download_url == "/export?format=ndjson"
    assert seen.items_read == read_by_first[0]  # the second found the time used up
    assert slots.held == 0


async def never_sends(message: Message) -> None:
    raise AssertionError(f"nothing is sent here, got {message}")


async def test_a_requests_exports_share_one_slot_in_turn(tmp_path: Path) -> None:
    """Three `exportSubgraph` fields in one request, with every slot but one held elsewhere:
    they run one after another in that one slot and all answer. They used to take a slot
    each, so the third was refused and, the field being non-null, `data` came back null
    with the other two exports in it."""
    fields = " ".join(
        f"e{i}: exportSubgraph(selection: {{seeds: [{json.dumps(DA)}], depth: {i}}}, "
        "format: NDJSON) { inline nodeCount }"
        for i in range(3)
    )
    held: list[Slot] = []
    try:
        async with api(tmp_path) as (client, app):
            slots = app_slots(app)
            held += [slots.take() for _ in range(slots.limit - 1)]
            body = (await client.post("/graphql", json={"query": f"{{ {fields} }}"})).json()
            held_after = slots.held
    finally:
        for slot in held:
            slot.release()
    assert "errors" not in body, body
    assert [body["data"][f"e{i}"]["inline"] for i in range(3)] == [True, True, True]
    assert body["data"]["e0"]["nodeCount"] < body["data"]["e2"]["nodeCount"]
    assert held_after == slots.limit - 1  # the request's slot was given back when it ended


async def test_a_deadline_passed_before_the_response_began_is_a_503(tmp_path: Path) -> None:
    """The server answered a bare 500 ("ASGI callable returned without starting response")."""
    async with open_store(await loaded_store_url(tmp_path)) as store:
        slots = ExportSlots(1)
        endpoint = ExportEndpoint(store, slots=slots, seconds=0.001)
        scope = export_scope("format=ndjson")
        response = await endpoint.endpoint(Request(scope))
        await asyncio.sleep(0.01)  # the deadline passes before the response starts
        sent: list[Message] = []

        async def send(message: Message) -> None:
            sent.append(message)

        await asyncio.wait_for(response(scope, never_disconnects, send), 5)
    start, body = sent
    assert start["status"] == 503
    assert (b"retry-after", b"5") in start["headers"]
    error = json.loads(body["body"])["error"]
    assert "deadline of 0.001 s" in error and "CREDGRAPH_EXPORT_SECONDS" in error
    assert slots.held == 0
