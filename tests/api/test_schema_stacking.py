"""Stacking, outcomes, quality and pathways through the GraphQL schema, on every store."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from credgraph.model import Credential, CredentialType, Credits, Money, Occupation, OccupationLink
from credgraph.model.stacking import (
    AdvancedStanding,
    Outcome,
    OutcomeKind,
    QARelation,
    QualityAssurance,
)
from credgraph.store import GraphStore
from tests.api.conftest import errors, query

NURSE = Occupation("onet:29-1141.00", "Registered Nurses", code="29-1141.00")
BADGE = Credential(
    "cred:badge",
    "Care badge",
    CredentialType.BADGE,
    duration_hours=10,
    cost=Money(50, "USD"),
    ctid="ce-aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa",
)
CERT = Credential(
    "cred:cert",
    "Care certificate",
    CredentialType.CERTIFICATE,
    duration_hours=100,
    cost=Money(900, "USD"),
)
DEGREE = Credential(
    "cred:degree",
    "Nursing degree",
    CredentialType.DEGREE,
    duration_hours=2000,
    cost=Money(20000, "USD"),
    occupations=(OccupationLink(NURSE),),
)
EARNINGS = Outcome(
    OutcomeKind.MEDIAN_EARNINGS,
    61000,
    currency="USD",
    post_receipt_months=12,
    source="https://data.example/outcomes",
    as_of=date(2024, 1, 1),
)


async def _load(store: GraphStore) -> None:
    await store.upsert_credentials(
        [
            replace(BADGE, prepares_for=(CERT.id,)),
            replace(
                CERT,
                advanced_standing_for=(
                    AdvancedStanding(
                        DEGREE.id, Credits(15, "credit hours"), "15 credits toward it"
                    ),
                ),
                outcomes=(EARNINGS, Outcome(OutcomeKind.EMPLOYMENT_RATE, 88, unit="%")),
                assessment="Exam",
                quality_assurance=(
                    QualityAssurance(
                        QARelation.ACCREDITED,
                        "issuer:care board",
                        "Care Board",
                        "QACredentialOrganization",
                    ),
                ),
            ),
            DEGREE,
        ]
    )


STACKING = """
query ($id: ID!) { credential(id: $id) {
  preparesFor { id } preparedBy { id }
  advancedStandingFor { credential { id name } credits { value unit } description }
  advancedStandingFrom { credential { id } }
  outcomes { kind value unit currency postReceiptMonths source asOf }
  quality { assessment outcomesReported outcomesReportedBy
            assurance { relation name organisationType }
            signals { signal present source } }
} }
"""


async def test_stacking_links_outcomes_and_quality(store: GraphStore) -> None:
    await _load(store)
    cert = (await query(store, STACKING, {"id": CERT.id}))["credential"]
    assert cert["preparedBy"] == [{"id": BADGE.id}]
    assert cert["preparesFor"] == []
    assert cert["advancedStandingFor"] == [
        {
            "credential": {"id": DEGREE.id, "name": DEGREE.name},
            "credits": {"value": 15.0, "unit": "credit hours"},
            "description": "15 credits toward it",
        }
    ]
    assert cert["outcomes"][0] == {
        "kind": "MEDIAN_EARNINGS",
        "value": 61000.0,
        "unit": None,
        "currency": "USD",
        "postReceiptMonths": 12,
        "source": "https://data.example/outcomes",
        "asOf": "2024-01-01",
    }
    assert cert["outcomes"][1]["kind"] == "EMPLOYMENT_RATE"
    quality = cert["quality"]
    assert quality["outcomesReported"] is True
    assert quality["outcomesReportedBy"] == ["https://data.example/outcomes"]
    assert quality["assurance"] == [
        {
            "relation": "ACCREDITED",
            "name": "Care Board",
            "organisationType": "QACredentialOrganization",
        }
    ]
    signals = {s["signal"]: s["present"] for s in quality["signals"]}
    assert signals["accredited"] and signals["earnings reported"]
    assert not signals["regulated"]
    degree = (await query(store, STACKING, {"id": DEGREE.id}))["credential"]
    assert degree["advancedStandingFrom"] == [{"credential": {"id": CERT.id}}]
    assert degree["quality"]["outcomesReported"] is False


PATHWAYS = """
query ($from: ID!, $to: ID!, $steps: Int) {
  pathways(from: $from, to: $to, maxSteps: $steps) {
    steps { credential { id } via }
    totalHours stepsWithoutHours totalCost { amount currency } stepsWithoutCost
    creditsApplied { value unit }
  }
}
"""


async def test_pathways_to_a_credential_and_to_an_occupation(store: GraphStore) -> None:
    await _load(store)
    [route] = (await query(store, PATHWAYS, {"from": BADGE.ctid, "to": DEGREE.id}))["pathways"]
    assert [(s["credential"]["id"], s["via"]) for s in route["steps"]] == [
        (BADGE.id, None),
        (CERT.id, "PREPARES_FOR"),
        (DEGREE.id, "ADVANCED_STANDING"),
    ]
    assert (route["totalHours"], route["stepsWithoutHours"]) == (2100.0, 0)
    assert route["totalCost"] == [{"amount": 20900.0, "currency": "USD"}]
    assert route["stepsWithoutCost"] == 0
    assert route["creditsApplied"] == {"value": 15.0, "unit": "credit hours"}
    by_code = (await query(store, PATHWAYS, {"from": BADGE.id, "to": "29-1141.00"}))["pathways"]
    assert [s["credential"]["id"] for s in by_code[0]["steps"]][-1] == DEGREE.id
    short = await query(store, PATHWAYS, {"from": BADGE.id, "to": DEGREE.id, "steps": 1})
    assert short["pathways"] == []


async def test_a_pathway_says_how_many_steps_state_no_hours(empty_store: GraphStore) -> None:
    """The badge to the degree through a course stating no hours: the 2000 hours are the
    degree's alone, and the answer says one step's hours are unknown."""
    course = Credential("cred:course", "Care course", prepares_for=(DEGREE.id,))
    await empty_store.upsert_credentials(
        [replace(BADGE, prepares_for=(course.id,)), course, DEGREE]
    )
    [route] = (await query(empty_store, PATHWAYS, {"from": BADGE.id, "to": DEGREE.id}))["pathways"]
    assert [s["credential"]["id"] for s in route["steps"]] == [BADGE.id, course.id, DEGREE.id]
    assert (route["totalHours"], route["stepsWithoutHours"]) == (2000.0, 1)
    # nor any cost: the total is the degree's alone, and the answer says so
    assert (route["totalCost"], route["stepsWithoutCost"]) == (
        [{"amount": DEGREE.cost.amount, "currency": DEGREE.cost.currency}] if DEGREE.cost else [],
        1,
    )


async def test_bad_pathway_arguments_are_refused_with_the_reason(store: GraphStore) -> None:
    await _load(store)
    [error] = await errors(store, PATHWAYS, {"from": BADGE.id, "to": DEGREE.id, "steps": 0})
    assert "maxSteps" in error["message"]
    assert (await query(store, PATHWAYS, {"from": "nope", "to": DEGREE.id}))["pathways"] == []


PUBLISHED = """
query ($id: ID!) { credential(id: $id) { publishedPathways {
  id name components { name kind destination leadsTo credential { id } } } } }
"""


async def test_published_pathways_list_components_and_their_credentials(
    store: GraphStore,
) -> None:
    from credgraph.model.pathway import PathwayComponent, PublishedPathway

    await _load(store)
    await store.upsert_pathways(
        [
            PublishedPathway(
                "pw:care",
                "Care pathway",
                components=(
                    PathwayComponent("k1", "Care badge", "CredentialComponent", BADGE.id, ("k2",)),
                    PathwayComponent("k2", "First aid course", "CourseComponent", None, ("k3",)),
                    PathwayComponent(
                        "k3", "Degree", "CredentialComponent", "cred:not-stored", destination=True
                    ),
                ),
            )
        ]
    )
    [pathway] = (await query(store, PUBLISHED, {"id": BADGE.id}))["credential"]["publishedPathways"]
    assert pathway["name"] == "Care pathway"
    assert [(c["name"], c["credential"]) for c in pathway["components"]] == [
        ("Care badge", {"id": BADGE.id}),
        ("First aid course", None),
        ("Degree", None),
    ]
    assert pathway["components"][0]["leadsTo"] == ["k2"]


def test_a_pathway_search_is_costed_before_it_runs() -> None:
    from graphql import OperationDefinitionNode, parse

    from credgraph.api.core_schema import core_schema
    from credgraph.api.query_cost import estimate_cost
    from tests.api.conftest import SCHEMA

    def cost(text: str) -> int:
        document = parse(text)
        [operation] = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
        return estimate_cost(core_schema(SCHEMA), document, operation, {}, list_size=10)

    # 1 + the search (200) + first x (totalHours + steps x via); without `first` the estimate
    # counts the configured list size (10), above the default of 5: it errs high
    assert cost('{ pathways(from: "a", to: "b") { totalHours steps { via } } }') == (
        1 + 200 + 10 * 12
    )
    assert cost('{ pathways(from: "a", to: "b", first: 20) { totalHours steps { via } } }') == (
        1 + 200 + 20 * 12
    )
