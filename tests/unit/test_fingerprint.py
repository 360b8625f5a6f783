"""A credential's fingerprint changes whenever anything stored of it changes, and only then:
the SQLite store counts a record unchanged by comparing fingerprints, so a field the
fingerprint missed would leave a changed credential unwritten."""

from __future__ import annotations

import dataclasses
import enum
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from credgraph.model import (
    Credential,
    CredentialType,
    Credits,
    Issuer,
    Money,
    Occupation,
    OccupationLink,
    Provenance,
    Skill,
    SkillLink,
    SkillRelation,
    codec,
)
from credgraph.model.batches import validate_records
from credgraph.model.fingerprint import fingerprint
from credgraph.model.stacking import (
    AdvancedStanding,
    Outcome,
    OutcomeKind,
    QARelation,
    QualityAssurance,
)
from credgraph.model.values import Duration
from credgraph.store import open_store
from credgraph.store.mapping import document
from credgraph.store.sqlite.schema import SCHEMA_VERSION
from tests.sqlite_template import new_sqlite_store


def prov(fetched: datetime) -> Provenance:
    return Provenance("src-a", "https://catalog.example/p", "ctdl", fetched, "sha256:1", "CC0-1.0")


FETCHED = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
ACCREDITOR = Issuer(
    "https://agency.example",
    "Quality Agency",
    url="https://agency.example/home",
    ctid="ce-99999999-2222-3333-4444-555555555555",
    description="Accredits training",
    country="DE",
    email="office@agency.example",
    alternate_names=("QA",),
    provenance=prov(FETCHED),
)
ISSUER = Issuer(
    "https://acme.example/issuer",
    "Acme Academy",
    url="https://acme.example",
    ctid="ce-11111111-2222-3333-4444-555555555555",
    description="Cloud and data training",
    country="US",
    email="info@acme.example",
    accredited_by=(ACCREDITOR,),
    alternate_names=("Acme",),
    provenance=prov(FETCHED),
)
SKILL = Skill(
    "http://data.europa.eu/esco/skill/sql",
    "SQL",
    framework="ESCO",
    uri="http://data.europa.eu/esco/skill/sql",
    code="S1.2",
    description="Querying relational databases",
    alt_labels=("Structured Query Language",),
    broader=("http://data.europa.eu/esco/skill/databases",),
    same_as=("label:sql",),
    provenance=prov(FETCHED),
)
OCCUPATION = Occupation(
    "onet:15-1242.00",
    "Database Administrators",
    code="15-1242.00",
    framework="O*NET-SOC",
    uri="https://www.onetonline.org/link/summary/15-1242.00",
    description="Administer databases",
    alt_labels=("DBA",),
)
# Every field of a credential and of what it embeds holds a value, so that changing any one
# of them is a change of something stored.
RICH = Credential(
    "https://acme.example/badges/data-analyst",
    "Data Analyst",
    CredentialType.CERTIFICATE,
    description="Query and analyse data.",
    ctid="ce-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
    url="https://acme.example/badges/data-analyst",
    issuer=ISSUER,
    language="en",
    duration_hours=40.0,
    credits=Credits(6.0, "ECTS"),
    level="EQF 5",
    assessment="Online exam",
    delivery_mode="online",
    cost=Money(199.0, "USD"),
    accredited_by=(ACCREDITOR,),
    prerequisites="None",
    requires=("https://acme.example/badges/sql",),
    part_of=("https://acme.example/programmes/data",),
    has_part=("https://acme.example/badges/stats",),
    validity="P2Y",
    criteria="https://acme.example/badges/data-analyst/criteria",
    keywords=("data", "sql"),
    skills=(SkillLink(SKILL, SkillRelation.TEACHES, method="exact-uri", confidence=0.9),),
    occupations=(OccupationLink(OCCUPATION, method="code", confidence=0.8),),
    duration=Duration("6 weeks", "P6W", 30.0, 50.0),
    alternate_names=("DA badge",),
    prepares_for=("https://acme.example/badges/data-scientist",),
    prepared_by=("https://acme.example/badges/intro",),
    advanced_standing_for=(
        AdvancedStanding("https://uni.example/msc", Credits(5.0, "ECTS"), "Counts as a module"),
    ),
    advanced_standing_from=(
        AdvancedStanding("https://acme.example/badges/old", Credits(2.0, "ECTS"), "Earlier"),
    ),
    outcomes=(
        Outcome(
            OutcomeKind.MEDIAN_EARNINGS,
            52000.0,
            "USD/year",
            "USD",
            12,
            "Median earnings",
            "https://stats.example",
            date(2025, 6, 30),
        ),
    ),
    quality_assurance=(
        QualityAssurance(
            QARelation(next(iter(QARelation)).value),
            "https://agency.example",
            "Quality Agency",
            "QualityAssuranceBody",
        ),
    ),
    provenance=prov(FETCHED),
)


def _changed_value(value: Any) -> Any:
    """Another value of the same kind (None when this test knows no change for it)."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, enum.Enum):
        return next(m for m in type(value) if m is not value)
    if isinstance(value, str):
        return value + "-2"
    if isinstance(value, int):
        return value + 1
    if isinstance(value, float):
        return value * 0.5  # stays in every range validation checks
    if isinstance(value, date):
        return value + timedelta(days=1)
    return None


def variants(record: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """(field path, `record` with that one field changed) for every stable field, at any depth:
    a scalar changed in place, a tuple with one element fewer, or one of its elements changed.
    A field left empty is yielded with None instead of a record."""
    for field in dataclasses.fields(record):
        if field.name in codec.VOLATILE:
            continue
        value = getattr(record, field.name)
        here = f"{path}{field.name}"
        if value is None or value == ():
            yield here, None
        elif isinstance(value, tuple):
            yield here + "[-1 dropped]", replace(record, **{field.name: value[:-1]})
            for i, item in enumerate(value):
                for sub, changed in _item_variants(item, f"{here}[{i}]"):
                    copy = list(value)
                    copy[i] = changed
                    yield sub, changed and replace(record, **{field.name: tuple(copy)})
        elif dataclasses.is_dataclass(value):
            for sub, changed in variants(value, here + "."):
                yield sub, changed and replace(record, **{field.name: changed})
        else:
            yield here, replace(record, **{field.name: _changed_value(value)})
            yield here + " -> None", replace(record, **{field.name: None})


def _item_variants(item: Any, path: str) -> Iterator[tuple[str, Any]]:
    if dataclasses.is_dataclass(item):
        yield from variants(item, path + ".")
    else:
        yield path, _changed_value(item)


# The credential's id is its identity: another id is another credential.
CHANGES = [(p, v) for p, v in variants(RICH) if p != "id" and v is not None]


def test_every_field_of_the_rich_credential_is_covered() -> None:
    empty = {p for p, v in variants(RICH) if v is None}
    # Only an accreditor's own accreditors are left empty (records nest no deeper than that).
    assert empty == {"issuer.accredited_by[0].accredited_by", "accredited_by[0].accredited_by"}
    paths = {p for p, _ in CHANGES}
    assert len(CHANGES) > 150
    for expected in (
        "issuer.accredited_by[0].country",
        "skills[0].skill.same_as[0]",
        "outcomes[0].as_of",
        "duration.max_hours",
        "type",
    ):
        assert expected in paths


@pytest.mark.parametrize(("path", "changed"), CHANGES, ids=[p for p, _ in CHANGES])
def test_a_change_to_any_stored_field_changes_the_fingerprint(path: str, changed: Any) -> None:
    assert document(changed)[0] != document(RICH)[0]  # the change is one that is stored
    assert fingerprint(changed) != fingerprint(RICH)


def test_provenance_at_any_depth_leaves_the_fingerprint_alone() -> None:
    later = prov(FETCHED + timedelta(days=3))
    moved = replace(
        RICH,
        provenance=later,
        issuer=replace(
            ISSUER, provenance=later, accredited_by=(replace(ACCREDITOR, provenance=None),)
        ),
        skills=(replace(RICH.skills[0], skill=replace(SKILL, provenance=later)),),
    )
    assert fingerprint(moved) == fingerprint(RICH)


def test_the_fingerprint_of_a_stored_document_is_the_record_s() -> None:
    """What the schema migration computes for stored credentials from their documents."""
    decoded = codec.from_json(Credential, json.loads(document(RICH)[0]))
    assert fingerprint(decoded) == fingerprint(RICH)


def test_values_json_cannot_tell_apart_still_differ() -> None:
    nan = replace(RICH, duration_hours=float("nan"))
    assert fingerprint(nan) != fingerprint(replace(RICH, duration_hours=None))
    assert fingerprint(nan) == fingerprint(replace(RICH, duration_hours=float("nan")))
    # orjson refuses a lone surrogate: the canonical document is fingerprinted instead
    odd = replace(RICH, name="Data \udc80 Analyst")
    assert fingerprint(odd) == fingerprint(replace(RICH, name="Data \udc80 Analyst"))
    assert fingerprint(odd) not in (
        fingerprint(RICH),
        fingerprint(replace(RICH, name="Data Analyst")),
    )


async def test_the_store_counts_every_change_as_an_update(tmp_path: Path) -> None:
    async with open_store(await new_sqlite_store(tmp_path / "g.db")) as store:
        assert (await store.upsert_credentials([RICH])).created == 1
        updated = rejected = 0
        for path, changed in CHANGES:
            report = await store.upsert_credentials([changed])
            valid = bool(validate_records([changed])[0])
            assert (report.updated, len(report.rejected), report.unchanged) == (
                (1, 0, 0) if valid else (0, 1, 0)
            ), path
            updated += report.updated
            rejected += len(report.rejected)
            if valid:  # back to the rich record: an update again, then unchanged
                assert (await store.upsert_credentials([RICH])).updated == 1, path
            assert (await store.upsert_credentials([RICH])).unchanged == 1, path
        assert updated > rejected  # most changes are valid ones


async def test_a_store_from_before_fingerprints_its_credentials(tmp_path: Path) -> None:
    path = tmp_path / "g.db"
    others = [
        replace(RICH, id=f"https://acme.example/badges/{n}", ctid=None, name=f"Badge {n}")
        for n in range(3)
    ]
    async with open_store(await new_sqlite_store(path)) as store:
        await store.upsert_skills([SKILL])
        await store.upsert_occupations([OCCUPATION])
        await store.upsert_credentials([RICH, *others])
    conn = sqlite3.connect(path, isolation_level=None)
    for table in ("credentials", "issuers", "skills", "occupations"):
        conn.execute(f"ALTER TABLE {table} DROP COLUMN fingerprint")
    conn.execute("PRAGMA user_version = 7")
    # A document that no longer decodes as a credential gets no fingerprint.
    conn.execute(
        "UPDATE credential_docs SET doc = '{\"name\": 1}' WHERE rowid = "
        "(SELECT rowid FROM credentials WHERE id = ?)",
        (others[0].id,),
    )
    conn.close()
    async with open_store(f"sqlite:///{path}") as store:
        again = await store.upsert_credentials([RICH, *others])
        assert (await store.upsert_skills([SKILL])).unchanged == 1
        assert (await store.upsert_occupations([OCCUPATION])).unchanged == 1
    assert (again.created, again.updated, again.unchanged) == (0, 1, 3)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
    stored = dict(conn.execute("SELECT id, fingerprint FROM credentials"))
    accreditor = conn.execute(
        "SELECT fingerprint FROM issuers WHERE id = ?", (ACCREDITOR.id,)
    ).fetchone()
    conn.close()
    assert stored == {c.id: fingerprint(c) for c in (RICH, *others)}
    assert accreditor == (fingerprint(ACCREDITOR),)  # a stub, made from a mention


NODES = [
    (name, changed)
    for record in (ISSUER, SKILL, OCCUPATION)
    for name, changed in variants(record, type(record).__name__ + ".")
    if changed is not None and not name.endswith(".id")
]


@pytest.mark.parametrize(("path", "changed"), NODES, ids=[p for p, _ in NODES])
async def test_a_node_upserted_whole_is_updated_by_any_change(
    tmp_path: Path, path: str, changed: Any
) -> None:
    async with open_store(await new_sqlite_store(tmp_path / "g.db")) as store:
        upsert = {
            Issuer: store.upsert_issuers,
            Skill: store.upsert_skills,
            Occupation: store.upsert_occupations,
        }[type(changed)]
        original = {Issuer: ISSUER, Skill: SKILL, Occupation: OCCUPATION}[type(changed)]
        assert (await upsert([original])).created == 1
        assert (await upsert([original])).unchanged == 1
        report = await upsert([changed])
        if report.rejected:
            assert report.updated == report.unchanged == 0
        else:
            assert (report.updated, report.unchanged) == (1, 0)
            assert (await upsert([changed])).unchanged == 1


async def test_a_node_with_a_stale_fingerprint_gets_its_own_when_found_unchanged(
    tmp_path: Path,
) -> None:
    # A fingerprint that does not match a record whose document does (written by an older
    # encoding, say): the node is unchanged, and its fingerprint is brought up to date so
    # that the next upsert finds it unchanged without encoding its document.
    path = tmp_path / "g.db"
    async with open_store(await new_sqlite_store(path)) as store:
        assert (await store.upsert_skills([SKILL])).created == 1
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("UPDATE skills SET fingerprint = x'00' WHERE id = ?", (SKILL.id,))
    conn.close()
    async with open_store(f"sqlite:///{path}") as store:
        report = await store.upsert_skills([SKILL])
    assert (report.created, report.updated, report.unchanged) == (0, 0, 1)
    conn = sqlite3.connect(path)
    [(stored,)] = conn.execute("SELECT fingerprint FROM skills WHERE id = ?", (SKILL.id,))
    conn.close()
    assert stored == fingerprint(SKILL)
