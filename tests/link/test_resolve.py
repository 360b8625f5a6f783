from __future__ import annotations

import pytest

from credgraph.link.index import TaxonomyIndex
from credgraph.link.resolve import (
    EXACT_CODE,
    EXACT_URI,
    FUZZY,
    LABEL_ANY_FRAMEWORK,
    LABEL_IN_FRAMEWORK,
    UNRESOLVED,
    Linker,
)
from credgraph.model.ids import occupation_id, skill_id
from credgraph.model.records import Credential, Occupation, OccupationLink, Skill, SkillLink
from credgraph.model.values import SkillRelation
from tests.link.taxonomy import ESCO_DEV, ESCO_JAVA, ESCO_JS, ESCO_ML, ESCO_PY, index


def skill(
    name: str, framework: str | None = None, uri: str | None = None, code: str | None = None
) -> Skill:
    return Skill(
        skill_id(uri=uri, framework=framework, code=code, label=name), name, framework, uri, code
    )


def occupation(
    name: str, framework: str | None = None, uri: str | None = None, code: str | None = None
) -> Occupation:
    oid = occupation_id(uri=uri, framework=framework, code=code, label=name)
    return Occupation(oid, name, code, framework, uri)


@pytest.fixture(scope="module")
def linker() -> Linker:
    return Linker(index())


def test_exact_uri(linker: Linker) -> None:
    node, method, confidence = linker.link_skill(skill("Py", "ESCO", ESCO_PY))
    assert (node.id, method, confidence) == (ESCO_PY, EXACT_URI, 1.0)
    https = ESCO_PY.replace("http://", "https://")
    assert linker.link_skill(skill("whatever", None, https))[0].id == ESCO_PY
    summary = "https://www.onetonline.org/link/summary/15-1252.00"
    assert linker.link_occupation(occupation("Dev", None, summary))[1] == EXACT_URI


def test_exact_code(linker: Linker) -> None:
    assert linker.link_skill(skill("CT", "O*NET", code="2.A.2.a"))[:2] == (
        linker.index.skills.refs["onet:2.A.2.a"],
        EXACT_CODE,
    )
    assert linker.link_skill(skill("Programming", None, code="2.B.3.e"))[0].id == "onet:2.B.3.e"
    # a bare SOC code, with or without its suffix, needs no framework
    soc = Occupation("x", "Nurse", code="29-1141")
    assert linker.link_occupation(soc)[:2] == (
        linker.index.occupations.refs["onet:29-1141.00"],
        EXACT_CODE,
    )
    # another onetonline.org page of the occupation gives its code
    details = occupation("Devs", "O*NET", "https://onetonline.org/link/details/15-1252.00")
    assert linker.link_occupation(details)[1] == EXACT_CODE
    assert linker.link_occupation(occupation("dev", "ESCO", code="2512.4"))[0].id == ESCO_DEV


def test_label_in_framework(linker: Linker) -> None:
    assert linker.link_skill(skill("Python", "ESCO")) == (
        linker.index.skills.refs[ESCO_PY],
        LABEL_IN_FRAMEWORK,
        0.95,
    )
    assert linker.link_skill(skill("python", "O*NET"))[0].id == "onet-tech:python"
    assert linker.link_occupation(occupation("Software Engineer", "ONET"))[0].id == (
        "onet:15-1252.00"
    )
    assert (
        linker.link_occupation(
            occupation(
                "software engineer", "European Skills/Competences, Qualifications and Occupations"
            )
        )[0].id
        == ESCO_DEV
    )
    assert linker.link_skill(skill("PowerPoint", "O*NET"))[0].id == (
        "onet-tech:microsoft powerpoint"
    )


def test_label_any_framework_only_when_unambiguous(linker: Linker) -> None:
    assert linker.link_skill(skill("Critical Thinking Skills")) == (
        linker.index.skills.refs["onet:2.A.2.a"],
        LABEL_ANY_FRAMEWORK,
        0.9,
    )
    assert linker.link_skill(skill("ML"))[0].id == ESCO_ML
    # "Python" is ESCO's and O*NET's: no guess
    assert linker.link_skill(skill("Python"))[1] == UNRESOLVED
    assert linker.link_occupation(occupation("Software Engineer"))[1] == UNRESOLVED


def test_unknown_framework_still_tries_later_steps(linker: Linker) -> None:
    node, method, _ = linker.link_skill(
        skill(
            "Critical thinking", "Mozilla 21st Century Skills", "https://learning.example/skills#ct"
        )
    )
    assert (node.id, method) == ("onet:2.A.2.a", LABEL_ANY_FRAMEWORK)
    node, method, _ = linker.link_skill(skill("Critcal Thinkng", "Acme Skills"))
    assert (node.id, method) == ("onet:2.A.2.a", FUZZY)


def test_fuzzy(linker: Linker) -> None:
    node, method, confidence = linker.link_skill(skill("Machne Learning"))
    assert (node.id, method) == (ESCO_ML, FUZZY)
    assert confidence is not None and 0.9 <= confidence < 1.0
    # within a known framework, fuzzy stays in it
    assert linker.link_skill(skill("Pyton programming", "ESCO"))[0].id == ESCO_PY


@pytest.mark.parametrize(
    "name",
    [
        "JavaScripts and more",
        "Calculus II",
        "R Programming",
        "Ruby on Rails",
        "C",
        "NoSQL",
        "Microsoft Projects Online",
        "Javanese",
    ],
)
def test_near_misses_stay_unresolved(linker: Linker, name: str) -> None:
    mention = skill(name)
    assert linker.link_skill(mention) == (mention, UNRESOLVED, None)


def test_java_is_not_javascript() -> None:
    only_java = Linker(
        TaxonomyIndex.from_records(
            [
                Skill(
                    ESCO_JAVA,
                    "Java (computer programming)",
                    "ESCO",
                    ESCO_JAVA,
                    alt_labels=("Java",),
                )
            ]
        )
    )
    assert only_java.link_skill(skill("JavaScript"))[1] == UNRESOLVED
    assert only_java.link_skill(skill("Java"))[0].id == ESCO_JAVA
    both = Linker(index())
    assert both.link_skill(skill("JavaScript", "ESCO"))[0].id == ESCO_JS


def test_unresolved_mention_is_returned_unchanged(linker: Linker) -> None:
    mention = occupation("Innovation Manager")
    assert linker.link_occupation(mention) == (mention, UNRESOLVED, None)


def test_results_are_cached_per_mention() -> None:
    fresh = Linker(index())
    first = fresh.link_skill(skill("Critical Thinking"))
    assert fresh.link_skill(skill("Critical Thinking")) == first
    assert len(fresh._skills.cache) == 1


def test_link_credential_points_at_canonical_nodes_and_merges() -> None:
    linker = Linker(index())
    teaches, assesses = SkillRelation.TEACHES, SkillRelation.ASSESSES
    c = Credential(
        "https://badges.example/1",
        "Data badge",
        skills=(
            SkillLink(skill("ML"), teaches, "credly:skills", 1.0),
            SkillLink(skill("machine learning", "ESCO", ESCO_ML), teaches, "ob:alignment", 1.0),
            SkillLink(skill("Critical Thinking"), assesses),
            SkillLink(skill("Critical thinking", "O*NET", code="2.A.2.a"), teaches),
            SkillLink(skill("Basket weaving"), teaches),
        ),
        occupations=(
            OccupationLink(occupation("Registered Nurse", "O*NET-SOC")),
            OccupationLink(occupation("RN", code="29-1141.00")),
            OccupationLink(occupation("Innovation Manager")),
        ),
    )
    linked = linker.link_credential(c)
    got = [(s.skill.id, s.relation, s.method, s.confidence) for s in linked.skills]
    assert got == [
        (ESCO_ML, teaches, EXACT_URI, 1.0),  # "ML" (0.9) merged into the exact link
        # One link per skill: the exact code outranks the assessed label match it meets.
        ("onet:2.A.2.a", teaches, EXACT_CODE, 1.0),
        ("label:basket weaving", teaches, UNRESOLVED, None),
    ]
    occupations = [(o.occupation.id, o.method) for o in linked.occupations]
    assert occupations == [
        ("onet:29-1141.00", EXACT_CODE),
        ("label:innovation manager", UNRESOLVED),
    ]
    assert linked.name == c.name and linked.id == c.id
    assert linker.link_credential(linked) == linked  # stable
