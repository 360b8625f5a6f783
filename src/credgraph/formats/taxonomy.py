"""Reading taxonomy releases (O*NET text database, ESCO CSV, crosswalk CSV) as streams.

Taxonomies arrive as large files (a zip such as `db_30_1_text.zip`, or a folder of files), not
as one document, so their readers take a `TaxonomyFiles` and yield `ParseResult` batches that
the crawl writes one at a time: memory stays flat however large the release.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import IO, Protocol, TypeVar


class TaxonomyFiles(Protocol):
    """Named text files of one release, opened one at a time."""

    label: str  # where they came from, for messages (a URL or path)

    def names(self) -> list[str]:
        """File names (base names, e.g. "Occupation Data.txt"), in the release's order."""
        ...

    def open_text(self, name: str) -> IO[str]:
        """The file as text (UTF-8, BOM stripped, undecodable bytes replaced by U+FFFD)."""
        ...


class ZipFiles:
    """The files of a zip archive, found by base name whatever folder they sit in."""

    def __init__(self, path: Path, label: str | None = None) -> None:
        self.label = label or str(path)
        self._zip = zipfile.ZipFile(path)
        self._by_name = {
            PurePosixPath(info.filename).name: info.filename
            for info in self._zip.infolist()
            if not info.is_dir()
        }

    def names(self) -> list[str]:
        return list(self._by_name)

    def open_text(self, name: str) -> IO[str]:
        raw = self._zip.open(self._by_name[name])
        return io.TextIOWrapper(raw, encoding="utf-8-sig", errors="replace", newline="")

    def close(self) -> None:
        self._zip.close()


class FolderFiles:
    """The files of a local folder (a downloaded, unzipped release)."""

    def __init__(self, path: Path, label: str | None = None) -> None:
        self.label = label or str(path)
        self._path = path

    def names(self) -> list[str]:
        return sorted(p.name for p in self._path.iterdir() if p.is_file())

    def open_text(self, name: str) -> IO[str]:
        return open(self._path / name, encoding="utf-8-sig", errors="replace", newline="")


T = TypeVar("T")


def batches(items: Iterator[T], size: int) -> Iterator[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
