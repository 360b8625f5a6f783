"""Contract: upserts are idempotent, versioned, validated and atomic on every adapter."""

from __future__ import annotations

from dataclasses import replace

import pytest

from credgraph.errors import StoreError
from credgraph.model import Credential, CredentialType, Issuer, Money, Skill
from credgraph.store import GraphStore
from tests.contract import data
from tests.stores import history_of


async def load(store: GraphStore) -> None:
    await store.upsert_skills([data.SQL, data.PY])
    await store.upsert_occupations([data.DATA_SCI, data.DBA])
    report = await store.upsert_credentials(data.credentials())
    assert (report.created, report.updated, report.unchanged) == (6, 0, 0)
    await store.upsert_skill_requirements(data.REQUIREMENTS)


async def test_upsert_then_read_back_with_neighbours(store: GraphStore) -> None:
    await load(store)
    [view] = await store.get_credentials(["https://acme.example/badges/data-analyst"])
    assert view.credential.name == "Data Analyst Badge"
    assert view.credential.cost == Money(199.0, "USD")
    assert view.issuer is not None and view.issuer.name == "Acme Academy"
    assert [s.skill.id for s in view.skills] == [data.SQL.id, data.PY.id, data.STATS.id]
    assert view.skills[2].relation.value == "ASSESSES"
    assert view.skills[0].method == "exact-uri" and view.skills[0].confidence == 1.0
    assert {o.occupation.code for o in view.occupations} == {"15-2051.00", "15-1242.00"}
    assert view.has_part == ("https://acme.example/badges/sql-basics",)
    assert view.provenance[0].source_id == "src-a"
    assert view.provenance[0].licence == "CC-BY-4.0"
    assert view.transparency.score > 50
    assert "quality_assurance" in view.transparency.present  # through the issuer's accreditor
    assert "validity" in view.transparency.missing
    assert not view.stale


async def test_links_between_credentials_and_accreditors(store: GraphStore) -> None:
    await load(store)
    msc, basics = await store.get_credentials(
        ["ce-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", "https://acme.example/badges/sql-basics"]
    )
    assert msc.requires == ("https://acme.example/badges/sql-basics",)
    assert [a.name for a in msc.accredited_by] == ["Quality Agency"]
    assert basics.part_of == ("https://acme.example/badges/data-analyst",)
    [acme] = await store.get_issuers([data.ACME.id])
    assert acme.accredited_by[0].id == data.ACCREDITOR.id


async def test_reupsert_of_unchanged_records_writes_nothing(store: GraphStore) -> None:
    await load(store)
    before = await store.stats()
    again = await store.upsert_credentials(data.credentials())
    assert (again.created, again.updated, again.unchanged) == (0, 0, 6)
    assert (await store.upsert_skills([data.SQL, data.PY])).unchanged == 2
    assert await store.stats() == before
    assert await history_of(store, "https://acme.example/badges/data-analyst") == []


async def test_changed_credential_is_updated_and_versioned(store: GraphStore) -> None:
    await load(store)
    original = data.credentials()[1]
    cheaper = replace(original, cost=Money(39.0, "USD"), skills=original.skills[:0])
    report = await store.upsert_credentials([cheaper])
    assert (report.created, report.updated, report.unchanged) == (0, 1, 0)
    [view] = await store.get_credentials([original.id])
    assert view.credential.cost == Money(39.0, "USD")
    assert view.skills == ()
    assert "learning_outcomes" in view.transparency.missing
    [change] = await history_of(store, original.id)
    fields = {c.field: (c.old, c.new) for c in change.changes}
    assert set(fields) == {"cost", "skills"}
    assert fields["cost"] == (
        {"amount": 49.0, "currency": "USD"},
        {"amount": 39.0, "currency": "USD"},
    )
    # The dropped skill edge is gone from similarity too.
    assert await store.skill_sets([original.id]) == {original.id: frozenset()}


async def test_embedded_references_never_overwrite_nodes(store: GraphStore) -> None:
    await store.upsert_skills([replace(data.SQL, description="Query language (ESCO)")])
    mention = replace(data.SQL, name="sql!!", description=None)
    cred = Credential("https://x.example/c", "X", skills=(data.link(mention),))
    await store.upsert_credentials([cred])
    [skill] = await store.get_skills([data.SQL.id])
    assert skill.name == "SQL" and skill.description == "Query language (ESCO)"
    # ...and a later taxonomy upsert does overwrite a node first created from a mention.
    await store.upsert_skills([replace(data.DEVOPS, name="DevOps practices")])
    await store.upsert_credentials([replace(cred, skills=(data.link(data.DEVOPS),))])
    assert (await store.get_skills([data.DEVOPS.id]))[0].name == "DevOps practices"


async def test_invalid_records_are_named_and_the_rest_written(store: GraphStore) -> None:
    good = Credential("https://ok.example/1", "Fine")
    no_name = Credential("https://bad.example/1", "")
    negative = Credential("https://bad.example/2", "Negative", cost=Money(-5.0, "USD"))
    wrong_type = Credential("https://bad.example/3", "Hours", duration_hours="ten")  # type: ignore[arg-type]
    report = await store.upsert_credentials([no_name, good, negative, wrong_type])
    assert report.created == 1
    rejected = {r.record_id: r.problems for r in report.rejected}
    assert set(rejected) == {
        "https://bad.example/1",
        "https://bad.example/2",
        "https://bad.example/3",
    }
    assert rejected["https://bad.example/1"] == ("name is empty",)
    assert "cost.amount -5.0 is out of range (0 to 1e9)" in rejected["https://bad.example/2"]
    assert "duration_hours" in rejected["https://bad.example/3"][0]
    assert [
        v.id for v in await store.get_credentials(["https://ok.example/1", "https://bad.example/2"])
    ] == ["https://ok.example/1"]


async def test_a_batch_that_fails_in_the_database_writes_nothing(store: GraphStore) -> None:
    ctid = "ce-99999999-8888-7777-6666-555555555555"
    await store.upsert_credentials([Credential(ctid, "Owner of the CTID", ctid=ctid)])
    before = await store.stats()
    batch = [Credential(f"https://new.example/{i}", f"New {i}") for i in range(50)]
    batch.append(Credential("https://other.example/dup", "Claims the same CTID", ctid=ctid))
    with pytest.raises(StoreError) as caught:
        await store.upsert_credentials(batch)
    assert "ctid" in str(caught.value).lower() or "constraint" in str(caught.value).lower()
    assert await store.stats() == before
    assert await store.get_credentials(["https://new.example/0"]) == []


async def test_unicode_survives_everywhere(store: GraphStore) -> None:
    names = [
        "Zertifikat für Datenanalyse 📊",
        "شهادة تحليل البيانات",
        "数据分析证书",
        "Ωmega\u00a0test",
    ]
    issuer = Issuer("issuer:ünï", "Ünïversité de Genève", country="CH")
    creds = [
        Credential(
            f"https://ü.example/路径/{i}",
            n,
            issuer=issuer,
            skills=(data.link(Skill(f"label:skill-{i}", f"Fähigkeit {n}")),),
        )
        for i, n in enumerate(names)
    ]
    assert (await store.upsert_credentials(creds)).created == 4
    views = await store.get_credentials([c.id for c in creds])
    assert [v.credential.name for v in views] == names
    assert views[0].issuer is not None and views[0].issuer.name == "Ünïversité de Genève"
    assert (await store.resolve_credential_ids(["https://ü.example/路径/2"])) == {
        "https://ü.example/路径/2": "https://ü.example/路径/2"
    }


async def test_large_batches(store: GraphStore) -> None:
    skills = [Skill(f"label:s{i}", f"Skill {i}") for i in range(200)]
    batch = [
        Credential(
            f"https://big.example/{i:05d}",
            f"Credential {i:05d}",
            CredentialType.BADGE,
            skills=tuple(data.link(skills[(i * 7 + k) % 200]) for k in range(5)),
        )
        for i in range(3000)
    ]
    report = await store.upsert_credentials(batch)
    assert report.created == 3000
    stats = await store.stats()
    assert (stats.credentials, stats.skills) == (3000, 200)
    assert stats.relationships == 3000 * 5
    assert (await store.upsert_credentials(batch)).unchanged == 3000


async def test_accreditors_named_by_an_issuer_become_nodes(store: GraphStore) -> None:
    grand = Issuer("https://ministry.example", "Ministry of Education", country="FR")
    agency = Issuer("https://agency.example", "Accreditation Agency", accredited_by=(grand,))
    school = Issuer("https://school.example", "School", accredited_by=(agency,))
    await store.upsert_issuers([school])
    found = await store.get_issuers([agency.id, grand.id])
    assert [i.name for i in found] == ["Accreditation Agency", "Ministry of Education"]
    stats = await store.stats()
    assert (stats.issuers, stats.relationships) == (3, 2)
    edges = []
    async for item in store.iter_graph():
        if not hasattr(item, "kind"):
            edges.append((item.source, item.type.value, item.target))
    assert sorted(edges) == sorted(
        [(school.id, "ACCREDITED_BY", agency.id), (agency.id, "ACCREDITED_BY", grand.id)]
    )
