"""Connection and Edge: keyset pages of any node type (CredentialConnection, SkillEdge...)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

import strawberry

from credgraph.api.types.page_info import PageInfo
from credgraph.model.views import Page

T = TypeVar("T")
M = TypeVar("M")


@strawberry.type(description="One item of a page, with the cursor that resumes after it.")
class Edge(Generic[T]):
    cursor: str = strawberry.field(description="Pass as `after` to continue after this item.")
    node: T = strawberry.field(description="The item.")


@strawberry.type(
    description=(
        "A page of items. Cursors are keyset positions: they stay valid while the graph "
        "changes, and an item added before the cursor is not read twice."
    )
)
class Connection(Generic[T]):
    total_count: int = strawberry.field(
        description=(
            "Items matching, over all pages: exact up to the server's count bound "
            "(10,000 by default), past it the bound itself "
            "as a lower bound (more items match; see `totalCountIsExact`). Counted only when "
            "selected."
        )
    )
    total_count_is_exact: bool = strawberry.field(
        description=(
            "True when `totalCount` is every match; false when more than `totalCount` match "
            "and counting stopped at the server's bound."
        )
    )
    edges: list[Edge[T]] = strawberry.field(description="The items of this page, in order.")
    page_info: PageInfo = strawberry.field(description="Where this page ends.")

    @strawberry.field(description="The items of this page without their cursors.")
    def nodes(self) -> list[T]:
        return [edge.node for edge in self.edges]

    @classmethod
    def from_model(cls, page: Page[M], node: Callable[[M], T]) -> Connection[T]:
        return cls(
            total_count=page.total_count,
            total_count_is_exact=page.total_count_exact,
            edges=[
                Edge(cursor=c, node=node(item))
                for item, c in zip(page.items, page.cursors, strict=True)
            ],
            page_info=PageInfo(has_next_page=page.has_next_page, end_cursor=page.end_cursor),
        )
