"""The vocabulary keeps one str per word and one tuple per way of writing a phrase's words,
however many phrases share them: at 200,000 skills a fresh str per word of each phrase and a
tuple of styles per phrase were a quarter of what it held."""

from __future__ import annotations

from credgraph.match.skill_text import Vocabulary


def test_phrases_sharing_a_word_share_its_str_and_their_styles() -> None:
    labels = [f"data {topic} analysis" for topic in ("sales", "market", "risk")]
    vocabulary = Vocabulary.build((f"s{n}", label, ()) for n, label in enumerate(labels))
    keys = [k for k in vocabulary.phrases if len(k) == 3]
    assert len(keys) == 3
    assert all(k[0] is keys[0][0] and k[2] is keys[0][2] for k in keys)
    styles = [vocabulary.styles[k] for k in keys]
    assert all(s is styles[0] for s in styles) and styles[0] == ("", "", "")
