"""Quality: the evidence of a credential's quality, apart from its transparency score."""

from __future__ import annotations

import strawberry

from credgraph.api.types.quality_assurance import QualityAssurance
from credgraph.api.types.quality_signal import QualitySignal
from credgraph.model.quality import Quality as QualityModel


@strawberry.type(
    description="The evidence employers ask for: who quality-assures the credential, how it is "
    "assessed, whether outcomes are reported and by whom. Transparency says what is disclosed; "
    "this says what is assured."
)
class Quality:
    assurance: list[QualityAssurance] = strawberry.field(
        description="Quality-assurance bodies and their relation to the credential."
    )
    assessment: str | None = strawberry.field(description="How it is assessed, as stated.")
    outcomes_reported: bool = strawberry.field(
        description="Whether any outcome for holders is published."
    )
    outcomes_reported_by: list[str] = strawberry.field(
        description="The sources the published outcomes name."
    )
    signals: list[QualitySignal] = strawberry.field(description="Each signal, present or not.")

    @classmethod
    def from_model(cls, q: QualityModel) -> Quality:
        return cls(
            assurance=[QualityAssurance.from_model(a) for a in q.assurance],
            assessment=q.assessment,
            outcomes_reported=q.outcomes_reported,
            outcomes_reported_by=list(q.outcomes_reported_by),
            signals=[QualitySignal.from_model(s) for s in q.signals],
        )
