"""credgraph (`credgraph serve`) against the Neo4j GraphQL Library (@neo4j/graphql 7 on Apollo
Server 5, `bench/peer/server/`) reading the SAME Neo4j database.

    .venv/bin/python bench/peer_bench.py                      # starts Neo4j, loads 100k, runs all
    .venv/bin/python bench/peer_bench.py --scale 0.2 --rounds 4 --queries a,b
    .venv/bin/python bench/peer_bench.py --url bolt://127.0.0.1:7791   # a Neo4j already running

What it does, in order:
1. The peer's npm packages are installed from the lock file into `.cache/peer/` (`npm ci`,
   once); it is a benchmark tool, never a runtime dependency of credgraph.
2. Without `--url`, a Neo4j 5.26 is started with `tools/neo4j/server` on `--neo4j-port` (7791),
   with `server.bolt.connection_keep_alive_for_requests=STREAMING` (`NEO4J_BOLT_KEEP_ALIVE`,
   as docs/operations.md recommends), and stopped at the end.
3. The database is loaded with bench/synthetic.py's graph at `--scale` (wiped first), unless it
   already holds that scale.
4. One `credgraph serve` and one peer start on loopback, both reading that database. For each
   query both answers are first checked to carry the same content (on `--check` variable sets),
   then one keep-alive client (bench/api_bench.py's LeanClient) times alternating blocks of
   `--block` requests (credgraph first in even rounds, the peer first in odd ones, so neither
   always meets Neo4j's caches warmed by the other), then `--clients` concurrent clients in
   A-B-B-A halves of `--conc-seconds`. The 1-minute load average is sampled every second.
   Writes `--json` and prints the table docs/benchmarks.md shows.

Where the comparison is not exact: the peer has no comparison, so for b it fetches the three
credentials and the client computes shared skills and Jaccard inside the timed request; the
peer's `issuer` is a list (v7 relationship fields are lists); cursors differ (offset against
keyset) and are left out of the content check; the peer's search is given the Lucene string
credgraph builds.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
PEER_SOURCE = REPO / "bench" / "peer" / "server"
PEER_DIR = REPO / ".cache" / "peer"
sys.path[:0] = [str(REPO / "bench"), str(REPO)]

from api_bench import LeanClient, free_port, start_server, stop_server  # noqa: E402
from store_bench import load  # noqa: E402
from synthetic import Shape, occupation  # noqa: E402

from credgraph.store import open_store  # noqa: E402
from credgraph.store.neo4j.text import lucene_query  # noqa: E402

# -- the queries, in both dialects ------------------------------------------------------------

CG_ONE = """query One($id: ID!) {
  credential(id: $id) {
    id name type url durationHours cost { amount currency }
    issuer { id name country }
    skills { id name framework }
  }
}"""
PEER_ONE = """query One($id: ID!) {
  credentials(where: { id: { eq: $id } }) {
    id name type url durationHours costAmount costCurrency
    issuer { id name country }
    skills { id name framework }
  }
}"""

CG_COMPARE = """query Compare($ids: [ID!]!) {
  compareCredentials(ids: $ids) {
    credentials {
      id name type durationHours cost { amount currency } transparency { score }
      issuer { id name } skills { id name } occupations { id name }
    }
    sharedSkills { id name }
    uniqueSkills { credential { id } skills { id name } }
    similarity { a b jaccard }
  }
}"""
PEER_COMPARE = """query Compare($ids: [ID!]!) {
  credentials(where: { id: { in: $ids } }) {
    id name type durationHours costAmount costCurrency transparency
    issuer { id name } skills { id name } occupations { id name }
  }
}"""

CG_PAGE = """query Page($occ: ID!) {
  credentials(filter: { occupations: [$occ] }, first: 50) {
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
# Idiomatic for the library: start at the occupation, page its incoming PREPARES_FOR.
PEER_PAGE = """query Page($occ: ID!) {
  occupations(where: { id: { eq: $occ } }) {
    credentialsConnection(first: 50, sort: [{ node: { nameKey: ASC } }, { node: { id: ASC } }]) {
      totalCount
      edges {
        cursor
        node {
          id name type durationHours costAmount costCurrency
          issuer { id name country }
          skills { id name framework }
        }
      }
      pageInfo { hasNextPage endCursor }
    }
  }
}"""
# The same page asked as a top-level filter (what the generated schema offers first).
PEER_PAGE_TOP = """query Page($occ: ID!) {
  credentialsConnection(
    where: { occupations: { some: { id: { eq: $occ } } } }
    first: 50
    sort: [{ nameKey: ASC }, { id: ASC }]
  ) {
    totalCount
    edges {
      cursor
      node {
        id name type durationHours costAmount costCurrency
        issuer { id name country }
        skills { id name framework }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}"""

CG_SEARCH = """query Search($text: String!) {
  search(text: $text, first: 20, kinds: [CREDENTIAL]) { kind id name score }
}"""
# The peer is given the Lucene query credgraph builds from the same text (lucene_query).
PEER_SEARCH = """query Search($q: String!) {
  credentialSearch(phrase: $q, first: 20, sort: [{ score: DESC }, { node: { id: ASC } }]) {
    edges { score node { id name } }
  }
}"""

WORDS = [
    "data",
    "cloud",
    "security",
    "nursing",
    "welding",
    "finance",
    "design",
    "logistics",
    "marketing",
    "teaching",
    "python",
    "sql",
    "networks",
    "robotics",
    "ethics",
    "accounting",
]


# -- answers to one common shape (the content check) ------------------------------------------


def _cost(amount: Any, currency: Any) -> dict[str, Any] | None:
    return None if amount is None else {"amount": float(amount), "currency": currency}


def _by_id(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(items, key=lambda x: x["id"])


def norm_cg_credential(c: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in c.items() if k not in ("cost", "transparency", "skills", "occupations")}
    if "cost" in c:
        out["cost"] = c["cost"] and {
            "amount": float(c["cost"]["amount"]),
            "currency": c["cost"]["currency"],
        }
    if "transparency" in c:
        out["transparency"] = float(c["transparency"]["score"])
    for k in ("skills", "occupations"):
        if k in c:
            out[k] = _by_id(c[k])
    if out.get("durationHours") is not None:
        out["durationHours"] = float(out["durationHours"])
    return out


def norm_peer_credential(c: dict[str, Any]) -> dict[str, Any]:
    out = {
        k: v
        for k, v in c.items()
        if k
        not in ("costAmount", "costCurrency", "issuer", "skills", "occupations", "transparency")
    }
    if "costAmount" in c:
        out["cost"] = _cost(c["costAmount"], c["costCurrency"])
    if "transparency" in c:
        out["transparency"] = float(c["transparency"])
    out["issuer"] = c["issuer"][0] if c.get("issuer") else None
    for k in ("skills", "occupations"):
        if k in c:
            out[k] = _by_id(c[k])
    if out.get("durationHours") is not None:
        out["durationHours"] = float(out["durationHours"])
    return out


def peer_comparison(ids: list[str], creds: list[dict[str, Any]]) -> dict[str, Any]:
    """What compareCredentials computes server-side, derived by the peer's caller from the
    three credentials (this work is inside the peer's timed request)."""
    found = {c["id"]: c for c in creds}
    order = [i for i in dict.fromkeys(ids) if i in found]
    sets = {i: frozenset(s["id"] for s in found[i]["skills"]) for i in order}
    names = {s["id"]: s["name"] for c in creds for s in c["skills"]}
    shared = frozenset.intersection(*sets.values()) if sets else frozenset()
    unique = []
    for i in order:
        others = frozenset().union(*(s for j, s in sets.items() if j != i))
        unique.append(
            {
                "credential": {"id": i},
                "skills": [{"id": s, "name": names[s]} for s in sorted(sets[i] - others)],
            }
        )
    similarity = []
    for a, b in itertools.combinations(order, 2):
        union = len(sets[a] | sets[b])
        similarity.append(
            {"a": a, "b": b, "jaccard": len(sets[a] & sets[b]) / union if union else 0.0}
        )
    return {
        "credentials": [found[i] for i in order],
        "sharedSkills": [{"id": s, "name": names[s]} for s in sorted(shared)],
        "uniqueSkills": unique,
        "similarity": similarity,
    }


def norm_comparison(d: dict[str, Any], peer: bool) -> dict[str, Any]:
    norm = norm_peer_credential if peer else norm_cg_credential
    return {
        "credentials": [norm(c) for c in d["credentials"]],
        "sharedSkills": _by_id(d["sharedSkills"]),
        "uniqueSkills": [
            {"credential": u["credential"]["id"], "skills": _by_id(u["skills"])}
            for u in d["uniqueSkills"]
        ],
        "similarity": [(s["a"], s["b"], round(s["jaccard"], 12)) for s in d["similarity"]],
    }


def norm_page(conn: dict[str, Any], peer: bool) -> dict[str, Any]:
    norm = norm_peer_credential if peer else norm_cg_credential
    return {
        "totalCount": conn["totalCount"],
        "ids": [e["node"]["id"] for e in conn["edges"]],
        "nodes": [norm(e["node"]) for e in conn["edges"]],
        "hasNextPage": conn["pageInfo"]["hasNextPage"],
    }  # cursors differ in format


# -- scenarios --------------------------------------------------------------------------------


@dataclass
class Side:
    query: str
    variables: Callable[[int], dict[str, Any]]
    check: Callable[[int, dict[str, Any]], Any]  # data -> normalised content (raises if bad)


@dataclass
class Scenario:
    name: str
    cg: Side
    peer: Side


def build_scenarios(ids: list[str], occupations: list[str], texts: list[str]) -> list[Scenario]:
    rng = random.Random(7)
    triples = [rng.sample(ids, 3) for _ in range(len(ids))]
    pick = lambda n: ids[n % len(ids)]  # noqa: E731
    triple = lambda n: triples[n % len(triples)]  # noqa: E731
    occ = lambda n: occupations[n % len(occupations)]  # noqa: E731
    text = lambda n: texts[n % len(texts)]  # noqa: E731

    def cg_one(n: int, d: dict[str, Any]) -> Any:
        assert d["credential"] and d["credential"]["skills"], d
        return norm_cg_credential(d["credential"])

    def peer_one(n: int, d: dict[str, Any]) -> Any:
        assert len(d["credentials"]) == 1 and d["credentials"][0]["skills"], d
        return norm_peer_credential(d["credentials"][0])

    def cg_compare(n: int, d: dict[str, Any]) -> Any:
        assert len(d["compareCredentials"]["credentials"]) == 3, d
        return norm_comparison(d["compareCredentials"], peer=False)

    def peer_compare(n: int, d: dict[str, Any]) -> Any:
        assert len(d["credentials"]) == 3, d
        return norm_comparison(peer_comparison(triple(n), d["credentials"]), peer=True)

    def cg_page(n: int, d: dict[str, Any]) -> Any:
        assert len(d["credentials"]["edges"]) == 50, d
        return norm_page(d["credentials"], peer=False)

    def peer_page(n: int, d: dict[str, Any]) -> Any:
        [o] = d["occupations"]
        assert len(o["credentialsConnection"]["edges"]) == 50, d
        return norm_page(o["credentialsConnection"], peer=True)

    def peer_page_top(n: int, d: dict[str, Any]) -> Any:
        assert len(d["credentialsConnection"]["edges"]) == 50, d
        return norm_page(d["credentialsConnection"], peer=True)

    def cg_search(n: int, d: dict[str, Any]) -> Any:
        hits = d["search"]
        assert hits and all(h["kind"] == "CREDENTIAL" for h in hits), d
        return [(h["id"], h["name"], round(h["score"], 4)) for h in hits]

    def peer_search(n: int, d: dict[str, Any]) -> Any:
        edges = d["credentialSearch"]["edges"]
        assert edges, d
        return [(e["node"]["id"], e["node"]["name"], round(e["score"], 4)) for e in edges]

    return [
        Scenario(
            "a one credential + issuer + skills",
            Side(CG_ONE, lambda n: {"id": pick(n)}, cg_one),
            Side(PEER_ONE, lambda n: {"id": pick(n)}, peer_one),
        ),
        Scenario(
            "b compare three credentials",
            Side(CG_COMPARE, lambda n: {"ids": triple(n)}, cg_compare),
            Side(PEER_COMPARE, lambda n: {"ids": triple(n)}, peer_compare),
        ),
        Scenario(
            "c page of 50 for an occupation",
            Side(CG_PAGE, lambda n: {"occ": occ(n)}, cg_page),
            Side(PEER_PAGE, lambda n: {"occ": occ(n)}, peer_page),
        ),
        Scenario(
            "c2 same page, peer top-level filter",
            Side(CG_PAGE, lambda n: {"occ": occ(n)}, cg_page),
            Side(PEER_PAGE_TOP, lambda n: {"occ": occ(n)}, peer_page_top),
        ),
        Scenario(
            "d search (credentials, top 20)",
            Side(CG_SEARCH, lambda n: {"text": text(n)}, cg_search),
            Side(PEER_SEARCH, lambda n: {"q": lucene_query(text(n))}, peer_search),
        ),
    ]


def same_search(a: list[tuple], b: list[tuple]) -> bool:
    """Equal scores in order; equal ids above the last score (ties at the cut may differ:
    credgraph asks Lucene for its top k, the peer sorts every match)."""
    if [x[2] for x in a] != [x[2] for x in b]:
        return False
    cut = a[-1][2] if a else None
    above = lambda hits: sorted((h[0], h[1]) for h in hits if h[2] != cut)  # noqa: E731
    return above(a) == above(b)


# -- requests ---------------------------------------------------------------------------------


def caller(client: LeanClient, side: Side, keep: bool = False) -> Callable[[int], Awaitable[Any]]:
    async def call(n: int) -> Any:
        body = json.dumps({"query": side.query, "variables": side.variables(n)}).encode()
        status, content = await client.post(body)
        if status != 200:
            raise RuntimeError(f"HTTP {status}: {content[:300]!r}")
        payload = json.loads(content)
        if payload.get("errors"):
            raise RuntimeError(json.dumps(payload["errors"])[:500])
        return side.check(n, payload["data"]) if keep or side is not None else None

    return call


class LoadSampler:
    """The 1-minute load average every second, in a thread, tagged with what was running."""

    def __init__(self) -> None:
        self.samples: list[tuple[float, str, float]] = []
        self.tag = "idle"
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(1.0):
            with open("/proc/loadavg") as f:
                self.samples.append((time.time(), self.tag, float(f.read().split()[0])))

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(3)

    def summary(self, prefix: str) -> dict[str, float]:
        vals = [v for _, tag, v in self.samples if tag.startswith(prefix)]
        if not vals:
            return {}
        return {"min": min(vals), "mean": round(statistics.fmean(vals), 2), "max": max(vals)}


def pct(lat: list[float], q: float) -> float:
    s = sorted(lat)
    return s[min(len(s) - 1, round(q * (len(s) - 1)))] * 1000


def cpu_seconds(pid: int | None) -> float:
    """utime + stime of a process (and its reaped children), in seconds."""
    if not pid:
        return 0.0
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return sum(int(x) for x in fields[11:15]) / os.sysconf("SC_CLK_TCK")


async def interleaved(
    calls: dict[str, Callable[[int], Awaitable[Any]]],
    rounds: int,
    block: int,
    warmup: int,
    pids: dict[str, dict[str, int | None]],
) -> tuple[dict[str, list[float]], dict[str, dict[str, float]]]:
    """Latencies per side, and CPU seconds per side spent during its blocks by the server
    process and by Neo4j (whose CPU during a block is charged to that block's server)."""
    for call in calls.values():
        for n in range(warmup):
            await call(10_000 + n)
    lat: dict[str, list[float]] = {k: [] for k in calls}
    cpu: dict[str, dict[str, float]] = {k: {p: 0.0 for p in pids[k]} for k in calls}
    names = list(calls)
    for r in range(rounds):
        for name in names if r % 2 == 0 else names[::-1]:
            call = calls[name]
            before = {p: cpu_seconds(pid) for p, pid in pids[name].items()}
            for n in range(r * block, (r + 1) * block):
                t = time.perf_counter()
                await call(n)
                lat[name].append(time.perf_counter() - t)
            for p, pid in pids[name].items():
                cpu[name][p] += cpu_seconds(pid) - before[p]
    return lat, cpu


async def concurrent(
    call: Callable[[int], Awaitable[Any]], clients: int, seconds: float, start_n: int
) -> dict[str, Any]:
    lat: list[float] = []
    errors: list[str] = []
    counter = itertools.count(start_n)
    deadline = time.perf_counter() + seconds

    async def one() -> None:
        while time.perf_counter() < deadline:
            n = next(counter)
            t = time.perf_counter()
            try:
                await call(n)
                lat.append(time.perf_counter() - t)
            except Exception as exc:  # an error is counted, not raised
                errors.append(f"{type(exc).__name__}: {exc}"[:300])

    started = time.perf_counter()
    await asyncio.gather(*(one() for _ in range(clients)))
    return {"lat": lat, "errors": errors, "seconds": time.perf_counter() - started}


# -- servers ----------------------------------------------------------------------------------


def start_peer(url: str, port: int, count_file: str | None = None) -> subprocess.Popen[bytes]:
    env = {**os.environ, "NEO4J_URI": url, "PORT": str(port), "NODE_ENV": "production"}
    if count_file:
        env["COUNT_CYPHER"] = count_file
    log_path = PEER_DIR / f"peer-{port}.log"
    log = open(log_path, "wb")  # noqa: SIM115 (the peer process writes it until it stops)
    proc = subprocess.Popen(
        ["node", str(PEER_DIR / "server.mjs")],
        cwd=PEER_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    for _ in range(600):
        if proc.poll() is not None:
            raise RuntimeError(f"peer exited: {log_path.read_text()[-2000:]}")
        if "READY" in log_path.read_text():
            return proc
        time.sleep(0.1)
    proc.terminate()
    raise RuntimeError("peer did not start")


def stop_peer(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


async def sample_inputs(url: str, shape: Shape) -> tuple[list[str], list[str], list[str]]:
    rng = random.Random(11)
    guesses = [
        f"https://issuer{i % shape.issuers}.example/credentials/{i}"
        for i in rng.sample(range(shape.credentials), 300)
    ]
    async with open_store(url) as store:
        found = await store.resolve_credential_ids(guesses)
        ids = list(dict.fromkeys(v for v in found.values() if v))
        occ_ids = [occupation(shape, i).id for i in rng.sample(range(shape.occupations), 100)]
        occs = [o.id for o in await store.get_occupations(occ_ids)]
    assert len(ids) >= 250 and len(occs) >= 90, (len(ids), len(occs))
    texts = [f"{WORDS[i % 16]} {WORDS[(i * 7 + 3) % 16]}" for i in range(40)]
    texts += [f"{WORDS[i % 16]} skill {rng.randrange(shape.skills)}" for i in range(40)]
    return ids, occs, texts


# -- main -------------------------------------------------------------------------------------


def install_peer() -> None:
    """The peer's packages from its lock file, into .cache/peer (once per lock file)."""
    PEER_DIR.mkdir(parents=True, exist_ok=True)
    for f in PEER_SOURCE.iterdir():
        shutil.copy2(f, PEER_DIR / f.name)
    stamp = PEER_DIR / "node_modules" / ".lock-installed"
    lock = (PEER_SOURCE / "package-lock.json").read_text()
    if stamp.exists() and stamp.read_text() == lock:
        return
    print("installing the peer's npm packages into .cache/peer ...", flush=True)
    subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=PEER_DIR, check=True)
    stamp.write_text(lock)


async def load_graph(url: str, shape: Shape, *, reload: bool = False) -> None:
    """bench/synthetic.py's graph at `shape` into the database at `url` (wiped first), unless
    it already holds that scale (and `reload` is not asked: a graph written by an older
    credgraph may lack properties the current reads use)."""
    async with open_store(url) as store:
        stats = await store.stats()
    if not reload and stats.credentials == shape.credentials and stats.skills == shape.skills:
        print(f"already loaded: {stats}", flush=True)
        return
    from neo4j import AsyncGraphDatabase

    async with AsyncGraphDatabase.driver(url, auth=None) as driver, driver.session() as session:
        result = await session.run(
            "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"
        )
        await result.consume()
    started = time.perf_counter()
    async with open_store(url) as store:
        totals, spent = await load(store, shape)
        print(f"loaded {shape.credentials} credentials: {totals}, store time {spent:.1f} s, "
              f"wall {time.perf_counter() - started:.1f} s", flush=True)  # fmt: skip


def neo4j(port: int, command: str) -> str:
    # STREAMING: the setting docs/operations.md recommends (no per-read timer in the driver).
    env = {"NEO4J_BOLT_KEEP_ALIVE": "STREAMING", **os.environ, "NEO4J_PORT": str(port),
           "NEO4J_JAVA_OPTS": "-Xmx3g", "NEO4J_START_TIMEOUT": "300"}  # fmt: skip
    done = subprocess.run([str(REPO / "tools" / "neo4j" / "server"), command], env=env,
                          capture_output=True, text=True, check=command == "start")  # fmt: skip
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


async def main(a: argparse.Namespace) -> int:
    shape = Shape() if a.scale == 1 else Shape().scaled(a.scale)
    install_peer()
    started_neo4j = False
    if a.url is None:
        a.url = neo4j(a.neo4j_port, "start")
        started_neo4j = True
    try:
        await load_graph(a.url, shape, reload=a.reload)
        return await compare(a, shape)
    finally:
        if started_neo4j:
            neo4j(a.neo4j_port, "stop")


async def compare(a: argparse.Namespace, shape: Shape) -> int:
    print(f"load average before: {Path('/proc/loadavg').read_text().strip()}", flush=True)
    ids, occs, texts = await sample_inputs(a.url, shape)
    scenarios = [s for s in build_scenarios(ids, occs, texts) if s.name.split()[0] in a.queries]
    sampler = LoadSampler()
    sampler.start()
    cg_port, peer_port = free_port(), free_port()
    cg = await start_server(a.url, cg_port)
    peer = start_peer(a.url, peer_port)
    out: dict[str, Any] = {
        "url": a.url,
        "scale": a.scale,
        "credentials": shape.credentials,
        "rounds": a.rounds,
        "block": a.block,
        "queries": {},
        "started": time.strftime("%Y-%m-%d %H:%M:%S"),
    }
    neo4j_pid_file = REPO / ".cache/neo4j" / f"run-{a.url.rsplit(':', 1)[1]}" / "server.pid"
    neo4j_pid = int(neo4j_pid_file.read_text()) if neo4j_pid_file.exists() else None
    pids = {
        "credgraph": {"server": cg.pid, "neo4j": neo4j_pid},
        "peer": {"server": peer.pid, "neo4j": neo4j_pid},
    }
    out["neo4j_pid"] = neo4j_pid
    clients = {
        "credgraph": LeanClient("127.0.0.1", cg_port),
        "peer": LeanClient("127.0.0.1", peer_port),
    }
    try:
        for sc in scenarios:
            key = sc.name.split()[0]
            sides = {"credgraph": sc.cg, "peer": sc.peer}
            # 1. content check
            sampler.tag = f"check:{key}"
            mismatches = []
            for n in range(a.check):
                got = {k: await caller(clients[k], s)(n) for k, s in sides.items()}
                ok = (
                    same_search(got["credgraph"], got["peer"])
                    if key == "d"
                    else got["credgraph"] == got["peer"]
                )
                if not ok:
                    mismatches.append({"n": n, "credgraph": got["credgraph"], "peer": got["peer"]})
            print(
                f"{sc.name}: content check {a.check - len(mismatches)}/{a.check} equal", flush=True
            )
            if mismatches:
                (PEER_DIR / f"mismatch-{key}.json").write_text(json.dumps(mismatches[:3], indent=1))
            # 2. one client, interleaved blocks
            sampler.tag = f"seq:{key}"
            calls = {k: caller(clients[k], s) for k, s in sides.items()}
            lat, cpu = await interleaved(calls, a.rounds, a.block, a.warmup, pids)
            res: dict[str, Any] = {
                "content_equal": a.check - len(mismatches),
                "checked": a.check,
                "seq": {},
                "conc": {},
            }
            for k, v in lat.items():
                res["seq"][k] = {
                    "n": len(v),
                    "p50_ms": round(statistics.median(v) * 1000, 3),
                    "p95_ms": round(pct(v, 0.95), 3),
                    "mean_ms": round(statistics.fmean(v) * 1000, 3),
                    **{
                        f"{p}_cpu_ms_per_req": round(c / len(v) * 1000, 3)
                        for p, c in cpu[k].items()
                    },
                }
            res["load_seq"] = sampler.summary(f"seq:{key}")
            # 3. 16 clients, A-B-B-A halves
            sampler.tag = f"conc:{key}"
            merged: dict[str, dict[str, Any]] = {
                k: {"lat": [], "errors": [], "seconds": 0.0} for k in sides
            }
            for i, k in enumerate(["credgraph", "peer", "peer", "credgraph"]):
                r = await concurrent(calls[k], a.clients, a.conc_seconds / 2, 100_000 * (i + 1))
                for f in ("lat", "errors"):
                    merged[k][f] += r[f]
                merged[k]["seconds"] += r["seconds"]
            for k, r in merged.items():
                res["conc"][k] = {
                    "clients": a.clients,
                    "requests": len(r["lat"]),
                    "errors": len(r["errors"]),
                    "error_samples": r["errors"][:2],
                    "rps": round(len(r["lat"]) / r["seconds"], 1),
                    "p50_ms": round(pct(r["lat"], 0.5), 2) if r["lat"] else None,
                    "p95_ms": round(pct(r["lat"], 0.95), 2) if r["lat"] else None,
                }
            res["load_conc"] = sampler.summary(f"conc:{key}")
            out["queries"][sc.name] = res
            s, c = res["seq"], res["conc"]
            print(
                f"  1 client  p50 cg {s['credgraph']['p50_ms']:.2f} / peer {s['peer']['p50_ms']:.2f} ms"
                f" (x{s['credgraph']['p50_ms'] / s['peer']['p50_ms']:.2f}); p95 {s['credgraph']['p95_ms']:.2f}"
                f" / {s['peer']['p95_ms']:.2f}; load {res['load_seq']}",
                flush=True,
            )
            print(
                f"  CPU ms/request (server, neo4j): cg {s['credgraph'].get('server_cpu_ms_per_req')},"
                f" {s['credgraph'].get('neo4j_cpu_ms_per_req')} / peer {s['peer'].get('server_cpu_ms_per_req')},"
                f" {s['peer'].get('neo4j_cpu_ms_per_req')}",
                flush=True,
            )
            print(
                f"  {a.clients} clients rps cg {c['credgraph']['rps']} / peer {c['peer']['rps']};"
                f" errors {c['credgraph']['errors']}/{c['peer']['errors']}; load {res['load_conc']}",
                flush=True,
            )
            (PEER_DIR / "results.partial.json").write_text(json.dumps(out, indent=1))
    finally:
        for c in clients.values():
            await c.close()
        stop_server(cg)
        stop_peer(peer)
        sampler.stop()
    out["load_all"] = sampler.summary("")
    out["finished"] = time.strftime("%Y-%m-%d %H:%M:%S")
    Path(a.json).write_text(json.dumps(out, indent=1))
    print(table(out))
    return 0


def table(out: dict[str, Any]) -> str:
    rows = [
        "| query | credgraph p50 / p95 ms | peer p50 / p95 ms | p50 ratio cg/peer | "
        "credgraph req/s @16 | peer req/s @16 | rps ratio cg/peer | errors cg/peer | load (seq; 16) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, r in out["queries"].items():
        s, c = r["seq"], r["conc"]
        rows.append(
            f"| {name} | {s['credgraph']['p50_ms']:.2f} / {s['credgraph']['p95_ms']:.2f} | "
            f"{s['peer']['p50_ms']:.2f} / {s['peer']['p95_ms']:.2f} | "
            f"{s['credgraph']['p50_ms'] / s['peer']['p50_ms']:.2f} | {c['credgraph']['rps']} | "
            f"{c['peer']['rps']} | {c['credgraph']['rps'] / max(c['peer']['rps'], 1e-9):.2f} | "
            f"{c['credgraph']['errors']}/{c['peer']['errors']} | "
            f"{r['load_seq'].get('mean')}; {r['load_conc'].get('mean')} |"
        )
    rows += [
        "",
        "| query | credgraph CPU ms/req: server, Neo4j | peer CPU ms/req: server, Neo4j |",
        "|---|---|---|",
    ]
    for name, r in out["queries"].items():
        s = r["seq"]
        rows.append(
            f"| {name} | {s['credgraph'].get('server_cpu_ms_per_req')}, "
            f"{s['credgraph'].get('neo4j_cpu_ms_per_req')} | "
            f"{s['peer'].get('server_cpu_ms_per_req')}, {s['peer'].get('neo4j_cpu_ms_per_req')} |"
        )
    return "\n".join(rows)


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--url", help="a running Neo4j (default: start one on --neo4j-port)")
    p.add_argument("--neo4j-port", type=int, default=7791)
    p.add_argument("--scale", type=float, default=1.0)
    p.add_argument(
        "--reload",
        action="store_true",
        help="wipe and load the graph even when it holds --scale already",
    )
    p.add_argument("--rounds", type=int, default=10)
    p.add_argument("--block", type=int, default=40)
    p.add_argument("--warmup", type=int, default=20)
    p.add_argument("--check", type=int, default=30)
    p.add_argument("--clients", type=int, default=16)
    p.add_argument("--conc-seconds", type=float, default=20.0)
    p.add_argument("--queries", default="a,b,c,c2,d")
    p.add_argument("--json", default=str(PEER_DIR / "results.json"))
    args = p.parse_args()
    args.queries = args.queries.split(",")
    import uvloop

    sys.exit(uvloop.run(main(args)))
