"""`credgraph demo`: serve the bundled catalogs on loopback, crawl them through the real
pipeline into a local SQLite store, show what the graph answers, then serve the API."""

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
from credgraph.demo import DemoCatalogServer, demo_sources
from credgraph.demo.board import UNKNOWN_ID, JobBoardServer
from credgraph.ingest import crawl_sources
from credgraph.model.crawl import CrawlRun
from credgraph.store import GraphStore, open_store

CRAWLER = CrawlerSettings(
    allow_private_networks=True, delay_seconds=0, max_retries=1, timeout_seconds=10
)
DATA_SCIENTIST = "15-2051.00"
COMPARE = ("Applied Data Science (Micro-credential)", "Graduate Certificate in Data Science")
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
            real = sum(1 for s in sources if s.id.startswith("real-"))
            console.print(
                f"Serving {len(sources) - real} sample catalogs, {real} sources of real published "
                f"documents and a taxonomy on {catalogs.base}; crawling into {store.url} ..."
            )
            # The taxonomy first, so that catalog mentions link to its nodes as they arrive.
            runs = await crawl_sources([taxonomy], store, CRAWLER)
            runs += await crawl_sources(sources, store, CRAWLER)
        console.print(summary_table(runs))
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
    console.print(
        f"\nOther commands read this graph with --store {url}, for example "
        f"`credgraph stats --store {url}`",
        highlight=False,
        soft_wrap=True,
    )
    return runs


async def _board_jobs(url: str) -> list[tuple[str, str, str]]:
    """The sample job ads: two real demo credentials and one id the graph does not hold."""
    async with open_store(url) as store:
        ids = await _names_to_ids(store, COMPARE)
    texts = [
        ("Junior data analyst", "Clean, query and chart data for our product teams."),
        ("Data scientist", "Build models with the research group; a graduate credential helps."),
    ]
    jobs = [(title, text, id_) for (title, text), id_ in zip(texts, ids, strict=False)]
    jobs.append(
        (
            "Database administrator",
            "This ad names a credential the demo graph does not "
            'hold, to show the card\'s "not found" message.',
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
