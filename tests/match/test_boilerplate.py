"""Boilerplate sections and statements of a job ad are not read for skills."""

from __future__ import annotations

from credgraph.match.boilerplate import heading, mask_boilerplate
from credgraph.match.skill_text import Vocabulary, find_terms

# The U.S. Government's standard equal-opportunity statement as federal postings print it
# (public domain), and the headings of the 18F posting positions/login-engineer-2023.md
# (join.tts.gsa.gov, CC0).
AD = """Login.gov: Engineer GS15
## Key objectives
- Participate in code review, and use Python and relational databases.

## Equal Employment Opportunity Policy

The United States Government does not discriminate in employment on the basis of race, color,
religion, sex (including pregnancy and gender identity), national origin, political
affiliation, sexual orientation, marital status, disability, genetic information, age,
membership in an employee organization, retaliation, parental status, military service, or
other non-merit factor.

## How to Apply
Provide as much detail as possible on your resume, including your Python projects.
"""

VOCABULARY = Vocabulary.build(
    [
        ("s:python", "Python", ()),
        ("s:db", "relational databases", ()),
        ("s:military", "military service", ()),
        ("s:genetics", "genetic information", ()),
        ("s:review", "code review", ()),
    ]
)


def test_boilerplate_sections_are_not_read() -> None:
    found = find_terms(VOCABULARY, AD)
    assert [t.id for f in found for t in f.terms] == ["s:review", "s:python", "s:db"]
    assert all(AD[f.start : f.end] == f.text for f in found)  # offsets are the ad's


def test_a_boilerplate_statement_is_skipped_wherever_it_stands() -> None:
    text = "Skills: Python.\nAcme is an equal opportunity employer; military service is valued."
    assert [t.id for f in find_terms(VOCABULARY, text) for t in f.terms] == ["s:python"]


def test_a_section_ends_at_the_next_heading() -> None:
    text = "Benefits:\n- military service credit\nRequirements:\n- military service"
    masked = mask_boilerplate(text)
    assert len(masked) == len(text)
    assert "credit" not in masked
    assert masked.endswith("Requirements:\n- military service")


def test_headings_are_short_marked_lines() -> None:
    assert heading("## How to Apply") == "How to Apply"
    assert heading("**Benefits**") == "Benefits"
    assert heading("EEO STATEMENT") == "EEO STATEMENT"
    assert heading("Benefits") is None  # not marked as a heading
    assert heading("You will need to apply these skills to many different problems:") is None
