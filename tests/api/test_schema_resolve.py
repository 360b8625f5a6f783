"""resolveCredentials on both stores: resume lines to credentials, the index following the
graph's changes, limits refused with the limit named, and the cost counted per name."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from graphql import OperationDefinitionNode, build_schema, parse

from credgraph.api.query_cost import estimate_cost
from credgraph.model import Credential, CredentialType, Issuer
from credgraph.resolving.service import MAX_NAME_CHARS, MAX_NAMES, index_cache
from credgraph.store import GraphStore
from tests.api.conftest import SCHEMA, errors, query
from tests.resolving.catalog import (
    CLOUD_ARCHITECT,
    CREDENTIALS,
    DATA_ANALYTICS,
    PMP,
    SAA,
    SECURITY_PLUS,
)

RESOLVE = """
query ($names: [String!]!, $first: Int) {
  resolveCredentials(names: $names, first: $first) {
    input
    matches { confidence method credential { id name issuer { name } } }
  }
}
"""


async def resolved(store: GraphStore, names: list[str], first: int = 3) -> list[dict[str, Any]]:
    data = await query(store, RESOLVE, {"names": names, "first": first})
    answer: list[dict[str, Any]] = data["resolveCredentials"]
    return answer


async def test_resume_lines_resolve_on_each_store(empty_store: GraphStore) -> None:
    await empty_store.upsert_credentials(CREDENTIALS)
    lines = [
        "AWS SAA",
        "PMP",
        "Google Data Analytics cert, Coursera",
        "CompTIA Sec+",
        "Bachelor of Arts in History",
        "",
        "データ分析",
    ]
    answers = await resolved(empty_store, lines)
    assert [a["input"] for a in answers] == lines
    tops = [a["matches"][0] if a["matches"] else None for a in answers]
    assert [t["credential"]["id"] if t else None for t in tops[:4]] == [
        SAA,
        PMP,
        DATA_ANALYTICS,
        SECURITY_PLUS,
    ]
    assert tops[0] is not None and tops[0]["method"] == "acronym + issuer"
    assert tops[0]["credential"]["issuer"]["name"] == "Amazon Web Services"
    assert tops[0]["confidence"] > 0.9
    for answer in answers[4:]:
        assert all(m["confidence"] <= 0.5 for m in answer["matches"]), answer


async def test_alternate_names_round_trip_through_the_store(empty_store: GraphStore) -> None:
    await empty_store.upsert_credentials(CREDENTIALS)
    names = {n.credential_id: n for n in await empty_store.credential_names()}
    assert names[SAA].alternate_names == ("SAA-C03",)
    assert names[SAA].issuer_name == "Amazon Web Services"
    assert names[PMP].alternate_names == ()
    assert names[CLOUD_ARCHITECT].issuer_alternate_names == ("Google Cloud Platform", "GCP")
    [view] = await empty_store.get_credentials([SAA])
    assert view.credential.alternate_names == ("SAA-C03",)
    [answer] = await resolved(empty_store, ["saa-c03"], first=1)
    assert answer["matches"][0]["method"] == "alternate name"


async def test_the_index_follows_the_graph(empty_store: GraphStore) -> None:
    await empty_store.upsert_credentials(CREDENTIALS[:2])
    before = await empty_store.graph_version()
    [answer] = await resolved(empty_store, ["PMP"])
    assert all(m["credential"]["id"] != PMP for m in answer["matches"])
    cache = index_cache(empty_store)
    kept = await cache.index(empty_store)
    assert await cache.index(empty_store) is kept  # same version: not built again

    await empty_store.upsert_credentials(CREDENTIALS)  # PMP added
    assert await empty_store.graph_version() != before
    # the first answer after a change may come from the previous index while the new builds
    [answer] = await resolved(empty_store, ["PMP"])
    assert all(m["credential"]["id"] in {c.id for c in CREDENTIALS} for m in answer["matches"])
    newer = await cache.index(empty_store, fresh=True)
    assert newer is not kept
    [answer] = await resolved(empty_store, ["PMP"])
    assert answer["matches"][0]["credential"]["id"] == PMP

    renamed = Credential(
        PMP,
        "Program Management Professional (PgMP)",
        CredentialType.CERTIFICATION,
        issuer=Issuer("https://www.pmi.org/", "Project Management Institute"),
    )
    await empty_store.upsert_credentials([renamed])  # a changed credential
    await cache.index(empty_store, fresh=True)
    [answer] = await resolved(empty_store, ["PgMP"])
    assert answer["matches"][0]["credential"]["id"] == PMP


async def test_limits_are_refused_naming_them(empty_store: GraphStore) -> None:
    too_many = await errors(empty_store, RESOLVE, {"names": ["PMP"] * (MAX_NAMES + 1)})
    assert too_many[0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert f"over the limit of {MAX_NAMES}" in too_many[0]["message"]
    too_long = await errors(empty_store, RESOLVE, {"names": ["ok", "x" * (MAX_NAME_CHARS + 1)]})
    assert "`names[1]`" in too_long[0]["message"]
    assert f"limit of {MAX_NAME_CHARS}" in too_long[0]["message"]
    bad_first = await errors(empty_store, RESOLVE, {"names": ["PMP"], "first": -1})
    assert bad_first[0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "`first`" in bad_first[0]["message"]


async def test_empty_graph_and_no_names(empty_store: GraphStore) -> None:
    assert await resolved(empty_store, []) == []
    assert await resolved(empty_store, ["AWS SAA", "  "]) == [
        {"input": "AWS SAA", "matches": []},
        {"input": "  ", "matches": []},
    ]


def test_cost_counts_one_answer_per_name() -> None:
    text = "query ($n: [String!]!) { resolveCredentials(names: $n) { input matches { method } } }"
    document = parse(text)
    operation = next(d for d in document.definitions if isinstance(d, OperationDefinitionNode))
    schema = build_schema(SCHEMA.as_str())
    ten = estimate_cost(schema, document, operation, {"n": ["a"] * 10}, list_size=10)
    hundred = estimate_cost(schema, document, operation, {"n": ["a"] * 100}, list_size=10)
    assert ten == 1 + 10 * (1 + 1 + 10 * 1)
    assert hundred == 1 + 100 * (1 + 1 + 10 * 1)
    literal = parse('{ resolveCredentials(names: ["a", "b"], first: 5) { input } }')
    op = next(d for d in literal.definitions if isinstance(d, OperationDefinitionNode))
    assert estimate_cost(schema, literal, op, {}, list_size=10) == 1 + 2


async def test_a_request_is_told_the_first_index_is_still_building(
    empty_store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On 1M credentials the first build takes about 70 s: requests waiting for it ran into
    the 10 s operation timeout with "ask for less". Now each waits a bounded time and is told
    the build goes on; the build is not stopped, and a later request is answered from it."""
    from credgraph.api import resolving as api_resolving
    from credgraph.resolving import service

    await empty_store.upsert_credentials(CREDENTIALS)
    release = threading.Event()
    real = service.NameIndex.build

    builds: list[int] = []

    def held(names: Any) -> Any:
        builds.append(len(names))
        if not release.wait(60):
            raise RuntimeError("the test never released the build")
        return real(names)

    monkeypatch.setattr(service.NameIndex, "build", held)
    monkeypatch.setattr(api_resolving, "INDEX_WAIT_SECONDS", 0.05)
    for _ in range(2):
        found = await errors(empty_store, RESOLVE, {"names": ["PMP"], "first": 1})
        assert found[0]["extensions"]["code"] == "TIMEOUT"
        assert "still being indexed" in found[0]["message"]
    release.set()
    await index_cache(empty_store).index(empty_store)  # the one build, not stopped
    assert builds == [len(CREDENTIALS)]
    [answer] = await resolved(empty_store, ["PMP"], first=1)
    assert answer["matches"][0]["credential"]["id"] == PMP
