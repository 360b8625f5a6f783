"""A learned precision filter for the phrases `find_terms` reads from job ads, measured by
leaving one development set out.

    python bench/precision_filter.py                   # leave-one-set-out figures, the weights
    python bench/precision_filter.py --first-contact   # also the once-blind sets' first runs
    python bench/precision_filter.py --lexical         # also the phrase's words as features

The hand rules of `credgraph.match.skill_text` were written against the development sets;
on a new employer precision falls most (docs/matching.md §5). The question here: does a
small logistic regression over what the extractor already knows about each phrase (how many
words, how it was matched, how its labels are written, how common its words are in the
vocabulary, where it stands in the ad, the words before it, how many other phrases its
sentence yields) tell the phrases labellers did not count from those they did, on an
employer it was not trained on?

Each of the six development sets (ads, fresh, cds, cds2, cds3, gds) is held out in turn: the
model is trained on the phrases found in the other five, each labelled right when one of
the concepts it names is one the ad's hand labels name (as `match_bench` counts), and its
threshold is the one giving the best F1 on those five. The held-out set is then measured
with and without the filter, as `match_bench --extraction-only` measures it (a phrase counts
once per ad; a phrase is kept when one of its occurrences passes). Nothing reads the blind
set (california.json). No set identity, phrase or concept id is a feature.

The development sets' residual errors (about one phrase in ten) are what seven rounds of
rules left, not what a new employer's ad brings (one in three). `--first-contact` also
measures the four sets that were once blind (cds, cds2, cds3, gds) as the extractor of their
blind run read them (its source taken from git at that commit, and counted as that commit's
benchmark counted it: the blind figures of docs/matching.md §5 are reproduced), with the filter
trained on the other sets as read now, and then also on the other blind runs' phrases.

Answer (2026-12-06): no. No threshold, even one chosen on the held-out scores, raises pooled
F1 on the development sets or on the blind runs; held-out AUC is 0.47 to 0.78.

Figures are printed; nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
sys.path[:0] = [str(ROOT.parent / "src"), str(ROOT.parent), str(ROOT)]

from bench.equivalence_bench import framework_skills  # noqa: E402
from bench.match_bench import (  # noqa: E402
    CDS,
    CDS2,
    CDS3,
    FRESH,
    GDS,
    Figures,
    key,
    written_labels,
)

from credgraph.match.common_words import COMMON_WORDS, EMPTY_WORDS  # noqa: E402
from credgraph.match.index import build  # noqa: E402
from credgraph.match.inflection import is_english  # noqa: E402
from credgraph.match.skill_text import Found, Term, Vocabulary, find_terms  # noqa: E402

ADS = ROOT / "job_ads" / "ads.json"
SETS = (("ads", ADS), ("fresh", FRESH), ("cds", CDS), ("cds2", CDS2), ("cds3", CDS3), ("gds", GDS))
# The extractor as it was when each set was first run, blind: its errors then are those of a
# new employer (docs/matching.md §5 gives these runs' figures).
FIRST_CONTACT = {"cds": "dca29f8", "cds2": "a7aaa14", "cds3": "80a06e3", "gds": "a25586b"}
_DUMP = """
import json, sys
sys.path[:0] = [sys.argv[1] + "/src", sys.argv[1]]
from bench.equivalence_bench import framework_skills
from credgraph.match.index import build
from credgraph.match.skill_text import find_terms, words
skills = framework_skills()
vocabulary = build(skills, []).vocabulary
written = {}
for s in skills:
    for label in (s.name, *s.alt_labels):
        written.setdefault(label, set()).add(s.id)
def named(label):
    terms = vocabulary.phrases.get(tuple(w for w, _s, _e in words(label)))
    return sorted({t.id for t in terms} if terms else written.get(label, ()))
ads = json.load(open(sys.argv[2], encoding="utf-8"))["ads"]
json.dump({ad["id"]: {"gold": {label: named(label) for label in ad["skills"]},
                      "found": [[f.start, f.end, f.text,
                                 [[t.kind, t.id, t.label, t.alternative] for t in f.terms]]
                                for f in find_terms(vocabulary, ad["text"])]}
           for ad in ads}, sys.stdout)
"""

# words before a phrase that say the person is asked for it
_ASKING = frozenset(
    [
        "experience",
        "experienced",
        "knowledge",
        "skill",
        "skilled",
        "proficiency",
        "proficient",
        "familiar",
        "familiarity",
        "understanding",
        "expertise",
        "ability",
        "able",
        "background",
        "demonstrated",
        "strong",
        "working",
        "excellent",
        "solid",
        "deep",
        "using",
        "use",
    ]
)
# words that say the sentence is about the organisation, not the person
_ORGANISATION = frozenset(
    ["we", "our", "us", "team", "agency", "organization", "organisation", "department"]
)
_PERSON = frozenset(["you", "your"])
_BULLET = re.compile(r"\s*(?:[-*+•·–]|\d+[.)])\s")
_NAME_LIKE = re.compile(r"[a-z][A-Z]|^[A-Z0-9]{2,}$|[0-9+#.]")
_SENTENCE = re.compile(r"[.!?;:\n]")
_TOKEN = re.compile(r"[^\W_][\w'’-]*")

FEATURES = (
    "one word",
    "three words or more",
    "one word in lower case",
    "only alternative labels",
    "not a label read as written",
    "a name's label (capitals inside, digits, acronym)",
    "every label in lower case",
    "capitalised mid-sentence",
    "in the first line",
    "in a list item",
    "asking word before",
    "organisation word before",
    "person word in sentence",
    "other phrases in sentence (log)",
    "everyday word",
    "every word English",
    "vocabulary phrases sharing its rarest word (log)",
    "found again in the ad",
    "position in the ad",
)


def word_counts(vocabulary: Vocabulary) -> dict[str, int]:
    """How many phrases of the vocabulary hold each word: how common a word is in labels."""
    counts: dict[str, int] = {}
    for phrase in vocabulary.phrases:
        for word in set(phrase):
            counts[word] = counts.get(word, 0) + 1
    return counts


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    before = [m.end() for m in _SENTENCE.finditer(text, 0, start)]
    after = _SENTENCE.search(text, end)
    return (before[-1] if before else 0), (after.start() if after else len(text))


def features(
    vocabulary: Vocabulary,
    counts: dict[str, int],
    text: str,
    found: Found,
    every: Sequence[Found],
) -> list[float]:
    """The values of `FEATURES` for one phrase found in `text` (of `every` phrase found)."""
    phrase = key(found.text)
    labels = [t.label for t in found.terms]
    line_start = text.rfind("\n", 0, found.start) + 1
    line = text[line_start : text.find("\n", found.start) % (len(text) + 1)]
    s_start, s_end = _sentence(text, found.start, found.end)
    before = [w.casefold() for w in _TOKEN.findall(text[s_start : found.start])][-4:]
    sentence = {w.casefold() for w in _TOKEN.findall(text[s_start:s_end])}
    written = found.text.strip()
    at_start = not text[s_start : found.start].strip(" \t-*•·–0123456789.)")
    others = sum(1 for f in every if f is not found and s_start <= f.start < s_end)
    rarest = min((counts.get(w, 1) for w in phrase if w not in EMPTY_WORDS), default=1)
    again = sum(1 for f in every if key(f.text) == phrase) > 1
    return [
        float(len(phrase) == 1),
        float(len(phrase) >= 3),
        float(len(phrase) == 1 and written.islower()),
        float(all(t.alternative for t in found.terms)),
        float(phrase not in vocabulary.phrases),
        float(any(_NAME_LIKE.search(w) for label in labels for w in label.split())),
        float(all(label[:1].islower() for label in labels)),
        float(written[:1].isupper() and not at_start),
        float(line_start == 0),
        float(bool(_BULLET.match(line)) or (len(line) < 100 and not line.rstrip().endswith("."))),
        float(any(w in _ASKING for w in before)),
        float(any(w in _ORGANISATION for w in before)),
        float(bool(sentence & _PERSON)),
        math.log1p(others),
        float(len(phrase) == 1 and phrase[0] in COMMON_WORDS),
        float(all(is_english(w) for w in phrase)),
        math.log1p(rarest) / 5,
        float(again),
        found.start / max(1, len(text)),
    ]


def described(
    vocabulary: Vocabulary,
    counts: dict[str, int],
    text: str,
    found: Found,
    every: Sequence[Found],
    lexical: bool = False,
) -> dict[str, float]:
    """`features` by name; `lexical`: also the phrase's words and the word before it."""
    x = dict(zip(FEATURES, features(vocabulary, counts, text, found, every), strict=True))
    if lexical:
        for word in key(found.text):
            x["word " + word] = 1.0
        before = [
            w.casefold() for w in _TOKEN.findall(text[max(0, found.start - 40) : found.start])
        ]
        if before:
            x["before " + before[-1]] = 1.0
    return {name: v for name, v in x.items() if v}


@dataclass(frozen=True)
class Reading:
    """What one version of the extractor found in an ad, and what it took the ad's hand
    labels to name (the vocabulary, and so a label's concepts, changed with the rules)."""

    found: list[Found]
    gold: dict[str, frozenset[str]]


def first_contact(commit: str, path: Path) -> dict[str, Reading]:
    """What the extractor at `commit` found in each ad of the set at `path`, counted as that
    commit's benchmark counted it (its source and bench taken from git into a temporary
    folder; the result cached beside it)."""
    cache = Path(tempfile.gettempdir()) / f"credgraph-first-contact-{commit}-{path.stem}.json"
    if not cache.exists():
        with tempfile.TemporaryDirectory() as folder:
            archive = Path(folder) / "tree.tar"
            subprocess.run(
                [
                    "git",
                    "-C",
                    str(ROOT.parent),
                    "archive",
                    "-o",
                    str(archive),
                    commit,
                    "src",
                    "bench",
                ],
                check=True,
            )
            with tarfile.open(archive) as tar:
                tar.extractall(folder, filter="data")
            dumped = subprocess.run(
                [sys.executable, "-c", _DUMP, folder, str(path)],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
        cache.write_text(dumped, encoding="utf-8")
    raw = json.loads(cache.read_text(encoding="utf-8"))
    return {
        ad: Reading(
            [Found(s, e, text, tuple(Term(*t) for t in terms)) for s, e, text, terms in r["found"]],
            {label: frozenset(ids) for label, ids in r["gold"].items()},
        )
        for ad, r in raw.items()
    }


@dataclass
class Phrase:
    """One occurrence of a phrase the extractor found in an ad, labelled against the ad."""

    ad: str
    key: tuple[str, ...]
    ids: frozenset[str]
    right: bool
    x: dict[str, float]


@dataclass
class Ad:
    id: str
    gold: dict[str, frozenset[str]]  # each hand label, the concepts it names
    phrases: list[Phrase]


def read_set(
    vocabulary: Vocabulary,
    counts: dict[str, int],
    written: dict[str, set[str]],
    ads: list[dict[str, Any]],
    readings: dict[str, Reading] | None = None,
    lexical: bool = False,
) -> list[Ad]:
    """Each ad's hand labels and the phrases found in it (by `find_terms`, or as another
    version of it read them), labelled right or wrong."""
    out: list[Ad] = []
    for ad in ads:
        gold: dict[str, frozenset[str]] = {}
        for label in ad["skills"] if readings is None else ():
            terms = vocabulary.phrases.get(key(label))
            gold[label] = frozenset((t.id for t in terms) if terms else written.get(label, set()))
        if readings is not None:
            gold = readings[ad["id"]].gold
        gold_ids = frozenset().union(*gold.values())
        found = readings[ad["id"]].found if readings else find_terms(vocabulary, ad["text"])
        phrases = [
            Phrase(
                ad["id"],
                key(f.text),
                frozenset(t.id for t in f.terms),
                False,
                described(vocabulary, counts, ad["text"], f, found, lexical),
            )
            for f in found
        ]
        # a phrase is right when the concepts of all its occurrences meet the labels'
        named: dict[tuple[str, ...], set[str]] = {}
        for p in phrases:
            named.setdefault(p.key, set()).update(p.ids)
        for p in phrases:
            p.right = bool(named[p.key] & gold_ids)
        out.append(Ad(ad["id"], gold, phrases))
    return out


def measure(ads: Sequence[Ad], keep: Callable[[Phrase], bool]) -> Figures:
    """As `match_bench.measure_extraction` counts: each phrase once per ad, right when one of
    its concepts is labelled; a label recalled when a kept phrase names one of its concepts."""
    figures = Figures()
    for ad in ads:
        kept: dict[tuple[str, ...], set[str]] = {}
        for p in ad.phrases:
            if keep(p):
                kept.setdefault(p.key, set()).update(p.ids)
        ids = set().union(*kept.values()) if kept else set()
        gold = frozenset().union(*ad.gold.values())
        figures.found += len(kept)
        figures.correct += sum(1 for named in kept.values() if named & gold)
        figures.labels += len(ad.gold)
        figures.recalled += sum(1 for g in ad.gold.values() if g & ids)
    return figures


@dataclass
class Model:
    weights: dict[str, float]
    bias: float
    threshold: float

    def probability(self, x: dict[str, float]) -> float:
        z = self.bias + sum(self.weights.get(name, 0.0) * v for name, v in x.items())
        return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))


def fit(
    examples: Sequence[Phrase], l2: float = 0.05, rate: float = 0.5, rounds: int = 3000
) -> Model:
    """Logistic regression by batch gradient descent, the classes weighted equal (wrong
    phrases are about one in ten), an L2 penalty on the weights."""
    w: dict[str, float] = {name: 0.0 for p in examples for name in p.x}
    b = 0.0
    positives = sum(p.right for p in examples)
    negatives = len(examples) - positives
    weight = {True: len(examples) / (2 * positives), False: len(examples) / (2 * negatives)}
    for _ in range(rounds):
        gw = dict.fromkeys(w, 0.0)
        gb = 0.0
        for p in examples:
            z = b + sum(w[name] * v for name, v in p.x.items())
            err = (1 / (1 + math.exp(-max(-30.0, min(30.0, z)))) - p.right) * weight[p.right]
            gb += err
            for name, v in p.x.items():
                gw[name] += err * v
        m = len(examples)
        w = {name: wi - rate * (gw[name] / m + l2 * wi) for name, wi in w.items()}
        b -= rate * gb / m
    return Model(w, b, 0.5)


def tune(model: Model, ads: Sequence[Ad]) -> Model:
    """The threshold giving the best F1 on `ads` (the training sets); none dropped at 0."""
    best = (measure(ads, lambda p: True).f1, 0.0)
    for step in range(1, 96):
        t = step / 100
        f1 = measure(ads, lambda p, t=t: model.probability(p.x) >= t).f1
        if f1 > best[0] + 1e-9:
            best = (f1, t)
    return Model(model.weights, model.bias, best[1])


def auc(model: Model, examples: Sequence[Phrase]) -> float:
    """The chance that a right occurrence scores above a wrong one (ties half)."""
    right = [model.probability(p.x) for p in examples if p.right]
    wrong = [model.probability(p.x) for p in examples if not p.right]
    if not right or not wrong:
        return float("nan")
    wins = sum((r > w) + 0.5 * (r == w) for r in right for w in wrong)
    return wins / (len(right) * len(wrong))


def row(name: str, before: Figures, after: Figures, threshold: float | None) -> str:
    t = f"{threshold:.2f}" if threshold is not None else "    "
    return (
        f"{name:8} {t}  {before.found:4} {before.correct:4} {before.precision:.3f} "
        f"{before.recall:.3f} {before.f1:.3f}  |  {after.found:4} {after.correct:4} "
        f"{after.precision:.3f} {after.recall:.3f} {after.f1:.3f}  {after.f1 - before.f1:+.3f}"
    )


def feature_table(title: str, ads: Sequence[Ad]) -> None:
    """Each feature: the occurrences where it is not zero, and the share of them wrong (what
    one feature alone could tell)."""
    phrases = [p for ad in ads for p in ad.phrases]
    wrong = sum(not p.right for p in phrases)
    print(f"\n{title}: {len(phrases)} occurrences, {wrong} wrong ({wrong / len(phrases):.2f})")
    for name in FEATURES:
        on = [p for p in phrases if p.x.get(name)]
        share = sum(not p.right for p in on) / len(on) if on else 0.0
        print(f"  {len(on):4} on, {share:.2f} wrong  {name}")


HEADER = (
    "held out  thr  without filter: found right  P     R     F1   |  "
    "with filter: found right  P     R     F1   ΔF1"
)


def trained(ads: Sequence[Ad], args: argparse.Namespace) -> Model:
    """A model fitted on every phrase of `ads`, its threshold the best F1 on them."""
    return tune(fit([p for ad in ads for p in ad.phrases], args.l2, rounds=args.rounds), ads)


def held_out(name: str, held: Sequence[Ad], model: Model) -> tuple[Figures, Figures]:
    """The held-out set without and with the filter, printed as one row."""
    before = measure(held, lambda p: True)
    after = measure(held, lambda p: model.probability(p.x) >= model.threshold)
    phrases = [p for ad in held for p in ad.phrases]
    print(row(name, before, after, model.threshold) + f"  AUC {auc(model, phrases):.2f}")
    return before, after


def each_held_out(
    held_sets: dict[str, list[Ad]],
    training: Callable[[str], list[Ad]],
    args: argparse.Namespace,
    thresholds: Sequence[float],
) -> None:
    """Each of `held_sets` measured with a model trained on `training(its name)`, pooled,
    then one threshold over every held-out score (chosen looking at the held-out sets)."""
    pooled_before, pooled_after = Figures(), Figures()
    scored: dict[int, float] = {}  # each occurrence's probability by the model not trained on it
    for name, held in held_sets.items():
        model = trained(training(name), args)
        before, after = held_out(name, held, model)
        scored.update((id(p), model.probability(p.x)) for ad in held for p in ad.phrases)
        pooled_before += before
        pooled_after += after
    print(row("pooled", pooled_before, pooled_after, None))
    every = [ad for ads in held_sets.values() for ad in ads]
    print("\none threshold over every held-out score (chosen looking at the held-out sets):")
    for t in thresholds:
        after = measure(every, lambda p, t=t, scored=scored: scored[id(p)] >= t)
        print(row(f"t={t:.1f}", pooled_before, after, t))


def others(sets: dict[str, list[Ad]], name: str) -> list[Ad]:
    return [ad for other, ads in sets.items() if other != name for ad in ads]


def leave_one_set_out(sets: dict[str, list[Ad]], args: argparse.Namespace) -> None:
    """Each set held out in turn, the model trained on the other five."""
    print(HEADER)
    each_held_out(sets, lambda name: others(sets, name), args, (0.1, 0.2, 0.3, 0.4, 0.5, 0.6))


def at_first_contact(
    sets: dict[str, list[Ad]], first: dict[str, list[Ad]], args: argparse.Namespace
) -> None:
    """Each set that was once blind, as the extractor of its blind run read it: the filter
    trained on the other five sets as the extractor reads them now (the weights that would
    ship), then also on the other sets' own first-contact phrases (errors of new employers)."""
    print(f"\ntrained on the other five sets as read now:\n{HEADER}")
    each_held_out(first, lambda name: others(sets, name), args, (0.3, 0.4, 0.5, 0.6))
    print(f"\ntrained on the other five as read now and the other blind runs' phrases:\n{HEADER}")
    each_held_out(
        first, lambda name: others(sets, name) + others(first, name), args, (0.3, 0.4, 0.5, 0.6)
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--l2", type=float, default=0.05)
    parser.add_argument("--rounds", type=int, default=3000)
    parser.add_argument("--lexical", action="store_true", help=described.__doc__)
    parser.add_argument(
        "--first-contact",
        action="store_true",
        help="Also test on the once-blind sets as the extractor of their blind run read them.",
    )
    parser.add_argument(
        "--features", action="store_true", help="With --first-contact: " + feature_table.__doc__
    )
    args = parser.parse_args()
    skills = framework_skills()
    vocabulary = build(skills, []).vocabulary
    counts = word_counts(vocabulary)
    written = written_labels(skills)
    texts = {name: json.loads(path.read_text(encoding="utf-8"))["ads"] for name, path in SETS}
    sets = {
        name: read_set(vocabulary, counts, written, ads, lexical=args.lexical)
        for name, ads in texts.items()
    }
    for name, ads in sets.items():
        n = [p for ad in ads for p in ad.phrases]
        print(f"{name}: {len(ads)} ads, {len(n)} occurrences, {sum(not p.right for p in n)} wrong")
    print()
    leave_one_set_out(sets, args)
    if args.first_contact:
        paths = dict(SETS)
        first = {
            name: read_set(
                vocabulary,
                counts,
                written,
                texts[name],
                first_contact(commit, paths[name]),
                lexical=args.lexical,
            )
            for name, commit in FIRST_CONTACT.items()
        }
        at_first_contact(sets, first, args)
        if args.features:
            feature_table("the six sets as read now", [ad for a in sets.values() for ad in a])
            feature_table("the four blind runs", [ad for a in first.values() for ad in a])
    model = trained([ad for ads in sets.values() for ad in ads], args)
    print(f"\ntrained on all six: threshold {model.threshold:.2f}, bias {model.bias:+.2f}")
    for name, weight in sorted(model.weights.items(), key=lambda x: -abs(x[1]))[:30]:
        print(f"  {weight:+.2f}  {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
