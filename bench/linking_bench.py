"""Linking benchmark: the linker over a labelled set of real and realistic mentions.

    python bench/linking_bench.py [--threshold 90] [--repeat 20] [--sweep]

Loads the O*NET and ESCO test fixtures plus the extra rows under tests/fixtures/linking/
through the real readers, links every mention of tests/fixtures/linking/labelled.csv, and
prints precision (correct / resolved) and recall (correct / mentions whose canonical node is
loaded) overall and by method, and mentions per second with a cold cache. `--sweep` prints
the figures for a range of fuzzy thresholds (how the default was chosen).
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from credgraph.formats import esco, onet  # noqa: E402
from credgraph.formats.taxonomy import FolderFiles  # noqa: E402
from credgraph.link.index import TaxonomyIndex  # noqa: E402
from credgraph.link.resolve import DEFAULT_THRESHOLD, UNRESOLVED, Linker  # noqa: E402
from credgraph.model.ids import occupation_id, skill_id  # noqa: E402
from credgraph.model.records import Occupation, Skill  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"
LABELLED = FIXTURES / "linking" / "labelled.csv"
TAXONOMY_FOLDERS = (
    ("onet", FIXTURES / "onet"),
    ("esco", FIXTURES / "esco"),
    ("onet", FIXTURES / "linking" / "onet"),
    ("esco", FIXTURES / "linking" / "esco"),
)
TARGET_PRECISION = 0.95
TARGET_RECALL = 0.85


@dataclass(frozen=True, slots=True)
class Labelled:
    mention: Skill | Occupation
    expected: frozenset[str]  # acceptable canonical ids; empty for "none"
    loaded: bool  # an expected node is in the benchmark taxonomy
    origin: str


@dataclass
class Figures:
    total: int = 0
    loaded: int = 0
    resolved: int = 0
    correct: int = 0
    correct_loaded: int = 0
    by_method: Counter[str] = field(default_factory=Counter)
    correct_by_method: Counter[str] = field(default_factory=Counter)
    mentions_per_second: float = 0.0
    errors: list[tuple[str, str, str]] = field(default_factory=list)  # mention, got, expected

    @property
    def precision(self) -> float:
        return self.correct / self.resolved if self.resolved else 1.0

    @property
    def recall(self) -> float:
        return self.correct_loaded / self.loaded if self.loaded else 1.0


def load_taxonomy(folders: Sequence[tuple[str, Path]] = TAXONOMY_FOLDERS) -> TaxonomyIndex:
    """The benchmark taxonomy, read by the real O*NET and ESCO readers."""
    index = TaxonomyIndex()
    for kind, path in folders:
        reader = onet.read if kind == "onet" else esco.read
        for batch in reader(FolderFiles(path)):
            for s in batch.skills:
                index.add_skill(s)
            for o in batch.occupations:
                index.add_occupation(o)
    return index


def _mention(name: str, framework: str, given: str, kind: str) -> Skill | Occupation:
    uri = given if given.startswith(("http://", "https://")) else None
    code = None if uri else (given or None)
    fw = framework or None
    if kind == "skill":
        sid = skill_id(uri=uri, framework=fw, code=code, label=name)
        return Skill(id=sid, name=name, framework=fw, uri=uri, code=code)
    oid = occupation_id(uri=uri, framework=fw, code=code, label=name)
    return Occupation(id=oid, name=name, code=code, framework=fw, uri=uri)


def read_labelled(path: Path = LABELLED) -> Iterator[Labelled]:
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            expected = frozenset(
                e.strip() for e in row["expected"].split("|") if e.strip() and e.strip() != "none"
            )
            yield Labelled(
                _mention(row["mention"], row["framework"], row["code_or_uri"], row["kind"]),
                expected,
                row["loaded"] == "1",
                row["origin"],
            )


def _link(linker: Linker, m: Skill | Occupation) -> tuple[str | None, str]:
    if isinstance(m, Skill):
        node, method, _ = linker.link_skill(m)
    else:
        onode, method, _ = linker.link_occupation(m)
        return (None if method == UNRESOLVED else onode.id), method
    return (None if method == UNRESOLVED else node.id), method


def measure(
    index: TaxonomyIndex | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    repeat: int = 5,
    rows: Sequence[Labelled] | None = None,
) -> Figures:
    """Precision, recall and throughput of the linker over the labelled set."""
    index = index if index is not None else load_taxonomy()
    rows = list(rows if rows is not None else read_labelled())
    figures = Figures(total=len(rows), loaded=sum(r.loaded for r in rows))
    linker = Linker(index, threshold=threshold)
    for row in rows:
        got, method = _link(linker, row.mention)
        if got is None:
            if row.loaded:
                figures.errors.append((row.mention.name, "unresolved", "|".join(row.expected)))
            continue
        figures.resolved += 1
        figures.by_method[method] += 1
        if got in row.expected:
            figures.correct += 1
            figures.correct_by_method[method] += 1
            figures.correct_loaded += row.loaded
        else:
            figures.errors.append(
                (row.mention.name, f"{method}:{got}", "|".join(row.expected) or "none")
            )
    started = time.perf_counter()
    for _ in range(repeat):
        cold = Linker(index, threshold=threshold)  # a fresh cache each round
        for row in rows:
            _link(cold, row.mention)
    spent = time.perf_counter() - started
    figures.mentions_per_second = len(rows) * repeat / spent if spent else 0.0
    return figures


def report(figures: Figures, console: Console) -> None:
    table = Table(
        title=f"Linking: {figures.total} mentions, {figures.loaded} with their "
        "canonical node loaded"
    )
    for column in ("method", "resolved", "correct", "precision", "recall share"):
        table.add_column(column, justify="left" if column == "method" else "right")
    for method, count in sorted(figures.by_method.items(), key=lambda kv: -kv[1]):
        ok = figures.correct_by_method[method]
        share = ok / figures.loaded if figures.loaded else 0.0
        table.add_row(method, str(count), str(ok), f"{ok / count:.3f}", f"{share:.3f}")
    table.add_row(
        "overall",
        str(figures.resolved),
        str(figures.correct),
        f"{figures.precision:.3f}",
        f"{figures.recall:.3f}",
        style="bold",
    )
    console.print(table)
    console.print(
        f"precision {figures.precision:.3f} (target >= {TARGET_PRECISION}), "
        f"recall {figures.recall:.3f} (target >= {TARGET_RECALL}), "
        f"{figures.mentions_per_second:,.0f} mentions/s (cold cache)"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--sweep", action="store_true", help="figures per fuzzy threshold")
    parser.add_argument("--errors", action="store_true", help="list the wrong and missed links")
    args = parser.parse_args(argv)
    console = Console()
    index = load_taxonomy()
    if args.sweep:
        sweep = Table(title="Fuzzy threshold sweep")
        for column in ("threshold", "fuzzy resolved", "fuzzy correct", "precision", "recall"):
            sweep.add_column(column, justify="right")
        for threshold in range(80, 101, 2):
            f = measure(index, float(threshold), repeat=0)
            sweep.add_row(
                str(threshold),
                str(f.by_method["fuzzy"]),
                str(f.correct_by_method["fuzzy"]),
                f"{f.precision:.3f}",
                f"{f.recall:.3f}",
            )
        console.print(sweep)
    figures = measure(index, args.threshold, repeat=args.repeat)
    report(figures, console)
    if args.errors:
        for mention, got, expected in figures.errors:
            console.print(f"  {mention!r}: got {got}, expected {expected}")
    ok = figures.precision >= TARGET_PRECISION and figures.recall >= TARGET_RECALL
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
