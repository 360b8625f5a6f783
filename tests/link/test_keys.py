from __future__ import annotations

import pytest

from credgraph.link.frameworks import ESCO, ONET, framework_family
from credgraph.link.fuzzy import adds_words
from credgraph.link.keys import code_key, derived_labels, label_key, number_tokens


@pytest.mark.parametrize(
    "name",
    [
        "O*NET",
        "ONET",
        "O*NET-SOC",
        "onetcenter",
        "O*NET 29.0",
        "onetonline.org",
        "https://www.onetcenter.org/taxonomy.html",
        "Standard Occupational Classification",
        "O*NET Content Model Worker Requirements - Basic Skills",
        "onet",
    ],
)
def test_onet_aliases(name: str) -> None:
    assert framework_family(name) == ONET


@pytest.mark.parametrize(
    "name",
    [
        "ESCO",
        "esco",
        "ESCO v1.2.0",
        "European Skills/Competences, Qualifications and Occupations",
        "http://data.europa.eu/esco/skill",
    ],
)
def test_esco_aliases(name: str) -> None:
    assert framework_family(name) == ESCO


def test_other_frameworks_fold_to_their_name() -> None:
    assert framework_family("Mozilla 21st Century Skills") == "mozilla21stcenturyskills"
    assert framework_family("  ") is None and framework_family(None) is None


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Registered Nurses", "registered nurse"),
        ("Problem-Solving", "problem solving"),
        ("Critical Thinking Skills", "critical thinking"),
        ("Judgment & Decision-Making", "judgment and decision making"),
        ("  MACHINE   learning ", "Machine learning"),
    ],
)
def test_label_keys_meet(a: str, b: str) -> None:
    assert label_key(a) == label_key(b)


@pytest.mark.parametrize(
    ("a", "b"), [("C++", "C"), ("C#", "C"), ("Java", "JavaScript"), ("Analysis", "Analyse")]
)
def test_label_keys_stay_apart(a: str, b: str) -> None:
    assert label_key(a) != label_key(b)


def test_derived_labels() -> None:
    assert set(derived_labels("Hypertext markup language HTML")) == {
        "html",
        "hypertext markup language",
    }
    assert derived_labels("Salesforce software") == ("salesforce",)
    assert derived_labels("Microsoft PowerPoint") == ("powerpoint",)
    assert derived_labels("The MathWorks MATLAB") == ("matlab",)
    assert derived_labels("Microsoft Project") == ()  # "Project" is a plain word
    assert derived_labels("Accounting software", product=False) == ()


def test_codes() -> None:
    assert code_key("15-1252") == code_key(" 15-1252.00 ") == "15-1252.00"
    assert code_key("2.A.1.a") == "2.A.1.a" and code_key("ABC") == "abc"


def test_fuzzy_guards() -> None:
    assert number_tokens("calculus ii") == {"ii"}
    assert adds_words("r programming", "programming")
    assert adds_words("ruby on rail", "ruby")
    assert not adds_words("certified public accountant cpa", "certified public accountant")
    assert not adds_words("management of financial resource", "financial resource management")
