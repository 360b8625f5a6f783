"""ESCO CSV release reader: our small v1.2-layout release (as a folder and as a zip), a broken
v1.1-layout one, batching and ordering, languages, headers matched by name."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pytest

from credgraph.formats.base import ParseError
from credgraph.formats.esco import FILES, read
from credgraph.formats.taxonomy import FolderFiles, TaxonomyFiles
from credgraph.model.records import Occupation, Skill, SkillRequirement
from credgraph.model.validation import (
    validate_occupation,
    validate_requirement,
    validate_skill,
)
from tests.formats.releases import collect, open_release

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "esco"
E = "http://data.europa.eu/esco/"
DATA_SCIENTIST = E + "occupation/258e46f9-0075-4a2e-adae-1ff0477e0f30"
SOFTWARE_DEVELOPER = E + "occupation/f2b15a0e-e65a-438a-affb-29b9d50b77d1"
DATABASE_ADMINISTRATOR = E + "occupation/8c57af09-719c-42b3-be40-6ed4946236cc"
PROGRAMMING = E + "skill/21d2f96d-35f7-4e3f-9745-c533d2dd6e97"
PYTHON = E + "skill/ccd0a1d9-afda-43d9-b901-96344886e14d"
MACHINE_LEARNING = E + "skill/3a2d5b45-56e4-4f5a-a55a-4a4a65afdc43"
MYSQL = E + "skill/4da171e5-779c-4983-a76f-91c16751e99f"
SPARQL = E + "skill/5da8018b-ae85-4cde-ad93-0394369018f3"
OCCUPATION_HEADER = (
    "conceptType,conceptUri,iscoGroup,preferredLabel,altLabels,hiddenLabels,"
    "status,modifiedDate,regulatedProfessionNote,scopeNote,definition,inScheme,"
    "description,code\n"
)


@pytest.fixture(params=["folder", "zip"])
def release(request: pytest.FixtureRequest, tmp_path: Path) -> Iterable[TaxonomyFiles]:
    with open_release(
        request.param, FIXTURES, tmp_path, "ESCO dataset - v1.2.0 - classification - en - csv"
    ) as files:
        yield files


def test_release(release: TaxonomyFiles) -> None:
    result = collect(read(release))
    assert result.warnings == []
    assert [o.id for o in result.occupations] == [
        DATA_SCIENTIST,
        SOFTWARE_DEVELOPER,
        DATABASE_ADMINISTRATOR,
    ]
    assert result.occupations[0] == Occupation(
        id=DATA_SCIENTIST,
        name="data scientist",
        code="2511.4",
        framework="ESCO",
        uri=DATA_SCIENTIST,
        description=(
            "Data scientists find and interpret rich data sources, manage large amounts of data, "
            "merge data sources, ensure consistency of data-sets, and create visualisations to aid "
            "in understanding data. They build mathematical models using data, present and "
            "communicate data insights and findings to specialists and scientists in their team "
            "and if required, to a non-expert audience, and recommend ways to apply the data."
        ),
        # a multi-line quoted altLabels cell
        alt_labels=("data science specialist", "data science expert", "data science consultant"),
    )
    # the preferred label, repeated among the alt labels, is not kept as one
    assert result.occupations[1].alt_labels == (
        "software engineer",
        "programmer",
        "application developer",
    )

    skills = {s.id: s for s in result.skills}
    assert skills[PYTHON] == Skill(
        id=PYTHON,
        name="Python (computer programming)",
        framework="ESCO",
        uri=PYTHON,
        description=(
            "The techniques and principles of software development, such as analysis, algorithms, "
            "coding, testing and compiling of programming paradigms in Python."
        ),
        alt_labels=("Python", "Python programming"),
        broader=(PROGRAMMING,),
    )
    # skill groups are skills too, so that the hierarchy meets real nodes
    assert skills[E + "isced-f/0613"].code == "0613"
    assert skills[E + "isced-f/0613"].broader == (E + "isced-f/061",)
    assert skills[PROGRAMMING].broader == (E + "isced-f/0613",)
    assert len(skills) == 3 + 7
    every_id = set(skills)
    assert {b for s in result.skills for b in s.broader} <= every_id

    for record in result.occupations:
        assert validate_occupation(record) == []
    for skill in result.skills:
        assert validate_skill(skill) == []
    for requirement in result.requirements:
        assert validate_requirement(requirement) == []


def test_essential_and_optional(release: TaxonomyFiles) -> None:
    result = collect(read(release))
    of_data_scientist = sorted(
        (r for r in result.requirements if r.occupation_id == DATA_SCIENTIST),
        key=lambda r: (-(r.importance or 0), r.skill.name),
    )
    assert [(r.skill.name, r.importance, r.relation) for r in of_data_scientist] == [
        ("machine learning", 1.0, "essential"),
        ("MySQL", 0.5, "optional"),
        ("Python (computer programming)", 0.5, "optional"),
        ("SPARQL", 0.5, "optional"),
    ]
    # the requirement embeds a small reference to the skill, not the whole record
    assert of_data_scientist[0].skill == Skill(
        MACHINE_LEARNING, "machine learning", "ESCO", MACHINE_LEARNING
    )
    assert len(result.requirements) == 9


def test_occupations_and_skills_come_before_requirements(release: TaxonomyFiles) -> None:
    seen: set[str] = set()
    requirements_started = False
    for batch in read(release, batch_size=4):
        seen.update(o.id for o in batch.occupations)
        seen.update(s.id for s in batch.skills)
        if batch.occupations:
            assert not requirements_started
        for requirement in batch.requirements:
            requirements_started = True
            assert requirement.occupation_id in seen
            assert requirement.skill.id in seen


@pytest.mark.parametrize("size", [1, 5, 22])
def test_batches_respect_batch_size(size: int) -> None:
    batches = list(read(FolderFiles(FIXTURES), batch_size=size))
    counts = [len(b.skills) + len(b.occupations) + len(b.requirements) for b in batches]
    assert all(c == size for c in counts[:-1])
    assert 0 < counts[-1] <= size
    assert sum(counts) == 3 + 10 + 9
    assert collect(batches) == collect(read(FolderFiles(FIXTURES)))


def test_broken_release_warns_with_file_and_line() -> None:
    result = collect(read(FolderFiles(FIXTURES / "broken"), batch_size=2))
    assert result.warnings == [
        "occupations_en.csv:4: empty conceptUri; row skipped",
        f"occupations_en.csv:5: duplicate conceptUri {DATA_SCIENTIST} (first at "
        "occupations_en.csv:2) with another label ('data science lead', first 'data scientist'); "
        "row skipped",
        "skills_en.csv:4: conceptUri 'skill/not-a-uri' is not a URI; row skipped",
        "skills_en.csv:5: 8 columns where the header has 13; row skipped",
        "skills_en.csv:7: undecodable bytes (shown as U+FFFD) in this row",
        "occupationSkillRelations_en.csv:3: relationType 'mandatory' is not essential or "
        "optional; row skipped",
        f"occupationSkillRelations_en.csv:4: skill {MACHINE_LEARNING} is not in the release; "
        "row skipped",
        f"occupationSkillRelations_en.csv:5: occupation {SOFTWARE_DEVELOPER} is not in the "
        "release; row skipped",
        "occupationSkillRelations_en.csv:6: the same occupation and skill again; row skipped",
    ]
    # the multi-line altLabels cell of line 2 ends on line 3: the next row is line 4
    assert [o.alt_labels for o in result.occupations] == [
        ("data science specialist", "data science expert")
    ]
    assert [s.name for s in result.skills] == [
        "Python (computer programming)",
        "SPARQL",
        "My\ufffdSQL",
    ]
    assert [(r.skill.id, r.relation) for r in result.requirements] == [
        (PYTHON, "essential"),
        (MYSQL, "optional"),
    ]


def test_each_batch_carries_its_own_warnings() -> None:
    batches = list(read(FolderFiles(FIXTURES / "broken"), batch_size=1))
    # the occupation warnings come after the one good occupation was batched
    assert batches[0].occupations and batches[0].warnings == []
    assert batches[1].warnings[0] == "occupations_en.csv:4: empty conceptUri; row skipped"
    assert sum(len(b.warnings) for b in batches) == 9


def test_v1_0_layout_other_case_and_languages(tmp_path: Path) -> None:
    """No `code` column (ISCO group instead), other header case, relations without labels,
    two languages side by side (English is read), a relation label that disagrees."""
    (tmp_path / "occupations_en.csv").write_text(
        "CONCEPTURI,PreferredLabel,ISCOGROUP,altlabels,Description\n"
        f'{DATA_SCIENTIST},data scientist,2511,"data science specialist\n\ndata  science expert\n",\n',
        encoding="utf-8",
    )
    (tmp_path / "occupations_fr.csv").write_text(
        f"conceptUri,preferredLabel\n{DATA_SCIENTIST},scientifique des données\n", encoding="utf-8"
    )
    (tmp_path / "skills_en.csv").write_text(
        f"conceptUri,preferredLabel\n{SPARQL},SPARQL\n", encoding="utf-8"
    )
    (tmp_path / "occupationSkillRelations_en.csv").write_text(
        "occupationUri,relationType,skillUri,skillLabel\n"
        f"{DATA_SCIENTIST},Optional,{SPARQL},SPARQL query language\n",
        encoding="utf-8",
    )
    result = collect(read(FolderFiles(tmp_path)))
    assert result.occupations == [
        Occupation(
            DATA_SCIENTIST,
            "data scientist",
            "2511",
            "ESCO",
            DATA_SCIENTIST,
            None,
            ("data science specialist", "data science expert"),
        )
    ]
    assert result.requirements == [
        SkillRequirement(DATA_SCIENTIST, Skill(SPARQL, "SPARQL", "ESCO", SPARQL), 0.5, "optional")
    ]
    assert result.warnings == [
        f"{tmp_path}: several languages; read en, ignored fr",
        "occupationSkillRelations_en.csv:2: skillLabel 'SPARQL query language' differs from "
        "the concept's preferredLabel 'SPARQL'; row kept",
    ]


def test_missing_columns_and_files(tmp_path: Path) -> None:
    (tmp_path / "skills_en.csv").write_text("uri,label\nx,y\n", encoding="utf-8")
    (tmp_path / "occupationSkillRelations_en.csv").write_text("a,b\n", encoding="utf-8")
    result = collect(read(FolderFiles(tmp_path)))
    assert result.warnings == [
        "skills_en.csv:1: no preferredLabel column; file skipped",
        "occupationSkillRelations_en.csv: needs both the occupations and skills files; not read",
    ]


def test_not_an_esco_release(tmp_path: Path) -> None:
    (tmp_path / "ISCOGroups_en.csv").write_text(OCCUPATION_HEADER, encoding="utf-8")
    with pytest.raises(ParseError, match="not an ESCO CSV release"):
        read(FolderFiles(tmp_path))


def test_broader_relations_of_concepts_not_in_the_release(tmp_path: Path) -> None:
    (tmp_path / "skills_en.csv").write_text(
        f"conceptUri,preferredLabel\n{PYTHON},Python (computer programming)\n", encoding="utf-8"
    )
    (tmp_path / "broaderRelationsSkillPillar_en.csv").write_text(
        "conceptType,conceptUri,broaderType,broaderUri\n"
        f"KnowledgeSkillCompetence,{PYTHON},KnowledgeSkillCompetence,{PROGRAMMING}\n"
        f"KnowledgeSkillCompetence,{SPARQL},SkillGroup,{E}isced-f/0612\n"
        f"KnowledgeSkillCompetence,{PYTHON},SkillGroup,not a uri\n",
        encoding="utf-8",
    )
    result = collect(read(FolderFiles(tmp_path)))
    # a link to a concept the release does not define is kept (the store keeps dangling links)
    assert [s.broader for s in result.skills] == [(PROGRAMMING,)]
    assert result.warnings == [
        "broaderRelationsSkillPillar_en.csv:4: broaderUri 'not a uri' is not a URI; row skipped",
        "broaderRelationsSkillPillar_en.csv:3: 1 concepts (first on this line) are not in the "
        "skills or skill groups files; their links are dropped",
    ]


def test_files_name_the_fixture_release() -> None:
    assert sorted(FILES) == sorted(p.name for p in FIXTURES.iterdir() if p.is_file())
