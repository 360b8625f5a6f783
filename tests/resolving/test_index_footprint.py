"""What the cyclic collector walks of a name index does not grow with the catalogue: a serving
process keeps the index for as long as the graph does not change, and every full collection
walks every object the collector tracks, holding the GIL. At 1M credentials the index was six
million such objects and each full collection held the event loop 1.5 s. And what it holds
of memory stays a few hundred bytes a credential: a serving process answering for 1M
credentials has 1 GB in all."""

from __future__ import annotations

import gc
import tracemalloc

from credgraph.resolving.index import NameIndex
from credgraph.store.names import CredentialName


def names(count: int) -> list[CredentialName]:
    return [
        CredentialName(
            f"https://issuer.example/c/{n}",
            f"Certified Data Analyst {n} Associate",
            (f"CDA-{n}",),
            f"Issuer {n % 40} Academy",
            (f"IA{n % 40}",),
        )
        for n in range(count)
    ]


def tracked_within(index: NameIndex) -> int:
    """The containers the collector would walk, reached from the index (not through types)."""
    seen: dict[int, object] = {}
    stack: list[object] = [index]
    while stack:
        o = stack.pop()
        if id(o) not in seen:
            seen[id(o)] = o
            stack.extend(r for r in gc.get_referents(o) if not isinstance(r, type))
    gc.collect()  # tuples of atomic values are untracked by the first collection seeing them
    return sum(1 for o in seen.values() if gc.is_tracked(o))


def test_the_objects_a_collection_walks_do_not_grow_with_the_credentials() -> None:
    small = tracked_within(NameIndex.build(names(1_000)))
    large = tracked_within(NameIndex.build(names(10_000)))
    assert large < 1_000  # a list or record per credential would be tens of thousands
    assert large - small < 200  # per-issuer sets and shards, not per credential


# What the index of `names` holds a credential (tracemalloc, bytes): 528 with keys kept in
# sorted arrays and word pairs as ints (`TextTable`, `IntSet`), 1,160 with a dict of str keys,
# an int object per hit and a set of "a b" strs.
BYTES_PER_CREDENTIAL = 700


def test_the_index_holds_a_few_hundred_bytes_a_credential() -> None:
    rows = names(10_000)
    gc.collect()
    tracemalloc.start()
    try:
        index = NameIndex.build(rows)
        gc.collect()
        held = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert index.total == len(rows)
    assert held / len(rows) < BYTES_PER_CREDENTIAL
