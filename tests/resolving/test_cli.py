"""`credgraph resolve NAME...` prints what each name stands for, or refuses bad input."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from click.testing import CliRunner

from credgraph.cli.main import main
from credgraph.store import open_store
from tests.resolving.catalog import CREDENTIALS, PMP, SAA


def loaded(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'graph.db'}"

    async def load() -> None:
        async with open_store(url) as store:
            await store.upsert_credentials(CREDENTIALS)

    asyncio.run(load())
    return url


def test_resolve_prints_a_table(tmp_path: Path) -> None:
    url = loaded(tmp_path)
    out = CliRunner().invoke(main, ["resolve", "--store", url, "AWS SAA", "Basket weaving"])
    assert out.exit_code == 0, out.output
    row = next(line for line in out.output.splitlines() if "AWS SAA" in line)
    assert "AWS Certified Solutions Architect" in row and "acronym + issuer" in row
    assert "no match" in out.output  # nothing comes close to basket weaving


def test_resolve_json_and_first(tmp_path: Path) -> None:
    url = loaded(tmp_path)
    out = CliRunner().invoke(
        main, ["resolve", "--store", url, "--json", "--first", "1", "PMP", "saa-c03"]
    )
    assert out.exit_code == 0, out.output
    answers = json.loads(out.output)
    assert [a["input"] for a in answers] == ["PMP", "saa-c03"]
    assert [a["matches"][0]["credential"]["id"] for a in answers] == [PMP, SAA]
    assert all(len(a["matches"]) == 1 for a in answers)


def test_resolve_refuses_a_name_over_the_limit(tmp_path: Path) -> None:
    out = CliRunner().invoke(main, ["resolve", "--store", loaded(tmp_path), "x" * 501])
    assert out.exit_code == 2
    assert "over the limit of 500" in out.output


def test_control_characters_in_a_name_are_printed_as_escapes(tmp_path: Path) -> None:
    # An escape sequence given (or crawled) would reach the terminal, which acts on it.
    name = "Basket \x1b]0;retitled\x07weaving \x9b2J[b]"
    out = CliRunner().invoke(main, ["resolve", "--store", loaded(tmp_path), name])
    assert out.exit_code == 0, out.output
    assert "\x1b" not in out.output and "\x9b" not in out.output and "\x07" not in out.output
    assert "Basket \\x1b]0;retitled\\x07weaving \\x9b2J[b]" in out.output  # markup kept as text
