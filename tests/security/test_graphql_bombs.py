"""Small GraphQL documents that cost exponential work to check or to plan, sent to a real
`credgraph serve`: each is answered (refused) within 5 s, `/healthz` keeps answering within
1 s while it is in flight, and the server's memory stays near where it started after many
distinct ones (every checked document is cached, so a cache of expensive entries would show).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from tests.api.http_helpers import loaded_store_url
from tests.api.test_documents import fan_out
from tests.faults.served import serving_api
from tests.security.freeze import FreezeReport, probe

pytestmark = pytest.mark.slow

ANSWER_WITHIN_S = 5.0
HEALTH_WITHIN_S = 1.0
RSS_GROWTH_MIB = 50.0
SETTINGS = {"CREDGRAPH_RATE_LIMIT_PER_IP": "0", "CREDGRAPH_ACCESS_LOG": "off",
            "CREDGRAPH_MAX_TOKENS": "5000"}  # fmt: skip


def three_ways(levels: int, tag: str = "") -> str:
    """Every level selects the next through three list fields: 3**levels lists of lists."""
    parts = [
        f"fragment F{i} on Credential {{ prerequisites {{ ...F{i + 1} }} "
        f"partOf {{ ...F{i + 1} }} hasPart {{ ...F{i + 1} }} }}"
        for i in range(levels)
    ]
    parts.append(f"fragment F{levels} on Credential {{ id{tag} }}")
    return '{ credential(id: "x") { ...F0 } } ' + " ".join(parts)


def post(query: str) -> Callable[[httpx.Client], httpx.Response]:
    def send(client: httpx.Client) -> httpx.Response:
        return client.post("/graphql", json={"query": query})

    return send


def assert_refused_in_time(report: FreezeReport, code: str) -> None:
    assert report.answered_within(ANSWER_WITHIN_S), report.describe()
    assert report.health_worst < HEALTH_WITHIN_S, report.describe()
    assert report.status == 400, report.describe()
    assert report.response is not None
    errors = report.response.json()["errors"]
    assert errors[0]["extensions"]["code"] == code, errors[0]


async def test_exponential_documents_are_refused_quickly_without_freezing(tmp_path: Path) -> None:
    store_url = await loaded_store_url(tmp_path)
    with serving_api(store_url, env=SETTINGS) as served:
        start_kib = served.rss_kib()
        # Thirty spreads of one fragment per level: 30**9 paths to expand without memoising.
        assert_refused_in_time(probe(served, post(fan_out(9, 30))), "QUERY_TOO_COMPLEX")
        assert_refused_in_time(probe(served, post(fan_out(13, 30))), "QUERY_TOO_COMPLEX")
        assert_refused_in_time(probe(served, post(fan_out(8, 5, aliased=True))),
                               "QUERY_TOO_COMPLEX")  # fmt: skip
        # Valid, three ways over nine levels: refused by its estimated cost before it runs.
        assert_refused_in_time(probe(served, post(three_ways(9))), "QUERY_TOO_COMPLEX")
        # Many distinct expensive documents: each verdict is cached, none holds much memory.
        with httpx.Client(base_url=served.base, timeout=ANSWER_WITHIN_S) as client:
            for n in range(60):
                answer = client.post("/graphql", json={"query": three_ways(9, f" t{n}: id")})
                assert answer.status_code == 400, answer.text
        growth_mib = (served.rss_kib() - start_kib) / 1024
        assert growth_mib < RSS_GROWTH_MIB, f"RSS grew {growth_mib:.0f} MiB"
