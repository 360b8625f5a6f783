"""Every CREDGRAPH_* setting credgraph reads is documented in docs/operations.md: the names
written in the sources, the API settings (`credgraph.api.settings`, one variable per field) and
the command options read from the environment."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import fields

import click

from credgraph.api.settings import ApiSettings, env_name
from credgraph.cli.main import main
from tests.docs.conftest import ROOT

VARIABLE = re.compile(r"\bCREDGRAPH_[A-Z0-9_]*[A-Z0-9]\b")
DOCUMENTED = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")


def option_variables(command: click.Command) -> Iterator[str]:
    for param in command.params:
        envvar = getattr(param, "envvar", None)
        if isinstance(envvar, str):
            yield envvar
        elif envvar:
            yield from envvar
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            yield from option_variables(sub)


def read_settings() -> set[str]:
    named = {name for path in (ROOT / "src").rglob("*.py")
             for name in VARIABLE.findall(path.read_text(encoding="utf-8"))}  # fmt: skip
    api = {env_name(f.name) for f in fields(ApiSettings)}
    return named | api | set(option_variables(main))


def test_every_setting_read_is_documented() -> None:
    settings = read_settings()
    assert {"CREDGRAPH_STORE", "CREDGRAPH_CORS_ORIGINS", "CREDGRAPH_LOG_FORMAT"} <= settings
    missing = sorted(s for s in settings if f"`{s}`" not in DOCUMENTED)
    assert missing == [], f"not in docs/operations.md, Settings: {missing}"


def test_the_documentation_names_no_setting_that_does_not_exist() -> None:
    compose = set(VARIABLE.findall((ROOT / "docker-compose.yml").read_text(encoding="utf-8")))
    documented = set(VARIABLE.findall(DOCUMENTED)) - {"CREDGRAPH_TEST_NEO4J_URL"}
    assert sorted(documented - read_settings() - compose) == []
