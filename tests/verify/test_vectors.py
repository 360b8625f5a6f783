"""Every verification vector under crawlers/*/vectors/ gets the verdict its verdicts.toml
gives it (W3C's EdDSA and ECDSA Data Integrity test vectors, 1EdTech's OB 3.0 validator
vectors, the Digital Credentials Consortium's test credentials), and every vector that
verifies becomes INVALID, never UNVERIFIABLE, once one signed byte changes."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from credgraph.verify import Status, VerificationResult, Verifier, verification_settings
from credgraph.verify.workers import CheckWorkers
from tests.verify.vectors import Vector, tampered_variants, vectors, verdict_files, world

VECTORS = vectors()
TAMPERED = [(v, name) for v in VECTORS if v.tamper for name in tampered_variants(v.document())]


@pytest.fixture(scope="module")
def workers() -> Iterator[CheckWorkers]:
    """One pool for the module: starting one per verification would cost more than verifying."""
    shared = CheckWorkers()
    yield shared
    shared.close()


async def verified(vector: Vector, document: object, workers: CheckWorkers) -> VerificationResult:
    settings = verification_settings(allow_private_networks=True)
    verifier = Verifier(settings, transport=world(vector), workers=workers)
    return await verifier.verify(document=document, now=vector.now)


def test_there_are_at_least_forty_vectors_from_several_sources() -> None:
    assert len(VECTORS) >= 40, len(VECTORS)
    assert len(verdict_files()) >= 3
    assert {v.verdict for v in VECTORS} == set(Status)  # every verdict is exercised
    assert len(TAMPERED) >= 20


@pytest.mark.parametrize("path", verdict_files(), ids=lambda p: p.parent.parent.name)
def test_every_vector_file_is_sourced_and_every_file_is_used(path: object) -> None:
    from pathlib import Path

    assert isinstance(path, Path)
    folder = path.parent
    sources = (folder / "SOURCES.md").read_text(encoding="utf-8")
    text = path.read_text(encoding="utf-8")
    held = {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}
    held -= {"verdicts.toml", "SOURCES.md"}
    for name in sorted(held):
        assert f"`{name}`" in sources, f"{name} has no line in {folder}/SOURCES.md"
        assert f'"{name}"' in text, f"{name} is neither a vector nor a document of a world"
    assert re.search(r"\b[0-9a-f]{40}\b", sources), "SOURCES.md names the commit copied"


@pytest.mark.parametrize("vector", VECTORS, ids=lambda v: v.id)
async def test_vector_gets_its_verdict(vector: Vector, workers: CheckWorkers) -> None:
    result = await verified(vector, vector.document(), workers)
    summary = [(c.name, c.outcome.value, c.reason) for c in result.checks]
    assert result.status is vector.verdict, (vector.source, vector.why, summary)
    for name, outcome in vector.checks.items():
        found = [c for c in result.checks if c.name == name]
        assert outcome in {c.outcome for c in found}, (name, outcome, summary)
    for name, words in vector.reasons.items():
        assert any(words in c.reason for c in result.checks if c.name == name), (
            name,
            words,
            summary,
        )


@pytest.mark.parametrize(
    ("vector", "change"), TAMPERED, ids=lambda p: p if isinstance(p, str) else p.id
)
async def test_a_changed_signed_byte_is_invalid(
    vector: Vector, change: str, workers: CheckWorkers
) -> None:
    document = tampered_variants(vector.document())[change]
    result = await verified(vector, document, workers)
    summary = [(c.name, c.outcome.value, c.reason) for c in result.checks]
    assert result.status is Status.INVALID, summary
    assert any(c.name == "signature" and c.effect is Status.INVALID for c in result.checks), summary
