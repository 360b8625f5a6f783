"""Rebuild the texts of `fresh.json` from a clone or mirror of 18F/18f.gsa.gov, and check them.

    git clone https://github.com/18F/18f.gsa.gov /tmp/18f
    python bench/job_ads/extract_fresh.py /tmp/18f           # prints any text that differs
    python bench/job_ads/extract_fresh.py /tmp/18f --show    # prints every rebuilt text

The postings are the files of `_join/open-positions/` as they stood at the commit recorded in
`fresh.json`, the parent of the one that deleted the folder. A clone's work tree is not needed:
the files are read with `git show <commit>:<path>` (a bare mirror works too). For each ad the
requirement section is taken as `SOURCES.md` says: the "Specialized experience is:" bullets of
its Qualifications, else its key objectives, else (the internships) its list of skills; Liquid
tags, HTML tags, Markdown headings, emphasis and links are removed, and the section is cut at
the last line or sentence ending before 1,000 characters, after the title.

Besides the texts, the near-duplicate rule is checked: no ad kept shares half or more of its
requirement words with an ad taken before it (in `ads.json` or earlier in `fresh.json`), and
every posting left out does share them with one taken, unless `SKIPPED` gives another reason.
Standard library only; the labels are not touched.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from near_duplicates import shared

CAP = 1000
HERE = Path(__file__).resolve().parent
FRESH = HERE / "fresh.json"
ADS = HERE / "ads.json"
FOLDER = "_join/open-positions/"
# Postings left out for a reason other than sharing words with an ad taken before.
SKIPPED = {
    "position-title.md": "the page template, not a posting",
}


def git_show(repository: Path, commit: str, path: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repository), "show", f"{commit}:{path}"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def git_files(repository: Path, commit: str) -> list[str]:
    listing = subprocess.run(
        ["git", "-C", str(repository), "ls-tree", "--name-only", commit, FOLDER],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return [line.removeprefix(FOLDER) for line in listing.splitlines()]


def body(source: str) -> str:
    """The page without its front matter and Liquid."""
    found = re.match(r"\s*---\n.*?\n---\n?(.*)$", source, re.S)
    text = found.group(1) if found else source
    text = re.sub(r"{%.*?%}|{{.*?}}", "", text, flags=re.S)
    return re.sub(r"<[^>]+>", "", text)


def requirement_section(text: str) -> str:
    """Specialized experience bullets, else the key objectives, else the skills list."""
    qualifications = re.search(r"^## *Qualifications[^\n]*\n", text, re.M)
    found = qualifications and re.compile(r"specialized experience[^\n]*:[ \t]*\n", re.I).search(
        text, qualifications.end()
    )
    if found:
        rest = text[found.end() :]
        end = re.search(r"Qualification determinations|\n## ", rest)
        return rest[: end.start()] if end else rest
    found = re.search(r"^(#+ *Key objectives[^\n]*\n|\*\*Key Objective #1)", text, re.I | re.M)
    if found:
        start = found.end() if found.group(1).startswith("#") else found.start()
        end = re.search(r"\n## ", text[start:])
        return text[start : start + end.start()] if end else text[start:]
    found = re.search(r"^#+ *Skills[^\n]*\n", text, re.M)
    if found:
        rest = text[found.end() :]
        end = re.search(r"\n## |\n\[View description", rest)
        return rest[: end.start()] if end else rest
    return ""


def clean(section: str) -> str:
    section = re.sub(r"^#+ *", "", section, flags=re.M)
    section = re.sub(r"\*\*|__|(?<!\w)\*(?!\s)|(?<!\s)\*(?!\w)", "", section)
    section = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", section)
    section = section.replace("\\#", "#")
    section = re.sub(r"[ \t]+", " ", section)
    section = re.sub(r" +\n", "\n", section)
    return re.sub(r"\n\s*\n+", "\n", section).strip()


def cut(section: str) -> str:
    if len(section) <= CAP:
        return section
    end = max(section.rfind("\n", 0, CAP), section.rfind(". ", 0, CAP) + 1)
    return section[:end].strip()


def rebuild(repository: Path, commit: str, title: str, path: str) -> str:
    return title + "\n" + cut(clean(requirement_section(body(git_show(repository, commit, path)))))


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__)
        return 2
    repository, show = Path(argv[1]), "--show" in argv[2:]
    data = json.loads(FRESH.read_text(encoding="utf-8"))
    earlier = [ad["text"] for ad in json.loads(ADS.read_text(encoding="utf-8"))["ads"]]
    commit, problems = data["commit"], []
    taken: dict[str, str] = {}
    for ad in data["ads"]:
        path = ad["source"].split(f"/blob/{commit}/", 1)[1]
        text = rebuild(repository, commit, ad["title"], path)
        if show:
            print(f"== {ad['id']} ({len(text)} characters)\n{text}\n")
        if text != ad["text"]:
            problems.append(f"{ad['id']}: text differs")
        for other in [*earlier, *taken.values()]:
            if shared(text, other) >= 0.5:
                problems.append(f"{ad['id']}: shares {shared(text, other):.0%} of its words")
                break
        taken[path.removeprefix(FOLDER)] = text
    for name in git_files(repository, commit):
        if name in taken or name in SKIPPED:
            continue
        text = rebuild(repository, commit, name, FOLDER + name)
        best = max(shared(text, other) for other in [*earlier, *taken.values()])
        print(f"left out {name}: shares {best:.0%} of its words with an ad taken")
        if best < 0.5:
            problems.append(f"{name}: left out without a reason")
    print(f"{len(taken)} texts checked; problems: {problems}")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
