"""Transparency: what a credential discloses."""

from __future__ import annotations

from functools import lru_cache

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
        return _shared(t)


# One API object per distinct disclosure, shared by every credential and request that has it
# (API objects are never changed once built): every credential builds its transparency, and
# projected views repeat a few (score, (), ()) values.
@lru_cache(maxsize=4096)
def _shared(t: TransparencyModel) -> Transparency:
    return Transparency(score=float(t.score), present=list(t.present), missing=list(t.missing))
