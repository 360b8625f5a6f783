"""The recorded real documents under crawlers/: one folder per publisher, each with its
`source.toml` (the format), `documents.toml` (the URL each document is taken to come from),
`documents/` and `expected/` (golden snapshots). A taxonomy publisher's documents are the
files of one release excerpt, read together by its format's reader and snapshotted as one
`expected/release.json`.

Tests find a document by its file name (unique across the tree) with `recorded_path`, so a
document can move between publisher folders without touching the tests that read it.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from credgraph.formats import TAXONOMY_FORMATS

ROOT = Path(__file__).resolve().parents[2]
CRAWLERS = ROOT / "crawlers"


@dataclass(frozen=True)
class Recorded:
    """One recorded document and how its publisher's source reads it."""

    publisher: str  # the folder under crawlers/
    path: Path
    format: str
    url: str
    media_type: str | None = None

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def expected(self) -> Path:
        return self.path.parent.parent / "expected" / f"{self.path.stem}.json"


def publishers() -> list[Path]:
    """Every publisher folder (a folder of crawlers/ with a source.toml)."""
    return sorted(p.parent for p in CRAWLERS.glob("*/source.toml"))


@dataclass(frozen=True)
class Release:
    """A recorded excerpt of a taxonomy release: the files of one publisher's documents/."""

    publisher: str
    folder: Path  # the documents/ folder, read as the release
    format: str
    url: str  # where the full release is downloaded

    @property
    def expected(self) -> Path:
        return self.folder.parent / "expected" / "release.json"


def releases() -> list[Release]:
    """Every recorded taxonomy release (a folder whose format is a taxonomy's), by folder."""
    found = []
    for folder in publishers():
        fmt = source_format(folder)
        entries = manifest(folder)
        if fmt in TAXONOMY_FORMATS and entries:
            found.append(Release(folder.name, folder / "documents", fmt, entries[0]["url"]))
    return found


def source_format(folder: Path) -> str:
    sources = tomllib.loads((folder / "source.toml").read_text(encoding="utf-8"))["source"]
    formats = {s["format"] for s in sources}
    if len(formats) != 1:
        raise ValueError(f"{folder.name}/source.toml names {sorted(formats)}: give one format")
    return str(formats.pop())


def manifest(folder: Path) -> list[dict[str, str]]:
    path = folder / "documents.toml"
    if not path.exists():
        return []
    entries: list[dict[str, str]] = tomllib.loads(path.read_text(encoding="utf-8"))["document"]
    return entries


@cache
def recorded() -> tuple[Recorded, ...]:
    """Every document listed in a documents.toml, in folder then file order."""
    found: list[Recorded] = []
    for folder in publishers():
        fmt = source_format(folder)
        for entry in manifest(folder):
            found.append(
                Recorded(
                    folder.name,
                    folder / "documents" / entry["file"],
                    fmt,
                    entry["url"],
                    entry.get("media_type"),
                )
            )
    return tuple(sorted(found, key=lambda r: (r.publisher, r.name)))


def recorded_document(name: str) -> Recorded:
    """The recorded document with this file name, wherever its publisher folder is."""
    matches = [r for r in recorded() if r.name == name]
    if len(matches) != 1:
        raise LookupError(f"{len(matches)} recorded documents named {name!r} under {CRAWLERS}")
    return matches[0]


def recorded_path(name: str) -> Path:
    return recorded_document(name).path
