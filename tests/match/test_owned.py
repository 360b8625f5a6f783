"""What an ad says the employer already has is not asked of the person."""

from __future__ import annotations

from credgraph.match.owned import mask_owned
from credgraph.match.skill_text import Vocabulary, find_terms

VOCABULARY = Vocabulary.build(
    [("s:ux", "user research", ()), ("s:ds", "data science", ()), ("s:ml", "machine learning", ())],
    [],
)


def found(text: str) -> list[str]:
    return [f.text for f in find_terms(VOCABULARY, text)]


def test_the_employers_own_expertise_is_context() -> None:
    text = "Our clinics draw on in-house expertise in user research and data science."
    assert found(text) == []
    assert found("- Grow the existing analytics capability across data science teams") == []
    # the sentence or list item ends what the expertise is in
    text = "We have internal skills in data science.\n- Experience in machine learning"
    assert found(text) == ["machine learning"]


def test_expertise_asked_of_the_person_is_read() -> None:
    assert found("We expect expertise in user research and data science") == [
        "user research",
        "data science",
    ]
    assert found("Bring your expertise in machine learning") == ["machine learning"]


def test_the_mask_keeps_the_texts_length() -> None:
    text = "Call upon in-house expertise in design; then more."
    masked = mask_owned(text)
    assert len(masked) == len(text)
    assert masked == "Call upon in-house expertise in ......; then more."
    assert mask_owned("no owner here") == "no owner here"
