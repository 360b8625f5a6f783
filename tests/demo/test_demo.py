"""`credgraph demo`: bundled catalogs crawled over loopback through the real pipeline."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from credgraph.api import execute
from credgraph.cli.main import main
from credgraph.link.resolve import UNRESOLVED
from credgraph.model import CrawlStatus
from credgraph.store import open_store

pytestmark = pytest.mark.slow  # `credgraph demo` processes

FORMATS = ("onet", "openbadges", "ctdl", "schemaorg", "credly", "case", "coursera")


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str, str]:
    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.db'}"
    runner = CliRunner()
    first = runner.invoke(main, ["demo", "--no-serve", "--store", url])
    assert first.exit_code == 0, first.output
    again = runner.invoke(main, ["demo", "--no-serve", "--store", url])
    assert again.exit_code == 0, again.output
    return url, first.output, again.output


async def test_every_source_succeeds_with_records_per_format(loaded: tuple[str, str, str]) -> None:
    url, output, _ = loaded
    async with open_store(url) as store:
        runs = await store.crawl_runs(limit=50)
        sources = {s.id: s.format for s in await store.list_sources()}
        stats = await store.stats()
    samples = {i: f for i, f in sources.items() if not i.startswith("real-")}
    real = {i: f for i, f in sources.items() if i.startswith("real-")}
    assert sorted(samples.values()) == sorted(FORMATS)
    assert real == {"real-openbadges": "openbadges", "real-schemaorg": "schemaorg"}
    first = {r.source_id: r for r in runs if r.created}
    assert set(first) == set(sources)
    assert all(r.status is CrawlStatus.SUCCEEDED and r.errors == 0 for r in runs)
    created = {samples[s]: r.created for s, r in first.items() if s in samples}
    # Two real OB 3.0 credentials with their issuers; one real program with its issuer.
    assert first["real-openbadges"].created >= 2 and first["real-schemaorg"].created >= 1
    assert created["openbadges"] == 5  # four badges and their issuer
    assert created["ctdl"] == 3 and created["credly"] == 3 and created["coursera"] == 4
    assert created["schemaorg"] >= 2 and created["case"] >= 5 and created["onet"] > 50
    # The samples: 5 issuers, 14 credentials, 5 occupations; the real documents add their 3
    # issuers and 6 credentials (two badges, the WGU certificate and its courses).
    assert (stats.issuers, stats.credentials, stats.occupations) == (8, 20, 5)
    text = flat(output)
    assert (
        "Crawl summary" in text
        and "shared skills: Critical Thinking, Mathematics, Python, R" in text
    )


async def test_known_credential_links_to_canonical_skills(loaded: tuple[str, str, str]) -> None:
    url, _, _ = loaded
    async with open_store(url) as store:
        page = await store.search("Applied Data Science")
        [hit] = [h for h in page if h.name == "Applied Data Science (Micro-credential)"]
        [view] = await store.get_credentials([hit.id])
    methods = {link.skill.id: link.method for link in view.skills}
    assert methods["onet:2.A.1.e"] != UNRESOLVED  # Mathematics, by O*NET element code
    assert "onet-tech:python" in methods and methods["onet-tech:python"] != UNRESOLVED
    assert UNRESOLVED not in methods.values()


async def test_graphql_answers_compare_and_skill_gap(loaded: tuple[str, str, str]) -> None:
    url, _, _ = loaded
    async with open_store(url) as store:
        found = await execute(
            store,
            '{ credentials(filter: {text: "Data Science"}, first: 10) '
            "{ edges { node { id name } } } }",
        )
        ids = [e["node"]["id"] for e in found.data["credentials"]["edges"]]  # type: ignore[index]
        result = await execute(
            store,
            "query($ids: [ID!]!) { compareCredentials(ids: $ids) { sharedSkills { name } "
            "similarity { jaccard } } "
            'skillGap(occupation: "15-2051.00", have: ["onet-tech:python"]) '
            "{ occupation { name } coveredSkills { name } missingSkills { name } "
            "recommendations { name } } }",
            {"ids": ids[:2]},
        )
    assert not result.errors, result.errors
    assert len(ids) >= 2
    data = result.data or {}
    assert data["compareCredentials"]["sharedSkills"]
    gap = data["skillGap"]
    assert gap["occupation"]["name"] == "Data Scientists"
    assert [s["name"] for s in gap["coveredSkills"]] == ["Python"]
    assert "SQL" in {s["name"] for s in gap["missingSkills"]}
    assert gap["recommendations"]


async def test_second_run_is_all_not_modified(loaded: tuple[str, str, str]) -> None:
    url, _, again = loaded
    async with open_store(url) as store:
        runs = await store.crawl_runs(limit=50)
    latest: dict[str, object] = {}
    for r in sorted(runs, key=lambda r: r.started_at):
        latest[r.source_id] = r
    for r in latest.values():
        assert r.status is CrawlStatus.SUCCEEDED  # type: ignore[attr-defined]
        assert (r.created, r.updated, r.fetched) == (0, 0, 0), r  # type: ignore[attr-defined]
        assert r.not_modified >= 1  # type: ignore[attr-defined]
    assert "Crawl summary" in flat(again)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_demo_serves_the_api(tmp_path: Path) -> None:
    port = free_port()
    proc = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("credgraph")),
            "demo",
            "--port",
            str(port),
            "--store",
            f"sqlite:///{tmp_path / 'served.db'}",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={**os.environ, "COLUMNS": "200"},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            assert proc.poll() is None and time.monotonic() < deadline, "server did not start"
            time.sleep(0.1)
        request = urllib.request.Request(
            base + "/graphql",
            data=json.dumps({"query": "{ stats { credentials occupations } }"}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=5) as r:
            body = json.loads(r.read())
        assert body["data"]["stats"] == {"credentials": 20, "occupations": 5}  # samples and real
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=10)
    text = flat(out.decode())
    assert f"{base}/graphql" in text and "curl -s" in text
    assert f"{base}/explorer" in text and f"{base}/compare" in text
