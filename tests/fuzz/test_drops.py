"""A record lost to a damaged field leaves a warning: one scalar field of a sample set to an
odd value either changes nothing in the counts, or the parse says what it skipped, or the
whole document is refused with ParseError.

Known exception: a JSON-LD graph node whose `@type` is erased is no longer a node of a kind
the parser reads, and is passed over like any other node type (docs/reliability.md)."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from functools import cache
from typing import Any

from hypothesis import given, note
from hypothesis import strategies as st

from credgraph.formats import Document, ParseError, ParseResult, parser_for
from tests.fuzz.documents import Sample, samples

FETCHED = datetime(2025, 3, 1, tzinfo=UTC)
ODD: list[Any] = [None, "", 0, {"a": None}, [], "\x00"]


def parse(sample: Sample, body: Any) -> ParseResult:
    return parser_for(sample.format)(
        Document(
            url=sample.url,
            text=json.dumps(body),
            source_id="fuzz",
            format=sample.format,
            fetched_at=FETCHED,
        )
    )


def counts(result: ParseResult) -> dict[str, int]:
    return {
        "credentials": len({c.id for c in result.credentials}),
        "issuers": len({i.id for i in result.issuers}),
        "skills": len({s.id for s in result.skills}),
        "occupations": len({o.id for o in result.occupations}),
    }


def scalar_paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(value, dict):
        return [p for k, v in value.items() if k != "@type" for p in scalar_paths(v, (*prefix, k))]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in scalar_paths(v, (*prefix, i))]
    return [prefix] if prefix else []


@cache
def readable() -> list[tuple[Sample, Any, ParseResult]]:
    found = []
    for sample in samples():
        if not sample.is_json:
            continue
        body = json.loads(sample.path.read_text(encoding="utf-8"))
        try:
            found.append((sample, body, parse(sample, body)))
        except ParseError:
            continue
    return found


@st.composite
def one_field_damaged(draw: st.DrawFn) -> tuple[Sample, Any, ParseResult, str]:
    sample, original, baseline = draw(st.sampled_from(readable()))
    path = draw(st.sampled_from(scalar_paths(original)))
    odd = draw(st.sampled_from(ODD))
    body = copy.deepcopy(original)
    parent = body
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = odd
    return sample, body, baseline, f"{sample.path.name}: {path} = {odd!r}"


@given(one_field_damaged())
def test_a_record_lost_to_one_damaged_field_leaves_a_warning(
    case: tuple[Sample, Any, ParseResult, str],
) -> None:
    sample, body, baseline, what = case
    note(what)
    try:
        damaged = parse(sample, body)
    except ParseError:
        return
    before, after = counts(baseline), counts(damaged)
    lost = {kind: before[kind] - after[kind] for kind in before if after[kind] < before[kind]}
    if lost:
        assert set(damaged.warnings) - set(baseline.warnings), f"{what}: lost {lost} silently"


def test_a_coursera_partner_without_a_name_is_reported() -> None:
    """Found by the test above: such a partner vanished without a word."""
    sample, original, baseline = next(
        r for r in readable() if r[0].path.name == "coursera-courses-v1-response-1.json"
    )
    body = copy.deepcopy(original)
    body["linked"]["partners.v1"][0]["name"] = ""
    damaged = parse(sample, body)
    assert len(damaged.issuers) == len(baseline.issuers) - 1
    assert any("no usable name" in w for w in damaged.warnings)
