"""The name index's compact containers give back what was put in, whatever the text, and the
index reads the same through them as the rows it was built from."""

from __future__ import annotations

import pytest

from credgraph.resolving import NameIndex, resolve
from credgraph.resolving.packed import (
    SET_PARTS,
    IntSet,
    NumberedTexts,
    Runs,
    Shards,
    Texts,
    TextTable,
)
from credgraph.resolving.postings import Postings
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
    for n in range(5_000):
        keys[f"key {n}"] = n
        keys.setdefault(f"key {n}", -1)  # kept as first set
    keys.discard("key 7")
    keys.discard("no such key")
    assert len(keys) == 4_999 and "key 7" not in keys and keys.get("key 7") is None
    assert dict(keys.items()) == {f"key {n}": n for n in range(5_000) if n != 7}
    assert sorted(keys) == sorted(f"key {n}" for n in range(5_000) if n != 7)


def test_texts_reordered_give_back_each_string_in_the_order_asked() -> None:
    written = ["b", "", "Zertifikat für Datenanalyse", "\ud800", "AWS 認定"]
    order = [4, 0, 3, 1, 2, 0]
    assert list(Texts(written).reordered(order)) == [written[n] for n in order]


def test_a_text_table_gives_each_text_its_values_in_the_order_added() -> None:
    table = TextTable()
    added: dict[str, list[int]] = {}
    for n in range(20_000):  # several thousand a part: the sort is a part's
        text = ["", "aws saa", "認定 データ", f"key {n % 7_000}", f"key {n}"][n % 5]
        table.add(text, n)
        added.setdefault(text, []).append(n)
    table.settle()
    assert all(table.get(text) == values for text, values in added.items())
    assert table.get("key 20000") == [] and table.get("aws sa") == []
    assert len(table) == 20_000 and sorted(table) == sorted(t for t, v in added.items() for _ in v)
    with pytest.raises(ValueError):
        table.add("late", 1)


class _Colliding(str):
    """A str whose hash is that of every other `_Colliding`: what two texts of one hash do."""

    def __hash__(self) -> int:
        return 42


def test_texts_of_one_hash_are_told_apart_by_their_text() -> None:
    table = TextTable()
    for n, text in enumerate(["first", "second", "first", "third"]):
        table.add(_Colliding(text), n)
    table.add("first", 9)  # the same text, its own hash
    table.settle()
    assert table.get(_Colliding("first")) == [0, 2] and table.get("first") == [9]
    assert table.get(_Colliding("second")) == [1] and table.get(_Colliding("fourth")) == []


def test_numbered_texts_find_each_text_s_number_whatever_the_text() -> None:
    written = ["", "aws", "認定", "\ud800", "\U0001f600", *(f"w{n}" for n in range(20_000))]
    numbered = NumberedTexts(written)
    assert len(numbered) == len(written) and list(numbered) == written
    assert all(numbered.number(text) == n for n, text in enumerate(written))
    assert all(numbered[n] == text for n, text in enumerate(written))
    assert numbered.number("w20000") is None and numbered.number("aw") is None
    assert "aws" in numbered and "w1" in numbered and "nope" not in numbered and 3 not in numbered
    assert NumberedTexts().number("aws") is None


def test_numbered_texts_of_one_hash_are_told_apart_by_their_text() -> None:
    numbered = NumberedTexts([_Colliding("first"), _Colliding("second"), "first"])
    assert numbered.number(_Colliding("second")) == 1
    assert numbered.number(_Colliding("third")) is None
    assert numbered.number("second") is None  # its own hash: no text of it
    assert numbered.number("first") in (0, 2)  # a str equal to both, hashed as the third


def test_postings_find_each_word_whether_one_credential_uses_it_or_several() -> None:
    words = ["data", "cda1", "analyst", "cda2", "データ"]
    uses = [[0, 1], [0], [0, 1, 2], [1], [2]]
    # A word of one credential is handed as an int, or as a list of one.
    handed_words = list(words)
    handed_uses: list[int | list[int]] = [[0, 1], 0, [0, 1, 2], [1], 2]
    postings = Postings.packed(handed_words, handed_uses)
    assert handed_words == [] and handed_uses == [[]] * 5  # emptied
    assert [postings.number(w) for w in words] == [0, 1, 2, 3, 4]
    assert [postings.count(w) for w in words] == [2, 1, 3, 1, 1]
    assert [list(postings.credentials(w)) for w in words] == uses
    assert postings.words([3, 0, 4, 1]) == ("cda2", "data", "データ", "cda1")
    assert "cda1" in postings and "data" in postings and "nope" not in postings
    assert postings.number("nope") is None and postings.count("nope") == 0
    assert list(postings.credentials("nope")) == []
    assert list(postings) == words and len(postings) == 5


def test_shards_cleared_hold_nothing() -> None:
    keys: Shards[int] = Shards()
    for n in range(1_000):
        keys[f"key {n}"] = n
    keys.clear()
    assert len(keys) == 0 and keys.get("key 1") is None


def test_an_int_set_holds_each_int_once_however_often_added() -> None:
    ints = IntSet()
    kept = {(n * 7_919) % 50_000 << 32 | n % 3 for n in range(60_000)}
    for value in [*kept, *kept, 0, 2**64 - 1]:  # each twice: repeats settle away while added
        ints.add(value)
    ints.settle()
    assert len(ints) == len(kept | {0, 2**64 - 1})
    assert all(v in ints for v in kept) and 0 in ints and 2**64 - 1 in ints
    assert 1 << 32 | 5 not in ints and -1 not in ints and "1" not in ints
    parts = [[v for v in ints if v % SET_PARTS == p] for p in range(SET_PARTS)]
    assert all(part == sorted(part) for part in parts)
