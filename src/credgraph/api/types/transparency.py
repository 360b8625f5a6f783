"""Transparency: what a credential discloses."""

from __future__ import annotations

import strawberry

from credgraph.model.transparency import Transparency as TransparencyModel


@strawberry.type(
    description=(
        "What a credential discloses, scored 0-100 over weighted fields that follow the EU "
        "micro-credential elements and what employers ask (skills, workload, assessment, "
        "quality assurance...)."
    )
)
class Transparency:
    score: float = strawberry.field(description="0 (discloses nothing) to 100 (everything).")
    present: list[str] = strawberry.field(description="Fields the credential discloses.")
    missing: list[str] = strawberry.field(description="Fields the credential leaves out.")

    @classmethod
    def from_model(cls, t: TransparencyModel) -> Transparency:
        return cls(score=float(t.score), present=list(t.present), missing=list(t.missing))
