"""Pages of issuers, skills and occupations, built on the store's full-text search.

The store port lists credentials (`list_credentials`, keyset pages over indexes) but has no
listing of issuers, skills or occupations yet. Rather than scan the whole graph per page
(`iter_graph`) or answer a partial list that looks complete, these listings need words to
search for (`filter.text`) and page through the search's answer:

- the best `SEARCH_WINDOW` matches of that kind, ordered by relevance, then id;
- the other filter conditions (country, framework, code prefix) applied to those matches;
- `totalCount` counts the matches the listing holds (at most `SEARCH_WINDOW`);
- cursors are keyset positions (score, id): a page resumes after the last item seen.

Without `filter.text` the listing is an InvalidArgument saying so. When the port gains
`list_issuers`, `list_skills` and `list_occupations`, these resolvers move onto them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

from credgraph.api.arguments import InvalidArgument, client_errors
from credgraph.model.values import NodeKind
from credgraph.model.views import Page, SearchHit
from credgraph.store.base import GraphStore
from credgraph.store.query import Cursor

SEARCH_WINDOW = 1000
N = TypeVar("N")


def _order(hit: SearchHit) -> tuple[float, str]:
    return (-hit.score, hit.id)


async def search_page(
    store: GraphStore,
    kind: NodeKind,
    text: str | None,
    first: int,
    after: str | None,
    load: Callable[[Sequence[str]], Awaitable[list[N | None]]],
    keeps: Callable[[N], bool] | None = None,
) -> Page[N]:
    """A keyset page of the nodes of `kind` matching `text` (and `keeps`, when given)."""
    plural = f"{kind.value.lower()}s"
    if text is None or not text.strip():
        raise InvalidArgument(
            f"listing {plural} needs `filter.text` (words to search for): an unfiltered "
            f"listing of {plural} is not available yet"
        )
    sort = f"search:{kind.value}"
    with client_errors():
        cursor = Cursor.decode(after, sort=sort, descending=True) if after else None
    if cursor is not None and not isinstance(cursor.value, (int, float)):
        raise InvalidArgument(f"cursor {str(after)[:40]!r} is not a valid cursor")
    hits = sorted(await store.search(text, kinds=[kind], limit=SEARCH_WINDOW), key=_order)
    nodes: dict[str, N] = {}
    if keeps is not None:
        loaded = await load([h.id for h in hits])
        nodes = {h.id: n for h, n in zip(hits, loaded, strict=True) if n is not None}
        hits = [h for h in hits if h.id in nodes and keeps(nodes[h.id])]
    start = 0
    if cursor is not None:
        position = (-float(cursor.value), cursor.id)
        start = next((i for i, h in enumerate(hits) if _order(h) > position), len(hits))
    chosen = hits[start : start + first]
    if keeps is None:
        loaded = await load([h.id for h in chosen])
        nodes = {h.id: n for h, n in zip(chosen, loaded, strict=True) if n is not None}
    kept = [h for h in chosen if h.id in nodes]  # a node removed since the search is left out
    cursors = tuple(Cursor(sort, True, h.score, h.id).encode() for h in kept)
    return Page(
        items=tuple(nodes[h.id] for h in kept),
        cursors=cursors,
        end_cursor=cursors[-1] if cursors else after,
        has_next_page=start + first < len(hits),
        total_count=len(hits),
    )
