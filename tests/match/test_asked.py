"""What a job asks for, read from text or a posting, in the graph's terms."""

from __future__ import annotations

from credgraph.match.asked import MAX_ASKED_SKILLS, asked_by_posting, asked_by_text
from credgraph.match.index import build
from credgraph.model.jobs import JobPosting
from credgraph.model.records import Occupation, OccupationLink, Skill, SkillLink

SKILLS = [Skill(f"s:{i}", f"widgetry{i} craft") for i in range(MAX_ASKED_SKILLS + 50)]
SKILLS.append(Skill("esco:sql", "SQL", "ESCO", alt_labels=("Structured Query Language",)))
OCCUPATIONS = [
    Occupation(
        "onet:15-1252.00",
        "Software Developers",
        code="15-1252.00",
        framework="O*NET-SOC",
        alt_labels=("programmer",),
    ),
    Occupation("onet:15-1252.01", "Web developers", code="15-1252.01"),
]
GRAPH = build(SKILLS, OCCUPATIONS)


def test_a_text_naming_too_many_skills_is_read_up_to_the_limit() -> None:
    text = ", ".join(s.name for s in SKILLS[:-1])
    asked = asked_by_text(GRAPH, text)
    assert len(asked.skill_ids) == MAX_ASKED_SKILLS
    assert asked.skill_ids[:2] == ["s:0", "s:1"]  # the first found are kept
    # said, not silently dropped: 50 more of the graph's skills were named
    assert asked.warnings() == [
        f"the job names {MAX_ASKED_SKILLS + 50} of the graph's skills; the first "
        f"{MAX_ASKED_SKILLS} found were matched, 50 left out"
    ]


def test_a_text_within_the_limits_has_no_warnings() -> None:
    asked = asked_by_text(GRAPH, "SQL and widgetry1 craft, for a programmer")
    assert asked.skill_ids == ["esco:sql", "s:1"] and asked.warnings() == []


def test_codes_name_occupations_and_unknown_codes_are_unmatched() -> None:
    asked = asked_by_text(GRAPH, "A programmer (SOC 15-1252; O*NET-SOC 11-3021.00).")
    assert asked.occupation_ids == ["onet:15-1252.00", "onet:15-1252.01"]
    assert asked.unmatched == ["O*NET-SOC 11-3021.00"]


def test_a_posting_states_skills_by_id_or_label_then_its_text_is_read() -> None:
    posting = JobPosting(
        "https://jobs.example/1",
        "Developer",
        description="Writes SQL daily.",
        skills=(
            SkillLink(Skill("label:structured query language", "Structured Query Language")),
            SkillLink(Skill("label:basket weaving", "Basket weaving")),
        ),
        occupations=(OccupationLink(Occupation("label:x", "Software Developers")),),
    )
    asked = asked_by_posting(GRAPH, posting)
    assert asked.skill_ids == ["esco:sql"]
    assert asked.unmatched == ["Basket weaving"]
    assert asked.occupation_ids == ["onet:15-1252.00"]


def test_a_stated_skill_that_is_a_sentence_is_read_as_text() -> None:
    posting = JobPosting(
        "https://jobs.example/2",
        "Analyst",
        skills=(SkillLink(Skill("label:x", "Reporting with Structured Query Language daily")),),
    )
    asked = asked_by_posting(GRAPH, posting)
    assert asked.skill_ids == ["esco:sql"] and asked.unmatched == []
