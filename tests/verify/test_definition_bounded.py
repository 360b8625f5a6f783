"""What reading an award's definition may cost: each alignment list is cut to MAX_ALIGNMENTS,
a fetched badge class gets the size and depth caps of a submitted document, the definition is
parsed in a check worker and linked in the linking thread (the event loop keeps ticking), and
the linking thread's input is bounded before it starts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from credgraph.model.records import Credential
from credgraph.store import open_store
from credgraph.verify import Outcome, SharedLinker, Status, VerificationResult, Verifier
from credgraph.verify import verifier as verifier_module
from credgraph.verify.limits import MAX_ALIGNMENTS, MAX_DEPTH, MAX_DOCUMENT_BYTES
from credgraph.verify.linking import CHECK_NAME, link_definitions
from credgraph.verify.result import Checks
from tests.handshake import TICKS, Handshake, wait_for_ticks
from tests.link.taxonomy import ESCO_PY, SKILLS
from tests.verify.helpers import WORKERS, verifier
from tests.verify.ob2_site import badge_class, ob2_site
from tests.verify.ticks import parse_definition_after_ticks


def aligned(count: int) -> list[dict[str, str]]:
    return [{"targetName": f"Skill number {i}", "targetUrl": f"https://skills.example/{i}"}
            for i in range(count)]  # fmt: skip


def check(result: VerificationResult, name: str) -> tuple[Outcome, str]:
    [found] = [c for c in result.checks if c.name == name]
    return found.outcome, found.reason


async def verify_badge(badge_changes: dict[str, Any]) -> VerificationResult:
    with ob2_site() as site:
        site.serve("/badges/robotics.json", {**badge_class(site), **badge_changes})
        url = site.serve("/assertions/1.json", site.assertion("/assertions/1.json"))
        return await verifier().verify(url=url)


async def test_alignments_past_the_cap_are_dropped_and_the_limit_is_named() -> None:
    result = await verify_badge({"alignment": aligned(MAX_ALIGNMENTS + 20)})
    assert result.status is Status.VALID  # the cap concerns the definition, not the award
    assert check(result, "definition") == (
        Outcome.NOT_CHECKED,
        f"an alignment list has {MAX_ALIGNMENTS + 20} entries: only the first "
        f"{MAX_ALIGNMENTS} are kept (MAX_ALIGNMENTS)",
    )
    [achievement] = result.achievements
    assert len(achievement.definition.skills) == MAX_ALIGNMENTS


async def test_a_badge_class_within_the_cap_keeps_every_alignment() -> None:
    result = await verify_badge({"alignment": aligned(MAX_ALIGNMENTS)})
    assert not [c for c in result.checks if c.name == "definition"]
    assert len(result.achievements[0].definition.skills) == MAX_ALIGNMENTS


async def test_a_fetched_badge_class_with_its_image_as_a_data_uri_is_read() -> None:
    # OB 2.0 allows the image inline: a valid badge class larger than a submitted document.
    image = "data:image/png;base64," + "A" * (MAX_DOCUMENT_BYTES + 10_000)
    result = await verify_badge({"image": image, "alignment": aligned(3)})
    outcome, _reason = check(result, "badge")
    assert outcome is Outcome.PASSED
    assert len(result.achievements[0].definition.skills) == 3


async def test_a_fetched_badge_class_nesting_too_deep_is_not_read() -> None:
    deep: dict[str, Any] = {}
    for _ in range(MAX_DEPTH + 5):
        deep = {"x": deep}
    result = await verify_badge({"extra": deep})
    outcome, reason = check(result, "badge")
    assert outcome is Outcome.NOT_CHECKED
    assert reason.endswith(f"nests deeper than {MAX_DEPTH} levels (MAX_DEPTH)")


class CountingLinker:
    """Links nothing; counts the mentions it was given (and may first wait for ticks)."""

    def __init__(self, handshake: Handshake | None = None) -> None:
        self.mentions = 0
        self.handshake = handshake

    def link_credential(self, credential: Credential) -> Credential:
        if self.handshake is not None:
            wait_for_ticks(self.handshake.as_json())
        self.mentions += len(credential.skills) + len(credential.occupations)
        return credential


def shared(linker: CountingLinker) -> SharedLinker:
    async def load(_store: object) -> Any:
        return linker

    return SharedLinker(load=load)


async def test_linking_is_bounded_before_it_starts(tmp_path: Path) -> None:
    result = await verify_badge({"alignment": aligned(60)})
    definition = result.achievements[0].definition
    linker, checks = CountingLinker(), Checks()
    async with open_store(f"sqlite:///{tmp_path}/graph.db") as store:
        linked = await link_definitions(shared(linker), store, [definition] * 3, checks)
    assert linker.mentions == 60  # the second would take it past MAX_ALIGNMENTS
    assert len(linked) == 3
    [said] = checks.items
    assert (said.name, said.outcome, said.effect) == (CHECK_NAME, Outcome.NOT_CHECKED, None)
    assert said.reason.endswith(f"one verification links at most {MAX_ALIGNMENTS} (MAX_ALIGNMENTS)")
    assert said.reason.startswith("2 definition(s) kept")


async def test_the_definition_is_parsed_while_the_event_loop_keeps_ticking(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    handshake = Handshake.in_folder(tmp_path)
    # The worker imports this stand-in by name: it waits for the loop's ticks, then parses.
    monkeypatch.setattr(verifier_module, "parse_definition", parse_definition_after_ticks)
    with ob2_site() as site:
        site.serve("/badges/robotics.json", {**badge_class(site), "handshake": handshake.as_json()})
        url = site.serve("/assertions/1.json", site.assertion("/assertions/1.json"))
        async with handshake.ticking():
            result = await verifier().verify(url=url)
    assert result.achievements[0].definition.name == "Robotics Fundamentals"
    assert handshake.ticks >= TICKS


async def test_the_definition_is_linked_while_the_event_loop_keeps_ticking(tmp_path: Path) -> None:
    handshake = Handshake.in_folder(tmp_path)
    linker = CountingLinker(handshake)
    judge = Verifier(verifier().settings, linker=shared(linker), workers=WORKERS)
    async with open_store(f"sqlite:///{tmp_path}/graph.db") as store:
        with ob2_site() as site:
            site.serve("/badges/robotics.json", {**badge_class(site), "alignment": aligned(3)})
            url = site.serve("/assertions/1.json", site.assertion("/assertions/1.json"))
            async with handshake.ticking():
                result = await judge.verify(url=url, store=store)
    assert result.status is Status.VALID and linker.mentions == 3
    assert handshake.ticks >= TICKS


async def test_the_linker_is_built_while_the_event_loop_keeps_ticking(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from credgraph.verify import linking

    handshake = Handshake.in_folder(tmp_path)
    real_linker_of = linking._linker_of

    def linker_after_ticks(*args: Any) -> Any:
        wait_for_ticks(handshake.as_json())
        return real_linker_of(*args)

    monkeypatch.setattr(linking, "_linker_of", linker_after_ticks)
    built = SharedLinker()
    async with open_store(f"sqlite:///{tmp_path}/graph.db") as store:
        await store.upsert_skills(SKILLS)
        async with handshake.ticking():
            linker = await built.get(store)
    [python] = [s for s in SKILLS if s.id == ESCO_PY]
    assert linker.link_skill(python)[0].id == ESCO_PY  # the index holds the store's skills
    assert built.builds == 1 and handshake.ticks >= TICKS
