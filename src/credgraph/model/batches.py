"""A batch of records as the stores take it: the last record per id wins, and invalid
records are named as rejections while the valid rest is written (the port's batch semantics,
`credgraph.store.base`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from credgraph.model.pathway import PublishedPathway, validate_pathway
from credgraph.model.records import Credential, Issuer, Occupation, Skill, SkillRequirement
from credgraph.model.validation import (
    Checked,
    validate_credential,
    validate_issuer,
    validate_occupation,
    validate_requirement,
    validate_skill,
)
from credgraph.model.views import RejectedRecord

R = TypeVar("R")

_VALIDATORS: dict[type, tuple[str, Callable[..., list[str]]]] = {
    Credential: ("credential", validate_credential),
    Issuer: ("issuer", validate_issuer),
    Skill: ("skill", validate_skill),
    Occupation: ("occupation", validate_occupation),
    SkillRequirement: ("skill requirement", validate_requirement),
}


def _key(record: object) -> object:
    if isinstance(record, SkillRequirement):
        return (record.occupation_id, record.skill.id)
    return getattr(record, "id", None)


def last_per_id(batch: Iterable[R]) -> list[R]:
    """Within one batch the last record with a given id wins, as if upserted in order."""
    kept: dict[object, R] = {}
    for record in batch:
        key = _key(record)
        kept.pop(key, None)
        kept[key] = record
    return list(kept.values())


SHARING_SAMPLE = 64


def embeds_shared(records: Sequence[object]) -> bool:
    """Whether two of a batch's credentials embed one issuer, skill or occupation object.

    A page's parser makes one object per issuer and per skill, which its credentials share:
    a memo of embedded objects (validation's `Checked`, the codec's `Encoded`) then checks and
    encodes each once. A batch built record by record (a bulk load, a synthetic graph)
    shares none, and there the memo only costs: an entry per embedded object, kept for the
    whole batch (40 and 28 µs per credential more for validation and encoding, measured at
    25,000 credentials of eight skills each). A page shares from its second credential on,
    so the batch's first `SHARING_SAMPLE` records decide, whatever its size."""
    seen: set[int] = set()  # the batch holds every object it embeds: no id is reused
    count = 0
    for record in records[:SHARING_SAMPLE]:
        if not isinstance(record, Credential):
            continue
        if record.issuer is not None:
            seen.add(id(record.issuer))
            count += 1
        seen.update(map(id, record.accredited_by))
        seen.update([id(link.skill) for link in record.skills])
        seen.update([id(link.occupation) for link in record.occupations])
        count += len(record.accredited_by) + len(record.skills) + len(record.occupations)
        if len(seen) < count:
            return True
    return False


def validate_records(records: Iterable[R]) -> tuple[list[R], list[RejectedRecord]]:
    """Split records into acceptable ones and named rejections."""
    valid: list[R] = []
    rejected: list[RejectedRecord] = []
    batch = list(records)
    # embedded records of the batch's credentials, each checked once when they are shared
    checked: Checked | None = {} if embeds_shared(batch) else None
    for record in batch:
        kind, validate = _VALIDATORS[type(record)]
        problems = (
            validate_credential(record, checked)
            if isinstance(record, Credential)
            else validate(record)
        )
        if problems:
            record_id = getattr(record, "id", None) or getattr(record, "occupation_id", None)
            rejected.append(
                RejectedRecord(
                    kind, record_id if isinstance(record_id, str) else None, tuple(problems)
                )
            )
        else:
            valid.append(record)
    return valid, rejected


def valid_pathways(
    batch: Iterable[PublishedPathway],
) -> tuple[list[PublishedPathway], list[RejectedRecord]]:
    """The last pathway per id, split into acceptable ones and named rejections."""
    last = {p.id: p for p in batch}
    valid, rejected = [], []
    for p in last.values():
        problems = validate_pathway(p)
        if problems:
            rejected.append(RejectedRecord("pathway", p.id, tuple(problems)))
        else:
            valid.append(p)
    return valid, rejected


def partition_valid(batch: Iterable[R]) -> tuple[list[R], list[RejectedRecord]]:
    """The last record per id, split into acceptable ones and named rejections."""
    return validate_records(last_per_id(batch))
