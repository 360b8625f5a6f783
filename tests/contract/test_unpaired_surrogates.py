"""JSON lets a document carry `\\ud800` (half of a surrogate pair) that no store can encode:
a record holding one is rejected by name and the rest of its batch is written."""

from __future__ import annotations

from credgraph.model.records import Credential, Occupation, Skill
from credgraph.store import GraphStore


async def test_records_with_unpaired_surrogates_are_rejected_by_name(store: GraphStore) -> None:
    report = await store.upsert_credentials(
        [
            Credential("https://x.example/ok", "Fine"),
            Credential("https://x.example/bad-name", "Bad \ud800 name"),
            Credential("https://x.example/bad-keyword", "Fine name", keywords=("ok", "\udfff")),
        ]
    )
    assert report.created == 1
    assert [(r.record_id, r.problems) for r in report.rejected] == [
        (
            "https://x.example/bad-name",
            ("name holds an unpaired surrogate (not valid Unicode text)",),
        ),
        (
            "https://x.example/bad-keyword",
            ("keywords[1] holds an unpaired surrogate (not valid Unicode text)",),
        ),
    ]
    skills = await store.upsert_skills([Skill("s:1", "Skill", alt_labels=("a\ud83d",))])
    occupations = await store.upsert_occupations([Occupation("o:1", "Job", description="\udc00")])
    assert [str(r) for r in (*skills.rejected, *occupations.rejected)] == [
        "skill 's:1': alt_labels[0] holds an unpaired surrogate (not valid Unicode text)",
        "occupation 'o:1': description holds an unpaired surrogate (not valid Unicode text)",
    ]
    assert (await store.stats()).credentials == 1
