"""Crosswalk tables (code pairs between two classification schemes) as equivalence links.

Every `.csv`, `.tsv` or `.txt` file of the release is one table. Its header row (found among
the first ten lines, after any title lines an export keeps; delimiter `,`, `;` or tab) names
exactly two schemes, by header name whatever the order:

* O*NET-SOC codes (`onet_soc`, `O*NET-SOC 2019 Code`) and SOC codes (`soc2018`, `2018 SOC Code`)
  -> occupations `onet:15-2051.00` (a 6-digit SOC code meets the `.00` O*NET-SOC occupation);
* ISCO-08 codes (`isco08`, `ISCO-08 Code`) -> occupations `isco:2512`;
* ESCO (`esco_uri`, `ESCO/ISCO Code`, any `...Uri` column): an occupation, ISCO group or skill
  URI keys on itself; a 4-digit code is ISCO-08; an ESCO occupation code (`2512.4`) is kept as
  written, as only the ESCO release maps it to a URI;
* O*NET content-model elements (`Element ID`, `onet_element`) -> skills `onet:2.A.1.a`.

Title, label or name columns (`O*NET-SOC 2019 Title`) name the code column of the same scheme
whose header they share the longest prefix with. A match-type column (`matchType`, `Type of
Match`) may qualify each pair: exact and close matches are equivalences, broad, narrow and
related matches are not and are left out (counted in a warning); an empty cell, or a table
without that column, counts as an equivalence.

What is emitted. Every equivalent pair becomes an `Equivalence` (skill or occupation) between
the two graph ids; the store keeps it as a SAME_AS edge owned by the crosswalk, so imports of
the taxonomies on either side never touch it. A side written as an ESCO occupation code has no
id yet (`a_code`/`b_code` carry it) and is resolved against the stored ESCO occupations at
import. ISCO-08 groups are not in the ESCO or O*NET releases, so each ISCO-08 code a table
names becomes an `Occupation` node of framework ISCO-08 (named by the table's title column,
else by its code): that is the node SOC/O*NET occupations are equivalent to, and ESCO
occupations point at their group through their code (`2512.4` is in group `2512`).
"""

from __future__ import annotations

import csv
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from credgraph.formats.base import ParseError, ParseResult
from credgraph.formats.taxonomy import Item, TaxonomyFiles, batched, header_key, numbered
from credgraph.model.ids import normalise_text, normalise_uri
from credgraph.model.records import Equivalence, Occupation, Provenance
from credgraph.model.values import NodeKind

EQUIVALENT = frozenset({"exact", "exactmatch", "close", "closematch", "equivalent", "sameas"})
NOT_EQUIVALENT = frozenset(
    {
        "broad",
        "broadmatch",
        "broader",
        "narrow",
        "narrowmatch",
        "narrower",
        "related",
        "relatedmatch",
    }
)
_HEADER_LINES = 10
_SOC = re.compile(r"\d{2}-\d{4}(\.\d{2})?")
_ISCO = re.compile(r"\d{1,4}")
_ESCO_CODE = re.compile(r"\d{4}(\.\d+)+")
_ELEMENT = re.compile(r"\d+(\.[A-Za-z0-9]+)+")


@dataclass(frozen=True, slots=True)
class Concept:
    """One side of a pair: a code as written, and the graph id it keys on (None when the
    code alone cannot give it, e.g. an ESCO occupation code without the ESCO release)."""

    kind: str  # "occupation" or "skill"
    scheme: str  # "O*NET-SOC", "SOC", "ISCO-08", "ESCO", "O*NET"
    code: str
    id: str | None
    name: str | None = None
    uri: str | None = None


@dataclass(frozen=True, slots=True)
class Pair:
    source: Concept
    target: Concept
    match: str | None  # the match type as written, None when the table has none
    file: str
    line: int

    @property
    def equivalent(self) -> bool:
        return self.match is None or header_key(self.match) in EQUIVALENT


@dataclass(frozen=True, slots=True)
class _Column:
    index: int
    scheme: str
    key: str
    label: int | None = None  # the index of the title column that names this one


def read(
    files: TaxonomyFiles, *, batch_size: int = 5000, provenance: Provenance | None = None
) -> Iterator[ParseResult]:
    """Batches of equivalences (and of the ISCO-08 group nodes they name)."""
    if not _tables(files):
        raise ParseError(files.label, "no .csv, .tsv or .txt crosswalk table")
    return batched(_items(files, provenance), batch_size)


def pairs(files: TaxonomyFiles) -> Iterator[Pair | str]:
    """Every pair of every table, in file order; warnings (str) for rows that are not pairs."""
    for name in _tables(files):
        yield from _table_pairs(files, name)


def _tables(files: TaxonomyFiles) -> list[str]:
    return [n for n in files.names() if n.lower().endswith((".csv", ".tsv", ".txt"))]


def _items(files: TaxonomyFiles, provenance: Provenance | None) -> Iterator[Item]:
    groups: dict[str, Concept] = {}  # ISCO-08 codes named, first titled mention wins
    seen: set[tuple[str, str, str | None, str | None]] = set()
    left_out: dict[str, int] = {}
    for pair in pairs(files):
        if isinstance(pair, str):
            yield pair
            continue
        for concept in (pair.source, pair.target):
            if (
                concept.scheme == "ISCO-08"
                and concept.id
                and (concept.id not in groups or (concept.name and not groups[concept.id].name))
            ):
                groups[concept.id] = concept
        if not pair.equivalent:
            left_out[pair.file] = left_out.get(pair.file, 0) + 1
            continue
        a, b = pair.source, pair.target
        key = (a.id or "", b.id or "", None if a.id else a.code, None if b.id else b.code)
        if key in seen or (a.id and a.id == b.id):
            continue
        seen.add(key)
        yield Equivalence(
            kind=NodeKind.SKILL if a.kind == "skill" else NodeKind.OCCUPATION,
            a=key[0],
            b=key[1],
            a_code=key[2],
            b_code=key[3],
            line=f"{pair.file}:{pair.line}",
        )
    for name, count in left_out.items():
        yield (
            f"{name}: {count} broad, narrow or related matches left out: "
            "SAME_AS is for equivalents only"
        )
    for group in groups.values():
        assert group.id is not None
        yield Occupation(
            id=group.id,
            name=group.name or f"ISCO-08 group {group.code}",
            code=group.code,
            framework="ISCO-08",
            provenance=provenance,
        )


def _role(header: str) -> tuple[str, str | None]:
    """('match' | 'label' | 'code', scheme or None) of a header."""
    key = header_key(header)
    tokens = set(re.findall(r"[a-z]+|\d+", header.casefold()))
    if "match" in key:
        return "match", None
    role = "label" if any(w in key for w in ("title", "label", "name")) else "code"
    if "element" in key:
        return role, "O*NET"
    if "onet" in key:
        return role, "O*NET-SOC"
    if "esco" in tokens or key.endswith("uri"):
        return role, "ESCO"
    if "isco" in tokens:
        return role, "ISCO-08"
    if "soc" in tokens:
        return role, "SOC"
    return role, None


def _header(cells: list[str]) -> tuple[list[_Column], int | None] | None:
    """The two code columns (with their title columns) and the match column, if the row
    is a crosswalk header."""
    codes: list[_Column] = []
    titles: list[tuple[int, str, str]] = []
    match = None
    for index, title in enumerate(cells):
        role, scheme = _role(title)
        if role == "match":
            match = index
        elif scheme and role == "code":
            codes.append(_Column(index, scheme, header_key(title)))
        elif scheme:
            titles.append((index, scheme, header_key(title)))
    if len(codes) != 2:
        return None
    for index, scheme, key in titles:
        same = [c for c in codes if c.scheme == scheme] or codes
        best = max(same, key=lambda c: len(_common(c.key, key)))
        if best.label is None:
            codes[codes.index(best)] = _Column(best.index, best.scheme, best.key, index)
    return codes, match


def _common(a: str, b: str) -> str:
    return "".join(
        x for x, _ in itertools.takewhile(lambda p: p[0] == p[1], zip(a, b, strict=False))
    )


def _table_pairs(files: TaxonomyFiles, name: str) -> Iterator[Pair | str]:
    with files.open_text(name) as handle:
        head = list(itertools.islice(handle, _HEADER_LINES))
        found = None
        for number, text in enumerate(head):
            for delimiter in (",", ";", "\t"):
                try:
                    cells = next(csv.reader([text], delimiter=delimiter), [])
                except csv.Error:  # a line past the csv field limit is no header
                    cells = []
                if (columns := _header(cells)) is not None:
                    found = number, delimiter, cells, columns
                    break
            if found:
                break
        if found is None:
            yield (
                f"{name}: no header naming two schemes (O*NET-SOC, SOC, ISCO-08, ESCO, "
                f"O*NET elements) in its first {_HEADER_LINES} lines; file skipped"
            )
            return
        number, delimiter, header, (codes, match) = found
        reader = csv.reader(itertools.chain(head[number + 1 :], handle), delimiter=delimiter)
        for row in numbered(reader, lambda: reader.line_num, name, len(header), number + 1):
            if isinstance(row, str):
                yield row
                continue
            line, cells = row
            sides = [_concept(c, header[c.index], cells) for c in codes]
            problems = [s for s in sides if isinstance(s, str)]
            if problems:
                yield f"{name}:{line}: {'; '.join(problems)}; row skipped"
                continue
            source, target = (s for s in sides if isinstance(s, Concept))
            if source.kind != target.kind:
                yield (
                    f"{name}:{line}: {source.code} is {'an' if source.kind[0] == 'o' else 'a'} "
                    f"{source.kind}, {target.code} {'an' if target.kind[0] == 'o' else 'a'} "
                    f"{target.kind}; row skipped"
                )
                continue
            kind = cells[match].strip() if match is not None else ""
            if kind and header_key(kind) not in EQUIVALENT | NOT_EQUIVALENT:
                yield f"{name}:{line}: unknown match type {kind!r}; row skipped"
                continue
            yield Pair(source, target, kind or None, name, line)


def _concept(column: _Column, header: str, cells: list[str]) -> Concept | str:
    """The concept a cell names, or what is wrong with it."""
    code = cells[column.index].strip()
    name = normalise_text(cells[column.label]) if column.label is not None else ""
    if not code:
        return f"empty {header}"
    scheme = column.scheme
    if scheme == "ESCO" and code.startswith(("http://", "https://")):
        path = code.split("://", 1)[1].lower()
        kind = "skill" if ("/esco/skill/" in path or "/esco/isced-f/" in path) else "occupation"
        try:
            return Concept(kind, scheme, code, normalise_uri(code), name or None, code)
        except ValueError:
            return f"{header} {code!r} is not a URI"
    if scheme == "ESCO" and _ESCO_CODE.fullmatch(code):
        return Concept("occupation", scheme, code, None, name or None)
    if scheme in ("ESCO", "ISCO-08") and _ISCO.fullmatch(code):
        return Concept("occupation", "ISCO-08", code, f"isco:{code}", name or None)
    if scheme in ("O*NET-SOC", "SOC") and _SOC.fullmatch(code):
        full = code if "." in code else code + ".00"
        return Concept("occupation", scheme, code, f"onet:{full}", name or None)
    if scheme == "O*NET" and _ELEMENT.fullmatch(code):
        return Concept("skill", scheme, code, f"onet:{code}", name or None)
    return f"{header} {code!r} is not a valid {scheme} code"
