"""What the checked-document cache keeps is bounded in bytes, and its accounting is truthful.

Memory is measured with tracemalloc (deterministic, unlike RSS): a refused document keeps
its text and its short refusal, not its parsed tree; an admitted one keeps its tree, charged
at no less than it holds; and however many distinct large documents arrive, what the cache
holds stays under its byte budget.
"""

from __future__ import annotations

import gc
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from graphql import GraphQLSchema

from credgraph.api.documents import DocumentCache
from credgraph.api.limits import document_cache
from credgraph.api.schema import build_schema
from credgraph.api.settings import ApiSettings

SCHEMA: GraphQLSchema = build_schema()._schema


def flood(i: int) -> str:
    """~1,990 tokens, 20 KB: `__typename` 1,685 times in one selection, refused."""
    stats = " ".join("stats { credentials issuers skills occupations relationships sources }"
                     for _ in range(30))  # fmt: skip
    return f"query Q{i} {{ {stats} {' '.join(['__typename'] * 1685)} }}"


def wide(i: int, sets: int = 45) -> str:
    """~1,500 tokens that pass every check: `sets` aliased selections of 30 fields each."""
    body = " ".join(f"s{n}: stats {{ {' '.join(['__typename'] * 30)} }}" for n in range(sets))
    return f"query W{i} {{ {body} }}"


@contextmanager
def traced() -> Iterator[Callable[[], int]]:
    """Bytes allocated and still held since entering, after a full collection."""
    gc.collect()
    tracemalloc.start()
    try:
        start = tracemalloc.get_traced_memory()[0]

        def grown() -> int:
            gc.collect()
            return tracemalloc.get_traced_memory()[0] - start

        yield grown
    finally:
        tracemalloc.stop()


def test_a_refused_document_keeps_its_text_and_refusal_not_its_tree() -> None:
    documents = document_cache(ApiSettings())
    texts = [flood(i) for i in range(11)]
    documents.prepare(SCHEMA, texts[0])  # the schema's and graphql-core's first-use caches
    with traced() as grown:
        for text in texts[1:]:
            prepared = documents.prepare(SCHEMA, text)
            assert prepared is not None and "selected 1685 times" in prepared.errors[0].message
        per_entry = grown() / 10
    # The texts were made before measuring: what grows is the refusal alone, ~1.5 KB (with
    # the tree it was ~1.2 MB, ~55 times the 20 KB text).
    assert per_entry < 4096


def test_the_cache_holds_no_more_than_its_byte_budget() -> None:
    budget = 2 * 1024 * 1024
    documents = DocumentCache(max_tokens=2000, max_repeats=30, max_depth=10, max_aliases=100,
                              max_bytes=budget)  # fmt: skip
    documents.prepare(SCHEMA, wide(0, sets=20))
    documents.prepare(SCHEMA, flood(0))
    with traced() as grown:
        for i in range(1, 9):  # ~680 tokens each, charged ~0.5 MB
            admitted = documents.prepare(SCHEMA, wide(i, sets=20))
            assert admitted is not None and admitted.errors == ()
            for j in range(2):
                refused = documents.prepare(SCHEMA, flood(2 * i + j))
                assert refused is not None and refused.errors
            assert documents.held_bytes <= budget
        held = grown()
    assert held <= documents.held_bytes <= budget
    assert 0 < len(documents) < 2 + 8 * 3  # the oldest were forgotten to stay in budget


def test_what_an_entry_is_charged_is_at_least_what_it_holds() -> None:
    shapes: dict[str, Callable[[int], str]] = {
        "wide": lambda i: wide(i, sets=20),
        "small": lambda i: f"query S{i} {{ stats {{ credentials }} }}",
        "variables": lambda i: (
            f"query P{i}($n: Int) {{ credentials(first: $n) {{ edges "
            "{ node { name skills { name } } } } }"
        ),
        "flood": flood,
        "deep": lambda i: (
            f'query D{i} {{ skill(id: "x") {{ ' + "broader { " * 12 + "name" + " }" * 13 + " }"
        ),
        "unknown fields": lambda i: (
            f"query U{i} {{ " + " ".join(f"f{i}x{n}" for n in range(300)) + " }"
        ),
        "many operations": lambda i: " ".join(
            f"query O{i}x{n} {{ stats {{ credentials }} }}" for n in range(200)
        ),
    }
    for name, shape in shapes.items():
        documents = DocumentCache(max_tokens=2000, max_repeats=30, max_depth=10,
                                  max_aliases=100)  # fmt: skip
        texts = [shape(i) for i in range(4)]
        documents.prepare(SCHEMA, texts[0])
        charged = documents.held_bytes
        with traced() as grown:
            for text in texts[1:]:
                prepared = documents.prepare(SCHEMA, text)
                assert prepared is not None, name
                if name == "variables":  # fill its costs as far as they go
                    operation = prepared.operation(None)
                    assert operation is not None
                    for n in range(100):
                        prepared.cost(SCHEMA, operation, {"n": n}, 10)
            held = grown()
        assert len(documents) == 4, name
        assert held <= documents.held_bytes - charged, name
