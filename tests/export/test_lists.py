"""List values (keywords, alternative labels, quality assurance...) read back item for item in
every format, an item holding "|" or "\\" included: JSON arrays where the format has them,
"|"-joined with a backslash escape in CSV and GraphML."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest
from rdflib import Dataset, URIRef

from credgraph.export import Export, Selection
from credgraph.export.columns import LIST, NODE_COLUMNS, joined, split_joined
from credgraph.model.records import Credential
from credgraph.model.views import GraphNode
from credgraph.store import GraphStore

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")

LISTED = "https://x.example/c/languages"
KEYWORDS = ["C|C++", "Java", "back\\slash", "plain"]


@pytest.mark.parametrize("items", [KEYWORDS, ["|", "", "\\|", "\\"], ["one"], ["a", "b"]], ids=repr)
def test_joined_lists_split_back(items: list[str]) -> None:
    assert split_joined(joined(items)) == items


def test_lists_without_separators_join_as_before() -> None:
    """What consumers of earlier exports split on "|" reads the same."""
    assert joined(["SQL", "Structured Query Language"]) == "SQL|Structured Query Language"


async def test_stores_give_list_values_only_in_list_columns(store: GraphStore) -> None:
    await store.upsert_credentials([Credential(LISTED, "Languages", keywords=tuple(KEYWORDS))])
    async for item in store.iter_graph():
        if isinstance(item, GraphNode):
            for name, value in item.properties.items():
                if isinstance(value, list | tuple) and name in NODE_COLUMNS:
                    assert NODE_COLUMNS[name] == LIST, name


async def test_list_values_round_trip_in_every_format(store: GraphStore, tmp_path: Path) -> None:
    await store.upsert_credentials([Credential(LISTED, "Languages", keywords=tuple(KEYWORDS))])
    selection = Selection(seeds=(LISTED,), depth=0)
    for name, out in [
        ("ndjson", "g.ndjson"),
        ("nodelink", "g.json"),
        ("jsonld", "g.jsonld"),
        ("graphml", "g.graphml"),
        ("csv", "g.zip"),
    ]:
        await Export(store, selection, name).write(tmp_path / out)
    [line] = [json.loads(x) for x in (tmp_path / "g.ndjson").read_text().splitlines()]
    assert line["properties"]["keywords"] == KEYWORDS
    nodelink = nx.node_link_graph(json.loads((tmp_path / "g.json").read_text()), edges="edges")
    assert nodelink.nodes[LISTED]["keywords"] == KEYWORDS
    graph = Dataset().parse(data=(tmp_path / "g.jsonld").read_text(), format="json-ld")
    keywords = graph.objects(URIRef(LISTED), URIRef("https://schema.org/keywords"))
    assert sorted(str(k) for k in keywords) == sorted(KEYWORDS)
    graphml = nx.read_graphml(tmp_path / "g.graphml")
    assert split_joined(graphml.nodes[LISTED]["keywords"]) == KEYWORDS
    with zipfile.ZipFile(tmp_path / "g.zip") as archive:
        nodes = pd.read_csv(io.BytesIO(archive.read("nodes.csv")))
        manifest = json.loads(archive.read("manifest.json"))
    assert split_joined(nodes.set_index("id").loc[LISTED, "keywords"]) == KEYWORDS
    assert "keywords" in manifest["columns"]["lists"] and manifest["export_schema_version"] == 2


async def test_the_names_a_credential_goes_by_are_exported(
    store: GraphStore, tmp_path: Path
) -> None:
    # What resolving a resume's names reads ("AWS SAA"), and what a researcher joining
    # exports with other data looks up: stored with the record, and dropped by every format.
    names = ("AWS SAA", "SAA-C03")
    await store.upsert_credentials(
        [Credential(LISTED, "Solutions Architect", alternate_names=names)]
    )
    selection = Selection(seeds=(LISTED,), depth=0)
    await Export(store, selection, "ndjson").write(tmp_path / "g.ndjson")
    await Export(store, selection, "jsonld").write(tmp_path / "g.jsonld")
    [line] = [json.loads(x) for x in (tmp_path / "g.ndjson").read_text().splitlines()]
    assert line["properties"]["alternate_names"] == list(names)
    graph = Dataset().parse(data=(tmp_path / "g.jsonld").read_text(), format="json-ld")
    found = graph.objects(URIRef(LISTED), URIRef("https://schema.org/alternateName"))
    assert sorted(str(n) for n in found) == sorted(names)
