"""docs/cli.md is what `python -m credgraph.cli.reference` prints: the commands' own --help."""

from __future__ import annotations

from credgraph.cli.main import main
from credgraph.cli.reference import reference
from tests.docs.conftest import ROOT


def test_the_cli_reference_is_current() -> None:
    assert (ROOT / "docs" / "cli.md").read_text(encoding="utf-8") == reference(), (
        "docs/cli.md is stale: run `python -m credgraph.cli.reference > docs/cli.md`"
    )


def test_the_reference_covers_every_command_and_option() -> None:
    text = reference()
    for name, command in main.commands.items():
        assert f"`credgraph {name}`" in text
        for param in command.params:
            for option in getattr(param, "opts", []):
                if option.startswith("--"):
                    assert option in text, (name, option)
