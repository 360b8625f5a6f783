"""bench/precision_filter.py's model and counting, on made-up phrases: the script's answer
(no learned filter pays) rests on them."""

from __future__ import annotations

from tests.scripts import script

bench = script("bench/precision_filter.py")


def phrase(ad: str, word: str, concept: str, right: bool, signal: float) -> object:
    return bench.Phrase(ad, (word,), frozenset({concept}), right, {"signal": signal})


def test_the_model_learns_a_feature_that_tells_right_from_wrong() -> None:
    examples = [
        phrase("a", f"w{i}", "c", i % 3 != 0, 1.0 if i % 3 != 0 else 0.0) for i in range(30)
    ]
    model = bench.fit(examples, rounds=500)
    assert model.probability({"signal": 1.0}) > 0.5 > model.probability({"signal": 0.0})
    assert bench.auc(model, examples) == 1.0


def test_phrases_are_counted_as_the_benchmark_counts_them() -> None:
    ad = bench.Ad(
        "a",
        {"data analysis": frozenset({"c1"}), "teamwork": frozenset({"c9"})},
        [
            phrase("a", "analysis", "c1", True, 1.0),
            phrase("a", "analysis", "c1", True, 0.0),  # a second occurrence counts once
            phrase("a", "design", "c2", False, 0.0),
        ],
    )
    every = bench.measure([ad], lambda p: True)
    assert (every.found, every.correct, every.labels, every.recalled) == (2, 1, 2, 1)
    kept = bench.measure([ad], lambda p: p.x["signal"] > 0.5)
    assert (kept.found, kept.correct, kept.recalled) == (1, 1, 1)
    assert kept.precision == 1.0 and kept.recall == 0.5
