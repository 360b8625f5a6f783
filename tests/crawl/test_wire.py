"""A parse result's way back from a parse worker (`ingest.wire`): every recorded real
document's parse result, packed and unpickled as the crawling process receives it, is the
same result, down to the types and the sharing of records."""

from __future__ import annotations

import dataclasses
import pickle
from datetime import UTC, datetime
from typing import Any

import pytest

from credgraph.formats import TAXONOMY_FORMATS, Document, ParseError, parser_for
from credgraph.formats.base import ParseResult
from credgraph.ingest.wire import packed
from credgraph.model.records import Equivalence
from credgraph.model.values import NodeKind
from tests.crawlers.corpus import Recorded, recorded

FETCHED = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
DOCUMENTS = [r for r in recorded() if r.format not in TAXONOMY_FORMATS]


def received(value: Any) -> Any:
    """`value` as the crawling process gets it: the worker's outcome pickled and unpickled."""
    return pickle.loads(pickle.dumps(packed(value)))


def types_of(value: Any) -> Any:
    """The type of every value at every depth, in the same shape."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value), [types_of(getattr(value, f.name)) for f in dataclasses.fields(value)])
    if isinstance(value, (list, tuple)):
        return (type(value), [types_of(v) for v in value])
    if isinstance(value, dict):
        return (type(value), {k: types_of(v) for k, v in value.items()})
    return type(value)


def parsed(document: Recorded) -> ParseResult:
    doc = Document(
        url=document.url,
        text=document.path.read_text(encoding="utf-8"),
        source_id="real",
        format=document.format,
        fetched_at=FETCHED,
        media_type=document.media_type,
    )
    try:
        return parser_for(document.format)(doc)
    except ParseError:
        pytest.skip(f"{document.name} does not parse as {document.format}")


@pytest.mark.parametrize("document", DOCUMENTS, ids=[r.name for r in DOCUMENTS])
def test_a_real_parse_result_arrives_whole(document: Recorded) -> None:
    result = parsed(document)
    back = received(result)
    assert back == result
    assert types_of(back) == types_of(result)
    # provenance is left out of records' equality: compared on its own
    for new, old in zip(back.credentials, result.credentials, strict=True):
        assert new.provenance == old.provenance


def test_the_corpus_gives_records_to_carry() -> None:
    carried = [parsed(d) for d in DOCUMENTS[:40]]
    assert sum(len(r.credentials) for r in carried) > 10


def test_records_shared_by_a_page_stay_shared() -> None:
    """One issuer object named by every credential of a page arrives as one object (pickle's
    memo still applies), not one copy per credential."""
    result = next(
        r
        for r in (parsed(d) for d in DOCUMENTS)
        if len(r.credentials) > 1 and r.credentials[0].issuer is r.credentials[1].issuer
    )
    back = received(result)
    assert back.credentials[0].issuer is back.credentials[1].issuer


def test_a_record_with_post_init_still_checks_what_it_is_given() -> None:
    """Equivalence checks itself in __post_init__: it keeps pickle's own way (its state
    restored as given), and arrives equal."""
    pair = Equivalence(NodeKind.SKILL, "skill:a", "skill:b", line="crosswalk.csv:2")
    assert received(ParseResult(equivalences=[pair])).equivalences == [pair]
