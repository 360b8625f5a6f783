"""Matching a job to credentials: how well skills are read from real job ads, and how fast
`matchJob(text:)` answers on the 100k-credential synthetic graph.

    python bench/match_bench.py                     # both parts, 100k credentials on SQLite
    python bench/match_bench.py --extraction-only   # only precision and recall
    python bench/match_bench.py --scale 0.1         # quick latency run
    python bench/match_bench.py --db /tmp/graph.db  # reuse (or create) a loaded file

1. **Extraction.** `bench/job_ads/ads.json` holds 53 real job ads (their requirement
   sections; sources and licence in `bench/job_ads/SOURCES.md`) with hand labels: the skills
   a careful reader finds in each, written as labels of the vocabulary they are measured
   against, the real ESCO v1.2.0 and O*NET 29.2 labels of `bench/equivalence/` (ESCO's
   digital, transversal, green and research collections and skill groups, O*NET's
   content-model elements and technology examples: 11,747 concepts). `first_pass` keeps the
   labels as first written, `adjudicated_once` those after one adjudication, `skills` those
   after a second reading (SOURCES.md says which changed); all three are printed. Each phrase the
   extractor finds counts once per ad; it is right when one of the concepts it names is one a
   label names. Recall counts the labels found. Every third ad (the 3rd, 6th, ...) is held
   out: rules were developed on the others, and the held-out figures are printed apart.
   `--errors` lists, per ad, each phrase found wrongly (with what it named and where) and
   each label missed. `bench/job_ads/fresh.json` is a second set, 9 older 18F postings
   labelled before the extractor had read them and never used to develop its rules: the
   "fresh" row was the clean test until its errors were read. `bench/job_ads/cds.json` is a
   third, 20 Canadian Digital Service postings labelled the same way, a development set too
   since its errors were read, and so are `bench/job_ads/cds2.json`, 16 more CDS postings,
   and `bench/job_ads/cds3.json`, 16 CDS postings of 2021-2023, and
   `bench/job_ads/gds.json`, 19 job descriptions of the UK Government Digital Service, the
   clean test of the sixth round and a development set since, and
   `bench/job_ads/california.json`, 25 job descriptions of the State of California, the clean
   test of the seventh round and a development set of the eighth (`--skip-blind` leaves it
   out, as it did while it was blind). Each figure is printed twice: as labelled, and with a
   concept the graph holds equivalent to a labelled one counting as it (the close matches
   `link.update_close_matches` computes between the frameworks, the equivalences `matchJob`
   covers a job's skills with); the strict figure is the measure, the second says how much of
   the gap is the labeller and the extractor choosing two equivalent concepts.
2. **Latency.** `matchJob(text:)` POSTed to `/graphql` of the app `credgraph serve` runs
   (in-process through httpx's ASGI transport: no sockets), on the
   graph `bench/synthetic.py` builds, with an ad of about 1,500 characters naming eight of its
   skills and one occupation code. The first requests wait for the vocabulary's build, being
   told to ask again while it runs (the time to the first answer is printed apart); then p50
   and p99 over `--runs` requests.

Figures are printed with the load average; nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parent
sys.path[:0] = [str(ROOT.parent / "src"), str(ROOT.parent), str(ROOT)]

from bench.equivalence_bench import framework_skills  # noqa: E402
from bench.store_bench import load  # noqa: E402
from bench.synthetic import Shape, occupation, skill  # noqa: E402

from credgraph.analysis.equivalents import Equivalents, counting  # noqa: E402
from credgraph.api.app import create_app  # noqa: E402
from credgraph.api.settings import load_settings  # noqa: E402
from credgraph.link.close_match_workers import lexical_matches  # noqa: E402
from credgraph.link.lexical import THRESHOLD  # noqa: E402
from credgraph.match.index import build  # noqa: E402
from credgraph.match.ranking import covers  # noqa: E402
from credgraph.match.skill_text import Found, Vocabulary, find_terms, words  # noqa: E402
from credgraph.model.records import Skill  # noqa: E402
from credgraph.store import open_store  # noqa: E402
from credgraph.store.equivalence import RelatedConcept, best_related, keep_better  # noqa: E402

console = Console(width=200)  # the table has ten columns: unwrapped when piped to a file
ADS = ROOT / "job_ads" / "ads.json"
FRESH = ROOT / "job_ads" / "fresh.json"
CDS = ROOT / "job_ads" / "cds.json"
CDS2 = ROOT / "job_ads" / "cds2.json"
CDS3 = ROOT / "job_ads" / "cds3.json"
GDS = ROOT / "job_ads" / "gds.json"
CALIFORNIA = ROOT / "job_ads" / "california.json"
QUERY = """query($text: String!) { matchJob(text: $text, first: 10) {
  skills { id name } occupations { id }
  credentials { credential { id name } coverage score why } } }"""


@dataclass
class Figures:
    found: int = 0
    correct: int = 0
    labels: int = 0
    recalled: int = 0
    texts: int = 0
    # the same, a concept counting as the label's when the graph holds it equivalent
    correct_equivalent: int = 0
    recalled_equivalent: int = 0

    @property
    def precision(self) -> float:
        return self.correct / self.found if self.found else 0.0

    @property
    def recall(self) -> float:
        return self.recalled / self.labels if self.labels else 0.0

    @property
    def precision_equivalent(self) -> float:
        return self.correct_equivalent / self.found if self.found else 0.0

    @property
    def recall_equivalent(self) -> float:
        return self.recalled_equivalent / self.labels if self.labels else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __iadd__(self, other: Figures) -> Figures:
        self.found += other.found
        self.correct += other.correct
        self.labels += other.labels
        self.recalled += other.recalled
        self.texts += other.texts
        self.correct_equivalent += other.correct_equivalent
        self.recalled_equivalent += other.recalled_equivalent
        return self


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def key(label: str) -> tuple[str, ...]:
    return tuple(w for w, _s, _e in words(label))


def written_labels(skills: list[Skill]) -> dict[str, set[str]]:
    """Each label and alternative label of the frameworks, as written, with its concepts."""
    concepts: dict[str, set[str]] = {}
    for concept in skills:
        for label in (concept.name, *concept.alt_labels):
            concepts.setdefault(label, set()).add(concept.id)
    return concepts


def graph_equivalents(skills: list[Skill]) -> Equivalents:
    """The equivalences a graph holding `skills` keeps, read as `matchJob` reads them: the
    close matches `link.update_close_matches` computes between the frameworks (no crosswalk
    of ESCO and O*NET skills is imported here, so there are no stated ones), each pair from
    both ends, best first, those that count (`analysis.equivalents.counting`)."""
    found: dict[str, dict[str, RelatedConcept]] = {}
    for match in lexical_matches(skills, None, THRESHOLD).matches:
        for one, other in ((match.a, match.b), (match.b, match.a)):
            keep_better(
                found.setdefault(one, {}), RelatedConcept(other, match.score, match.method, False)
            )
    return counting(best_related(found))


def widened(ids: set[str], equivalents: Equivalents | None) -> set[str]:
    """`ids` and the concepts the graph holds equivalent to them (direct edges only)."""
    if equivalents is None:
        return ids
    return ids | {r.id for i in ids for r in equivalents(i)}


@dataclass(frozen=True)
class Crossing:
    """A concept found where the label names another the graph holds equivalent to it."""

    found: str
    labelled: str


def measure_extraction(
    vocabulary: Vocabulary,
    ads: list[dict[str, Any]],
    show: bool,
    labels: str = "skills",
    errors: bool = False,
    written: dict[str, set[str]] | None = None,
    equivalents: Equivalents | None = None,
    crossings: list[Crossing] | None = None,
) -> Figures:
    """Precision and recall of `find_terms` on `ads` against their `labels`. A label is a phrase
    of the vocabulary, or (`written`) a framework label as written that the vocabulary holds no
    phrase for: its concept is counted, and found only if another phrase names it. With
    `equivalents`, the same counted a second time with a concept the graph holds equivalent to
    a labelled one counting as it; each such pair is added to `crossings`."""
    figures = Figures()
    for ad in ads:
        gold: dict[str, set[str]] = {}
        for label in ad[labels]:
            terms = vocabulary.phrases.get(key(label))
            if terms:
                gold[label] = {t.id for t in terms}
            elif written and label in written:
                gold[label] = written[label]
            elif labels == "first_pass":
                gold[label] = set()  # a non-concept is a miss
            else:
                raise SystemExit(f"{ad['id']}: label {label!r} is not in the vocabulary")
        gold_ids = set().union(*gold.values()) if gold else set()
        phrases: dict[tuple[str, ...], set[str]] = {}
        where: dict[tuple[str, ...], Found] = {}
        for found in find_terms(vocabulary, ad["text"]):
            phrases.setdefault(key(found.text), set()).update(t.id for t in found.terms)
            where.setdefault(key(found.text), found)
        found_ids = set().union(*phrases.values()) if phrases else set()
        wrong = [" ".join(p) for p, ids in phrases.items() if not ids & gold_ids]
        missed = [label for label, ids in gold.items() if not ids & found_ids]
        gold_wide = widened(gold_ids, equivalents)
        figures.correct_equivalent += sum(1 for ids in phrases.values() if ids & gold_wide)
        figures.recalled_equivalent += sum(
            1 for ids in gold.values() if widened(ids, equivalents) & found_ids
        )
        if crossings is not None and equivalents is not None:
            for ids in phrases.values():
                if not ids & gold_ids:
                    crossings.extend(
                        Crossing(f, r.id)
                        for f in sorted(ids)
                        for r in equivalents(f)
                        if r.id in gold_ids
                    )
        figures.texts += 1
        figures.found += len(phrases)
        figures.correct += len(phrases) - len(wrong)
        figures.labels += len(gold)
        figures.recalled += len(gold) - len(missed)
        if show and (wrong or missed):
            console.print(f"[bold]{ad['id']}[/]  wrong: {wrong}  missed: {missed}")
        if errors and (wrong or missed):
            print_errors(ad, vocabulary, [where[key(w)] for w in wrong], missed)
    return figures


def same_answer(crossings: list[Crossing], equivalents: Equivalents) -> tuple[int, int, float]:
    """Of the `crossings`, how many leave `matchJob`'s credentials the same: asked for the
    found concept or for the labelled one, the credentials covering it are those holding
    either or an equivalent of either (`ranking.covers`, one credential per concept held);
    the same set exactly when the two have the same equivalents besides each other. Also the
    lowest confidence a credential holding the other concept covers it with (1 for itself)."""
    same = 0
    lowest = 1.0
    for crossing in crossings:
        around = widened({crossing.found, crossing.labelled}, equivalents)
        by_found = {c for c in around if covers([crossing.found], frozenset({c}), equivalents)[0]}
        by_label = {
            c for c in around if covers([crossing.labelled], frozenset({c}), equivalents)[0]
        }
        same += by_found == by_label
        via, _ = covers([crossing.found], frozenset({crossing.labelled}), equivalents)
        lowest = min(lowest, *(c.confidence for c in via))
    return same, len(crossings), lowest


def print_errors(
    ad: dict[str, Any], vocabulary: Vocabulary, wrong: list[Found], missed: list[str]
) -> None:
    """Each wrong phrase with the labels it named and its context; each missed label."""
    print(f"== {ad['id']}")
    text = ad["text"]
    for found in wrong:
        named = "; ".join(dict.fromkeys(t.label for t in found.terms))
        context = text[max(0, found.start - 40) : found.end + 40].replace("\n", " | ")
        print(f"  wrong  {found.text!r} -> {named}  ...{context}...")
    for label in missed:
        print(f"  missed {label!r}")


def extraction(show: bool, errors: bool = False, blind: bool = True) -> None:
    data = json.loads(ADS.read_text(encoding="utf-8"))
    started = time.perf_counter()
    skills = framework_skills()
    written = written_labels(skills)
    vocabulary = build(skills, []).vocabulary
    built = time.perf_counter() - started
    equivalents = graph_equivalents(skills)
    ads = data["ads"]
    half = len(ads) // 2
    held_out = ads[2::3]
    developed = [ad for n, ad in enumerate(ads) if n % 3 != 2]
    fresh = json.loads(FRESH.read_text(encoding="utf-8"))["ads"]
    cds = json.loads(CDS.read_text(encoding="utf-8"))["ads"]
    cds2 = json.loads(CDS2.read_text(encoding="utf-8"))["ads"]
    cds3 = json.loads(CDS3.read_text(encoding="utf-8"))["ads"]
    gds = json.loads(GDS.read_text(encoding="utf-8"))["ads"]
    california = json.loads(CALIFORNIA.read_text(encoding="utf-8"))["ads"] if blind else []
    table = Table(title=f"Skills read from real job ads, against {data['vocabulary']}")
    for column in ("set", "ads", "labels", "found", "correct", "precision", "recall"):
        table.add_column(column)
    # The second figure: a concept the graph holds equivalent to the labelled one counts
    # (docs/matching.md §5 says when matchJob's answer is the same either way).
    for column in ("correct, equivalents", "precision, equivalents", "recall, equivalents"):
        table.add_column(column)
    crossings: list[Crossing] = []
    sets = (
        ("all", ads, "skills"),
        ("development (2 of 3)", developed, "skills"),
        ("held out (every 3rd)", held_out, "skills"),
        ("first half", ads[:half], "skills"),
        ("second half", ads[half:], "skills"),
        ("all, earlier labels", ads, "adjudicated_once"),
        ("development, earlier labels", developed, "adjudicated_once"),
        ("held out, earlier labels", held_out, "adjudicated_once"),
        ("all, first-pass labels", ads, "first_pass"),
        ("fresh (18f.gsa.gov, labelled blind)", fresh, "skills"),
        ("cds (digital.canada.ca, development now)", cds, "skills"),
        ("cds2 (digital.canada.ca, development now)", cds2, "skills"),
        ("cds3 (digital.canada.ca careers, development now)", cds3, "skills"),
        ("gds (GOV.UK service manual, development now)", gds, "skills"),
        *(
            (("california (State of California DGS, development now)", california, "skills"),)
            if blind
            else ()
        ),
    )
    for name, part, labels in sets:
        listed = name == "all" or any(part is s for s in (fresh, cds, cds2, cds3, gds, california))
        f = measure_extraction(
            vocabulary,
            part,
            show and listed,
            labels,
            errors and listed,
            written,
            equivalents,
            crossings if labels == "skills" and listed else None,
        )
        table.add_row(
            name,
            str(f.texts),
            str(f.labels),
            str(f.found),
            str(f.correct),
            f"{f.precision:.3f}",
            f"{f.recall:.3f}",
            str(f.correct_equivalent),
            f"{f.precision_equivalent:.3f}",
            f"{f.recall_equivalent:.3f}",
        )
    console.print(table)
    same, pairs, lowest = same_answer(crossings, equivalents)
    console.print(
        f"equivalences: {sum(len(r) for r in equivalents.of.values()) // 2:,} pairs at "
        f"{THRESHOLD}; concepts found for an equivalent label: {pairs}, of which matchJob "
        f"is covered by the same credentials either way: {same}; lowest confidence {lowest:.3f}"
    )
    console.print(
        f"vocabulary: {len(skills):,} concepts, {len(vocabulary):,} phrases, "
        f"built in {built:.2f} s; load average {load_average()}"
    )


def job_text(shape: Shape) -> str:
    """An ad of about 1,500 characters: two real ads' requirements, then eight of the synthetic
    graph's skills and one of its occupation codes."""
    ads = json.loads(ADS.read_text(encoding="utf-8"))["ads"]
    block = shape.skills // shape.topics
    wanted = [skill(shape, 7 * block + i).name for i in range(8)]
    text = (ads[23]["text"] + "\n" + ads[36]["text"])[:1300]
    code = occupation(shape, 7).code
    return text + "\nYou will need: " + ", ".join(wanted) + f". O*NET-SOC {code}."


async def latency(args: argparse.Namespace) -> None:
    shape = Shape().scaled(args.scale) if args.scale != 1.0 else Shape()
    path = Path(args.db) if args.db else Path(tempfile.mkdtemp()) / "match_bench.db"
    url = f"sqlite:///{path}"
    if not path.exists():
        console.print(f"loading {shape.credentials:,} credentials into {url} ...")
        async with open_store(url) as store:
            _, seconds = await load(store, shape)
        console.print(f"loaded in {seconds:.1f} s")
    text = job_text(shape)
    settings = load_settings(
        env={"CREDGRAPH_RATE_LIMIT_PER_IP": "0"}, store_url=url, access_log="off"
    )
    body = json.dumps({"query": QUERY, "variables": {"text": text}})
    async with open_store(url) as store:
        stats = await store.stats()
        # The app `credgraph serve` runs (limits, document cache, middleware), in-process.
        transport = httpx.ASGITransport(app=create_app(settings, store=store))
        async with httpx.AsyncClient(
            transport=transport, base_url="http://bench", timeout=60
        ) as client:
            # The app's first requests start the vocabulary's build and are told to ask again
            # while it runs (on the 1M graph, about a minute): the build's time is the wait.
            started = time.perf_counter()
            while True:
                response = await client.post(
                    "/graphql", content=body, headers={"content-type": "application/json"}
                )
                first = response.json().get("errors") or [{}]
                if first[0].get("extensions", {}).get("code") != "TIMEOUT":
                    break
                await asyncio.sleep(1.0)
            built = time.perf_counter() - started
            times = []
            for n in range(args.runs + 5):
                t0 = time.perf_counter()
                response = await client.post(
                    "/graphql", content=body, headers={"content-type": "application/json"}
                )
                if n >= 5:  # the first requests warm the document cache
                    times.append((time.perf_counter() - t0) * 1000)
                payload = response.json()
                if payload.get("errors"):
                    raise SystemExit(str(payload["errors"][0]))
        answer = payload["data"]["matchJob"]
    times.sort()
    table = Table(
        title=f"matchJob(text:) on SQLite, {stats.credentials:,} credentials, "
        f"{stats.skills:,} skills"
    )
    for column in (
        "text chars",
        "skills found",
        "occupations",
        "credentials",
        "first answer after s",
        "p50 ms",
        "p99 ms",
        "runs",
    ):
        table.add_column(column)
    table.add_row(
        str(len(text)),
        str(len(answer.get("skills", []))),
        str(len(answer.get("occupations", []))),
        str(len(answer.get("credentials", []))),
        f"{built:.2f}",
        f"{statistics.median(times):.1f}",
        f"{times[min(len(times) - 1, int(len(times) * 0.99))]:.1f}",
        str(len(times)),
    )
    console.print(table)
    top = answer.get("credentials", [])[:1]
    if top:
        console.print(f"best: {top[0]['credential']['name']} — {top[0]['why']}")
    console.print(f"load average {load_average()}")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--extraction-only", action="store_true")
    parser.add_argument("--latency-only", action="store_true")
    parser.add_argument("--show", action="store_true", help="List each ad's misses.")
    parser.add_argument(
        "--errors", action="store_true", help="Each wrong phrase in context, each missed label."
    )
    parser.add_argument(
        "--skip-blind",
        action="store_true",
        help="Leave out california.json (the blind set until the eighth round).",
    )
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--db", default=None, help="SQLite file to reuse or create.")
    parser.add_argument("--runs", type=int, default=200)
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    if not args.latency_only:
        extraction(args.show, args.errors, blind=not args.skip_blind)
    if not args.extraction_only:
        asyncio.run(latency(args))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
