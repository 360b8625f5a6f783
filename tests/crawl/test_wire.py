"""A parse result's way back from a parse worker (`ingest.wire`): every recorded real
document's parse result, packed and unpickled as the crawling process receives it, is the
same result, down to the types and the sharing of records."""

from __future__ import annotations

import dataclasses
import json
import pickle
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from credgraph.formats import TAXONOMY_FORMATS, Document, ParseError, parser_for
from credgraph.formats.base import ParseResult
from credgraph.ingest.wire import packed
from credgraph.model.records import Equivalence
from credgraph.model.values import NodeKind
from tests.crawlers.corpus import Recorded, recorded
from tests.unusual_records import UNUSUAL, UNUSUAL_IDS

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


def parse(document: Recorded) -> ParseResult | None:
    """The document's parse result; None for the corpus's documents that are no credential
    of their format by design (a revocation list among Open Badges documents, say)."""
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
        return None


PARSED = [(d, r) for d in DOCUMENTS if (r := parse(d)) is not None]


@pytest.mark.parametrize(("document", "result"), PARSED, ids=[d.name for d, _ in PARSED])
def test_a_real_parse_result_arrives_whole(document: Recorded, result: ParseResult) -> None:
    back = received(result)
    assert back == result
    assert types_of(back) == types_of(result)
    # provenance is left out of records' equality: compared on its own
    for new, old in zip(back.credentials, result.credentials, strict=True):
        assert new.provenance == old.provenance


def test_the_corpus_gives_records_to_carry() -> None:
    assert len(PARSED) > len(DOCUMENTS) * 0.9  # nearly every recorded document parses
    assert sum(len(r.credentials) for _, r in PARSED[:40]) > 10


def test_records_shared_by_a_page_stay_shared() -> None:
    """One issuer object named by every credential of a page arrives as one object (pickle's
    memo still applies), not one copy per credential."""
    result = next(
        r
        for _, r in PARSED
        if len(r.credentials) > 1 and r.credentials[0].issuer is r.credentials[1].issuer
    )
    back = received(result)
    assert back.credentials[0].issuer is back.credentials[1].issuer


def test_a_record_with_post_init_still_checks_what_it_is_given() -> None:
    """Equivalence checks itself in __post_init__: it keeps pickle's own way (its state
    restored as given), and arrives equal."""
    pair = Equivalence(NodeKind.SKILL, "skill:a", "skill:b", line="crosswalk.csv:2")
    assert received(ParseResult(equivalences=[pair])).equivalences == [pair]


@pytest.mark.parametrize("record", UNUSUAL, ids=UNUSUAL_IDS)
def test_a_constructor_that_is_not_its_fields_by_position_keeps_pickles_way(
    record: object,
) -> None:
    back = received([record])[0]
    assert type(back) is type(record)
    assert (back.a, back.b) == ("A", "B")


def listing(fetched_at: datetime = FETCHED) -> Document:
    badges = [
        {
            "type": "BadgeClass",
            "id": f"https://badges.example/b/{i}",
            "name": f"Badge {i}",
            "description": "Data work.",
            "criteria": {"narrative": "Pass."},
            "issuer": {"type": "Issuer", "id": "https://badges.example/org", "name": "Org"},
            "alignment": [{"targetName": "SQL", "targetFramework": "ESCO"}],
        }
        for i in range(3)
    ]
    return Document(
        url="https://badges.example/list?page=1",
        text=json.dumps({"badges": badges}),
        source_id="real",
        format="openbadges",
        fetched_at=fetched_at,
    )


def test_a_pages_records_share_their_provenance_and_skills_and_arrive_shared() -> None:
    """One provenance and one skill object for a page's records (what makes the way back
    cheap), equal to what each record would have on its own."""
    for result in (
        parser_for("openbadges")(listing()),
        received(parser_for("openbadges")(listing())),
    ):
        first, *others = result.credentials
        assert len(others) == 2
        for c in others:
            assert c.provenance is first.provenance
            assert c.skills[0].skill is first.skills[0].skill
        assert first.provenance == listing().provenance()
        assert first.skills[0].skill.provenance == listing().provenance()


def test_one_instant_in_two_offsets_keeps_each_documents_own() -> None:
    """Provenance objects are shared by equal values, and 12:00Z equals 13:00+01:00: the
    offset is part of what is shared, so each document keeps the time as it was given."""
    paris = FETCHED.astimezone(timezone(timedelta(hours=1)))
    assert paris == FETCHED
    utc_prov = listing(FETCHED).provenance()
    paris_prov = listing(paris).provenance()
    assert utc_prov.fetched_at.isoformat() == "2025-03-01T12:00:00+00:00"
    assert paris_prov.fetched_at.isoformat() == "2025-03-01T13:00:00+01:00"
    # the skills the pages' badges align to, shared per page, keep their page's time too
    for fetched_at in (FETCHED, paris, FETCHED):
        [first, *_] = parser_for("openbadges")(listing(fetched_at)).credentials
        assert first.provenance is not None and first.skills[0].skill.provenance is not None
        assert first.provenance.fetched_at.isoformat() == fetched_at.isoformat()
        assert first.skills[0].skill.provenance.fetched_at.isoformat() == fetched_at.isoformat()


def test_a_repeated_wall_clock_time_keeps_its_fold() -> None:
    """02:30 on the night clocks go back happens twice (fold 0 and 1, an hour apart): each
    document keeps the one it was given, for its records and their skills."""
    paris = ZoneInfo("Europe/Paris")
    first = datetime(2025, 10, 26, 2, 30, tzinfo=paris, fold=0)
    second = first.replace(fold=1)
    for fetched_at in (first, second):
        [badge, *_] = parser_for("openbadges")(listing(fetched_at)).credentials
        assert badge.provenance is not None and badge.skills[0].skill.provenance is not None
        assert badge.provenance.fetched_at.fold == fetched_at.fold
        assert badge.skills[0].skill.provenance.fetched_at.fold == fetched_at.fold
        assert badge.provenance.fetched_at.utcoffset() == fetched_at.utcoffset()
