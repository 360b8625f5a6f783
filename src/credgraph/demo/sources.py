"""The demo's sources: one per catalog format, plus the O*NET-style taxonomy release."""

from __future__ import annotations

from credgraph.model.crawl import Source

CASE_API = "/case/ims/case/v1p0"
TAXONOMY_ID = "demo-onet"


def demo_sources(base: str) -> tuple[Source, list[Source]]:
    """(the taxonomy source, the catalog sources) for a demo server at `base`."""
    taxonomy = Source(TAXONOMY_ID, "onet", (f"{base}/onet/release.zip",), None,
                      "CC BY 4.0 (sample in the O*NET layout)", "O*NET-style sample taxonomy")
    catalogs = [
        Source("demo-openbadges", "openbadges", (f"{base}/openbadges/badges",), None,
               "CC-BY-4.0", "Northwind Digital Academy (Open Badges 2.0)"),
        Source("demo-ctdl", "ctdl", (f"{base}/ctdl/graph",), None,
               "CC0-1.0", "Lakeside State University (CTDL)"),
        Source("demo-schemaorg", "schemaorg", (f"{base}/schemaorg/sitemap.xml",), None,
               "website terms", "Harbor City Community College (schema.org)"),
        Source("demo-credly", "credly", (f"{base}/credly/badges?page=1&sort=most_popular",), None,
               "terms of the platform", "Cobalt Cloud Institute (Credly)"),
        Source("demo-case", "case", (f"{base}{CASE_API}/CFDocuments",), None,
               "CC-BY-4.0", "Workplace Data Literacy Competencies (CASE)"),
        Source("demo-coursera", "coursera", (f"{base}/coursera/courses.v1?start=0&limit=100",), None,
               "terms of the platform", "Meridian University courses (Coursera)"),
    ]
    return taxonomy, catalogs
