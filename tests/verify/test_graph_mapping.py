"""Verified awards mapped onto the graph, in both stores: a known badge class is found as the
stored Credential node; an unknown one is ingested with provenance `verified-submission`;
an award that does not verify writes nothing. On Neo4j also through a routing `neo4j://`
URI: the verifier ingests, then reads its own write back (carried by the store's bookmarks)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from credgraph.store import GraphStore
from credgraph.verify import SOURCE_ID, Outcome, Status
from tests.stores import CONTRACT_STORES, empty_store
from tests.verify.helpers import did_key, ob3_credential, sign_data_integrity, verifier
from tests.verify.ob2_site import ob2_site


@pytest.fixture(params=CONTRACT_STORES)
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[GraphStore]:
    async with empty_store(request, tmp_path) as opened:
        yield opened


async def test_an_unknown_badge_class_is_ingested_as_a_verified_submission(
    store: GraphStore,
) -> None:
    with ob2_site() as site:
        url = site.serve("/assertions/1.json", site.assertion("/assertions/1.json"))
        result = await verifier().verify(url=url, store=store)
        again = await verifier().verify(url=url, store=store)
    assert result.status is Status.VALID
    [achievement] = result.achievements
    assert achievement.ingested is True
    assert achievement.stored is not None
    assert achievement.stored.credential.name == "Robotics Fundamentals"
    assert [p.source_id for p in achievement.stored.provenance] == [SOURCE_ID]
    assert achievement.stored.provenance[0].url == site.badge_id
    assert achievement.transparency == achievement.stored.transparency
    # The second time it is the stored node, not a new one.
    assert again.achievements[0].ingested is False
    assert again.achievements[0].stored is not None
    assert again.achievements[0].stored.id == achievement.stored.id
    assert (await store.stats()).credentials == 1


async def test_an_award_that_does_not_verify_writes_nothing(store: GraphStore) -> None:
    with ob2_site(verification={"allowedOrigins": ["elsewhere.example"]}) as site:
        url = site.serve("/assertions/1.json", site.assertion("/assertions/1.json"))
        result = await verifier().verify(url=url, store=store)
    assert result.status is Status.INVALID
    assert result.achievements[0].stored is None
    assert result.achievements[0].ingested is False
    assert (await store.stats()).credentials == 0


def self_signed(achievement_id: str, creator: str | None = None) -> dict[str, Any]:
    """An OB 3.0 credential signed by a did:key anyone can make, its achievement at
    `achievement_id` and named as another publisher's, its creator `creator` when given."""
    key = Ed25519PrivateKey.generate()
    credential = ob3_credential(did_key(key))
    credential["issuer"]["name"] = "Cobalt Cloud Institute"
    achievement = credential["credentialSubject"]["achievement"]
    achievement["id"] = achievement_id
    if creator is not None:
        achievement["creator"] = {"id": creator, "type": ["Profile"], "name": "Cobalt"}
    return sign_data_integrity(credential, key)


async def test_a_valid_award_adds_no_definition_under_another_publishers_url(
    store: GraphStore,
) -> None:
    planted = "https://www.credly.com/org/cobalt-cloud-institute/badge/cloud-architect"
    # naming the publisher as the achievement's creator changes nothing: the signer wrote it
    for creator in (None, "https://www.credly.com/org/cobalt-cloud-institute"):
        result = await verifier().verify(document=self_signed(planted, creator), store=store)
        assert result.status is Status.VALID
        [achievement] = result.achievements
        assert achievement.stored is None and achievement.ingested is False
        [origin] = [c for c in result.checks if c.name == "definition-origin"]
        assert origin.outcome is Outcome.NOT_CHECKED and planted in origin.reason
        assert (await store.stats()).credentials == 0
    # An id in nobody's namespace is the award's own: added.
    own = await verifier().verify(document=self_signed("urn:uuid:0b1d"), store=store)
    assert own.achievements[0].ingested is True
    assert (await store.stats()).credentials == 1
