"""The offline demo: bundled sample catalogs served on loopback and crawled for real."""

from credgraph.demo.server import DemoCatalogServer
from credgraph.demo.sources import demo_job_sources, demo_sources

__all__ = ["DemoCatalogServer", "demo_job_sources", "demo_sources"]
