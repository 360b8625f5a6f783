"""`credgraph demo`: bundled catalogs and job postings crawled over loopback through the real
pipeline."""

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
from credgraph.api.http.explorer_examples import example_tabs, pick_example_ids
from credgraph.cli.demo import DEMO_POSTING, STACK_FROM
from credgraph.cli.main import main
from credgraph.link.resolve import UNRESOLVED
from credgraph.model import CrawlStatus
from credgraph.store import open_store
from tests.conftest import DemoGraph

REAL = Path(__file__).resolve().parents[2] / "src/credgraph/demo/catalogs/real"
ROBOTICS_BADGE = "https://example.org/robotics-badge.json"
FORMATS = ("onet", "openbadges", "ctdl", "schemaorg", "credly", "case", "coursera", "jobposting")


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory, demo_graph: DemoGraph) -> tuple[str, str, str]:
    """The demo graph after a second `credgraph demo` run; both runs' output."""
    url = demo_graph.copy_to(tmp_path_factory.mktemp("demo") / "demo.db")
    again = CliRunner().invoke(main, ["demo", "--no-serve", "--store", url])
    assert again.exit_code == 0, again.output
    return url, demo_graph.output, again.output


async def test_every_source_succeeds_with_records_per_format(loaded: tuple[str, str, str]) -> None:
    url, output, _ = loaded
    async with open_store(url) as store:
        runs = await store.crawl_runs(limit=50)
        sources = {s.id: s.format for s in await store.list_sources()}
        stats = await store.stats()
    samples = {i: f for i, f in sources.items() if not i.startswith("real-")}
    real = {i: f for i, f in sources.items() if i.startswith("real-")}
    assert sorted(samples.values()) == sorted(FORMATS)
    assert real == {
        "real-openbadges": "openbadges",
        "real-openbadges-2": "openbadges",
        "real-schemaorg": "schemaorg",
        "real-jobposting": "jobposting",
    }
    first = {r.source_id: r for r in runs if r.created}
    assert set(first) == set(sources)
    clean = [r for r in runs if r.source_id != "real-jobposting"]
    assert all(r.status is CrawlStatus.SUCCEEDED and r.errors == 0 for r in clean)
    # One of schema.org's examples states its skills as a sentence: the run says so.
    examples = first["real-jobposting"]
    assert examples.status is CrawlStatus.PARTIAL and examples.errors == 1
    [warning] = examples.error_samples
    assert warning.url.endswith("/real/schemaorg-jobposting-example-eg0028.html")
    assert "is a sentence, not a list" in warning.reason
    created = {samples[s]: r.created for s, r in first.items() if s in samples}
    # Two real OB 3.0 credentials with their issuers; one real program with its issuer.
    assert first["real-openbadges"].created >= 2 and first["real-schemaorg"].created >= 1
    # The OB 2.0 hosted Assertion: its BadgeClass and that one's issuer, fetched by URL.
    assert first["real-openbadges-2"].created == 2
    assert created["openbadges"] == 5  # four badges and their issuer
    # CTDL: three credentials, their university, two quality-assurance bodies and a pathway.
    assert created["ctdl"] == 7 and created["credly"] == 3 and created["coursera"] == 4
    assert created["schemaorg"] >= 2 and created["case"] >= 5 and created["onet"] > 50
    # The demo feed: five postings and their three employers; schema.org's twelve examples
    # and the two employers among them that have a name.
    assert created["jobposting"] == 8 and examples.created == 14
    # The samples: 7 issuers (two of them QA bodies), 15 credentials, 5 occupations; the real
    # documents add their 4 issuers and 7 credentials (three badges, the WGU certificate and
    # its courses). Employers are issuers too (3 demo, 2 real); one example names an O*NET-SOC
    # 2010 code the taxonomy does not hold (15-1132.00), which becomes an occupation of its own.
    assert (stats.issuers, stats.credentials, stats.occupations) == (16, 22, 6)
    text = flat(output)
    assert (
        "Crawl summary" in text
        and "shared skills: Critical Thinking, Mathematics, Python, R" in text
    )
    assert "real-jobposting warns: JobPosting: skills" in text
    assert "Hiring: 17 job postings, 16 active (past validThrough: 1)" in text
    assert "credentials that prepare for Junior Data Analyst, Lakeside Regional Health" in text
    assert (
        "Stacking: Data Wrangling with Python (Micro-credential) -> (prepares for) Graduate "
        "Certificate in Data Science -> (advanced standing) Master of Science in Data "
        "Analytics; 1,890 study hours after the first step"
    ) in text
    assert "cost 38,100 USD; 12 credit hours carried over" in text


async def test_the_real_hosted_badge_is_read_through_its_linked_documents(
    loaded: tuple[str, str, str],
) -> None:
    """The OB 2.0 specification's hosted Assertion names its BadgeClass by URL, and the
    BadgeClass its issuer: the badge is stored with that issuer only if both links were
    followed (at the URLs the documents name, answered by the demo's own server)."""
    url, _, _ = loaded
    badge_class = json.loads((REAL / "ob2-badgeclass-spec-1.json").read_text(encoding="utf-8"))
    profile = json.loads((REAL / "ob2-issuer-profile-spec-1.json").read_text(encoding="utf-8"))
    async with open_store(url) as store:
        [view] = await store.get_credentials([ROBOTICS_BADGE])
        sources = {s.id: s.urls for s in await store.list_sources()}
    assert sources["real-openbadges-2"] == ("https://example.org/beths-robotics-badge.json",)
    assert badge_class["id"] == ROBOTICS_BADGE and badge_class["issuer"] == profile["id"]
    assert view.credential.name == "Awesome Robotics Badge" == badge_class["name"]
    assert view.issuer is not None
    assert (view.issuer.id, view.issuer.name) == (profile["id"], "An Example Badge Issuer")
    assert [link.skill.name for link in view.skills] == [
        a["targetName"] for a in badge_class["alignment"]
    ]


async def test_every_explorer_example_answers_on_the_demo_graph(
    loaded: tuple[str, str, str],
) -> None:
    url, _, _ = loaded
    async with open_store(url) as store:
        tabs = example_tabs(await pick_example_ids(store))
        for tab in tabs:
            result = await execute(store, tab["query"], json.loads(tab["variables"]))
            assert not result.errors, (tab["query"], result.errors)
            assert all(value for value in (result.data or {}).values()), result.data
    assert any("matchJob" in tab["query"] for tab in tabs)


async def test_the_hiring_side_answers(loaded: tuple[str, str, str]) -> None:
    url, _, _ = loaded
    async with open_store(url) as store:
        result = await execute(
            store,
            """query($posting: ID!) {
          python: jobPostings(filter: {skills: ["onet-tech:python"], active: true}, first: 10) {
            nodes { title employer { name } askedCredentials { name } } }
          inactive: jobPostings(filter: {active: false}, first: 10) { nodes { title validThrough } }
          skill(id: "onet-tech:python") { demand { activePostings share } }
          occupation(id: "onet:15-2051.00") { demand { activePostings } }
          matchJob(id: $posting, first: 5) { credentials { credential { name } coverage } }
          credential(id: "https://www.credly.com/org/cobalt-cloud-institute/badge/security-specialty") {
            name demand { activePostings } }
        }""",
            {"posting": DEMO_POSTING},
        )
    assert not result.errors, result.errors
    data = result.data or {}
    python = {p["title"]: p for p in data["python"]["nodes"]}
    assert set(python) == {"Data Scientist", "Junior Data Analyst"}
    assert {c["name"] for c in python["Data Scientist"]["askedCredentials"]} == {
        "Graduate Certificate in Data Science",
        "Master of Science in Data Analytics",
    }
    assert [c["name"] for c in python["Junior Data Analyst"]["askedCredentials"]] == [
        "Data Analytics Certificate"
    ]
    assert [p["title"] for p in data["inactive"]["nodes"]] == ["Cloud Support Engineer"]
    assert data["skill"]["demand"] == {"activePostings": 2, "share": 2 / 16}
    assert data["occupation"]["demand"]["activePostings"] == 2
    security = data["credential"]
    assert security["name"] == "Cobalt Certified Security – Specialty"
    assert security["demand"]["activePostings"] == 1  # asked by the security analyst ad
    matched = {m["credential"]["name"]: m["coverage"] for m in data["matchJob"]["credentials"]}
    assert matched.get("Data Analytics Certificate", 0) >= 0.5, matched


async def test_the_stacking_side_answers(loaded: tuple[str, str, str]) -> None:
    """The CTDL sample stacks a micro-credential into the certificate and the certificate into
    the degree with credit; the Open Badges micro-credential prepares for the certificate."""
    url, _, _ = loaded
    async with open_store(url) as store:
        result = await execute(
            store,
            """query($micro: ID!, $cert: ID!) {
          cert: credential(id: $cert) {
            preparedBy { name } advancedStandingFor { credential { name } credits { value unit } }
            publishedPathways { name }
            outcomes { kind value currency postReceiptMonths }
            quality { assurance { relation name organisationType } } }
          toJob: pathways(from: $micro, to: "15-2051.00") { steps { credential { name } } }
          pathway: pathways(from: $micro, to: "ce-7b3e2f10-5a6c-4d8e-9f01-2a3b4c5d6e02") {
            totalHours creditsApplied { value } steps { via } }
        }""",
            {"micro": STACK_FROM, "cert": "ce-7b3e2f10-5a6c-4d8e-9f01-2a3b4c5d6e01"},
        )
    assert not result.errors, result.errors
    data = result.data or {}
    cert = data["cert"]
    assert {c["name"] for c in cert["preparedBy"]} == {
        "Data Wrangling with Python (Micro-credential)",
        "Applied Data Science (Micro-credential)",
    }
    [standing] = cert["advancedStandingFor"]
    assert standing["credential"]["name"] == "Master of Science in Data Analytics"
    assert standing["credits"]["value"] == 12
    assert [p["name"] for p in cert["publishedPathways"]] == ["Lakeside Data Science Pathway"]
    outcomes = {o["kind"]: o for o in cert["outcomes"]}
    assert set(outcomes) == {"MEDIAN_EARNINGS", "EMPLOYMENT_RATE", "AWARDED"}
    assert outcomes["MEDIAN_EARNINGS"]["currency"] == "USD"
    assert outcomes["MEDIAN_EARNINGS"]["postReceiptMonths"] == 12
    assert cert["quality"]["assurance"] == [
        {
            "relation": "RECOGNIZED",
            "name": "Midwest Data Employers Council",
            "organisationType": "QACredentialOrganization",
        }
    ]
    assert [s["credential"]["name"] for s in data["toJob"][0]["steps"]] == [
        "Data Wrangling with Python (Micro-credential)",
        "Graduate Certificate in Data Science",
    ]
    [route] = data["pathway"]
    assert [s["via"] for s in route["steps"]] == [None, "PREPARES_FOR", "ADVANCED_STANDING"]
    assert route["totalHours"] == 540 + 1350 and route["creditsApplied"]["value"] == 12


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


# How long `credgraph demo` may take to crawl its catalogs and begin serving: a few seconds on
# an idle machine, past 20 with three other processes busy on its two cores; the test is that
# it serves, not how fast (a demo that exits early fails at once).
DEMO_START_S = 120.0


@pytest.mark.slow  # a `credgraph demo` process: crawl, then serve
def test_demo_serves_the_api(tmp_path: Path) -> None:
    port = free_port()
    # The demo's output goes to a file, read at the end: a pipe read only after the demo
    # stops would block the demo once its buffer filled.
    log = (tmp_path / "demo.log").open("w+b")
    proc = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("credgraph")),
            "demo",
            "--port",
            str(port),
            "--store",
            f"sqlite:///{tmp_path / 'served.db'}",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "COLUMNS": "200"},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + DEMO_START_S
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
        assert body["data"]["stats"] == {"credentials": 22, "occupations": 6}  # samples and real
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.seek(0)
        out = log.read()
        log.close()
    text = flat(out.decode())
    assert f"{base}/graphql" in text and "curl -s" in text
    assert f"{base}/explorer" in text and f"{base}/compare" in text


def test_the_real_documents_are_the_recorded_ones_with_their_provenance() -> None:
    """Each file of catalogs/real/ has a row in its SOURCES.md naming the crawlers/ folder it
    was recorded in, and is that recorded document byte for byte."""
    real = REAL
    rows = {
        cells[0]: cells[1]
        for line in (real / "SOURCES.md").read_text().splitlines()
        if line.startswith("| ")
        and len(cells := [c.strip() for c in line.strip("|").split("|")]) > 1
    }
    files = sorted(p.name for p in real.iterdir() if p.name != "SOURCES.md")
    assert len(files) == 18 and sum(f.startswith("schemaorg-jobposting-") for f in files) == 12
    for name in files:
        assert name in rows, f"{name} has no row in SOURCES.md"
        recorded = real.parents[4] / rows[name] / "documents" / name
        assert recorded.read_bytes() == (real / name).read_bytes(), name
