"""NodeKind: the kinds of node search can find."""

from __future__ import annotations

import enum

import strawberry

from credgraph.model.values import NodeKind as NodeKindModel


@strawberry.enum(description="The kinds of node that search can find.")
class NodeKind(enum.Enum):
    CREDENTIAL = strawberry.enum_value("CREDENTIAL", description="A credential.")
    ISSUER = strawberry.enum_value("ISSUER", description="An issuer (awarding body).")
    SKILL = strawberry.enum_value("SKILL", description="A skill or competency.")
    OCCUPATION = strawberry.enum_value("OCCUPATION", description="An occupation.")

    @classmethod
    def from_model(cls, value: NodeKindModel) -> NodeKind:
        return cls[value.name]

    def to_model(self) -> NodeKindModel:
        return NodeKindModel[self.name]
