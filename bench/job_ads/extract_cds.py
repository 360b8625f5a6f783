"""Rebuild the texts of `cds.json` from a clone or mirror of cds-snc/digital-canada-ca, and check them.

    git clone https://github.com/cds-snc/digital-canada-ca /tmp/cds
    python bench/job_ads/extract_cds.py /tmp/cds           # prints any text that differs
    python bench/job_ads/extract_cds.py /tmp/cds --show    # prints every rebuilt text
    python bench/job_ads/extract_cds.py /tmp/cds --draft cds2   # a set's entries, unlabelled

The postings are the files of `content/en/join-our-team/positions/` as they stood at the commit
recorded in `cds.json`, the parent of the one that moved the folder to `careers/`. They are read
with `git show <commit>:<path>`, so a bare mirror works. The Canadian Digital Service's postings
have no fixed sections ("You'll need to accomplish the following things", "What we're looking
for", "An excellent candidate will"...), but every one lists what the job does and asks as
Markdown list items: the text is the posting's front-matter `title` and its list items in order,
Markdown emphasis and links removed, cut at the last item ending before 1,000 characters.
`cds.json` is the first `TAKE` postings kept; `cds2.json`, a later blind set, is every posting
kept after them.

Postings are taken in the order they were first published (the first commit holding the file,
then by file name); the near-duplicate rule of `ads.json` and `fresh.json` is checked: no ad
kept shares half or more of its words with an ad taken before it (in `ads.json`, `fresh.json`
or earlier here), and every posting left out does, unless `SKIPPED` gives another reason.
Standard library only; the labels are not touched.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from near_duplicates import shared

CAP = 1000
# cds.json is the first TAKE postings kept, in publication order; cds2.json, labelled in a later
# round as a new blind set, all those kept after them.
TAKE = 20
HERE = Path(__file__).resolve().parent
SETS = {"cds": HERE / "cds.json", "cds2": HERE / "cds2.json"}
EARLIER = (HERE / "ads.json", HERE / "fresh.json")
FOLDER = "content/en/join-our-team/positions/"
COMMIT = "be6042612c371c685e3775bd9cda483cfeef7259"
# Postings left out for a reason other than sharing words with an ad taken before.
SKIPPED = {
    "test.md": "a test page (a copy of the designer-researcher posting)",
    "chief-of-staff.md": "a closed-posting notice: no text of the job left",
    "head-of-talent.md": "a closed-posting notice: no text of the job left",
}


def git(repository: Path, *arguments: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repository), *arguments], check=True, capture_output=True, text=True
    ).stdout


def first_published(
    repository: Path, commit: str, folder: str, wanted: Callable[[str], bool]
) -> list[str]:
    """The names of the `wanted` files of `folder` at `commit`, in the order they were first
    published (the first commit holding the file, then by name)."""
    names = [
        line.removeprefix(folder)
        for line in git(repository, "ls-tree", "--name-only", commit, folder).splitlines()
        if wanted(line)
    ]
    first = {
        name: git(
            repository, "log", "--reverse", "--format=%cI", commit, "--", folder + name
        ).splitlines()[0]
        for name in names
    }
    return sorted(names, key=lambda name: (first[name], name))


def posting_files(repository: Path, commit: str) -> list[str]:
    """The folder's Markdown postings, in the order they were first published."""
    return first_published(
        repository, commit, FOLDER, lambda f: f.endswith(".md") and not f.endswith("_index.md")
    )


def front_matter_title(source: str) -> str:
    found = re.search(r"^title: *['\"]?(.*?)['\"]? *$", source, re.M)
    return found.group(1).strip() if found else ""


def list_items(source: str) -> list[str]:
    """The Markdown list items of the page's body, bulleted or numbered, in order."""
    found = re.match(r"\s*---\n.*?\n---\n?(.*)$", source, re.S)
    text = found.group(1) if found else source
    text = re.sub(r"<[^>]+>", "", text)
    items = re.findall(r"^[ \t]*(?:[*+-]|\d+\.)[ \t]+(\S.*)$", text, re.M)
    return [clean(item) for item in items if clean(item)]


def clean(item: str) -> str:
    item = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", item)
    item = re.sub(r"\*\*|__|(?<!\w)\*(?!\s)|(?<!\s)\*(?!\w)", "", item)
    return re.sub(r"\s+", " ", item).strip()


def cut(items: list[str]) -> str:
    kept: list[str] = []
    for item in items:
        if len("\n".join([*kept, "- " + item])) >= CAP:
            break
        kept.append("- " + item)
    return "\n".join(kept)


def rebuild(repository: Path, commit: str, path: str) -> tuple[str, str]:
    source = git(repository, "show", f"{commit}:{path}")
    title = front_matter_title(source)
    return title, title + "\n" + cut(list_items(source))


def check_set(
    name: str,
    target: Path,
    earlier: Sequence[Path],
    candidates: Iterable[tuple[str, str, str, str, str]],
    argv: list[str],
    take: int | None = None,
) -> int:
    """The command of a set built from one source: each candidate (id, title, source URL,
    text, why it is left out or "") kept under the near-duplicate rule against the `earlier`
    sets and the candidates taken before it, then checked against `target` (`--show` prints
    every text, `--draft` the entries, unlabelled, instead of checking). With `take`, the set
    is the first `take` candidates kept; those the rule keeps after them are listed as the
    reserve, left unread for a later set."""
    show, draft = "--show" in argv[2:], "--draft" in argv[2:]
    taken_before = [ad["text"] for path in earlier for ad in json.loads(path.read_text())["ads"]]
    stored = (
        {}
        if draft or not target.exists()
        else {ad["id"]: ad for ad in json.loads(target.read_text())["ads"]}
    )
    problems: list[str] = []
    taken: dict[str, str] = {}
    reserve: list[str] = []
    drafts = []
    for ident, title, source, text, left_out in candidates:
        if not left_out:
            best = max(shared(text, other) for other in [*taken_before, *taken.values(), *reserve])
            left_out = f"shares {best:.0%} of its words" if best >= 0.5 else ""
        if left_out:
            print(f"left out {ident}: {left_out}")
            if ident in stored:
                problems.append(f"{ident}: kept, but the rule leaves it out")
            continue
        if take is not None and len(taken) >= take:
            reserve.append(text)
            print(f"reserve {ident}")
            if ident in stored:
                problems.append(f"{ident}: in {name}, but past the first {take} kept")
            continue
        taken[ident] = text
        print(f"{name} {ident}")
        if show:
            print(f"== {ident} ({len(text)} characters)\n{text}\n")
        drafts.append({"id": ident, "title": title, "source": source, "text": text, "skills": []})
        if not draft and (ident not in stored or stored[ident]["text"] != text):
            problems.append(f"{ident}: text differs or is missing from {name}")
        elif not draft and stored[ident]["source"] != source:
            problems.append(f"{ident}: source differs")
    problems += [f"{ident}: in {name}, not kept" for ident in stored if ident not in taken]
    return finish(drafts if draft else None, len(taken), problems)


def finish(drafts: list[dict[str, object]] | None, checked: int, problems: list[str]) -> int:
    """Print the drafted entries (when drafting) and the check's summary; the exit status."""
    if drafts is not None:
        print(json.dumps(drafts, indent=1, ensure_ascii=False))
    print(f"{checked} texts checked; problems: {problems}", file=sys.stderr)
    return 1 if problems else 0


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__)
        return 2
    repository, show = Path(argv[1]), "--show" in argv[2:]
    draft = argv[argv.index("--draft") + 1] if "--draft" in argv[2:] else None
    earlier = [ad["text"] for path in EARLIER for ad in json.loads(path.read_text())["ads"]]
    stored = {
        name: {ad["id"]: ad for ad in json.loads(path.read_text())["ads"]}
        for name, path in SETS.items()
        if name != draft and path.exists()
    }
    problems: list[str] = []
    taken: dict[str, str] = {}
    drafts = []
    for name in posting_files(repository, COMMIT):
        title, text = rebuild(repository, COMMIT, FOLDER + name)
        ident = name.removesuffix(".md")
        best = max(shared(text, other) for other in [*earlier, *taken.values()])
        part = "cds" if len(taken) < TAKE else "cds2"
        if name in SKIPPED or best >= 0.5:
            print(f"left out {name}: {SKIPPED.get(name, f'shares {best:.0%} of its words')}")
            if any(ident in ads for ads in stored.values()):
                problems.append(f"{ident}: kept, but the rule leaves it out")
            continue
        taken[ident] = text
        print(f"{part} {name}")
        if show:
            print(f"== {ident} ({len(text)} characters)\n{text}\n")
        source = f"https://github.com/cds-snc/digital-canada-ca/blob/{COMMIT}/{FOLDER}{name}"
        if part == draft:
            drafts.append(
                {"id": ident, "title": title, "source": source, "text": text, "skills": []}
            )
        ads = stored.get(part)
        if ads is not None and (ident not in ads or ads[ident]["text"] != text):
            problems.append(f"{ident}: text differs or is missing from {part}")
    for part, ads in stored.items():
        problems += [f"{ident}: in {part}, not kept" for ident in ads if ident not in taken]
    return finish(drafts if draft else None, len(taken), problems)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
