"""Rebuild the real label files of the equivalence benchmark from the published releases.

    python bench/equivalence/extract.py CHECKOUT

CHECKOUT is a clone of https://github.com/victoriano/future-of-work-data at commit
e6aa2f1f73448dcde7927d77ce260a693a543bf8, which keeps the ESCO v1.2.0 CSV release (English)
and the O*NET 29.2 database (Excel edition) as the publishers distribute them. Writes, next to
this file:

* `esco_skills.csv`: every skill and skill group of the ESCO collections the checkout holds
  (digital, transversal, green, research, DigComp, skill groups), one row per concept URI:
  uri, label, alt_labels (joined with " | "), description, skill_type, collections.
* `onet_elements.csv`: the O*NET content-model elements credentials align to: abilities (1.A),
  work styles (1.C), skills (2.A, 2.B), knowledge (2.C), generalized work activities (4.A).
* `onet_technology.csv`: every distinct Technology Skills example with its UNSPSC commodity.

Only the standard library: the Excel files are read as the zip of XML they are.
"""

from __future__ import annotations

import csv
import re
import sys
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
ESCO = "data/raw/esco/1.2.0"
ONET = "data/raw/onet/29.2"
COLLECTIONS = {
    "digitalSkillsCollection_en.csv": "digital",
    "transversalSkillsCollection_en.csv": "transversal",
    "greenSkillsCollection_en.csv": "green",
    "researchSkillsCollection_en.csv": "research",
    "digCompSkillsCollection_en.csv": "digcomp",
    "skillGroups_en.csv": "group",
}
ELEMENT_DOMAINS = {
    "1.A": "ability",
    "1.C": "work style",
    "2.A": "skill",
    "2.B": "skill",
    "2.C": "knowledge",
    "4.A": "work activity",
}
_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def xlsx_rows(path: Path) -> Iterator[list[str]]:
    """The first sheet's rows as text cells."""
    with zipfile.ZipFile(path) as book:
        shared: list[str] = []
        if "xl/sharedStrings.xml" in book.namelist():
            root = ET.fromstring(book.read("xl/sharedStrings.xml"))
            shared = [
                "".join(t.text or "" for t in si.iter(_NS + "t")) for si in root.findall(_NS + "si")
            ]
        sheet = sorted(n for n in book.namelist() if n.startswith("xl/worksheets/sheet"))[0]
        for _, row in ET.iterparse(book.open(sheet)):
            if row.tag != _NS + "row":
                continue
            cells: dict[int, str] = {}
            for cell in row.findall(_NS + "c"):
                column = re.match(r"[A-Z]+", cell.get("r", "A"))
                index = 0
                for letter in column.group(0) if column else "A":
                    index = index * 26 + ord(letter) - 64
                value = cell.find(_NS + "v")
                text = value.text or "" if value is not None else ""
                cells[index - 1] = shared[int(text)] if cell.get("t") == "s" else text
            row.clear()
            yield [cells.get(i, "") for i in range(max(cells, default=-1) + 1)]


def _labels(cell: str) -> list[str]:
    return [x.strip() for x in re.split(r"\n| \| ", cell or "") if x.strip()]


def esco_skills(checkout: Path) -> list[dict[str, str]]:
    found: dict[str, dict[str, str]] = {}
    for name, collection in COLLECTIONS.items():
        with (checkout / ESCO / name).open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                uri = row["conceptUri"].strip()
                if not uri.startswith("http://data.europa.eu/esco/"):
                    continue
                known = found.get(uri)
                if known is not None:
                    known["collections"] += " | " + collection
                    continue
                label = row["preferredLabel"].strip()
                alts = [a for a in dict.fromkeys(_labels(row.get("altLabels", ""))) if a != label]
                found[uri] = {
                    "uri": uri,
                    "label": label,
                    "alt_labels": " | ".join(alts),
                    "description": " ".join((row.get("description") or "").split()),
                    "skill_type": row.get("skillType") or "skill group",
                    "collections": collection,
                }
    return sorted(found.values(), key=lambda r: r["uri"])


def onet_elements(checkout: Path) -> list[dict[str, str]]:
    rows = xlsx_rows(checkout / ONET / "Content Model Reference.xlsx")
    header = next(rows)
    out = []
    for cells in rows:
        row = dict(zip(header, cells, strict=False))
        element = row["Element ID"]
        domain = ELEMENT_DOMAINS.get(element[:3])
        if domain and element.count(".") >= 2:  # leaves and their groups, not the domains
            out.append(
                {
                    "element_id": element,
                    "name": row["Element Name"],
                    "description": row["Description"],
                    "domain": domain,
                }
            )
    return out


def onet_technology(checkout: Path) -> list[dict[str, str]]:
    rows = xlsx_rows(checkout / ONET / "Technology Skills.xlsx")
    header = next(rows)
    found: dict[str, dict[str, str]] = {}
    for cells in rows:
        row = dict(zip(header, cells, strict=False))
        example = " ".join(row["Example"].split())
        entry = found.setdefault(
            example,
            {
                "example": example,
                "commodity_code": row["Commodity Code"],
                "commodity_title": row["Commodity Title"],
                "hot": "N",
                "occupations": "0",
            },
        )
        entry["hot"] = "Y" if "Y" in (entry["hot"], row["Hot Technology"]) else "N"
        entry["occupations"] = str(int(entry["occupations"]) + 1)
    return sorted(found.values(), key=lambda r: r["example"].casefold())


def _write(name: str, rows: list[dict[str, str]]) -> None:
    with (HERE / name).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"{name}: {len(rows)} rows")


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    checkout = Path(argv[1])
    _write("esco_skills.csv", esco_skills(checkout))
    _write("onet_elements.csv", onet_elements(checkout))
    _write("onet_technology.csv", onet_technology(checkout))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
