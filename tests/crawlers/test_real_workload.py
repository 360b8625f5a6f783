"""Real documents through a store and the API: a degree that publishes only its years shows a
workload in compareCredentials, and its duration as published."""

from __future__ import annotations

from pathlib import Path

from credgraph.api import make_context
from credgraph.api.schema import build_schema
from credgraph.formats import parser_for
from credgraph.store import open_store
from tests.crawlers.corpus import recorded_document
from tests.crawlers.golden import as_document

COMPARE = """
query ($ids: [ID!]!) {
  compareCredentials(ids: $ids) {
    credentials { name durationHours duration { text iso minHours maxHours } }
    rows { field values }
  }
}
"""


async def test_a_degree_publishing_only_p4y_shows_a_workload_in_compare(tmp_path: Path) -> None:
    names = ["ctdl-bachelordegree-resource-1.json", "schemaorg-program-example-eg0278.html"]
    credentials = []
    for name in names:
        recorded = recorded_document(name)
        credentials += parser_for(recorded.format)(as_document(recorded)).credentials
    async with open_store(f"sqlite:///{tmp_path / 'graph.db'}") as store:
        await store.upsert_credentials(credentials)
        result = await build_schema().execute(
            COMPARE,
            variable_values={"ids": [c.id for c in credentials]},
            context_value=make_context(store),
        )
    assert result.errors is None and result.data is not None
    compared = result.data["compareCredentials"]
    four_years = {"text": "P4Y", "iso": "P4Y", "minHours": 6000.0, "maxHours": 7200.0}
    assert [c["duration"] for c in compared["credentials"]] == [four_years, four_years]
    assert [c["durationHours"] for c in compared["credentials"]] == [7200.0, 7200.0]
    hours = next(r["values"] for r in compared["rows"] if r["field"] == "hours")
    assert all(v is not None for v in hours), hours
