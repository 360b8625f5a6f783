"""Sources, crawl runs, stats, the in-process `execute` and the schema's documentation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLUnionType,
)

from credgraph.api import build_schema, execute
from credgraph.model import CrawlError, CrawlRun, CrawlStatus, Source
from credgraph.store import GraphStore
from tests.api.conftest import errors, query

START = datetime(2026, 11, 2, 3, 0, tzinfo=UTC)


async def crawl_history(store: GraphStore) -> None:
    await store.upsert_sources(
        [
            Source(
                "acme",
                "openbadges",
                ("https://acme.example/badges",),
                "0 3 * * *",
                "CC-BY-4.0",
                "Acme",
            ),
            Source("uzh", "ctdl", ("https://uzh.example/a", "https://uzh.example/b"), every="6h"),
        ]
    )
    for i in range(3):
        await store.record_crawl_run(
            CrawlRun(
                f"acme-{i}",
                "acme",
                CrawlStatus.PARTIAL if i == 2 else CrawlStatus.SUCCEEDED,
                START + timedelta(days=i),
                START + timedelta(days=i, minutes=5),
                fetched=10 + i,
                not_modified=2,
                created=5,
                updated=1,
                unchanged=4,
                skipped_by_robots=1,
                errors=1 if i == 2 else 0,
                error_samples=(CrawlError("https://acme.example/bad", "HTTP 500"),)
                if i == 2
                else (),
            )
        )
    await store.record_crawl_run(
        CrawlRun("uzh-0", "uzh", CrawlStatus.RUNNING, START + timedelta(hours=1))
    )


async def test_sources(store: GraphStore) -> None:
    await crawl_history(store)
    sources = (await query(store, "{ sources { id name format urls schedule every licence } }"))[
        "sources"
    ]
    assert sources == [
        {
            "id": "acme",
            "name": "Acme",
            "format": "openbadges",
            "urls": ["https://acme.example/badges"],
            "schedule": "0 3 * * *",
            "every": None,
            "licence": "CC-BY-4.0",
        },
        {
            "id": "uzh",
            "name": None,
            "format": "ctdl",
            "urls": ["https://uzh.example/a", "https://uzh.example/b"],
            "schedule": None,
            "every": "6h",
            "licence": None,
        },
    ]


RUNS = """
query ($source: String, $first: Int) {
  crawlRuns(source: $source, first: $first) {
    id source status startedAt finishedAt fetched notModified created updated unchanged
    skippedByRobots errors errorSamples { url reason }
  }
}
"""


async def test_crawl_runs_most_recent_first(store: GraphStore) -> None:
    await crawl_history(store)
    runs = (await query(store, RUNS))["crawlRuns"]
    assert [r["id"] for r in runs] == ["acme-2", "acme-1", "uzh-0", "acme-0"]
    latest = runs[0]
    assert latest["status"] == "PARTIAL" and latest["source"] == "acme"
    assert latest["startedAt"] == "2026-11-04T03:00:00+00:00"
    assert latest["finishedAt"] == "2026-11-04T03:05:00+00:00"
    assert (latest["fetched"], latest["notModified"], latest["skippedByRobots"]) == (12, 2, 1)
    assert (latest["created"], latest["updated"], latest["unchanged"], latest["errors"]) == (
        5,
        1,
        4,
        1,
    )
    assert latest["errorSamples"] == [{"url": "https://acme.example/bad", "reason": "HTTP 500"}]
    assert runs[2]["status"] == "RUNNING" and runs[2]["finishedAt"] is None
    only = (await query(store, RUNS, {"source": "uzh"}))["crawlRuns"]
    assert [r["id"] for r in only] == ["uzh-0"]
    assert [r["id"] for r in (await query(store, RUNS, {"first": 2}))["crawlRuns"]] == [
        "acme-2",
        "acme-1",
    ]
    assert (await query(store, RUNS, {"source": "nope"}))["crawlRuns"] == []
    [error] = await errors(store, RUNS, {"first": -5})
    assert error["message"] == "`first` must be 0 or more, got -5"


async def test_stats(store: GraphStore) -> None:
    await crawl_history(store)
    stats = (
        await query(
            store,
            "{ stats { issuers credentials skills occupations relationships staleCredentials sources crawlRuns } }",
        )
    )["stats"]
    assert stats == {
        "issuers": 4,
        "credentials": 6,
        "skills": 6,
        "occupations": 2,
        "relationships": 29,
        "staleCredentials": 0,
        "sources": 2,
        "crawlRuns": 4,
    }


async def test_empty_graph(empty_store: GraphStore) -> None:
    answer = await query(
        empty_store,
        "{ stats { credentials } sources { id } crawlRuns { id } credentials { totalCount edges { cursor } pageInfo { hasNextPage endCursor } } }",
    )
    assert answer == {
        "stats": {"credentials": 0},
        "sources": [],
        "crawlRuns": [],
        "credentials": {
            "totalCount": 0,
            "edges": [],
            "pageInfo": {"hasNextPage": False, "endCursor": None},
        },
    }


async def test_execute_runs_in_process(store: GraphStore) -> None:
    result = await execute(
        store,
        "query Q($id: ID!) { credential(id: $id) { name } }",
        {"id": "https://uzh.example/msc-data"},
    )
    assert result.errors is None and result.data == {
        "credential": {"name": "MSc Datenwissenschaft"}
    }
    failed = await execute(store, "{ nope }")
    assert failed.errors and "Cannot query field 'nope'" in failed.errors[0].message


def test_every_type_field_argument_and_value_is_described() -> None:
    """The explorer shows these descriptions: none may be missing."""
    schema = build_schema()._schema
    missing: list[str] = []
    for name, kind in schema.type_map.items():
        if name.startswith("__") or name in {"String", "Int", "Float", "Boolean", "ID"}:
            continue
        if not kind.description:
            missing.append(name)
        if isinstance(kind, (GraphQLObjectType, GraphQLInterfaceType)):
            for field_name, field in kind.fields.items():
                if not field.description:
                    missing.append(f"{name}.{field_name}")
                missing += [
                    f"{name}.{field_name}({arg})"
                    for arg, a in field.args.items()
                    if not a.description
                ]
        elif isinstance(kind, GraphQLInputObjectType):
            missing += [f"{name}.{f}" for f, field in kind.fields.items() if not field.description]
        elif isinstance(kind, GraphQLEnumType):
            missing += [f"{name}.{v}" for v, value in kind.values.items() if not value.description]
        elif isinstance(kind, GraphQLUnionType):
            pass
    assert missing == []
