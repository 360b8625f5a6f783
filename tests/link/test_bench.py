"""The linking benchmark's figures meet the targets, and the labelled set is consistent."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from tests.scripts import script

ROOT = Path(__file__).resolve().parents[2]


bench = script("bench/linking_bench.py")


@pytest.fixture(scope="module")
def index() -> object:
    return bench.load_taxonomy()


def test_labelled_set_is_large_and_consistent(index: object) -> None:
    rows = list(bench.read_labelled())
    assert len(rows) >= 200
    kinds = Counter(type(r.mention).__name__ for r in rows)
    assert kinds["Skill"] >= 100 and kinds["Occupation"] >= 60
    assert sum(not r.expected for r in rows) >= 40  # mentions that must stay unresolved
    assert sum(r.origin.endswith((".json", ".html")) for r in rows) >= 40  # from real documents
    for r in rows:
        refs = r.mention.__class__.__name__ == "Skill"
        nodes = index.skills.refs if refs else index.occupations.refs  # type: ignore[attr-defined]
        assert r.loaded == any(e in nodes for e in r.expected), r.mention.name


def test_benchmark_meets_the_targets(index: object) -> None:
    figures = bench.measure(index, repeat=1)
    assert figures.precision >= bench.TARGET_PRECISION, figures.errors
    assert figures.recall >= bench.TARGET_RECALL, figures.errors
    for method in ("exact-uri", "exact-code", "label-in-framework", "label-any-framework", "fuzzy"):
        assert figures.by_method[method] > 0, method


def test_threshold_is_conservative(index: object) -> None:
    """Four points below the default threshold the fuzzy step makes no mistake either."""
    loose = bench.measure(index, threshold=bench.DEFAULT_THRESHOLD - 4, repeat=0)
    assert loose.correct_by_method["fuzzy"] == loose.by_method["fuzzy"]
