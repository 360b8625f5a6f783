"""Crawl runs: sources fetched, parsed and stored, with a CrawlRun record each."""

from credgraph.ingest.crawl import crawl_sources
from credgraph.ingest.run import SourceRun
from credgraph.ingest.runs import source_run

__all__ = ["SourceRun", "crawl_sources", "source_run"]
