"""Taxonomy releases for reader tests: a fixture folder as it is, or zipped the way the
publisher ships it (files inside a top-level folder)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from credgraph.formats.base import ParseResult
from credgraph.formats.taxonomy import FolderFiles, TaxonomyFiles, ZipFiles


def zip_bytes(folder: Path, inner: str) -> bytes:
    """The folder's files in a zip, under `inner/` as in the publisher's download."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(folder.iterdir()):
            if file.is_file():
                archive.write(file, f"{inner}/{file.name}")
    return buffer.getvalue()


@contextmanager
def open_release(how: str, folder: Path, tmp_path: Path, inner: str) -> Iterator[TaxonomyFiles]:
    """`folder` as a FolderFiles (`how == "folder"`) or as ZipFiles over a zip of it."""
    if how == "folder":
        yield FolderFiles(folder)
        return
    path = tmp_path / f"{inner}.zip"
    path.write_bytes(zip_bytes(folder, inner))
    files = ZipFiles(path)
    try:
        yield files
    finally:
        files.close()


def collect(batches: Iterable[ParseResult]) -> ParseResult:
    total = ParseResult()
    for batch in batches:
        total.merge(batch)
    return total
