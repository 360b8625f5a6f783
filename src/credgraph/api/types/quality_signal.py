"""QualitySignal: one piece of quality evidence, present or not, and its source."""

from __future__ import annotations

import strawberry

from credgraph.model.quality import QualitySignal as QualitySignalModel


@strawberry.type(description="One piece of quality evidence, present or not, with its source.")
class QualitySignal:
    signal: str = strawberry.field(
        description="What is looked for: accredited, recognized, regulated, approved, "
        "assessment stated, outcomes reported, earnings reported, employment rate reported."
    )
    present: bool = strawberry.field(description="Whether the credential has it.")
    source: str | None = strawberry.field(description="Who or what gives the evidence.")

    @classmethod
    def from_model(cls, s: QualitySignalModel) -> QualitySignal:
        return cls(signal=s.signal, present=s.present, source=s.source)
