"""ESCO-sized synthetic taxonomy files, and how fast `credgraph.formats.esco.read` streams them.

    python bench/taxonomy_data.py                      # 14k skills, 3k occupations, 120k relations
    python bench/taxonomy_data.py --scale 0.1          # quick smoke run
    python bench/taxonomy_data.py --folder /tmp/esco   # keep the files

Writes an ESCO v1.2-layout CSV release (occupations, skill groups, skills, broader relations,
occupation-skill relations; altLabels are multi-line quoted cells, as in the real files) and
reads it back from the folder and from a zip of it. Each read runs in its own process so that
its peak RSS is its own. Prints a table.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
import uuid
import zipfile
from pathlib import Path

from rich.console import Console
from rich.table import Table

E = "http://data.europa.eu/esco/"
WORDS = (
    "data",
    "analysis",
    "software",
    "design",
    "database",
    "network",
    "security",
    "cloud",
    "welding",
    "nursing",
    "patient",
    "care",
    "logistics",
    "finance",
    "accounting",
    "marketing",
    "sales",
    "teaching",
    "curriculum",
    "robotics",
    "machine",
    "maintenance",
    "electrical",
    "installation",
    "safety",
    "quality",
    "control",
    "project",
    "management",
    "customer",
    "service",
    "food",
    "hygiene",
    "construction",
    "carpentry",
    "plumbing",
    "legal",
    "compliance",
    "research",
    "statistics",
    "translation",
    "language",
    "communication",
    "leadership",
    "negotiation",
    "sustainability",
    "energy",
    "solar",
)
VERBS = (
    "apply",
    "manage",
    "operate",
    "maintain",
    "design",
    "develop",
    "assess",
    "monitor",
    "use",
    "perform",
    "coordinate",
    "analyse",
    "install",
    "inspect",
    "advise on",
    "teach",
)
OCCUPATION_HEADER = [
    "conceptType",
    "conceptUri",
    "iscoGroup",
    "preferredLabel",
    "altLabels",
    "hiddenLabels",
    "status",
    "modifiedDate",
    "regulatedProfessionNote",
    "scopeNote",
    "definition",
    "inScheme",
    "description",
    "code",
    "naceCode",
]
SKILL_HEADER = [
    "conceptType",
    "conceptUri",
    "skillType",
    "reuseLevel",
    "preferredLabel",
    "altLabels",
    "hiddenLabels",
    "status",
    "modifiedDate",
    "scopeNote",
    "definition",
    "inScheme",
    "description",
]
GROUP_HEADER = [
    "conceptType",
    "conceptUri",
    "preferredLabel",
    "altLabels",
    "hiddenLabels",
    "status",
    "modifiedDate",
    "scopeNote",
    "inScheme",
    "description",
    "code",
]
BROADER_HEADER = [
    "conceptType",
    "conceptUri",
    "conceptLabel",
    "broaderType",
    "broaderUri",
    "broaderLabel",
]
RELATION_HEADER = [
    "occupationUri",
    "occupationLabel",
    "relationType",
    "skillType",
    "skillUri",
    "skillLabel",
]


def _uri(rng: random.Random, kind: str) -> str:
    return f"{E}{kind}/{uuid.UUID(int=rng.getrandbits(128), version=4)}"


def _phrase(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words))


def _sentence(rng: random.Random, length: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(length))
    return text[0].upper() + text[1:] + "."


def _alt_labels(rng: random.Random, label: str, low: int, high: int) -> str:
    """Newline-separated, as in ESCO's altLabels cells."""
    return "\n".join(
        f"{label} {_phrase(rng, rng.randint(1, 2))}" for _ in range(rng.randint(low, high))
    )


def write_esco_like(
    folder: Path,
    skills: int = 14_000,
    occupations: int = 3_000,
    relations: int = 120_000,
    seed: int = 1,
) -> dict[str, int]:
    """Write an ESCO-shaped English CSV release into `folder`; returns rows per file."""
    if relations > skills * occupations:
        raise ValueError("more relations than occupation-skill pairs")
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    scheme = f"{E}concept-scheme/skills, {E}concept-scheme/member-skills"

    groups = [
        (f"{E}isced-f/{i:04d}", f"{_phrase(rng, 3)} group {i}") for i in range(max(1, skills // 22))
    ]
    with open(folder / "skillGroups_en.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(GROUP_HEADER)
        for i, (uri, label) in enumerate(groups):
            writer.writerow(
                [
                    "SkillGroup",
                    uri,
                    label,
                    "",
                    "",
                    "released",
                    "",
                    "",
                    scheme,
                    _sentence(rng, 25),
                    f"{i:04d}",
                ]
            )
    counts["skillGroups_en.csv"] = len(groups)

    skill_rows: list[tuple[str, str, str]] = []  # uri, label, skillType
    with open(folder / "skills_en.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(SKILL_HEADER)
        for i in range(skills):
            uri, label = _uri(rng, "skill"), f"{rng.choice(VERBS)} {_phrase(rng, 3)} {i}"
            kind = rng.choice(("skill/competence", "knowledge"))
            skill_rows.append((uri, label, kind))
            writer.writerow(
                [
                    "KnowledgeSkillCompetence",
                    uri,
                    kind,
                    rng.choice(
                        ("sector-specific", "occupation-specific", "cross-sector", "transversal")
                    ),
                    label,
                    _alt_labels(rng, label, 1, 8),
                    "",
                    "released",
                    "2023-11-30T15:53:37.136Z",
                    "",
                    "",
                    scheme,
                    _sentence(rng, rng.randint(15, 45)),
                ]
            )
    counts["skills_en.csv"] = skills

    broader = 0
    with open(
        folder / "broaderRelationsSkillPillar_en.csv", "w", encoding="utf-8", newline=""
    ) as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(BROADER_HEADER)
        for i, (uri, label) in enumerate(groups[1:], start=1):
            parent = groups[rng.randrange(i)]
            writer.writerow(["SkillGroup", uri, label, "SkillGroup", parent[0], parent[1]])
            broader += 1
        for uri, label, _ in skill_rows:
            for parent in rng.sample(groups, k=min(len(groups), rng.choice((1, 1, 1, 2)))):
                writer.writerow(["KnowledgeSkillCompetence", uri, label, "SkillGroup", *parent])
                broader += 1
    counts["broaderRelationsSkillPillar_en.csv"] = broader

    occupation_rows: list[tuple[str, str]] = []
    with open(folder / "occupations_en.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(OCCUPATION_HEADER)
        for i in range(occupations):
            uri, label = _uri(rng, "occupation"), f"{_phrase(rng, 2)} worker {i}"
            isco = f"{rng.randint(1000, 9629)}"
            occupation_rows.append((uri, label))
            writer.writerow(
                [
                    "Occupation",
                    uri,
                    isco,
                    label,
                    _alt_labels(rng, label, 3, 15),
                    "",
                    "released",
                    "2024-01-25T11:28:50.295Z",
                    f"{E}regulated-professions/unregulated",
                    "",
                    "",
                    f"{E}concept-scheme/occupations",
                    _sentence(rng, rng.randint(30, 80)),
                    f"{isco}.{rng.randint(1, 12)}",
                    "http://data.europa.eu/ux2/nace2.1/6210",
                ]
            )
    counts["occupations_en.csv"] = occupations

    with open(
        folder / "occupationSkillRelations_en.csv", "w", encoding="utf-8", newline=""
    ) as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(RELATION_HEADER)
        per, extra = divmod(relations, occupations)
        for i, (occupation, occupation_label) in enumerate(occupation_rows):
            for s in rng.sample(range(skills), per + (1 if i < extra else 0)):
                uri, label, kind = skill_rows[s]
                writer.writerow(
                    [
                        occupation,
                        occupation_label,
                        "essential" if rng.random() < 0.45 else "optional",
                        kind,
                        uri,
                        label,
                    ]
                )
    counts["occupationSkillRelations_en.csv"] = relations
    return counts


def measure(folder: Path, source: str, batch_size: int) -> dict[str, float]:
    """Read the release once (from the folder, or a zip of it) and report, in this process."""
    from credgraph.formats import esco
    from credgraph.formats.taxonomy import FolderFiles, ZipFiles

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    files = FolderFiles(folder) if source == "folder" else ZipFiles(folder / "release.zip")
    start = time.perf_counter()
    records = warnings = batches = 0
    for batch in esco.read(files, batch_size=batch_size):
        batches += 1
        records += len(batch.occupations) + len(batch.skills) + len(batch.requirements)
        warnings += len(batch.warnings)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "records": records,
        "batches": batches,
        "warnings": warnings,
        "seconds": seconds,
        "before_mb": before,
        "peak_mb": peak,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--folder",
        type=Path,
        default=None,
        help="where to write and keep the release (default: a temporary folder, removed after)",
    )
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--batch-size", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--measure", choices=("folder", "zip"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.folder, args.measure, args.batch_size)))
        return

    if args.folder is not None:
        _write_and_read(args.folder, args)
        return
    with tempfile.TemporaryDirectory(prefix="credgraph-esco-bench-") as tmp:
        _write_and_read(Path(tmp), args)


def _write_and_read(folder: Path, args: argparse.Namespace) -> None:
    """Write the release into `folder`, then read it from the folder and from its zip, each in
    a process of its own."""
    console = Console(width=max(100, Console().width))
    start = time.perf_counter()
    counts = write_esco_like(
        folder,
        skills=int(14_000 * args.scale),
        occupations=int(3_000 * args.scale),
        relations=int(120_000 * args.scale),
        seed=args.seed,
    )
    with zipfile.ZipFile(folder / "release.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        for name in counts:
            archive.write(folder / name, f"ESCO dataset - classification - en - csv/{name}")
    size = sum((folder / name).stat().st_size for name in counts) / 2**20
    console.print(
        f"wrote {sum(counts.values()):,} rows ({size:.1f} MB, zip "
        f"{(folder / 'release.zip').stat().st_size / 2**20:.1f} MB) to {folder} "
        f"in {time.perf_counter() - start:.1f} s"
    )

    table = Table(title=f"esco.read, batch_size={args.batch_size}")
    for column in (
        "source",
        "records",
        "batches",
        "warnings",
        "seconds",
        "records/s",
        "RSS before (MB)",
        "peak RSS (MB)",
    ):
        table.add_column(column, justify="left" if column == "source" else "right")
    for source in ("folder", "zip"):
        child = subprocess.run(
            [
                sys.executable,
                __file__,
                "--folder",
                str(folder),
                "--measure",
                source,
                "--batch-size",
                str(args.batch_size),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        got = json.loads(child.stdout)
        table.add_row(
            source,
            f"{got['records']:,.0f}",
            f"{got['batches']:.0f}",
            f"{got['warnings']:.0f}",
            f"{got['seconds']:.2f}",
            f"{got['records'] / got['seconds']:,.0f}",
            f"{got['before_mb']:.0f}",
            f"{got['peak_mb']:.0f}",
        )
    console.print(table)


if __name__ == "__main__":
    main()
