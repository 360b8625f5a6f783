"""`matchJob` over HTTP, as a job board calls it: GET for the embed card, POST for a pasted ad,
and a 10 MB paste refused at the door with the limit named."""

from __future__ import annotations

import json
from pathlib import Path

from tests.api.http_helpers import api, first_error

QUERY = (
    "query($text: String) { matchJob(text: $text, first: 3) { skills { name } "
    "credentials { credential { name } coverage } } }"
)


async def test_a_pasted_ad_is_matched_over_post_and_get(tmp_path: Path) -> None:
    async with api(tmp_path) as (client, _app):
        variables = {"text": "We need SQL and statistics."}
        posted = await client.post("/graphql", json={"query": QUERY, "variables": variables})
        got = await client.get(
            "/graphql", params={"query": QUERY, "variables": json.dumps(variables)}
        )
    for response in (posted, got):
        assert response.status_code == 200, response.text
        answer = response.json()["data"]["matchJob"]
        assert [s["name"] for s in answer["skills"]] == ["SQL", "Statistics"]
        assert answer["credentials"][0]["coverage"] == 1.0


async def test_a_ten_megabyte_paste_is_refused_with_the_limit(tmp_path: Path) -> None:
    async with api(tmp_path) as (client, _app):
        body = json.dumps({"query": QUERY, "variables": {"text": "x" * 10_000_000}})
        response = await client.post(
            "/graphql", content=body, headers={"content-type": "application/json"}
        )
    assert response.status_code == 413
    error = first_error(response)
    assert error["extensions"]["code"] == "PAYLOAD_TOO_LARGE"
    assert "larger than 1000000 bytes" in error["message"]
