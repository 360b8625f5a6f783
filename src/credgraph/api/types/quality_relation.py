"""QualityRelation: how a quality-assurance body stands to a credential."""

from __future__ import annotations

import enum

import strawberry

from credgraph.model.stacking import QARelation


@strawberry.enum(description="How a quality-assurance body stands to a credential.")
class QualityRelation(enum.Enum):
    ACCREDITED = strawberry.enum_value("ACCREDITED", description="It accredits the credential.")
    RECOGNIZED = strawberry.enum_value("RECOGNIZED", description="It recognizes the credential.")
    REGULATED = strawberry.enum_value("REGULATED", description="It regulates the credential.")
    APPROVED = strawberry.enum_value("APPROVED", description="It approves the credential.")

    @classmethod
    def from_model(cls, value: QARelation) -> QualityRelation:
        return cls[value.name]
