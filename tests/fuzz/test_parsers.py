"""Every format parser, fed damaged copies of real samples and fixtures: it either returns a
ParseResult or raises ParseError naming the document, always within two seconds of CPU time."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest
from hypothesis import given, note
from hypothesis import strategies as st

from credgraph.formats import FORMATS, Document, ParseError, ParseResult, parser_for
from tests.fuzz.documents import Sample, mutated, samples_of

FETCHED = datetime(2025, 3, 1, tzinfo=UTC)
BUDGET_SECONDS = 2.0


def parse_within_budget(sample: Sample, text: str) -> ParseResult | ParseError:
    """The parser's answer to `text`, failing the test on any other exception or on time."""
    document = Document(
        url=sample.url, text=text, source_id="fuzz", format=sample.format, fetched_at=FETCHED
    )
    started = time.process_time()
    try:
        answer: ParseResult | ParseError = parser_for(sample.format)(document)
    except ParseError as exc:
        answer = exc
        assert exc.url == sample.url, "a ParseError must name the document it is about"
        assert exc.reason.strip()
    elapsed = time.process_time() - started
    assert elapsed < BUDGET_SECONDS, f"{sample.path.name}: took {elapsed:.2f} s"
    return answer


@st.composite
def damaged_document(draw: st.DrawFn, fmt: str) -> tuple[Sample, str, str]:
    sample = draw(st.sampled_from(samples_of(fmt)))
    text, how = draw(mutated(sample))
    return sample, text, how


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_has_samples_to_damage(fmt: str) -> None:
    assert samples_of(fmt), f"no sample for {fmt}"


@pytest.mark.parametrize("fmt", FORMATS)
@given(data=st.data())
def test_a_damaged_document_is_read_or_refused_with_parse_error(
    fmt: str, data: st.DataObject
) -> None:
    sample, text, how = data.draw(damaged_document(fmt), label="document")
    note(f"{sample.path.name}: {how}")
    answer = parse_within_budget(sample, text)
    if isinstance(answer, ParseResult):
        # Everything a parser yields is text the store can hold (warnings included).
        for warning in answer.warnings:
            assert isinstance(warning, str) and warning
