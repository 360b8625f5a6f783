"""Which linked documents a page is given before it asks (`ingest.linked`), checked on the
bookkeeping alone: all while their text fits the bound, past it the failed fetches and the
ones asked for last, always in the order fetched."""

from __future__ import annotations

import pytest

from credgraph.ingest import linked
from credgraph.ingest.linked import LinkedDocuments


@pytest.fixture
def bound_100(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(linked, "LINKED_TEXT_GIVEN", 100)


def test_under_the_bound_every_document_is_given_in_the_order_fetched() -> None:
    docs = LinkedDocuments()
    docs.add("https://b.example/2", {"n": 2}, 40)
    docs.add("https://a.example/1", None, 0)
    docs.add("https://c.example/3", {"n": 3}, 40)
    docs.add("https://b.example/2", {"n": "again"}, 40)  # fetched once: the first kept
    assert docs.to_give() == {
        "https://b.example/2": {"n": 2},
        "https://a.example/1": None,
        "https://c.example/3": {"n": 3},
    }
    assert docs.total == 80 + len("https://a.example/1")


@pytest.mark.usefixtures("bound_100")
def test_past_the_bound_failed_fetches_then_the_last_asked_that_fit() -> None:
    docs = LinkedDocuments()
    for n in range(5):
        docs.add(f"https://i.example/{n}", {"n": n}, 30)
    docs.add("https://dead.example/x", None, 0)  # 22 characters of URL
    assert docs.asked_for(["https://i.example/0", "https://i.example/9"]) == {
        "https://i.example/0": {"n": 0}
    }
    docs.asked_for(["https://i.example/3", "https://i.example/1", "https://i.example/4"])
    docs.asked_for(["https://i.example/3"])
    # Asked for last: 3, then 4, 1, 0. Room 100 - 22 (the failed URL) = 78: 3 and 4 fit, 1
    # does not, and the walk stops there (0 is older still).
    assert list(docs.to_give()) == [
        "https://i.example/3",
        "https://i.example/4",
        "https://dead.example/x",
    ]


@pytest.mark.usefixtures("bound_100")
def test_failed_fetches_past_the_bound_are_given_as_the_last_asked() -> None:
    docs = LinkedDocuments()
    dead = [f"https://dead.example/{n:03d}" for n in range(6)]  # 24 characters each: 144
    for url in dead:
        docs.add(url, None, 0)
    docs.asked_for(dead[:2])
    docs.asked_for(dead[4:])
    assert list(docs.to_give()) == [dead[0], dead[1], dead[4], dead[5]]
