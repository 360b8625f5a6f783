"""`credgraph demo`: serve the bundled catalogs and job postings on loopback, crawl them through
the real pipeline into a local SQLite store, show what the graph answers (credentials, then the
hiring side), then serve the API."""

from __future__ import annotations

import contextlib
import json
import shlex
from typing import Any
from urllib.parse import urlsplit

from rich.console import Console

from credgraph.api import execute
from credgraph.cli.crawl import summary_table
from credgraph.cli.tables import stats_table
from credgraph.config.sources import CrawlerSettings
from credgraph.demo import DemoCatalogServer, demo_job_sources, demo_sources
from credgraph.demo.board import UNKNOWN_ID, JobAd, JobBoardServer
from credgraph.demo.hosted import crawl_transport
from credgraph.ingest import crawl_sources
from credgraph.model.crawl import CrawlRun
from credgraph.store import GraphStore, open_store

CRAWLER = CrawlerSettings(
    allow_private_networks=True, delay_seconds=0, max_retries=1, timeout_seconds=10
)
DATA_SCIENTIST = "15-2051.00"
COMPARE = ("Applied Data Science (Micro-credential)", "Graduate Certificate in Data Science")
# A posting of the demo-made job feed (catalogs/jobs/feed.json): its id is its own URL.
DEMO_POSTING = "https://careers.lakeside-health.example/jobs/junior-data-analyst"
# The demo CTDL catalog's micro-credential and the master's degree it stacks into
# (catalogs/ctdl/graph.json: preparation, then advanced standing with credit).
STACK_FROM = "ce-7b3e2f10-5a6c-4d8e-9f01-2a3b4c5d6e03"
STACK_TO = "ce-7b3e2f10-5a6c-4d8e-9f01-2a3b4c5d6e02"
STACKING = """
query Stacking($from: ID!, $to: ID!) {
  pathways(from: $from, to: $to, first: 1) {
    totalHours totalCost { amount currency } creditsApplied { value unit }
    steps { via credential { name } }
  }
}
"""
VIA = {
    "PREPARES_FOR": "prepares for",
    "PART_OF": "part of",
    "ADVANCED_STANDING": "advanced standing",
    "PUBLISHED_PATHWAY": "published pathway",
}
HIRING = """
query Hiring($posting: ID!) {
  active: jobPostings(filter: {active: true}, first: 0) { totalCount }
  all: jobPostings(first: 0) { totalCount }
  skill(id: "onet-tech:python") { name demand { activePostings share } }
  jobPosting(id: $posting) { title employer { name } }
  matchJob(id: $posting, first: 3) { credentials { credential { name } coverage } }
}
"""
SAMPLE_QUERY = (
    '{ skillGap(occupation: "15-2051.00") { missingSkills { name } '
    "recommendations { name cost { amount currency } } } }"
)
EXAMPLES = """
query Examples($ids: [ID!]!) {
  compareCredentials(ids: $ids) {
    sharedSkills { name }
    similarity { jaccard }
    rows { field values }
  }
  skillGap(occupation: "15-2051.00") {
    occupation { name code }
    requiredSkills { name }
    missingSkills { name }
    recommendations { name }
  }
  credentials(sort: {field: TRANSPARENCY, direction: DESC}, first: 3) {
    edges { node { name transparency { score } } }
  }
}
"""


async def _previous_port(store: GraphStore) -> int:
    """The port of the last demo run's catalog server: the same URLs let it revalidate (304)."""
    for source in await store.list_sources():
        if source.id.startswith("demo-") and source.urls:
            port = urlsplit(source.urls[0]).port
            if port:
                return port
    return 0


def _catalog_server(port: int) -> DemoCatalogServer:
    if port:
        with contextlib.suppress(OSError):
            return DemoCatalogServer(port)
    return DemoCatalogServer()


async def _names_to_ids(store: GraphStore, names: tuple[str, ...]) -> list[str]:
    found: dict[str, str] = {}
    for name in names:
        result = await execute(
            store,
            "query($t: String) { credentials(filter: {text: $t}, first: 5) "
            "{ edges { node { id name } } } }",
            {"t": name},
        )
        for edge in (result.data or {}).get("credentials", {}).get("edges", []):
            if edge["node"]["name"] == name:
                found[name] = edge["node"]["id"]
    return [found[n] for n in names if n in found]


def _names(items: list[dict[str, Any]]) -> str:
    return ", ".join(sorted(i["name"] for i in items)) or "-"


async def load_demo(url: str, console: Console) -> list[CrawlRun]:
    """Serve the catalogs, crawl them into the store at `url`, print what the graph answers."""
    async with open_store(url) as store:
        with _catalog_server(await _previous_port(store)) as catalogs:
            taxonomy, sources = demo_sources(catalogs.base)
            jobs = demo_job_sources(catalogs.base)
            real = sum(1 for s in [*sources, *jobs] if s.id.startswith("real-"))
            feeds = sum(1 for s in jobs if not s.id.startswith("real-"))
            console.print(
                f"Serving {len(sources) + len(jobs) - real - feeds} sample catalogs, {feeds} "
                f"sample job feed, {real} sources of real published documents and a taxonomy "
                f"on {catalogs.base}; crawling into {store.url} ..."
            )
            # The taxonomy first, so that catalog mentions link to its nodes as they arrive;
            # job postings last, so that the credentials they ask for are stored by then.
            runs: list[CrawlRun] = []
            for group in ([taxonomy], sources, jobs):
                transport = crawl_transport(
                    catalogs.base, allow_private=CRAWLER.allow_private_networks
                )
                runs += await crawl_sources(group, store, CRAWLER, transport=transport)
        console.print(summary_table(runs))
        for crawl in runs:
            for sample in crawl.error_samples[:3]:  # real documents, as their publishers wrote them
                console.print(
                    f"  {crawl.source_id} warns: {sample.reason} ({sample.url})",
                    highlight=False,
                    markup=False,
                )
        console.print(stats_table("The graph", await store.stats()))
        ids = await _names_to_ids(store, COMPARE)
        result = await execute(store, EXAMPLES, {"ids": ids})
        if result.errors or not result.data:
            console.print(f"[yellow]example query failed:[/] {result.errors}")
            return runs
        cmp, gap = result.data["compareCredentials"], result.data["skillGap"]
        console.print(f"\n[bold]Compare[/] {COMPARE[0]!r} with {COMPARE[1]!r}:", highlight=False)
        console.print(f"  shared skills: {_names(cmp['sharedSkills'])}", highlight=False)
        if cmp["similarity"]:
            console.print(f"  Jaccard similarity: {cmp['similarity'][0]['jaccard']:.2f}")
        for row in cmp["rows"]:
            if row["field"] in ("cost", "durationHours", "credits", "level"):
                console.print(
                    f"  {row['field']}: {' | '.join(str(v) for v in row['values'])}",
                    highlight=False,
                )
        console.print(
            f"\n[bold]Skill gap[/] for {gap['occupation']['name']} ({DATA_SCIENTIST}): "
            f"requires {_names(gap['requiredSkills'])}",
            highlight=False,
        )
        console.print(
            "  credentials that cover the most of them: "
            + "; ".join(c["name"] for c in gap["recommendations"][:4]),
            highlight=False,
        )
        top = [e["node"] for e in result.data["credentials"]["edges"]]
        console.print(
            "\n[bold]Most transparent:[/] "
            + "; ".join(f"{c['name']} ({c['transparency']['score']:.0f})" for c in top),
            highlight=False,
        )
        await _print_stacking(store, console)
        await _print_hiring(store, console)
    console.print(
        f"\nOther commands read this graph with --store {url}, for example "
        f"`credgraph stats --store {url}`",
        highlight=False,
        soft_wrap=True,
    )
    return runs


async def _print_stacking(store: GraphStore, console: Console) -> None:
    """The shortest route from the demo micro-credential to the degree, with its study hours."""
    result = await execute(store, STACKING, {"from": STACK_FROM, "to": STACK_TO})
    routes = (result.data or {}).get("pathways") or []
    if result.errors or not routes:
        console.print(f"[yellow]stacking query failed:[/] {result.errors or 'no route'}")
        return
    route = routes[0]
    steps = [route["steps"][0]["credential"]["name"]]
    steps += [
        f"({VIA.get(s['via'], s['via'])}) {s['credential']['name']}" for s in route["steps"][1:]
    ]
    hours = route["totalHours"]
    cost = ", ".join(f"{m['amount']:,.0f} {m['currency']}" for m in route["totalCost"])
    credit = route["creditsApplied"]
    total = f"; {hours:,.0f} study hours after the first step" if hours is not None else ""
    console.print("\n[bold]Stacking:[/] " + " -> ".join(steps) + total, highlight=False)
    extras = [f"cost {cost}"] if cost else []
    if credit:
        extras.append(f"{credit['value']:g} {credit['unit'] or 'credits'} carried over")
    if extras:
        console.print("  " + "; ".join(extras), highlight=False)


async def _print_hiring(store: GraphStore, console: Console) -> None:
    """The hiring side: postings, the demand for a skill, the credentials preparing for a job."""
    result = await execute(store, HIRING, {"posting": DEMO_POSTING})
    data = result.data or {}
    if result.errors or not all(data.get(k) for k in ("skill", "jobPosting", "matchJob")):
        console.print(f"[yellow]hiring query failed:[/] {result.errors}")
        return
    active, total = data["active"]["totalCount"], data["all"]["totalCount"]
    skill, posting, match = data["skill"], data["jobPosting"], data["matchJob"]
    console.print(
        f"\n[bold]Hiring:[/] {total} job postings, {active} active (past validThrough: "
        f"{total - active}); {skill['name']} is asked for in "
        f"{skill['demand']['activePostings']} of them ({skill['demand']['share']:.0%})",
        highlight=False,
    )
    employer = f", {posting['employer']['name']}" if posting.get("employer") else ""
    console.print(
        f"  credentials that prepare for {posting['title']}{employer}: "
        + "; ".join(
            f"{c['credential']['name']} ({c['coverage']:.0%} of its skills)"
            for c in match["credentials"]
        ),
        highlight=False,
    )


async def _board_jobs(url: str) -> list[JobAd]:
    """The sample job ads: a posting of the demo feed (a job card), two real demo credentials
    and one id the graph does not hold (credential cards)."""
    async with open_store(url) as store:
        ids = await _names_to_ids(store, COMPARE)
    jobs: list[JobAd] = [
        (
            "Junior Data Analyst, Lakeside Regional Health",
            "Clean, query and chart patient-flow data. This card lists the credentials that prepare "
            "for the posting, read from the graph.",
            "job",
            DEMO_POSTING,
        ),
    ]
    texts = [
        ("Junior data analyst", "Clean, query and chart data for our product teams."),
        ("Data scientist", "Build models with the research group; a graduate credential helps."),
    ]
    jobs += [
        (title, text, "credential", id_) for (title, text), id_ in zip(texts, ids, strict=False)
    ]
    jobs.append(
        (
            "Database administrator",
            "This ad names a credential the demo graph does not "
            'hold, to show the card\'s "not found" message.',
            "credential",
            UNKNOWN_ID,
        )
    )
    return jobs


async def serve_api(url: str, port: int, console: Console) -> None:
    from credgraph.api.settings import load_settings
    from credgraph.cli.serve import make_server

    base = f"http://127.0.0.1:{port}"
    with JobBoardServer() as board:
        board.show(base, await _board_jobs(url))
        # The job board is another origin: the demo API allows it (and only it) through CORS.
        settings = load_settings(
            store_url=url, host="127.0.0.1", port=port, workers=1, cors_origins=(board.base,)
        )
        endpoint = f"{base}/graphql"
        body = json.dumps({"query": SAMPLE_QUERY})
        console.print(
            f"\n[bold green]credgraph API on {endpoint}[/]  (Ctrl-C to stop)", highlight=False
        )
        console.print(
            f"Open in a browser: {base}/ (start page), {base}/explorer (query explorer), "
            f"{base}/compare (compare credentials), {board.url} (a job board embedding cards)",
            highlight=False,
            soft_wrap=True,
        )
        console.print("Try:", highlight=False)
        console.print(
            f"  curl -s {endpoint} -H 'Content-Type: application/json' -d {shlex.quote(body)}",
            highlight=False,
            soft_wrap=True,
        )
        server = make_server(settings)
        await server.serve()
