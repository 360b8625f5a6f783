"""The resolving benchmark's blind sets (bench/resolve_names/blind.json and blind2.json) are
what SOURCES.md says they are: every held name states a credential of the catalogue, no
credential has more than five, most issuers are covered, no not-held name is a name the
catalogue publishes, no name appears twice, and bench/resolve_bench.py reads each under its
flag. The second set also covers every credential with 2 to 4 names and spells no name as an
earlier set does. Nothing here resolves a name."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.scripts import script

ROOT = Path(__file__).resolve().parents[2]
NAMES = ROOT / "bench" / "resolve_names"
BLIND_SETS = ["blind.json", "blind2.json"]


def _json(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((NAMES / name).read_text(encoding="utf-8"))
    return data


def _names(data: dict[str, Any]) -> list[str]:
    return [n for ns in data["held"].values() for n in ns] + data["not_held"]


catalog = _json("catalog.json")


@pytest.mark.parametrize("file", BLIND_SETS)
def test_a_blind_set_has_the_labelled_sets_shape_and_size(file: str) -> None:
    blind = _json(file)
    assert set(blind) == {"held", "not_held"}
    held = blind["held"]
    assert isinstance(held, dict) and isinstance(blind["not_held"], list)
    for names in [*held.values(), blind["not_held"]]:
        assert all(isinstance(name, str) and name.strip() for name in names)
    assert sum(len(names) for names in held.values()) >= 120
    assert len(blind["not_held"]) >= 60


@pytest.mark.parametrize("file", BLIND_SETS)
def test_every_held_name_states_a_catalogue_credential_spread_over_the_issuers(file: str) -> None:
    issuer_of = {c["id"]: c["issuer"] for c in catalog["credentials"]}
    held = _json(file)["held"]
    assert set(held) <= set(issuer_of), set(held) - set(issuer_of)
    assert all(1 <= len(names) <= 5 for names in held.values())
    issuers = {issuer_of[cid] for cid in held}
    assert len(issuers) >= 0.8 * len(catalog["issuers"]), len(issuers)


@pytest.mark.parametrize("file", BLIND_SETS)
def test_no_not_held_name_is_a_name_the_catalogue_publishes(file: str) -> None:
    published = {
        name.casefold()
        for c in catalog["credentials"]
        for name in (c["name"], *c["alternate_names"])
    }
    clashes = [name for name in _json(file)["not_held"] if name.casefold() in published]
    assert clashes == []


@pytest.mark.parametrize("file", BLIND_SETS)
def test_no_name_appears_twice(file: str) -> None:
    names = _names(_json(file))
    twice = [name for name, count in Counter(n.casefold() for n in names).items() if count > 1]
    assert twice == []


def test_the_second_blind_set_covers_every_credential_with_two_to_four_names() -> None:
    blind2 = _json("blind2.json")
    held = blind2["held"]
    assert set(held) == {c["id"] for c in catalog["credentials"]}
    assert all(2 <= len(names) <= 4 for names in held.values())
    assert sum(len(names) for names in held.values()) >= 250
    assert len(blind2["not_held"]) >= 90


def test_the_second_blind_set_spells_no_name_as_an_earlier_set_does() -> None:
    earlier = {
        name.strip().casefold()
        for file in ("labelled.json", "blind.json")
        for name in _names(_json(file))
    }
    shared = sum(name.strip().casefold() in earlier for name in _names(_json("blind2.json")))
    assert shared == 0  # a count, so that a failure does not print the earlier sets' names


@pytest.mark.parametrize(("flag", "file"), [("BLIND", "blind.json"), ("BLIND2", "blind2.json")])
def test_the_benchmark_reads_each_blind_set_under_its_flag(flag: str, file: str) -> None:
    bench = script("bench/resolve_bench.py")
    blind = _json(file)
    held, not_held = bench.labelled(getattr(bench, flag))
    assert len(held) == sum(len(names) for names in blind["held"].values())
    assert {cid for _, cid in held} == set(blind["held"])
    assert not_held == blind["not_held"]
    assert bench.labelled() != (held, not_held)  # the default is still the development set
    fresh_held, fresh_not_held = bench.unseen(held, not_held, bench.EARLIER[file])
    assert set(fresh_held) <= set(held) and set(fresh_not_held) <= set(not_held)


def test_the_second_blind_sets_fresh_names_leave_out_what_the_first_blind_set_spells() -> None:
    bench = script("bench/resolve_bench.py")
    assert bench.EARLIER[bench.BLIND2] == (bench.LABELLED, bench.BLIND)
    blind_held, blind_not_held = bench.labelled(bench.BLIND)
    # the first blind set measured as if it came after itself: none of its names is fresh
    assert bench.unseen(blind_held, blind_not_held, bench.EARLIER[bench.BLIND2]) == ([], [])
    assert bench.unseen(blind_held, blind_not_held) != ([], [])  # against labelled.json alone


def test_the_benchmark_takes_one_set_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    bench = script("bench/resolve_bench.py")
    monkeypatch.setattr("sys.argv", ["resolve_bench.py", "--blind2"])
    assert bench.parse_args().blind2
    monkeypatch.setattr("sys.argv", ["resolve_bench.py", "--blind", "--blind2"])
    with pytest.raises(SystemExit):
        bench.parse_args()
