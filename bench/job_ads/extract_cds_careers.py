"""Rebuild the texts of `cds3.json` from a clone or mirror of cds-snc/digital-canada-ca, and check them.

    python bench/job_ads/extract_cds_careers.py /tmp/cds                 # prints any text that differs
    python bench/job_ads/extract_cds_careers.py /tmp/cds --show          # prints every rebuilt text
    python bench/job_ads/extract_cds_careers.py /tmp/cds --draft         # the entries, unlabelled

On 2021-08-13 the Canadian Digital Service moved its postings from `join-our-team/positions/`
(the source of `cds.json` and `cds2.json`, see `extract_cds.py`) to `content/en/careers/positions/`,
where they were published from its applicant-tracking system until 2023, one file per posting,
each deleted when the posting closed. `cds3.json` holds the postings first published in that
folder after the move: each file is read as it stood in the commit that first added it
(`git log --diff-filter=A`), up to `UNTIL`, the repository's last commit when the set was built.
The text is built exactly as `extract_cds.py` builds it (front-matter title, then the list items,
cut before 1,000 characters), and the same near-duplicate rule is checked against `ads.json`,
`fresh.json`, `cds.json`, `cds2.json` and the postings taken before it here (reposts of the
earlier postings under a new file name fall to it). Standard library only; labels are not touched.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

from extract_cds import check_set, git, rebuild

HERE = Path(__file__).resolve().parent
TARGET = HERE / "cds3.json"
EARLIER = tuple(HERE / name for name in ("ads.json", "fresh.json", "cds.json", "cds2.json"))
FOLDER = "content/en/careers/positions/"
# The commit that moved the folder here: files it added are the old postings, already read.
MOVED = "5d395a051d7c76abe7336af346104a471babc31e"
# The repository's last commit when the set was built (2023-11-10).
UNTIL = "20c68d814"
# Files left out for a reason other than sharing words with an ad taken before.
SKIPPED = {
    "test-title-changed--test-lever-id.md": "a test page of the publishing pipeline",
    "apply-for-future-opportunities--77d1c499-8722-41ad-9985-e163d76b0e39.md": (
        "a general call for résumés, no job"
    ),
    "share-your-resume--77d1c499-8722-41ad-9985-e163d76b0e39.md": (
        "a general call for résumés, no job"
    ),
}


def first_versions(repository: Path) -> list[tuple[str, str, str]]:
    """(date, commit, file name) of every posting's first version after the move, oldest first."""
    log = git(
        repository,
        "log",
        "--reverse",
        "--diff-filter=A",
        "--format=C %H %cI",
        "--name-only",
        f"{MOVED}..{UNTIL}",
        "--",
        FOLDER,
    )
    seen: dict[str, tuple[str, str, str]] = {}
    commit = date = ""
    for line in log.splitlines():
        if line.startswith("C "):
            _, commit, date = line.split()
        elif line.endswith(".md") and not line.endswith("_index.md"):
            name = line.removeprefix(FOLDER)
            seen.setdefault(name, (date, commit, name))
    return sorted(seen.values())


def candidates(repository: Path) -> Iterator[tuple[str, str, str, str, str]]:
    """Each posting's first version after the move, as `check_set` takes it."""
    for _, commit, name in first_versions(repository):
        title, text = rebuild(repository, commit, FOLDER + name)
        left_out = SKIPPED.get(name, "" if "\n- " in text else "no list item")
        source = f"https://github.com/cds-snc/digital-canada-ca/blob/{commit}/{FOLDER}{name}"
        yield name.removesuffix(".md"), title, source, text, left_out


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__)
        return 2
    return check_set("cds3", TARGET, EARLIER, candidates(Path(argv[1])), argv)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
