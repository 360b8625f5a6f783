"""The golden snapshot of a recorded document: what its publisher's format yields from it,
rendered as stable JSON (records without their provenance, sorted keys), so any change in what
a real document yields shows in review as a diff of `crawlers/<publisher>/expected/`.

`CREDGRAPH_UPDATE_GOLDEN=1` makes the golden tests rewrite the snapshots instead of comparing.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from typing import Any

from credgraph.formats import Document, ParseError, ParseResult, parser_for
from credgraph.formats.taxonomy import FolderFiles
from credgraph.ingest.taxonomy import reader_for
from credgraph.model.codec import to_json
from tests.crawlers.corpus import Recorded, Release

FETCHED = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
_LISTS = (
    "credentials",
    "issuers",
    "skills",
    "occupations",
    "requirements",
    "equivalences",
    "next_pages",
    "needs",
    "warnings",
)


def updating() -> bool:
    return os.environ.get("CREDGRAPH_UPDATE_GOLDEN", "").lower() in ("1", "yes", "true")


def as_document(recorded: Recorded) -> Document:
    return Document(
        url=recorded.url,
        text=recorded.path.read_text(encoding="utf-8"),
        source_id=recorded.publisher,
        format=recorded.format,
        fetched_at=FETCHED,
        media_type=recorded.media_type,
    )


def snapshot(recorded: Recorded) -> dict[str, Any]:
    head: dict[str, Any] = {"document": {"format": recorded.format, "url": recorded.url}}
    try:
        result = parser_for(recorded.format)(as_document(recorded))
    except ParseError as failed:
        return {**head, "error": failed.reason}
    found = {name: to_json(getattr(result, name), volatile=False) for name in _LISTS}
    # job postings and published pathways appear only where a document has them, so the
    # snapshots of other documents stand as they were
    if result.postings:
        found["postings"] = to_json(result.postings, volatile=False)
    pathways = {"pathways": to_json(result.pathways, volatile=False)} if result.pathways else {}
    return {**head, **pathways, **found}


def release_snapshot(release: Release) -> dict[str, Any]:
    """What the taxonomy reader yields from the recorded excerpt, its batches merged."""
    files = sorted(p.name for p in release.folder.iterdir() if p.is_file())
    head: dict[str, Any] = {
        "release": {"format": release.format, "url": release.url, "files": files}
    }
    read, _ = reader_for(release.format)
    total = ParseResult()
    try:
        for batch in read(FolderFiles(release.folder, release.url)):
            total.merge(batch)
    except ParseError as failed:
        return {**head, "error": failed.reason}
    return {**head, **{name: to_json(getattr(total, name), volatile=False) for name in _LISTS}}


def render(value: dict[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
