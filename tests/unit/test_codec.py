from __future__ import annotations

from dataclasses import replace

from credgraph.model import CrawlRun, Credential, codec
from credgraph.model.crawl import CrawlError
from credgraph.model.values import CrawlStatus
from tests.contract import data


def test_every_sample_credential_round_trips() -> None:
    for credential in data.credentials():
        assert codec.from_json(Credential, codec.to_json(credential)) == credential


def test_content_hash_ignores_when_and_where_we_saw_it() -> None:
    c = data.credentials()[0]
    assert c.provenance is not None
    later = replace(
        c, provenance=replace(c.provenance, fetched_at=c.provenance.fetched_at.replace(year=2030))
    )
    assert codec.content_hash(later) == codec.content_hash(c)
    assert codec.content_hash(replace(c, name="Other")) != codec.content_hash(c)


def test_crawl_run_round_trips() -> None:
    run = CrawlRun(
        "r1",
        "s1",
        CrawlStatus.PARTIAL,
        data.FETCHED,
        None,
        errors=1,
        error_samples=(CrawlError("https://x.example", "HTTP 500"),),
    )
    assert codec.from_json(CrawlRun, codec.to_json(run)) == run


def test_the_canonical_document_is_the_text_json_dumps_writes() -> None:
    """orjson encodes it; a store written before (by json.dumps) holds the same text."""
    import json

    for credential in data.credentials():
        expected = json.dumps(
            codec.to_json(credential, volatile=False),
            ensure_ascii=False,
            separators=(",", ":"),
            sort_keys=True,
        )
        assert codec.canonical(credential) == expected
        assert codec.canonical_bytes(credential) == expected.encode("utf-8")


def test_a_lone_surrogate_is_encoded_by_the_fallback() -> None:
    odd = replace(data.credentials()[0], name="Data \udc80 Analyst")
    assert '"name":"Data \udc80 Analyst"' in codec.canonical(odd)
    assert codec.canonical_bytes(odd) == codec.canonical(odd).encode("utf-8", "surrogatepass")
