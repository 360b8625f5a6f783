"""Contract: input never becomes query text."""

from __future__ import annotations

from credgraph.model import Credential, Skill
from credgraph.store import GraphStore
from credgraph.store.query import CredentialFilter
from tests.contract import data

HOSTILE = [
    "x' OR '1'='1",
    'x") DETACH DELETE n //',
    "}) MATCH (n) DETACH DELETE n //",
    "'; DROP TABLE credentials; --",
    "` MATCH (n) RETURN n //",
]


async def test_hostile_ids_and_text_are_just_data(store: GraphStore) -> None:
    creds = [
        Credential(
            f"https://evil.example/{i}",
            text,
            description=text,
            skills=(data.link(Skill(f"label:{text}", text)),),
        )
        for i, text in enumerate(HOSTILE)
    ]
    assert (await store.upsert_credentials(creds)).created == len(HOSTILE)
    views = await store.get_credentials([c.id for c in creds] + HOSTILE)
    assert [v.credential.name for v in views] == HOSTILE
    for text in HOSTILE:
        await store.search(text)
        await store.list_credentials(CredentialFilter(text=text, issuer=text, skills=(text,)))
        await store.similar(text)
        await store.resolve_credential_ids([text])
    assert (await store.stats()).credentials == len(HOSTILE)
