"""The taxonomy readers (O*NET, ESCO, crosswalk) over damaged releases: reading every batch
either succeeds or raises ParseError, within two seconds; a row that is skipped leaves a
warning."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest
from hypothesis import given, note
from hypothesis import strategies as st

from credgraph.formats import ParseError, ParseResult, crosswalk, esco, onet
from credgraph.formats.taxonomy import TaxonomyFiles
from tests.fuzz.releases import MemoryFiles, damaged_release

Reader = Callable[[TaxonomyFiles], Iterator[ParseResult]]
READERS: dict[str, Reader] = {"onet": onet.read, "esco": esco.read, "crosswalk": crosswalk.read}
BUDGET_SECONDS = 2.0


def records(result: ParseResult) -> int:
    return (
        len(result.skills)
        + len(result.occupations)
        + len(result.requirements)
        + len(result.equivalences)
    )


def read_all(reader: Reader, files: TaxonomyFiles) -> ParseResult | ParseError:
    total = ParseResult()
    try:
        for batch in reader(files):
            total.merge(batch)
    except ParseError as exc:
        assert exc.url == files.label
        return exc
    return total


@pytest.mark.parametrize("fmt", sorted(READERS))
@given(data=st.data())
def test_a_damaged_release_is_read_or_refused_with_parse_error(
    fmt: str, data: st.DataObject
) -> None:
    files, how = data.draw(damaged_release(fmt), label="release")
    note(how)
    started = time.process_time()
    read_all(READERS[fmt], MemoryFiles(files))
    assert time.process_time() - started < BUDGET_SECONDS, how


@pytest.mark.parametrize("fmt", sorted(READERS))
@given(data=st.data())
def test_a_row_lost_to_a_stray_line_is_reported(fmt: str, data: st.DataObject) -> None:
    """A line of garbage added between rows costs at most that line, and says so."""
    from tests.fuzz.releases import release

    files = {n: t for n, t in release(fmt).items() if "/" not in n}
    name = data.draw(st.sampled_from(sorted(files)), label="file")
    lines = files[name].splitlines(keepends=True)
    if len(lines) < 2:
        return
    at = data.draw(st.integers(1, len(lines)), label="line")
    garbage = data.draw(
        st.sampled_from(
            ["a\tb\tc\td\te\tf\tg\th\n", "only one cell\n", ",,,,,,,,,,,,,,\n", "\t\t\n", "x,y\n"]
        ),
        label="garbage",
    )
    baseline = read_all(READERS[fmt], MemoryFiles(files))
    assert isinstance(baseline, ParseResult)
    damaged = read_all(
        READERS[fmt], MemoryFiles({**files, name: "".join([*lines[:at], garbage, *lines[at:]])})
    )
    assert isinstance(damaged, ParseResult)
    if records(damaged) < records(baseline):
        assert len(damaged.warnings) > len(baseline.warnings), (
            f"{name}: {records(baseline) - records(damaged)} records lost without a warning"
        )


@pytest.mark.parametrize("fmt", sorted(READERS))
def test_a_cell_past_the_csv_field_limit_costs_one_row_and_a_warning(fmt: str) -> None:
    """Found by the fuzzer: a 200,000-character cell raised csv.Error out of the reader."""
    from tests.fuzz.releases import release

    files = {n: t for n, t in release(fmt).items() if "/" not in n}
    baseline = read_all(READERS[fmt], MemoryFiles(files))
    assert isinstance(baseline, ParseResult)
    for name, text in files.items():
        lines = text.splitlines(keepends=True)
        if len(lines) < 3:
            continue
        huge = {**files, name: "".join([*lines[:-1], "z" * 200_000 + "\n", lines[-1]])}
        damaged = read_all(READERS[fmt], MemoryFiles(huge))
        assert isinstance(damaged, ParseResult), name
        # The row is lost (and rows naming it are skipped, each with its own warning).
        assert any("field limit" in w for w in damaged.warnings), name
