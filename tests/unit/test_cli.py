from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from credgraph.cli.main import main
from tests.conftest import DemoGraph

ROOT = Path(__file__).resolve().parents[2]


def test_schema_file_matches_the_code() -> None:
    result = CliRunner().invoke(main, ["schema"])
    assert result.exit_code == 0
    assert (ROOT / "schema.graphql").read_text() == result.output, (
        "schema.graphql is stale: run `credgraph schema > schema.graphql`"
    )


def test_demo_loads_and_answers(demo_graph: DemoGraph) -> None:
    url = demo_graph.url
    runner = CliRunner()
    text = " ".join(demo_graph.output.split())  # rich wraps lines to the terminal width
    assert "Crawl summary" in text and "SUCCEEDED" in text
    assert "shared skills: Critical Thinking, Mathematics, Python, R" in text
    assert f"Other commands read this graph with --store {url}" in text
    out = runner.invoke(main, ["graphql", "{ stats { credentials occupations } }", "--store", url])
    assert out.exit_code == 0
    # 5 taxonomy occupations and the O*NET-SOC 2010 code a schema.org job example names
    assert json.loads(out.output) == {"data": {"stats": {"credentials": 22, "occupations": 6}}}


def test_graphql_errors_exit_non_zero(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    (tmp_path / "x.db").write_bytes(b"")  # an empty file is an empty SQLite database
    out = CliRunner().invoke(main, ["graphql", "{ nope }", "--store", url])
    assert out.exit_code == 1
    assert "Cannot query field 'nope'" in out.output
    bad = CliRunner().invoke(
        main, ["graphql", "{ stats { skills } }", "--variables", "[1]", "--store", url]
    )
    assert bad.exit_code == 2 and "must be a JSON object" in bad.output


def test_reading_commands_refuse_a_store_that_does_not_exist_and_create_nothing(
    tmp_path: Path,
) -> None:
    missing = tmp_path / "credgraph.db"
    for args in (
        ["stats"],
        ["sources"],
        ["graphql", "{ stats { skills } }"],
        ["export", "--format", "ndjson", "--out", str(tmp_path / "out")],
        ["match", "SQL and Python"],
        ["resolve", "PMP"],
    ):
        out = CliRunner().invoke(main, [*args, "--store", f"sqlite:///{missing}"])
        assert out.exit_code == 2, (args, out.output)
        # rich wraps at the terminal's width, inside a long path too: compare without spaces
        text = "".join(out.output.split())
        expected = "".join(f"no SQLite store at {missing} (nothing was created)".split())
        assert expected in text, out.output
        assert not missing.exists()


def test_a_missing_default_store_points_to_the_demo_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "credgraph-demo.db").write_bytes(b"")
    out = CliRunner().invoke(main, ["stats"], env={"CREDGRAPH_STORE": ""})
    assert out.exit_code == 2
    text = " ".join(out.output.split())
    assert "pass --store sqlite:///credgraph-demo.db" in text, text
    assert not (tmp_path / "credgraph.db").exists()


def test_bad_store_url_is_one_line_and_exit_2() -> None:
    out = CliRunner().invoke(main, ["stats", "--store", "mysql://u:pw@x/db"])
    assert out.exit_code == 2
    assert "unknown scheme 'mysql'" in out.output and "pw@" not in out.output


def test_a_password_holding_a_slash_is_masked_in_the_commands_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = "bolt://neo4j:Secr/t99@127.0.0.1:9"
    out = CliRunner().invoke(main, ["stats", "--store", url])
    assert out.exit_code == 2 and "percent-encoded" in out.output and "t99" not in out.output
    monkeypatch.setenv("CREDGRAPH_STORE", url)
    out = CliRunner().invoke(main, ["serve", "--port", "9"])  # refused before binding
    assert out.exit_code == 2 and "percent-encoded" in out.output and "t99" not in out.output


@pytest.mark.slow  # a child interpreter
def test_python_dash_m_credgraph_is_the_same_command_line() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "credgraph", "--help"], capture_output=True, text=True, check=True
    ).stdout
    assert out.startswith("Usage: credgraph [OPTIONS] COMMAND")
    for command in ("crawl", "serve", "demo", "match", "resolve"):
        assert f"  {command} " in out, out


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--lease-ttl", "nan", "'nan' is not a number of seconds"),
        ("--misfire-grace", "inf", "is not in the range"),
        ("--jitter", "inf", "is not in the range"),
        ("--stop-grace", "-1", "is not in the range"),
        ("--keep-runs", "99999999999d", "(a year at most)"),
        ("--backoff-max", "99999999999999999999d", "(a year at most)"),
    ],
)
def test_scheduler_options_out_of_range_are_refused_before_it_starts(
    option: str, value: str, message: str
) -> None:
    # nan passed click's ranges: a lease of nan seconds made every run skip, for ever
    out = CliRunner().invoke(main, ["scheduler", option, value])
    assert out.exit_code == 2, out.output
    assert message in out.output and option in out.output


@pytest.mark.parametrize("store", ["bolt://127.0.0.1:9", "sqlite:///no/such/folder/x.db"])
def test_serve_with_a_store_it_cannot_open_is_one_line_and_exit_three(store: str) -> None:
    import socket

    with socket.socket() as probe:  # a port free now
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    out = CliRunner().invoke(main, ["serve", "--store", store, "--port", str(port)])
    assert out.exit_code == 3, out.output
    assert out.output.startswith("error: ") and "Traceback" not in out.output
    assert "credgraph API on" not in out.output  # nothing said to be up
