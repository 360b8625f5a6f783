"""The demo's sources: one per catalog format, the O*NET-style taxonomy release, a demo-made
job feed, and real published documents (copies of some recorded in `crawlers/`, see
catalogs/real/SOURCES.md), the OB 2.0 hosted badge at the URL it names (`demo.hosted`). The
job sources are crawled after the catalogs: a posting's asked credentials are resolved
against the credentials stored when it is ingested."""

from __future__ import annotations

from credgraph.model.crawl import Source

# The specification's hosted Assertion at its own URL: the demo's transport answers it, its
# BadgeClass and that one's issuer from catalogs/real/ (`demo.hosted`).
ASSERTION_URL = "https://example.org/beths-robotics-badge.json"

CASE_API = "/case/ims/case/v1p0"
TAXONOMY_ID = "demo-onet"
JOB_EXAMPLES = tuple(
    f"schemaorg-jobposting-example-eg{n}.html"
    for n in (
        "0028",
        "0213",
        "0251",
        "0268",
        "0280",
        "0281",
        "0283",
        "0284",
        "0285",
        "0286",
        "0287",
        "0465",
    )
)


def demo_sources(base: str) -> tuple[Source, list[Source]]:
    """(the taxonomy source, the catalog sources) for a demo server at `base`."""
    taxonomy = Source(
        TAXONOMY_ID,
        "onet",
        (f"{base}/onet/release.zip",),
        None,
        "CC BY 4.0 (sample in the O*NET layout)",
        "O*NET-style sample taxonomy",
    )
    catalogs = [
        Source(
            "demo-openbadges",
            "openbadges",
            (f"{base}/openbadges/badges",),
            None,
            "CC-BY-4.0",
            "Northwind Digital Academy (Open Badges 2.0)",
        ),
        Source(
            "demo-ctdl",
            "ctdl",
            (f"{base}/ctdl/graph",),
            None,
            "CC0-1.0",
            "Lakeside State University (CTDL)",
        ),
        Source(
            "demo-schemaorg",
            "schemaorg",
            (f"{base}/schemaorg/sitemap.xml",),
            None,
            "website terms",
            "Harbor City Community College (schema.org)",
        ),
        Source(
            "demo-credly",
            "credly",
            (f"{base}/credly/badges?page=1&sort=most_popular",),
            None,
            "terms of the platform",
            "Cobalt Cloud Institute (Credly)",
        ),
        Source(
            "demo-case",
            "case",
            (f"{base}{CASE_API}/CFDocuments",),
            None,
            "CC-BY-4.0",
            "Workplace Data Literacy Competencies (CASE)",
        ),
        Source(
            "demo-coursera",
            "coursera",
            (f"{base}/coursera/courses.v1?start=0&limit=100",),
            None,
            "terms of the platform",
            "Meridian University courses (Coursera)",
        ),
        Source(
            "real-openbadges",
            "openbadges",
            (
                f"{base}/real/ob3-edubadges-mbob-ht-pf-microcredential-full.json",
                f"{base}/real/ob3-openbadgecredential-full-1.json",
            ),
            None,
            "published examples (see SOURCES.md)",
            "Real OB 3.0 credentials: SURF edubadges and the 1EdTech specification",
        ),
        Source(
            "real-openbadges-2",
            "openbadges",
            (ASSERTION_URL,),
            None,
            "published example (see SOURCES.md)",
            "Real OB 2.0 hosted badge: the 1EdTech specification's example",
        ),
        Source(
            "real-schemaorg",
            "schemaorg",
            (f"{base}/real/schemaorg-program-page-wgu-cert-1.html",),
            None,
            "the publisher's page",
            "Real schema.org program page: WGU Business Leadership",
        ),
    ]
    return taxonomy, catalogs


def demo_job_sources(base: str) -> list[Source]:
    """The job-posting sources for a demo server at `base`: the demo-made feed and schema.org's
    JobPosting examples."""
    return [
        Source(
            "demo-jobs",
            "jobposting",
            (f"{base}/jobs/feed.json",),
            None,
            "CC0-1.0 (demo-made, see jobs/SOURCES.md)",
            "Sample job feed: Lakeside Regional Health, Meridian Freight, City of Harbor City",
        ),
        Source(
            "real-jobposting",
            "jobposting",
            tuple(f"{base}/real/{f}" for f in JOB_EXAMPLES),
            None,
            "CC BY-SA 3.0 (schema.org examples, see SOURCES.md)",
            "Real schema.org JobPosting examples: the 12 of schema.org",
        ),
    ]
