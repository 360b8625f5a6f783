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


def reached_from(index: NameIndex) -> list[object]:
    """Every object the index reaches (not through types), tracked by the collector or not."""
    seen: dict[int, object] = {}
    stack: list[object] = [index]
    while stack:
        o = stack.pop()
        if id(o) not in seen:
            seen[id(o)] = o
            stack.extend(r for r in gc.get_referents(o) if not isinstance(r, type))
    return list(seen.values())


def tracked_within(index: NameIndex) -> int:
    """The containers the collector would walk, reached from the index."""
    reached = reached_from(index)
    gc.collect()  # tuples of atomic values are untracked by the first collection seeing them
    return sum(1 for o in reached if gc.is_tracked(o))


def test_the_objects_a_collection_walks_do_not_grow_with_the_credentials() -> None:
    small = tracked_within(NameIndex.build(names(1_000)))
    large = tracked_within(NameIndex.build(names(10_000)))
    assert large < 1_000  # a list or record per credential would be tens of thousands
    assert large - small < 200  # per-issuer sets and shards, not per credential


def test_the_small_objects_an_index_keeps_do_not_grow_with_the_credentials() -> None:
    """Strs and ints too, which the collector does not walk: kept among the build's
    short-lived objects, each keeps the memory it shares with them taken once they are freed.
    A str and an int per word of the names (every credential's own number here) were ten
    thousand more of each at 10,000 credentials."""
    small = len(reached_from(NameIndex.build(names(1_000))))
    large = len(reached_from(NameIndex.build(names(10_000))))
    assert large - small < 200


# What the index of `names` holds a credential (tracemalloc, bytes): 442 with the words as one
# buffer (`NumberedTexts`), 528 with a str and an int each, 1,160 with a dict of str keys, an
# int object per hit and a set of "a b" strs (before `TextTable` and `IntSet`).
BYTES_PER_CREDENTIAL = 600


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
