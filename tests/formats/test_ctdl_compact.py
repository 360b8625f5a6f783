"""A CTDL document's own resource prefix is expanded in ids and references only: text that
happens to begin with it stays text, and the vocabulary's prefixes stay as written."""

from __future__ import annotations

from credgraph.formats.ctdl.compact import expanded

CONTEXT = {"res": "http://example.edu/resources/", "ceterms": "https://purl.org/ctdl/terms/"}


def test_ids_and_references_are_expanded_and_text_is_not() -> None:
    node = {
        "@id": "res:1",
        "@type": "ceterms:Certificate",
        "ceterms:name": {"en": "res: Residential Electrician"},
        "ceterms:description": "res:ident",
        "ceterms:isPartOf": ["res:2"],
        "ceterms:ownedBy": {"@id": "res:3"},
    }
    [read] = expanded({"@context": CONTEXT, "@graph": [node]})["@graph"]
    assert read == {
        "@id": "http://example.edu/resources/1",
        "@type": "ceterms:Certificate",  # the vocabulary's prefix: used for types
        "ceterms:name": {"en": "res: Residential Electrician"},
        "ceterms:description": "res:ident",
        "ceterms:isPartOf": ["http://example.edu/resources/2"],
        "ceterms:ownedBy": {"@id": "http://example.edu/resources/3"},
    }


def test_a_document_declaring_no_prefix_is_read_as_it_is() -> None:
    document = {"@context": "https://credreg.net/ctdl/schema/context/json", "@id": "res:1"}
    assert expanded(document) is document
