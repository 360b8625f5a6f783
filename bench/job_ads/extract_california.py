"""Rebuild the texts of `california.json` from a clone or mirror of aaronsnow/digitalservice.network,
and check them.

    git clone https://github.com/aaronsnow/digitalservice.network /tmp/dsn
    python bench/job_ads/extract_california.py /tmp/dsn            # prints any text that differs
    python bench/job_ads/extract_california.py /tmp/dsn --show     # prints every rebuilt text
    python bench/job_ads/extract_california.py /tmp/dsn --draft    # the entries, unlabelled

The State of California's Department of General Services issued these job classifications (the
roles a consultant is hired into: title, duties, experience, education) with its solicitation for
the Technology, Data and Design Consulting Master Services Agreement; the Digital Service Network
keeps them, as Markdown, in `library/job-descriptions/california/`, and its `index.md` there says
they are in the public domain (the ca.gov Conditions of Use). They are read at `COMMIT` with
`git show`, so a bare mirror works.

The documents are prose, not lists, so the text is built as for the first set (`extract.py`):
the title (the page's heading), then the requirement section as written, the paragraphs of the
duties and of "Experience" (its heading removed) up to "And Education", one line each, cut at
the last line or sentence ending before 1,000 characters. Documents are taken in the order they
were first published (the first commit holding the file, then by file name), under the
near-duplicate rule of the other sets (`near_duplicates.py`): against `ads.json`, `fresh.json`,
`cds.json`, `cds2.json`, `cds3.json`, `gds.json` and the documents kept before it here. The set
is the first `TAKE` kept; the rest the rule keeps are printed as the reserve, left unread for a
later set. Standard library only; the labels are not touched.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

from extract_cds import check_set, first_published, git

CAP = 1000
# The set is the first TAKE documents the near-duplicate rule keeps, in publication order.
TAKE = 25
HERE = Path(__file__).resolve().parent
VOCABULARY = HERE.parent / "equivalence"
TARGET = HERE / "california.json"
EARLIER = tuple(
    HERE / name
    for name in ("ads.json", "fresh.json", "cds.json", "cds2.json", "cds3.json", "gds.json")
)
REPOSITORY = "aaronsnow/digitalservice.network"
FOLDER = "library/job-descriptions/california/"
# The repository's last commit read (2023-04-24); the documents did not change after 2022-05-12.
COMMIT = "5492c5d539dfd60f61831e14904c79e21e798311"


def title(source: str) -> str:
    found = re.search(r"^# +(.+?)\s*$", source, re.M)
    return found.group(1) if found else ""


def requirement_section(source: str) -> str:
    """The duties and "Experience" paragraphs after the title, up to "And Education"."""
    heading = re.search(r"^# .*$", source, re.M)
    body = source[heading.end() :] if heading else source
    body = re.split(r"^#+ *And Education", body, maxsplit=1, flags=re.M)[0]
    body = re.sub(r"^#+ .*$", "", body, flags=re.M)
    return re.sub(r"\n\s*\n+", "\n", re.sub(r"[ \t]+", " ", body)).strip()


# A full stop and a space end a sentence, but not after "e.g" or "i.e", which these documents
# write inside their sentences: cut there, a text would end on "(e.g.".
SENTENCE_END = re.compile(r"(?<!\be\.g)(?<!\bi\.e)\. ")


def cut(section: str) -> str:
    """At the last line or sentence ending before CAP characters, as `extract.py` cuts."""
    if len(section) <= CAP:
        return section
    sentences = [found.start() + 1 for found in SENTENCE_END.finditer(section, 0, CAP)]
    end = max([section.rfind("\n", 0, CAP), *sentences])
    return section[:end].strip()


def candidates(repository: Path) -> Iterator[tuple[str, str, str, str, str]]:
    """Each document, in publication order, as `check_set` takes it."""
    names = first_published(
        repository, COMMIT, FOLDER, lambda f: f.endswith(".md") and not f.endswith("index.md")
    )
    for name in names:
        source = git(repository, "show", f"{COMMIT}:{FOLDER}{name}")
        heading = title(source)
        text = heading + "\n" + cut(requirement_section(source))
        url = f"https://github.com/{REPOSITORY}/blob/{COMMIT}/{FOLDER}{name}"
        yield name.removesuffix(".md"), heading, url, text, ""


def vocabulary_labels() -> set[str]:
    """Every preferred and alternative label of the vocabulary measured against, as written:
    ESCO labels and alternative labels, O*NET elements, technology examples and commodities."""

    def rows(name: str) -> list[dict[str, str]]:
        with (VOCABULARY / name).open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))

    labels = set()
    for row in rows("esco_skills.csv"):
        labels |= {row["label"], *row["alt_labels"].split(" | ")}
    labels |= {row["name"] for row in rows("onet_elements.csv")}
    for row in rows("onet_technology.csv"):
        labels |= {row["example"], row["commodity_title"]}
    return labels - {""}


def unknown_labels() -> list[str]:
    """The labels of the set that are not a label of the vocabulary, verbatim."""
    known = vocabulary_labels()
    ads = json.loads(TARGET.read_text(encoding="utf-8"))["ads"] if TARGET.exists() else []
    return [f"{ad['id']}: {label}" for ad in ads for label in ad["skills"] if label not in known]


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__)
        return 2
    status = check_set("california", TARGET, EARLIER, candidates(Path(argv[1])), argv, take=TAKE)
    if "--draft" in argv[2:]:
        return status
    unknown = unknown_labels()
    print(f"labels not in the vocabulary: {unknown}", file=sys.stderr)
    return 1 if unknown else status


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
