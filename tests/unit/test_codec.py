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
