"""docker-compose.yml and the Dockerfile, checked as far as a machine without Docker allows:
they parse, name only files that exist, run only real `credgraph` commands with valid
options, the neo4j.conf the official image would write passes Neo4j's own strict validation,
and the services' commands work when run by hand against the test Neo4j."""

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
NEO4J_SERVER = ROOT / "tools" / "neo4j" / "server"
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
    """(INSTRUCTION, arguments), with `\\`-continued lines joined."""
    lines = [
        line
        for line in (ROOT / "Dockerfile").read_text().splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    text = "\n".join(lines).replace("\\\n", " ")
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1]) for line in text.splitlines()]


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
    services = {k: v for k, v in data["services"].items() if "profiles" not in v}
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


def test_the_replicas_profile_adds_a_second_api_and_scheduler_on_a_routing_uri() -> None:
    services = compose()["services"]
    profiled = {k for k, v in services.items() if "profiles" in v}
    assert profiled == {"api-replica", "scheduler-replica"}
    for name, like in (("api-replica", "api"), ("scheduler-replica", "scheduler")):
        replica, first = services[name], services[like]
        assert replica["profiles"] == ["replicas"]
        assert replica["command"] == first["command"]
        assert replica["depends_on"] == first["depends_on"]
        assert replica.get("volumes") == first.get("volumes")
        assert replica["environment"]["CREDGRAPH_STORE"] == "neo4j://neo4j:7687"
        assert {**replica["environment"], "CREDGRAPH_STORE": ""} == {
            **first["environment"],
            "CREDGRAPH_STORE": "",
        }
        # Host ports differ, or the second container could not start beside the first.
        assert not set(replica["ports"]) & set(first["ports"])
    # A routing table names the server by the address it advertises: the service's name.
    neo4j = services["neo4j"]["environment"]
    assert neo4j["NEO4J_server_default__advertised__address"] == "neo4j"


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
    for name in ("api", "scheduler", "api-replica", "scheduler-replica"):
        assert_real_command(compose()["services"][name]["command"])
    for bad in (
        ["servee"],
        ["scheduler", "--no-such-option"],
        ["scheduler", "--log-format", "xml"],
    ):
        with pytest.raises(click.UsageError):
            assert_real_command(bad)
    # The healthchecks use what the image has: python, and the ports the commands open.
    services = compose()["services"]
    assert "8000" in " ".join(services["api"]["healthcheck"]["test"])
    assert "9100" in " ".join(services["scheduler"]["healthcheck"]["test"])


# The official image's docker-entrypoint.sh (neo4j/docker-neo4j, docker-image-src/5/coredb):
# these NEO4J_* variables steer the image and never reach neo4j.conf...
IMAGE_CONTROL = {
    "NEO4J_ACCEPT_LICENSE_AGREEMENT",
    "NEO4J_AUTH",
    "NEO4J_AUTH_PATH",
    "NEO4J_DEBUG",
    "NEO4J_EDITION",
    "NEO4J_HOME",
    "NEO4J_PLUGINS",
    "NEO4J_SHA256",
    "NEO4J_TARBALL",
}
# ...and these defaults are written first (a variable of the same setting replaces them).
IMAGE_DEFAULTS = {
    "server.memory.pagecache.size": "512M",
    "server.default_listen_address": "0.0.0.0",
    "server.directories.run": "/run",
}


def image_setting(variable: str) -> str:
    """The entrypoint's rule: strip NEO4J_, every `_` becomes `.`, then `..` becomes `_`."""
    return variable.removeprefix("NEO4J_").replace("_", ".").replace("..", "_")


def image_neo4j_conf(environment: dict[str, str]) -> str:
    """The neo4j.conf lines the image writes for a container with `environment`: every other
    NEO4J_* variable with a value becomes a setting (a `apoc.` one goes to apoc.conf)."""
    settings = dict(IMAGE_DEFAULTS)
    for variable, value in sorted(environment.items(), reverse=True):
        if not variable.startswith("NEO4J_") or variable in IMAGE_CONTROL or not value:
            continue
        setting = image_setting(variable)
        if not setting.startswith("apoc."):
            settings[setting] = value
    return "".join(f"{key}={value}\n" for key, value in settings.items())


def neo4j_validation(conf: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "neo4j.conf"
    path.write_text(conf)
    return subprocess.run(
        [str(NEO4J_SERVER), "check-config", str(path)], capture_output=True, text=True, timeout=300
    )


def neo4j_container_env() -> dict[str, str]:
    environment = compose()["services"]["neo4j"]["environment"]
    return {
        k: resolved(str(v), {"NEO4J_PASSWORD": "a-long-password"}) for k, v in environment.items()
    }


def test_the_image_rule_turns_variables_into_settings_as_the_entrypoint_does() -> None:
    assert image_setting("NEO4J_server_memory_heap_max__size") == "server.memory.heap.max_size"
    assert image_setting("NEO4J_dbms_usage__report_enabled") == "dbms.usage_report.enabled"
    conf = image_neo4j_conf(
        {
            "NEO4J_AUTH": "neo4j/secret",
            "NEO4J_PASSWORD": "secret",
            "NEO4J_server_memory_pagecache_size": "1G",
            "NEO4J_EMPTY": "",
            "CREDGRAPH_STORE": "bolt://x",
        }
    )
    assert conf.splitlines() == [
        "server.memory.pagecache.size=1G",
        "server.default_listen_address=0.0.0.0",
        "server.directories.run=/run",
        "PASSWORD=secret",
    ]
    # The compose file gives the container only real settings, and never a password in plain text.
    written = image_neo4j_conf(neo4j_container_env())
    assert "a-long-password" not in written
    assert "server.memory.heap.max_size=1G" in written.splitlines()


@pytest.mark.slow
def test_the_neo4j_conf_the_image_writes_passes_neo4js_own_strict_validation(
    tmp_path: Path,
) -> None:
    accepted = neo4j_validation(image_neo4j_conf(neo4j_container_env()), tmp_path)
    assert accepted.returncode == 0, accepted.stderr
    assert accepted.stdout.strip().endswith("OK")
    # The check catches the class of mistake that kept Neo4j from starting: any NEO4J_* variable
    # that is not a setting (here one meant for a healthcheck) is refused as Neo4j would.
    refused = neo4j_validation(
        image_neo4j_conf({**neo4j_container_env(), "NEO4J_PASSWORD": "a-long-password"}), tmp_path
    )
    assert refused.returncode == 1
    assert "No declared setting with name: PASSWORD" in refused.stderr
    bad_value = neo4j_validation(
        image_neo4j_conf({**neo4j_container_env(), "NEO4J_server_memory_heap_max__size": "lots"}),
        tmp_path,
    )
    assert bad_value.returncode == 1 and "server.memory.heap.max_size" in bad_value.stderr


def test_the_neo4j_healthcheck_needs_no_variable_of_its_own() -> None:
    neo4j = compose()["services"]["neo4j"]
    test = " ".join(neo4j["healthcheck"]["test"])
    names = set(re.findall(r"\$\$\{(\w+)", test))
    assert names <= set(neo4j["environment"]) and names <= IMAGE_CONTROL | {"NEO4J_AUTH"}


def test_the_scheduler_mounts_its_sources_directory_and_the_image_keeps_its_store() -> None:
    scheduler = compose()["services"]["scheduler"]
    [volume] = scheduler["volumes"]
    assert volume.endswith(":/config:ro") and "CREDGRAPH_SOURCES_DIR" in volume
    command = scheduler["command"]
    assert command[command.index("--config") + 1] == "/config/sources.toml"
    instructions = dockerfile()
    froms = [v for k, v in instructions if k == "FROM"]
    assert all(
        re.match(r"[\w./-]+:\d+\.\d+\.\d+[\w.-]*( AS \w+)?$|[\w./-]+@sha256:", f) for f in froms
    ), froms
    runs = " ".join(v for k, v in instructions if k == "RUN")
    assert "runtime_requirements.py requirements.lock pyproject.toml > runtime.lock" in runs
    assert "--require-hashes -r runtime.lock" in runs and "--no-deps ." in runs
    env = " ".join(v for k, v in instructions if k == "ENV")
    assert "CREDGRAPH_STORE=sqlite:////data/" in env
    assert any(k == "VOLUME" and "/data" in v for k, v in instructions)
    ignored = (ROOT / ".dockerignore").read_text().splitlines()
    assert "**" in ignored  # everything out by default: .venv, .cache/neo4j, *.db
    assert {"!src/", "!requirements.lock", "!pyproject.toml", "!README.md"} <= set(ignored)


def test_the_images_runtime_lock_is_complete_and_holds_no_test_tools() -> None:
    """The runtime part of requirements.lock (what the image installs) holds every dependency
    of pyproject and, by the installed packages' own metadata, everything they require."""
    import importlib.metadata
    import sys

    from packaging.requirements import Requirement

    sys.path.insert(0, str(ROOT / "tools"))
    try:
        from runtime_requirements import normalized, runtime
    finally:
        sys.path.pop(0)
    text = runtime((ROOT / "requirements.lock").read_text(), (ROOT / "pyproject.toml").read_text())
    pinned = {normalized(line.split("==")[0]) for line in text.splitlines()
              if re.match(r"[A-Za-z0-9]", line)}  # fmt: skip
    assert {"starlette", "uvicorn", "neo4j", "strawberry-graphql"} <= pinned
    assert not pinned & {"pytest", "playwright", "mypy", "ruff", "pandas", "hypothesis"}
    assert text.count("--hash=sha256:") >= len(pinned)
    for name in sorted(pinned):
        for spec in importlib.metadata.requires(name) or []:
            requirement = Requirement(spec)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                assert normalized(requirement.name) in pinned, (name, spec)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def service_env(name: str, store: str) -> dict[str, str]:
    env = {
        k: resolved(str(v), {"NEO4J_PASSWORD": "unused"})
        for k, v in compose()["services"][name]["environment"].items()
    }
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
    api_cmd = replaced(
        replaced(services["api"]["command"], "--host", "127.0.0.1"), "--port", str(api_port)
    )
    api = subprocess.Popen(
        [CREDGRAPH, *api_cmd],
        env=service_env("api", neo4j_url),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        with CatalogServer() as server:
            url = serve_catalog(server, "acme", pages=2)
            config = write_config(tmp_path / "sources.toml", source_toml("acme", url, "1h"))
            cmd = replaced(services["scheduler"]["command"], "--config", str(config))
            cmd = replaced(
                replaced(cmd, "--metrics-port", str(metrics_port)), "--metrics-host", "127.0.0.1"
            )
            log = tmp_path / "scheduler.log"
            with log.open("wb") as out:
                process = subprocess.Popen(
                    [CREDGRAPH, *cmd, "--jitter", "0"],
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    env=service_env("scheduler", neo4j_url),
                )
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
        request = urllib.request.Request(
            f"http://127.0.0.1:{api_port}/graphql",
            data=query,
            headers={"Content-Type": "application/json"},
        )
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
