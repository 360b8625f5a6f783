"""`model.copies.replaced` makes the record `dataclasses.replace` makes: equal, of the same
type, with every field (provenance included, which equality leaves out) as replace sets it."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest

from credgraph.model import (
    Credential,
    CredentialType,
    Issuer,
    Provenance,
    Skill,
    SkillLink,
    SkillRelation,
)
from credgraph.model.copies import replaced
from credgraph.model.records import Equivalence
from credgraph.model.values import NodeKind
from tests.unusual_records import UNUSUAL, UNUSUAL_IDS

PROVENANCE = Provenance(
    "src", "https://example.org/p1", "openbadges", datetime(2025, 1, 1, tzinfo=UTC)
)
CREDENTIAL = Credential(
    id="https://example.org/badges/1",
    name="Data Analysis",
    type=CredentialType.BADGE,
    issuer=Issuer("https://example.org/issuer", "Example Academy"),
    skills=(SkillLink(Skill("label:sql", "SQL"), SkillRelation.TEACHES),),
    keywords=("data",),
    provenance=PROVENANCE,
)
LINKED = (
    SkillLink(Skill("esco:sql", "SQL", framework="ESCO"), SkillRelation.TEACHES, "exact", 1.0),
)


def every_field(record: object) -> list[object]:
    return [getattr(record, f.name) for f in dataclasses.fields(record)]  # type: ignore[arg-type]


def test_a_credential_copied_with_new_links_is_what_replace_makes() -> None:
    ours = replaced(CREDENTIAL, skills=LINKED, occupations=())
    theirs = dataclasses.replace(CREDENTIAL, skills=LINKED, occupations=())
    assert type(ours) is Credential
    assert every_field(ours) == every_field(theirs)
    assert ours.skills == LINKED and ours.provenance == PROVENANCE
    assert every_field(CREDENTIAL)[2:] != every_field(ours)[2:]  # the original is untouched
    assert CREDENTIAL.skills[0].skill.id == "label:sql"


def test_post_init_runs_on_the_copy_as_with_replace() -> None:
    pair = Equivalence(NodeKind.SKILL, "esco:a", "onet:b")
    assert replaced(pair, b="onet:c") == dataclasses.replace(pair, b="onet:c")
    with pytest.raises(ValueError, match="equivalences join skills or occupations"):
        replaced(pair, kind=NodeKind.CREDENTIAL)


def test_an_unknown_field_is_refused_as_replace_refuses_it() -> None:
    with pytest.raises(TypeError):
        replaced(CREDENTIAL, colour="blue")


@pytest.mark.parametrize("record", UNUSUAL, ids=UNUSUAL_IDS)
def test_a_constructor_that_is_not_its_fields_by_position_is_copied_as_replace_copies(
    record: object,
) -> None:
    copy = replaced(record, a="Z")
    assert (copy.a, copy.b) == ("Z", "B")  # type: ignore[attr-defined]
