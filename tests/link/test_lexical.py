"""Close matches between frameworks by their labels (real ESCO and O*NET labels throughout)."""

from __future__ import annotations

import doctest

import pytest

from credgraph.link import terms as terms_module
from credgraph.link.lexical import LOCAL, THRESHOLD, CloseMatch, Concept, LexicalMatcher
from credgraph.link.terms import label_variants, terms

E = "http://data.europa.eu/esco/skill/"
CONCEPTS = [
    Concept(E + "think", "esco", ("think critically", "apply critical thinking")),
    Concept(E + "prog", "esco", ("computer programming", "Lua", "Bash", "software programming")),
    Concept(
        E + "eclipse",
        "esco",
        ("Eclipse (integrated development environment software)", "Eclipse IDE"),
    ),
    Concept(E + "python", "esco", ("Python (computer programming)",)),
    Concept(E + "java", "esco", ("Java (computer programming)",)),
    Concept(E + "vis", "esco", ("data visualisation software",)),
    Concept(
        "onet:2.A.2.a",
        "onet",
        ("Critical Thinking",),
        (
            "Using logic and reasoning to identify the strengths and weaknesses of "
            "alternative solutions, conclusions, or approaches to problems.",
        ),
    ),
    Concept(
        "onet:2.B.3.e",
        "onet",
        ("Programming",),
        ("Writing computer programs for various purposes.",),
    ),
    Concept("onet-tech:lua", "onet", ("Lua",), ("Development environment software",)),
    Concept(
        "onet-tech:schlumberger eclipse",
        "onet",
        ("Schlumberger ECLIPSE",),
        ("Analytical or scientific software",),
    ),
    Concept("onet-tech:python", "onet", ("Python",), ("Development environment software",)),
    Concept("onet-tech:javascript", "onet", ("JavaScript",), ("Web platform development",)),
    Concept("onet-tech:data visualization software", "onet", ("Data visualization software",)),
    Concept("label:python", LOCAL, ("Python",)),
    Concept("label:python 3", LOCAL, ("Python",)),  # another local label: never compared
    Concept("label:r", LOCAL, ("R",)),
    Concept("onet-tech:r", "onet", ("R",)),
    Concept("label:nothing", LOCAL, ("",)),
    # words as common as in the real frameworks: "computer" is in many labels
    *(
        Concept(E + f"computer-{n}", "esco", (f"computer {topic}",))
        for n, topic in enumerate(
            (
                "equipment",
                "science",
                "vision",
                "graphics",
                "engineering",
                "forensics",
                "simulation",
                "technology",
                "networks",
            )
        )
    ),
]


@pytest.fixture(scope="module")
def found() -> dict[tuple[str, str], float]:
    matcher = LexicalMatcher(CONCEPTS)
    return {(m.a, m.b): m.score for m in matcher.matches()}


def test_terms_fold_spelling_and_parts_of_speech() -> None:
    assert terms("think critically") == terms("Critical Thinking")
    assert terms("data visualisation software") == terms("Data visualization software")
    assert terms("History and Archaeology") == terms("history and archeology")
    assert terms("use spreadsheets software") == terms("Spreadsheet software")
    assert terms("the of and") == ()
    assert label_variants("Python (computer programming)") == (
        "Python (computer programming)",
        "Python",
    )
    assert "crm" in label_variants("Customer relationship management CRM software")
    failures, _ = doctest.testmod(terms_module)
    assert failures == 0


def test_same_skill_under_other_words_matches(found: dict[tuple[str, str], float]) -> None:
    assert found[(E + "think", "onet:2.A.2.a")] == 1.0
    assert found[(E + "vis", "onet-tech:data visualization software")] == 1.0
    assert found[(E + "python", "onet-tech:python")] == 1.0  # qualifier in parentheses
    # the description says O*NET's "Programming" is computer programming
    assert found[(E + "prog", "onet:2.B.3.e")] >= THRESHOLD


def test_near_names_of_other_things_do_not(found: dict[tuple[str, str], float]) -> None:
    # another product of the same name: nothing in ESCO's Eclipse mentions Schlumberger
    assert (E + "eclipse", "onet-tech:schlumberger eclipse") not in found
    # ESCO lists narrower products among "computer programming"'s alternative labels
    assert (E + "prog", "onet-tech:lua") not in found
    assert (E + "java", "onet-tech:javascript") not in found


def test_locals_meet_frameworks_only_and_one_letter_labels_nothing(
    found: dict[tuple[str, str], float],
) -> None:
    assert found[(E + "python", "label:python")] == 1.0
    assert found[("label:python", "onet-tech:python")] == 1.0
    assert ("label:python", "label:python 3") not in found
    assert all("label:r" not in pair and "label:nothing" not in pair for pair in found)
    matcher = LexicalMatcher(CONCEPTS)
    assert "label:nothing" not in matcher.position
    assert matcher.score(E + "python", "label:python") == 1.0
    assert matcher.score(E + "python", "unknown") == 0.0


def test_incremental_matches_touch_the_asked_concepts_only() -> None:
    matcher = LexicalMatcher(CONCEPTS)
    some = matcher.matches([E + "think", "not stored"])
    assert some == [CloseMatch(E + "think", "onet:2.A.2.a", 1.0)]
    assert matcher.matches([]) == []


def test_top_matches_per_scheme_are_kept() -> None:
    many = [Concept(f"onet-tech:python {n}", "onet", ("Python",)) for n in range(5)]
    matcher = LexicalMatcher([*many, Concept(E + "python", "esco", ("Python",))], top=2)
    assert [m.b for m in matcher.matches([E + "python"])] == [
        "onet-tech:python 0",
        "onet-tech:python 1",
    ]
