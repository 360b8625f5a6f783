"""Close-match computations that take their time, for the close-match worker to run
(module-level, so the worker imports them by name)."""

from __future__ import annotations

import time
from pathlib import Path

from credgraph.link.close_match_workers import Computed, lexical_matches
from credgraph.model.records import Skill

# The handshake's files, named by the test through a skill of this framework (the only way
# into the worker is the computation's arguments).
HANDSHAKE = "handshake"
# How long the ticking computation waits for the event loop's ticks before it says none
# came: far past any scheduling delay, and still a failing test rather than a hung one.
TICKS_WAIT_S = 20.0


def waits_for_ticks(skills: list[Skill], changed: list[str] | None, threshold: float) -> Computed:
    """Creates the `started` file a handshake skill names, runs until the crawling process
    has created `ticked` (which its event loop does after ticks counted while this runs),
    then computes as the real matcher does."""
    [handshake] = [s for s in skills if s.framework == HANDSHAKE]
    started, ticked = Path(handshake.name), Path(handshake.alt_labels[0])
    started.touch()
    give_up = time.monotonic() + TICKS_WAIT_S
    while not ticked.exists():
        if time.monotonic() > give_up:
            raise ValueError(f"the event loop did not tick in {TICKS_WAIT_S:g} s")
        time.sleep(0.005)
    real = [s for s in skills if s.framework != HANDSHAKE]
    return lexical_matches(real, changed, threshold)


def never_ends(skills: list[Skill], changed: list[str] | None, threshold: float) -> Computed:
    """A computation that never finishes (a store far past the deadline's size)."""
    while True:
        time.sleep(0.01)
