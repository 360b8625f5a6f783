"""User text to a full-text (Lucene) query that can only ever mean "these words".

Words are extracted with a Unicode word pattern (letters and digits, an apostrophe inside
a word kept, as the index's tokenizer keeps "o'reilly" one word), so no Lucene operator,
quote, bracket or escape survives; each word becomes a quoted term and all must match. A
quoted term goes through the index's analyzer, which folds it as it folded the names: it is
given as typed, lower-cased. (Folded here first, Hangul came apart into its letters and a
kana's voicing mark was dropped, "データ" asked as "テータ": Korean and much Japanese could not
be found.) The last word also matches as the start of a longer word (type-ahead: "Data Sci"
finds "Data Scientists") when it is plain ASCII after folding accents: such a term bypasses
the analyzer, so it is folded here. Stop words, which the index does not keep, are left out.

The longer words are asked as `word?*` (the word and at least one more character), not
`word*`: both match the same documents with `"word"` beside them, but Lucene scores a
wildcard by a constant for every document it matches, so `word*` made it visit every
document holding the word itself and ranking could not skip any (one common word over 1M
credentials: 19 ms against 2.7 ms, the whole search 37 ms at p50). Boosted to a hundredth,
a completion ranks after the documents holding the word as typed, which bm25 orders, unless
the word is in nearly every document (past some 99.5 %, bm25's weight for it falls below a
hundredth and its completions rank first).
"""

from __future__ import annotations

import re
import unicodedata

from credgraph.store.query import MAX_TEXT_WORDS

_WORD = re.compile(r"\w+(?:['\u2019]\w+)*")
_PLAIN = re.compile(r"[a-z0-9]+")
MAX_WORDS = MAX_TEXT_WORDS
# Lucene turns a prefix term into an automaton of about one state per character and refuses
# one over 1,000 states ("input automaton is too large"); the analyzer cuts tokens at 255
# characters anyway, so a longer last word is only matched whole.
MAX_PREFIX = 255
# Weight of a longer word's match against the whole word's bm25 score (see the docstring).
COMPLETION_BOOST = "0.01"
# The English stop words the `standard-folding` analyzer leaves out of the index (Lucene's
# set): a query word from this list could never match, so it is dropped from the query.
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "for",
        "if",
        "in",
        "into",
        "is",
        "it",
        "no",
        "not",
        "of",
        "on",
        "or",
        "such",
        "that",
        "the",
        "their",
        "then",
        "there",
        "these",
        "they",
        "this",
        "to",
        "was",
        "will",
        "with",
    ]
)


def fold(word: str) -> str:
    """Lower-case without accents, as the `standard-folding` analyzer indexes words."""
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def lucene_query(text: str | None) -> str | None:
    """A safe full-text query for `text`, or None when it holds no words."""
    typed = [unicodedata.normalize("NFC", w).lower() for w in _WORD.findall(text or "")]
    words = [(w, fold(w)) for w in typed[:MAX_WORDS]]
    words = [(w, folded) for w, folded in words if folded and folded not in STOP_WORDS]
    if not words:
        return None
    clauses = [f'"{w}"' for w, _ in words]
    last, folded = words[-1]
    if _PLAIN.fullmatch(folded) and len(folded) <= MAX_PREFIX:
        clauses[-1] = f'("{last}" OR {folded}?*^{COMPLETION_BOOST})'
    return " AND ".join(clauses)
