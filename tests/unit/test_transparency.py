from __future__ import annotations

from dataclasses import replace

from credgraph.model import (
    Credential,
    Issuer,
    Money,
    Occupation,
    OccupationLink,
    Skill,
    SkillLink,
    SkillRelation,
    transparency_of,
)
from credgraph.model.transparency import WEIGHTS, transparency_score
from tests.contract import data


def test_weights_sum_to_one_hundred() -> None:
    assert sum(WEIGHTS.values()) == 100


def test_bare_credential_scores_only_its_title() -> None:
    t = transparency_of(Credential("https://x.example/1", "Only a name"))
    assert t.present == ("title",)
    assert t.score == WEIGHTS["title"]
    assert set(t.missing) == set(WEIGHTS) - {"title"}


def test_present_and_missing_partition_the_fields() -> None:
    for c in data.credentials():
        t = transparency_of(c)
        assert set(t.present) | set(t.missing) == set(WEIGHTS)
        assert not set(t.present) & set(t.missing)
        assert t.score == sum(WEIGHTS[f] for f in t.present)


def test_fuller_records_score_higher_and_stackability_is_declared() -> None:
    rich, bare, badge, course = (data.credentials()[i] for i in (0, 5, 1, 4))
    assert transparency_of(rich).score > transparency_of(course).score > transparency_of(bare).score
    assert "stackability" in transparency_of(badge).present  # it declares what it is part of
    assert "stackability" in transparency_of(course).missing


def test_each_field_counts_when_it_alone_is_disclosed() -> None:
    """One credential per field, disclosing that field only (besides its title): the field,
    and nothing else, is present, and the score and the store's score agree."""
    org = Issuer("https://x.example/org", "Org")
    skill = Skill("label:sql", "SQL")
    disclosed: dict[str, dict[str, object]] = {
        "awarding_body": {"issuer": org},
        "description": {"description": "What it represents."},
        "learning_outcomes": {"skills": (SkillLink(skill, SkillRelation.TEACHES),)},
        "occupations": {"occupations": (OccupationLink(Occupation("soc:15-1252", "Dev")),)},
        "workload": {"duration_hours": 10.0},
        "level": {"level": "EQF 5"},
        "assessment": {"assessment": "Exam"},
        "participation_form": {"delivery_mode": "online"},
        "quality_assurance": {"accredited_by": (org,)},
        "cost": {"cost": Money(10.0, "EUR")},
        "prerequisites": {"prerequisites": "None"},
        "stackability": {"part_of": ("https://x.example/2",)},
        "validity": {"validity": "P2Y"},
        "criteria": {"criteria": "Pass"},
        "language": {"language": "en"},
    }
    bare = Credential("https://x.example/1", "A title")
    for field, changes in disclosed.items():
        c = replace(bare, **changes)  # type: ignore[arg-type]
        t = transparency_of(c)
        assert set(t.present) == {"title", field}, field
        assert t.score == transparency_score(c) == WEIGHTS["title"] + WEIGHTS[field], field
    # two that come only with another: a country needs an issuer, alignment needs skills
    with_country = replace(bare, issuer=replace(org, country="FR"))
    assert set(transparency_of(with_country).present) == {
        "title",
        "awarding_body",
        "issuer_country",
    }
    aligned = replace(
        bare, skills=(SkillLink(replace(skill, framework="ESCO"), SkillRelation.TEACHES),)
    )
    assert set(transparency_of(aligned).present) == {"title", "learning_outcomes", "skills_aligned"}
    assert transparency_score(aligned) == transparency_of(aligned).score
