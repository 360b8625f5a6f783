"""O*NET text release reader: our small release (as a folder and as a zip), a broken one,
batching and ordering, headers matched by name."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pytest

from credgraph.formats.base import ParseError, ParseResult
from credgraph.formats.onet import FILES, SUMMARY, read
from credgraph.formats.taxonomy import FolderFiles, TaxonomyFiles
from credgraph.model.records import Occupation, Skill, SkillRequirement
from credgraph.model.validation import (
    validate_occupation,
    validate_requirement,
    validate_skill,
)
from tests.formats.releases import collect, open_release

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "onet"
DATA_SCIENTISTS = (
    "Develop and implement a set of techniques or analytics applications to transform raw data "
    "into meaningful information using data-oriented programming languages and visualization "
    "software. Apply data mining, data modeling, natural language processing, and machine "
    "learning to extract and analyze information from large structured and unstructured "
    "datasets. Visualize, interpret, and report data findings. May create dynamic data reports."
)


@pytest.fixture(params=["folder", "zip"])
def release(request: pytest.FixtureRequest, tmp_path: Path) -> Iterable[TaxonomyFiles]:
    with open_release(request.param, FIXTURES, tmp_path, "db_30_1_text") as files:
        yield files


def flat(batches: Iterable[ParseResult]) -> list[object]:
    """Records in the order a crawl writes them: batch by batch, and within a batch
    skills, occupations, then requirements."""
    return [r for b in batches for r in (*b.skills, *b.occupations, *b.requirements)]


def test_release(release: TaxonomyFiles) -> None:
    result = collect(read(release))
    assert result.warnings == []
    assert [o.id for o in result.occupations] == [
        "onet:15-1242.00",
        "onet:15-1252.00",
        "onet:15-2051.00",
        "onet:29-1141.00",
    ]
    by_id = {o.id: o for o in result.occupations}
    assert by_id["onet:15-2051.00"] == Occupation(
        id="onet:15-2051.00",
        name="Data Scientists",
        code="15-2051.00",
        framework="O*NET-SOC",
        uri=SUMMARY + "15-2051.00",
        description=DATA_SCIENTISTS,
        # "Data Scientists" is listed as an alternate title too: not repeated
        alt_labels=("Data Scientist", "Machine Learning Scientist"),
    )
    # Short Title kept unless "n/a"
    assert by_id["onet:15-1242.00"].alt_labels == (
        "Database Administrator",
        "DBA",
        "Database Analyst",
    )
    assert by_id["onet:29-1141.00"].alt_labels == ("Registered Nurse", "RN")

    skills = {s.id: s for s in result.skills}
    assert skills["onet:2.A.1.a"] == Skill(
        id="onet:2.A.1.a",
        name="Reading Comprehension",
        framework="O*NET",
        code="2.A.1.a",
        description="Understanding written sentences and paragraphs in work-related documents.",
    )
    assert skills["onet:2.B.4.e"].description is None  # not in Content Model Reference
    assert sorted(s for s in skills if s.startswith("onet:")) == [
        "onet:2.A.1.a",
        "onet:2.A.1.e",
        "onet:2.A.2.a",
        "onet:2.B.3.c",
        "onet:2.B.3.e",
        "onet:2.B.4.e",
        "onet:2.B.4.g",
    ]
    assert skills["onet-tech:python"] == Skill(
        id="onet-tech:python", name="Python", framework="O*NET", broader=("onet-tech:43232405",)
    )
    assert skills["onet-tech:43232405"] == Skill(
        id="onet-tech:43232405",
        name="Object or component oriented development software",
        framework="O*NET",
        code="43232405",
    )
    assert skills["onet-tech:structured query language sql"].name == (
        "Structured query language SQL"
    )

    for record in result.occupations:
        assert validate_occupation(record) == []
    for skill in result.skills:
        assert validate_skill(skill) == []
    for requirement in result.requirements:
        assert validate_requirement(requirement) == []


def test_importance_ranks_an_occupations_skills(release: TaxonomyFiles) -> None:
    result = collect(read(release))
    rated = sorted(
        (
            r
            for r in result.requirements
            if r.occupation_id == "onet:15-2051.00" and r.relation == "importance"
        ),
        key=lambda r: -(r.importance or 0),
    )
    assert [(r.skill.name, r.importance) for r in rated] == [
        ("Programming", 4.25),
        ("Mathematics", 4.12),
        ("Reading Comprehension", 4.0),
        ("Critical Thinking", 3.88),
        ("Judgment and Decision Making", 3.62),
    ]
    # Equipment Selection (IM flagged Recommend Suppress = Y) names a skill, requires nothing
    assert "onet:2.B.3.c" in {s.id for s in result.skills}
    assert not [r for r in result.requirements if r.skill.id == "onet:2.B.3.c"]


def test_technology_skills(release: TaxonomyFiles) -> None:
    result = collect(read(release))
    technology = [
        (r.occupation_id, r.skill.id) for r in result.requirements if r.relation == "technology"
    ]
    assert technology == [
        ("onet:15-1242.00", "onet-tech:mysql"),
        ("onet:15-1242.00", "onet-tech:structured query language sql"),
        ("onet:15-1252.00", "onet-tech:git"),
        ("onet:15-1252.00", "onet-tech:python"),
        ("onet:15-2051.00", "onet-tech:microsoft excel"),
        ("onet:15-2051.00", "onet-tech:python"),
        ("onet:15-2051.00", "onet-tech:structured query language sql"),
        ("onet:15-2051.00", "onet-tech:tableau"),
    ]
    assert {r.importance for r in result.requirements if r.relation == "technology"} == {None}
    # one Python skill, required by both occupations
    assert [s.id for s in result.skills].count("onet-tech:python") == 1


def test_occupations_and_skills_come_before_requirements(release: TaxonomyFiles) -> None:
    records = flat(read(release, batch_size=3))
    seen: set[str] = set()
    for record in records:
        if isinstance(record, SkillRequirement):
            assert record.occupation_id in seen
            assert record.skill.id in seen
        else:
            assert isinstance(record, (Occupation, Skill))
            seen.add(record.id)
    last_occupation = max(i for i, r in enumerate(records) if isinstance(r, Occupation))
    first_requirement = min(i for i, r in enumerate(records) if isinstance(r, SkillRequirement))
    assert last_occupation < first_requirement


@pytest.mark.parametrize("size", [1, 4, 7, 5000])
def test_batches_respect_batch_size(size: int) -> None:
    batches = list(read(FolderFiles(FIXTURES), batch_size=size))
    counts = [len(b.skills) + len(b.occupations) + len(b.requirements) for b in batches]
    assert all(c == size for c in counts[:-1])
    assert 0 < counts[-1] <= size
    assert sum(counts) == 4 + 7 + 12 + 9 + 8  # occupations, skills, tech skills, requirements
    assert collect(batches) == collect(read(FolderFiles(FIXTURES)))


def test_bad_batch_size() -> None:
    with pytest.raises(ValueError, match="batch_size"):
        next(read(FolderFiles(FIXTURES), batch_size=0))


def test_broken_release_warns_with_file_and_line() -> None:
    batches = list(read(FolderFiles(FIXTURES / "broken"), batch_size=2))
    result = collect(batches)
    assert result.warnings == [
        "Occupation Data.txt:3: O*NET-SOC Code '15-2051' is malformed; row skipped",
        "Occupation Data.txt:4: occupation 15-2051.00 again; row skipped",
        "Occupation Data.txt:5: 2 columns where the header has 3; row skipped",
        "Occupation Data.txt:6: empty O*NET-SOC Code; row skipped",
        "Alternate Titles.txt:3: occupation 99-9999.00 is not in Occupation Data.txt; "
        "its 1 alternate titles are dropped",
        "Skills.txt:3: Data Value 'n/a' is not a number; row skipped",
        "Skills.txt:4: occupation 99-9999.00 is not in Occupation Data; row skipped",
        "Skills.txt:5: empty Element ID; row skipped",
        "Skills.txt:6: 7 columns where the header has 13; row skipped",
        "Skills.txt:7: onet:2.A.1.a is named 'Reading comprehension skills' here, "
        "'Reading Comprehension' at Skills.txt:2; kept the first",
        "Skills.txt:7: 15-2051.00 requires onet:2.A.1.a again; row skipped",
        "Technology Skills.txt:3: Commodity Code '4323231' is not 8 digits; row skipped",
        "Technology Skills.txt:4: 'Python' is under commodity 43232402 here, under 43232405 "
        "at Technology Skills.txt:2; kept the first",
        "Technology Skills.txt:4: 15-2051.00 requires onet-tech:python again; row skipped",
        "Technology Skills.txt:5: undecodable bytes (shown as U+FFFD) in this row",
    ]
    # each batch carries the warnings raised while its records were read
    assert batches[0].warnings[:4] == result.warnings[:4]
    assert sum(len(b.warnings) for b in batches) == len(result.warnings)
    # ...and the import went on
    assert [o.id for o in result.occupations] == ["onet:15-2051.00"]
    assert [(r.skill.id, r.importance) for r in result.requirements] == [
        ("onet:2.A.1.a", 4.0),
        ("onet-tech:python", None),
        ("onet-tech:microsoft exc\ufffdel", None),
    ]


def test_not_an_onet_release(tmp_path: Path) -> None:
    (tmp_path / "Skills.txt").write_text("O*NET-SOC Code\tElement ID\n", encoding="utf-8")
    with pytest.raises(ParseError, match=r"no Occupation Data\.txt"):
        read(FolderFiles(tmp_path))


def test_columns_are_found_by_name(tmp_path: Path) -> None:
    """Another column order, other capitals, an older Alternate Titles layout (with Title)
    and a file without a required column."""
    (tmp_path / "Occupation Data.txt").write_text(
        "description\ttitle\to*net-soc code\n"
        "Assess patient health problems and needs.\tRegistered Nurses\t29-1141.00\n",
        encoding="utf-8",
    )
    (tmp_path / "Alternate Titles.txt").write_text(
        "O*NET-SOC Code\tTitle\tAlternate Title\tShort Title\tSource(s)\n"
        "29-1141.00\tRegistered Nurse Practitioners\tStaff Nurse\t\t02\n",
        encoding="utf-8",
    )
    (tmp_path / "Technology Skills.txt").write_text(
        "O*NET-SOC Code\tExample\tCommodity Title\n29-1141.00\tEpic Systems\tMedical software\n",
        encoding="utf-8",
    )
    result = collect(read(FolderFiles(tmp_path)))
    assert result.occupations == [
        Occupation(
            id="onet:29-1141.00",
            name="Registered Nurses",
            code="29-1141.00",
            framework="O*NET-SOC",
            uri=SUMMARY + "29-1141.00",
            description="Assess patient health problems and needs.",
            alt_labels=("Staff Nurse",),
        )
    ]
    assert result.warnings == [
        "Alternate Titles.txt:2: Title 'Registered Nurse Practitioners' of 29-1141.00 differs "
        "from 'Registered Nurses' in Occupation Data.txt; kept the latter",
        "Technology Skills.txt:1: no Commodity Code column; file skipped",
    ]


def test_files_name_the_fixture_release() -> None:
    held = {p.name for p in FIXTURES.iterdir() if p.is_file()}
    held |= {p.name for p in CONTENT_MODEL.iterdir() if p.is_file()}
    assert sorted(FILES) == sorted(held)


# Rows from the O*NET 30.1 data dictionary's examples, one occupation per rating file
CONTENT_MODEL = FIXTURES / "content_model"


def test_knowledge_abilities_and_work_activities_are_skills_with_importance() -> None:
    result = collect(read(FolderFiles(CONTENT_MODEL)))
    assert result.warnings == []
    skills = {s.id: s for s in result.skills}
    assert skills["onet:2.C.9.a"] == Skill(
        id="onet:2.C.9.a", name="Telecommunications", framework="O*NET", code="2.C.9.a"
    )
    assert skills["onet:1.A.1.a.3"].name == "Oral Expression"
    assert skills["onet:4.A.1.b.2"].code == "4.A.1.b.2"
    assert len(skills) == 12  # four elements in each of the three files
    required = {(r.occupation_id, r.skill.id): r for r in result.requirements}
    assert len(required) == 12  # one importance (IM) row per element; LV rows only name it
    assert required["onet:29-2011.00", "onet:2.C.8.b"].importance == 2.52
    assert required["onet:53-3051.00", "onet:1.A.1.a.2"].importance == 2.75
    work = required["onet:17-2121.00", "onet:4.A.1.a.1"]
    assert (work.importance, work.relation) == (4.22, "importance")


def test_rating_files_are_optional(tmp_path: Path) -> None:
    (tmp_path / "Occupation Data.txt").write_bytes(
        (CONTENT_MODEL / "Occupation Data.txt").read_bytes()
    )
    (tmp_path / "Abilities.txt").write_bytes((CONTENT_MODEL / "Abilities.txt").read_bytes())
    result = collect(read(FolderFiles(tmp_path)))
    assert result.warnings == []
    assert {s.code for s in result.skills} == {"1.A.1.a.1", "1.A.1.a.2", "1.A.1.a.3", "1.A.1.a.4"}
    assert {r.occupation_id for r in result.requirements} == {"onet:53-3051.00"}


def test_an_element_filed_under_another_content_area_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "Occupation Data.txt").write_bytes(
        (CONTENT_MODEL / "Occupation Data.txt").read_bytes()
    )
    # an ability's rows saved as Knowledge.txt: read as knowledge they would mislabel it
    (tmp_path / "Knowledge.txt").write_bytes((CONTENT_MODEL / "Abilities.txt").read_bytes())
    result = collect(read(FolderFiles(tmp_path)))
    assert result.skills == [] and result.requirements == []
    assert result.warnings[0] == (
        "Knowledge.txt:2: Element ID 1.A.1.a.1 is not in 2.C; row skipped"
    )
    assert len(result.warnings) == 8
