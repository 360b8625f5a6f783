"""Close-match computations that take their time, for the close-match worker to run
(module-level, so the worker imports them by name)."""

from __future__ import annotations

import time

from credgraph.link.close_match_workers import Computed, lexical_matches
from credgraph.model.records import Skill
from tests.handshake import wait_for_ticks

# The handshake's files, named by the test through a skill of this framework (the only way
# into the worker is the computation's arguments).
HANDSHAKE = "handshake"


def waits_for_ticks(skills: list[Skill], changed: list[str] | None, threshold: float) -> Computed:
    """Creates the `started` file a handshake skill names, runs until the crawling process
    has created `ticked` (which its event loop does after ticks counted while this runs),
    then computes as the real matcher does."""
    [handshake] = [s for s in skills if s.framework == HANDSHAKE]
    wait_for_ticks({"started": handshake.name, "ticked": handshake.alt_labels[0]})
    real = [s for s in skills if s.framework != HANDSHAKE]
    return lexical_matches(real, changed, threshold)


def never_ends(skills: list[Skill], changed: list[str] | None, threshold: float) -> Computed:
    """A computation that never finishes (a store far past the deadline's size)."""
    while True:
        time.sleep(0.01)
