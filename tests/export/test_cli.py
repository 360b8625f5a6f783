"""`credgraph export` from the command line: files written, exit codes, errors named."""

from __future__ import annotations

import asyncio
import json
import zipfile
from pathlib import Path

from click.testing import CliRunner

from credgraph.cli.main import main
from credgraph.store import open_store
from tests.export.conftest import load


def _store(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'g.db'}"

    async def fill() -> None:
        async with open_store(url) as store:
            await load(store)

    asyncio.run(fill())
    return url


def test_export_writes_the_bundle_and_prints_the_paths(tmp_path: Path) -> None:
    url = _store(tmp_path)
    out = tmp_path / "badges.zip"
    result = CliRunner().invoke(
        main, ["export", "--format", "csv", "--out", str(out), "--type", "badge", "--store", url]
    )
    assert result.exit_code == 0, result.output
    assert str(out) in result.output
    with zipfile.ZipFile(out) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    assert manifest["selection"]["types"] == ["BADGE"]
    assert manifest["counts"]["nodes"]["credential"] == 1


def test_export_errors_name_the_problem(tmp_path: Path) -> None:
    url = _store(tmp_path)
    bad_type = CliRunner().invoke(
        main,
        [
            "export",
            "--format",
            "ndjson",
            "--out",
            str(tmp_path / "x.ndjson"),
            "--type",
            "diploma",
            "--store",
            url,
        ],
    )
    assert bad_type.exit_code == 2 and "unknown credential type 'diploma'" in bad_type.output
    bad_out = CliRunner().invoke(
        main, ["export", "--format", "csv", "--out", str(tmp_path / "x.csv"), "--store", url]
    )
    assert bad_out.exit_code == 2 and "must end in .zip" in bad_out.output
    assert not list(tmp_path.glob("x.*"))


def test_read_only_commands_refuse_a_store_that_does_not_exist(tmp_path: Path) -> None:
    """`export` and `store check` on a missing SQLite file say so instead of creating an
    empty store and reporting on nothing."""
    missing = tmp_path / "missing.db"
    url = f"sqlite:///{missing}"
    export = CliRunner().invoke(
        main, ["export", "--format", "ndjson", "--out", str(tmp_path / "x.ndjson"), "--store", url]
    )
    check = CliRunner().invoke(main, ["store", "check", "--store", url])
    for result in (export, check):
        assert result.exit_code == 2, result.output
        assert "no SQLite store at" in " ".join(result.output.split())
    assert not missing.exists()


def test_export_refuses_to_write_over_the_store_it_reads(tmp_path: Path) -> None:
    """`--out` naming the SQLite store (however spelled), its WAL or shared-memory file would
    replace the database with the export: refused before anything is written."""
    url = _store(tmp_path)
    database = tmp_path / "g.db"
    before = database.read_bytes()
    (tmp_path / "link.db").symlink_to(database)
    (tmp_path / "sub").mkdir()
    for out in (
        database,
        tmp_path / "sub" / ".." / "g.db",
        tmp_path / "link.db",
        tmp_path / "g.db-wal",
        tmp_path / "g.db-shm",
    ):
        result = CliRunner().invoke(
            main, ["export", "--format", "ndjson", "--out", str(out), "--store", url]
        )
        assert result.exit_code == 2, (out, result.output)
        said = " ".join(result.output.split())
        assert f"cannot write {out}" in said and "is the store being exported" in said
    assert database.read_bytes() == before
    assert not list(tmp_path.glob("*.part")) and not list(tmp_path.glob("*.manifest.json"))
    beside = CliRunner().invoke(
        main, ["export", "--format", "ndjson", "--out", str(tmp_path / "g.ndjson"), "--store", url]
    )
    assert beside.exit_code == 0, beside.output  # the store's folder is a fine place
