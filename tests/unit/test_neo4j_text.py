"""The Lucene query built from user text: words quoted, stop words dropped, and the last word
also asked as the start of a longer word (never as a plain prefix, which made ranking visit
every document holding the word itself)."""

from __future__ import annotations

from credgraph.store.neo4j.text import MAX_PREFIX, lucene_query


def test_the_last_word_also_matches_longer_words_at_a_low_weight() -> None:
    assert lucene_query("Data Sci") == '"data" AND ("sci" OR sci?*^0.01)'
    assert lucene_query("credential") == '("credential" OR credential?*^0.01)'


def test_stop_words_are_dropped_and_the_analyzer_folds_quoted_words() -> None:
    assert lucene_query("the Zürich school") == '"zürich" AND ("school" OR school?*^0.01)'
    assert lucene_query("of the") is None
    assert lucene_query('*" OR (') is None
    # a prefix term bypasses the analyzer: folded here
    assert lucene_query("Zür") == '("zür" OR zur?*^0.01)'


def test_words_the_index_keeps_whole_are_asked_whole() -> None:
    # Hangul kept in syllables, a kana's voicing mark kept ("データ", not "テータ")
    assert lucene_query("데이터 과학") == '"데이터" AND "과학"'
    assert lucene_query("データ") == '"データ"'
    # an apostrophe inside a word: one word, as the tokenizer indexes it
    assert lucene_query("Bachelor's O\u2019Reilly") == '"bachelor\'s" AND "o\u2019reilly"'


def test_a_last_word_that_is_not_plain_ascii_or_too_long_is_matched_whole() -> None:
    assert lucene_query("data 東京") == '"data" AND "東京"'
    long_word = "a" * (MAX_PREFIX + 1)
    assert lucene_query(long_word) == f'"{long_word}"'
