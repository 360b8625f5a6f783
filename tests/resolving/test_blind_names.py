"""The resolving benchmark's blind set (bench/resolve_names/blind.json) is what SOURCES.md says
it is: every held name states a credential of the catalogue, no credential has more than five,
most issuers are covered, no not-held name is a name the catalogue publishes, no name appears
twice, and bench/resolve_bench.py --blind reads it. Nothing here resolves a name."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from tests.scripts import script

ROOT = Path(__file__).resolve().parents[2]
NAMES = ROOT / "bench" / "resolve_names"


def _json(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((NAMES / name).read_text(encoding="utf-8"))
    return data


catalog = _json("catalog.json")
blind = _json("blind.json")


def test_the_blind_set_has_the_labelled_sets_shape_and_size() -> None:
    assert set(blind) == {"held", "not_held"}
    held = blind["held"]
    assert isinstance(held, dict) and isinstance(blind["not_held"], list)
    for names in [*held.values(), blind["not_held"]]:
        assert all(isinstance(name, str) and name.strip() for name in names)
    assert sum(len(names) for names in held.values()) >= 120
    assert len(blind["not_held"]) >= 60


def test_every_held_name_states_a_catalogue_credential_spread_over_the_issuers() -> None:
    issuer_of = {c["id"]: c["issuer"] for c in catalog["credentials"]}
    held = blind["held"]
    assert set(held) <= set(issuer_of), set(held) - set(issuer_of)
    assert all(1 <= len(names) <= 5 for names in held.values())
    issuers = {issuer_of[cid] for cid in held}
    assert len(issuers) >= 0.8 * len(catalog["issuers"]), len(issuers)


def test_no_not_held_name_is_a_name_the_catalogue_publishes() -> None:
    published = {
        name.casefold()
        for c in catalog["credentials"]
        for name in (c["name"], *c["alternate_names"])
    }
    clashes = [name for name in blind["not_held"] if name.casefold() in published]
    assert clashes == []


def test_no_name_appears_twice() -> None:
    names = [n for ns in blind["held"].values() for n in ns] + blind["not_held"]
    twice = [name for name, count in Counter(n.casefold() for n in names).items() if count > 1]
    assert twice == []


def test_the_benchmark_reads_the_blind_set_under_blind() -> None:
    bench = script("bench/resolve_bench.py")
    held, not_held = bench.labelled(bench.BLIND)
    assert len(held) == sum(len(names) for names in blind["held"].values())
    assert {cid for _, cid in held} == set(blind["held"])
    assert not_held == blind["not_held"]
    assert bench.labelled() != (held, not_held)  # the default is still the development set
    fresh_held, fresh_not_held = bench.unseen(held, not_held)
    assert set(fresh_held) <= set(held) and set(fresh_not_held) <= set(not_held)
