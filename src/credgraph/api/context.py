"""The context of one GraphQL request: the store, fresh DataLoaders and the page-size cap.

    context = make_context(store, max_page_size=100, request=request)
    await build_schema().execute(query, context_value=context)

Resolvers read it as `info.context.store`; `info.context["store"]` works too, as with the
dictionaries strawberry's own integrations pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from strawberry.types import Info

from credgraph.api.loaders import Loaders, make_loaders
from credgraph.store.base import GraphStore

DEFAULT_MAX_PAGE_SIZE = 100


@dataclass(slots=True)
class Context:
    """What every resolver of one request may use. Build it with `make_context`."""

    store: GraphStore
    loaders: Loaders
    max_page_size: int = DEFAULT_MAX_PAGE_SIZE
    request: Any = None
    response: Any = None

    def __getitem__(self, name: str) -> Any:
        try:
            return getattr(self, name)
        except AttributeError:
            raise KeyError(name) from None


def make_context(
    store: GraphStore,
    *,
    max_page_size: int = DEFAULT_MAX_PAGE_SIZE,
    request: Any = None,
    response: Any = None,
) -> Context:
    """A context for one request; never share one between requests (loaders cache)."""
    if max_page_size < 1:
        raise ValueError(f"max_page_size must be 1 or more, got {max_page_size}")
    return Context(store, make_loaders(store), max_page_size, request, response)


ApiInfo = Info[Context, None]


def store_of(info: ApiInfo) -> GraphStore:
    return info.context.store


def loaders_of(info: ApiInfo) -> Loaders:
    return info.context.loaders
