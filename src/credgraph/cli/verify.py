"""`credgraph verify`: verify one badge (a URL, or a file holding JSON or a compact JWS) and
print the verdict with every check; exit 0 only when it is VALID."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from credgraph.cli.common import fail, shown
from credgraph.cli.options import store_option
from credgraph.errors import CredgraphError
from credgraph.store import open_store
from credgraph.verify import Status, VerificationInputError, VerificationResult, Verifier
from credgraph.verify.serialise import result_json

MAX_FILE_BYTES = 1_000_000


@click.command("verify")
@click.argument("target")
@click.option(
    "--identity",
    default=None,
    metavar="EMAIL",
    help="Also say whether the award's (possibly hashed) recipient is this identity.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@store_option
def verify_command(target: str, identity: str | None, as_json: bool, store_url: str | None) -> None:
    """Verify TARGET: an http(s) URL of an award or badge page, or a file holding an OB 2.0
    assertion, an OB 3.0 / CLR credential or a compact JWS. With --store, the result is
    mapped onto that graph (and a verified definition we lack is added). Exit 0 when VALID,
    1 otherwise, 2 on bad input."""
    try:
        result = asyncio.run(_verify(target, store_url))
    except (VerificationInputError, CredgraphError, OSError) as exc:
        fail(exc)
    if as_json:
        click.echo(json.dumps(result_json(result, identity), indent=2, ensure_ascii=False))
    else:
        _print(result, identity)
    sys.exit(0 if result.status is Status.VALID else 1)


async def _verify(target: str, store_url: str | None) -> VerificationResult:
    given: dict[str, Any]
    if target.lower().startswith(("http://", "https://")):
        given = {"url": target}
    else:
        path = Path(target)
        if path.stat().st_size > MAX_FILE_BYTES:
            raise VerificationInputError(f"{path} is over {MAX_FILE_BYTES} bytes")
        given = {"document": _text_of(path)}
    if store_url is None:
        return await Verifier().verify(**given)
    async with open_store(store_url) as store:
        return await Verifier().verify(store=store, **given)


def _text_of(path: Path) -> str:
    """The file as UTF-8 text, a byte order mark left out (as `POST /verify` reads the same
    bytes); VerificationInputError naming the first byte that is not UTF-8."""
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise VerificationInputError(
            f"{path} is not UTF-8 text (byte {exc.start}: {exc.reason}); an award is JSON or "
            "a compact JWS"
        ) from None


def _print(result: VerificationResult, identity: str | None) -> None:
    console = Console(emoji=False)  # "did:key:" is an id, not the :key: emoji
    colour = "green" if result.status is Status.VALID else "red"
    console.print(f"[bold {colour}]{result.status.value}[/] ({result.kind})")
    table = Table()
    for column in ("check", "outcome", "reason"):
        table.add_column(column)
    for check in result.checks:
        table.add_row(check.name, check.outcome.value, shown(check.reason))
    console.print(table)
    for achievement in result.achievements:
        console.print(f"achievement: {shown(achievement.definition.name)}")
    if identity is not None:
        console.print(f"recipient matches {shown(identity)}: {result.matches_recipient(identity)}")
