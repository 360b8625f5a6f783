"""The name index's compact containers give back what was put in, whatever the text, and the
index reads the same through them as the rows it was built from."""

from __future__ import annotations

from credgraph.resolving import NameIndex, resolve
from credgraph.resolving.packed import Runs, SetShards, Shards, Texts
from credgraph.resolving.service import _index_of
from credgraph.resolving.words import key, respelled, words
from tests.resolving import catalog
from tests.resolving.catalog import PMP


def test_texts_give_back_every_string_as_written() -> None:
    written = [
        "AWS SAA",
        "",
        "Zertifikat für Datenanalyse",
        "AWS 認定",
        "\U0001f600 emoji",
        "\ud800",
    ]
    texts = Texts(written)
    assert len(texts) == len(written)
    assert [texts[n] for n in range(len(texts))] == written
    assert list(texts) == written


def test_runs_give_back_every_run_and_its_length() -> None:
    runs = Runs()
    for run in ([3, 8, 12], [], [2**32 - 1], [0, 0]):
        runs.append(run)
    assert [list(runs[n]) for n in range(len(runs))] == [[3, 8, 12], [], [2**32 - 1], [0, 0]]
    assert [runs.length(n) for n in range(len(runs))] == [3, 0, 1, 2]


def test_the_index_reads_each_credential_s_id_name_and_forms() -> None:
    rows = catalog.names(extra=50)
    index = NameIndex.build(rows)
    assert [index.credential_id(n) for n in range(len(rows))] == [r.credential_id for r in rows]
    assert [index.name(n) for n in range(len(rows))] == [r.name for r in rows]
    for n in range(len(rows)):
        forms = index.forms_of(n)
        assert forms and all(f.credential == n for f in forms)
        assert all(t in index.postings for f in forms for t in f.tokens)
        assert {f.kind for f in forms} <= {"name", "alternate name"}


def test_a_key_several_credentials_share_finds_each_in_order() -> None:
    rows = catalog.names(extra=50)
    index = NameIndex.build([*rows, rows[0]])  # the first credential again, last of all
    assert index.hits(key(respelled(words(rows[0].name)))) == [(0, "name"), (len(rows), "name")]


def test_the_index_built_to_be_kept_leaves_the_rows_read_and_resolves_alike() -> None:
    rows = catalog.names(extra=50)
    kept = _index_of(list(rows))
    built = NameIndex.build(rows)
    assert resolve(kept, "Project Management Professional") == resolve(
        built, "Project Management Professional"
    )
    assert resolve(kept, "PMP")[0].credential_id == PMP
    handed = list(rows)
    _index_of(handed)
    assert handed == []


def test_shards_hold_every_key_once_whichever_shard_it_falls_in() -> None:
    keys: Shards[int] = Shards()
    words = SetShards()
    for n in range(5_000):
        keys[f"key {n}"] = n
        keys.setdefault(f"key {n}", -1)  # kept as first set
        words.add(f"word {n % 2_500}")
    keys.discard("key 7")
    keys.discard("no such key")
    assert len(keys) == 4_999 and "key 7" not in keys and keys.get("key 7") is None
    assert dict(keys.items()) == {f"key {n}": n for n in range(5_000) if n != 7}
    assert sorted(keys) == sorted(f"key {n}" for n in range(5_000) if n != 7)
    assert len(words) == 2_500 and "word 2499" in words and "word 2500" not in words
    assert set(words) == {f"word {n}" for n in range(2_500)}
