"""The cross-framework benchmark meets its targets on real labels, and its labelled set is what
it says it is (real published concepts, both sets, matches and non-matches)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.scripts import script

ROOT = Path(__file__).resolve().parents[2]


bench = script("bench/equivalence_bench.py")


@pytest.fixture(scope="module")
def setup() -> tuple[list[object], dict[tuple[str, str], tuple[str, float]]]:
    pairs = bench.labelled()
    skills = bench.framework_skills()
    return pairs, bench.predictions(skills + bench.local_skills(pairs), pairs, bench.THRESHOLD)


def test_labelled_set_is_real_and_large() -> None:
    pairs = bench.labelled()
    skills = {s.id for s in bench.framework_skills()}
    assert len(pairs) >= 300
    for name in ("esco-onet", "local-framework"):
        subset = [p for p in pairs if p.set == name]
        assert sum(p.match for p in subset) >= 150 and sum(not p.match for p in subset) >= 150
    for p in pairs:  # every framework end is a real published concept of the data files
        assert p.b in skills, p.b_label
        assert p.a in skills or (p.set == "local-framework" and p.a.startswith("label:"))
    assert len({(p.a, p.b) for p in pairs}) == len(pairs)
    assert (ROOT / "bench" / "equivalence" / "SOURCES.md").is_file()


@pytest.mark.slow  # builds the equivalence index over the real frameworks (seconds)
def test_benchmark_meets_the_targets(
    setup: tuple[list[object], dict[tuple[str, str], tuple[str, float]]],
) -> None:
    pairs, found = setup
    for name in ("esco-onet", "local-framework"):
        figures = bench.measure([p for p in pairs if p.set == name], found)  # type: ignore[attr-defined]
        assert figures.precision >= bench.TARGET_PRECISION, (name, figures.errors)
        assert figures.recall >= bench.TARGET_RECALL, (name, figures.errors)
