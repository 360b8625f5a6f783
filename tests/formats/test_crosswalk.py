"""Crosswalk reader: the ESCO / O*NET-SOC layout (title lines before the header), ISCO-08 to
SOC with match types and `;`, ESCO skills to O*NET elements, a broken folder, grouping."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pytest

from credgraph.formats.base import ParseError
from credgraph.formats.crosswalk import Concept, Pair, pairs, read
from credgraph.formats.taxonomy import FolderFiles, TaxonomyFiles
from credgraph.model.records import Equivalence, Occupation
from credgraph.model.values import NodeKind
from tests.formats.releases import collect, open_release

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "crosswalk"
E = "http://data.europa.eu/esco/"
PROGRAMMING = E + "skill/21d2f96d-35f7-4e3f-9745-c533d2dd6e97"
PYTHON = E + "skill/ccd0a1d9-afda-43d9-b901-96344886e14d"


@pytest.fixture(params=["folder", "zip"])
def tables(request: pytest.FixtureRequest, tmp_path: Path) -> Iterable[TaxonomyFiles]:
    with open_release(request.param, FIXTURES, tmp_path, "crosswalks") as files:
        yield files


def test_equivalences_and_isco_groups(tables: TaxonomyFiles) -> None:
    result = collect(read(tables))
    occupation, skill = NodeKind.OCCUPATION, NodeKind.SKILL
    assert result.equivalences == [
        # ESCO occupation codes carry no id: the import resolves them against ESCO's nodes
        Equivalence(occupation, "", "onet:15-2051.00", "2511.4", None, "ESCO_to_ONET-SOC.csv:5"),
        Equivalence(occupation, "", "onet:15-1252.00", "2512.4", None, "ESCO_to_ONET-SOC.csv:6"),
        Equivalence(occupation, "", "onet:15-1242.00", "2521.1", None, "ESCO_to_ONET-SOC.csv:7"),
        Equivalence(occupation, "isco:2221", "onet:29-1141.00", line="ESCO_to_ONET-SOC.csv:8"),
        Equivalence(skill, PROGRAMMING, "onet:2.B.3.e", line="esco_onet_skills.csv:2"),
        Equivalence(occupation, "isco:2512", "onet:15-1252.00", line="isco08_soc2018.csv:2"),
        Equivalence(occupation, "isco:2521", "onet:15-1242.00", line="isco08_soc2018.csv:3"),
    ]
    # ISCO-08 groups are in no taxonomy release: the crosswalk names them, titled if it can
    assert result.occupations == [
        Occupation("isco:2221", "Nursing professionals", "2221", "ISCO-08"),
        Occupation("isco:2512", "ISCO-08 group 2512", "2512", "ISCO-08"),
        Occupation("isco:2521", "ISCO-08 group 2521", "2521", "ISCO-08"),
    ]
    # no stub skills: a crosswalk never overwrites the nodes the taxonomy imports wrote
    assert (result.skills, result.requirements) == ([], [])
    assert result.warnings == [
        "esco_onet_skills.csv: 2 broad, narrow or related matches left out: SAME_AS is for "
        "equivalents only",
        "isco08_soc2018.csv: 1 broad, narrow or related matches left out: SAME_AS is for "
        "equivalents only",
    ]


def test_pairs_are_typed(tables: TaxonomyFiles) -> None:
    found = [p for p in pairs(tables) if isinstance(p, Pair)]
    by_file: dict[str, list[Pair]] = {}
    for pair in found:
        by_file.setdefault(pair.file, []).append(pair)
    esco = by_file["ESCO_to_ONET-SOC.csv"]
    # the header is on line 4, after the title lines of the export
    assert esco[0] == Pair(
        Concept("occupation", "ESCO", "2511.4", None, "data scientist"),
        Concept("occupation", "O*NET-SOC", "15-2051.00", "onet:15-2051.00", "Data Scientists"),
        None,
        "ESCO_to_ONET-SOC.csv",
        5,
    )
    assert esco[3].source == Concept(
        "occupation", "ISCO-08", "2221", "isco:2221", "Nursing professionals"
    )
    isco = by_file["isco08_soc2018.csv"]
    assert [(p.source.id, p.target.id, p.match, p.equivalent) for p in isco] == [
        ("isco:2512", "onet:15-1252.00", "exactMatch", True),
        ("isco:2521", "onet:15-1242.00", "closeMatch", True),
        ("isco:2221", "onet:29-1141.00", "broadMatch", False),
    ]
    skills = by_file["esco_onet_skills.csv"]
    assert skills[1].source == Concept(
        "skill", "ESCO", PYTHON, PYTHON, "Python (computer programming)", PYTHON
    )
    assert skills[1].target == Concept("skill", "O*NET", "2.B.3.e", "onet:2.B.3.e", "Programming")


def test_broken_tables_warn_with_file_and_line() -> None:
    result = collect(read(FolderFiles(FIXTURES / "broken")))
    assert result.skills == []
    assert [(e.a, e.b) for e in result.equivalences] == [
        (E + "occupation/258e46f9-0075-4a2e-adae-1ff0477e0f30", "onet:15-2051.00")
    ]
    assert result.warnings == [
        "README.txt: no header naming two schemes (O*NET-SOC, SOC, ISCO-08, ESCO, O*NET "
        "elements) in its first 10 lines; file skipped",
        "esco_onet.csv:3: empty onet_soc; row skipped",
        "esco_onet.csv:4: onet_soc '151242' is not a valid O*NET-SOC code; row skipped",
        "esco_onet.csv:5: unknown match type 'sortOfMatch'; row skipped",
        "esco_onet.csv:6: 3 columns where the header has 5; row skipped",
        f"esco_onet.csv:7: {PYTHON} is a skill, 15-1252.00 an occupation; row skipped",
        "esco_onet.csv:8: esco_uri 'data scientist' is not a valid ESCO code; row skipped",
    ]


def test_pairs_are_deduplicated_over_tables_and_batches(tmp_path: Path) -> None:
    """The same pair stated twice (in two tables) is one equivalence; a concept equal to
    itself is no equivalence at all; batches hold at most `batch_size` records."""
    (tmp_path / "a.tsv").write_text(
        "Element ID\tElement Name\tESCO URI\n"
        f"2.B.3.e\tProgramming\t{PROGRAMMING}\n"
        f"2.A.1.e\tMathematics\t{E}skill/mathematics\n",
        encoding="utf-8",
    )
    (tmp_path / "b.csv").write_text(
        "onet_element,esco_skill_uri,match\n"
        f"2.B.3.e,{E}skill/software-programming,exact\n"
        f"2.B.3.e,{PROGRAMMING},exactMatch\n",
        encoding="utf-8",
    )
    (tmp_path / "c.csv").write_text("isco08,esco_uri\n2512,2512\n", encoding="utf-8")
    batches = list(read(FolderFiles(tmp_path), batch_size=1))
    assert all(len(b.equivalences) + len(b.occupations) <= 1 for b in batches)
    found = [(e.a, e.b) for b in batches for e in b.equivalences]
    assert found == [
        ("onet:2.B.3.e", PROGRAMMING),
        ("onet:2.A.1.e", E + "skill/mathematics"),
        ("onet:2.B.3.e", E + "skill/software-programming"),
    ]


def test_not_a_crosswalk(tmp_path: Path) -> None:
    (tmp_path / "crosswalk.xlsx").write_bytes(b"PK\x03\x04")
    with pytest.raises(ParseError, match=r"no \.csv, \.tsv or \.txt crosswalk table"):
        read(FolderFiles(tmp_path))
