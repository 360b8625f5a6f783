"""Input a store or a library refuses, sent to a real `credgraph serve`: lists longer than
SQLite can plan, lone surrogates, forged cursors, a flood of validation errors, guessed API
keys. Each used to be a masked 500 with a traceback in the log (or, for keys, never
refused); each must now be a 4xx or a GraphQL error naming the problem, answered within 5 s
while /healthz keeps answering within 1 s and memory stays flat, and the server's log must
hold no internal error.
"""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from tests.api.http_helpers import loaded_store_url
from tests.faults.served import Served, serving_api
from tests.security.freeze import FreezeReport, probe

ANSWER_S = 5.0
HEALTH_S = 1.0
RSS_MIB = 50.0
IDS = [f"https://skills.example/{i}" for i in range(1200)]
LONE = "\\ud800"  # a JSON escape of half a surrogate pair
NESTED_CURSOR = base64.urlsafe_b64encode(b"[" * 5000 + b"]" * 5000).decode()
Send = Callable[[httpx.Client], httpx.Response]


def graphql(query: str, variables: dict[str, object] | None = None) -> Send:
    return lambda client: client.post("/graphql", json={"query": query, "variables": variables})


def raw(body: str) -> Send:
    return lambda client: client.post(
        "/graphql", content=body.encode(), headers={"Content-Type": "application/json"}
    )


LOOKUP = json.dumps("query($id: ID!) { credential(id: $id) { id } }")
HOSTILE: dict[str, Send] = {
    "1200 skills in a filter": graphql(
        "query($s: [ID!]) { credentials(filter: {skills: $s}) { totalCount } }", {"s": IDS}
    ),
    "1200 occupations in a filter": graphql(
        "query($o: [ID!]) { credentials(filter: {occupations: $o}) { totalCount } }", {"o": IDS}
    ),
    "1200 export seeds": graphql(
        "query($s: [ID!]) { exportSubgraph(selection: {seeds: $s}, format: NDJSON) "
        "{ downloadUrl } }",
        {"s": IDS},
    ),
    "1200 credentials compared": graphql(
        "query($i: [ID!]!) { compareCredentials(ids: $i) { unknownIds } }", {"i": IDS}
    ),
    "a lone surrogate in a variable": raw(
        f'{{"query": {LOOKUP}, "variables": {{"id": "{LONE}"}}}}'
    ),
    "a lone surrogate in the query": raw(f'{{"query": "# {LONE}\\n{{ stats {{ issuers }} }}"}}'),
    "a nested cursor for credentials": graphql(
        "query($a: String) { credentials(after: $a) { totalCount } }", {"a": NESTED_CURSOR}
    ),
    "a nested cursor for issuers": graphql(
        "query($a: String) { issuers(after: $a) { totalCount } }", {"a": NESTED_CURSOR}
    ),
    "150 validation errors": graphql(
        "{ stats { " + " ".join(f"nope{i}" for i in range(150)) + " } }"
    ),
}


def server_log(served: Served) -> str:
    """What the server wrote to stderr so far (its log goes to a file: Linux /proc)."""
    return Path(f"/proc/{served.process.pid}/fd/2").read_text(errors="replace")


def internal_errors(metrics: str) -> float:
    return sum(
        float(line.rsplit(" ", 1)[1])
        for line in metrics.splitlines()
        if line.startswith("credgraph_graphql_errors_total")
        and 'code="INTERNAL_SERVER_ERROR"' in line
    )


def assert_bounded(name: str, report: FreezeReport) -> None:
    assert report.answered_within(ANSWER_S), (name, report.describe())
    assert report.health_worst < HEALTH_S, (name, report.describe())
    assert report.rss_growth_mib < RSS_MIB, (name, report.describe())


@pytest.mark.slow
def test_input_a_store_refuses_is_a_client_error_on_a_real_server(tmp_path: Path) -> None:
    store_url = asyncio.run(loaded_store_url(tmp_path))
    env = {"CREDGRAPH_RATE_LIMIT_PER_IP": "0"}
    with serving_api(store_url, env=env) as served:
        reports = {name: probe(served, send) for name, send in HOSTILE.items()}
        with httpx.Client(base_url=served.base) as client:
            metrics = client.get("/metrics").text
        log = server_log(served)
    for name, report in reports.items():
        print(f"{name}: {report.describe()}")
        assert_bounded(name, report)
        assert report.response is not None
        assert report.status is not None and report.status < 500, (name, report.response.text)
        error = report.response.json()["errors"][0]
        code = error.get("extensions", {}).get("code")
        assert code in ("BAD_USER_INPUT", "BAD_REQUEST") or (
            report.status == 400 and "Cannot query field" in error["message"]
        ), (name, error)
    assert internal_errors(metrics) == 0
    assert "Application startup complete" in log  # the log is read, not empty
    assert "internal error" not in log and "Traceback" not in log, log[-4000:]


@pytest.mark.slow
def test_guessing_api_keys_on_a_real_server_is_refused_after_ten(tmp_path: Path) -> None:
    """The report that started this: 1,700 wrong keys a second from one address, never a 429."""
    store_url = asyncio.run(loaded_store_url(tmp_path))
    env = {"CREDGRAPH_API_KEYS": "k-right"}
    body = {"query": "{ stats { credentials } }"}
    with serving_api(store_url, env=env) as served:

        def guess(client: httpx.Client) -> httpx.Response:
            answer = client.post("/graphql", json=body, headers={"X-API-Key": "guess"})
            for i in range(200):
                answer = client.post("/graphql", json=body, headers={"X-API-Key": f"guess-{i}"})
            return answer

        report = probe(served, guess)
        with httpx.Client(base_url=served.base) as client:
            statuses = [
                client.post("/graphql", json=body, headers={"X-API-Key": "k"}).status_code
                for _ in range(3)
            ]
    print(f"201 guesses: {report.describe()}")
    assert_bounded("201 guesses", report)
    assert report.status == 429 and report.response is not None
    assert report.response.headers["retry-after"] == "6"
    assert statuses == [429, 429, 429]
