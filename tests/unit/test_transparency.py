from __future__ import annotations

from credgraph.model import Credential, transparency_of
from credgraph.model.transparency import WEIGHTS
from tests.contract import data


def test_weights_sum_to_one_hundred() -> None:
    assert sum(WEIGHTS.values()) == 100


def test_bare_credential_scores_only_its_title() -> None:
    t = transparency_of(Credential("https://x.example/1", "Only a name"))
    assert t.present == ("title",)
    assert t.score == WEIGHTS["title"]
    assert set(t.missing) == set(WEIGHTS) - {"title"}


def test_present_and_missing_partition_the_fields() -> None:
    for c in data.credentials():
        t = transparency_of(c)
        assert set(t.present) | set(t.missing) == set(WEIGHTS)
        assert not set(t.present) & set(t.missing)
        assert t.score == sum(WEIGHTS[f] for f in t.present)


def test_fuller_records_score_higher_and_stackability_is_declared() -> None:
    rich, bare, badge, course = (data.credentials()[i] for i in (0, 5, 1, 4))
    assert transparency_of(rich).score > transparency_of(course).score > transparency_of(bare).score
    assert "stackability" in transparency_of(badge).present  # it declares what it is part of
    assert "stackability" in transparency_of(course).missing
