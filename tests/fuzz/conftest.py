"""Hypothesis profiles for the fuzz tests.

`ci` (the default) keeps the whole fuzz run to a few seconds and always tries the same
documents (derandomized, no example database), so a CI failure reproduces locally as is.
`deep` (`pytest tests/fuzz --hypothesis-profile=deep`) tries many more, randomly, for a
longer local hunt; a failure prints the `@reproduce_failure` blob to replay it.

The tests hold each document to a 2 s budget of CPU time (a hang or a quadratic parser shows
there); the wall-clock deadline below is looser, because the machines we run on are shared
and a busy neighbour must not fail a correct parser.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, settings

# Mutating a large real sample is slow to generate for hypothesis; that is the point.
_SLOW_INPUTS = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]

settings.register_profile(
    "ci",
    max_examples=60,
    deadline=timedelta(seconds=10),
    derandomize=True,
    database=None,
    print_blob=True,
    suppress_health_check=_SLOW_INPUTS,
)
settings.register_profile(
    "deep",
    max_examples=2000,
    deadline=timedelta(seconds=10),
    print_blob=True,
    suppress_health_check=_SLOW_INPUTS,
)


def pytest_configure(config: pytest.Config) -> None:
    # `--hypothesis-profile` given on the command line wins; otherwise CI's small budget.
    if not config.getoption("hypothesis_profile", default=None):
        settings.load_profile("ci")
