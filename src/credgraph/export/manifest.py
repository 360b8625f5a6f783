"""The manifest every export carries: what was selected, from which sources (with their URLs,
terms and crawl times), how much of each kind, by which credgraph, and a sha256 per file."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from credgraph import __version__
from credgraph.export.columns import EDGE_COLUMNS, LIST, NODE_COLUMNS
from credgraph.export.selection import Resolved, Selection
from credgraph.export.stream import Tally
from credgraph.formats import esco, onet
from credgraph.model.crawl import VERIFIED_SUBMISSION
from credgraph.store.ports import CrawlLedger

# The version of the export layout (columns, keys, file names); bumped when they change.
# 2: list columns are JSON arrays in NDJSON, node-link and JSON-LD (strings joined with "|"
# before), and joined with a backslash escaping "|" and "\\" in items in CSV and GraphML.
EXPORT_SCHEMA_VERSION = 2
# The taxonomy import format each framework's skills and occupations come from: the store
# records no source per taxonomy node, but every import of a release is a configured source
# of that format, with its URLs, licence (O*NET and ESCO: CC BY 4.0) and runs.
TAXONOMY_OF_FRAMEWORK = {
    onet.SKILL_FRAMEWORK: "onet",
    onet.OCCUPATION_FRAMEWORK: "onet",
    esco.FRAMEWORK: "esco",
    "ISCO-08": "crosswalk",  # the occupation groups a crosswalk names
}
_VERIFIED = {
    "id": VERIFIED_SUBMISSION,
    "name": "credentials submitted for badge verification (`credgraph verify`, verifyBadge)",
}


@dataclass(frozen=True, slots=True)
class FileDigest:
    name: str
    bytes: int
    sha256: str


async def source_notes(store: CrawlLedger) -> dict[str, dict[str, Any]]:
    """Every configured source with its URLs, terms and its last run, by id (read before
    the export starts, so the manifest describes the data as it was read)."""
    notes: dict[str, dict[str, Any]] = {}
    for source in await store.list_sources():
        runs = await store.crawl_runs(source.id, limit=1)
        last = runs[0] if runs else None
        notes[source.id] = {
            "id": source.id,
            "name": source.name,
            "format": source.format,
            "urls": list(source.urls),
            "licence": source.licence,
            "last_crawl": None
            if last is None
            else {
                "status": last.status.value,
                "started_at": last.started_at.isoformat(),
                "finished_at": last.finished_at.isoformat() if last.finished_at else None,
            },
        }
    return notes


def build(
    *,
    format_name: str,
    selection: Selection,
    resolved: Resolved | None,
    tally: Tally,
    unmatched_filters: list[str] | None = None,
    files: list[FileDigest],
    sources: dict[str, dict[str, Any]],
    store_kind: str,
    started: datetime,
) -> dict[str, Any]:
    cited, unsourced = _cited(tally, sources)
    notes = []
    if tally.empty:
        notes.append("The selection matched nothing: the export is valid and empty.")
    if resolved is not None and resolved.unknown:
        notes.append(f"{len(resolved.unknown)} seed(s) name no node: {resolved.unknown[:20]}")
    unmatched = unmatched_filters or []
    if unmatched:
        notes.append(
            f"{len(unmatched)} issuer or skill filter value(s) name no node (no credential "
            f"passes by them): {unmatched[:20]}"
        )
    notes += _source_notes(cited, sources, unsourced)
    if format_name == "jsonld":
        notes.append("JSON-LD carries no edge attributes (method, confidence, importance).")
    return {
        "generator": {"name": "credgraph", "version": __version__},
        "export_schema_version": EXPORT_SCHEMA_VERSION,
        "format": format_name,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "started_at": started.isoformat(timespec="seconds"),
        "store": store_kind,
        "selection": selection.describe(),
        "unresolved_seeds": list(resolved.unknown) if resolved else [],
        "unresolved_filters": list(unmatched),
        "empty": tally.empty,
        "counts": {
            "nodes": dict(sorted(tally.nodes.items())),
            "edges": dict(sorted(tally.edges.items())),
            "total_nodes": sum(tally.nodes.values()),
            "total_edges": sum(tally.edges.values()),
            "credential_changes": tally.changes,  # version records, where the format has them
        },
        "sources": [_source_entry(s, sources) for s in cited],
        "columns": {
            "nodes": list(NODE_COLUMNS),
            "edges": list(EDGE_COLUMNS),
            # arrays, or in CSV and GraphML "|"-joined with "\\" escaping (columns.joined)
            "lists": [name for name, type_ in NODE_COLUMNS.items() if type_ == LIST],
        },
        "files": [{"name": f.name, "bytes": f.bytes, "sha256": f.sha256} for f in files],
        "notes": notes,
    }


def _cited(tally: Tally, sources: dict[str, dict[str, Any]]) -> tuple[list[str], Counter[str]]:
    """The ids of the sources the exported nodes come from, and by kind how many nodes have
    no recorded source: taxonomy nodes cite every configured import of their framework."""
    cited = set(tally.sources)
    unsourced = Counter(tally.unsourced)
    for (kind, framework), count in tally.frameworks.items():
        taxonomy = TAXONOMY_OF_FRAMEWORK.get(framework)
        imports = [s for s, note in sources.items() if taxonomy and note["format"] == taxonomy]
        if imports:
            cited.update(imports)
        else:
            unsourced[kind] += count
    return sorted(cited), unsourced


def _source_notes(
    cited: list[str], sources: dict[str, dict[str, Any]], unsourced: Counter[str]
) -> list[str]:
    notes = []
    if unsourced:
        counts = ", ".join(f"{n} {kind}" for kind, n in sorted(unsourced.items()))
        notes.append(
            f"No source is recorded for {counts} node(s): the store keeps none for issuers, "
            "nor for skills and occupations outside an imported taxonomy (the credentials "
            "naming them cite theirs)."
        )
    if VERIFIED_SUBMISSION in cited:
        notes.append(
            f"Credentials citing {VERIFIED_SUBMISSION!r} were added by badge verification, "
            "from the badge submitted, not crawled from a configured source."
        )
    missing = [s for s in cited if s not in sources and s != VERIFIED_SUBMISSION]
    if missing:
        notes.append(f"records cite sources no longer configured: {missing[:20]}")
    return notes


def _source_entry(source_id: str, sources: dict[str, dict[str, Any]]) -> dict[str, Any]:
    if source_id in sources:
        return sources[source_id]
    return dict(_VERIFIED) if source_id == VERIFIED_SUBMISSION else {"id": source_id}
