"""Every recorded real document under crawlers/ parses, with its publisher's format, to its
committed snapshot (a taxonomy publisher's documents are one release excerpt, read by its
streaming reader into one snapshot); every publisher folder is complete (source.toml that loads, a manifest
and SOURCES.md naming each document); sources.example.toml is the folders' entries.

Run with CREDGRAPH_UPDATE_GOLDEN=1 to rewrite snapshots and sources.example.toml after a
deliberate change, then review the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from credgraph.config import parse_config
from credgraph.formats import FORMATS
from tests.crawlers.corpus import (
    CRAWLERS,
    ROOT,
    Recorded,
    Release,
    manifest,
    publishers,
    recorded,
    releases,
)
from tests.crawlers.golden import release_snapshot, render, snapshot, updating

EXAMPLE = ROOT / "sources.example.toml"


def _documents() -> list[Recorded]:
    return [r for r in recorded() if r.format in FORMATS]


@pytest.mark.parametrize("document", _documents(), ids=lambda r: f"{r.publisher}/{r.name}")
def test_recorded_document_parses_to_its_snapshot(document: Recorded) -> None:
    _compare(render(snapshot(document)), document.expected, f"{document.publisher}/{document.name}")


@pytest.mark.parametrize("release", releases(), ids=lambda r: r.publisher)
def test_recorded_release_reads_to_its_snapshot(release: Release) -> None:
    _compare(render(release_snapshot(release)), release.expected, f"{release.publisher} release")


def _compare(got: str, expected: Path, what: str) -> None:
    if updating():
        expected.parent.mkdir(exist_ok=True)
        expected.write_text(got, encoding="utf-8")
        return
    assert expected.exists(), (
        f"no snapshot for {what}: "
        "run the golden tests with CREDGRAPH_UPDATE_GOLDEN=1 and review the new file"
    )
    # compared as text so the failure shows the lines that changed
    assert got == expected.read_text(encoding="utf-8")


def test_every_recorded_taxonomy_release_is_read() -> None:
    taxonomies = {r.publisher for r in recorded() if r.format not in FORMATS}
    assert {r.publisher for r in releases()} == taxonomies


def test_every_snapshot_has_its_document() -> None:
    known = {r.expected for r in _documents()} | {r.expected for r in releases()}
    stale = sorted(str(p.relative_to(CRAWLERS)) for p in CRAWLERS.glob("*/expected/*.json"))
    assert [p for p in stale if CRAWLERS / p not in known] == []


@pytest.mark.parametrize("folder", publishers(), ids=lambda p: p.name)
def test_publisher_folder_is_complete(folder: Path) -> None:
    config = parse_config(
        (folder / "source.toml").read_text(encoding="utf-8"), str(folder), placeholders=True
    )
    assert len(config.sources) == 1 and config.sources[0].licence, "one source, with its terms"
    listed = {e["file"] for e in manifest(folder)}
    held = {p.name for p in (folder / "documents").glob("*")} if listed else set()
    assert held == listed, "documents/ and documents.toml disagree"
    provenance = (folder / "SOURCES.md").read_text(encoding="utf-8") if listed else ""
    assert [name for name in sorted(listed) if f"| {name} |" not in provenance] == []


def test_every_document_format_has_a_real_document() -> None:
    read = {r.format for r in recorded()}
    assert set(FORMATS) <= read


def built_example() -> str:
    """sources.example.toml: the [crawler] settings, then each publisher's entry (credential
    catalogs first, taxonomies last, each group by folder name)."""
    folders = sorted(publishers(), key=lambda p: (_is_taxonomy(p), p.name))
    parts = [(CRAWLERS / "crawler.toml").read_text(encoding="utf-8")]
    parts += [
        f"# from crawlers/{p.name}/\n" + (p / "source.toml").read_text(encoding="utf-8")
        for p in folders
    ]
    return "\n".join(parts)


def _is_taxonomy(folder: Path) -> bool:
    config = parse_config((folder / "source.toml").read_text(encoding="utf-8"), placeholders=True)
    return config.sources[0].format not in FORMATS


def test_sources_example_is_built_from_the_publisher_folders() -> None:
    built = built_example()
    if updating():
        EXAMPLE.write_text(built, encoding="utf-8")
    assert EXAMPLE.read_text(encoding="utf-8") == built, (
        "sources.example.toml differs from crawlers/*/source.toml: "
        "run tests/crawlers with CREDGRAPH_UPDATE_GOLDEN=1"
    )
    assert len(parse_config(built, placeholders=True).sources) == len(publishers())
