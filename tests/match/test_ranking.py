"""Ranking credentials against a job: coverage, then occupation, transparency, hours, cost."""

from __future__ import annotations

import random

from credgraph.analysis.equivalents import Equivalents
from credgraph.analysis.occupations import RelatedOccupation
from credgraph.match.ranking import Candidate, best, contenders, rank, with_hours
from credgraph.store.equivalence import RelatedConcept

ASKED = ["s:a", "s:b", "s:c", "s:d"]
NONE = Equivalents({})


def candidate(
    cid: str,
    skills: set[str],
    transparency: float = 50.0,
    cost: float | None = None,
    occupation: RelatedOccupation | None = None,
) -> Candidate:
    return Candidate(cid, frozenset(skills), transparency, cost, occupation)


def test_coverage_comes_first() -> None:
    ranked = rank(
        ASKED, [candidate("c1", {"s:a"}, 99.0), candidate("c2", {"s:a", "s:b"}, 10.0)], NONE
    )
    assert [r.credential_id for r in ranked] == ["c2", "c1"]
    assert [r.coverage for r in ranked] == [0.5, 0.25]
    assert ranked[0].missing == ("s:c", "s:d")


def test_occupation_alignment_breaks_a_coverage_tie() -> None:
    aligned = RelatedOccupation("o:1", "same", 1.0)
    ranked = rank(
        ASKED,
        [candidate("c1", {"s:a"}, 90.0), candidate("c2", {"s:a"}, 10.0, occupation=aligned)],
        NONE,
    )
    assert [r.credential_id for r in ranked] == ["c2", "c1"]


def test_then_transparency_hours_and_cost() -> None:
    ranked = rank(
        ASKED,
        [
            candidate("c1", {"s:a"}, 50.0, cost=10.0),
            candidate("c2", {"s:a"}, 50.0, cost=5.0),
            candidate("c3", {"s:a"}, 70.0, cost=900.0),
        ],
        NONE,
    )
    assert [r.credential_id for r in ranked] == ["c3", "c2", "c1"]
    timed = with_hours(ranked, {"c1": 20.0, "c2": None, "c3": 100.0})
    assert [r.credential_id for r in timed] == ["c3", "c1", "c2"]  # unknown hours last


def test_an_equivalent_covers_for_its_confidence() -> None:
    equivalents = Equivalents({"s:a": (RelatedConcept("x:a", 0.9, "lexical", False),)})
    ranked = rank(ASKED, [candidate("c1", {"x:a"})], equivalents)
    assert ranked[0].coverage == 0.225
    assert ranked[0].covered[0].via == "x:a"


def test_credentials_covering_nothing_and_not_aligned_are_left_out() -> None:
    assert rank(ASKED, [candidate("c1", {"s:z"})], NONE) == []


def test_contenders_keep_ties_that_hours_may_reorder() -> None:
    ranked = rank(
        ASKED,
        [candidate(f"c{i}", {"s:a"}) for i in range(5)] + [candidate("best", {"s:a", "s:b"})],
        NONE,
    )
    assert len(contenders(ranked, 2, 100)) == 6
    assert len(contenders(ranked, 1, 100)) == 1


def test_best_is_the_full_rankings_contenders() -> None:
    """`best` skips listing what each candidate covers; its answer must be the contenders of
    the full ranking, to the last bit of every coverage, on many random jobs: confidences
    whose sums depend on their order (1/3, 0.1), asked skills repeated, equivalents naming
    the skill itself or another asked one, no skills, `first` 0, occupations, hours."""
    rng = random.Random(7)
    occupations = [None, RelatedOccupation("o:1", "same", 1.0), RelatedOccupation("o:2", "x", 0.7)]
    scores = (0.61, 0.7, 0.83, 0.9, 0.1, 1 / 3, 0.6100000000000001, 1.0, 0.0)
    for _ in range(3000):
        pool = [f"s:{n}" for n in range(rng.randint(1, 25))]
        asked = rng.choices(pool, k=rng.randint(0, 15))
        equivalents = Equivalents(
            {
                s: tuple(
                    RelatedConcept(
                        rng.choice([*pool, "x:1", "x:2", "x:3", s]), rng.choice(scores), "m", False
                    )
                    for _ in range(rng.randint(1, 4))
                )
                for s in rng.sample(pool, rng.randint(0, len(pool)))
            }
        )
        ids = [f"c{n}" for n in range(rng.randint(0, 30))]
        candidates = [
            Candidate(
                rng.choice(ids) if rng.random() < 0.1 else ids[i],
                frozenset(
                    rng.sample([*pool, "x:1", "x:2", "x:3"], rng.randint(0, min(6, len(pool))))
                ),
                float(rng.choice((10, 50, 90))),
                rng.choice((None, 5.0, 20.0)),
                rng.choice(occupations),
                rng.choice((None, 3.0, 10.0)),
            )
            for i in range(len(ids))
        ]
        first = rng.randint(0, 12)
        limit = max(first, rng.randint(0, 20))
        expected = contenders(rank(asked, candidates, equivalents), first, limit)
        found = best(asked, candidates, equivalents, first, limit)
        assert found == expected
        assert [r.coverage.hex() for r in found] == [r.coverage.hex() for r in expected]
