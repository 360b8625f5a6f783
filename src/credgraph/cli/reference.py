"""docs/cli.md, the command-line reference, generated from the commands' own `--help`:

    python -m credgraph.cli.reference > docs/cli.md

tests/docs/test_cli_reference.py fails when the file differs from what this prints, so the
reference cannot drift from the commands."""

from __future__ import annotations

from collections.abc import Iterator

import click

from credgraph.cli.main import main

WIDTH = 100  # fixed, so the text does not depend on the terminal it was made in
HEADER = """# Command-line reference

Generated from `credgraph --help` and each command's `--help` by
`python -m credgraph.cli.reference > docs/cli.md`; a test fails when it is out of date.
What the commands are for: [user-guide.md](user-guide.md).
"""


def _help(command: click.Command, path: list[str], parent: click.Context | None) -> str:
    context = click.Context(
        command, info_name=path[-1], parent=parent, terminal_width=WIDTH, max_content_width=WIDTH
    )
    return command.get_help(context)


def _sections(
    command: click.Command, path: list[str], parent: click.Context | None
) -> Iterator[str]:
    context = click.Context(command, info_name=path[-1], parent=parent)
    title = "#" * min(len(path) + 1, 4)
    yield f"{title} `{' '.join(path)}`\n\n```text\n{_help(command, path, parent)}\n```\n"
    if isinstance(command, click.Group):
        for name in sorted(command.list_commands(context)):
            sub = command.get_command(context, name)
            if sub is not None and not sub.hidden:
                yield from _sections(sub, [*path, name], context)


def reference() -> str:
    return HEADER + "\n" + "\n".join(_sections(main, ["credgraph"], None))


if __name__ == "__main__":
    click.echo(reference(), nl=False)
