"""CTDL stacking links, outcomes and quality assurance read into credential records."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from credgraph.model.stacking import OutcomeKind, QARelation
from credgraph.model.values import Credits
from tests.formats.test_ctdl import parse_text

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "ctdl" / "stacking-graph.json"
URL = "https://credentialengineregistry.org/graph/ce-11111111-1111-4111-8111-111111111111"
FIRST = "ce-11111111-1111-4111-8111-111111111111"
SECOND = "ce-22222222-2222-4222-8222-222222222222"


def _read() -> tuple[object, list[str]]:
    result = parse_text(FIXTURE.read_text(encoding="utf-8"), url=URL)
    [credential] = [c for c in result.credentials if c.id == FIRST]
    return credential, result.warnings


def test_preparation_links_name_credentials_and_drop_self_links() -> None:
    credential, warnings = _read()
    assert credential.prepares_for == (SECOND, "ce-33333333-3333-4333-8333-333333333333")
    assert credential.prepared_by == ("ce-44444444-4444-4444-8444-444444444444",)
    assert any("names itself in preparationFrom" in w and URL in w for w in warnings)


def test_advanced_standing_carries_credits_and_description() -> None:
    credential, _ = _read()
    [standing] = credential.advanced_standing_for
    assert standing.credential == SECOND
    assert standing.credits == Credits(12.0, "credit hours")
    assert standing.description == "Credit toward the AAS"


def test_aggregate_data_outcomes_are_read_and_bad_values_warned() -> None:
    credential, warnings = _read()
    kinds = {o.kind: o for o in credential.outcomes}
    earnings = kinds[OutcomeKind.MEDIAN_EARNINGS]
    assert (earnings.value, earnings.currency, earnings.post_receipt_months) == (41000, "USD", 12)
    assert earnings.as_of == date(2023, 7, 1)
    assert earnings.source == "https://example.org/outcomes"
    rate = kinds[OutcomeKind.EMPLOYMENT_RATE]
    assert (rate.value, rate.unit) == (82, "%")
    assert kinds[OutcomeKind.AWARDED].value == 240
    assert len(credential.outcomes) == 3  # the four bad profiles add nothing
    bad = [w for w in warnings if URL in w and "left out" in w]
    assert any("'about 40k'" in w for w in bad)
    assert any("negative" in w for w in bad)
    assert any("no currency" in w for w in bad)
    assert any("over 100" in w for w in bad)


def test_months_that_are_no_finite_number_are_left_out_not_the_document() -> None:
    """`1e400` is valid JSON (infinity once read), and so is an integer of 400 digits: each
    once failed the whole document converting to whole months."""
    text = FIXTURE.read_text(encoding="utf-8")
    for months in ("1e400", "NaN", "1" + "0" * 400):
        written = text.replace(
            '"ceterms:postReceiptMonths": 12', f'"ceterms:postReceiptMonths": {months}'
        )
        assert written != text
        result = parse_text(written, url=URL)
        [credential] = [c for c in result.credentials if c.id == FIRST]
        assert {c.id for c in result.credentials} >= {FIRST}
        assert len(credential.outcomes) == 3  # kept, without their months
        assert all(o.post_receipt_months is None for o in credential.outcomes)
        assert any(
            "postReceiptMonths" in w
            and "not a finite number; the outcomes' months are left out" in w
            for w in result.warnings
        ), result.warnings


def _with_credit_value(value: str) -> str:
    """A certificate whose own creditValue is a ValueProfile holding `value` (JSON text)."""
    unit = (
        '[{"@type": "ceterms:CredentialAlignmentObject", '
        '"ceterms:targetNodeName": {"en-US": "Semester Hour"}}]'
    )
    return (
        '{"@graph": [{"@id": "https://credentialengineregistry.org/resources/' + FIRST + '", '
        '"@type": "ceterms:Certificate", "ceterms:ctid": "' + FIRST + '", '
        '"ceterms:name": {"en-US": "Welding"}, "ceterms:creditValue": [{"@type": '
        '"ceterms:ValueProfile", ' + value + ', "ceterms:creditUnitType": ' + unit + "}]}]}"
    )


def test_a_credentials_own_credit_value_is_read_as_published() -> None:
    """Published CTDL writes a ValueProfile's number `schema:value`; a credential's own credits
    were read only from `ceterms:value`, so real documents' credits were lost."""
    for value in ('"schema:value": 12', '"ceterms:value": 12', '"schema:value": {"@value": "12"}'):
        result = parse_text(_with_credit_value(value), url=URL)
        [credential] = result.credentials
        assert credential.credits == Credits(12.0, "credit hours"), value


def test_a_credit_value_that_is_no_finite_number_is_warned_of() -> None:
    for value in ("1e400", "1" + "0" * 400):
        result = parse_text(_with_credit_value(f'"schema:value": {value}'), url=URL)
        [credential] = result.credentials
        assert credential.credits is None
        assert any("credit value" in w and "not understood; ignored" in w for w in result.warnings)


def test_quality_assurance_keeps_each_relation_with_the_body_type() -> None:
    credential, _ = _read()
    relations = {(q.relation, q.name, q.organisation_type) for q in credential.quality_assurance}
    assert relations == {
        (QARelation.ACCREDITED, "American Welding Society", "QACredentialOrganization"),
        (QARelation.REGULATED, "American Welding Society", "QACredentialOrganization"),
    }


def test_a_preparation_cycle_in_a_document_is_kept_and_warned() -> None:
    import json

    def cert(n: int, target: int) -> dict[str, object]:
        ctid = f"ce-0000000{n}-0000-4000-8000-00000000000{n}"
        other = f"ce-0000000{target}-0000-4000-8000-00000000000{target}"
        return {
            "@id": f"https://credentialengineregistry.org/resources/{ctid}",
            "@type": "ceterms:Certificate",
            "ceterms:ctid": ctid,
            "ceterms:name": {"en-US": f"Certificate {n}"},
            "ceterms:isPreparationFor": [
                {
                    "@type": "ceterms:ConditionProfile",
                    "ceterms:targetCredential": [
                        f"https://credentialengineregistry.org/resources/{other}"
                    ],
                }
            ],
        }

    doc = {"@graph": [cert(1, 2), cert(2, 3), cert(3, 1)]}
    result = parse_text(json.dumps(doc), url="https://registry.example/cycle")
    assert all(len(c.prepares_for) == 1 for c in result.credentials)  # kept as published
    [warning] = [w for w in result.warnings if "cycle" in w]
    assert warning.startswith("https://registry.example/cycle:")
    assert "ce-00000001-0000-4000-8000-000000000001 -> ce-00000002" in warning


def _ladder(levels: int, *, back_to_start: bool) -> str:
    """Two tracks of `levels` certificates, each preparing for both of the next level: no
    cycle, but 2^levels routes from the bottom; `back_to_start` adds one link from the top
    left to the bottom left, which ties every credential into one group of cycles."""
    import json

    def ctid(level: int, track: int) -> str:
        return f"ce-{level:08d}-0000-4000-8000-{track:012d}"

    def uri(level: int, track: int) -> str:
        return f"https://credentialengineregistry.org/resources/{ctid(level, track)}"

    nodes = []
    for level in range(levels):
        for track in (0, 1):
            targets = [uri(level + 1, t) for t in (0, 1)] if level + 1 < levels else []
            if back_to_start and level + 1 == levels and track == 0:
                targets = [uri(0, 0)]
            nodes.append(
                {
                    "@id": uri(level, track),
                    "@type": "ceterms:Certificate",
                    "ceterms:ctid": ctid(level, track),
                    "ceterms:name": {"en-US": f"Level {level} track {track}"},
                    "ceterms:isPreparationFor": [
                        {"@type": "ceterms:ConditionProfile", "ceterms:targetCredential": targets}
                    ],
                }
            )
    return json.dumps({"@graph": nodes})


def _parsed_within(text: str, seconds: float) -> list[str]:
    """The warnings of parsing `text`; fails if the parse has not ended after `seconds` (a
    guard against a hang, far above the milliseconds it takes)."""
    import threading

    found: list[list[str]] = []
    reader = threading.Thread(
        target=lambda: found.append(parse_text(text, url=URL).warnings), daemon=True
    )
    reader.start()
    reader.join(seconds)
    assert found, f"the parse had not ended after {seconds} s"
    return found[0]


def test_a_ladder_of_preparation_links_is_checked_for_cycles_in_linear_time() -> None:
    """The cycle check once listed every route from every credential: 52 credentials in a
    ladder took past the 30 s parse deadline, and the document was never stored."""
    warnings = _parsed_within(_ladder(40, back_to_start=False), seconds=60)
    assert not [w for w in warnings if "cycle" in w]


def test_a_ladder_tied_into_cycles_is_one_warning_naming_a_shortest_cycle() -> None:
    warnings = _parsed_within(_ladder(40, back_to_start=True), seconds=60)
    [warning] = [w for w in warnings if "cycle" in w]
    # all but the bottom right (nothing leads to it) and the top right (it leads nowhere)
    assert "78 credentials are tied in cycles with it" in warning
    cycle = warning.split("(", 1)[1].split(")", 1)[0].split(" -> ")
    assert len(cycle) == 41  # one credential a level, back to where it started
    assert cycle[0] == cycle[-1] == "ce-00000000-0000-4000-8000-000000000000"
