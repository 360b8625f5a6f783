"""CredentialType: what kind of credential a record is."""

from __future__ import annotations

import enum

import strawberry

from credgraph.model.values import CredentialType as CredentialTypeModel


@strawberry.enum(description="What kind of credential a record is, across every source format.")
class CredentialType(enum.Enum):
    BADGE = strawberry.enum_value("BADGE", description="A digital badge (Open Badges, Credly).")
    MICRO_CREDENTIAL = strawberry.enum_value(
        "MICRO_CREDENTIAL", description="A micro-credential: a small, assessed learning unit."
    )
    CERTIFICATE = strawberry.enum_value(
        "CERTIFICATE", description="A certificate of completion or achievement."
    )
    CERTIFICATION = strawberry.enum_value(
        "CERTIFICATION", description="A professional certification, usually exam-based."
    )
    LICENSE = strawberry.enum_value("LICENSE", description="A licence to practise.")
    DEGREE = strawberry.enum_value("DEGREE", description="An academic degree.")
    COURSE = strawberry.enum_value("COURSE", description="A course offered as a credential.")
    OTHER = strawberry.enum_value("OTHER", description="Any other or an undeclared kind.")

    @classmethod
    def from_model(cls, value: CredentialTypeModel) -> CredentialType:
        return cls[value.name]

    def to_model(self) -> CredentialTypeModel:
        return CredentialTypeModel(self.name)
