"""docker-compose.yml and the Dockerfile, checked as far as a machine without Docker allows:
they parse, name only files that exist, run only real `credgraph` commands with valid
options, and the services' commands work when run by hand against the test Neo4j."""

from __future__ import annotations

import json
import os
import re
import shlex
import signal
import socket
import subprocess
import urllib.request
from pathlib import Path
from typing import Any

import click
import pytest
import yaml

from credgraph.cli.main import main
from tests.crawl.server import CatalogServer
from tests.schedule.helpers import (
    CREDGRAPH,
    Scheduler,
    serve_catalog,
    source_toml,
    wait_until,
    write_config,
)
from tests.stores import wipe_neo4j as _wipe_neo4j

ROOT = Path(__file__).resolve().parents[2]
_DEFAULTED = re.compile(r"\$\{(\w+)(?::?-([^}]*))?(?::?\?[^}]*)?\}")


def compose() -> dict[str, Any]:
    data = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert isinstance(data, dict)
    return data


def resolved(text: str, env: dict[str, str] | None = None) -> str:
    """${VAR:-default} and ${VAR:?message} as compose reads them, from `env`."""
    env = env or {}
    return _DEFAULTED.sub(lambda m: env.get(m.group(1), m.group(2) or ""), text)


def dockerfile() -> list[tuple[str, str]]:
    lines = (ROOT / "Dockerfile").read_text().splitlines()
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1])
            for line in lines if line.strip() and not line.lstrip().startswith("#")]


def exec_form(instruction: str, args: str) -> list[str]:
    [value] = [v for k, v in dockerfile() if k == instruction]
    parsed = json.loads(value)
    assert isinstance(parsed, list), f"{instruction} must use the exec (JSON) form"
    return [str(p) for p in parsed]


def assert_real_command(args: list[str]) -> None:
    """`credgraph ARGS` names a command and options click accepts (parsing only)."""
    command = main.commands.get(args[0])
    if command is None:
        raise click.UsageError(f"no command {args[0]!r} (known: {', '.join(main.commands)})")
    with command.make_context(args[0], list(args[1:])):  # raises on a bad option or value
        pass


def test_the_compose_file_has_the_three_services_wired_together() -> None:
    data = compose()
    services = data["services"]
    assert set(services) == {"neo4j", "api", "scheduler"}
    neo4j = services["neo4j"]
    assert neo4j["image"] == "neo4j:5.26-community"
    assert "NEO4J_AUTH" in neo4j["environment"] and "healthcheck" in neo4j
    assert any("server_memory" in key for key in neo4j["environment"])
    assert "neo4j-data:/data" in neo4j["volumes"] and "neo4j-data" in data["volumes"]
    for name in ("api", "scheduler"):
        service = services[name]
        assert service["depends_on"]["neo4j"]["condition"] == "service_healthy"
        assert service["environment"]["CREDGRAPH_STORE"] == "bolt://neo4j:7687"
        assert "NEO4J_PASSWORD" in service["environment"]["CREDGRAPH_NEO4J_PASSWORD"]
        assert "healthcheck" in service
    assert services["api"]["command"][0] == "serve"
    assert services["scheduler"]["command"][0] == "scheduler"
    # SIGTERM lets crawls finish their batch: compose must wait longer than the stop grace.
    command = services["scheduler"]["command"]
    grace = float(command[command.index("--stop-grace") + 1])
    assert int(services["scheduler"]["stop_grace_period"].rstrip("s")) > grace


def test_the_compose_file_and_dockerfile_name_only_files_that_exist() -> None:
    for service in compose()["services"].values():
        build = service.get("build")
        if build is not None:
            context = ROOT / (build if isinstance(build, str) else build.get("context", "."))
            name = "Dockerfile" if isinstance(build, str) else build.get("dockerfile", "Dockerfile")
            assert (context / name).is_file()
        for volume in service.get("volumes", []):
            host = resolved(volume).split(":", 1)[0]
            if host.startswith((".", "/")):
                assert (ROOT / host).exists(), f"{volume} mounts a missing file"
    copied = [v for k, v in dockerfile() if k == "COPY" and "--from" not in v]
    assert copied
    for line in copied:
        *sources, _target = shlex.split(line)
        for source in sources:
            assert (ROOT / source).exists(), f"Dockerfile copies missing {source}"


def test_the_image_and_services_run_real_credgraph_commands() -> None:
    assert exec_form("ENTRYPOINT", "") == ["credgraph"]
    assert_real_command(exec_form("CMD", ""))
    for name in ("api", "scheduler"):
        assert_real_command(compose()["services"][name]["command"])
    for bad in (["servee"], ["scheduler", "--no-such-option"], ["scheduler", "--log-format", "xml"]):
        with pytest.raises(click.UsageError):
            assert_real_command(bad)
    # The healthchecks use what the image has: python, and the ports the commands open.
    services = compose()["services"]
    assert "8000" in " ".join(services["api"]["healthcheck"]["test"])
    assert "9100" in " ".join(services["scheduler"]["healthcheck"]["test"])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def service_env(name: str, store: str) -> dict[str, str]:
    env = {k: resolved(str(v), {"NEO4J_PASSWORD": "unused"})
           for k, v in compose()["services"][name]["environment"].items()}
    env["CREDGRAPH_STORE"] = store  # the test Neo4j instead of the neo4j service
    return {**os.environ, **env}


def replaced(command: list[str], option: str, value: str) -> list[str]:
    out = list(command)
    out[out.index(option) + 1] = value
    return out


@pytest.mark.neo4j
def test_the_services_commands_work_by_hand_against_the_test_neo4j(
    neo4j_url: str, tmp_path: Path
) -> None:
    import asyncio

    asyncio.run(_wipe_neo4j(neo4j_url))
    services = compose()["services"]
    api_port, metrics_port = free_port(), free_port()
    api_cmd = replaced(replaced(services["api"]["command"], "--host", "127.0.0.1"),
                       "--port", str(api_port))
    api = subprocess.Popen([CREDGRAPH, *api_cmd], env=service_env("api", neo4j_url),
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        with CatalogServer() as server:
            url = serve_catalog(server, "acme", pages=2)
            config = write_config(tmp_path / "sources.toml", source_toml("acme", url, "1h"))
            cmd = replaced(services["scheduler"]["command"], "--config", str(config))
            cmd = replaced(replaced(cmd, "--metrics-port", str(metrics_port)),
                           "--metrics-host", "127.0.0.1")
            log = tmp_path / "scheduler.log"
            with log.open("wb") as out:
                process = subprocess.Popen([CREDGRAPH, *cmd, "--jitter", "0"], stdout=out,
                                           stderr=subprocess.STDOUT,
                                           env=service_env("scheduler", neo4j_url))
            scheduler = Scheduler(process, log)
            try:
                [run] = scheduler.wait_for("run finished", timeout=60)
                metrics = urllib.request.urlopen(f"http://127.0.0.1:{metrics_port}/metrics")
                assert b"credgraph_crawl_runs_total" in metrics.read()
                process.send_signal(signal.SIGTERM)
                assert process.wait(30) == 0
            finally:
                if process.poll() is None:
                    process.kill()
        assert run["status"] == "SUCCEEDED" and run["created"] == 7
        assert wait_until(lambda: _healthy(api_port), timeout=30)
        query = json.dumps({"query": "{ stats { credentials } }"}).encode()
        request = urllib.request.Request(f"http://127.0.0.1:{api_port}/graphql", data=query,
                                         headers={"Content-Type": "application/json"})
        answer = json.loads(urllib.request.urlopen(request, timeout=10).read())
        assert answer["data"]["stats"]["credentials"] == 6
    finally:
        api.send_signal(signal.SIGTERM)
        assert api.wait(30) == 0


def _healthy(port: int) -> bool:
    try:
        return urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2).status == 200
    except OSError:
        return False
