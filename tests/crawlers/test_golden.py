"""Every recorded real document under crawlers/ parses, with its publisher's format, to its
committed snapshot; every publisher folder is complete (source.toml that loads, a manifest
and SOURCES.md naming each document); sources.example.toml is the folders' entries.

Run with CREDGRAPH_UPDATE_GOLDEN=1 to rewrite snapshots and sources.example.toml after a
deliberate change, then review the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from credgraph.config import parse_config
from credgraph.formats import FORMATS
from tests.crawlers.corpus import CRAWLERS, ROOT, Recorded, manifest, publishers, recorded
from tests.crawlers.golden import render, snapshot, updating

EXAMPLE = ROOT / "sources.example.toml"


@pytest.mark.parametrize("document", recorded(), ids=lambda r: f"{r.publisher}/{r.name}")
def test_recorded_document_parses_to_its_snapshot(document: Recorded) -> None:
    got = render(snapshot(document))
    if updating():
        document.expected.parent.mkdir(exist_ok=True)
        document.expected.write_text(got, encoding="utf-8")
        return
    assert document.expected.exists(), (
        f"no snapshot for {document.publisher}/{document.name}: "
        "run the golden tests with CREDGRAPH_UPDATE_GOLDEN=1 and review the new file"
    )
    # compared as text so the failure shows the lines that changed
    assert got == document.expected.read_text(encoding="utf-8")


def test_every_snapshot_has_its_document() -> None:
    known = {r.expected for r in recorded()}
    stale = sorted(str(p.relative_to(CRAWLERS)) for p in CRAWLERS.glob("*/expected/*.json"))
    assert [p for p in stale if CRAWLERS / p not in known] == []


@pytest.mark.parametrize("folder", publishers(), ids=lambda p: p.name)
def test_publisher_folder_is_complete(folder: Path) -> None:
    config = parse_config((folder / "source.toml").read_text(encoding="utf-8"), str(folder))
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
    config = parse_config((folder / "source.toml").read_text(encoding="utf-8"))
    return config.sources[0].format not in FORMATS


def test_sources_example_is_built_from_the_publisher_folders() -> None:
    built = built_example()
    if updating():
        EXAMPLE.write_text(built, encoding="utf-8")
    assert EXAMPLE.read_text(encoding="utf-8") == built, (
        "sources.example.toml differs from crawlers/*/source.toml: "
        "run tests/crawlers with CREDGRAPH_UPDATE_GOLDEN=1"
    )
    assert len(parse_config(built).sources) == len(publishers())
