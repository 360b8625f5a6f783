"""How long a Neo4j read waits between retries (credgraph.store.neo4j.store): at once first,
then backing off, never past 4 s give or take the spread."""

from __future__ import annotations

import itertools

from credgraph.store.neo4j.store import read_retry_pauses


def test_reads_retry_at_once_then_back_off_to_a_cap() -> None:
    pauses = list(itertools.islice(read_retry_pauses(), 8))
    assert pauses[0] == 0.0
    bases = [0.5, 1.0, 2.0, 4.0, 4.0, 4.0, 4.0]
    for pause, base in zip(pauses[1:], bases, strict=True):
        assert base * 0.8 <= pause <= base * 1.2
