"""CredentialSkills: a credential with some of its skills (in a comparison)."""

from __future__ import annotations

import strawberry

from credgraph.api.types.credential import Credential
from credgraph.api.types.skill import Skill


@strawberry.type(description="A credential and a set of its skills.")
class CredentialSkills:
    credential: Credential = strawberry.field(description="The credential.")
    skills: list[Skill] = strawberry.field(
        description="In a comparison: the skills no other compared credential has."
    )
