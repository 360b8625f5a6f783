"""A resume writes one name several ways: "A Plus" for "A+", "AZ900" for "AZ-900", "PSM1" for
"PSM I", "redhat" for "Red Hat", "ML" for "Machine Learning", a holder's ID number after the
name. Each way below fails to resolve without the rule its test names."""

from __future__ import annotations

import pytest

from credgraph.resolving import NameIndex, resolve
from credgraph.resolving.matching import MAX_LINE_WORDS, _compounds, _Line
from credgraph.resolving.words import core, respelled, words
from credgraph.store.names import CredentialName
from tests.resolving import catalog

A_PLUS = "https://www.comptia.org/certifications/a"
SECURITYX = "https://www.comptia.org/certifications/securityx"
AZ_900 = "https://learn.microsoft.com/credentials/certifications/azure-fundamentals/"
PSM_I = "https://www.scrum.org/assessments/professional-scrum-master-i-certification"
RHCSA = "https://www.redhat.com/en/services/certification/rhcsa"
ML_SPECIALTY = "https://aws.amazon.com/certification/certified-machine-learning-specialty/"
PRINCE2 = "https://www.peoplecert.org/prince2-foundation"
PD1 = "https://trailhead.salesforce.com/credentials/platformdeveloperi"

EXTRA = [
    CredentialName(A_PLUS, "CompTIA A+", ("220-1101",), "CompTIA"),
    CredentialName(SECURITYX, "CompTIA SecurityX", ("CAS-005",), "CompTIA"),
    CredentialName(AZ_900, "Microsoft Certified: Azure Fundamentals", ("AZ-900",), "Microsoft"),
    CredentialName(PSM_I, "Professional Scrum Master I (PSM I)", (), "Scrum.org"),
    CredentialName(RHCSA, "Red Hat Certified System Administrator (RHCSA)", ("EX200",), "Red Hat"),
    CredentialName(
        ML_SPECIALTY,
        "AWS Certified Machine Learning – Specialty",
        ("MLS-C01",),
        "Amazon Web Services",
        ("AWS",),
    ),
    CredentialName(PRINCE2, "PRINCE2 Foundation", (), "PeopleCert"),
    CredentialName(PD1, "Salesforce Certified Platform Developer I", (), "Salesforce"),
]
INDEX = NameIndex.build([*catalog.names(extra=2000), *EXTRA])


def top(text: str) -> tuple[str, float] | None:
    found = resolve(INDEX, text, first=1)
    return (found[0].credential_id, found[0].confidence) if found else None


def test_plus_spelled_out_is_the_sign() -> None:
    assert respelled(words("CompTIA A Plus")) == ["comptia", "a+"]
    found = top("Comptia A Plus")
    assert found is not None and found[0] == A_PLUS and found[1] > 0.5


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("az900", AZ_900),  # letters run into a code's number
        ("PSM1", PSM_I),  # a level numbered with a digit, written as a roman numeral
        ("Salesforce PD1", PD1),  # a level run into the initials of the name
        ("Prince 2 Foundation", PRINCE2),  # a name's number written apart
        ("CompTIA Security X", SECURITYX),  # a name's two parts written apart
        ("redhat certified system administrator", RHCSA),  # an issuer's words run together
    ],
)
def test_words_run_together_or_apart_are_read_as_the_index_writes_them(
    text: str, expected: str
) -> None:
    found = top(text)
    assert found is not None and found[0] == expected and found[1] > 0.85


def test_a_level_numbered_either_way_is_one_level() -> None:
    assert respelled(words("PSM 1")) == respelled(words("PSM I")) == ["psm", "i"]
    found = top("Professional Scrum Master 1")
    assert found is not None and found[0] == PSM_I and found[1] > 0.9


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("AWS ML Specialty", ML_SPECIALTY),
        ("Red Hat Certified Sysadmin", RHCSA),
        ("AWS Certified Solution Architect Associate", catalog.SAA),
    ],
)
def test_abbreviations_people_write_for_phrases_of_names(text: str, expected: str) -> None:
    found = top(text)
    assert found is not None and found[0] == expected and found[1] > 0.85


def test_the_holders_number_after_id_or_hash_is_not_part_of_the_name() -> None:
    assert core(words("RHCSA - Cert ID 190-123-456")) == ["rhcsa"]
    assert core(words("CISSP #123456")) == ["cissp"]
    # A number that is part of the name stays.
    assert core(words("AZ-900")) == ["az", "900"]
    found = top("RHCSA - Cert ID 190-123-456")
    assert found is not None and found[0] == RHCSA and found[1] > 0.9


def test_a_word_is_split_only_into_words_the_index_writes_one_after_the_other() -> None:
    # "for" and "ms" are both words of this index, never one after the other: "forms" (as
    # in "Microsoft Forms", which the graph does not hold) stays one word.
    index = NameIndex.build(
        [
            *EXTRA,
            CredentialName("https://example.org/x", "Data for Analysts", ("MS-900",), "Example"),
        ]
    )
    assert index.spells("for") and index.spells("ms")
    assert _compounds(index, ["forms"]) == ["forms"]
    assert _compounds(index, ["redhat"]) == ["red", "hat"]
    assert _compounds(index, ["ms900"]) == ["ms", "900"]
    # A word past any name's length is not searched for a split.
    assert _compounds(index, ["red" + "hat" * 20]) == ["red" + "hat" * 20]


def test_reading_words_back_keeps_a_line_within_its_word_bound() -> None:
    line = _Line(INDEX, "az900 " * 5_000 + "ML " * 5_000)
    assert len(line.words) <= MAX_LINE_WORDS
