"""Taxonomy releases held in memory, and strategies that damage one file of a release:
truncation, hostile cells, stray quotes and delimiters, huge cells, lost headers."""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path
from typing import IO

from hypothesis import strategies as st

from tests.fuzz.hostile import hostile_text

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
RELEASES = {"onet": "onet", "esco": "esco", "crosswalk": "crosswalk"}


class MemoryFiles:
    """A release as a dict of file name to text (the TaxonomyFiles protocol)."""

    def __init__(self, files: dict[str, str], label: str = "memory:release") -> None:
        self.label = label
        self._files = files

    def names(self) -> list[str]:
        return list(self._files)

    def open_text(self, name: str) -> IO[str]:
        return io.StringIO(self._files[name], newline="")


@cache
def release(folder: str) -> dict[str, str]:
    """The fixture release in tests/fixtures/<folder> (its `broken` variant files under
    `broken/`), as name -> text."""
    root = FIXTURES / folder
    return {
        # decoded the way ZipFiles and FolderFiles do (the broken files hold bad bytes)
        p.relative_to(root).as_posix(): p.read_bytes().decode("utf-8-sig", errors="replace")
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.suffix in (".txt", ".csv", ".tsv")
    }


@st.composite
def damaged_release(draw: st.DrawFn, folder: str) -> tuple[dict[str, str], str]:
    """A copy of a fixture release (its good or its broken files) with one file damaged."""
    everything = release(folder)
    broken = draw(st.booleans()) and any(n.startswith("broken/") for n in everything)
    files = {
        n.removeprefix("broken/"): t
        for n, t in everything.items()
        if n.startswith("broken/") == broken
    }
    if broken:  # the broken set lacks some files; borrow the good ones
        files = {**{n: t for n, t in everything.items() if "/" not in n}, **files}
    name = draw(st.sampled_from(sorted(files)))
    text = files[name]
    how = draw(
        st.sampled_from(
            ["truncate", "insert", "quote", "huge-cell", "no-header", "lines", "delete"]
        )
    )
    at = draw(st.integers(0, len(text)))
    if how == "truncate":
        text = text[:at]
    elif how == "insert":
        text = text[:at] + draw(hostile_text()) + text[at:]
    elif how == "quote":
        text = (
            text[:at]
            + draw(st.sampled_from(['"', "'", '"\t', '""', '\\"', "\r", "\x00"]))
            + text[at:]
        )
    elif how == "huge-cell":
        text = text[:at] + "z" * draw(st.sampled_from([200_000, 2_000_000])) + text[at:]
    elif how == "no-header":
        text = text.split("\n", 1)[-1]
    elif how == "lines":
        extra = draw(st.lists(st.text(st.characters(codec=None), max_size=80), max_size=5))
        text = text[:at] + "\n".join(extra) + text[at:]
    else:
        del files[name]
        return files, f"{how} {name}"
    files[name] = text
    return files, f"{how} {name}"
