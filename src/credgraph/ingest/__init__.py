"""Crawl runs: sources fetched, parsed and stored, with a CrawlRun record each."""

from credgraph.ingest.crawl import crawl_sources
from credgraph.ingest.run import SourceCrawl

__all__ = ["SourceCrawl", "crawl_sources"]
