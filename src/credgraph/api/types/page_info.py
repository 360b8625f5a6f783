"""PageInfo: where a keyset page ends and whether more follow."""

from __future__ import annotations

import strawberry


@strawberry.type(description="Where a page ends and whether more items follow it.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="True when another page follows.")
    end_cursor: str | None = strawberry.field(
        description=(
            "Pass as `after` to read the next page. An empty page repeats the `after` it "
            "was given (null on an empty first page)."
        )
    )
