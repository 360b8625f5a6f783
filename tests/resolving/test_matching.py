"""Resolving a resume line to credentials: keys issuers publish, initials, issuer names in the
text, typos, and names the graph does not hold staying at 0.5 or under."""

from __future__ import annotations

import pytest

from credgraph.resolving import NameIndex, resolve
from credgraph.resolving.words import acronyms, core, words
from credgraph.store.names import CredentialName
from tests.resolving import catalog
from tests.resolving.catalog import (
    CCNA,
    CCP,
    CISSP,
    CLOUD_ARCHITECT,
    DATA_ANALYTICS,
    NETWORK_PLUS,
    PMP,
    SAA,
    SECURITY_PLUS,
)

INDEX = NameIndex.build(catalog.names(extra=2000))


def top(text: str) -> tuple[str, float, str] | None:
    found = resolve(INDEX, text, first=3)
    return (found[0].credential_id, found[0].confidence, found[0].method) if found else None


@pytest.mark.parametrize(
    ("text", "expected", "method"),
    [
        ("SAA-C03", SAA, "alternate name"),
        ("CISSP", CISSP, "alternate name"),
        ("ccna", CCNA, "alternate name"),  # the code the name carries in parentheses
        ("N10-009", NETWORK_PLUS, "alternate name"),
    ],
)
def test_alternate_names_and_codes_the_issuer_publishes(
    text: str, expected: str, method: str
) -> None:
    assert top(text) == (expected, pytest.approx(0.96, abs=0.03), method)


def test_acronym_of_the_name_with_and_without_its_issuer() -> None:
    found = top("AWS SAA")
    assert found is not None and found[0] == SAA and found[2] == "acronym + issuer"
    assert found[1] > 0.9
    pmp = top("PMP")
    assert pmp is not None and pmp[0] == PMP and pmp[1] > 0.85


def test_issuer_named_in_the_text_is_taken_out_and_agrees() -> None:
    found = top("Solutions Architect – Associate (Amazon Web Services)")
    assert found is not None and found[0] == SAA and found[2].endswith("+ issuer")
    analytics = top("Google Data Analytics cert, Coursera")
    assert analytics is not None and analytics[0] == DATA_ANALYTICS and analytics[1] > 0.9


def test_an_issuer_named_by_one_of_its_alternate_names() -> None:
    found = top("GCP Professional Cloud Architect")
    assert found is not None and found[0] == CLOUD_ARCHITECT and found[2] == "name + issuer"
    # the issuer's own word "cloud" stays in the name: only a whole alias is taken out
    bare = top("Professional Cloud Architect")
    assert bare is not None and bare[0] == CLOUD_ARCHITECT and bare[2] == "name"


def test_fuzzy_prefix_and_typos() -> None:
    sec = top("CompTIA Sec+")
    assert sec is not None and sec[0] == SECURITY_PLUS and sec[2] == "fuzzy name + issuer"
    assert 0.5 < sec[1] < 0.9
    typo = top("Solutions Architet Associate")
    assert typo is not None and typo[0] == SAA and typo[2] == "fuzzy name" and typo[1] > 0.5
    cloud = top("AWS Cloud Practicioner")
    assert cloud is not None and cloud[0] == CCP


def test_another_issuer_named_cuts_the_confidence() -> None:
    found = resolve(INDEX, "Cisco Security+", first=1)
    assert found and found[0].credential_id == SECURITY_PLUS
    assert found[0].confidence <= 0.5 and "another issuer" in found[0].method


@pytest.mark.parametrize(
    "text",
    [
        "AWS Certified Solutions Architect – Professional",  # another level
        "AWS Certified Developer – Associate",
        "CompTIA A+",
        "Certified Kubernetes Administrator (CKA)",
        "Google Cloud Professional Data Engineer",
        "Cisco Certified Network Professional",
        "Certified Information Systems Auditor",
        "Bachelor of Science in Computer Science",
        "Senior Data Analyst",
        "Quantum Basket Weaving Master Certificate",
        "Data credential",
    ],
)
def test_names_the_graph_does_not_hold_stay_at_half_or_under(text: str) -> None:
    assert all(m.confidence <= 0.5 for m in resolve(INDEX, text, first=5)), text


@pytest.mark.parametrize("text", ["", "   ", "!!! ---", "(): ,,", "データ分析 資格", "Сертификат"])
def test_noise_and_other_scripts_answer_without_error(text: str) -> None:
    assert all(m.confidence <= 0.5 for m in resolve(INDEX, text, first=3))


def test_first_bounds_the_matches_and_they_are_ranked() -> None:
    found = resolve(INDEX, "CompTIA", first=2)
    assert len(found) <= 2
    assert [m.confidence for m in found] == sorted((m.confidence for m in found), reverse=True)


def test_words_core_and_acronyms() -> None:
    assert words("(ISC)² CISSP®") == ["isc2", "cissp"]
    assert core(words("Google Data Analytics Professional Certificate, 2023"), {"data"}) == [
        "google",
        "data",
        "analytics",
    ]
    assert core(words("Windows Server 2019"), {"2019"}) == ["windows", "server", "2019"]
    assert "csm" in acronyms("Certified ScrumMaster")
    assert "pmp" in acronyms("Project Management Professional (PMP)")
    assert acronyms("Data credential 12") == set()  # two words make no initials


def test_a_long_line_is_read_only_as_far_as_a_name_goes() -> None:
    # 100 distinct words: only the first few are looked at, so the line costs what a name does
    line = "CompTIA Security+ " + " ".join(f"filler{n}word" for n in range(100))
    found = resolve(INDEX, line, first=1)
    assert found and found[0].credential_id == SECURITY_PLUS
    assert found[0].confidence <= 0.5  # twenty-odd unknown words say it is not only that


def test_matching_stops_between_names_past_its_deadline() -> None:
    from credgraph.errors import QueryTimeout
    from credgraph.resolving.service import match_names

    assert match_names(INDEX, ["PMP"], 1, float("inf"))[0][0].credential_id == PMP
    with pytest.raises(QueryTimeout):
        match_names(INDEX, ["PMP", "CISSP"], 1, 0.0)


PGMP = "https://www.pmi.org/certifications/program-management-pgmp"


@pytest.mark.parametrize(
    "text",
    [
        "Project Management Professional (PMI) - 2019",
        "PMI: Project Management Professional",
        "Project Management Professional, Project Management Institute",
    ],
)
def test_an_issuer_word_that_is_also_a_word_of_the_name(text: str) -> None:
    """ "Project" names Project Management Institute and begins Project Management
    Professional: with the issuer named again elsewhere in the line, the name keeps it
    (taken out, "Management Professional" is PMP and PgMP alike)."""
    index = NameIndex.build(
        [
            *catalog.names(extra=200),
            CredentialName(PGMP, "Program Management Professional (PgMP)®", (), catalog.PMI.name),
        ]
    )
    found = resolve(index, text, first=2)
    assert [m.credential_id for m in found] == [PMP, PGMP]
    assert found[0].confidence > 0.97 and found[0].method == "name + issuer"


def test_a_line_repeating_a_word_of_its_issuer_keeps_its_exact_name() -> None:
    """ "Cloud" is a word of Google Cloud and of the line after it: read with its repeated
    words dropped, what is left of the line is still the name, found exactly, and the
    neighbour stays a fuzzy second."""
    google_cloud = catalog.GOOGLE_CLOUD
    data_engineer = "https://cloud.google.com/learn/certification/data-engineer"
    index = NameIndex.build(
        [
            *catalog.names(extra=200),
            CredentialName(
                data_engineer,
                "Professional Data Engineer",
                (),
                google_cloud.name,
                google_cloud.alternate_names,
            ),
            CredentialName(
                "https://cloud.google.com/learn/certification/cloud-security-engineer",
                "Professional Cloud Security Engineer",
                (),
                google_cloud.name,
                google_cloud.alternate_names,
            ),
        ]
    )
    first, second = resolve(index, "Google Cloud Professional Cloud Data Engineer", first=2)
    assert first.credential_id == data_engineer and first.confidence > 0.97
    assert second.confidence < 0.5
