"""API benchmark: GraphQL over real HTTP against `credgraph serve`, next to the direct store call
that produces the same answer, on the synthetic graph (bench/synthetic.py).

    python bench/api_bench.py                                  # 100k credentials, SQLite
    python bench/api_bench.py --scale 0.1 --soak-seconds 10    # quick run
    python bench/api_bench.py --db /tmp/graph.db               # reuse (or create) a loaded file
    python bench/api_bench.py --url bolt://127.0.0.1:7687      # Neo4j: WIPES that database
    python bench/api_bench.py --url bolt://... --reuse         # Neo4j: keep a graph of this scale
    python bench/api_bench.py --profile-only --db /tmp/graph.db   # in-process profile only

For each query — (a) a credential by id with issuer and skills, (b) compareCredentials of
three credentials, (c) a 50-item filtered page with nested issuer and skills, (d)
similarCredentials — it measures p50/p99 latency and requests/second at 1 and 16 concurrent
clients, over HTTP (a load loop on loopback, bounded in requests and time) and directly on the
store, and reports HTTP/direct. The load client shares the server's two cores, so its own CPU
time is part of every latency: by default it is a minimal HTTP/1.1 keep-alive client
(`LeanClient`, ~0.05 ms a request); `--client httpx` uses httpx.AsyncClient (~1.5 ms more a
request on this machine, spent in the client, not the server). The load process runs on
uvloop, as `credgraph serve` does (`--loop asyncio` for the standard loop). Then a soak at
16 clients mixing all four queries (`--soak-seconds`, default 60) must answer every request
without an error. With `--profile` the page query also runs in-process
(httpx.ASGITransport) under cProfile.

The direct calls: (a) `get_credentials([id])`, (b) `get_credentials(ids)` with
`compare(ids)`, (c) `list_credentials(filter, first=50)`, (d) `similar(id, 10)` then
`get_credentials` of the answers — the store work each GraphQL answer needs.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import json
import os
import pstats
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import httpx
from rich.console import Console
from rich.table import Table
from store_bench import load
from synthetic import Shape

from credgraph.model import CredentialType
from credgraph.store import GraphStore, open_store
from credgraph.store.query import CredentialFilter

console = Console(width=170)

CREDENTIAL = """query One($id: ID!) {
  credential(id: $id) {
    id name type url durationHours cost { amount currency }
    issuer { id name country }
    skills { id name framework }
  }
}"""

COMPARE = """query Compare($ids: [ID!]!) {
  compareCredentials(ids: $ids) {
    credentials { id name issuer { id name } skills { id name } }
    sharedSkills { id name }
    uniqueSkills { credential { id } skills { id name } }
    similarity { a b jaccard }
    rows { field values }
  }
}"""

PAGE = """query Page($filter: CredentialFilter, $first: Int) {
  credentials(filter: $filter, first: $first) {
    totalCount
    edges {
      cursor
      node {
        id name type durationHours cost { amount currency }
        issuer { id name country }
        skills { id name framework }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}"""

SIMILAR = """query Similar($id: ID!) {
  similarCredentials(id: $id, first: 10) {
    score
    credential { id name issuer { id name } }
    sharedSkills { id name }
  }
}"""

PAGE_TYPES = [CredentialType.CERTIFICATE, CredentialType.BADGE, CredentialType.COURSE]
PAGE_MAX_COST = 1500.0


def page_filter(n: int) -> dict[str, Any]:
    return {"types": [PAGE_TYPES[n % len(PAGE_TYPES)].name], "maxCost": PAGE_MAX_COST}


# -- measuring -------------------------------------------------------------------------------


@dataclass
class Run:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    samples: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def figures(self) -> dict[str, float]:
        lat = sorted(self.latencies)
        if not lat:
            return {"n": 0, "errors": self.errors, "p50_ms": 0, "p99_ms": 0, "rps": 0}
        p99 = lat[min(len(lat) - 1, round(0.99 * (len(lat) - 1)))]
        return {
            "n": len(lat),
            "errors": self.errors,
            "p50_ms": statistics.median(lat) * 1000,
            "p99_ms": p99 * 1000,
            "rps": len(lat) / self.seconds if self.seconds else 0.0,
        }


async def drive(
    call: Callable[[int], Awaitable[str | None]],
    clients: int,
    max_requests: int,
    max_seconds: float,
    warmup: int = 0,
) -> Run:
    """`clients` concurrent loops calling `call(n)` (None: fine, else an error text) until
    `max_requests` answered or `max_seconds` passed."""
    for n in range(warmup):
        await call(n)
    run = Run()
    counter = iter(range(10**9))
    started = time.perf_counter()
    deadline = started + max_seconds

    async def client() -> None:
        while True:
            n = next(counter)
            if n >= max_requests or time.perf_counter() > deadline:
                return
            t = time.perf_counter()
            try:
                problem = await call(n)
            except Exception as exc:  # every failure counts as an error
                problem = f"{type(exc).__name__}: {exc}"
            run.latencies.append(time.perf_counter() - t)
            if problem is not None:
                run.errors += 1
                if len(run.samples) < 3:
                    run.samples.append(problem[:300])

    await asyncio.gather(*(client() for _ in range(clients)))
    run.seconds = time.perf_counter() - started
    return run


# -- the scenarios ---------------------------------------------------------------------------


@dataclass
class Scenario:
    name: str
    query: str
    variables: Callable[[int], dict[str, Any]]
    direct: Callable[[int], Awaitable[Any]]
    check: Callable[[dict[str, Any]], bool]


def scenarios(store: GraphStore, ids: list[str]) -> list[Scenario]:
    rng = random.Random(7)
    triples = [rng.sample(ids, 3) for _ in range(len(ids))]

    def pick(n: int) -> str:
        return ids[n % len(ids)]

    async def direct_similar(n: int) -> Any:
        answers = await store.similar(pick(n), 10)
        return await store.get_credentials([a.credential_id for a in answers])

    async def direct_compare(n: int) -> Any:
        ids3 = triples[n % len(triples)]
        return await asyncio.gather(store.get_credentials(ids3), store.compare(ids3))

    def direct_page(n: int) -> Awaitable[Any]:
        types = (PAGE_TYPES[n % len(PAGE_TYPES)],)
        flt = CredentialFilter(types=types, max_cost=PAGE_MAX_COST)
        return store.list_credentials(flt, None, first=50)

    return [
        Scenario(
            "a credential+issuer+skills",
            CREDENTIAL,
            lambda n: {"id": pick(n)},
            lambda n: store.get_credentials([pick(n)]),
            lambda d: bool(d["credential"] and d["credential"]["skills"]),
        ),
        Scenario(
            "b compareCredentials x3",
            COMPARE,
            lambda n: {"ids": triples[n % len(triples)]},
            direct_compare,
            lambda d: len(d["compareCredentials"]["credentials"]) == 3,
        ),
        Scenario(
            "c page of 50 (filtered)",
            PAGE,
            lambda n: {"filter": page_filter(n), "first": 50},
            direct_page,
            lambda d: len(d["credentials"]["edges"]) == 50,
        ),
        Scenario(
            "d similarCredentials",
            SIMILAR,
            lambda n: {"id": pick(n)},
            direct_similar,
            lambda d: len(d["similarCredentials"]) > 0,
        ),
    ]


Post = Callable[[bytes], Awaitable[tuple[int, bytes]]]


class LeanClient:
    """POSTs JSON to /graphql over HTTP/1.1 keep-alive connections (one per concurrent
    caller, opened on demand), reading `Content-Length` bodies: the least client work an
    HTTP answer needs, so the latency measured is the server's and the network's."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []

    async def post(self, body: bytes) -> tuple[int, bytes]:
        request = (
            b"POST /graphql HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\n"
            b"Content-Length: %d\r\n\r\n%b" % (len(body), body)
        )
        while self.idle:  # the server closes connections idle past its keep-alive timeout
            conn = self.idle.pop()
            try:
                return await self._exchange(conn, request)
            except (asyncio.IncompleteReadError, ConnectionError):
                conn[1].close()
        return await self._exchange(await asyncio.open_connection(self.host, self.port), request)

    async def _exchange(
        self, conn: tuple[asyncio.StreamReader, asyncio.StreamWriter], request: bytes
    ) -> tuple[int, bytes]:
        reader, writer = conn
        writer.write(request)
        head = await reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        length = None
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        if length is None:
            writer.close()
            raise RuntimeError(f"no Content-Length in {head[:200]!r}")
        payload = await reader.readexactly(length)
        self.idle.append(conn)
        return status, payload

    async def close(self) -> None:
        for _, writer in self.idle:
            writer.close()
        self.idle.clear()


def httpx_post(client: httpx.AsyncClient) -> Post:
    async def post(body: bytes) -> tuple[int, bytes]:
        response = await client.post(
            "/graphql", content=body, headers={"Content-Type": "application/json"}
        )
        return response.status_code, response.content

    return post


def http_call(post: Post, scenario: Scenario) -> Callable[[int], Awaitable[str | None]]:
    async def call(n: int) -> str | None:
        body = {"query": scenario.query, "variables": scenario.variables(n)}
        status, content = await post(json.dumps(body).encode())
        if status != 200:
            return f"HTTP {status}: {content[:200]!r}"
        payload = json.loads(content)
        if payload.get("errors"):
            return json.dumps(payload["errors"])[:300]
        if not scenario.check(payload["data"]):
            return f"unexpected answer: {json.dumps(payload['data'])[:200]}"
        return None

    return call


def direct_call(scenario: Scenario) -> Callable[[int], Awaitable[str | None]]:
    async def call(n: int) -> str | None:
        await scenario.direct(n)
        return None

    return call


# -- the server ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def server_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "CREDGRAPH_RATE_LIMIT_PER_IP": "0",
            "CREDGRAPH_RATE_LIMIT_PER_KEY": "0",
            "CREDGRAPH_ACCESS_LOG": "off",
            "CREDGRAPH_REQUIRE_API_KEY": "false",
            "CREDGRAPH_TIMEOUT_SECONDS": "30",
        }
    )
    return env


def credgraph_command() -> list[str]:
    exe = Path(sys.executable).with_name("credgraph")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "credgraph.cli.main"]


async def start_server(
    store_url: str, port: int, env: dict[str, str] | None = None
) -> subprocess.Popen[bytes]:
    log_fd, log_name = tempfile.mkstemp(prefix="credgraph-serve-", suffix=".log")
    process = subprocess.Popen(
        [*credgraph_command(), "serve", "--store", store_url, "--port", str(port)],
        env={**server_env(), **(env or {})},
        stdout=log_fd,
        stderr=subprocess.STDOUT,
    )
    os.close(log_fd)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
        for _ in range(300):
            if process.poll() is not None:
                raise RuntimeError(f"credgraph serve exited: {Path(log_name).read_text()[-2000:]}")
            try:
                if (await client.get("/healthz")).status_code == 200:
                    return process
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    process.terminate()
    raise RuntimeError(f"credgraph serve did not answer /healthz; log: {log_name}")


def stop_server(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# -- the API against the direct store call, interleaved ---------------------------------------

BLOCK = 40  # requests per block; blocks alternate between the server and the direct call


async def compare_paths(
    url: str, store: GraphStore, ids: list[str], rounds: int
) -> dict[str, dict[str, float]]:
    """p50 of queries a, b and d over HTTP from a `credgraph serve` on `url` and of the
    direct store call, in alternating blocks so that the machine's noise falls on both
    alike; plus `{ __typename }`, the fixed cost of an operation through the app."""
    port = free_port()
    server = await start_server(url, port, {})
    client = LeanClient("127.0.0.1", port)
    chosen = [sc for sc in scenarios(store, ids) if sc.name[0] in "abd"]
    trivial = Scenario("{ __typename }", "{ __typename }", lambda n: {}, None,  # type: ignore[arg-type]
                       lambda d: d == {"__typename": "Query"})  # fmt: skip
    out: dict[str, dict[str, float]] = {}
    try:
        for sc in [trivial, *chosen]:
            calls = {"http": http_call(client.post, sc)}
            if sc.direct is not None:
                calls["direct"] = direct_call(sc)
            samples: dict[str, list[float]] = {k: [] for k in calls}
            for k, call in calls.items():  # warm-up
                for n in range(10):
                    if problem := await call(n):
                        raise RuntimeError(f"{sc.name} ({k}): {problem}")
            for r in range(rounds):
                for k, call in calls.items():
                    for n in range(r * BLOCK, (r + 1) * BLOCK):
                        started = time.perf_counter()
                        if problem := await call(n):
                            raise RuntimeError(f"{sc.name} ({k}): {problem}")
                        samples[k].append((time.perf_counter() - started) * 1000)
            out[sc.name] = {k: statistics.median(v) for k, v in samples.items()}
    finally:
        await client.close()
        stop_server(server)
    return out


def paths_table(results: dict[str, dict[str, float]]) -> Table:
    t = Table(title="credgraph API over HTTP vs the direct store call (p50, interleaved)")
    for col in ("query", "HTTP ms", "direct ms", "HTTP / direct"):
        t.add_column(col, justify="left" if col == "query" else "right")
    for name, r in results.items():
        d = r.get("direct")
        t.add_row(name, f"{r['http']:.3f}", f"{d:.3f}" if d else "",
                  f"{r['http'] / d:.1f}x" if d else "")  # fmt: skip
    return t


# -- profiling -------------------------------------------------------------------------------


async def profile_query(
    store: GraphStore, ids: list[str], which: int, requests: int, top: int
) -> dict[str, Any]:
    """One query (by default the page) in-process (ASGITransport, same app and middleware as `serve`):
    mean ms per request without and with cProfile, and the top functions."""
    from credgraph.api.app import create_app
    from credgraph.api.settings import load_settings

    settings = load_settings(env=server_env(), store_url="sqlite:///unused.db", access_log="off")
    app = create_app(settings, store=store)
    transport = httpx.ASGITransport(app=app)
    scenario = scenarios(store, ids)[which]
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        call = http_call(httpx_post(client), scenario)
        for n in range(10):
            if problem := await call(n):
                raise RuntimeError(problem)
        started = time.perf_counter()
        for n in range(requests):
            await call(n)
        plain_ms = (time.perf_counter() - started) / requests * 1000
        profiler = cProfile.Profile()
        profiler.enable()
        for n in range(requests):
            await call(n)
        profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    direct_started = time.perf_counter()
    for n in range(requests):
        await scenario.direct(n)
    direct_ms = (time.perf_counter() - direct_started) / requests * 1000
    return {"requests": requests, "asgi_ms": plain_ms, "direct_ms": direct_ms,
            "report": out.getvalue()}  # fmt: skip


# -- main ------------------------------------------------------------------------------------


async def sample_ids(store: GraphStore, shape: Shape, count: int) -> list[str]:
    rng = random.Random(11)
    guesses = [
        f"https://issuer{i % shape.issuers}.example/credentials/{i}"
        for i in rng.sample(range(shape.credentials), min(count, shape.credentials))
    ]
    found = await store.resolve_credential_ids(guesses)
    ids = list(dict.fromkeys(v for v in found.values() if v))
    if len(ids) < min(count, shape.credentials) // 2:
        raise RuntimeError(f"only {len(ids)} of {len(guesses)} synthetic ids resolved")
    return ids


async def prepare(args: argparse.Namespace, shape: Shape) -> tuple[str, float | None]:
    """The store URL, loaded; and load seconds when this run loaded it."""
    if args.url:
        url = args.url
        fresh = not (args.reuse and await _holds(url, shape))
        if fresh and url.startswith(("bolt://", "neo4j://")):
            sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
            from tests.stores import wipe_neo4j

            await wipe_neo4j(url)
    else:
        path = Path(args.db) if args.db else Path(tempfile.mkdtemp()) / "api_bench.db"
        fresh = not path.exists()
        url = f"sqlite:///{path}"
    if not fresh:
        async with open_store(url) as store:
            stats = await store.stats()
        console.print(f"reusing {url}: {stats}")
        return url, None
    console.print(f"loading {shape.credentials:,} credentials into {url} ...")
    async with open_store(url) as store:
        _, seconds = await load(store, shape)
    return url, seconds


async def _holds(url: str, shape: Shape) -> bool:
    """Whether the store at `url` already holds the synthetic graph of `shape` (--reuse)."""
    async with open_store(url) as store:
        stats = await store.stats()
    return stats.credentials == shape.credentials and stats.skills == shape.skills


def table(results: dict[str, Any], client_counts: list[int]) -> Table:
    t = Table(title="credgraph API: HTTP (credgraph serve) vs direct store call")
    for col in ("query", "clients", "HTTP p50 ms", "HTTP p99 ms", "HTTP rps",
                "direct p50 ms", "direct p99 ms", "direct rps", "HTTP/direct p50", "errors"):  # fmt: skip
        t.add_column(col, justify="left" if col == "query" else "right")
    for name, per_clients in results.items():
        for c in client_counts:
            h, d = per_clients[str(c)]["http"], per_clients[str(c)]["direct"]
            ratio = h["p50_ms"] / d["p50_ms"] if d["p50_ms"] else float("nan")
            per_clients[str(c)]["ratio_p50"] = ratio
            t.add_row(
                name, str(c),
                f"{h['p50_ms']:.2f}", f"{h['p99_ms']:.1f}", f"{h['rps']:.0f}",
                f"{d['p50_ms']:.2f}", f"{d['p99_ms']:.1f}", f"{d['rps']:.0f}",
                f"{ratio:.1f}x", str(h["errors"] + d["errors"]),
            )  # fmt: skip
    return t


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--scale", type=float, default=1.0, help="fraction of the 100k graph")
    p.add_argument("--db", help="SQLite file: reused when it exists, else loaded")
    p.add_argument("--url", help="another store URL, e.g. bolt://127.0.0.1:7687 (wiped)")
    p.add_argument("--reuse", action="store_true",
                   help="with --url: keep the graph when it already has this scale's counts")  # fmt: skip
    p.add_argument("--clients", default="1,16", help="comma-separated concurrency levels")
    p.add_argument("--client", choices=["lean", "httpx"], default="lean",
                   help="the HTTP client of the load loop (see above)")  # fmt: skip
    p.add_argument("--requests", type=int, default=400, help="per query and level, at most")
    p.add_argument("--seconds", type=float, default=15.0, help="per query and level, at most")
    p.add_argument("--soak-seconds", type=float, default=60.0)
    p.add_argument("--soak-clients", type=int, default=16)
    p.add_argument("--profile", action="store_true", help="profile the page query in-process")
    p.add_argument("--profile-only", action="store_true")
    p.add_argument("--profile-requests", type=int, default=100)
    p.add_argument("--profile-query", choices=list("abcd"), default="c")
    p.add_argument("--paths", action="store_true",
                   help="only compare the API over HTTP with the direct store call, interleaved")  # fmt: skip
    p.add_argument("--rounds", type=int, default=8, help="with --paths: blocks of 40 per side")
    p.add_argument("--json", type=Path, help="write the figures here")
    p.add_argument("--loop", choices=["uvloop", "asyncio"], default="uvloop",
                   help="the load process's event loop (the server always runs uvloop)")  # fmt: skip
    return p.parse_args()


async def main(args: argparse.Namespace) -> int:
    shape = Shape() if args.scale == 1 else Shape().scaled(args.scale)
    client_counts = [int(c) for c in args.clients.split(",") if c.strip()]
    url, load_seconds = await prepare(args, shape)
    figures: dict[str, Any] = {"store": url.split(":")[0], "scale": args.scale, "client": args.client,
                               "loop": args.loop,
                               "credentials": shape.credentials, "load_seconds": load_seconds}  # fmt: skip

    async with open_store(url) as store:
        ids = await sample_ids(store, shape, 300)
        if args.paths:
            figures["paths"] = await compare_paths(url, store, ids, args.rounds)
            console.print(paths_table(figures["paths"]))
        elif not args.profile_only:
            port = free_port()
            server = await start_server(url, port)
            try:
                results: dict[str, Any] = {}
                limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
                lean = LeanClient("127.0.0.1", port)
                async with httpx.AsyncClient(
                    base_url=f"http://127.0.0.1:{port}", limits=limits, timeout=30
                ) as client:
                    post = lean.post if args.client == "lean" else httpx_post(client)
                    for sc in scenarios(store, ids):
                        per: dict[str, Any] = {}
                        for c in client_counts:
                            h = await drive(http_call(post, sc), c, args.requests, args.seconds,
                                            warmup=5)  # fmt: skip
                            d = await drive(direct_call(sc), c, args.requests, args.seconds,
                                            warmup=5)  # fmt: skip
                            per[str(c)] = {"http": h.figures(), "direct": d.figures()}
                            if h.samples:
                                per[str(c)]["error_samples"] = h.samples
                                console.print(f"[red]{sc.name} @{c}: {h.samples[0]}")
                        results[sc.name] = per
                        console.print(f"done: {sc.name}")
                    console.print(table(results, client_counts))
                    figures["queries"] = results

                    if args.soak_seconds > 0:
                        mixed = [http_call(post, sc) for sc in scenarios(store, ids)]

                        async def mix(n: int) -> str | None:
                            return await mixed[n % len(mixed)](n // len(mixed))

                        soak = await drive(mix, args.soak_clients, 10**9, args.soak_seconds)
                        s = soak.figures()
                        figures["soak"] = {**s, "seconds": soak.seconds,
                                           "clients": args.soak_clients, "samples": soak.samples}  # fmt: skip
                        colour = "green" if s["errors"] == 0 else "red"
                        console.print(
                            f"[{colour}]soak {soak.seconds:.0f}s @ {args.soak_clients} clients: "
                            f"{s['n']:,} requests, {s['errors']} errors, {s['rps']:.0f} rps, "
                            f"p50 {s['p50_ms']:.1f} ms, p99 {s['p99_ms']:.1f} ms"
                        )
                await lean.close()
            finally:
                stop_server(server)
        if args.profile or args.profile_only:
            which = "abcd".index(args.profile_query)
            prof = await profile_query(store, ids, which, args.profile_requests, 30)
            console.print(prof["report"], markup=False, highlight=False)
            console.print(
                f"query ({args.profile_query}) in-process (ASGI): {prof['asgi_ms']:.2f} "
                f"ms/request; direct store call: {prof['direct_ms']:.2f} ms"
            )
            figures["profile"] = {"query": args.profile_query,
                                  **{k: v for k, v in prof.items() if k != "report"}}  # fmt: skip
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, default=str))
        console.print(f"wrote {args.json}")
    soak_errors = figures.get("soak", {}).get("errors", 0)
    return 1 if soak_errors else 0


if __name__ == "__main__":
    arguments = parse_args()
    if arguments.loop == "uvloop":  # the client's share of each latency: see the module docs
        import uvloop

        sys.exit(uvloop.run(main(arguments)))
    sys.exit(asyncio.run(main(arguments)))
