"""PathwayRelation: the link a pathway step was reached by."""

from __future__ import annotations

import enum

import strawberry

from credgraph.model.stacking import PathwayRelation as PathwayRelationModel


@strawberry.enum(description="The link a pathway step was reached by.")
class PathwayRelation(enum.Enum):
    PREPARES_FOR = strawberry.enum_value(
        "PREPARES_FOR", description="The previous credential prepares for this one."
    )
    PART_OF = strawberry.enum_value(
        "PART_OF", description="The previous credential is part of this one."
    )
    ADVANCED_STANDING = strawberry.enum_value(
        "ADVANCED_STANDING", description="The previous credential grants credit toward this one."
    )
    PUBLISHED_PATHWAY = strawberry.enum_value(
        "PUBLISHED_PATHWAY", description="An issuer's published pathway leads here from it."
    )

    @classmethod
    def from_model(cls, value: PathwayRelationModel) -> PathwayRelation:
        return cls[value.name]
