"""O*NET database release (text edition: tab-separated files with a header row) as streamed
occupations, skills and requirements.

* `Occupation Data.txt` (required) -> `Occupation` `onet:<O*NET-SOC code>` (framework
  "O*NET-SOC", as every other reader of O*NET-SOC codes names it), description, and the link to
  its O*NET OnLine summary page. Alt labels come from `Alternate Titles.txt` when present
  (`Alternate Title` and, when it is not "n/a", `Short Title`).
* `Skills.txt` -> one `Skill` `onet:<Element ID>` (framework "O*NET", code = Element ID, named by
  Element Name, described from `Content Model Reference.txt` when present) per distinct element,
  and a `SkillRequirement` per importance row (Scale ID "IM"): importance = Data Value (1-5),
  relation "importance". Rows flagged Recommend Suppress = Y are left out; level rows (LV) only
  name skills.
* `Knowledge.txt`, `Abilities.txt` and `Work Activities.txt` (each optional; same layout as
  `Skills.txt`) are read the same way: knowledge areas (2.C), abilities (1.A) and generalized
  work activities (4.A) become skills of framework "O*NET" with their Element ID as code, and
  the occupation's importance ratings become requirements. An element outside the file's
  content area (a 1.A ability in Knowledge.txt) is skipped with a warning.
* `Technology Skills.txt` (optional). The Example is the technology a worker uses ("Microsoft
  Excel", "Python"), the commodity its UNSPSC class ("Spreadsheet software"). Credentials teach
  the former, so each Example is a `Skill` `onet-tech:<normalised example>` whose broader skill
  is its commodity, `onet-tech:<Commodity Code>` (code = the UNSPSC code, named by Commodity
  Title); the occupation requires the example with importance None, relation "technology".
  The Hot Technology and In Demand flags are not kept (a requirement has no field for them).

All occupations are yielded before any requirement. Columns are matched by header name; files
are found by name in any folder of the release, with a `.txt` or `.csv` extension. Bad rows
give a warning `file:line: ...` and the import goes on: wrong column count, empty or malformed
codes, non-numeric Data Value, codes missing from Occupation Data, repeated rows, an element or
commodity named two ways (the first name is kept), U+FFFD in a row (kept).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from credgraph.formats.base import ParseError, ParseResult
from credgraph.formats.taxonomy import Item, Table, TaxonomyFiles, batched, find_file
from credgraph.model.ids import normalise_label, normalise_text
from credgraph.model.records import Occupation, Provenance, Skill, SkillRequirement

# What a folder release is fetched as, file by file (only Occupation Data is required)
FILES = (
    "Occupation Data.txt",
    "Alternate Titles.txt",
    "Content Model Reference.txt",
    "Skills.txt",
    "Knowledge.txt",
    "Abilities.txt",
    "Work Activities.txt",
    "Technology Skills.txt",
)
OCCUPATION_FRAMEWORK = "O*NET-SOC"
SKILL_FRAMEWORK = "O*NET"
SUMMARY = "https://www.onetonline.org/link/summary/"
_CODE = re.compile(r"\d{2}-\d{4}\.\d{2}")
_ELEMENT = re.compile(r"\d+(\.[A-Za-z0-9]+)+")
_COMMODITY = re.compile(r"\d{8}")
# The rating files and the content-model areas their elements belong to
RATINGS = {
    "Skills": ("2.A.", "2.B."),
    "Knowledge": ("2.C.",),
    "Abilities": ("1.A.",),
    "Work Activities": ("4.A.",),
}

_OCCUPATION = {"code": ("O*NET-SOC Code",), "title": ("Title",), "description": ("Description",)}
_ALTERNATE = {
    "code": ("O*NET-SOC Code",),
    "title": ("Title",),
    "alternate": ("Alternate Title",),
    "short": ("Short Title",),
}
_REFERENCE = {"element": ("Element ID",), "description": ("Description",)}
_RATINGS = {
    "code": ("O*NET-SOC Code",),
    "element": ("Element ID",),
    "name": ("Element Name",),
    "scale": ("Scale ID",),
    "value": ("Data Value",),
    "suppress": ("Recommend Suppress",),
}
_TECHNOLOGY = {
    "code": ("O*NET-SOC Code",),
    "example": ("Example",),
    "commodity": ("Commodity Code",),
    "commodity_title": ("Commodity Title",),
}


def read(
    files: TaxonomyFiles, *, batch_size: int = 5000, provenance: Provenance | None = None
) -> Iterator[ParseResult]:
    """Batches of an O*NET release: all occupations, then skills with their requirements."""
    names = files.names()
    occupations = find_file(names, r"Occupation Data\.(txt|csv)")
    if occupations is None:
        raise ParseError(files.label, "no Occupation Data.txt: not an O*NET database release")
    release = _Release(
        files,
        provenance,
        {
            kind: find_file(names, rf"{kind}\.(txt|csv)")
            for kind in (
                "Alternate Titles",
                "Content Model Reference",
                *RATINGS,
                "Technology Skills",
            )
        },
    )
    return batched(release.items(occupations), batch_size)


class _Skip(Exception):
    """A row that cannot be read; the message says why."""


Handler = Callable[[Table, int, list[str]], Iterator[Item]]


@dataclass
class _Alternates:
    line: int
    title: str
    labels: list[str] = field(default_factory=list)


class _Release:
    def __init__(
        self, files: TaxonomyFiles, provenance: Provenance | None, found: dict[str, str | None]
    ) -> None:
        self.files = files
        self.provenance = provenance
        self.found = found
        self.codes: set[str] = set()
        self.skills: dict[str, tuple[Skill, str]] = {}  # id -> (skill, file:line first seen)
        self.alternates: dict[str, _Alternates] = {}
        self.descriptions: dict[str, str] = {}
        self.done: set[tuple[str, str]] = set()  # (occupation id, skill id) required already

    def items(self, occupations: str) -> Iterator[Item]:
        if name := self.found["Alternate Titles"]:
            yield from self._each(name, _ALTERNATE, ("code", "alternate"), self._alternate)
        yield from self._each(occupations, _OCCUPATION, ("code", "title"), self._occupation)
        for code, alt in self.alternates.items():
            yield (
                f"{self.found['Alternate Titles']}:{alt.line}: occupation {code} is not in "
                f"{occupations}; its {len(alt.labels)} alternate titles are dropped"
            )
        if name := self.found["Content Model Reference"]:
            yield from self._each(name, _REFERENCE, ("element", "description"), self._reference)
        for kind, areas in RATINGS.items():
            if name := self.found[kind]:
                yield from self._each(
                    name,
                    _RATINGS,
                    ("code", "element", "name", "scale", "value"),
                    self._rating_in(areas),
                )
        if name := self.found["Technology Skills"]:
            yield from self._each(
                name,
                _TECHNOLOGY,
                ("code", "example", "commodity", "commodity_title"),
                self._technology,
            )

    def _each(
        self,
        name: str,
        wanted: Mapping[str, Sequence[str]],
        required: tuple[str, ...],
        handle: Handler,
    ) -> Iterator[Item]:
        table = Table(self.files, name)
        for row in table.rows(wanted, required):
            if isinstance(row, str):
                yield row
                continue
            line, cells = row
            try:
                yield from handle(table, line, cells)
            except _Skip as skip:
                yield f"{name}:{line}: {skip}; row skipped"

    def _code(self, table: Table, cells: list[str], *, known: bool = True) -> str:
        code = table.cell(cells, "code")
        if not code:
            raise _Skip("empty O*NET-SOC Code")
        if not _CODE.fullmatch(code):
            raise _Skip(f"O*NET-SOC Code {code!r} is malformed")
        if known and code not in self.codes:
            raise _Skip(f"occupation {code} is not in Occupation Data")
        return code

    def _alternate(self, table: Table, line: int, cells: list[str]) -> Iterator[Item]:
        code = self._code(table, cells, known=False)
        entry = self.alternates.setdefault(code, _Alternates(line, table.cell(cells, "title")))
        short = table.cell(cells, "short")
        for label in (table.cell(cells, "alternate"), "" if short.lower() == "n/a" else short):
            if label := normalise_text(label):
                entry.labels.append(label)
        return iter(())

    def _occupation(self, table: Table, line: int, cells: list[str]) -> Iterator[Item]:
        code = self._code(table, cells, known=False)
        title = normalise_text(table.cell(cells, "title"))
        if not title:
            raise _Skip("empty Title")
        if code in self.codes:
            raise _Skip(f"occupation {code} again")
        self.codes.add(code)
        alt = self.alternates.pop(code, None)
        labels: list[str] = []
        if alt is not None:
            if alt.title and normalise_label(alt.title) != normalise_label(title):
                yield (
                    f"{self.found['Alternate Titles']}:{alt.line}: Title {alt.title!r} of "
                    f"{code} differs from {title!r} in {table.name}; kept the latter"
                )
            keys = {normalise_label(title)}
            for label in alt.labels:
                if (key := normalise_label(label)) not in keys:
                    keys.add(key)
                    labels.append(label)
        yield Occupation(
            id="onet:" + code,
            name=title,
            code=code,
            framework=OCCUPATION_FRAMEWORK,
            uri=SUMMARY + code,
            description=table.cell(cells, "description") or None,
            alt_labels=tuple(labels),
            provenance=self.provenance,
        )

    def _reference(self, table: Table, line: int, cells: list[str]) -> Iterator[Item]:
        self.descriptions[table.cell(cells, "element")] = table.cell(cells, "description")
        return iter(())

    def _skill(
        self,
        where: str,
        sid: str,
        name: str,
        code: str | None,
        description: str | None = None,
        broader: tuple[str, ...] = (),
    ) -> Iterator[Item]:
        """The skill the first time it is seen; a warning when it comes back with another name."""
        if sid in self.skills:
            skill, first = self.skills[sid]
            if normalise_label(skill.name) != normalise_label(name):
                yield f"{where}: {sid} is named {name!r} here, {skill.name!r} at {first}; kept the first"
            return
        skill = Skill(
            id=sid,
            name=name,
            framework=SKILL_FRAMEWORK,
            code=code,
            description=description,
            broader=broader,
            provenance=self.provenance,
        )
        self.skills[sid] = (skill, where)
        yield skill

    def _require(self, oid: str, sid: str, importance: float | None, relation: str) -> Item:
        if (oid, sid) in self.done:
            raise _Skip(f"{oid[5:]} requires {sid} again")
        self.done.add((oid, sid))
        return SkillRequirement(oid, self.skills[sid][0], importance, relation)

    def _rating_in(self, areas: tuple[str, ...]) -> Handler:
        """The row handler of a rating file whose elements lie in these content-model areas."""

        def handle(table: Table, line: int, cells: list[str]) -> Iterator[Item]:
            return self._rating(table, line, cells, areas)

        return handle

    def _rating(
        self, table: Table, line: int, cells: list[str], areas: tuple[str, ...]
    ) -> Iterator[Item]:
        element, title = table.cell(cells, "element"), normalise_text(table.cell(cells, "name"))
        if not _ELEMENT.fullmatch(element):
            raise _Skip(f"Element ID {element!r} is malformed" if element else "empty Element ID")
        if not element.startswith(areas):
            # A misfiled element would be read as the wrong kind of requirement
            raise _Skip(f"Element ID {element} is not in {' or '.join(a[:-1] for a in areas)}")
        if not title:
            raise _Skip("empty Element Name")
        sid = "onet:" + element
        yield from self._skill(
            f"{table.name}:{line}", sid, title, element, self.descriptions.get(element) or None
        )
        if table.cell(cells, "scale").upper() != "IM" or (
            table.cell(cells, "suppress").upper() == "Y"
        ):
            return
        code = self._code(table, cells)
        raw = table.cell(cells, "value")
        try:
            value = float(raw)
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            raise _Skip(f"Data Value {raw!r} is not a number")
        yield self._require("onet:" + code, sid, value, "importance")

    def _technology(self, table: Table, line: int, cells: list[str]) -> Iterator[Item]:
        where = f"{table.name}:{line}"
        example = normalise_text(table.cell(cells, "example"))
        commodity = table.cell(cells, "commodity")
        title = normalise_text(table.cell(cells, "commodity_title"))
        if not example or not title:
            raise _Skip("empty Example or Commodity Title")
        if not _COMMODITY.fullmatch(commodity):
            raise _Skip(f"Commodity Code {commodity!r} is not 8 digits")
        parent = "onet-tech:" + commodity
        yield from self._skill(where, parent, title, commodity)
        sid = "onet-tech:" + normalise_label(example)
        known = self.skills.get(sid)
        if known is not None and known[0].broader != (parent,):
            yield (
                f"{where}: {example!r} is under commodity {commodity} here, under "
                f"{known[0].broader[0].removeprefix('onet-tech:')} at {known[1]}; kept the first"
            )
        yield from self._skill(where, sid, example, None, broader=(parent,))
        yield self._require("onet:" + self._code(table, cells), sid, None, "technology")
