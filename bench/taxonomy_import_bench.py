"""ESCO-sized taxonomy import into a store: 14k skills, 3k occupations, 120k relations.

    python bench/taxonomy_import_bench.py --store sqlite
    python bench/taxonomy_import_bench.py --store neo4j --url bolt://127.0.0.1:7687   # wipes it

Streams `credgraph.formats.esco.read` batches into the store (occupations and skills, then
the occupation-skill requirements, whole occupations replaced at a time, as an import does)
and times the first import and a re-import of the same files (every record unchanged). A re-import of an unchanged release over HTTP costs one 304 and
no parsing at all (tests/crawl/test_taxonomy_import.py); this measures the worst case where
the files are read again.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from rich.console import Console
from rich.table import Table
from store_bench import peak_rss_mb, wipe_neo4j
from taxonomy_data import write_esco_like

from credgraph.formats import esco
from credgraph.formats.taxonomy import FolderFiles
from credgraph.ingest.imports import requirement_batches, requirements_owner
from credgraph.model.records import SkillRequirement
from credgraph.model.views import UpsertReport
from credgraph.store import GraphStore, open_store


async def import_once(store: GraphStore, folder: Path) -> tuple[float, dict[str, int]]:
    counts = {"created": 0, "updated": 0, "unchanged": 0, "rejected": 0, "warnings": 0}
    started = time.perf_counter()
    reports: list[UpsertReport | None] = []
    # As an import does: requirements held by occupation until the release is read, then
    # each occupation's replaced whole.
    held: dict[str, list[SkillRequirement]] = {}
    for batch in esco.read(FolderFiles(folder), batch_size=5000):
        counts["warnings"] += len(batch.warnings)
        reports.append(
            await store.upsert_occupations(batch.occupations) if batch.occupations else None
        )
        reports.append(await store.upsert_skills(batch.skills) if batch.skills else None)
        for occupation in batch.occupations:
            held.setdefault(occupation.id, [])
        for requirement in batch.requirements:
            held.setdefault(requirement.occupation_id, []).append(requirement)
    for occupation_ids, requirements in requirement_batches(held):
        reports.append(
            await store.replace_skill_requirements(
                requirements_owner("esco"), occupation_ids, requirements
            )
        )
    for report in reports:
        if report is not None:
            counts["created"] += report.created
            counts["updated"] += report.updated + report.deleted
            counts["unchanged"] += report.unchanged
            counts["rejected"] += len(report.rejected)
    return time.perf_counter() - started, counts


async def main(kind: str, url: str | None, scale: float) -> None:
    with tempfile.TemporaryDirectory(prefix="credgraph-esco-") as tmp:
        await _measure(kind, url, scale, Path(tmp))


async def _measure(kind: str, url: str | None, scale: float, folder: Path) -> None:
    write_esco_like(
        folder,
        skills=int(14_000 * scale),
        occupations=int(3_000 * scale),
        relations=int(120_000 * scale),
    )
    if kind == "neo4j":
        assert url, "--url is required for neo4j"
        await wipe_neo4j(url)
    else:
        url = f"sqlite:///{folder / 'taxonomy.db'}"
    async with open_store(url) as store:
        first, first_counts = await import_once(store, folder)
        again, again_counts = await import_once(store, folder)
        stats = await store.stats()
    table = Table(title=f"ESCO-sized taxonomy import into {kind}")
    table.add_column("measure")
    table.add_column("value", justify="right")
    table.add_row(
        "graph",
        f"{stats.skills:,} skills, {stats.occupations:,} occupations, "
        f"{stats.relationships:,} relationships",
    )
    table.add_row(
        "first import",
        f"{first:.1f} s ({first_counts['created']:,} created, "
        f"{first_counts['rejected']} rejected, {first_counts['warnings']} warnings)",
    )
    table.add_row(
        "re-import of the same files",
        f"{again:.1f} s ({again_counts['unchanged']:,} unchanged, "
        f"{again_counts['created'] + again_counts['updated']} written)",
    )
    table.add_row("  ratio to first import", f"{again / first:.2f}")
    table.add_row("peak RSS", f"{peak_rss_mb():.0f} MB")
    Console().print(table)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--store", choices=["sqlite", "neo4j"], required=True)
    parser.add_argument("--url")
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    asyncio.run(main(args.store, args.url, args.scale))
