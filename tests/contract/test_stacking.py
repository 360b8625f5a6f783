"""Stacking links and outcomes are stored and read back the same way by every adapter."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from credgraph.model import Credential, CredentialType, Credits
from credgraph.model.stacking import AdvancedStanding, Outcome, OutcomeKind
from credgraph.store import GraphStore

BADGE = Credential("cred:badge", "Welding badge", CredentialType.BADGE, duration_hours=40)
CERT = Credential("cred:cert", "Welding certificate", CredentialType.CERTIFICATE)
AAS = Credential("cred:aas", "Welding AAS", CredentialType.DEGREE)


async def test_links_are_read_both_ways_whoever_states_them(store: GraphStore) -> None:
    badge = replace(
        BADGE,
        prepares_for=(CERT.id, "cred:not-crawled"),
        advanced_standing_for=(
            AdvancedStanding(AAS.id, Credits(12, "credit hours"), "12 credits toward the AAS"),
        ),
    )
    aas = replace(AAS, prepared_by=(CERT.id,))
    report = await store.upsert_credentials([badge, CERT, aas])
    assert not report.rejected
    links = await store.credential_links([BADGE.id, CERT.id, AAS.id, "cred:unknown"])
    assert links[BADGE.id].prepares_for == (CERT.id,)  # the uncrawled target is not listed
    assert links[CERT.id].prepared_by == (BADGE.id,)
    assert links[CERT.id].prepares_for == (AAS.id,)
    assert links[AAS.id].prepared_by == (CERT.id,)
    [granted] = links[BADGE.id].advanced_standing_for
    assert granted == AdvancedStanding(
        AAS.id, Credits(12.0, "credit hours"), "12 credits toward the AAS"
    )
    assert links[AAS.id].advanced_standing_from == (replace(granted, credential=BADGE.id),)
    assert links["cred:unknown"].prepares_for == ()


async def test_a_recrawl_replaces_the_links_a_record_stated(store: GraphStore) -> None:
    await store.upsert_credentials(
        [replace(BADGE, prepares_for=(CERT.id,)), CERT, replace(AAS, prepared_by=(BADGE.id,))]
    )
    await store.upsert_credentials([BADGE, replace(AAS, prepared_by=(CERT.id,))])
    links = await store.credential_links([BADGE.id, CERT.id])
    assert links[BADGE.id].prepares_for == ()
    assert links[CERT.id].prepares_for == (AAS.id,)


async def test_outcomes_round_trip_in_the_record(store: GraphStore) -> None:
    earnings = Outcome(
        OutcomeKind.MEDIAN_EARNINGS,
        41000.0,
        currency="USD",
        post_receipt_months=12,
        as_of=date(2023, 7, 1),
    )
    await store.upsert_credentials([replace(CERT, outcomes=(earnings,))])
    [view] = await store.get_credentials([CERT.id])
    assert view.credential.outcomes == (earnings,)
