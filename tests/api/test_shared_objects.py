"""API objects shared by record object (credgraph.api.types.shared): built once per record
object, never for an equal but distinct one, and forgotten oldest first past the bound."""

from __future__ import annotations

from credgraph.api.types.shared import SharedByRecord
from credgraph.model.records import Skill


def test_one_api_object_per_record_object() -> None:
    built: list[Skill] = []

    def build(record: Skill) -> tuple[str]:
        built.append(record)
        return (record.name,)

    shared = SharedByRecord(build, size=2)
    a, equal_to_a, b = Skill("s:a", "A"), Skill("s:a", "A"), Skill("s:b", "B")
    assert shared(a) is shared(a)
    assert shared(equal_to_a) is not shared(a)  # a distinct record builds its own
    assert built == [a, equal_to_a]
    shared(b)  # past the bound: `a`, the oldest, is forgotten
    assert shared(a) == ("A",) and built == [a, equal_to_a, b, a]
