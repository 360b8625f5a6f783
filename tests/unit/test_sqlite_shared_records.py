"""What the SQLite store writes for a batch does not depend on whether its records share
embedded objects. A crawled page's credentials share one issuer, one object per skill and one
provenance, and the write encodes each shared object once (`codec.to_json`'s `shared`,
`writes.write_provenance`); a batch of equal records sharing nothing must leave every table
byte for byte the same, and each stored document must be the record's canonical JSON."""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from unittest import mock

from credgraph.model import codec
from credgraph.model.fingerprint import fingerprint
from credgraph.model.records import (
    Credential,
    Issuer,
    Occupation,
    OccupationLink,
    Provenance,
    Skill,
    SkillLink,
)
from credgraph.model.values import CredentialType, Money, SkillRelation
from credgraph.store import open_store

ACADEMY = Issuer("https://academy.example", "Academy", url="https://academy.example", country="NZ")
BOARD = Issuer("https://board.example", "Board", accredited_by=(ACADEMY,))
SKILLS = [
    Skill(f"esco:s{n}", f"Skill {n}", framework="ESCO", alt_labels=(f"s{n}",)) for n in range(4)
]
NURSE = Occupation("onet:29-1141.00", "Registered Nurses", code="29-1141.00")
PAGE = Provenance(
    "bench",
    "https://academy.example/badges?page=1",
    "openbadges",
    datetime(2026, 12, 6, 12, 0, tzinfo=UTC),
    content_hash="abc",
    licence="CC0",
)


def _page() -> list[Credential]:
    """Thirty credentials sharing their issuer, skills and provenance objects, as a parsed page's."""
    return [
        Credential(
            f"https://academy.example/badges/{n}",
            f"Badge {n}",
            CredentialType.BADGE if n % 2 else CredentialType.CERTIFICATE,
            issuer=BOARD if n % 3 == 0 else ACADEMY,
            description=f"Credential {n}",
            cost=Money(10.0 * n, "NZD") if n % 4 else None,
            duration_hours=float(n) if n % 5 else None,
            skills=tuple(
                SkillLink(
                    SKILLS[(n + k) % 4],
                    SkillRelation.TEACHES,
                    method="exact-uri",
                    confidence=1.0 - k / 10,
                )
                for k in range(n % 4)
            ),
            occupations=(OccupationLink(NURSE),) if n % 7 == 0 else (),
            accredited_by=(BOARD,) if n % 8 == 0 else (),
            keywords=("k", str(n)),
            part_of=("https://academy.example/badges/0",) if n % 6 == 1 else (),
            provenance=PAGE,
        )
        for n in range(30)
    ]


LATER = dataclasses.replace(PAGE, fetched_at=datetime(2026, 12, 7, 12, 0, tzinfo=UTC))


def _revised(page: list[Credential]) -> list[Credential]:
    """Every odd credential renamed, a skill fewer, fetched a day later."""
    return [
        dataclasses.replace(c, name=c.name + " (revised)", skills=c.skills[1:], provenance=LATER)
        if n % 2
        else c
        for n, c in enumerate(page)
    ]


def _clock() -> Iterator[str]:
    return (f"2026-12-06T12:00:{s:02d}.000000+00:00" for s in range(60))


async def _write(path: Path, first: list[Credential], second: list[Credential]) -> list[str]:
    clock = _clock()
    with mock.patch("credgraph.store.sqlite.store._now", lambda: next(clock)):
        async with open_store(f"sqlite:///{path}") as store:
            await store.upsert_credentials(first)
            await store.upsert_credentials(second)
    return _dump(path)


def _dump(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    lines = []
    tables = [
        name
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE '%VIRTUAL%' "
            "AND name NOT LIKE '%fts_%' ORDER BY name"
        )
    ]
    for table in [*tables, "credentials_fts"]:
        cursor = conn.execute(f"SELECT * FROM {table} LIMIT 0")
        order = ", ".join(str(i + 1) for i in range(len(cursor.description)))
        lines.append(f"== {table}")
        lines += [repr(r) for r in conn.execute(f"SELECT * FROM {table} ORDER BY {order}")]
    conn.close()
    return lines


def _unshared(records: list[Credential]) -> list[Credential]:
    """Equal records, each with its own copies of every embedded object."""
    return [copy.deepcopy(c) for c in records]


async def test_shared_and_unshared_embedded_records_are_stored_alike(tmp_path: Path) -> None:
    page = _page()
    again = _revised(page)
    shared = await _write(tmp_path / "shared.db", page, again)
    alone = await _write(tmp_path / "alone.db", _unshared(page), _unshared(again))
    # the copies really share nothing, and the originals do
    copies = _unshared(page)
    assert copies[1].issuer == page[1].issuer and copies[1].issuer is not copies[4].issuer
    assert page[1].issuer is page[4].issuer and page[1].provenance is page[2].provenance
    assert shared == alone
    assert sum(1 for line in shared if line.startswith("(")) > 100


async def test_each_document_is_its_records_canonical_json(tmp_path: Path) -> None:
    page = _revised(_page())
    path = tmp_path / "g.db"
    async with open_store(f"sqlite:///{path}") as store:
        await store.upsert_credentials(_page())
        await store.upsert_credentials(page)
    conn = sqlite3.connect(path)
    stored = {
        cid: (doc, digest, bytes(fp))
        for cid, doc, digest, fp in conn.execute(
            "SELECT c.id, d.doc, c.content_hash, c.fingerprint FROM credentials c "
            "JOIN credential_docs d ON d.rowid = c.rowid"
        )
    }
    provenance = conn.execute(
        "SELECT record_id, source_id, url, format, fetched_at, content_hash, licence "
        "FROM provenance ORDER BY record_id"
    ).fetchall()
    conn.close()
    assert len(stored) == len(page)
    for c in page:
        doc, digest, fp = stored[c.id]
        assert doc == codec.canonical(c)
        assert digest == hashlib.sha256(doc.encode()).hexdigest()
        assert fp == fingerprint(c)
    # the changed credentials' rows were rewritten with their later fetch, one row each
    assert provenance == sorted(
        (c.id, "bench", PAGE.url, "openbadges", c.provenance.fetched_at.isoformat(), "abc", "CC0")
        for c in page
        if c.provenance is not None
    )
    assert {p[4] for p in provenance} == {
        "2026-12-06T12:00:00+00:00",
        "2026-12-07T12:00:00+00:00",
    }


def test_a_shared_encoding_equals_the_one_made_alone() -> None:
    page = _page()
    memo: codec.Encoded = {}
    assert [codec.canonical_bytes(c, memo) for c in page] == [
        codec.canonical_bytes(c) for c in page
    ]
    # the issuers and skills were each encoded once, and kept beside their encoding
    kept = [record for record, _ in memo.values()]
    assert ACADEMY in kept and BOARD in kept and all(s in kept for s in SKILLS)
