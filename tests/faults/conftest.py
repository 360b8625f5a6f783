"""Fixtures for the fault tests: a Neo4j of their own that they may stop and start."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.faults.own_neo4j import fault_port, running_neo4j
from tests.faults.served import free_port


@pytest.fixture(scope="module")
def own_neo4j() -> Iterator[tuple[str, int]]:
    """(bolt URL, port) of a Neo4j this module alone uses, stopped when the module ends."""
    try:
        port = fault_port(free_port())
    except RuntimeError as exc:
        pytest.fail(str(exc))
    with running_neo4j(port) as url:
        yield url, port
