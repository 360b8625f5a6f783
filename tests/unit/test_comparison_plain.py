"""A comparison with no equivalence among its skills takes plain set operations
(`analysis.comparison._compare_plain`); with equivalences it reads the direct edges between
them. With no equivalence the two must give the same comparison, on any skill sets; with
equivalences a pair compares the same whatever else is compared with it."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from credgraph.analysis.comparison import _compare_direct, _compare_plain, compare_sets
from credgraph.analysis.equivalents import (
    EQUIVALENT,
    SAME,
    Equivalents,
    direct_edges,
    jaccard_of,
    one_to_one,
)
from credgraph.store.equivalence import RelatedConcept

SKILLS = st.sampled_from([f"skill:{c}" for c in "abcdefgh"])
SKILL_SETS = st.lists(st.frozensets(SKILLS, max_size=6), min_size=0, max_size=5)


@given(SKILL_SETS)
def test_plain_sets_compare_as_the_direct_edges_do(sets: list[frozenset[str]]) -> None:
    found = [f"cred:{i}" for i in range(len(sets))]
    skill_sets = dict(zip(found, sets, strict=True))

    plain = _compare_plain(found, skill_sets)
    grouped = _compare_direct(found, skill_sets, {})

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


PAIRS = [(a, b) for a in "abcdefgh" for b in "abcdefgh" if a < b]
EQUIVALENCES = st.dictionaries(
    st.sampled_from(PAIRS), st.sampled_from([0.9, 0.95, 1.0]), max_size=10
)


def _equivalents(edges: dict[tuple[str, str], float]) -> Equivalents:
    """`edges` read from both ends, as the store gives them."""
    of: dict[str, list[RelatedConcept]] = {}
    for (a, b), score in sorted(edges.items()):
        for x, y in ((a, b), (b, a)):
            of.setdefault(f"skill:{x}", []).append(
                RelatedConcept(id=f"skill:{y}", method="lexical", score=score, stated=False)
            )
    return Equivalents({k: tuple(v) for k, v in of.items()})


@given(SKILL_SETS, EQUIVALENCES)
def test_a_pair_compares_the_same_whatever_else_is_compared(
    sets: list[frozenset[str]], edges: dict[tuple[str, str], float]
) -> None:
    found = [f"cred:{i}" for i in range(len(sets))]
    skill_sets = dict(zip(found, sets, strict=True))
    equivalents = _equivalents(edges)

    together = compare_sets(found, skill_sets, equivalents)

    for (a, b), jaccard in together.similarity.items():
        alone = compare_sets([b, a], skill_sets, equivalents).similarity[(b, a)]
        assert jaccard == alone
        assert 0.0 <= jaccard <= 1.0
    for shared in together.shared:  # every two nodes of a shared skill: one, or joined
        for x, y in itertools.combinations(set(shared.skill_ids), 2):
            key = tuple(sorted((x.removeprefix("skill:"), y.removeprefix("skill:"))))
            assert key in edges


def test_a_chain_of_equivalences_joins_nothing() -> None:
    """a ~ b and b ~ c: the credentials holding a and c share nothing, with or without the
    one holding b."""
    skill_sets = {
        "x": frozenset({"skill:a"}),
        "y": frozenset({"skill:b"}),
        "z": frozenset({"skill:c"}),
    }
    equivalents = _equivalents({("a", "b"): 1.0, ("b", "c"): 1.0})

    pair = compare_sets(["x", "z"], skill_sets, equivalents)
    three = compare_sets(["x", "z", "y"], skill_sets, equivalents)

    assert pair.similarity == {("x", "z"): 0.0}
    assert three.similarity == {("x", "z"): 0.0, ("x", "y"): 1.0, ("z", "y"): 1.0}
    assert pair.shared == three.shared == ()
    assert three.unique_skill_ids == {"x": (), "z": (), "y": ()}


def _past_a_stronger_equivalent() -> tuple[dict[str, frozenset[str]], Equivalents]:
    skill_sets = {
        "x": frozenset({"skill:s"}),
        "y": frozenset({"skill:p1", "skill:p2"}),
        "z": frozenset({"skill:r"}),
    }
    equivalents = _equivalents(
        {("s", "p1"): 0.95, ("p2", "s"): 0.9, ("r", "s"): 0.9, ("p2", "r"): 0.9}
    )
    return skill_sets, equivalents


def test_a_shared_skill_is_found_past_a_stronger_equivalent_that_refuses_it() -> None:
    """s (x) ~ p1 (y, 0.95), s ~ p2 (y, 0.9), s ~ r (z), p2 ~ r, p1 and r not joined: {s, p2, r}
    is one skill though y's strongest equivalent of s, p1, is not joined to z's r."""
    comparison = compare_sets(["x", "y", "z"], *_past_a_stronger_equivalent())

    assert [(x.skill_ids, x.match, x.confidence) for x in comparison.shared] == [
        (("skill:s", "skill:p2", "skill:r"), EQUIVALENT, 0.9)
    ]
    assert comparison.unique_skill_ids == {"x": (), "y": (), "z": ()}


def test_a_search_past_its_budget_takes_the_skill_as_not_shared(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The backtracking search is bounded: a comparison is a request, and twenty credentials
    holding several equivalents each could take exponentially many picks."""
    from credgraph.analysis import comparison as module

    monkeypatch.setattr(module, "MAX_SHARED_CHOICES", 1)  # p1 is tried, p2 is past it
    comparison = compare_sets(["x", "y", "z"], *_past_a_stronger_equivalent())
    assert comparison.shared == ()


def _first_clique(
    skill: str, others: list[frozenset[str]], edges: dict[tuple[str, str], float]
) -> tuple[str, ...] | None:
    """What sharing means, read off every assignment: for each of `others`, `skill` itself when
    held, else one of its direct equivalents held, strongest first (ties by id), every two
    nodes the same or joined; the first such assignment in that order."""

    def joined(x: str, y: str) -> bool:
        return x == y or tuple(sorted((x, y))) in edges

    def score(x: str, y: str) -> float:
        return edges[tuple(sorted((x, y)))]  # type: ignore[index]

    options = [
        [skill]
        if skill in theirs
        else sorted((t for t in theirs if joined(skill, t)), key=lambda t: (-score(skill, t), t))
        for theirs in others
    ]
    for picks in itertools.product(*options):
        held = (skill, *picks)
        if all(joined(x, y) for x, y in itertools.combinations(held, 2)):
            return held
    return None


LETTERS = st.sampled_from(list("abcdefgh"))
LETTER_SETS = st.lists(st.frozensets(LETTERS, max_size=4), min_size=1, max_size=5)


@given(LETTER_SETS, EQUIVALENCES)
def test_a_skill_shared_by_the_rule_is_shared_and_never_unique(
    sets: list[frozenset[str]], edges: dict[tuple[str, str], float]
) -> None:
    """Every skill of the first credential meeting the rule of sharing is shared, with the
    first assignment the rule's order finds; a shared skill is unique to no credential, and
    a skill of it unique to the first credential is held by no other even as an equivalent."""
    found = [f"cred:{i}" for i in range(len(sets))]
    skill_sets = {c: frozenset(f"skill:{x}" for x in s) for c, s in zip(found, sets, strict=True)}
    plain_edges = {(f"skill:{a}", f"skill:{b}"): score for (a, b), score in edges.items()}

    comparison = compare_sets(found, skill_sets, _equivalents(edges))

    expected = [
        held
        for s in sorted(skill_sets[found[0]])
        if (held := _first_clique(s, [skill_sets[c] for c in found[1:]], plain_edges))
    ]
    assert [x.skill_ids for x in comparison.shared] == expected
    for shared in comparison.shared:
        for credential, node in zip(found, shared.skill_ids, strict=True):
            assert node not in comparison.unique_skill_ids[credential] or len(found) == 1


@given(st.frozensets(SKILLS, max_size=6), st.frozensets(SKILLS, max_size=6), EQUIVALENCES)
def test_similar_credentials_scores_a_pair_as_its_comparison_does(
    mine: frozenset[str], theirs: frozenset[str], edges: dict[tuple[str, str], float]
) -> None:
    """`similarCredentials` loads the equivalents of the credential's own skills only; matched
    by the same function, the pair scores as a comparison of the two, in either order."""
    equivalents = _equivalents(edges)
    own = Equivalents({s: found for s, found in equivalents.of.items() if s in mine})
    joins = direct_edges(mine | own.ids(), own)

    score = jaccard_of(mine, theirs, one_to_one(mine, theirs, joins))

    skill_sets = {"mine": mine, "theirs": theirs}
    assert (
        score
        == compare_sets(["mine", "theirs"], skill_sets, equivalents).similarity[("mine", "theirs")]
    )
    assert (
        score
        == compare_sets(["theirs", "mine"], skill_sets, equivalents).similarity[("theirs", "mine")]
    )
