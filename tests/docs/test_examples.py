"""Every GraphQL example in README.md and docs/*.md runs against the demo graph and answers
something (no error, no null or empty top-level field: an example id that names nothing in the
demo fails), and so do the README's `credgraph` commands and its curl query.

An example that cannot run offline is preceded by `<!-- example not run: REASON -->`."""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from credgraph.api import execute
from credgraph.cli.main import main
from credgraph.store import open_store
from tests.docs.conftest import ROOT

PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
BLOCK = re.compile(r"(?P<before>[^\n]*)\n```(?P<lang>\w+)\n(?P<body>.*?)\n```", re.S)
NOT_RUN = re.compile(r"<!-- example not run: (?P<reason>[^>]+\S) -->")


@dataclass(frozen=True)
class Example:
    page: Path
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.page.relative_to(ROOT)}:{self.line}"


def blocks(page: Path, lang: str) -> list[tuple[Example, str | None]]:
    """The `lang` code blocks of `page`, each with the reason it is not run, if marked."""
    text = page.read_text(encoding="utf-8")
    found = []
    for match in BLOCK.finditer(text):
        if match.group("lang") != lang:
            continue
        line = text.count("\n", 0, match.start("body"))
        marker = NOT_RUN.search(match.group("before"))
        found.append((Example(page, line, match.group("body")),
                      marker.group("reason") if marker else None))  # fmt: skip
    return found


def graphql_examples() -> list[Example]:
    return [example for page in PAGES for example, reason in blocks(page, "graphql") if not reason]


def answered(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, list):
        return bool(value)
    if isinstance(value, dict) and "edges" in value:
        return bool(value["edges"])
    return True


async def assert_answers(store_url: str, where: str, query: str) -> None:
    async with open_store(store_url) as store:
        result = await execute(store, query, None)
    assert not result.errors, (where, [e.message for e in result.errors])
    assert result.data, where
    empty = [field for field, value in result.data.items() if not answered(value)]
    assert not empty, f"{where}: {empty} answer nothing on the demo graph: {result.data}"


def test_the_docs_have_examples_and_every_skipped_one_says_why() -> None:
    assert len(graphql_examples()) >= 6
    skipped = [(str(e), r) for page in PAGES for e, r in blocks(page, "graphql") if r]
    assert all(len(reason) > 10 for _, reason in skipped), skipped


@pytest.mark.parametrize("example", graphql_examples(), ids=str)
async def test_every_graphql_example_answers_on_the_demo_graph(
    example: Example, demo_dir: Path
) -> None:
    await assert_answers(f"sqlite:///{demo_dir / 'credgraph-demo.db'}", str(example), example.text)


def readme_shell() -> list[Example]:
    return [example for example, reason in blocks(ROOT / "README.md", "bash") if not reason]


async def test_the_readme_curl_query_answers_on_the_demo_graph(demo_dir: Path) -> None:
    bodies = [json.loads(m.group(1)) for example in readme_shell()
              for m in re.finditer(r"-d '(\{.*?\})'", example.text.replace("\\\n", " "))]  # fmt: skip
    assert bodies, "the README shows a curl query"
    for body in bodies:
        await assert_answers(
            f"sqlite:///{demo_dir / 'credgraph-demo.db'}", "README curl", body["query"]
        )


def test_the_readme_commands_run_on_the_demo_graph(
    demo_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each `credgraph ...` line of the README's shell blocks, except the two set-up commands,
    run where the demo left its store (`--store sqlite:///credgraph-demo.db` as printed)."""
    monkeypatch.chdir(demo_dir)
    ran = 0
    for example in readme_shell():
        for line in example.text.replace("\\\n", " ").splitlines():
            line = line.split(" #", 1)[0].strip()
            if not line.startswith("credgraph "):
                continue
            args = shlex.split(line)[1:]
            out = CliRunner().invoke(main, args, env={"CREDGRAPH_STORE": ""})
            assert out.exit_code == 0, (line, out.output)
            assert "error" not in out.output.lower(), (line, out.output)
            ran += 1
    assert ran >= 3
