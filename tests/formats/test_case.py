"""CASE v1.0 parser: the real Smarter Balanced package, our own package and listing, garbage."""

from __future__ import annotations

import contextlib
import copy
import json
import random
from pathlib import Path
from typing import Any

import pytest

from credgraph.formats.base import ParseError, ParseResult
from credgraph.formats.case import parse, statement_name
from tests.crawlers.corpus import recorded_path
from tests.formats.parsing import checked_parser, documents

OWN = Path(__file__).resolve().parents[1] / "fixtures" / "case"
SBAC = "https://case.smarterbalanced.org/ims/case/v1p0"
SBAC_PACKAGE = f"{SBAC}/CFPackages/6a3ccfc6-cc76-11e7-8974-cfcd479e782c"
EDU = "https://frameworks.example.edu/ims/case/v1p0"
EDU_PACKAGE = f"{EDU}/CFPackages/db917a56-b295-4ec6-8499-8c6a3b03d17f"


document = documents("case", EDU_PACKAGE)

checked = checked_parser("case", EDU_PACKAGE)


def parse_text(text: str, url: str = EDU_PACKAGE) -> ParseResult:
    result = checked(text, url)
    assert (result.credentials, result.issuers, result.occupations, result.needs) == (
        [],
        [],
        [],
        [],
    )
    return result


def real(name: str) -> str:
    return recorded_path(name).read_text(encoding="utf-8")


def own(name: str) -> str:
    return (OWN / name).read_text(encoding="utf-8")


def item(uuid: str, base: str = SBAC) -> str:
    return f"{base}/CFItems/{uuid}"


# -- the real Smarter Balanced package --------------------------------------------------------
def test_smarter_balanced_package() -> None:
    result = parse_text(real("case-cfpackage-smarterbalanced-1.json"), SBAC_PACKAGE)
    skills = result.skills
    assert len(skills) == 37
    assert {s.framework for s in skills} == {
        "English Language Arts Specification: Grade 3 Claim 1 Target 1"
    }
    ids = {s.id for s in skills}
    assert len(ids) == 37 and all(s.id == s.uri for s in skills)
    # 37 isChildOf associations; 4 point at the CFDocument itself (top-level items).
    assert sum(len(s.broader) for s in skills) == 33
    assert sum(1 for s in skills if not s.broader) == 4
    assert all(parent in ids for s in skills for parent in s.broader)
    # Both exactMatchOf associations point at "local:" nodes: not linked, one warning.
    assert all(s.same_as == () for s in skills)
    assert result.warnings == [
        f"{SBAC_PACKAGE}: 2 exactMatchOf association(s) point to a node "
        "without an http(s) or urn URI; not linked"
    ]
    assert result.next_pages == []
    assert all(len(s.name) <= 200 for s in skills)

    by_id = {s.id: s for s in skills}
    clarifications = by_id[item("79de914e-cc76-11e7-8be9-bd50b5b04081")]
    assert clarifications.name == (
        "Students identify/select appropriate supporting text evidence "
        "for one or more GIVEN inferences or conclusions."
    )
    assert clarifications.alt_labels == ("Clarifications",)
    assert clarifications.description is not None
    assert clarifications.description.startswith(clarifications.name + " The item stem")
    assert clarifications.broader == ()

    target = by_id[item("e7138c50-cc86-11e7-bee4-c51c86306448")]
    assert (target.code, target.alt_labels) == ("E.G3.C1RL.T1", ("Key Details",))
    assert target.name.startswith("Given an inference or conclusion, use explicit details")
    standard = by_id[item("e713c2c4-cc86-11e7-86bf-05495c730081")]
    assert standard.code == "E.G3.C1RL.T1.RL.3.1"
    assert standard.broader == (target.id,)

    evidence = by_id[item("81bef0ac-cc76-11e7-943b-9b9ed3d69b53")]
    assert evidence.broader == (item("81bebc4a-cc76-11e7-999f-5550d020599b"),)
    assert evidence.alt_labels == ("Evidence Required 1",)
    # "NA" is a placeholder statement: the abbreviated statement names the item.
    tools = next(s for s in skills if s.name == "Allowable Tools")
    assert (tools.description, tools.alt_labels) == (None, ())
    # Markdown emphasis and escapes do not reach names; bullets are dropped.
    stems = next(s for s in skills if s.name.startswith("Both [title passage #1]"))
    assert "**" not in stems.name and "\\#" not in stems.name


def test_wrapped_package_reads_the_same() -> None:
    text = real("case-cfpackage-smarterbalanced-1.json")
    wrapped = json.dumps({"CFPackage": json.loads(text)})
    assert parse_text(wrapped, SBAC_PACKAGE).skills == parse_text(text, SBAC_PACKAGE).skills


# -- our own package and listing ---------------------------------------------------------------
def test_small_package() -> None:
    result = parse_text(own("cfpackage-data-literacy.json"))
    rows = [(s.id, s.name, s.code, s.alt_labels, s.broader, s.same_as) for s in result.skills]
    collect, analyse = (
        item("131dc385-da37-4e59-b1cb-d77b6695320c", EDU),
        item("426e4994-b750-4f09-b07d-5311c41148a5", EDU),
    )
    assert rows == [
        (collect, "Collect and organise data", "DL.1", ("Data Collection",), (), ()),
        (
            item("400a0939-304a-4118-9371-e1bfa57a6a84", EDU),
            "Identify primary and secondary sources of data relevant to a question.",
            "DL.1.1",
            ("Data sources",),
            (collect,),
            (),
        ),
        (
            item("8d8b1d44-2ef9-4ca8-ad38-81ad27948a70", EDU),
            "Record observations in a table with labelled columns and consistent units.",
            "DL.1.2",
            (),
            (collect,),
            (
                "https://case.example-state.gov/ims/case/v1p0/CFItems/"
                "8b2b1f00-ce8e-4d90-bf34-f9febd6948c8",
            ),
        ),
        (analyse, "Analyse and interpret data", "DL.2", ("Data Analysis",), (), ()),
        # No uri: the provider's address is derived from the CFDocument's.
        (
            item("512375dc-83b1-4f53-b39e-afa7d4e4a5fb", EDU),
            "Compute the mean, median and range of a small data set and explain which best "
            "describes it.",
            "DL.2.1",
            (),
            (analyse,),
            (),
        ),
        (
            item("d6eabfc9-4448-4426-bb2b-3f0ad02b04fa", EDU),
            "Teacher notes",
            None,
            (),
            (analyse,),
            (),
        ),
    ]
    assert {s.framework for s in result.skills} == {"Data Literacy Competencies for Adult Learners"}
    long = result.skills[2]
    assert long.description is not None and long.description.endswith("charts are drawn.")
    assert result.skills[4].uri is None
    assert result.warnings == [
        f"{EDU_PACKAGE}: 1 exactMatchOf association(s) point to a node without an http(s) or urn "
        "URI; not linked",
        f"{EDU_PACKAGE}: skipped CFItem 34be6f69-dc5a-4d1c-a8e1-9eb7ab8aedd1: it has no statement",
    ]


def test_document_listing_points_to_each_package() -> None:
    url = f"{EDU}/CFDocuments"
    result = parse_text(own("cfdocuments-listing.json"), url)
    assert result.skills == []
    assert result.next_pages == [
        EDU_PACKAGE,
        f"{EDU}/CFPackages/b7f90cac-f17e-4e51-88d6-18ab896d510b",
    ]
    assert result.warnings == [
        f"{url}: CFDocument 'Workplace Communication (retired)' gives no package address"
    ]


def test_single_cf_document_points_to_its_package() -> None:
    cf_document = json.loads(real("case-cfpackage-smarterbalanced-1.json"))["CFDocument"]
    result = parse_text(json.dumps(cf_document), f"{SBAC}/CFDocuments/x")
    assert (result.skills, result.next_pages) == ([], [SBAC_PACKAGE])


def test_empty_listing_warns() -> None:
    result = parse_text('{"CFDocuments": []}', f"{EDU}/CFDocuments")
    assert (result.next_pages, result.warnings) == (
        [],
        [f"{EDU}/CFDocuments: the CFDocuments listing is empty"],
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Explain revenue\nmanagement.", "Explain revenue management."),
        ("<p>Use <em>evidence</em>.</p>", "Use evidence."),
        ("- **Choose** two \\#details", "Choose two #details"),
        ("NA", "NA"),
        ("   ", None),
        (None, None),
        (
            "A first sentence of a standard, long enough to name the whole item. " + "more " * 40,
            "A first sentence of a standard, long enough to name the whole item.",
        ),
        ("Too short. " + "more " * 60, "Too short. " + ("more " * 37).strip() + "…"),
        ("word " * 60, ("word " * 39).strip() + "…"),
    ],
)
def test_statement_names(text: Any, expected: str | None) -> None:
    assert statement_name(text) == expected


# -- garbage -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        {"CFDocument": {"title": "T"}, "CFItems": "none", "CFAssociations": 5},
        {
            "CFDocument": 3,
            "CFItems": [
                1,
                None,
                {"identifier": "no-uri-no-doc"},
                {"uri": "https://x.example/CFItems/1", "fullStatement": 5},
            ],
        },
        {
            "CFItems": [
                {
                    "uri": "https://x.example/CFItems/1",
                    "fullStatement": "A",
                    "humanCodingScheme": "C" * 3000,
                }
            ]
        },
        {"CFDocuments": [7, {"title": "no address"}]},
    ],
)
def test_records_of_the_wrong_shape_become_warnings(body: Any) -> None:
    result = parse_text(json.dumps(body))
    assert result.warnings


@pytest.mark.parametrize("depth", [50, 400, 900, 3000])
def test_deep_nesting_never_escapes_as_another_exception(depth: int) -> None:
    deep = "[" * depth + '"x"' + "]" * depth
    text = (
        f'{{"CFDocument": {{"title": {deep}}}, "CFItems": [{{"uri": "{EDU}/CFItems/1", '
        f'"fullStatement": {deep}}}], "CFAssociations": [{deep}]}}'
    )
    try:
        result = parse(document(text))
    except ParseError as error:
        assert EDU_PACKAGE in str(error)
    else:
        assert len(result.skills) + len(result.warnings) >= 1


def _mutate(value: Any, rng: random.Random) -> Any:
    odd = rng.choice([None, 0, "", "x", [], {}, [None], {"uri": 3}, True, "local:1"])
    if isinstance(value, dict) and value:
        key = rng.choice(list(value))
        value[key] = odd if rng.random() < 0.3 else _mutate(value[key], rng)
    elif isinstance(value, list) and value:
        index = rng.randrange(len(value))
        value[index] = odd if rng.random() < 0.3 else _mutate(value[index], rng)
    else:
        return odd
    return value


@pytest.mark.parametrize("name", ["cfpackage-data-literacy.json", "cfdocuments-listing.json"])
def test_mutated_documents_never_raise_anything_but_parse_error(name: str) -> None:
    rng = random.Random(name)
    original = json.loads(own(name))
    for _ in range(200):
        body = copy.deepcopy(original)
        for _ in range(rng.randint(1, 4)):
            body = _mutate(body, rng)
        with contextlib.suppress(ParseError):
            parse_text(json.dumps(body))
