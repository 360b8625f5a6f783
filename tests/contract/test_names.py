"""Credential names for the name index: every credential with its alternate names and its
issuer's, and a version token that changes with what they could answer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from credgraph.model import Credential, Issuer
from credgraph.store import GraphStore
from credgraph.store.names import CredentialName
from credgraph.store.neo4j import names as neo4j_names
from credgraph.store.neo4j.store import Neo4jStore
from credgraph.store.sqlite import names as sqlite_names
from tests.handshake import TICKS, Handshake, wait_for_ticks

AWS = Issuer("https://aws.amazon.com/", "Amazon Web Services", alternate_names=("AWS",))
SAA = Credential(
    "https://aws.amazon.com/certification/saa",
    "AWS Certified Solutions Architect",
    issuer=AWS,
    alternate_names=("SAA-C03", "AWS SAA"),
)
LONE = Credential("https://example.org/lone", "A credential without an issuer")


async def test_names_of_every_credential(store: GraphStore) -> None:
    assert await store.credential_names() == []
    await store.upsert_issuers([AWS])
    await store.upsert_credentials([SAA, LONE])
    names = sorted(await store.credential_names(), key=lambda n: n.credential_id)
    assert names == [
        CredentialName(SAA.id, SAA.name, ("SAA-C03", "AWS SAA"), "Amazon Web Services", ("AWS",)),
        CredentialName(LONE.id, LONE.name),
    ]


async def test_version_changes_with_credentials_and_issuers(store: GraphStore) -> None:
    empty = await store.graph_version()
    await store.upsert_credentials([SAA])
    one = await store.graph_version()
    assert one != empty
    await store.upsert_credentials([SAA])  # unchanged: the same version
    assert await store.graph_version() == one
    await store.upsert_credentials(
        [Credential(SAA.id, "AWS Certified Solutions Architect – Associate", issuer=AWS)]
    )
    changed = await store.graph_version()
    assert changed != one
    await store.upsert_issuers([Issuer(AWS.id, "Amazon Web Services", alternate_names=("Amazon",))])
    assert await store.graph_version() != changed
    [name] = await store.credential_names()
    assert name.issuer_alternate_names == ("Amazon",)


async def test_the_names_are_made_while_the_event_loop_runs(
    store: GraphStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A million credentials' names are seconds of Python: on the loop, they would stop every
    # request for that long. Each store's step that makes them waits for the loop's ticks.
    await store.upsert_issuers([AWS])
    await store.upsert_credentials([SAA, LONE])
    handshake = Handshake.in_folder(tmp_path)
    module, name = (
        (neo4j_names, "_names")
        if isinstance(store, Neo4jStore)
        else (sqlite_names, "credential_names")
    )
    real = getattr(module, name)

    def made_after_ticks(*args: Any) -> Any:
        wait_for_ticks(handshake.as_json())
        return real(*args)

    monkeypatch.setattr(module, name, made_after_ticks)
    async with handshake.ticking():
        names = await store.credential_names()
    assert {n.credential_id for n in names} == {SAA.id, LONE.id}
    assert handshake.ticks >= TICKS


async def test_names_read_page_by_page_are_every_name(
    store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(neo4j_names, "PAGE", 2)  # Neo4j reads pages; SQLite reads at once
    await store.upsert_issuers([AWS])
    more = [Credential(f"https://c.example/{n}", f"Credential {n}", issuer=AWS) for n in range(4)]
    await store.upsert_credentials([SAA, LONE, *more])
    names = await store.credential_names()
    assert sorted(n.credential_id for n in names) == sorted(c.id for c in (SAA, LONE, *more))
    assert {n.issuer_name for n in names if n.credential_id in {c.id for c in more}} == {AWS.name}


async def test_an_issuers_names_are_one_object_for_all_its_credentials(
    store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A million credentials of a few thousand issuers hold a few thousand issuer names until
    the index is built, not a copy each (read over several pages on Neo4j)."""
    monkeypatch.setattr(neo4j_names, "PAGE", 2)
    await store.upsert_issuers([AWS])
    await store.upsert_credentials(
        [Credential(f"{AWS.id}c/{i}", f"Certificate {i}", issuer=AWS) for i in range(5)]
    )
    names = await store.credential_names()
    assert len(names) == 5
    assert {n.issuer_name for n in names} == {"Amazon Web Services"}
    assert len({id(n.issuer_name) for n in names}) == 1
    assert len({id(n.issuer_alternate_names) for n in names}) == 1


def test_names_from_neo4j_records_are_copies_made_apart_from_the_records() -> None:
    """The strings the driver decoded sit among the records' other objects, which are freed:
    kept, each would hold the memory it shares with them."""
    row = {
        "id": "https://c.example/" + "x" * 60,
        "name": "Certificate " + "y" * 60,
        "alternates": ["Cert " + "z" * 60],
        "issuer": "Issuer",
        "issuer_alternates": None,
    }
    (name,) = neo4j_names._names([row], {})
    assert (name.credential_id, name.name, name.alternate_names) == (
        row["id"],
        row["name"],
        tuple(row["alternates"]),
    )
    assert name.credential_id is not row["id"]
    assert name.name is not row["name"]
    assert name.alternate_names[0] is not row["alternates"][0]
