"""`credgraph serve` for real: a uvicorn process on a free loopback port, queried over TCP."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from credgraph.api.settings import load_settings
from credgraph.cli.serve import make_server
from credgraph.errors import ConfigError
from tests.api.http_helpers import CREDENTIAL_COUNT, STATS, loaded_store_url
from tests.faults.served import serving_api

pytestmark = pytest.mark.slow  # uvicorn processes


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
async def server(tmp_path: Path) -> AsyncIterator[tuple[str, subprocess.Popen[str]]]:
    store_url = await loaded_store_url(tmp_path)
    port = free_port()
    env = {**os.environ, "CREDGRAPH_ACCESS_LOG": "json", "CREDGRAPH_CACHE_MAX_AGE": "30"}
    process = subprocess.Popen(
        [sys.executable, "-c", "from credgraph.cli.main import main; main()", "serve",
         "--store", store_url, "--host", "127.0.0.1", "--port", str(port)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        if process.poll() is not None:
            pytest.fail(f"credgraph serve exited early:\n{process.communicate()[1]}")
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"credgraph serve did not start:\n{process.communicate()[1]}")
        time.sleep(0.1)
    try:
        yield base, process
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()


async def test_serve_answers_over_real_http(
    server: tuple[str, subprocess.Popen[str]],
) -> None:
    base, process = server
    async with httpx.AsyncClient(base_url=base, timeout=10) as client:
        posted = await client.post("/graphql", json={"query": STATS})
        got = await client.get("/graphql", params={"query": STATS})
        cached = await client.get(
            "/graphql", params={"query": STATS}, headers={"If-None-Match": got.headers["etag"]}
        )
        refused = await client.post(
            "/graphql", content=b"{", headers={"Content-Type": "application/json"}
        )
    assert posted.json() == {"data": {"stats": {"credentials": CREDENTIAL_COUNT}}}
    assert got.headers["cache-control"] == "public, max-age=30"
    assert cached.status_code == 304
    assert refused.status_code == 400
    assert "server" not in posted.headers

    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=20)
    assert process.returncode == 0, stderr
    access = [json.loads(line) for line in stdout.splitlines() if line.startswith("{")]
    graphql = [a for a in access if a.get("path") == "/graphql"]
    assert [a["status"] for a in graphql] == [200, 200, 304, 400]
    assert graphql[0]["operation"] == "Stats"
    assert graphql[0]["request_id"] == posted.headers["x-request-id"]
    assert "credgraph API on http://127.0.0.1:" in stdout


def test_a_bad_http_limit_stops_the_server_before_it_binds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CREDGRAPH_HEADER_TIMEOUT_SECONDS", "0")
    monkeypatch.setenv("CREDGRAPH_MAX_HEADER_BYTES", "lots")
    with pytest.raises(ConfigError) as refused:
        make_server(load_settings(store_url=f"sqlite:///{tmp_path / 'graph.db'}", port=free_port()))
    assert "CREDGRAPH_MAX_HEADER_BYTES" in str(refused.value)
    monkeypatch.setenv("CREDGRAPH_MAX_HEADER_BYTES", "512")
    with pytest.raises(ConfigError) as refused:
        make_server(load_settings(store_url=f"sqlite:///{tmp_path / 'graph.db'}", port=free_port()))
    assert "CREDGRAPH_HEADER_TIMEOUT_SECONDS must be above 0" in str(refused.value)
    assert "CREDGRAPH_MAX_HEADER_BYTES must be from 1024" in str(refused.value)


async def test_workers_bound_request_heads_too(tmp_path: Path) -> None:
    # Each worker process builds its own connections: the limits must reach it by name.
    env = {"CREDGRAPH_WORKERS": "2", "CREDGRAPH_HEADER_TIMEOUT_SECONDS": "1"}
    with serving_api(await loaded_store_url(tmp_path), env=env) as served:
        with httpx.Client(base_url=served.base, timeout=10) as client:
            served_ok = client.get("/healthz")
            too_large = client.get("/healthz", headers={"X-Pad": "a" * 20_000})
        host, port = served.base.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=5) as sock:
            sock.sendall(b"GET /healthz HTTP/1.1\r\n")  # and never the rest
            timed_out = sock.recv(1000)
    assert served_ok.status_code == 200
    assert too_large.status_code == 431
    assert too_large.json()["errors"][0]["extensions"]["code"] == "REQUEST_HEADER_FIELDS_TOO_LARGE"
    assert timed_out.startswith(b"HTTP/1.1 408 ")
