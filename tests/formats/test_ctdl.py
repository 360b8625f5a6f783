"""CTDL / CTDL-ASN parser: real registry samples, our own listings and graphs, and garbage."""

from __future__ import annotations

import contextlib
import copy
import json
import random
from pathlib import Path
from typing import Any

import pytest

from credgraph.formats.base import ParseError, ParseResult
from credgraph.formats.ctdl import parse
from credgraph.model.records import Credential
from credgraph.model.values import CredentialType, Credits, Duration, Money, SkillRelation
from tests.crawlers.corpus import recorded_path
from tests.formats.parsing import checked_parser, documents

OWN = Path(__file__).resolve().parents[1] / "fixtures" / "ctdl"
REGISTRY = "https://credentialengineregistry.org"
SANDBOX = "https://sandbox.credentialengineregistry.org"
WGU = f"{REGISTRY}/resources/ce-036d082d-d80e-41a7-99a0-2d63a4ad3a4a"
EXAMPLES = "https://credentialengine.github.io/credential-registry-ingest-examples"
EXAMPLE_ORG = f"{EXAMPLES}/Organization/1/Organization-1.json"
LAKESHORE = f"{SANDBOX}/resources/ce-8fe3838c-c11b-4758-9c36-e2c5a9fecf23"


document = documents("ctdl", f"{REGISTRY}/doc")

parse_text = checked_parser("ctdl", f"{REGISTRY}/doc")


def real(name: str) -> str:
    return recorded_path(name).read_text(encoding="utf-8")


def own(name: str) -> str:
    return (OWN / name).read_text(encoding="utf-8")


def only(result: ParseResult) -> Credential:
    assert len(result.credentials) == 1
    return result.credentials[0]


def occupations(credential: Credential) -> list[tuple[str, str, str | None]]:
    return [(o.occupation.id, o.occupation.name, o.method) for o in credential.occupations]


# -- real registry resources -------------------------------------------------------------------
BSCS = f"{REGISTRY}/resources/ce-8f5a2e25-7a30-4eb0-ab9e-ab441ac928c6"
BSCS_GRAPH = f"{REGISTRY}/graph/ce-8f5a2e25-7a30-4eb0-ab9e-ab441ac928c6"


def test_bachelor_degree_resource_first_pass() -> None:
    result = parse_text(real("ctdl-bachelordegree-resource-1.json"), BSCS)
    c = only(result)
    source = json.loads(real("ctdl-bachelordegree-resource-1.json"))
    assert (c.id, c.ctid, c.type) == ("ce-8f5a2e25-7a30-4eb0-ab9e-ab441ac928c6",) * 2 + (
        CredentialType.DEGREE,
    )
    assert c.name == "Bachelor of Science, Computer Science (BSCS_202412)"
    assert c.description is not None
    assert c.description.startswith("Earn your bachelor's degree in computer science from WGU")
    assert "earn multiple industry-recognized" in c.description
    assert c.url == "https://www.wgu.edu/online-it-degrees/bachelors-programs.html#_"
    assert (c.language, c.cost, c.credits) == ("en", None, None)
    # "P4Y" as published, and four full-time academic years of study (60 ECTS x 25-30 h each)
    assert c.duration == Duration("P4Y", "P4Y", 6000.0, 7200.0)
    assert c.duration_hours == 7200.0
    assert c.level == "Bachelors Degree Level, Undergraduate Level"
    assert (c.delivery_mode, c.assessment) == ("Online Only", "Online Only")
    assert c.has_part == (
        "ce-775cb611-f56d-4eca-99fb-13ed9ddda230",
        "ce-7cd1875a-468a-44b2-b855-96253c9a77ce",
        "ce-6f398fb0-b15c-41f1-847e-5e75142a7fa8",
    )
    assert len(c.requires) == 37
    assert c.requires[0] == "ce-7e4381c5-9a54-4701-a853-b7a76d04d151"
    assert c.requires[-1] == "ce-6aa509f8-39ea-45ae-b0d3-819247cc398c"
    assert c.prerequisites == (
        "The learner must have satisfied the indicated learning "
        "opportunities, or an approved equivalent, in order to be awarded "
        "the credential."
    )
    assert c.keywords == (
        *source["ceterms:keyword"]["en-US"],
        "Professional, Scientific, and Technical Services",
        "NAICS 54",
        "CIP 11.0701",
    )
    assert occupations(c) == [("onet:15-1131.00", "Computer Programmers", "ctdl:occupationType")]
    occupation = c.occupations[0].occupation
    assert (occupation.code, occupation.framework) == ("15-1131.00", "O*NET-SOC")
    assert (c.issuer, c.accredited_by, c.skills) == (None, (), ())
    # The owner is only a URI and accreditedBy a blank node: both need another document.
    assert result.needs == [WGU, BSCS_GRAPH]
    assert (result.issuers, result.skills, result.warnings, result.next_pages) == ([], [], [], [])


def test_bachelor_degree_resource_with_the_fetched_owner_and_graph() -> None:
    resource = json.loads(real("ctdl-bachelordegree-resource-1.json"))
    owner = {
        "@id": WGU,
        "@type": "ceterms:CredentialOrganization",
        "ceterms:ctid": "ce-036d082d-d80e-41a7-99a0-2d63a4ad3a4a",
        "ceterms:name": {"en-US": "Western Governors University"},
        "ceterms:subjectWebpage": "https://www.wgu.edu",
    }
    graph = {
        "@id": BSCS_GRAPH,
        "@graph": [
            resource,
            {
                "@id": "_:28bf0ac0-4cf0-a92f-b4bb-0c081de00ac8",
                "@type": "ceterms:QACredentialOrganization",
                "ceterms:name": {"en-US": "Northwest Commission on Colleges and Universities"},
            },
        ],
    }
    result = parse_text(
        real("ctdl-bachelordegree-resource-1.json"), BSCS, {WGU: owner, BSCS_GRAPH: graph}
    )
    c = only(result)
    assert c.issuer is not None
    assert (c.issuer.id, c.issuer.name, c.issuer.url) == (
        "ce-036d082d-d80e-41a7-99a0-2d63a4ad3a4a",
        "Western Governors University",
        "https://www.wgu.edu",
    )
    assert [(a.id, a.name) for a in c.accredited_by] == [
        (
            "issuer:northwest commission on colleges and universities",
            "Northwest Commission on Colleges and Universities",
        )
    ]
    assert [i.name for i in result.issuers] == [
        "Western Governors University",
        "Northwest Commission on Colleges and Universities",
    ]
    assert (result.needs, result.warnings) == ([], [])


def test_bachelor_degree_resource_whose_fetches_failed() -> None:
    result = parse_text(
        real("ctdl-bachelordegree-resource-1.json"), BSCS, {WGU: None, BSCS_GRAPH: None}
    )
    c = only(result)
    assert c.issuer is not None
    assert (c.issuer.id, c.issuer.name, c.issuer.ctid) == (
        ("ce-036d082d-d80e-41a7-99a0-2d63a4ad3a4a",) * 3
    )
    assert c.accredited_by == ()
    assert result.needs == [] and result.issuers == []  # a placeholder is never an issuer record
    assert result.warnings == [
        f"{BSCS}: organisation {WGU} could not be fetched; issuer named by its CTID",
        f"{BSCS}: 1 blank node(s) unresolved (_:28bf0ac0-4cf0-a92f-b4bb-0c081de00ac8...): "
        f"{BSCS_GRAPH} could not be fetched",
    ]


def test_open_badge_resource_and_its_occupations_from_the_graph() -> None:
    url = f"{REGISTRY}/resources/ce-727764d7-b909-4e5c-b26a-c4d0fced2159"
    graph_url = f"{REGISTRY}/graph/ce-727764d7-b909-4e5c-b26a-c4d0fced2159"
    first = parse_text(real("ctdl-openbadge-resource-1.json"), url)
    c = only(first)
    assert (c.id, c.type, c.name) == (
        "ce-727764d7-b909-4e5c-b26a-c4d0fced2159",
        CredentialType.BADGE,
        "WGU Certificate: AWS Cloud DevOps v1.1",
    )
    assert c.url == "https://api.badgr.io/public/badges/a9STuosRQuOqLKKKYhB9dQ"
    assert c.language == "en-US"
    assert c.level == "Post-Secondary Level, Masters Degree Level, Graduate Level"
    assert c.requires == (
        "ce-eac490a3-3f15-4314-88d1-4978bb060400",
        "ce-f57f62a1-90e9-44b2-b2ca-f096fd156159",
        "ce-68e125cb-6c77-41ab-a989-6bf987637a8c",
        "ce-40e350e6-5888-4c88-9380-cbd9b331d908",
    )
    assert c.prerequisites is not None
    assert c.prerequisites.startswith("Open Badges Criteria: Credential Detail\nRecipients of WGU")
    assert "\nWGU Certificate: AWS Cloud DevOps v1.1: The indicated courses" in c.prerequisites
    assert c.occupations == () and first.needs == [WGU, graph_url]

    resource = json.loads(real("ctdl-openbadge-resource-1.json"))
    occupation = {
        "@id": "_:d746c82f-d341-b015-9493-2bb8e2f1bd35",
        "@type": "ceterms:Occupation",
        "ceterms:name": {"en-US": "Software Developers"},
        "ceterms:occupationType": [
            {
                "@type": "ceterms:CredentialAlignmentObject",
                "ceterms:codedNotation": "15-1252.00",
                "ceterms:targetNodeName": {"en-US": "Software Developers"},
            }
        ],
    }
    second = parse_text(
        real("ctdl-openbadge-resource-1.json"),
        url,
        {WGU: None, graph_url: {"@graph": [resource, occupation]}},
    )
    assert occupations(only(second)) == [
        ("onet:15-1252.00", "Software Developers", "ctdl:isPreparationFor")
    ]
    assert second.needs == []
    assert second.warnings[-1] == (
        f"{url}: 4 blank node(s) unresolved (_:d927f05a-2bfb-9e47-49d5-3e9d94b14d99...): they "
        "are not in the document"
    )


def test_self_published_learning_program_graph() -> None:
    result = parse_text(real("ctdl-learningprogram-selfpublished-graph-1.json"))
    program, a, b, c = result.credentials
    assert [x.type for x in result.credentials] == [CredentialType.COURSE] * 4
    assert [(x.id, x.name) for x in result.credentials] == [
        ("ce-23b0e606-545c-4383-8630-f97ec3b190fa", "Lifelong Learning Accelerator"),
        ("ce-7160aae4-5185-4564-95ab-428419974643", "Personal Growth Mastery"),
        ("ce-3c5e4bbc-40c3-44eb-90c2-3f27d98d88f1", "Digital Skills Revolution"),
        ("ce-991d72b1-c0fd-4d98-8294-6c47bc3a2122", "Leadership and Innovation Excellence"),
    ]
    # "US Dollar" is read as USD; the program's AggregateCost is its total.
    assert [x.cost for x in result.credentials] == [
        Money(4485.0, "USD"),
        Money(995.0, "USD"),
        Money(1495.0, "USD"),
        Money(1995.0, "USD"),
    ]
    assert program.has_part == (a.id, b.id, c.id)
    assert (a.requires, b.requires, c.requires) == ((), (a.id,), (a.id, b.id))
    # P9M: nine months of full-time study, 125-150 hours each (formats.durations)
    assert program.duration == Duration("P9M", "P9M", 1125.0, 1350.0)
    assert program.duration_hours == 1350.0
    assert (program.delivery_mode, a.delivery_mode) == ("Blended Delivery", "Online Only")
    assert (program.level, a.level) == ("Secondary School or Equivalent", "Beginner Level")
    assert (program.language, a.language) == ("en-US", "en")
    assert program.prerequisites == (
        "Program Prerequisite Conditions: Anyone who is a high school "
        "graduate or anyone age 18 or older can enroll."
    )
    assert b.prerequisites == (
        "Introduction to Immersive Media A: Prerequisite: Prerequisite: Successful completion of "
        "Intro to Software Development & Version Control.\nHigh-school level of mathematics "
        "knowledge\nBasic familiarity with computers and the internet"
    )
    assert occupations(program) == [
        ("label:data analyst", "Data Analyst", "ctdl:occupationType"),
        ("label:life coach", "Life Coach", "ctdl:occupationType"),
        (
            "label:digital marketing specialist",
            "Digital Marketing Specialist",
            "ctdl:occupationType",
        ),
        ("label:innovation manager", "Innovation Manager", "ctdl:occupationType"),
    ]
    assert [o[0] for o in occupations(a)] == ["onet:15-1131.00", "onet:15-1251.00"]
    assert all(x.issuer is None for x in result.credentials)
    assert result.needs == [EXAMPLE_ORG]
    assert (result.issuers, result.skills, result.warnings) == ([], [], [])


def test_self_published_degree_graph_with_a_blank_node_qa_body() -> None:
    result = parse_text(real("ctdl-bachelordegree-selfpublished-graph-qa-1.json"))
    c = only(result)
    assert (c.id, c.type) == ("ce-8669d5c6-566b-4409-9fff-f09753605d13", CredentialType.DEGREE)
    assert c.name == "Bachelor of Science in Cybersecurity"
    qa = (
        "issuer:example town cyber security jobs center",
        "Example Town Cyber Security Jobs Center",
        "https://example.com/#cybersecurityjobscenter",
    )
    assert [(i.id, i.name, i.url) for i in c.accredited_by] == [qa]
    assert [(i.id, i.name, i.url) for i in result.issuers] == [qa]
    assert c.requires == (f"{EXAMPLES}/LearningProgram/2/LearningProgram-2.json",)
    assert c.prerequisites is not None and c.prerequisites.startswith("Curriculum: The online")
    assert (c.level, c.language, c.url) == (
        "Bachelors Degree Level",
        "en",
        "https://example.com/#bachelordegree",
    )
    assert result.needs == [EXAMPLE_ORG] and result.warnings == []


# -- real CTDL-ASN frameworks ------------------------------------------------------------------
def test_competency_framework_envelope() -> None:
    result = parse_text(real("ctdlasn-competencyframework-envelope-1.json"))
    assert (len(result.skills), result.credentials, result.issuers) == (13, [], [])
    assert {s.framework for s in result.skills} == {"HOSP 229, Revenue Management"}
    first, second = result.skills[:2]
    assert first.id == f"{REGISTRY}/resources/ce-c4188d32-a8dc-467a-aa42-abbfcb1f4b89"
    assert first.uri == first.id
    assert first.name == (
        "Explain the concept of revenue management and the history of its development."
    )
    # A line break inside competencyText is not a new name.
    assert second.name == (
        "Identify the business traits that create the environment "
        "appropriate for the use of revenue management."
    )
    assert all(s.broader == () and s.same_as == () and s.code is None for s in result.skills)
    assert result.warnings == [] and result.needs == []


def test_bcsp_framework_tree() -> None:
    result = parse_text(real("ctdlasn-competencyframework-bcsp-sts-1.json"))
    assert len(result.skills) == 61
    assert {s.framework for s in result.skills} == {"Safety Trained Supervisor (STS)"}
    ids = {s.id for s in result.skills}
    assert sum(1 for s in result.skills if s.broader) == 56
    assert all(parent in ids for s in result.skills for parent in s.broader)
    ghs = next(s for s in result.skills if s.id.endswith("0ad31994-72de-459d-9e60-15e03188ac78"))
    assert ghs.name == (
        "Globally Harmonized System of Classification and Labeling of Chemicals "
        "(GHS) (e.g., labels, SDS, pictograms, signal words)"
    )
    assert ghs.broader == (
        "http://www.bcsp.org/Portals/0/Assets/Competencies/STS/21a3b017-d8aa-4681-9d89-c3cfaa96fb72",
    )
    assert ghs.alt_labels == () and ghs.description is None  # "CompetencyLabel" is a category
    assert result.warnings == []


def test_onet_basic_skills_framework() -> None:
    result = parse_text(real("ctdlasn-onet-basic-skills-framework-1.json"))
    by_code = {s.code: s for s in result.skills}
    assert list(by_code) == [
        "2.A.1",
        "2.A.1.a",
        "2.A.1.b",
        "2.A.1.c",
        "2.A.1.d",
        "2.A.1.e",
        "2.A.1.f",
        "2.A.2",
        "2.A.2.a",
        "2.A.2.b",
        "2.A.2.c",
        "2.A.2.d",
    ]
    reading, content = by_code["2.A.1.a"], by_code["2.A.1"]
    assert (reading.name, content.name) == ("Reading Comprehension", "Content")
    assert reading.description == (
        "Understanding written sentences and paragraphs in work related documents."
    )
    assert reading.broader == (content.id,) and content.broader == ()
    assert reading.same_as == ("onet:2.A.1.a",)
    assert reading.framework == (
        "O*NET Content Model Worker Requirements - Basic Skills: U.S. Department of Labor (DOL)"
    )
    assert sum(1 for s in result.skills if s.broader) == 10


def test_framework_resource_needs_its_graph_for_the_competencies() -> None:
    graph = json.loads(real("ctdlasn-competencyframework-envelope-1.json"))["decoded_resource"]
    framework = graph["@graph"][0]
    url = f"{REGISTRY}/resources/ce-c23a0e0c-8be8-4911-bc52-f2479c41af4b"
    graph_url = f"{REGISTRY}/graph/ce-c23a0e0c-8be8-4911-bc52-f2479c41af4b"
    first = parse_text(json.dumps(framework), url)
    assert (first.skills, first.needs, first.warnings) == ([], [graph_url], [])
    second = parse_text(json.dumps(framework), url, {graph_url: graph})
    assert (len(second.skills), second.needs, second.warnings) == (13, [], [])


# -- our own documents -------------------------------------------------------------------------
def test_envelope_listing_page_one_resolves_the_owner_from_the_listing() -> None:
    url = f"{SANDBOX}/ce-registry/envelopes?page=1&per_page=2"
    result = parse_text(own("envelopes-page-1.json"), url)
    c = only(result)
    assert (c.id, c.type) == ("ce-f4fa3c00-d286-4c57-925b-30fd09757d43", CredentialType.CERTIFICATE)
    assert c.issuer is not None and [i.id for i in result.issuers] == [c.issuer.id]
    assert (c.issuer.name, c.issuer.country, c.issuer.email) == (
        "Lakeshore Technical College",
        "US",
        "admissions@lakeshore-tech.example.edu",
    )
    assert (c.duration_hours, c.cost) == (180.0, Money(3200.0, "USD"))  # first priced profile
    assert c.credits == Credits(16.0, "credit hours")
    assert (c.delivery_mode, c.assessment) == (
        "In Person Only, Blended Delivery",
        "Exam, Performance",
    )
    assert occupations(c) == [
        ("onet:15-1244.00", "Network and Computer Systems Administrators", "ctdl:occupationType"),
        ("onet:15-1231.00", "Computer Network Support Specialists", "ctdl:occupationType"),
    ]
    assert c.keywords == ("Computer Systems Networking and Telecommunications", "CIP 11.0901")
    assert c.has_part == ("ce-11feea0d-b9ab-49d3-88ce-2b2cef454069",)
    assert result.next_pages == [f"{SANDBOX}/ce-registry/envelopes?page=2&per_page=2"]
    assert (result.needs, result.warnings) == ([], [])


def test_envelope_listing_page_two() -> None:
    url = f"{SANDBOX}/ce-registry/envelopes?page=2&per_page=2"
    result = parse_text(own("envelopes-page-2.json"), url)
    c = only(result)
    assert (c.id, c.type) == (
        "ce-11feea0d-b9ab-49d3-88ce-2b2cef454069",
        CredentialType.MICRO_CREDENTIAL,
    )
    assert c.part_of == ("ce-f4fa3c00-d286-4c57-925b-30fd09757d43",)
    assert [a.name for a in c.accredited_by] == ["State Technical College Board"]
    assert [(s.skill.id, s.skill.code, s.relation) for s in c.skills] == [
        (
            f"{SANDBOX}/resources/ce-7768beef-562b-4144-af71-13b316655fa2",
            "NET-2.3",
            SkillRelation.ASSESSES,
        )
    ]
    assert c.skills[0].skill.framework == "Lakeshore Networking Competencies"
    assert c.prerequisites == "Pass the routing lab practical with a score of 80% or higher."
    assert result.needs == [LAKESHORE] and result.next_pages == []
    assert result.warnings == [
        f"{url}: credential ce-11feea0d-b9ab-49d3-88ce-2b2cef454069 has status Deprecated; kept",
        f"{url}: envelope ce-f8b3469f-178d-4da3-8c03-8d8ccfa2d5d8 was deleted; skipped",
    ]


def test_graph_with_blank_nodes_and_language_maps() -> None:
    result = parse_text(own("graph-bnodes-langmap.json"))
    c = only(result)
    assert (c.id, c.ctid, c.type) == ("ce-521fff87-8e07-45ce-989f-1fa51a67dbf6",) * 2 + (
        CredentialType.CERTIFICATION,
    )
    assert c.name == "Residential Photovoltaic Installer Certification"  # English, collapsed
    assert c.description == (
        "Validates the ability to design, install and commission grid-tied "
        "residential PV systems.\nCandidates pass a proctored written exam & "
        "a field assessment."
    )
    assert c.keywords == (
        "solar energy",
        "photovoltaics",
        "Electrical Contractors and Other Wiring Installation Contractors",
        "NAICS 238210",
    )
    assert (c.language, c.duration_hours, c.validity) == ("en-US", 60.0, "P3Y")
    assert c.cost == Money(600.0, "USD")  # the AggregateCost profile, "US Dollar"
    assert (c.level, c.assessment) == ("Professional Level", "Exam, Performance, In Person Only")
    assert c.issuer is not None
    assert (c.issuer.id, c.issuer.name, c.issuer.country) == (
        "ce-d31682d1-0c70-4e15-8e94-37f0cc864fca",
        "Great Lakes Solar Installers Board",
        "United States",
    )
    assert [a.name for a in c.issuer.accredited_by] == [
        "National Commission for Certifying Agencies"
    ]
    assert [a.name for a in c.accredited_by] == [
        "National Commission for Certifying Agencies",
        "Ohio Department of Commerce, Division of Industrial Compliance",
    ]
    assert len(result.issuers) == 3
    assert c.requires == ("ce-c508b0cb-4952-4bd8-8b01-e61a51e5ebc6",)
    assert c.prerequisites == (
        "Eligibility: Candidates document installation experience before sitting the exam.\n"
        "At least 58 hours of approved PV training\nLead installer on three or more permitted PV "
        "installations\nRecommended: An OSHA 10-hour construction safety card."
    )
    assert [(s.skill.id, s.relation, s.method) for s in c.skills] == [
        (
            f"{SANDBOX}/resources/ce-86241f0f-21b4-4625-8a08-21627a1503bd",
            SkillRelation.ASSESSES,
            "ctdl:requires",
        ),
        (
            "label:interpret the national electrical code, article 690",
            SkillRelation.ASSESSES,
            "ctdl:requires",
        ),
    ]
    assert occupations(c) == [
        ("onet:47-2231.00", "Solar Photovoltaic Installers", "ctdl:isPreparationFor"),
        ("label:solar site assessor", "Solar Site Assessor", "ctdl:isPreparationFor"),
    ]
    assert c.occupations[0].occupation.alt_labels == ("PV Installer", "Solar Installer")
    assert (result.needs, result.warnings) == ([], [])


BADGE = f"{SANDBOX}/resources/ce-4bc54b44-d4eb-462c-87e0-042c32759a9c"
RIVERBEND = f"{SANDBOX}/resources/ce-f7ad5f94-2e16-4c8a-891c-fe4dc7e5e82b"


def test_organisation_given_only_by_uri_is_needed_then_used() -> None:
    first = parse_text(own("badge-org-by-uri.json"), BADGE)
    c = only(first)
    assert (c.type, c.issuer, c.duration_hours, c.delivery_mode) == (
        CredentialType.BADGE,
        None,
        1.5,
        "Online Only",
    )
    assert first.needs == [RIVERBEND] and first.warnings == []

    linked = {RIVERBEND: json.loads(own("badge-org-by-uri-linked-graph.json"))}
    second = parse_text(own("badge-org-by-uri.json"), BADGE, linked)
    issuer = only(second).issuer
    assert issuer is not None
    assert (issuer.id, issuer.name, issuer.country) == (
        "ce-f7ad5f94-2e16-4c8a-891c-fe4dc7e5e82b",
        "Riverbend Public Library Digital Skills Lab",
        "United States",
    )
    assert [a.name for a in issuer.accredited_by] == ["State Library Adult Literacy Council"]
    assert second.issuers == [issuer] and second.needs == [] and second.warnings == []

    failed = parse_text(own("badge-org-by-uri.json"), BADGE, {RIVERBEND: None})
    issuer = only(failed).issuer
    assert issuer is not None
    assert (issuer.id, issuer.name) == ("ce-f7ad5f94-2e16-4c8a-891c-fe4dc7e5e82b",) * 2
    assert failed.issuers == [] and failed.needs == []
    assert failed.warnings == [
        f"{BADGE}: organisation {RIVERBEND} could not be fetched; issuer named by its CTID"
    ]


def test_record_without_a_name_is_skipped_and_the_rest_kept() -> None:
    url = f"{SANDBOX}/graph/ce-66a4ebd6-568f-422c-a9a3-b15831e9c1c8"
    result = parse_text(own("graph-missing-name.json"), url)
    c = only(result)  # the blank-node course without a CTID is a reference, not a record
    assert (c.id, c.type, c.name) == (
        "ce-66a4ebd6-568f-422c-a9a3-b15831e9c1c8",
        CredentialType.COURSE,
        "Introduction to Network Security",
    )
    assert c.part_of == ("ce-f4fa3c00-d286-4c57-925b-30fd09757d43",)
    # teaches and assesses the same competency: one link per target, the first published kept
    assert [(s.skill.id, s.relation, s.method) for s in c.skills] == [
        ("lakeshore-networking-competencies:NET-4.1", SkillRelation.TEACHES, "ctdl:teaches"),
    ]
    assert result.needs == [LAKESHORE]
    assert result.warnings == [
        f"{url}: skipped credential ce-d8aa0335-5b15-43ee-8c94-bf88dd68a10a: it has no name",
        f"{url}: 1 blank node(s) unresolved (_:c3d4e5f6-a7b8-4c9d-8e0f-2a3b4c5d6e7f...): they "
        "are not in the document",
    ]


CLASS_TYPES = {
    CredentialType.DEGREE: [
        "AssociateDegree",
        "BachelorDegree",
        "BachelorOfScienceDegree",
        "MasterDegree",
        "DoctoralDegree",
        "ProfessionalDoctorate",
        "ResearchDoctorate",
        "SpecialistDegree",
        "Degree",
    ],
    CredentialType.CERTIFICATE: [
        "Certificate",
        "ApprenticeshipCertificate",
        "Diploma",
        "CertificateOfCompletion",
        "JourneymanCertificate",
        "MasterCertificate",
        "SecondarySchoolDiploma",
    ],
    CredentialType.CERTIFICATION: ["Certification"],
    CredentialType.LICENSE: ["License"],
    CredentialType.BADGE: ["Badge", "DigitalBadge", "OpenBadge"],
    CredentialType.MICRO_CREDENTIAL: ["MicroCredential"],
    CredentialType.COURSE: ["LearningProgram", "Course", "LearningOpportunityProfile"],
    CredentialType.OTHER: [
        "Credential",
        "QualityAssuranceCredential",
        "GeneralEducationDevelopment",
    ],
}


@pytest.mark.parametrize(
    ("ctdl_class", "expected"), [(c, t) for t, classes in CLASS_TYPES.items() for c in classes]
)
def test_every_credential_class_is_a_subject(ctdl_class: str, expected: CredentialType) -> None:
    body = {
        "@id": f"{SANDBOX}/resources/ce-66a4ebd6-568f-422c-a9a3-b15831e9c1c8",
        "@type": f"ceterms:{ctdl_class}",
        "ceterms:name": {"en-US": ctdl_class},
    }
    assert only(parse_text(json.dumps(body))).type == expected


@pytest.mark.parametrize(
    "other",
    [
        "ceterms:AssessmentProfile",
        "ceterms:ConditionManifest",
        "ceterms:Occupation",
    ],
)
def test_other_classes_are_not_credentials(other: str) -> None:
    body = {
        "@id": f"{SANDBOX}/resources/ce-66a4ebd6-568f-422c-a9a3-b15831e9c1c8",
        "@type": other,
        "ceterms:name": {"en-US": "Not a credential"},
    }
    result = parse_text(json.dumps(body))
    assert result.credentials == [] and len(result.warnings) == 1


def test_a_pathway_is_a_published_pathway_not_a_credential() -> None:
    body = {
        "@id": f"{SANDBOX}/resources/ce-66a4ebd6-568f-422c-a9a3-b15831e9c1c8",
        "@type": "ceterms:Pathway",
        "ceterms:name": {"en-US": "Not a credential"},
    }
    result = parse_text(json.dumps(body))
    assert result.credentials == [] and result.warnings == []
    assert [p.name for p in result.pathways] == ["Not a credential"]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"data": [], "next": "?page=3"}, [f"{SANDBOX}/envelopes?page=3"]),
        (
            {"data": [], "links": {"next": {"href": f"{SANDBOX}/envelopes?page=2"}}},
            [f"{SANDBOX}/envelopes?page=2"],
        ),
        ({"data": [], "next": f"{SANDBOX}/envelopes?page=1"}, []),  # itself
        ({"data": [], "next": None}, []),
    ],
)
def test_next_pages_from_the_body(body: dict[str, Any], expected: list[str]) -> None:
    result = parse_text(json.dumps(body), f"{SANDBOX}/envelopes?page=1")
    assert result.next_pages == expected
    assert result.warnings == [f"{SANDBOX}/envelopes?page=1: the listing is empty"]


# -- garbage -----------------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [50, 400, 900, 3000])
def test_deep_nesting_inside_records_never_escapes_as_another_exception(depth: int) -> None:
    deep = '{"en-US": ' * depth + '"x"' + "}" * depth
    text = (
        f'{{"@graph": [{{"@id": "{SANDBOX}/resources/ce-d8aa0335-5b15-43ee-8c94-bf88dd68a10a"'
        f', "@type": "ceterms:Certificate", "ceterms:name": {deep}, "ceterms:keyword": {deep}'
        "}]}"
    )
    try:
        result = parse(document(text))
    except ParseError as error:
        assert f"{REGISTRY}/doc" in str(error)
    else:
        assert len(result.credentials) + len(result.warnings) >= 1


@pytest.mark.parametrize(
    "body",
    [
        [{"envelope_id": "e1", "decoded_resource": "eyJ.jwt.only"}, 7],
        {"@type": "ceterms:Certificate", "@id": 5, "ceterms:name": "No identity"},
        {
            "@graph": [
                1,
                None,
                {
                    "@type": "ceterms:Badge",
                    "@id": f"{SANDBOX}/resources/ce-x",
                    "ceterms:name": {"en": ["Odd"]},
                    "ceterms:ownedBy": [7, {"a": 1}],
                    "ceterms:estimatedCost": "free",
                    "ceterms:requires": [3],
                    "ceterms:occupationType": [{"ceterms:codedNotation": 15}],
                },
            ]
        },
    ],
)
def test_records_of_the_wrong_shape_become_warnings(body: Any) -> None:
    result = parse_text(json.dumps(body))
    assert result.warnings


def _mutate(value: Any, rng: random.Random) -> Any:
    """Replace one random value somewhere in a JSON structure with an odd one."""
    odd = rng.choice([None, 0, -1.5, "", "x", [], {}, [None], {"@id": 3}, True, "_:nowhere"])
    if isinstance(value, dict) and value:
        key = rng.choice(list(value))
        value[key] = odd if rng.random() < 0.3 else _mutate(value[key], rng)
    elif isinstance(value, list) and value:
        index = rng.randrange(len(value))
        value[index] = odd if rng.random() < 0.3 else _mutate(value[index], rng)
    else:
        return odd
    return value


@pytest.mark.parametrize(
    "name",
    [
        "ctdl-bachelordegree-resource-1.json",
        "ctdl-openbadge-resource-1.json",
        "ctdl-learningprogram-selfpublished-graph-1.json",
        "ctdl-bachelordegree-selfpublished-graph-qa-1.json",
        "ctdlasn-competencyframework-envelope-1.json",
        "ctdlasn-onet-basic-skills-framework-1.json",
    ],
)
def test_mutated_real_documents_never_raise_anything_but_parse_error(name: str) -> None:
    rng = random.Random(name)
    original = json.loads(real(name))
    for _ in range(150):
        body = copy.deepcopy(original)
        for _ in range(rng.randint(1, 4)):
            body = _mutate(body, rng)
        with contextlib.suppress(ParseError):
            parse_text(json.dumps(body))
