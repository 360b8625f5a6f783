from __future__ import annotations

from pathlib import Path

import pytest

from credgraph.link import index as link_index
from credgraph.link.index import TaxonomyIndex, load_index
from credgraph.model.records import Credential, Equivalence, SkillLink
from credgraph.model.values import NodeKind
from credgraph.store import open_store
from tests.link.taxonomy import ASN_READING, ESCO_DEV, ESCO_PY, OCCUPATIONS, SKILLS, index


def test_issuer_local_nodes_are_not_indexed() -> None:
    ix = index()
    assert "label:sql" not in ix.skills.refs
    assert "label:innovation manager" not in ix.occupations.refs
    assert len(ix) == len(SKILLS) - 1 + len(OCCUPATIONS) - 1


def test_lookups() -> None:
    ix = index()
    assert ix.skills.lookup_uri("https://data.europa.eu/esco/skill/py/") == ESCO_PY
    assert ix.skills.lookup_code("onet", "2.A.2.a") == "onet:2.A.2.a"
    assert ix.skills.lookup_code("O*NET", "2.A.2.a") == "onet:2.A.2.a"
    assert ix.occupations.lookup_code("esco", "2512.4") == ESCO_DEV
    assert ix.skills.lookup_label("esco", "python") == ESCO_PY
    assert ix.skills.lookup_label("ESCO v1.2", "Python programming") == ESCO_PY
    assert ix.skills.lookup_label("onet", "Python") == "onet-tech:python"
    assert ix.skills.lookup_label("onet", "SQL") == "onet-tech:structured query language sql"
    assert ix.skills.lookup_label_any("critical thinking") == "onet:2.A.2.a"
    assert ix.skills.lookup_label_any("Python") is None  # ESCO and O*NET: ambiguous


def test_same_as_folds_a_republished_framework() -> None:
    ix = index()
    assert ASN_READING in ix.skills.refs
    assert ix.skills.lookup_label_any("Reading Comprehension") == "onet:2.A.1.a"
    assert ix.skills.lookup_code("onet", "2.A.1.a") == "onet:2.A.1.a"


def test_refs_are_slim() -> None:
    ref = index().skills.refs[ESCO_PY]
    assert ref.alt_labels == () and ref.description is None and ref.provenance is None


async def test_load_index_from_a_store(tmp_path: Path) -> None:
    async with open_store(f"sqlite:///{tmp_path / 'g.db'}") as store:
        await store.upsert_skills(SKILLS)
        await store.upsert_occupations(OCCUPATIONS)
        local = SKILLS[-1]
        await store.upsert_credentials(
            [Credential("https://c.example/1", "Badge", skills=(SkillLink(local),))]
        )
        loaded = await load_index(store)
    expected = TaxonomyIndex.from_records(SKILLS, OCCUPATIONS)
    assert set(loaded.skills.refs) == set(expected.skills.refs)
    assert set(loaded.occupations.refs) == set(expected.occupations.refs)
    # alternative labels and same_as come back from the flat properties
    assert loaded.skills.lookup_label("esco", "Python programming") == ESCO_PY
    assert loaded.occupations.lookup_label("onet", "RN") == "onet:29-1141.00"
    assert loaded.skills.lookup_label_any("Reading Comprehension") == "onet:2.A.1.a"


async def test_crosswalk_equivalences_settle_ambiguous_labels(tmp_path: Path) -> None:
    """ "Python" is an ESCO skill and an O*NET technology: ambiguous, until a crosswalk says
    they are the same; then the pair's second side is the one mentions link to."""
    async with open_store(f"sqlite:///{tmp_path / 'g.db'}") as store:
        await store.upsert_skills(SKILLS)
        await store.upsert_occupations(OCCUPATIONS)
        assert (await load_index(store)).skills.lookup_label_any("Python") is None
        await store.replace_equivalences(
            "crosswalk x https://x.example/esco_onet.csv",
            [Equivalence(NodeKind.SKILL, ESCO_PY, "onet-tech:python")],
        )
        loaded = await load_index(store)
    assert loaded.skills.lookup_label_any("Python") == "onet-tech:python"
    # declared both ways, neither is dropped: still one answer
    loaded.skills.declare_same("onet-tech:python", ESCO_PY)
    assert loaded.skills.lookup_label_any("Python") == "onet-tech:python"


@pytest.mark.parametrize("rebuild_after", [1_000, 2])
def test_a_node_learned_after_a_fuzzy_lookup_is_in_the_fuzzy_tables_as_if_rebuilt(
    rebuild_after: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A crawl learns framework nodes page by page: the fuzzy tables built before it learn
    # the new keys instead of being thrown away and rebuilt (0.5 s each at ESCO's size);
    # past `REBUILD_AFTER_KEYS` new keys (2 here in the second case) a table is rebuilt.
    monkeypatch.setattr(link_index, "REBUILD_AFTER_KEYS", rebuild_after)
    grown, whole = TaxonomyIndex(), TaxonomyIndex()
    first, rest = SKILLS[: len(SKILLS) // 2], SKILLS[len(SKILLS) // 2 :]
    for s in SKILLS:
        whole.add_skill(s)
    for s in first:
        grown.add_skill(s)
    queries = ["pyhton programing", "critical thinkng", "reading comprehensoin", "javascrpt"]
    queries += [s.name[:-1] + "x" for s in SKILLS if len(s.name) > 6]
    for q in queries:  # build the tables, all labels and each family
        grown.skills.fuzzy(q, 80)
        for family in ("esco", "onet"):
            grown.skills.fuzzy(q, 80, family)
    for s in rest:
        grown.add_skill(s)
    for q in queries:
        assert grown.skills.fuzzy(q, 80) == whole.skills.fuzzy(q, 80), q
        for family in ("esco", "onet"):
            assert grown.skills.fuzzy(q, 80, family) == whole.skills.fuzzy(q, 80, family), q
