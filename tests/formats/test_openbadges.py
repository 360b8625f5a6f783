"""Open Badges 2.0 / 3.0 / CLR 2.0 parser: real samples, our own listings, and garbage."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from credgraph.formats.base import ParseError, ParseResult
from credgraph.formats.openbadges import parse
from credgraph.model.records import Credential, Issuer
from credgraph.model.validation import validate_credential
from credgraph.model.values import CredentialType, Credits, SkillRelation
from tests.crawlers.corpus import recorded, recorded_path
from tests.formats.damage import damaged_bodies
from tests.formats.parsing import checked_parser, documents

OWN = Path(__file__).resolve().parents[1] / "fixtures" / "openbadges"
BADGR = "https://api.badges.example.eu/public/issuers/4Tq9wK2pSx6mZbYc"
ROBOTICS = "https://example.org/robotics-badge.json"


document = documents("openbadges", "https://badges.example.org/doc.json")

parse_text = checked_parser(
    "openbadges", "https://badges.example.org/doc.json", same_provenance=False
)


def real(name: str) -> str:
    return recorded_path(name).read_text(encoding="utf-8")


def ob2_block(name: str) -> dict[str, Any]:
    block: dict[str, Any] = json.loads(real("ob2-issuer-assertion-revocation-spec-1.json"))[name]
    return block


def only(result: ParseResult) -> Credential:
    assert len(result.credentials) == 1
    return result.credentials[0]


def skill_ids(credential: Credential) -> list[str]:
    return [link.skill.id for link in credential.skills]


def occupation_ids(credential: Credential) -> list[str]:
    return [link.occupation.id for link in credential.occupations]


# -- real samples -----------------------------------------------------------------------------
def test_ob2_badgeclass_with_issuer_url_asks_for_the_issuer() -> None:
    result = parse_text(real("ob2-badgeclass-spec-1.json"), ROBOTICS)
    badge = only(result)
    assert badge.id == "https://example.org/robotics-badge.json"
    assert badge.name == "Awesome Robotics Badge"
    assert badge.type is CredentialType.BADGE
    assert badge.description == (
        "For doing awesome things with robots that people think is pretty great."
    )
    assert badge.criteria == "https://example.org/robotics-badge.html"
    assert badge.keywords == ("robots", "awesome")
    assert badge.issuer is None
    assert result.needs == ["https://example.org/organization.json"]
    assert skill_ids(badge) == [
        "http://www.corestandards.org/ELA-Literacy/RST/11-12/3",
        "label:problem-solving",
    ]
    ccss, mozilla = (link.skill for link in badge.skills)
    assert (ccss.name, ccss.code, ccss.framework) == (
        "CCSS.ELA-Literacy.RST.11-12.3",
        "CCSS.ELA-Literacy.RST.11-12.3",
        None,
    )
    assert ccss.description is not None and ccss.description.startswith("Follow precisely")
    assert (mozilla.name, mozilla.framework, mozilla.uri) == (
        "Problem-Solving",
        "Mozilla 21st Century Skills",
        "https://learning.mozilla.org/en-US/web-literacy/skills#problem-solving",
    )
    assert all(
        link.relation is SkillRelation.TEACHES and link.method == "issuer-alignment"
        for link in badge.skills
    )
    assert badge.occupations == ()
    assert result.warnings == [] and result.next_pages == []


def test_ob2_badgeclass_uses_the_fetched_issuer_profile() -> None:
    issuer_url = "https://example.org/organization.json"
    result = parse_text(
        real("ob2-badgeclass-spec-1.json"),
        ROBOTICS,
        linked={issuer_url: ob2_block("Issuer_Profile")},
    )
    issuer = only(result).issuer
    assert issuer is not None
    assert (issuer.id, issuer.name, issuer.url, issuer.email) == (
        issuer_url,
        "An Example Badge Issuer",
        "https://example.org",
        "contact@example.org",
    )
    assert issuer.provenance is not None and issuer.provenance.url == issuer_url
    assert result.issuers == [issuer]
    assert result.needs == [] and result.warnings == []


def test_ob2_badgeclass_whose_issuer_fetch_failed_is_named_after_the_host() -> None:
    issuer_url = "https://example.org/organization.json"
    result = parse_text(real("ob2-badgeclass-spec-1.json"), ROBOTICS, linked={issuer_url: None})
    issuer = only(result).issuer
    assert issuer == Issuer(id=issuer_url, name="example.org", provenance=issuer.provenance)
    assert result.issuers == [] and result.needs == []
    assert len(result.warnings) == 1
    assert issuer_url in result.warnings[0] and "could not be fetched" in result.warnings[0]


def test_ob2_issuer_profile_document() -> None:
    result = parse_text(
        json.dumps(ob2_block("Issuer_Profile")), "https://example.org/organization.json"
    )
    assert result.credentials == []
    assert [(i.id, i.name, i.url, i.email) for i in result.issuers] == [
        (
            "https://example.org/organization.json",
            "An Example Badge Issuer",
            "https://example.org",
            "contact@example.org",
        )
    ]


def test_ob2_hosted_assertion_catalogues_its_badge_class() -> None:
    text = json.dumps(ob2_block("Assertion_hosted"))
    url = "https://example.org/beths-robotics-badge.json"
    first = parse_text(text, url)
    assert first.credentials == []
    assert first.needs == ["https://example.org/robotics-badge.json"]
    badge_json = json.loads(real("ob2-badgeclass-spec-1.json"))
    second = parse_text(
        text,
        url,
        linked={
            "https://example.org/robotics-badge.json": badge_json,
            "https://example.org/organization.json": ob2_block("Issuer_Profile"),
        },
    )
    badge = only(second)
    assert (badge.id, badge.name) == (
        "https://example.org/robotics-badge.json",
        "Awesome Robotics Badge",
    )
    assert badge.issuer is not None and badge.issuer.name == "An Example Badge Issuer"
    assert badge.provenance is not None
    assert badge.provenance.url == "https://example.org/robotics-badge.json"
    assert second.needs == []


def test_ob2_combined_spec_examples_are_not_one_document() -> None:
    with pytest.raises(ParseError) as error:
        parse(document(real("ob2-issuer-assertion-revocation-spec-1.json"), "https://x.test/a"))
    assert "https://x.test/a" in str(error.value)


def test_ob3_full_credential_yields_the_achievement_definition() -> None:
    result = parse_text(real("ob3-openbadgecredential-full-1.json"))
    degree = only(result)
    assert degree.id == "https://1edtech.edu/achievements/degree"
    assert degree.name == "1EdTech University Degree"
    assert degree.type is CredentialType.DEGREE
    assert degree.description == "1EdTech University Degree Description"
    assert degree.credits == Credits(36.0, "credit hours")
    assert degree.criteria == "# Degree Requirements\nStudents must complete..."
    assert degree.keywords == ("research", "computer science", "Computer Science Research", "R1")
    assert degree.assessment == (
        "Final Project Grade (LetterGrade); Final Project Grade "
        "(RubricCriterionLevel); Project Status (Status)"
    )
    assert degree.issuer is not None
    assert (
        degree.issuer.id,
        degree.issuer.name,
        degree.issuer.url,
        degree.issuer.country,
        degree.issuer.email,
    ) == (
        "https://1edtech.edu/issuers/565049",
        "1EdTech University",
        "https://1edtech.edu",
        "US",
        "registrar@1edtech.edu",
    )
    assert skill_ids(degree) == [
        "https://1edtech.edu/catalog/degree",
        "https://credentialengineregistry.org/resources/ce-98cb027b-95ef-4494-908d-6f7790ec6b6b",
    ]
    assert {link.skill.framework for link in degree.skills} == {
        "1EdTech University Program and Course Catalog"
    }
    assert degree.occupations == () and degree.language is None
    assert result.warnings == [] and result.needs == []


def test_ob3_eu_micro_credential_extension_fields() -> None:
    micro = only(parse_text(real("ob3-openbadgecredential-eu-microcredential-edubadges-1.json")))
    assert micro.id == "https://example.com/achievements/ach-876543"
    assert micro.name == "Microcredential Basisomzetting Kat naar Koffiezetapparaat"
    assert micro.type is CredentialType.MICRO_CREDENTIAL
    assert micro.language == "nl-NL"
    assert micro.credits == Credits(3.0, "ECTS")
    assert micro.level == "EQF level 4"
    assert micro.delivery_mode == "onsite or blended"
    assert micro.assessment == (
        "testing; supervision: onsite with identity verification; identity checked"
    )
    assert [(a.id, a.name, a.url) for a in micro.accredited_by] == [
        (
            "https://data.example.com/decisions/AV-7381",
            "Accreditatie van de opleiding door de Wijze Raad van de Magiërs",
            "https://data.example.com/decisions/AV-7381",
        )
    ]
    assert micro.issuer is not None
    assert (micro.issuer.name, micro.issuer.country) == ("Universiteit van Harderwijk", "NL")
    assert micro.skills == () and micro.occupations == ()


def test_ob3_alignment_to_another_credential_is_not_a_skill() -> None:
    result = parse_text(real("ob3-openbadgecredential-ctdl-alignment-1.json"))
    text_analysis = only(result)
    assert (text_analysis.id, text_analysis.name, text_analysis.type) == (
        "https://1edtech.edu/achievements/1",
        "Text analysis",
        CredentialType.BADGE,
    )
    assert text_analysis.skills == () and text_analysis.occupations == ()
    assert text_analysis.issuer is not None
    assert text_analysis.issuer.name == "Example University"
    assert text_analysis.criteria is not None
    assert text_analysis.criteria.startswith("Cite strong and thorough textual evidence")


def test_ob3_competency_alignment_keys_on_the_registry_resource() -> None:
    linear = only(parse_text(real("ob3-openbadgecredential-skill-ctdl-competency-1.json")))
    assert linear.name == "Linear equations and inequalities"
    assert linear.type is CredentialType.BADGE
    # The achievement's creator, not the credential's issuer, defined it.
    assert linear.issuer is not None
    assert (linear.issuer.name, linear.issuer.email) == (
        "Example Industry Group",
        "info@exammple.com",
    )
    (link,) = linear.skills
    assert link.skill.id == (
        "https://credentialengineregistry.org/resources/ce-6369c51f-4d86-4592-a761-8b32ae70a045"
    )
    assert link.skill.code == "ce-6369c51f-4d86-4592-a761-8b32ae70a045"
    assert link.skill.name == "Solve and graph linear equations and inequalities"
    assert link.skill.framework == "Ivy Tech Community College of Indiana, MATH 135, FINITE MATH"


def test_ob3_signed_credential() -> None:
    teamwork = only(parse_text(real("ob3-openbadgecredential-signed-eddsa-rdfc-2022-1.json")))
    assert teamwork.id == "https://example.com/achievements/21st-century-skills/teamwork"
    assert teamwork.name == "Teamwork"
    assert teamwork.issuer is not None
    assert (teamwork.issuer.id, teamwork.issuer.name, teamwork.issuer.url) == (
        "https://example.edu/issuers/565049",
        "Example Corp",
        "https://www.imsglobal.org",
    )


def test_clr2_yields_each_achievement_once_with_parent_and_child() -> None:
    result = parse_text(real("clr2-clrcredential-signed-1.json"))
    first, second = result.credentials
    assert (first.id, first.name) == (
        "urn:uuid:a7467ef6-56cb-11ec-bf63-0242ac130002",
        "Achievement 1",
    )
    assert (second.id, second.name) == (
        "urn:uuid:dd887f0a-56cb-11ec-bf63-0242ac130002",
        "Achievement 2",
    )
    assert first.has_part == (second.id,) and second.part_of == (first.id,)
    assert first.issuer is not None and first.issuer.name == "Example University"
    assert first.criteria == (
        "https://example.edu/achievements/a7467ef6-56cb-11ec-bf63-0242ac130002/criteria"
    )
    assert first.url is None
    assert result.warnings == []  # the same achievement embedded twice is no duplicate


# -- our own listings -------------------------------------------------------------------------
def test_badgr_listing_page_with_issuer_url_alignments_and_bad_records() -> None:
    text = (OWN / "badgr-issuer-badges-page-1.json").read_text(encoding="utf-8")
    result = parse_text(text, BADGR + "/badges")
    assert [c.name for c in result.credentials] == [
        "Cloud Security Fundamentals",
        "Barrierefreies Webdesign",
        "Datenanalyse mit Python – Grundlagen",
    ]
    cloud, webdesign, python = result.credentials
    assert result.next_pages == [BADGR + "/badges?page=2"]
    assert result.needs == [BADGR]
    assert cloud.issuer is None and python.issuer is None

    assert python.description == (
        "Teilnehmende lernen pandas & NumPy kennen.\nDaten bereinigen\nErgebnisse visualisieren"
    )
    assert python.keywords == ("Python", "Datenanalyse")
    assert python.criteria == "Abschlussprojekt mit einem öffentlichen Datensatz einreichen."
    assert skill_ids(python) == [
        "http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d",
        "onet:2.A.2.a",
    ]
    assert [link.skill.framework for link in python.skills] == ["ESCO", "O*NET"]
    (data_scientists,) = (link.occupation for link in python.occupations)
    assert (
        data_scientists.id,
        data_scientists.name,
        data_scientists.code,
        data_scientists.framework,
    ) == ("onet:15-2051.00", "Data Scientists", "15-2051.00", "O*NET-SOC")

    assert cloud.type is CredentialType.CERTIFICATE
    assert occupation_ids(cloud) == [
        "http://data.europa.eu/esco/occupation/2fd5d6b4-26c2-4d02-a4c4-b4c25a4e5c0d",
        "isco:2529",
        "onet:15-1212.00",
    ]
    assert [link.occupation.framework for link in cloud.occupations] == [
        "ESCO",
        "ISCO-08",
        "O*NET-SOC",
    ]
    assert skill_ids(cloud) == ["label:problem-solving"]

    assert webdesign.issuer is not None
    assert (webdesign.issuer.id, webdesign.issuer.name, webdesign.issuer.email) == (
        "https://api.badges.example.eu/public/issuers/Wb5cN1kLm8Qz",
        "Zentrum für digitale Teilhabe",
        "badges@teilhabe.example.de",
    )

    assert len(result.warnings) == 4
    alignment, nameless, not_object, duplicate = result.warnings
    assert "Zq81LmPw0xYt" in alignment and "alignment #4" in alignment
    assert "record #2" in nameless and "nameless0001" in nameless and "name" in nameless
    assert "record #3" in not_object
    assert "duplicate id" in duplicate and "Kd7f3QmZRn2w" in duplicate
    assert all(w.startswith(BADGR + "/badges: ") for w in result.warnings)


def test_badgr_listing_second_pass_with_the_fetched_issuer() -> None:
    text = (OWN / "badgr-issuer-badges-page-1.json").read_text(encoding="utf-8")
    profile = json.loads((OWN / "issuer-4Tq9wK2pSx6mZbYc.json").read_text(encoding="utf-8"))
    result = parse_text(text, BADGR + "/badges", linked={BADGR: profile})
    assert result.needs == []
    (issuer,) = result.issuers
    assert (issuer.id, issuer.name, issuer.url, issuer.email, issuer.description) == (
        BADGR,
        "Hochschule für Angewandte Datenkunde Köln",
        "https://datenkunde.example.de",
        "badges@datenkunde.example.de",
        "Weiterbildung in Datenanalyse & KI.",
    )
    by_name = {c.name: c for c in result.credentials}
    assert by_name["Cloud Security Fundamentals"].issuer == issuer
    assert by_name["Datenanalyse mit Python – Grundlagen"].issuer == issuer
    assert by_name["Barrierefreies Webdesign"].issuer != issuer


def test_ob3_achievement_listing_with_eu_fields_and_unfetchable_creator() -> None:
    text = (OWN / "ob3-achievements-page-2.json").read_text(encoding="utf-8")
    url = "https://badges.universite-exemple.fr/api/achievements?page=2"
    first = parse_text(text, url)
    assert first.needs == ["https://badges.universite-exemple.fr/profiles/univ"]
    assert first.next_pages == ["https://badges.universite-exemple.fr/api/achievements?page=3"]

    creator = "https://badges.universite-exemple.fr/profiles/univ"
    result = parse_text(text, url, linked={creator: None})
    micro, welding = result.credentials
    assert micro.name == "Microcertification « IA responsable »"
    assert micro.type is CredentialType.MICRO_CREDENTIAL
    assert micro.credits == Credits(5.0, "ECTS")  # ECTS wins over creditsAvailable
    assert (micro.level, micro.delivery_mode, micro.assessment, micro.language) == (
        "EQF level 6",
        "online",
        "portfolio",
        "fr",
    )
    assert micro.keywords == ("IA", "éthique", "Informatique", "MC-IA-01")
    assert [(a.name, a.description) for a in micro.accredited_by] == [
        ("Accréditation Hcéres de la formation", "Master Informatique — HC-2024-117")
    ]
    assert skill_ids(micro) == [
        "http://data.europa.eu/esco/skill/6f4c2c8e-2e7d-4b43-9a44-7b8a3a0f51c2"
    ]
    assert micro.issuer is not None
    assert (micro.issuer.id, micro.issuer.name) == (
        "https://badges.universite-exemple.fr/profiles/univ",
        "badges.universite-exemple.fr",
    )
    assert len(result.warnings) == 1 and "profiles/univ" in result.warnings[0]

    assert welding.issuer is not None
    assert (welding.issuer.name, welding.issuer.country) == ("IUT Exemple", "FR")
    assert occupation_ids(welding) == ["label:welders, cutters, solderers, and brazers"]
    assert welding.skills == ()  # the ceterms:Credential alignment is not a skill


def test_bare_array_resolves_issuers_listed_beside_their_badges() -> None:
    text = (OWN / "bare-array.json").read_text(encoding="utf-8")
    result = parse_text(text, "https://openbadges.example.org/export.json")
    (makerspace,) = result.issuers
    assert (makerspace.id, makerspace.name) == (
        "https://openbadges.example.org/issuers/makerspace",
        "Makerspace Nord",
    )
    laser, printing = result.credentials
    assert laser.description == "Safe operation of the CO₂ laser cutter & extraction > 30 W."
    assert printing.name == "3D-Druck 🖨️ Einführung"
    assert laser.issuer == makerspace and printing.issuer == makerspace
    assert result.needs == []
    assert len(result.warnings) == 2
    assert "anonymous" in result.warnings[0] and "widgets/1" in result.warnings[1]


@pytest.mark.parametrize(
    "body, expected",
    [
        ({"items": [], "next": "?page=2"}, ["https://badges.example.org/list?page=2"]),
        (
            {"badges": [], "links": {"next": {"href": "/list?page=3"}}},
            ["https://badges.example.org/list?page=3"],
        ),
        ({"achievements": [], "pagination": {"next": None}}, []),
        (
            {"result": [], "next": "https://other.example.org/list?page=2"},
            ["https://other.example.org/list?page=2"],
        ),
    ],
)
def test_next_page_links_in_the_body(body: dict[str, Any], expected: list[str]) -> None:
    assert parse_text(json.dumps(body), "https://badges.example.org/list").next_pages == expected


def test_next_page_pointing_at_itself_is_not_followed() -> None:
    body = {"data": [], "next": "/list"}
    result = parse_text(json.dumps(body), "https://badges.example.org/list")
    assert result.next_pages == [] and "not followed" in result.warnings[0]


def test_badgr_v2_api_items_use_open_badge_ids() -> None:
    body = {
        "status": {"success": True},
        "result": [
            {
                "entityId": "Hx1",
                "openBadgeId": "https://api.badgr.io/public/badges/Hx1",
                "name": "Sicherheitsunterweisung",
                "criteriaNarrative": "Teilnahme an der Unterweisung.",
                "issuer": "Is9",
                "issuerOpenBadgeId": "https://api.badgr.io/public/issuers/Is9",
                "alignments": [
                    {
                        "targetName": "Arbeitsschutz",
                        "targetFramework": "intern",
                        "targetCode": "AS-1",
                    }
                ],
                "tags": ["Sicherheit"],
            }
        ],
    }
    result = parse_text(json.dumps(body), "https://api.badgr.io/v2/issuers/Is9/badgeclasses")
    badge = only(result)
    assert (badge.id, badge.criteria, badge.keywords) == (
        "https://api.badgr.io/public/badges/Hx1",
        "Teilnahme an der Unterweisung.",
        ("Sicherheit",),
    )
    assert skill_ids(badge) == ["intern:AS-1"]
    assert result.needs == ["https://api.badgr.io/public/issuers/Is9"]


# -- garbage ----------------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [50, 400, 900, 3000])
def test_deep_nesting_inside_records_never_escapes_as_another_exception(depth: int) -> None:
    deep = "[" * depth + '"x"' + "]" * depth
    text = (
        '{"result": [{"type": "BadgeClass", "id": "https://b.example.org/1", "name": '
        + deep
        + ', "alignment": '
        + deep
        + "}]}"
    )
    try:
        result = parse(document(text))
    except ParseError as error:
        assert "https://badges.example.org/doc.json" in str(error)
    else:
        assert len(result.credentials) + len(result.warnings) >= 1


@pytest.mark.parametrize(
    "body",
    [
        {"data": [1, "two", None, []]},
        {
            "result": [
                {
                    "type": "BadgeClass",
                    "id": 7,
                    "name": {"nested": ["x"]},
                    "issuer": 3,
                    "alignment": "nope",
                    "criteria": 5,
                    "tags": {"a": 1},
                }
            ]
        },
        {"result": [{"type": "Achievement", "name": "No id in a listing"}]},
        {"type": ["VerifiableCredential", "OpenBadgeCredential"], "credentialSubject": "none"},
    ],
)
def test_records_of_the_wrong_shape_become_warnings(body: Any) -> None:
    result = parse_text(json.dumps(body))
    assert result.warnings


# -- random damage ----------------------------------------------------------------------------
SAMPLES = sorted(
    [
        *(r.path for r in recorded() if r.name.startswith(("ob3-", "clr2-"))),
        recorded_path("ob2-badgeclass-spec-1.json"),
        *OWN.glob("*.json"),
    ]
)


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_randomly_damaged_samples_give_valid_records_or_a_parse_error(path: Path) -> None:
    for text in damaged_bodies(path):
        try:
            result = parse(document(text))
        except ParseError:
            continue
        for credential in result.credentials:
            assert validate_credential(credential) == []


def test_alignment_codes_that_compare_equal_stay_distinct_across_records() -> None:
    # Alignment targets are read once per distinct value: 1, True and 1.0 compare (and hash)
    # equal in Python, but each is read as published.
    def badge(n: int, code: object) -> dict[str, Any]:
        return {
            "type": "BadgeClass",
            "id": f"https://badges.example.org/b/{n}",
            "name": f"Badge {n}",
            "criteria": {"narrative": "Pass."},
            "alignment": [
                {"targetName": "Welding", "targetFramework": "Trades", "targetCode": code}
            ],
        }

    for _ in range(2):  # the second page meets the targets the first one read
        result = parse_text(json.dumps({"badges": [badge(1, 1), badge(2, True), badge(3, 1.0)]}))
        codes = {
            c.id.rsplit("/", 1)[-1]: [s.skill.code for s in c.skills] for c in result.credentials
        }
        assert codes == {"1": ["1"], "2": ["True"], "3": [None]}  # a float is no code
