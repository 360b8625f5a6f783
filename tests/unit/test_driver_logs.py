"""The Neo4j driver's own log records: a transaction it retries, a routing table it could not
fetch. Every command and the server keep them from users, who learn of a real failure from
credgraph's own message once the driver gives up."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from click.testing import CliRunner

from credgraph.api.http.logs import logging_config
from credgraph.cli.main import main
from credgraph.schedule.logs import setup_logging

RETRY = "Transaction failed and will be retried in 0.98s (DeadlockDetected)"
ROUTING = "Unable to retrieve routing information"


@pytest.fixture(autouse=True)
def driver_logger_restored() -> Iterator[logging.Logger]:
    driver = logging.getLogger("neo4j")
    saved = (driver.level, driver.propagate, driver.handlers[:])
    yield driver
    driver.level, driver.propagate, driver.handlers[:] = saved


def _log_as_the_driver_does() -> None:
    logging.getLogger("neo4j.session").warning(RETRY)
    logging.getLogger("neo4j.pool").error(ROUTING)


def test_a_command_shows_none_of_the_drivers_retries_or_routing_errors(
    caplog: pytest.LogCaptureFixture,
) -> None:
    CliRunner().invoke(main, ["stats", "--store", "mysql://x/db"])  # any command sets it up
    with caplog.at_level(logging.DEBUG, logger="credgraph"):
        _log_as_the_driver_does()
    assert not [r for r in caplog.records if r.name.startswith("neo4j")]


def test_the_server_sends_the_driver_to_its_own_log_and_not_below_critical() -> None:
    driver = logging_config("json")["loggers"]["neo4j"]
    assert driver == {"handlers": ["stderr"], "level": "CRITICAL", "propagate": False}


def test_the_scheduler_shows_none_of_the_drivers_retries_or_routing_errors(
    caplog: pytest.LogCaptureFixture,
) -> None:
    root = logging.getLogger()
    saved = (root.level, root.handlers[:])
    try:
        setup_logging("json")
        root.addHandler(caplog.handler)
        _log_as_the_driver_does()
    finally:
        root.level, root.handlers[:] = saved
    assert not [r for r in caplog.records if r.name.startswith("neo4j")]
