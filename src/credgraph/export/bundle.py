"""An export from start to finish: select, render, hash, and deliver as a streamed zip (the
data files plus `manifest.json`), or as files on disk written under a `.part` name and
renamed only when complete, so a failed export (a full disk, a store gone) never leaves a
file that looks finished.

    export = Export(store, Selection(seeds=("onet:15-2051.00",), depth=2), "graphml")
    async for chunk in export.zip_stream(): ...          # HTTP
    await export.write(Path("graph.graphml"))            # CLI: + graph.graphml.manifest.json

Compressing runs in a worker thread like the rendering (`offload`); with a `deadline`, every
step of the export stops with ExportTimedOut once it has passed.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import zipfile
from collections.abc import AsyncGenerator, AsyncIterator, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from credgraph.errors import InvalidQuery
from credgraph.export.deadline import Deadline, within
from credgraph.export.formats.base import Format
from credgraph.export.formats.graphml import GraphML
from credgraph.export.formats.jsonld import JsonLd
from credgraph.export.formats.ndjson import NDJson, NodeLink
from credgraph.export.formats.tables import CsvTables
from credgraph.export.manifest import FileDigest, build, source_notes
from credgraph.export.offload import Offload
from credgraph.export.selection import (
    Resolved,
    Selection,
    resolve_filters,
    resolve_seeds,
    select,
)
from credgraph.export.stream import Tally, render
from credgraph.store.base import GraphStore

FORMATS: dict[str, Callable[[], Format]] = {
    "graphml": GraphML,
    "csv": CsvTables,
    "jsonld": JsonLd,
    "ndjson": NDJson,
    "nodelink": NodeLink,
}
MANIFEST = "manifest.json"
Progress = Callable[[Tally], None]


def format_named(name: str) -> Format:
    try:
        return FORMATS[name.strip().lower()]()
    except KeyError:
        raise InvalidQuery(
            f"unknown export format {name!r} (one of {', '.join(FORMATS)})"
        ) from None


class _Sink:
    """A write-only file zipfile can stream into; what it wrote is taken in pieces."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self.parts)
        self.parts.clear()
        return data


class _Zipper:
    """Data files into a zip, entry after entry: plain synchronous work (compressing), run in
    a worker thread."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        self.entry: IO[bytes] | None = None
        self.current: str | None = None

    def write(self, name: str, data: bytes) -> None:
        if name != self.current:
            if self.entry is not None:
                self.entry.close()
            self.entry = self.archive.open(name, "w", force_zip64=True)
            self.current = name
        assert self.entry is not None
        self.entry.write(data)

    def finish(self, manifest: bytes) -> None:
        if self.entry is not None:
            self.entry.close()
        self.archive.writestr(MANIFEST, manifest)
        self.archive.close()

    def abandon(self) -> None:
        # Never yielded: a cut export's zip lacks its directory and reads as broken.
        with contextlib.suppress(Exception):
            self.archive.close()


class Export:
    def __init__(
        self,
        store: GraphStore,
        selection: Selection,
        format_name: str,
        *,
        progress: Progress | None = None,
        deadline: Deadline | None = None,
    ) -> None:
        self.store = store
        self.deadline = deadline
        self.selection = selection
        self.format = format_named(format_name)
        self.format_name = self.format.name
        self.tally = Tally()
        self.resolved: Resolved | None = None
        self.filters = Resolved()  # the issuer and skill filters, as graph ids
        self._focus = selection
        self.digests: list[FileDigest] = []
        self.progress = progress
        self._sources: dict[str, dict[str, Any]] = {}
        self._started = datetime.now(UTC)

    @property
    def files(self) -> tuple[str, ...]:
        return self.format.files

    async def _prepare(self) -> None:
        self._started = datetime.now(UTC)
        async with within(self.deadline):
            if self.selection.seeds:
                self.resolved = await resolve_seeds(self.store, self.selection.seeds)
            self._focus, self.filters = await resolve_filters(self.store, self.selection)
            self._sources = await source_notes(self.store)

    async def parts(self) -> AsyncGenerator[tuple[str, bytes], None]:
        """(file name, bytes) of the data files, hashing as they go."""
        await self._prepare()
        items = select(self.store, self._focus, self.resolved)
        hashes: dict[str, Any] = {}
        sizes: dict[str, int] = {}
        rendered = render(
            items,
            self.format,
            self.tally,
            interleaved=bool(self.selection.seeds),
            history=self.store.credential_history_many,
            deadline=self.deadline,
        )
        async with contextlib.aclosing(rendered):
            async for name, data in rendered:
                hashes.setdefault(name, hashlib.sha256()).update(data)
                sizes[name] = sizes.get(name, 0) + len(data)
                if self.progress is not None:
                    self.progress(self.tally)
                yield name, data
        self.digests = [FileDigest(n, sizes[n], hashes[n].hexdigest()) for n in hashes]

    def manifest(self) -> dict[str, Any]:
        """Complete once `parts()` has run to its end."""
        scheme = str(getattr(self.store, "url", "")).split(":", 1)[0] or "unknown"
        return build(
            format_name=self.format_name,
            selection=self.selection,
            resolved=self.resolved,
            unmatched_filters=self.filters.unknown,
            tally=self.tally,
            files=self.digests,
            sources=self._sources,
            store_kind=scheme,
            started=self._started,
        )

    def manifest_bytes(self) -> bytes:
        return (json.dumps(self.manifest(), indent=2, ensure_ascii=False) + "\n").encode()

    async def zip_stream(self) -> AsyncIterator[bytes]:
        """The data files and the manifest as one zip, streamed (no seeking, data
        descriptors after each entry)."""
        sink = _Sink()
        zipper = _Zipper(
            zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=3)
        )
        offload = Offload(self.deadline)
        try:
            async with contextlib.aclosing(self.parts()) as parts:
                async for name, data in parts:
                    await offload.run(zipper.write, name, data)
                    if chunk := sink.take():
                        yield chunk
            await offload.run(zipper.finish, self.manifest_bytes())
            yield sink.take()
        finally:
            offload.close(zipper.abandon)

    async def write(self, out: Path) -> list[Path]:
        """Write to `out`: a `.zip` bundle (always, for CSV), else the data file and
        `<out>.manifest.json` beside it. Returns the paths written."""
        if not out.parent.is_dir():
            raise InvalidQuery(f"cannot write {out}: folder {out.parent} does not exist")
        _refuse_store_files(out, _store_files(self.store))
        if len(self.files) > 1 and out.suffix.lower() != ".zip":
            raise InvalidQuery(
                f"{self.format_name} exports several files: --out must end in .zip, got {out}"
            )
        if out.suffix.lower() == ".zip":
            await _atomic(out, self.zip_stream())
            return [out]

        async def data() -> AsyncIterator[bytes]:
            async for _name, chunk in self.parts():
                yield chunk

        # The data file stays a `.part` until its manifest is written too: a data file
        # without the manifest that says what it holds must not look finished.
        data_part = await _write_part(out, data())
        sidecar = out.with_name(out.name + ".manifest.json")
        digests = [FileDigest(out.name, d.bytes, d.sha256) for d in self.digests]
        self.digests = digests
        try:
            sidecar_part = await _write_part(sidecar, _once(self.manifest_bytes()))
        except BaseException:
            with contextlib.suppress(OSError):
                data_part.unlink()
            raise
        os.replace(data_part, out)
        os.replace(sidecar_part, sidecar)
        return [out, sidecar]


# The files of a SQLite database: its own, and the journal, WAL and shared memory beside it.
_SQLITE_SUFFIXES = ("", "-wal", "-shm", "-journal")


def _store_files(store: object) -> list[Path]:
    """The files of the store being read (none for a server such as Neo4j)."""
    path = getattr(store, "path", None)  # a SQLite store's database file
    if not isinstance(path, Path):
        return []
    return [path.with_name(path.name + suffix) for suffix in _SQLITE_SUFFIXES]


def _refuse_store_files(out: Path, store_files: list[Path]) -> None:
    """InvalidQuery when any file the export writes (`out`, its manifest, their `.part`
    files) is one of the store's: the rename at the end would replace the database being
    read with the export. Paths are compared resolved (symlinks, `..`) and, for files that
    exist, as the same file (hard links)."""
    if not store_files:
        return
    sidecar = out.with_name(out.name + ".manifest.json")
    written = [out, sidecar]
    written += [p.with_name(p.name + ".part") for p in written]
    for target in written:
        for store_file in store_files:
            if _same_file(target, store_file):
                raise InvalidQuery(
                    f"cannot write {target}: it is the store being exported ({store_file}); "
                    "choose another --out"
                )


def _same_file(a: Path, b: Path) -> bool:
    if a.resolve() == b.resolve():
        return True
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


async def _once(data: bytes) -> AsyncIterator[bytes]:
    yield data


async def _atomic(path: Path, chunks: AsyncIterator[bytes]) -> None:
    """Write under `<path>.part`, flushed to disk, then rename; remove the part on failure."""
    os.replace(await _write_part(path, chunks), path)


async def _write_part(path: Path, chunks: AsyncIterator[bytes]) -> Path:
    """Write `<path>.part`, flushed to disk, and return it; remove it on failure."""
    part = path.with_name(path.name + ".part")
    try:
        with part.open("wb") as handle:
            async for chunk in chunks:
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            part.unlink()
        raise
    return part
