"""`credgraph match`: a job ad in, a table of the credentials that prepare for it out."""

from __future__ import annotations

import asyncio
from pathlib import Path

from click.testing import CliRunner

from credgraph.cli.match import match_command
from credgraph.store import open_store
from tests.contract.test_writes import load


def loaded(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'graph.db'}"

    async def fill() -> None:
        async with open_store(url) as store:
            await load(store)

    asyncio.run(fill())
    return url


def test_match_prints_the_skills_and_the_ranked_credentials(tmp_path: Path) -> None:
    url = loaded(tmp_path)
    out = CliRunner().invoke(
        match_command,
        [
            "We need SQL, Python and statistics; cloud computing helps. ISCO 9999.",
            "--store",
            url,
            "--first",
            "3",
        ],
    )
    assert out.exit_code == 0, out.output
    assert "skills: SQL, Python (computer programming), Statistics, Cloud computing" in out.output
    assert "not in the graph: ISCO-08 9999" in out.output
    rows = [line for line in out.output.splitlines() if "75%" in line]
    assert len(rows) == 2  # the MSc and the badge cover three of the four
    assert "25%" in out.output and "MSc Datenwissenschaft" in out.output


def test_bad_input_exits_2_with_the_reason(tmp_path: Path) -> None:
    url = loaded(tmp_path)
    out = CliRunner().invoke(match_command, ["--store", url])
    assert out.exit_code == 2
    assert "exactly one of TEXT or --url" in out.output
    out = CliRunner().invoke(match_command, ["--url", "http://10.0.0.1/job", "--store", url])
    assert out.exit_code == 2
    assert "refused" in out.output
