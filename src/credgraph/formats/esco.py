"""ESCO CSV release (v1.0–v1.2, one language) as streamed occupations, skills and requirements.

Files, found by name whatever folder of the release they sit in (language suffix `_en`, `_fr`...;
when several languages are present, English is read, else the first in alphabetical order):

* `occupations_<lang>.csv` -> `Occupation`: id = conceptUri, framework "ESCO", code = `code`
  (ISCO-08 unit group + ESCO suffix, `2511.4`; v1.1+) or else `iscoGroup`, alt_labels from the
  multi-line `altLabels` cell, description = `description` or else `definition`.
* `skillGroups_<lang>.csv` (optional) and `skills_<lang>.csv` -> `Skill`: id = conceptUri,
  framework "ESCO", alt_labels, description, `code` when the file has one (skill groups), and
  broader from `broaderRelationsSkillPillar_<lang>.csv` when present. Skill groups are read so
  that the BROADER links of the hierarchy meet real nodes; `skillType` and `reuseLevel` are
  not kept (the model has no field for them).
* `occupationSkillRelations_<lang>.csv` -> `SkillRequirement`: importance 1.0 for essential,
  0.5 for optional, relation = the relationType.

Columns are matched by header name, case- and punctuation-blind, never by position. Occupations
come first, then skills, then requirements, so a requirement never refers to an occupation the
store has not been given. Bad rows (wrong column count, empty or non-URI conceptUri, duplicate
URIs, unknown relation types, relations to concepts the release does not define, labels that
contradict the concept files) are skipped or kept as stated in a warning `file:line: ...`; the
import goes on. Undecodable bytes (U+FFFD) are reported and the row is kept.

The table reading it shares with the O*NET and crosswalk readers (`Table`, `batched`,
`find_file`) is in `formats.taxonomy`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence

from credgraph.formats.base import ParseError, ParseResult
from credgraph.formats.taxonomy import Item, Table, TaxonomyFiles, batched, find_file
from credgraph.model.ids import normalise_label, normalise_text, skill_id
from credgraph.model.records import (
    Occupation,
    Provenance,
    Skill,
    SkillRequirement,
)

# What a folder release is fetched as, file by file (English)
FILES = (
    "occupations_en.csv",
    "skillGroups_en.csv",
    "skills_en.csv",
    "broaderRelationsSkillPillar_en.csv",
    "occupationSkillRelations_en.csv",
)
FRAMEWORK = "ESCO"
IMPORTANCE = {"essential": 1.0, "optional": 0.5}


def labels(cell: str, name: str) -> tuple[str, ...]:
    """A multi-line label cell as distinct labels (case-blind), without the preferred name."""
    seen = {name.casefold()}
    out: list[str] = []
    for raw in cell.splitlines():
        text = normalise_text(raw)
        key = text.casefold()
        if text and key not in seen:
            seen.add(key)
            out.append(text)
    return tuple(out)


# -- ESCO -----------------------------------------------------------------------------------
_CONCEPT = {
    "uri": ("conceptUri", "uri"),
    "label": ("preferredLabel",),
    "alt": ("altLabels",),
    "description": ("description",),
    "definition": ("definition",),
    "code": ("code",),
    "isco": ("iscoGroup",),
}
_BROADER = {"uri": ("conceptUri",), "broader": ("broaderUri",)}
_RELATION = {
    "occupation": ("occupationUri",),
    "skill": ("skillUri",),
    "relation": ("relationType",),
    "occupation_label": ("occupationLabel",),
    "skill_label": ("skillLabel",),
}


def read(
    files: TaxonomyFiles, *, batch_size: int = 5000, provenance: Provenance | None = None
) -> Iterator[ParseResult]:
    """Batches of an ESCO CSV release: all occupations, then skills, then requirements."""
    names = files.names()
    lang = _language(names)
    found = {
        kind: find_file(names, rf"{kind}(_{lang})?\.csv")
        for kind in (
            "occupations",
            "skillGroups",
            "skills",
            "broaderRelationsSkillPillar",
            "occupationSkillRelations",
        )
    }
    if not found["occupations"] and not found["skills"]:
        raise ParseError(
            files.label, "no occupations_*.csv or skills_*.csv: not an ESCO CSV release"
        )
    return batched(_items(files, found, provenance, names, lang), batch_size)


def _language(names: Sequence[str]) -> str:
    langs = sorted(
        {
            m.group(1).lower()
            for n in names
            if (
                m := re.fullmatch(
                    r"(?:occupations|skills)_([a-z]{2,3}(?:-[a-z]+)?)\.csv", n, re.IGNORECASE
                )
            )
        }
    )
    return "en" if "en" in langs or not langs else langs[0]


def _items(
    files: TaxonomyFiles,
    found: Mapping[str, str | None],
    provenance: Provenance | None,
    names: Sequence[str],
    lang: str,
) -> Iterator[Item]:
    others = sorted(
        {
            m.group(1)
            for n in names
            if (m := re.fullmatch(r"(?:occupations|skills)_(.+)\.csv", n, re.I))
            and m.group(1).lower() != lang
        }
    )
    if others:
        yield f"{files.label}: several languages; read {lang}, ignored {', '.join(others)}"
    occupations: dict[str, str] = {}  # id -> name
    if found["occupations"]:
        yield from _occupations(files, found["occupations"], provenance, occupations)
    broader: dict[str, list[str]] = {}
    broader_line: dict[str, int] = {}
    if found["broaderRelationsSkillPillar"]:
        yield from _broader(files, found["broaderRelationsSkillPillar"], broader, broader_line)
    skills: dict[str, Skill] = {}  # id -> a small stub for requirements
    seen: dict[str, tuple[str, str]] = {}  # id -> (file:line, name)
    for kind in ("skillGroups", "skills"):
        if name := found[kind]:
            yield from _skills(files, name, provenance, broader, skills, seen)
    if broader:
        first = min(broader_line[k] for k in broader)
        yield (
            f"{found['broaderRelationsSkillPillar']}:{first}: {len(broader)} concepts (first "
            f"on this line) are not in the skills or skill groups files; their links are dropped"
        )
    relations = found["occupationSkillRelations"]
    if relations:
        if not found["occupations"] or not found["skills"]:
            yield f"{relations}: needs both the occupations and skills files; not read"
        else:
            yield from _relations(files, relations, occupations, skills)


_COLUMN = {
    "uri": "conceptUri",
    "broader": "broaderUri",
    "occupation": "occupationUri",
    "skill": "skillUri",
    "occupation_label": "occupationLabel",
    "skill_label": "skillLabel",
}


# URIs that `skill_id` (`normalise_uri`) returns unchanged, as ESCO's all are: no need to parse
_PLAIN_URI = re.compile(r"https?://[a-z0-9.-]+(/[A-Za-z0-9._~-]+)+")


def _uri(table: Table, cells: list[str], field: str, line: int) -> tuple[str, str] | str:
    """(raw URI, id) or a warning."""
    raw = table.cell(cells, field)
    if _PLAIN_URI.fullmatch(raw):
        return raw, raw
    column = _COLUMN[field]
    if not raw:
        return f"{table.name}:{line}: empty {column}; row skipped"
    if not raw.startswith(("http://", "https://")):
        return f"{table.name}:{line}: {column} {raw!r} is not a URI; row skipped"
    try:
        return raw, skill_id(uri=raw, framework=None, code=None, label=None)
    except ValueError:
        return f"{table.name}:{line}: {column} {raw!r} is not a URI; row skipped"


def _same_label(given: str, known: str) -> bool:
    return not given or given == known or normalise_label(given) == normalise_label(known)


def _concepts(
    table: Table, seen: dict[str, tuple[str, str]]
) -> Iterator[tuple[int, list[str], str, str, str] | str]:
    """(line, cells, raw uri, id, name) of each new concept of a concept file."""
    for row in table.rows(_CONCEPT, ("uri", "label")):
        if isinstance(row, str):
            yield row
            continue
        line, cells = row
        got = _uri(table, cells, "uri", line)
        if isinstance(got, str):
            yield got
            continue
        raw, cid = got
        name = normalise_text(table.cell(cells, "label"))
        if not name:
            yield f"{table.name}:{line}: {raw} has no preferredLabel; row skipped"
            continue
        if cid in seen:
            first, first_name = seen[cid]
            differs = (
                ""
                if _same_label(name, first_name)
                else (f" with another label ({name!r}, first {first_name!r})")
            )
            yield (
                f"{table.name}:{line}: duplicate conceptUri {raw} (first at {first})"
                f"{differs}; row skipped"
            )
            continue
        seen[cid] = (f"{table.name}:{line}", name)
        yield line, cells, raw, cid, name


def _description(table: Table, cells: list[str]) -> str | None:
    return (table.cell(cells, "description") or table.cell(cells, "definition")) or None


def _occupations(
    files: TaxonomyFiles, name: str, provenance: Provenance | None, known: dict[str, str]
) -> Iterator[Item]:
    table = Table(files, name)
    seen: dict[str, tuple[str, str]] = {}
    for row in _concepts(table, seen):
        if isinstance(row, str):
            yield row
            continue
        _, cells, raw, oid, label = row
        known[oid] = label
        yield Occupation(
            id=oid,
            name=label,
            code=table.cell(cells, "code") or table.cell(cells, "isco") or None,
            framework=FRAMEWORK,
            uri=raw,
            description=_description(table, cells),
            alt_labels=labels(table.cell(cells, "alt"), label),
            provenance=provenance,
        )


def _broader(
    files: TaxonomyFiles, name: str, broader: dict[str, list[str]], first_line: dict[str, int]
) -> Iterator[Item]:
    table = Table(files, name)
    for row in table.rows(_BROADER, ("uri", "broader")):
        if isinstance(row, str):
            yield row
            continue
        line, cells = row
        child, parent = _uri(table, cells, "uri", line), _uri(table, cells, "broader", line)
        if isinstance(child, str) or isinstance(parent, str):
            yield child if isinstance(child, str) else str(parent)
            continue
        targets = broader.setdefault(child[1], [])
        first_line.setdefault(child[1], line)
        if parent[1] not in targets and parent[1] != child[1]:
            targets.append(parent[1])


def _skills(
    files: TaxonomyFiles,
    name: str,
    provenance: Provenance | None,
    broader: dict[str, list[str]],
    stubs: dict[str, Skill],
    seen: dict[str, tuple[str, str]],
) -> Iterator[Item]:
    table = Table(files, name)
    for row in _concepts(table, seen):
        if isinstance(row, str):
            yield row
            continue
        _, cells, raw, sid, label = row
        stubs[sid] = Skill(sid, label, FRAMEWORK, raw)
        yield Skill(
            id=sid,
            name=label,
            framework=FRAMEWORK,
            uri=raw,
            code=table.cell(cells, "code") or None,
            description=_description(table, cells),
            alt_labels=labels(table.cell(cells, "alt"), label),
            broader=tuple(broader.pop(sid, ())),
            provenance=provenance,
        )


def _relations(
    files: TaxonomyFiles, name: str, occupations: Mapping[str, str], skills: Mapping[str, Skill]
) -> Iterator[Item]:
    table = Table(files, name)
    ids: dict[str, str] = {}  # raw URI -> id, so that each URI is checked once
    done: set[tuple[str, str]] = set()
    fields = ("occupation", "skill", "relation")
    at: dict[str, int] = {}
    for row in table.rows(_RELATION, fields):
        if isinstance(row, str):
            yield row
            continue
        line, cells = row
        at = at or table.columns
        raw_occupation, raw_skill = cells[at["occupation"]].strip(), cells[at["skill"]].strip()
        relation = cells[at["relation"]].strip()
        occupation_label = cells[at["occupation_label"]].strip() if "occupation_label" in at else ""
        skill_label = cells[at["skill_label"]].strip() if "skill_label" in at else ""
        oid, sid = ids.get(raw_occupation), ids.get(raw_skill)
        if oid is None or sid is None:
            got = [_uri(table, cells, f, line) for f in fields[:2]]
            if bad := [g for g in got if isinstance(g, str)]:
                yield bad[0]
                continue
            (_, oid), (_, sid) = (g for g in got if not isinstance(g, str))
            ids[raw_occupation], ids[raw_skill] = oid, sid
        occupation, skill = occupations.get(oid), skills.get(sid)
        if occupation is None or skill is None:
            what = f"occupation {raw_occupation}" if occupation is None else f"skill {raw_skill}"
            yield f"{name}:{line}: {what} is not in the release; row skipped"
            continue
        relation = relation.lower()
        if relation not in IMPORTANCE:
            yield f"{name}:{line}: relationType {relation!r} is not essential or optional; row skipped"
            continue
        if (oid, sid) in done:
            yield f"{name}:{line}: the same occupation and skill again; row skipped"
            continue
        done.add((oid, sid))
        for field, given, known in (
            ("occupation_label", occupation_label, occupation),
            ("skill_label", skill_label, skill.name),
        ):
            if not _same_label(given, known):
                yield (
                    f"{name}:{line}: {_COLUMN[field]} {normalise_text(given)!r} differs from "
                    f"the concept's preferredLabel {known!r}; row kept"
                )
        yield SkillRequirement(oid, skill, IMPORTANCE[relation], relation)
