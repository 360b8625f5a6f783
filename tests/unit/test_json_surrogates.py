"""A JSON document's lone surrogate escapes are mended (U+FFFD) as it is read, so its records
survive; escaped pairs (emoji) stay whole."""

from __future__ import annotations

from datetime import UTC, datetime

from credgraph.formats.base import Document, mend_surrogates


def test_lone_surrogates_are_mended_and_pairs_kept() -> None:
    text = '{"name": "Data \\ud800 Analyst", "\\udc01key": ["\\ud83d\\ude00", 1]}'
    doc = Document(
        url="https://x.example/1",
        text=text,
        source_id="s",
        format="openbadges",
        fetched_at=datetime.now(UTC),
    )
    assert doc.json() == {"name": "Data \ufffd Analyst", "\ufffdkey": ["\U0001f600", 1]}
    assert mend_surrogates({"a": ("x",)}) == {"a": ("x",)}  # other values pass through
