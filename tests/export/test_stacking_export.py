"""Stacking links and outcomes in exports: PREPARES_FOR and ADVANCED_STANDING edges between
credentials, outcomes and QA relations as node properties."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import networkx as nx
import pytest

from credgraph.export import Export, Selection
from credgraph.model import Credential, CredentialType, Credits
from credgraph.model.stacking import (
    AdvancedStanding,
    Outcome,
    OutcomeKind,
    QARelation,
    QualityAssurance,
)
from credgraph.store import GraphStore
from tests.stores import STORES, empty_store

BADGE = Credential("https://b.example/badge", "Badge", CredentialType.BADGE)
CERT = Credential("https://b.example/cert", "Certificate", CredentialType.CERTIFICATE)


@pytest.fixture(params=STORES)
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[GraphStore]:
    async with empty_store(request, tmp_path) as opened:
        await opened.upsert_credentials(
            [
                replace(
                    BADGE,
                    prepares_for=(CERT.id,),
                    advanced_standing_for=(
                        AdvancedStanding(CERT.id, Credits(3, "ECTS"), "3 ECTS off"),
                    ),
                ),
                replace(
                    CERT,
                    outcomes=(
                        Outcome(
                            OutcomeKind.MEDIAN_EARNINGS,
                            52000,
                            currency="EUR",
                            post_receipt_months=6,
                        ),
                        Outcome(OutcomeKind.EMPLOYMENT_RATE, 91, unit="%"),
                    ),
                    quality_assurance=(QualityAssurance(QARelation.ACCREDITED, "issuer:qa", "QA"),),
                ),
            ]
        )
        yield opened


async def test_ndjson_carries_stacking_edges_and_outcomes(
    store: GraphStore, tmp_path: Path
) -> None:
    await Export(store, Selection(), "ndjson").write(tmp_path / "g.ndjson")
    lines = [json.loads(x) for x in (tmp_path / "g.ndjson").read_text().splitlines()]
    edges = {(e["type"], e["source"], e["target"]): e for e in lines if e.get("element") == "edge"}
    assert ("PREPARES_FOR", BADGE.id, CERT.id) in edges
    standing = edges[("ADVANCED_STANDING", BADGE.id, CERT.id)]["properties"]
    assert (standing["credits_value"], standing["credits_unit"]) == (3.0, "ECTS")
    [cert] = [
        n["properties"] for n in lines if n.get("element") == "node" and n.get("id") == CERT.id
    ]
    assert cert["outcome_median_earnings"] == 52000.0
    assert cert["outcome_median_earnings_currency"] == "EUR"
    assert cert["outcome_median_earnings_months"] == 6.0
    assert cert["outcome_employment_rate"] == 91.0
    assert cert["quality_assurance"] == ["ACCREDITED:QA"]


async def test_graphml_names_the_preparation_edge_prepares_for(
    store: GraphStore, tmp_path: Path
) -> None:
    await Export(store, Selection(), "graphml").write(tmp_path / "g.graphml")
    graph = nx.read_graphml(tmp_path / "g.graphml")
    types = {attrs["type"] for _, _, attrs in graph.edges(data=True)}
    assert {"PREPARES_FOR", "ADVANCED_STANDING"} <= types
    assert graph.nodes[CERT.id]["outcome_employment_rate"] == 91.0
