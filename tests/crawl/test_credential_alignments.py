"""An Open Badges alignment whose target URL the graph holds as a credential becomes a
preparation link when the document is stored, not a skill."""

from __future__ import annotations

from credgraph.formats import openbadges
from credgraph.ingest.stacking import credential_alignments
from credgraph.model import Credential, CredentialType
from credgraph.store import GraphStore
from tests.formats.test_stacking_links import _doc

DIPLOMA = Credential(
    "https://college.example/credentials/diploma",
    "Diploma",
    CredentialType.DEGREE,
    url="https://college.example/credentials/diploma",
)


def _badge() -> dict[str, object]:
    return {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": "https://badges.example/achievements/intro",
        "type": ["Achievement"],
        "name": "Intro",
        "description": "An entry badge.",
        "criteria": {"narrative": "Pass."},
        "creator": {
            "id": "https://badges.example/issuer",
            "type": ["Profile"],
            "name": "Example Academy",
        },
        "alignment": [
            {
                "type": ["Alignment"],
                "targetName": "The diploma",
                "targetUrl": "https://COLLEGE.example/credentials/diploma/",
            },
            {
                "type": ["Alignment"],
                "targetName": "Welding",
                "targetUrl": "https://skills.example/welding",
            },
        ],
    }


async def test_an_alignment_to_a_stored_credential_is_a_preparation_link(
    store: GraphStore,
) -> None:
    await store.upsert_credentials([DIPLOMA])
    parsed = openbadges.parse(
        _doc("https://badges.example/achievements/intro", _badge(), "openbadges")
    )
    [before] = parsed.credentials
    assert len(before.skills) == 2  # the parser cannot tell
    [badge] = (await credential_alignments(store, parsed)).credentials
    assert badge.prepares_for == (DIPLOMA.id,)
    assert [s.skill.name for s in badge.skills] == ["Welding"]


async def test_nothing_changes_when_no_target_is_a_stored_credential(store: GraphStore) -> None:
    parsed = openbadges.parse(
        _doc("https://badges.example/achievements/intro", _badge(), "openbadges")
    )
    assert (await credential_alignments(store, parsed)).credentials == parsed.credentials
