"""Rebuild the texts of `gds.json` from a clone or mirror of alphagov/government-service-design-manual,
and check them.

    git clone https://github.com/alphagov/government-service-design-manual /tmp/gds
    python bench/job_ads/extract_gds.py /tmp/gds            # prints any text that differs
    python bench/job_ads/extract_gds.py /tmp/gds --show     # prints every rebuilt text
    python bench/job_ads/extract_gds.py /tmp/gds --draft    # the entries, unlabelled

The UK Government Digital Service published, in its Government Service Design Manual, the job
descriptions it wrote for departments to advertise specialist and senior digital posts (and the
vacancy form of one of its own), as Word documents in `service-manual/the-team/recruitment/`.
They are read at `COMMIT`, the repository's last commit (the manual moved to GOV.UK), with
`git show`, so a bare mirror works; a `.docx` is a zip of XML, read with the standard library
(each document is there as `.odt` too, the same text). The text is built as for the CDS sets
(`extract_cds.py`): the posting's title, then its list items in order, cut at the last item
ending before 1,000 characters. A list item is a paragraph Word numbers or bullets, or one the
author bulleted by hand ("●  ..."). The documents have no title field: `TITLES` gives the title
each one writes in its opening lines.

Documents are taken in the order they were first published (the first commit holding the file,
then by file name), under the near-duplicate rule of the other sets (`near_duplicates.py`):
against `ads.json`, `fresh.json`, `cds.json`, `cds2.json`, `cds3.json` and the documents taken
before it here. Standard library only; the labels are not touched.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

from extract_cds import check_set, cut, first_published

HERE = Path(__file__).resolve().parent
TARGET = HERE / "gds.json"
EARLIER = tuple(
    HERE / name for name in ("ads.json", "fresh.json", "cds.json", "cds2.json", "cds3.json")
)
REPOSITORY = "alphagov/government-service-design-manual"
FOLDER = "service-manual/the-team/recruitment/"
# The repository's last commit (2016-12-20); the documents did not change after it.
COMMIT = "4efa105e0dde7beb862f99253f118e140da8d487"
WORD = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# A hand-typed bullet at the start of a paragraph, as Word's own bullets are not text.
HAND_BULLET = re.compile(r"^[●•▪·]\s*")
# The title each document writes in its opening lines (a heading, "POST TITLE:", or the name
# of the pack); the Agile coach description names the role only in its file name and text.
TITLES = {
    "Agile-coach.docx": "Agile Coach",
    "Businessanalyst-generic.docx": "Business Analyst – B2",
    "CDO-applicant-pack-SM.docx": "Chief Digital Officer",
    "CTO-applicant-pack-SM.docx": "Chief Technology Officer",
    "Contentdesigners-generic.docx": "Content Designers",
    "DeliveryManager-generic.docx": "Delivery Manager",
    "DesignerJobDescription-generic.docx": "Designer",
    "Developer-generic.docx": "Developer",
    "DigitalCommsLead.docx": "Digital Communications Lead",
    "Digitalperformanceanalyst-generic.docx": "Digital performance analyst – B2",
    "Head-of-Business-IT-pack-SM.docx": "Head of Business IT",
    "Head-of-Policy-and-Performance-pack-SM.docx": "Head of Policy and Performance",
    "JuniorVisualDesigner-generic.docx": "Junior Visual Designer – B2",
    "PortfolioManager-generic.docx": "Portfolio manager",
    "ProductManager-generic.docx": "Product Manager",
    "Programme-Delivery-Manager.docx": "Programme Delivery Manager",
    "Service-Manager-pack-SM.docx": "Service Manager",
    "Technicalarchitect-generic.docx": "Technical Architect",
    "Technology-Lead-pack-SM.docx": "Technology Lead",
    "Userresearcher-generic.docx": "User Researcher",
    "WebOps-generic.docx": "Web Ops",
}


def document(repository: Path, path: str) -> bytes:
    return subprocess.run(
        ["git", "-C", str(repository), "show", f"{COMMIT}:{path}"],
        check=True,
        capture_output=True,
    ).stdout


def list_items(blob: bytes) -> list[str]:
    """The document's list items in order: numbered or bulleted paragraphs, or hand-bulleted."""
    root = ElementTree.fromstring(zipfile.ZipFile(io.BytesIO(blob)).read("word/document.xml"))
    items = []
    for paragraph in root.iter(WORD + "p"):
        text = re.sub(
            r"\s+", " ", "".join(part.text or "" for part in paragraph.iter(WORD + "t"))
        ).strip()
        numbered = paragraph.find(f"{WORD}pPr/{WORD}numPr") is not None
        if text and (numbered or HAND_BULLET.match(text)):
            items.append(HAND_BULLET.sub("", text))
    return items


def documents(repository: Path) -> list[str]:
    """The folder's Word documents, in the order they were first published."""
    return first_published(repository, COMMIT, FOLDER, lambda f: f.endswith(".docx"))


def candidates(repository: Path) -> Iterator[tuple[str, str, str, str, str]]:
    """Each document, in publication order, as `check_set` takes it."""
    for name in documents(repository):
        title = TITLES[name]
        text = title + "\n" + cut(list_items(document(repository, FOLDER + name)))
        source = f"https://github.com/{REPOSITORY}/blob/{COMMIT}/{FOLDER}{name}"
        yield name.removesuffix(".docx"), title, source, text, ""


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__)
        return 2
    return check_set("gds", TARGET, EARLIER, candidates(Path(argv[1])), argv)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
