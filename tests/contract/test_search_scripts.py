"""A name is found by itself on both stores, whatever its script: Korean in syllables,
Japanese with its voicing marks, an apostrophe inside a word, accents. Neo4j once folded the
query itself before its analyzer did (Hangul came apart into letters, "データ" was asked as
"テータ") and split "O'Reilly" where its index keeps one word."""

from __future__ import annotations

import pytest

from credgraph.model import Credential, CredentialType
from credgraph.model.values import NodeKind
from credgraph.store import GraphStore
from credgraph.store.query import CredentialFilter

NAMES = [
    "데이터 과학 자격증",
    "ガイド養成講座",
    "データサイエンス入門",
    "Bachelor's Degree in Nursing",
    "O\u2019Reilly Data Engineering",
    "Zürich Café Management",
]
CREDENTIALS = [
    Credential(f"cred:{i}", name, CredentialType.CERTIFICATE) for i, name in enumerate(NAMES)
]


@pytest.mark.parametrize("name", NAMES)
async def test_a_name_finds_its_credential(store: GraphStore, name: str) -> None:
    await store.upsert_credentials(CREDENTIALS)
    wanted = CREDENTIALS[NAMES.index(name)].id
    hits = await store.search(name, kinds=[NodeKind.CREDENTIAL])
    assert [h.id for h in hits][:1] == [wanted], hits
    page = await store.list_credentials(CredentialFilter(text=name))
    assert wanted in [c.credential.id for c in page.items]


async def test_accents_fold_both_ways(store: GraphStore) -> None:
    await store.upsert_credentials(CREDENTIALS)
    for text in ("zurich cafe", "Zürich Café", "ZURICH"):
        hits = await store.search(text, kinds=[NodeKind.CREDENTIAL])
        assert [h.id for h in hits] == ["cred:5"], text
