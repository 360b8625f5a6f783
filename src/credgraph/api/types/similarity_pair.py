"""SimilarityPair: how alike two compared credentials are."""

from __future__ import annotations

import strawberry


@strawberry.type(description="Skill overlap of two compared credentials.")
class SimilarityPair:
    a: strawberry.ID = strawberry.field(description="Id of the first credential.")
    b: strawberry.ID = strawberry.field(description="Id of the second credential.")
    jaccard: float = strawberry.field(
        description="Shared skills over all skills of the two (Jaccard), 0-1; a skill the "
        "two share through an equivalence counts its confidence."
    )

    @classmethod
    def from_model(cls, pair: tuple[str, str], jaccard: float) -> SimilarityPair:
        return cls(a=strawberry.ID(pair[0]), b=strawberry.ID(pair[1]), jaccard=jaccard)
