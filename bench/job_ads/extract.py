"""Rebuild the texts of `ads.json` from a clone of 18F/join.tts.gsa.gov, and check them.

    git clone https://github.com/18F/join.tts.gsa.gov /tmp/join
    git -C /tmp/join checkout 5dfa66db0f4ba784dd39ebbe1b05f81f4a1c41df
    python bench/job_ads/extract.py /tmp/join            # prints any text that differs

For each ad, the file its `source` names is read as `SOURCES.md` says: a position's Markdown
(YAML front matter without its comments and page settings, then the body without Liquid),
or an archived page's HTML (tags removed); then its "specialized experience" bullets, else
its key objectives, cut at the last line or sentence ending before 1,000 characters, after
the title. Standard library only; the labels are not touched.
"""

from __future__ import annotations

import html
import json
import re
import sys
from pathlib import Path

CAP = 1000
ADS = Path(__file__).resolve().parent / "ads.json"
SETTINGS = {
    "layout",
    "permalink",
    "tags",
    "external_url",
    "opens",
    "closes",
    "status_alert",
    "alert_keywords",
    "updated",
    "info_intro",
    "supervisory_status",
    "usajobs_official_title",
    "vacancies",
    "location",
    "gs",
    "min_payrange",
    "max_payrange",
    "travel_requirement",
    "work_schedule",
    "max_applications",
    "appointment_type",
    "application_link",
    "info_sessions",
    "link",
    "date",
    "headline",
    "time",
}
FIELDS = r"title|items|role_summary|qualifications|specialized_requirements|key_objectives"


def markdown_text(source: str) -> str:
    found = re.match(r"\s*---\n(.*?)\n---\n?(.*)$", source, re.S)
    if not found:
        return source
    front, body = found.group(1), found.group(2)
    lines = []
    for line in front.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        key = re.match(r"-?\s*([a-z_]+):\s*(.*)$", stripped)
        if key and key.group(1) in SETTINGS:
            continue
        if key and key.group(1) == "title" and not line.startswith((" ", "-")):
            continue
        stripped = re.sub(rf"^-?\s*({FIELDS}):\s*\|?\s*", "", stripped)
        stripped = re.sub(r"^-\s+", "", stripped)
        if stripped and stripped not in ("|", ">"):
            lines.append(stripped.strip('"'))
    body = re.sub(r"{%\s*comment.*?endcomment.*?%}", "", body, flags=re.S)
    body = re.sub(r"{%.*?%}|{{.*?}}", "", body, flags=re.S)
    body = re.sub(r"<[^>]+>", "", body)
    text = "\n".join([*lines, body.strip()]).replace("To Be Updated Soon", "")
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def html_text(source: str) -> str:
    page = re.sub(r"<(script|style)[^>]*>.*?</\1>", "", source, flags=re.S)
    page = re.sub(r"<li[^>]*>", "\n- ", page)
    page = re.sub(r"<(p|br|h\d|div)[^>]*>", "\n", page)
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def cut(section: str, markdown: bool) -> str:
    if markdown:
        section = re.sub(r"\*\*|__", "", section)
        section = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", section)
    section = re.sub(r"[ \t]+", " ", section)
    section = re.sub(r"\n\s*\n+", "\n", section).strip()
    if len(section) <= CAP:
        return section
    end = max(section.rfind("\n", 0, CAP), section.rfind(". ", 0, CAP) + 1)
    return section[:end].strip()


def position_section(text: str) -> str:
    """A position's specialized experience bullets, else its key objectives."""
    special = ""
    found = re.search(r"SPECIALIZED EXPERIENCE REQUIREMENTS:?\**", text, re.I)
    if found:
        rest = text[found.end() :]
        end = re.search(
            r"\n#+ |\n\*\*[A-Z ]{6,}|Applicants must|you must also|Your resume|"
            r"How you will be evaluated|Qualification Requirements",
            rest,
            re.I,
        )
        special = rest[: end.start()] if end else rest
        special = re.sub(
            r"^.*?(defined as follows|as follows)[:.]?", "", special.strip(), flags=re.S | re.I
        )
    if len(special.strip()) > 200:
        return cut(special, markdown=True)
    objectives = ""
    found = re.search(r"key objectives:", text, re.I)
    if found:
        rest = text[found.end() :]
        end = re.search(r"info sessions:|application link:|role summary:|\n## ", rest, re.I)
        objectives = rest[: end.start()] if end else rest
    return cut(objectives, markdown=True)


def archived_section(text: str) -> str:
    """An archived page's specialized experience bullets, else its key objectives."""
    section = ""
    found = re.search(r"SPECIALIZED EXPERIENCE REQUIREMENTS:?", text, re.I)
    if found:
        rest = re.sub(r"^.*?(as follows)[:.]?", "", text[found.end() :], count=1, flags=re.S | re.I)
        end = re.search(
            r"Applicants must|you must also|Your resume|How you will be evaluated|"
            r"Key competencies|Qualification Requirements|\n\s*(Education|Evaluation)",
            rest,
            re.I,
        )
        section = rest[: end.start()] if end else rest[:1500]
    if len(section.strip()) < 200:
        found = re.search(r"Key objectives", text, re.I)
        if found:
            rest = text[found.end() :]
            end = re.search(r"Qualifications|Role summary|Basic information", rest)
            section = rest[: end.start()] if end else rest[:1500]
    return cut(section, markdown=False)


def rebuild(checkout: Path, ad: dict[str, str]) -> str:
    path = ad["source"].split("/blob/", 1)[1].split("/", 1)[1]
    source = (checkout / path).read_text(encoding="utf-8")
    if path.startswith("archive/"):
        return ad["title"] + "\n" + archived_section(html_text(source))
    return ad["title"] + "\n" + position_section(markdown_text(source))


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    ads = json.loads(ADS.read_text(encoding="utf-8"))["ads"]
    differ = [ad["id"] for ad in ads if rebuild(Path(argv[1]), ad) != ad["text"]]
    print(f"{len(ads) - len(differ)} of {len(ads)} texts rebuilt identically; differ: {differ}")
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
