"""The pathway search answers the same on every adapter: shortest by hours, bounded, acyclic."""

from __future__ import annotations

from dataclasses import replace

from credgraph.model import Credential, CredentialType, Credits, Occupation, OccupationLink
from credgraph.model.stacking import (
    MAX_PATHWAY_STEPS,
    AdvancedStanding,
    PathwayGoal,
    PathwayRelation,
)
from credgraph.store import GraphStore

NURSE = Occupation("onet:29-1141.00", "Registered Nurses", code="29-1141.00")


def _c(n: int, hours: float | None, **links: object) -> Credential:
    return replace(
        Credential(f"c{n}", f"Credential {n}", CredentialType.CERTIFICATE, duration_hours=hours),
        **links,
    )  # type: ignore[arg-type]


async def _graph(store: GraphStore) -> None:
    # c1 -> c2 -> c4 (40 + 10 hours) and c1 -> c3 -> c4 (100 + 10 hours); c4 <-> c5 a cycle;
    # c2 grants credit toward c4; c4 is part of c6, which prepares for nursing.
    await store.upsert_credentials(
        [
            _c(1, 8, prepares_for=("c2", "c3")),
            _c(2, 40, advanced_standing_for=(AdvancedStanding("c4", Credits(6, "credit hours")),)),
            _c(3, 100, prepares_for=("c4",)),
            _c(4, 10, prepares_for=("c5",), part_of=("c6",)),
            _c(5, 1, prepares_for=("c4", "c1")),
            _c(6, 200, occupations=(OccupationLink(NURSE),)),
        ]
    )


def _ids(route: object) -> list[str]:
    return [s.credential for s in route.steps]  # type: ignore[attr-defined]


async def test_routes_come_shortest_first_by_hours_then_steps(store: GraphStore) -> None:
    await _graph(store)
    routes = await store.pathways("c1", PathwayGoal(frozenset({"c4"})), 6, 5)
    assert [_ids(r) for r in routes] == [["c1", "c2", "c4"], ["c1", "c3", "c4"]]
    assert [r.hours for r in routes] == [50.0, 110.0]
    first = routes[0].steps
    assert first[0].via is None
    assert first[1].via is PathwayRelation.PREPARES_FOR
    assert first[2].via is PathwayRelation.ADVANCED_STANDING
    assert first[2].credits == Credits(6.0, "credit hours")


async def test_an_occupation_goal_ends_at_a_credential_preparing_for_it(store: GraphStore) -> None:
    await _graph(store)
    routes = await store.pathways("c1", PathwayGoal(occupation=NURSE.id), 6, 5)
    assert _ids(routes[0]) == ["c1", "c2", "c4", "c6"]
    assert routes[0].steps[-1].via is PathwayRelation.PART_OF


async def test_cycles_are_never_followed_twice_and_steps_are_bounded(store: GraphStore) -> None:
    await _graph(store)
    routes = await store.pathways("c5", PathwayGoal(frozenset({"c6"})), 10, 20)
    for route in routes:
        assert len(set(_ids(route))) == len(route.steps)
    assert {tuple(_ids(r)) for r in routes} == {
        ("c5", "c4", "c6"),
        ("c5", "c1", "c2", "c4", "c6"),
        ("c5", "c1", "c3", "c4", "c6"),
    }
    assert await store.pathways("c1", PathwayGoal(frozenset({"c6"})), 2, 5) == []
    assert (
        len((await store.pathways("c1", PathwayGoal(frozenset({"c6"})), 99, 5))[0].steps)
        <= MAX_PATHWAY_STEPS + 1
    )


async def test_an_unknown_start_or_unreachable_goal_finds_nothing(store: GraphStore) -> None:
    await _graph(store)
    assert await store.pathways("nope", PathwayGoal(frozenset({"c4"})), 6, 5) == []
    assert await store.pathways("c6", PathwayGoal(frozenset({"c1"})), 6, 5) == []


async def test_the_search_sees_links_written_after_it_ran(store: GraphStore) -> None:
    await _graph(store)
    assert await store.pathways("c6", PathwayGoal(frozenset({"c1"})), 6, 5) == []
    await store.upsert_credentials([_c(6, 200, prepares_for=("c1",))])
    [route] = await store.pathways("c6", PathwayGoal(frozenset({"c1"})), 6, 5)
    assert _ids(route) == ["c6", "c1"]


async def test_a_route_through_steps_of_unknown_hours_ranks_after_fully_known_ones(
    store: GraphStore,
) -> None:
    """A credential that states no hours is not a credential of 0 hours: the route through
    three of them (10 stated hours, the goal's) says its hours are unknown for three steps and
    comes after the route of 110 known hours."""
    await store.upsert_credentials(
        [
            _c(10, None, prepares_for=("c11", "c20")),
            _c(11, None, prepares_for=("c12",)),
            _c(12, None, prepares_for=("c13",)),
            _c(13, None, prepares_for=("c14",)),
            _c(14, 10),
            _c(20, 100, prepares_for=("c14",)),
        ]
    )
    routes = await store.pathways("c10", PathwayGoal(frozenset({"c14"})), 6, 5)
    assert [_ids(r) for r in routes] == [
        ["c10", "c20", "c14"],
        ["c10", "c11", "c12", "c13", "c14"],
    ]
    assert [(r.hours, r.steps_without_hours) for r in routes] == [(110.0, 0), (10.0, 3)]
    # The start's own hours are never counted, known or not.
    [known] = await store.pathways("c10", PathwayGoal(frozenset({"c20"})), 6, 5)
    assert (known.hours, known.steps_without_hours) == (100.0, 0)
