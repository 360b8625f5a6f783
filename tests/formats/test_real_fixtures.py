"""Coverage table of the real-world samples recorded under crawlers/: every document, the
parser its publisher's source.toml names, and, for the hand-checked ones, what that parser
yields today.

This is the map, not the deep check: field-by-field assertions live in the per-format tests
(test_openbadges.py, test_ctdl.py...), and the whole parse result of every recorded document
is a golden snapshot (tests/crawlers/test_golden.py). TABLE is keyed by the path under
crawlers/ and takes format and URL from the publisher folder, so it cannot drift from it.

Counts are of the ParseResult lists (`credentials`, `skills`, `occupations`, `issuers`,
`next_pages`, `needs`, `warnings`), plus the distinct skills and occupations the credentials
link to (`linked_skills`, `linked_occupations`), which a parser embeds in the credentials
instead of listing them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime

import pytest

from credgraph.formats import FORMATS, Document, ParseError, parser_for
from credgraph.model.validation import validate_credential, validate_issuer, validate_skill
from tests.crawlers.corpus import CRAWLERS, recorded

REAL = CRAWLERS  # TABLE's keys are paths under it
FETCHED = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Expect:
    format: str
    url: str | None = None  # where the document is taken to come from (default: example.org)
    credentials: int = 0
    skills: int = 0
    occupations: int = 0
    issuers: int = 0
    linked_skills: int = 0
    linked_occupations: int = 0
    next_pages: int = 0
    needs: int = 0
    warnings: int = 0
    postings: int = 0  # job postings (format jobposting)
    error: str | None = None  # a fragment of the ParseError reason, when the parse fails
    meant_for: bool = True  # False: no parser reads this kind of document (closest one used)
    counted: bool = True  # False: no hand-checked counts (the golden snapshot still holds it)


# Hand-checked counts, by file name; format and URL come from the publisher folder.
COUNTS: dict[str, Expect] = {
    # -- schema.org JobPosting -------------------------------------------------------------
    # an employer, and an O*NET-SOC occupation through relevantOccupation's CategoryCode
    "schemaorg-jobposting-example-eg0251.html": Expect("jobposting", postings=1, issuers=1),
    # skills as a DefinedTerm of the NICE framework
    "schemaorg-jobposting-example-eg0213.html": Expect("jobposting", postings=1),
    # the skills text is one sentence, not a list: left out with a warning
    "schemaorg-jobposting-example-eg0028.html": Expect("jobposting", postings=1, warnings=1),
    # -- Open Badges 2.0 / 3.0, CLR 2.0 ---------------------------------------------------
    # issuer given by URL: asked for in `needs`
    "ob2-badgeclass-spec-1.json": Expect(
        "openbadges",
        credentials=1,
        linked_skills=2,
        needs=1,
    ),
    # several spec examples (Issuer, Assertions, CryptographicKey, RevocationList) combined
    # into one object under made-up keys: not one document. test_openbadges.py reads each
    # block on its own.
    "ob2-issuer-assertion-revocation-spec-1.json": Expect(
        "openbadges", error="not an Open Badges object or listing"
    ),
    "ob3-openbadgecredential-full-1.json": Expect("openbadges", credentials=1, linked_skills=2),
    "ob3-openbadgecredential-signed-eddsa-rdfc-2022-1.json": Expect("openbadges", credentials=1),
    # aligned to another credential, which is not a skill
    "ob3-openbadgecredential-ctdl-alignment-1.json": Expect("openbadges", credentials=1),
    "ob3-openbadgecredential-skill-ctdl-competency-1.json": Expect(
        "openbadges", credentials=1, linked_skills=1
    ),
    "ob3-openbadgecredential-eu-microcredential-edubadges-1.json": Expect(
        "openbadges", credentials=1
    ),
    "clr2-clrcredential-signed-1.json": Expect("openbadges", credentials=2),
    # An EU Digital Credential (ELM: EuropeanDigitalCredential, hasClaim/specifiedBy). No
    # parser reads ELM. The closest, openbadges, sees a W3C verifiable credential without
    # credentialSubject.achievement: nothing stored, one warning, no error.
    "edc-elm-microcredential-dc4eu-1.json": Expect("openbadges", warnings=1, meant_for=False),
    # -- Credential Engine CTDL / CTDL-ASN --------------------------------------------------
    # registry resources: the owner and the /graph/ document (blank nodes) go to `needs`
    "ctdl-bachelordegree-resource-1.json": Expect(
        "ctdl",
        credentials=1,
        linked_occupations=1,
        needs=2,
    ),
    "ctdl-openbadge-resource-1.json": Expect(
        "ctdl",
        credentials=1,
        needs=2,
    ),
    # self-published graphs: the organisation is a separate document (`needs`)
    "ctdl-learningprogram-selfpublished-graph-1.json": Expect(
        "ctdl", credentials=4, linked_occupations=6, needs=1
    ),
    "ctdl-bachelordegree-selfpublished-graph-qa-1.json": Expect(
        "ctdl", credentials=1, issuers=1, needs=1
    ),
    # competency frameworks: skills only
    "ctdlasn-competencyframework-envelope-1.json": Expect("ctdl", skills=13),
    "ctdlasn-competencyframework-bcsp-sts-1.json": Expect("ctdl", skills=61),
    "ctdlasn-onet-basic-skills-framework-1.json": Expect("ctdl", skills=12),
    # -- schema.org ----------------------------------------------------------------------------
    "schemaorg-program-page-wgu-cert-1.html": Expect(
        "schemaorg",
        credentials=4,
        issuers=1,
    ),
    # the program and its 37 courses; "37 courses" is no credit amount and the only price is
    # per term: two warnings
    "schemaorg-program-jsonld-wgu-bscs-1.json": Expect(
        "schemaorg",
        credentials=38,
        issuers=1,
        warnings=2,
    ),
    "schemaorg-credential-jsonld-hnc-1.json": Expect("schemaorg", credentials=1, linked_skills=1),
    # -- Credly, CASE, Coursera ------------------------------------------------------------------
    # 50 templates, one a draft (skipped with a warning); metadata.next_page_url is page 2
    "credly-org-badge-templates-api-1.json": Expect(
        "credly",
        credentials=49,
        linked_skills=2,
        next_pages=1,
        warnings=1,
    ),
    # two exactMatchOf associations name nodes without a URI: one warning
    "case-cfpackage-smarterbalanced-1.json": Expect(
        "case",
        skills=37,
        warnings=1,
    ),
    # partners come embedded in `linked`, so nothing is needed; paging.next is an offset
    "coursera-courses-v1-response-1.json": Expect(
        "coursera",
        credentials=2,
        issuers=2,
        next_pages=1,
    ),
}


def _table() -> dict[str, Expect]:
    table: dict[str, Expect] = {}
    for r in recorded():
        counted = COUNTS.get(r.name, Expect(r.format, counted=False))
        table[str(r.path.relative_to(REAL))] = replace(counted, format=r.format, url=r.url)
    return table


TABLE = _table()


def test_every_hand_checked_entry_names_a_recorded_document() -> None:
    names = {r.name for r in recorded()}
    assert sorted(COUNTS.keys() - names) == [], "entries whose document is gone"
    assert all(COUNTS[r.name].format == r.format for r in recorded() if r.name in COUNTS)


def test_every_format_reads_at_least_one_real_sample() -> None:
    read = {
        e.format
        for e in TABLE.values()
        if e.counted
        and e.meant_for
        and e.error is None
        and (e.credentials or e.skills or e.postings)
    }
    assert read == set(FORMATS)


@pytest.mark.parametrize("name", sorted(k for k, e in TABLE.items() if e.counted))
def test_real_sample(name: str) -> None:
    expect = TABLE[name]
    url = expect.url or f"https://example.org/samples/{name}"
    document = Document(
        url=url,
        text=(REAL / name).read_text(encoding="utf-8"),
        source_id="real",
        format=expect.format,
        fetched_at=FETCHED,
    )
    parse = parser_for(expect.format)
    if expect.error is not None:
        with pytest.raises(ParseError) as failed:
            parse(document)
        assert expect.error in failed.value.reason
        assert failed.value.url == url
        return
    result = parse(document)
    got = Expect(
        expect.format,
        expect.url,
        credentials=len(result.credentials),
        skills=len(result.skills),
        occupations=len(result.occupations),
        issuers=len(result.issuers),
        linked_skills=len({link.skill.id for c in result.credentials for link in c.skills}),
        linked_occupations=len(
            {link.occupation.id for c in result.credentials for link in c.occupations}
        ),
        next_pages=len(result.next_pages),
        needs=len(result.needs),
        warnings=len(result.warnings),
        postings=len(result.postings),
        meant_for=expect.meant_for,
    )
    assert got == expect, result.warnings
    # whatever a real sample yields is a valid record with this document as its source
    for credential in result.credentials:
        assert validate_credential(credential) == [], credential.id
        assert credential.provenance is not None
        assert (credential.provenance.source_id, credential.provenance.format) == (
            "real",
            expect.format,
        )
    assert all(validate_issuer(i) == [] for i in result.issuers)
    assert all(validate_skill(s) == [] for s in result.skills)
