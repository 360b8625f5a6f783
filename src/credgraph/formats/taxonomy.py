"""Reading taxonomy releases (O*NET text database, ESCO CSV, crosswalk CSV) as streams.

Taxonomies arrive as large files (a zip such as `db_30_1_text.zip`, or a folder of files), not
as one document, so their readers take a `TaxonomyFiles` and yield `ParseResult` batches that
the crawl writes one at a time: memory stays flat however large the release.

The table reading every release reader shares is here too: `Table` (a delimited file, columns
found by header name), `numbered` (rows with their line numbers, warnings for bad ones),
`find_file`, `header_key`, and `batched` (records into ParseResults of a bounded size).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from pathlib import Path, PurePosixPath
from typing import IO, Protocol, TypeAlias, TypeVar

from credgraph.formats.base import ParseResult
from credgraph.model.records import Equivalence, Occupation, Skill, SkillRequirement


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


Item: TypeAlias = Occupation | Skill | SkillRequirement | Equivalence | str  # str: a warning


def header_key(name: str) -> str:
    """'O*NET-SOC Code' -> 'onetsoccode', 'conceptUri' -> 'concepturi'."""
    return re.sub(r"[^0-9a-z]+", "", name.casefold())


def find_file(names: Iterable[str], pattern: str) -> str | None:
    """The first file name matching a regular expression, case-insensitively."""
    compiled = re.compile(pattern, re.IGNORECASE)
    return next((n for n in names if compiled.fullmatch(n)), None)


def numbered(
    reader: Iterator[list[str]], line_num: Callable[[], int], name: str, width: int, offset: int = 0
) -> Iterator[tuple[int, list[str]] | str]:
    """(first line of the row, cells) for each row of the right width; a warning for the others.
    Blank lines are skipped; a row with U+FFFD is reported and kept."""
    last = line_num()
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            # One unreadable row (a cell past the csv module's field limit, say) costs that
            # row only: the reader carries on at the next line.
            line, last = offset + last + 1, line_num()
            yield f"{name}:{line}: unreadable row ({exc}); row skipped"
            continue
        line, last = offset + last + 1, line_num()
        if not cells or (len(cells) == 1 and not cells[0].strip()):
            continue
        if len(cells) != width:
            yield f"{name}:{line}: {len(cells)} columns where the header has {width}; row skipped"
            continue
        if "\ufffd" in "".join(cells):
            yield f"{name}:{line}: undecodable bytes (shown as U+FFFD) in this row"
        yield line, cells


class Table:
    """A delimited file of a release, read row by row, its columns found by header name.

    `.txt` and `.tsv` files are tab-separated without quoting (the O*NET text database);
    others are CSV with quoted cells, which may span lines (ESCO's altLabels)."""

    def __init__(self, files: TaxonomyFiles, name: str) -> None:
        self.files = files
        self.name = name
        self.columns: dict[str, int] = {}

    def rows(
        self, wanted: Mapping[str, Sequence[str]], required: Collection[str]
    ) -> Iterator[tuple[int, list[str]] | str]:
        """Rows as (line, cells), warnings as str. Sets `columns` (field -> index) from the
        header; a file without a required column yields one warning and no rows."""
        tabbed = self.name.lower().endswith((".txt", ".tsv"))
        with self.files.open_text(self.name) as handle:
            reader = (
                csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
                if tabbed
                else csv.reader(handle)
            )
            try:
                header = next(reader, None)
            except csv.Error as exc:
                yield f"{self.name}:1: unreadable header ({exc}); file skipped"
                return
            if not header:
                yield f"{self.name}: empty file"
                return
            keys: dict[str, int] = {}
            for index, title in enumerate(header):
                keys.setdefault(header_key(title), index)
            self.columns = {
                field: keys[header_key(alias)]
                for field, aliases in wanted.items()
                for alias in reversed(aliases)
                if header_key(alias) in keys
            }
            missing = [wanted[f][0] for f in required if f not in self.columns]
            if missing:
                yield f"{self.name}:1: no {', '.join(missing)} column; file skipped"
                return
            yield from numbered(reader, lambda: reader.line_num, self.name, len(header))

    def cell(self, cells: list[str], field: str) -> str:
        index = self.columns.get(field)
        return cells[index].strip() if index is not None else ""


def batched(items: Iterable[Item], size: int) -> Iterator[ParseResult]:
    """ParseResults of at most `size` records each, in stream order; each carries the warnings
    raised while its records were read."""
    if size < 1:
        raise ValueError(f"batch_size must be at least 1, got {size}")
    result, count = ParseResult(), 0
    for item in items:
        if isinstance(item, str):
            result.warnings.append(item)
            continue
        if isinstance(item, SkillRequirement):
            result.requirements.append(item)
        elif isinstance(item, Equivalence):
            result.equivalences.append(item)
        elif isinstance(item, Skill):
            result.skills.append(item)
        else:
            result.occupations.append(item)
        count += 1
        if count >= size:
            yield result
            result, count = ParseResult(), 0
    if count or result.warnings:
        yield result
