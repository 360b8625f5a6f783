"""A comparison with no equivalence among its skills takes plain set operations
(`analysis.comparison._compare_plain`); with equivalences it walks the groups they join. With
no equivalence the two must give the same comparison, on any skill sets."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from credgraph.analysis.comparison import _compare_grouped, _compare_plain, compare_sets
from credgraph.analysis.equivalents import EQUIVALENT, SAME, Equivalents
from credgraph.store.equivalence import RelatedConcept

SKILLS = st.sampled_from([f"skill:{c}" for c in "abcdefgh"])
SKILL_SETS = st.lists(st.frozensets(SKILLS, max_size=6), min_size=0, max_size=5)


@given(SKILL_SETS)
def test_plain_sets_compare_as_the_groups_do(sets: list[frozenset[str]]) -> None:
    found = [f"cred:{i}" for i in range(len(sets))]
    skill_sets = dict(zip(found, sets, strict=True))
    everything = sorted({s for skills in sets for s in skills})

    plain = _compare_plain(found, skill_sets)
    grouped = _compare_grouped(found, skill_sets, everything, [])

    assert plain == grouped
    # The same order too: the API lists them as the dicts hold them.
    assert list(plain.unique_skill_ids.items()) == list(grouped.unique_skill_ids.items())
    assert list(plain.similarity.items()) == list(grouped.similarity.items())


def test_the_plain_comparison_reads_shared_unique_and_jaccard() -> None:
    skill_sets = {
        "a": frozenset({"s1", "s2", "s3"}),
        "b": frozenset({"s2", "s3", "s4"}),
        "c": frozenset({"s3", "s5"}),
    }

    comparison = _compare_plain(["a", "b", "c"], skill_sets)

    assert [(x.skill_ids, x.match) for x in comparison.shared] == [(("s3",) * 3, SAME)]
    assert comparison.unique_skill_ids == {"a": ("s1",), "b": ("s4",), "c": ("s5",)}
    assert comparison.similarity == {("a", "b"): 2 / 4, ("a", "c"): 1 / 4, ("b", "c"): 1 / 4}


def test_an_equivalence_between_the_sets_still_takes_the_groups() -> None:
    skill_sets = {"a": frozenset({"s1", "s2"}), "b": frozenset({"t1", "s2"})}
    related = RelatedConcept(id="t1", method="crosswalk", score=0.8, stated=True)

    comparison = compare_sets(["a", "b"], skill_sets, Equivalents({"s1": (related,)}))

    assert [x.match for x in comparison.shared] == [EQUIVALENT, SAME]
    assert comparison.unique_skill_ids == {"a": (), "b": ()}
    assert comparison.similarity[("a", "b")] == (1 + 0.8) / (2 + 2 - 1.8)
