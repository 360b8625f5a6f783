"""Importing a taxonomy release (O*NET, ESCO, crosswalk): download, then stream batches.

A release is a zip (or, for a URL ending in "/", a folder whose files are fetched by name).
An unchanged release (304, or the same content hash) costs one request and no parsing.
"""

from __future__ import annotations

import importlib
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath
from typing import Protocol
from urllib.parse import urlsplit

from credgraph.errors import FetchError
from credgraph.fetch.client import Fetcher
from credgraph.fetch.result import FetchResult, Validators
from credgraph.formats.base import ParseResult
from credgraph.formats.taxonomy import FolderFiles, TaxonomyFiles, ZipFiles
from credgraph.model.records import Provenance


class Reader(Protocol):
    def __call__(
        self, files: TaxonomyFiles, *, batch_size: int = ..., provenance: Provenance | None = ...
    ) -> Iterator[ParseResult]: ...


def reader_for(format_name: str) -> tuple[Reader, tuple[str, ...]]:
    """The streaming reader of a taxonomy format and the file names it reads from a folder."""
    module = importlib.import_module(f"credgraph.formats.{format_name}")
    files: tuple[str, ...] = getattr(module, "FILES", ())
    read: Reader = module.read
    return read, files


async def download_release(
    fetcher: Fetcher,
    url: str,
    workdir: Path,
    folder_files: tuple[str, ...],
    validators: Validators | None,
    on_error: Callable[[str, str], None],
) -> tuple[FetchResult | None, TaxonomyFiles | None]:
    """Fetch a release into `workdir`. Returns (result, files); files is None when the
    release is unchanged. A folder URL fetches each known file; a missing optional file is
    reported through `on_error` and skipped."""
    name = PurePosixPath(urlsplit(url).path).name
    if name.lower().endswith((".csv", ".txt", ".tsv")):  # a single file, e.g. a crosswalk CSV
        result = await fetcher.download(url, workdir / name, validators)
        if result.not_modified or result.unchanged:
            return result, None
        return result, FolderFiles(workdir, label=url)
    if not url.endswith("/"):
        result = await fetcher.download(url, workdir / "release.zip", validators)
        if result.not_modified or result.unchanged:
            return result, None
        try:
            return result, ZipFiles(workdir / "release.zip", label=url)
        except (OSError, ValueError) as exc:  # zipfile.BadZipFile is a ValueError... of OSError kin
            raise FetchError(url, f"not a readable zip archive: {exc}") from exc
    fetched = 0
    for name in folder_files:
        try:
            await fetcher.download(url + name.replace(" ", "%20"), workdir / name)
            fetched += 1
        except FetchError as exc:
            on_error(exc.url, exc.reason)
    if not fetched:
        raise FetchError(url, "none of the release's files could be fetched from the folder")
    return FetchResult(url, url, 200), FolderFiles(workdir, label=url)


def scratch_dir() -> tempfile.TemporaryDirectory[str]:
    return tempfile.TemporaryDirectory(prefix="credgraph-taxonomy-")
