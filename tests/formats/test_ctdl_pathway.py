"""CTDL Pathway documents: components in order, credentials they stand for, names kept."""

from __future__ import annotations

from pathlib import Path

from tests.crawlers.corpus import recorded_document
from tests.formats.test_ctdl import parse_text

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "ctdl" / "pathway-graph.json"
URL = "https://credentialengineregistry.org/graph/ce-99999999-9999-4999-8999-999999999999"
CERT = "ce-22222222-2222-4222-8222-222222222222"
AAS = "ce-33333333-3333-4333-8333-333333333333"


def test_a_pathway_orders_its_components_and_bridges_courses() -> None:
    result = parse_text(FIXTURE.read_text(encoding="utf-8"), url=URL)
    [pathway] = result.pathways
    assert (pathway.name, pathway.url) == (
        "Welding pathway",
        "https://college.example/welding-pathway",
    )
    by_name = {c.name: c for c in pathway.components}
    assert by_name["Welding AAS"].credential == AAS and by_name["Welding AAS"].destination
    assert by_name["WE111 Gas Metal Arc Welding"].credential is None  # a course, kept by name
    assert by_name["Employer badge"].credential is None
    # the certificate leads to the AAS through the course (a child leads to its parent)
    assert pathway.credential_steps() == ((CERT, AAS),)
    assert pathway.credentials() == (AAS, CERT)


def test_a_credential_component_naming_no_credential_is_a_warning_with_the_document() -> None:
    result = parse_text(FIXTURE.read_text(encoding="utf-8"), url=URL)
    [warning] = [w for w in result.warnings if "Employer badge" in w]
    assert URL in warning and "kept as a name" in warning


def test_cycles_between_components_end() -> None:
    # _:cert precedes _:course, whose child it is: a cycle the steps never follow twice
    result = parse_text(FIXTURE.read_text(encoding="utf-8"), url=URL)
    [pathway] = result.pathways
    assert len(pathway.credential_steps()) == 1


def test_a_component_names_a_credential_the_document_holds_as_its_record_is_named() -> None:
    # CompTIA's published pathway: the Linux+ node's ceterms:ctid is one digit short, so its
    # record is named by its URI; the component standing for it must name that record, not
    # the CTID in the URI, or the stored pathway waits for a credential that never arrives.
    document = recorded_document("ctdl-pathway-comptia-it-networking-1.json")
    result = parse_text(document.path.read_text(encoding="utf-8"), url=document.url)
    [pathway] = result.pathways
    held = {c.id for c in result.credentials}
    linux = next(c for c in result.credentials if c.name == "CompTIA Linux+")
    assert linux.id.startswith("https://credentialengineregistry.org/resources/ce-")
    assert [c for c in pathway.credentials() if c not in held] == []
