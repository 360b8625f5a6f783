"""JSON-LD exports lose nothing to a JSON-LD processor: every key written is a term of the
context, and every id and IRI value is an IRI a processor keeps."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pyld import jsonld
from rdflib import Dataset, Literal, URIRef

from credgraph.export import Export, Selection
from credgraph.export.columns import NODE_PROPERTIES
from credgraph.export.formats.jsonld import AS_EDGES, CONTEXT, EDGE_TERMS
from credgraph.model.records import Credential
from credgraph.model.stacking import Outcome, OutcomeKind, QARelation, QualityAssurance
from credgraph.store import GraphStore

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")

CG = "urn:credgraph:term:"


def test_every_node_column_is_a_term_of_the_context_or_an_edge() -> None:
    """A column added to the export table without a term here would be dropped by every
    JSON-LD processor: this fails first."""
    for kind, columns in NODE_PROPERTIES.items():
        for column in columns:
            if column in AS_EDGES:
                assert EDGE_TERMS[AS_EDGES[column]] in CONTEXT, (kind, column)
            else:
                assert column in CONTEXT, f"{kind.value}.{column} has no JSON-LD term"
    assert set(EDGE_TERMS.values()) | {"closeMatch"} <= set(CONTEXT)


async def written(store: GraphStore, tmp_path: Path) -> dict[str, Any]:
    out = tmp_path / "g.jsonld"
    await Export(store, Selection(), "jsonld").write(out)
    document: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return document


async def test_outcomes_and_quality_assurance_reach_the_rdf_graph(
    store: GraphStore, tmp_path: Path
) -> None:
    reported = "https://x.example/c/reported"
    await store.upsert_credentials(
        [
            Credential(
                reported,
                "Reported outcomes",
                outcomes=(
                    Outcome(
                        OutcomeKind.MEDIAN_EARNINGS, 52000.0, currency="USD", post_receipt_months=6
                    ),
                    Outcome(OutcomeKind.EMPLOYMENT_RATE, 0.8),
                ),
                quality_assurance=(QualityAssurance(QARelation.ACCREDITED, "org:abet", "ABET"),),
            )
        ]
    )
    document = await written(store, tmp_path)
    keys = {k for item in document["@graph"] for k in item if not k.startswith("@")}
    assert keys <= set(document["@context"]), keys - set(document["@context"])
    assert jsonld.expand(document)
    graph = Dataset().parse(data=json.dumps(document), format="json-ld")
    node = URIRef(reported)

    def values(term: str) -> set[Any]:
        return {o.toPython() for o in graph.objects(node, URIRef(CG + term))}

    assert values("outcomeMedianEarnings") == {52000.0}
    assert values("outcomeMedianEarningsCurrency") == {"USD"}
    assert values("outcomeMedianEarningsMonths") == {6.0}
    assert values("outcomeEmploymentRate") == {0.8}
    assert (node, URIRef(CG + "qualityAssurance"), Literal("ACCREDITED:ABET")) in graph


async def test_ids_and_urls_that_are_not_iris_are_percent_encoded_alike(
    store: GraphStore, tmp_path: Path
) -> None:
    """A catalog's id with a space, <>"{}|^\\` or a second "#" is not an IRI: a processor
    dropped the node and its edges. Now it is percent-encoded, the same in the node's @id
    and in every edge at it; what an IRI may hold (ü, a valid %20) stays as it is."""
    from credgraph.export.formats.jsonld import iri
    from credgraph.model.records import Issuer

    odd = 'http://x.example/badges/q?x=a b<>"{}|^`\\&y=1#frag ment#2'
    issuer = Issuer("http://x.example/issuers/über uns", "Über uns")
    await store.upsert_credentials(
        [
            Credential(odd, "Odd id", url=odd, issuer=issuer),
            Credential("http://x.example/c/ünï%20ok", "Already an IRI", url="http://x.example/a b"),
        ]
    )
    document = await written(store, tmp_path)
    expected = "http://x.example/badges/q?x=a%20b%3C%3E%22%7B%7D%7C%5E%60%5C&y=1#frag%20ment%232"
    assert iri(odd) == expected
    assert iri(issuer.id) == "http://x.example/issuers/über%20uns"
    assert iri("http://x.example/c/ünï%20ok") == "http://x.example/c/ünï%20ok"
    [node] = [x for x in document["@graph"] if x.get("name") == "Odd id"]
    assert node["@id"] == node["url"] == expected
    graph = Dataset().parse(data=json.dumps(document), format="json-ld")
    subject = URIRef(expected)
    assert (subject, URIRef("https://schema.org/name"), Literal("Odd id")) in graph
    assert (subject, URIRef("https://schema.org/url"), subject) in graph
    owned_by = URIRef("https://purl.org/ctdl/terms/ownedBy")
    assert (subject, owned_by, URIRef(iri(issuer.id))) in graph
    assert (URIRef(iri(issuer.id)), URIRef("https://schema.org/name"), None) in graph
    quads = jsonld.to_rdf(document, {"format": "application/n-quads"})
    assert f"<{expected}> <https://purl.org/ctdl/terms/ownedBy>" in quads
