"""`totalCount` and `totalCountIsExact` over GraphQL: exact below the server's count bound, the
bound with `totalCountIsExact: false` past it, on every connection."""

from __future__ import annotations

import pytest

from credgraph.store import GraphStore
from credgraph.store.counting import COUNT_BOUND_VARIABLE
from tests.api.conftest import query

BOUND = 3
COUNTS = """
{
  all: credentials(first: 1) { totalCount totalCountIsExact }
  sql: credentials(first: 1, filter: {text: "sql"}) { totalCount totalCountIsExact }
  onlyExact: credentials(first: 1) { totalCountIsExact }
  issuers(first: 1) { totalCount totalCountIsExact }
  skills(first: 1, filter: {text: "python"}) { totalCount totalCountIsExact }
}
"""


@pytest.fixture(autouse=True)
def bound(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(COUNT_BOUND_VARIABLE, str(BOUND))


async def test_counts_past_the_bound_are_lower_bounds(store: GraphStore) -> None:
    data = await query(store, COUNTS)
    assert data["all"] == {"totalCount": BOUND, "totalCountIsExact": False}  # six match
    assert data["sql"] == {"totalCount": 3, "totalCountIsExact": True}  # exactly the bound
    assert data["onlyExact"] == {"totalCountIsExact": False}
    assert data["issuers"] == {"totalCount": BOUND, "totalCountIsExact": False}  # four
    assert data["skills"] == {"totalCount": 1, "totalCountIsExact": True}
