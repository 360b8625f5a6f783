"""A batch's validation: the issuers and skills its credentials share are checked once (a memo
kept only when the batch shares them), and every credential embedding a bad one is still
rejected, naming the field."""

from __future__ import annotations

from unittest import mock

from credgraph.model import Credential, Issuer, Skill, SkillLink, SkillRelation, batches
from credgraph.model.batches import SHARING_SAMPLE, embeds_shared, validate_records
from credgraph.model.validation import Checked, validate_credential

BAD_SKILL = Skill("label:x", "   ")  # an empty name
GOOD_SKILL = Skill("label:sql", "SQL")
BAD_ISSUER = Issuer("https://x.example/org", "Org", url="u" * 3000)


def credential(n: int, *skills: Skill, issuer: Issuer | None = None) -> Credential:
    links = tuple(SkillLink(s, SkillRelation.TEACHES) for s in skills)
    return Credential(f"https://x.example/{n}", f"Badge {n}", issuer=issuer, skills=links)


def test_every_credential_sharing_a_bad_skill_is_rejected_with_its_field() -> None:
    batch = [
        credential(1, GOOD_SKILL, BAD_SKILL),
        credential(2, BAD_SKILL),
        credential(3, GOOD_SKILL),
        credential(4, GOOD_SKILL, issuer=BAD_ISSUER),
        credential(5, issuer=BAD_ISSUER),
    ]
    valid, rejected = validate_records(batch)
    assert [c.id for c in valid] == ["https://x.example/3"]
    by_id = {r.record_id: r.problems for r in rejected}
    assert by_id["https://x.example/1"] == ("skills[1].name is empty",)
    assert by_id["https://x.example/2"] == ("skills[0].name is empty",)
    assert by_id["https://x.example/4"] == by_id["https://x.example/5"]
    assert by_id["https://x.example/5"][0].startswith("issuer.url is 3000 characters")
    # the same answers as each credential checked on its own
    for c in batch:
        assert tuple(validate_credential(c)) == by_id.get(c.id, ())


def test_an_equal_but_distinct_bad_skill_is_checked_for_itself() -> None:
    other = Skill("label:x", "   ")
    valid, rejected = validate_records([credential(1, GOOD_SKILL), credential(2, other)])
    assert [c.id for c in valid] == ["https://x.example/1"]
    assert [r.problems for r in rejected] == [("skills[0].name is empty",)]


def test_one_object_checked_by_two_checks_runs_both() -> None:
    """The memo is per object and per check: an object checked as one kind of record is
    checked again when it is embedded as another."""
    from credgraph.model.validation import _embedded

    checked: Checked = {}
    record = object()
    assert _embedded(checked, record, lambda _: ["as an issuer"]) == ["as an issuer"]
    assert _embedded(checked, record, lambda _: ["as a skill"]) == ["as a skill"]


def test_a_page_sharing_its_issuer_or_a_skill_embeds_shared() -> None:
    issuer = Issuer("https://x.example/org", "Org")
    assert embeds_shared([credential(1, issuer=issuer), credential(2, issuer=issuer)])
    assert embeds_shared([credential(1, GOOD_SKILL), credential(2, GOOD_SKILL)])
    assert embeds_shared([credential(1, GOOD_SKILL, GOOD_SKILL)])  # twice in one credential


def test_a_batch_built_record_by_record_embeds_nothing_shared() -> None:
    batch = [
        credential(n, Skill("label:sql", "SQL"), issuer=Issuer("https://x.example/org", "Org"))
        for n in range(10)
    ]
    assert not embeds_shared(batch)  # equal objects, none shared
    assert not embeds_shared([GOOD_SKILL, GOOD_SKILL])  # not credentials: nothing embedded
    assert not embeds_shared([])


def test_sharing_is_decided_on_the_batch_s_first_credentials() -> None:
    distinct = [credential(n, Skill(f"label:s{n}", f"S{n}")) for n in range(SHARING_SAMPLE)]
    assert not embeds_shared([*distinct, credential(98, GOOD_SKILL), credential(99, GOOD_SKILL)])
    assert embeds_shared([credential(98, GOOD_SKILL), credential(99, GOOD_SKILL), *distinct])


def test_the_memo_is_kept_only_for_a_batch_that_shares() -> None:
    memos: list[object] = []

    def spy(record: Credential, checked: Checked | None = None) -> list[str]:
        memos.append(checked)
        return validate_credential(record, checked)

    with mock.patch.object(batches, "validate_credential", spy):
        validate_records([credential(1, GOOD_SKILL), credential(2, GOOD_SKILL)])
        shared = memos[:]
        memos.clear()
        validate_records([credential(1, Skill("label:a", "A")), credential(2, GOOD_SKILL)])
    assert all(isinstance(m, dict) for m in shared) and len(shared) == 2
    assert shared[0] is shared[1]  # one memo for the batch
    assert memos == [None, None]
