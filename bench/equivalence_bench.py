"""Cross-framework equivalence benchmark: close matches over real ESCO and O*NET labels.

    python bench/equivalence_bench.py [--threshold 0.88] [--sweep] [--errors]
    python bench/equivalence_bench.py --full      # full-size run through a SQLite store

Reads the real labels under bench/equivalence/ (ESCO v1.2.0 collections, O*NET 29.2
content-model elements and technology examples; see SOURCES.md there), computes the close
matches of every concept with `credgraph.link.lexical`, links every issuer-local label with
the linker over the same frameworks, and prints precision and recall over the labelled pairs
(bench/equivalence/pairs.csv) by set and by method, and for each half of the set (the
constants were chosen on the whole of it; the halves show how much that matters).

`--full` times the whole pipeline at full size: about 14,000 ESCO skills (the real ones plus
synthetic ones made of ESCO's own words) and the O*NET elements and technology examples,
written to a SQLite store and matched by `link.update_close_matches`, then an incremental
run after new skills arrive, with the peak memory of the process.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import random
import resource
import sys
import tempfile
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

from credgraph.link.close_matches import concepts_of, update_close_matches  # noqa: E402
from credgraph.link.index import TaxonomyIndex  # noqa: E402
from credgraph.link.lexical import THRESHOLD, LexicalMatcher  # noqa: E402
from credgraph.link.resolve import UNRESOLVED, Linker  # noqa: E402
from credgraph.model.ids import normalise_label  # noqa: E402
from credgraph.model.records import Skill  # noqa: E402
from credgraph.store import open_store  # noqa: E402

DATA = ROOT / "bench" / "equivalence"
TARGET_PRECISION = 0.9
TARGET_RECALL = 0.7
FULL_ESCO = 14_000
LEXICAL = "lexical"


@dataclass(frozen=True, slots=True)
class Pair:
    set: str  # "esco-onet" or "local-framework"
    a: str
    a_label: str
    b: str
    b_label: str
    match: bool
    origin: str


@dataclass
class Figures:
    pairs: int = 0
    positives: int = 0
    found: int = 0
    correct: int = 0
    by_method: Counter[str] = field(default_factory=Counter)
    correct_by_method: Counter[str] = field(default_factory=Counter)
    errors: list[tuple[str, Pair, float]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.correct / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.positives if self.positives else 1.0


def _rows(name: str) -> Iterator[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def framework_skills() -> list[Skill]:
    """The real ESCO and O*NET labels as the readers would store them."""
    skills = [
        Skill(
            r["uri"],
            r["label"],
            "ESCO",
            r["uri"],
            description=r["description"] or None,
            alt_labels=tuple(a for a in r["alt_labels"].split(" | ") if a),
        )
        for r in _rows("esco_skills.csv")
    ]
    skills += [
        Skill(
            "onet:" + r["element_id"],
            r["name"],
            "O*NET",
            code=r["element_id"],
            description=r["description"] or None,
        )
        for r in _rows("onet_elements.csv")
    ]
    commodities: dict[str, Skill] = {}
    for r in _rows("onet_technology.csv"):
        parent = "onet-tech:" + r["commodity_code"]
        commodities.setdefault(
            parent, Skill(parent, r["commodity_title"], "O*NET", code=r["commodity_code"])
        )
        skills.append(
            Skill(
                "onet-tech:" + normalise_label(r["example"]),
                r["example"],
                "O*NET",
                broader=(parent,),
            )
        )
    return skills + list(commodities.values())


def labelled() -> list[Pair]:
    return [
        Pair(
            r["set"],
            r["a_id"],
            r["a_label"],
            r["b_id"],
            r["b_label"],
            r["match"] == "1",
            r["origin"],
        )
        for r in _rows("pairs.csv")
    ]


def local_skills(pairs: Sequence[Pair]) -> list[Skill]:
    found = {p.a: p.a_label for p in pairs if p.set == "local-framework"}
    return [Skill(i, label) for i, label in found.items()]


def predictions(
    skills: list[Skill], pairs: Sequence[Pair], threshold: float
) -> dict[tuple[str, str], tuple[str, float]]:
    """(a, b) -> (method, score) of every pair found: close matches, and the links the linker
    makes for the local labels."""
    matcher = LexicalMatcher(concepts_of(skills), threshold=threshold)
    found: dict[tuple[str, str], tuple[str, float]] = {}
    for m in matcher.matches():
        method = f"{LEXICAL} (same label)" if m.score >= 1.0 else f"{LEXICAL} (partial)"
        found[(m.a, m.b)] = (method, m.score)
    linker = Linker(
        TaxonomyIndex.from_records([s for s in skills if not s.id.startswith("label:")])
    )
    for local in {p.a: p for p in pairs if p.set == "local-framework"}.values():
        node, method, confidence = linker.link_skill(Skill(local.a, local.a_label))
        if method != UNRESOLVED:
            found[tuple(sorted((local.a, node.id)))] = (method, confidence or 0.0)  # type: ignore[index]
    return found


def measure(pairs: Sequence[Pair], found: dict[tuple[str, str], tuple[str, float]]) -> Figures:
    figures = Figures(pairs=len(pairs), positives=sum(p.match for p in pairs))
    for pair in pairs:
        method, score = found.get(tuple(sorted((pair.a, pair.b))), ("", 0.0))  # type: ignore[arg-type]
        if method:
            figures.found += 1
            figures.by_method[method] += 1
            if pair.match:
                figures.correct += 1
                figures.correct_by_method[method] += 1
            else:
                figures.errors.append(("wrong", pair, score))
        elif pair.match:
            figures.errors.append(("missed", pair, score))
    return figures


def report(console: Console, title: str, figures: Figures) -> None:
    table = Table(title=f"{title}: {figures.pairs} labelled pairs, {figures.positives} matches")
    for column in ("method", "found", "correct", "precision", "recall share"):
        table.add_column(column, justify="left" if column == "method" else "right")
    for method, count in sorted(figures.by_method.items(), key=lambda kv: -kv[1]):
        ok = figures.correct_by_method[method]
        share = ok / figures.positives if figures.positives else 0.0
        table.add_row(method, str(count), str(ok), f"{ok / count:.3f}", f"{share:.3f}")
    table.add_row(
        "overall",
        str(figures.found),
        str(figures.correct),
        f"{figures.precision:.3f}",
        f"{figures.recall:.3f}",
        style="bold",
    )
    console.print(table)


def halves(pairs: Sequence[Pair]) -> tuple[list[Pair], list[Pair]]:
    return list(pairs[0::2]), list(pairs[1::2])


# -- full size ------------------------------------------------------------------------------


def synthetic_esco(real: list[Skill], n: int, seed: int = 7) -> list[Skill]:
    """`n` ESCO-like skills made of the real ones' words: a verb or first word, then words of
    other labels, with alternative labels the same way and a real description."""
    rng = random.Random(seed)
    labels = [s.name.split() for s in real if s.framework == "ESCO"]
    labels += [a.split() for s in real if s.framework == "ESCO" for a in s.alt_labels]
    descriptions = [s.description for s in real if s.framework == "ESCO" and s.description]

    def label() -> str:
        first, other = rng.choice(labels), rng.choice(labels)
        words = first[:1] + rng.sample(other, min(len(other), rng.randint(1, 3)))
        return " ".join(words)

    return [
        Skill(
            f"http://data.europa.eu/esco/skill/synthetic-{i}",
            label(),
            "ESCO",
            f"http://data.europa.eu/esco/skill/synthetic-{i}",
            description=rng.choice(descriptions),
            alt_labels=tuple(label() for _ in range(rng.randint(0, 8))),
        )
        for i in range(n)
    ]


async def full_size(console: Console, onet_elements: int | None) -> dict[str, float]:
    real = framework_skills()
    esco = [s for s in real if s.framework == "ESCO"]
    onet = [s for s in real if s.framework != "ESCO"]
    if onet_elements is not None:
        onet = onet[:onet_elements]
    skills = esco + synthetic_esco(real, FULL_ESCO - len(esco)) + onet
    arriving = synthetic_esco(real, 50, seed=11)
    arriving = [
        Skill(
            s.id + "-new",
            s.name,
            s.framework,
            s.uri.replace("synthetic", "new") if s.uri else None,
            description=s.description,
            alt_labels=s.alt_labels,
        )
        for s in arriving
    ]
    with tempfile.TemporaryDirectory() as folder:
        async with open_store(f"sqlite:///{folder}/full.db") as store:
            for start in range(0, len(skills), 5000):
                await store.upsert_skills(skills[start : start + 5000])
            full = await update_close_matches(store)
            await store.upsert_skills(arriving)
            again = await update_close_matches(store, [s.id for s in arriving])
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    table = Table(title=f"Full size: {len(skills)} skills ({FULL_ESCO} ESCO, {len(onet)} O*NET)")
    for column in ("run", "skills read", "compared", "matches", "edges created", "seconds"):
        table.add_column(column, justify="right")
    table.add_row(
        "full",
        str(full.concepts),
        str(full.compared),
        str(full.matches),
        str(full.created),
        f"{full.seconds:.1f}",
    )
    table.add_row(
        "incremental (50 new)",
        str(again.concepts),
        str(again.compared),
        str(again.matches),
        str(again.created),
        f"{again.seconds:.1f}",
    )
    console.print(table)
    console.print(f"peak memory of the process: {peak:.0f} MB")
    return {"full": full.seconds, "incremental": again.seconds, "peak_mb": peak}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threshold", type=float, default=THRESHOLD)
    parser.add_argument("--sweep", action="store_true", help="figures per threshold")
    parser.add_argument("--errors", action="store_true", help="list wrong and missed pairs")
    parser.add_argument("--full", action="store_true", help="time a full-size run")
    parser.add_argument(
        "--onet",
        type=int,
        default=None,
        help="with --full: only the first N O*NET skills (~1,200 in the issue)",
    )
    args = parser.parse_args(argv)
    console = Console()
    if args.full:
        figures = asyncio.run(full_size(console, args.onet))
        return 0 if figures["full"] < 120 and figures["peak_mb"] < 1024 else 1
    pairs = labelled()
    skills = framework_skills()
    started = time.perf_counter()
    found = predictions(skills + local_skills(pairs), pairs, args.threshold)
    spent = time.perf_counter() - started
    ok = True
    for name in ("esco-onet", "local-framework"):
        subset = [p for p in pairs if p.set == name]
        figures = measure(subset, found)
        report(console, name, figures)
        first, second = (measure(h, found) for h in halves(subset))
        console.print(
            f"  halves: P {first.precision:.3f} / {second.precision:.3f}, "
            f"R {first.recall:.3f} / {second.recall:.3f}"
        )
        ok = ok and figures.precision >= TARGET_PRECISION and figures.recall >= TARGET_RECALL
        if args.errors:
            for kind, pair, score in figures.errors:
                console.print(
                    f"  {kind}: {pair.a_label!r} ~ {pair.b_label!r} ({score:.3f})", highlight=False
                )
    console.print(
        f"threshold {args.threshold}; targets: precision >= {TARGET_PRECISION}, "
        f"recall >= {TARGET_RECALL}; {len(skills)} framework skills matched in "
        f"{spent:.1f} s"
    )
    if args.sweep:
        table = Table(title="Threshold sweep (ESCO-O*NET)")
        for column in ("threshold", "precision", "recall"):
            table.add_column(column, justify="right")
        low = predictions(skills + local_skills(pairs), pairs, 0.8)
        subset = [p for p in pairs if p.set == "esco-onet"]
        for step in range(80, 97, 2):
            kept = {
                k: v for k, v in low.items() if v[1] >= step / 100 or not v[0].startswith(LEXICAL)
            }
            f = measure(subset, kept)
            table.add_row(f"{step / 100:.2f}", f"{f.precision:.3f}", f"{f.recall:.3f}")
        console.print(table)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
