"""Taxonomy releases over real HTTP: a zipped O*NET release, an ESCO folder, a crosswalk CSV;
re-imports of unchanged releases cost one request and write nothing."""

from __future__ import annotations

import io
import shutil
import zipfile
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from credgraph.analysis import skill_gap
from credgraph.config.sources import CrawlerSettings
from credgraph.ingest import crawl_sources
from credgraph.model import CrawlStatus, Skill, Source
from credgraph.store import GraphStore
from tests.crawl.catalogs import esco_routes
from tests.crawl.server import Route, serving
from tests.formats.releases import zip_bytes
from tests.stores import STORES, empty_store

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SETTINGS = CrawlerSettings(delay_seconds=0.0, allow_private_networks=True, max_retries=0)


@pytest.fixture(params=STORES)
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[GraphStore]:
    async with empty_store(request, tmp_path, "tax.db") as opened:
        yield opened


RELEASE = "/onet/db_30_1_text.zip"


def onet_release(body: bytes) -> dict[str, Route]:
    return {RELEASE: Route(body, content_type="application/zip")}


async def test_onet_zip_then_unchanged_reimport(store: GraphStore) -> None:
    with serving(onet_release(zip_bytes(FIXTURES / "onet", "db_30_1_text"))) as server:
        source = Source("onet", "onet", (server.url(RELEASE),))
        [first] = await crawl_sources([source], store, SETTINGS)
        stats = await store.stats()
        [again] = await crawl_sources([source], store, SETTINGS)
    assert first.status in (CrawlStatus.SUCCEEDED, CrawlStatus.PARTIAL), first.error_samples
    assert first.fetched == 1 and first.created > 0
    assert stats.occupations > 0 and stats.skills > 0 and stats.relationships > 0
    data_scientists = await store.occupation_required_skills("onet:15-2051.00")
    assert data_scientists, "O*NET importance ratings became ranked requirements"
    importances = [r.importance for r in data_scientists if r.importance is not None]
    assert importances == sorted(importances, reverse=True)
    assert again.not_modified == 1 and (again.created, again.updated) == (0, 0)
    after = await store.stats()
    assert (after.skills, after.occupations, after.relationships) == (
        stats.skills,
        stats.occupations,
        stats.relationships,
    )
    assert after.crawl_runs == stats.crawl_runs + 1  # only the run record itself


def damaged_zip(folder: Path, inner: str, at_text: bytes = b"Data Scientists") -> bytes:
    """The folder's files stored (not compressed) in a zip, one byte of a file changed (the
    first of `at_text`): the archive opens, and the member fails its CRC check once it has
    been read."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for file in sorted(folder.iterdir()):
            if file.is_file():
                archive.write(file, f"{inner}/{file.name}")
    data = bytearray(buffer.getvalue())
    at = data.index(at_text)
    data[at] = ord("d")
    return bytes(data)


async def test_a_damaged_archive_is_the_documents_error(store: GraphStore) -> None:
    with serving(onet_release(damaged_zip(FIXTURES / "onet", "db_30_1_text"))) as server:
        source = Source("onet", "onet", (server.url(RELEASE),))
        [run] = await crawl_sources([source], store, SETTINGS)
    assert run.status is CrawlStatus.FAILED and run.errors == 1
    [error] = run.error_samples
    assert error.url.endswith("db_30_1_text.zip") and "the archive is damaged" in error.reason
    assert "CRC" in error.reason


def next_onet_release(folder: Path) -> Path:
    """The fixture release as its next one states it: Mathematics dropped from Data
    Scientists (15-2051.00), Critical Thinking flagged Recommend Suppress = Y for them, and
    Tableau no longer one of their technologies."""
    shutil.copytree(FIXTURES / "onet", folder, ignore=shutil.ignore_patterns("broken", "content*"))
    skills = folder / "Skills.txt"
    rows = skills.read_bytes().split(b"\r\n")
    rows = [r for r in rows if not r.startswith(b"15-2051.00\t2.A.1.e\t")]
    suppressed = b"15-2051.00\t2.A.2.a\tCritical Thinking\tIM\t"
    rows = [
        r.replace(b"\tN\tn/a\t", b"\tY\tn/a\t") if r.startswith(suppressed) else r for r in rows
    ]
    skills.write_bytes(b"\r\n".join(rows))
    technology = folder / "Technology Skills.txt"
    lines = technology.read_bytes().splitlines(keepends=True)
    technology.write_bytes(b"".join(line for line in lines if b"\tTableau\t" not in line))
    return folder


DATA_SCIENTISTS = "onet:15-2051.00"
DROPPED = {"onet:2.A.1.e", "onet:2.A.2.a", "onet-tech:tableau"}  # by the next release


async def required_ids(store: GraphStore, occupation_id: str) -> set[str]:
    return {r.skill_id for r in await store.occupation_required_skills(occupation_id)}


async def test_a_newer_release_replaces_each_occupations_requirements(
    store: GraphStore, tmp_path: Path
) -> None:
    with serving(onet_release(zip_bytes(FIXTURES / "onet", "db_30_1_text"))) as server:
        source = Source("onet", "onet", (server.url(RELEASE),))
        [first] = await crawl_sources([source], store, SETTINGS)
        before = await required_ids(store, DATA_SCIENTISTS)
        server.routes[RELEASE] = Route(
            zip_bytes(next_onet_release(tmp_path / "next"), "db_30_2_text"),
            content_type="application/zip",
        )
        [second] = await crawl_sources([source], store, SETTINGS)
    assert first.status is second.status is CrawlStatus.SUCCEEDED, second.error_samples
    assert DROPPED.issubset(before)
    assert await required_ids(store, DATA_SCIENTISTS) == before - DROPPED
    assert second.updated >= len(DROPPED)  # each requirement removed counts as an update
    gap = await skill_gap(store, DATA_SCIENTISTS, have=[])
    assert not DROPPED & {r.skill_id for r in gap.required}


async def test_a_release_read_part_way_removes_no_requirement(
    store: GraphStore, tmp_path: Path
) -> None:
    """The next release's last file is damaged: its requirements are not replaced with the
    part that was read, and the release is read again on the next run."""
    with serving(onet_release(zip_bytes(FIXTURES / "onet", "db_30_1_text"))) as server:
        source = Source("onet", "onet", (server.url(RELEASE),))
        await crawl_sources([source], store, SETTINGS)
        before = await store.occupation_required_skills(DATA_SCIENTISTS)
        damaged = damaged_zip(next_onet_release(tmp_path / "next"), "db_30_2_text", b"Python")
        server.routes[RELEASE] = Route(damaged, content_type="application/zip")
        [run] = await crawl_sources([source], store, SETTINGS)
    assert run.status is CrawlStatus.FAILED
    assert "Technology Skills" in run.error_samples[0].reason
    assert await store.occupation_required_skills(DATA_SCIENTISTS) == before


async def test_esco_folder_and_crosswalk_csv(store: GraphStore) -> None:
    routes = esco_routes()
    crosswalk = FIXTURES / "crosswalk" / "esco_onet_skills.csv"
    routes["/crosswalk/esco_onet_skills.csv"] = Route(
        crosswalk.read_bytes(), content_type="text/csv"
    )
    with serving(routes) as server:
        sources = [
            Source("esco", "esco", (server.url("/esco/"),)),
            Source("xwalk", "crosswalk", (server.url("/crosswalk/esco_onet_skills.csv"),)),
        ]
        [esco_run] = await crawl_sources(sources[:1], store, SETTINGS)
        [xwalk_run] = await crawl_sources(sources[1:], store, SETTINGS)
    assert esco_run.created > 0, esco_run.error_samples
    assert xwalk_run.status is not CrawlStatus.FAILED, xwalk_run.error_samples
    stats = await store.stats()
    assert stats.skills > 0 and stats.occupations > 0
    # Files the folder does not have (optional ones) are reported, not fatal.
    assert all("HTTP 404" in e.reason or ":" in e.reason for e in esco_run.error_samples)


async def test_crosswalks_join_esco_and_onet(store: GraphStore) -> None:
    """ESCO and O*NET imported, then three crosswalk tables: occupation pairs (ESCO codes
    resolved to ESCO's nodes, ISCO-08 groups as their own nodes) and skill pairs become
    SAME_AS edges; a crosswalk read before a side is imported is retried on the next run.
    (Skill pairs are covered by the contract tests: the ESCO sample lacks their skills.)"""
    routes = esco_routes()
    routes["/onet/db.zip"] = Route(
        zip_bytes(FIXTURES / "onet", "db_30_1_text"), content_type="application/zip"
    )
    tables = ("ESCO_to_ONET-SOC.csv", "isco08_soc2018.csv")
    for name in tables:
        routes[f"/xw/{name}"] = Route(
            (FIXTURES / "crosswalk" / name).read_bytes(), content_type="text/csv"
        )
    with serving(routes) as server:
        xwalk = Source("xwalk", "crosswalk", tuple(server.url(f"/xw/{n}") for n in tables))
        # Before O*NET: the O*NET sides are missing, so nothing is stored and the run says why.
        [early] = await crawl_sources([xwalk], store, SETTINGS)
        assert early.status is CrawlStatus.PARTIAL
        assert any(
            "not stored" in e.reason and "not in the store" in e.reason for e in early.error_samples
        ), early.error_samples
        assert await store.equivalence_pairs() == []
        await crawl_sources(  # (sources of one call crawl concurrently)
            [
                Source("esco", "esco", (server.url("/esco/"),)),
                Source("onet", "onet", (server.url("/onet/db.zip"),)),
            ],
            store,
            SETTINGS,
        )
        [late] = await crawl_sources([xwalk], store, SETTINGS)
        [again] = await crawl_sources([xwalk], store, SETTINGS)
    # the only remark left: the broad match the ISCO/SOC table holds is not an equivalence
    assert [e.reason for e in late.error_samples] == [
        "isco08_soc2018.csv: 1 broad, narrow or related matches left out: SAME_AS is for "
        "equivalents only"
    ]
    assert late.fetched == 2 and late.created == 6
    esco_occ = "http://data.europa.eu/esco/occupation/"
    data_scientist = esco_occ + "258e46f9-0075-4a2e-adae-1ff0477e0f30"
    developer = esco_occ + "f2b15a0e-e65a-438a-affb-29b9d50b77d1"
    found = await store.equivalents_many(["onet:15-1252.00", "onet:15-2051.00", "isco:2221"])
    assert found == {
        "onet:15-1252.00": sorted([developer, "isco:2512"]),
        "onet:15-2051.00": [data_scientist],
        "isco:2221": ["onet:29-1141.00"],
    }
    [group] = await store.get_occupations(["isco:2512"])
    assert (group.framework, group.code) == ("ISCO-08", "2512")
    # Settled crosswalks are not read again.
    assert again.not_modified == 2 and (again.created, again.updated) == (0, 0)


async def test_a_crosswalk_longer_than_one_batch_is_stored_whole(store: GraphStore) -> None:
    """The release is read in batches of 5,000 items; the pairs of every batch are stored."""
    esco = [
        Skill(f"http://data.europa.eu/esco/skill/s{n}", f"Skill {n}", "ESCO") for n in range(5001)
    ]
    await store.upsert_skills([*esco, Skill("onet:2.B.3.e", "Programming", "O*NET")])
    rows = ["esco_skill_uri,esco_skill_label,onet_element_id,onet_element_name,match_type"]
    rows += [f"{s.id},{s.name},2.B.3.e,Programming,closeMatch" for s in esco]
    routes = {"/xw/skills.csv": Route("\n".join(rows).encode(), content_type="text/csv")}
    with serving(routes) as server:
        source = Source("xwalk", "crosswalk", (server.url("/xw/skills.csv"),))
        [run] = await crawl_sources([source], store, SETTINGS)
    assert run.status is CrawlStatus.SUCCEEDED, run.error_samples
    assert len(await store.equivalence_pairs()) == 5001
