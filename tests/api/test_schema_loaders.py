"""No N+1: a page of credentials with nested issuers, skills, occupations and linked
credentials costs the same number of store round trips whatever its size."""

from __future__ import annotations

import inspect
from collections import Counter
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from graphql import parse

from credgraph.analysis.occupations import ISCO_GROUP, SAME
from credgraph.api import make_context
from credgraph.api.core_schema import core_schema
from credgraph.api.loaders import load_present
from credgraph.api.projection import projection_of
from credgraph.match.asked import Asked
from credgraph.match.matcher import match
from credgraph.model import Credential, Issuer, Occupation, OccupationLink, Skill, SkillLink
from credgraph.model.views import Projection
from credgraph.store import GraphStore, open_store
from tests.api.conftest import SCHEMA
from tests.contract import data

TOTAL = 60  # larger than any page below, so pages link to credentials outside them


class CountingStore:
    """A store that counts every call to one of its coroutine methods (one round trip each)."""

    def __init__(self, inner: GraphStore) -> None:
        self.inner = inner
        self.calls: Counter[str] = Counter()
        self.first_args: dict[str, tuple[Any, ...]] = {}

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self.inner, name)
        if not inspect.iscoroutinefunction(attr):
            return attr

        async def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls[name] += 1
            self.first_args.setdefault(name, args)
            return await attr(*args, **kwargs)

        return counted


def cid(i: int) -> str:
    return f"https://school.example/credentials/{i:03d}"


def synthetic(n: int) -> list[Credential]:
    """n credentials, each with its own issuer (accredited by an agency), accreditor, skills
    and occupation plus
    shared ones, stacked in a chain (part of the previous, requiring the one before)."""
    shared_skill = Skill("label:communication", "Communication")
    shared_occupation = Occupation("onet:11-1021.00", "General Managers", code="11-1021.00")
    out = []
    for i in range(n):
        body = Issuer(f"https://accreditor.example/{i}", f"Accreditor {i}")
        agency = Issuer(f"https://agency.example/{i}", f"Agency {i}")
        issuer = Issuer(f"https://issuer.example/{i}", f"Issuer {i}", accredited_by=(agency,))
        skills = (
            shared_skill,
            *(Skill(f"label:skill {i}-{k}", f"Skill {i}-{k}") for k in range(2)),
        )
        out.append(
            Credential(
                cid(i),
                f"Credential {i:03d}",
                issuer=issuer,
                accredited_by=(body,),
                skills=tuple(SkillLink(s) for s in skills),
                occupations=(
                    OccupationLink(shared_occupation),
                    OccupationLink(Occupation(f"label:job {i}", f"Job {i}")),
                ),
                part_of=(cid(i - 1),) if i else (),
                requires=(cid(i - 2),) if i > 1 else (),
            )
        )
    return out


SIMPLE = """
query ($first: Int!) {
  credentials(first: $first) {
    edges { node { name issuer { name } skills { name } occupations { name } } }
  }
}
"""

NESTED = """
query ($first: Int!) {
  credentials(first: $first, sort: {field: NAME}) {
    totalCount
    edges {
      node {
        name
        issuer { name accreditedBy { name } }
        skills { name broader { name } sameAs { name } }
        occupations { name }
        accreditedBy { name }
        partOf { name issuer { name } skills { name } }
        hasPart { name occupations { name } }
        prerequisites { name accreditedBy { name } }
      }
    }
  }
}
"""


async def round_trips(store: GraphStore, text: str, variables: dict[str, Any]) -> Counter[str]:
    counting = CountingStore(store)
    result = await SCHEMA.execute(
        text,
        variable_values=variables,
        context_value=make_context(counting),  # type: ignore[arg-type]
    )
    assert result.errors is None, result.errors
    return counting.calls


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The page read brings each credential's issuer, skills and occupations along.
        (SIMPLE, {"list_credentials": 1}),
        # Plus one batch of the issuers' accreditors, one for credentials linked from the
        # page but not on it (every other link is to a credential on the page), and one for
        # the skills' crosswalk equivalents (`sameAs`).
        (
            NESTED,
            {"list_credentials": 1, "get_issuers": 1, "get_credentials": 1, "equivalents_many": 1},
        ),
    ],
    ids=["simple", "nested"],
)
async def test_page_round_trips_do_not_grow_with_the_page(
    empty_store: GraphStore, text: str, expected: dict[str, int]
) -> None:
    await empty_store.upsert_credentials(synthetic(TOTAL))
    small = await round_trips(empty_store, text, {"first": 5})
    large = await round_trips(empty_store, text, {"first": 50})
    print(f"\nstore round trips for 5 and 50 credentials: {dict(small)} / {dict(large)}")
    assert small == large == expected


LOOKUPS = """
query ($a: ID!, $b: ID!, $c: ID!) {
  a: credential(id: $a) { name partOf { name } }
  b: credential(id: $b) { name partOf { name } }
  c: credential(id: $c) { name partOf { name } }
  compareCredentials(ids: [$a, $b, $c]) { credentials { name } sharedSkills { name } rows { values } }
  similarCredentials(id: $a) { credential { name issuer { name } } sharedSkills { name } }
}
"""


async def test_sibling_lookups_share_batches(empty_store: GraphStore) -> None:
    await empty_store.upsert_credentials(synthetic(10))
    counting = CountingStore(empty_store)
    variables = {"a": cid(3), "b": cid(5).upper(), "c": cid(7)}
    result = await SCHEMA.execute(
        LOOKUPS,
        variable_values=variables,
        context_value=make_context(counting),  # type: ignore[arg-type]
    )
    assert result.errors is None, result.errors
    calls = counting.calls
    # Root fields start in one tick: the three lookups (and the comparison of the same keys)
    # are one batch, and the one key that is not an id is resolved once.
    [first_keys] = counting.first_args["get_credentials"]
    assert set(variables.values()) <= set(first_keys)
    assert calls["resolve_credential_ids"] == 1
    # Later batches depend on when each store answer arrives (on a networked store, on the
    # machine's load): at most one per level of the query, whatever the number of keys. The
    # levels: the lookups; b once resolved; the parents of a and c; b's parent; the similar
    # credentials.
    assert calls["get_credentials"] <= 5
    assert calls["get_skills"] == 0  # skills arrive with the credentials


OCCUPATIONS_WITH_SKILLS = """
query ($first: Int!) {
  occupations(first: $first) { edges { node { id requiredSkills { name } } } }
  credentials(first: $first) { edges { node { name history { changedAt } } } }
}
"""


async def test_required_skills_and_history_cost_one_call_per_tick(
    empty_store: GraphStore,
) -> None:
    credentials = synthetic(TOTAL)
    await empty_store.upsert_credentials(credentials)
    await empty_store.upsert_credentials([replace(c, name=f"{c.name}!") for c in credentials[:8]])
    small = await round_trips(empty_store, OCCUPATIONS_WITH_SKILLS, {"first": 5})
    large = await round_trips(empty_store, OCCUPATIONS_WITH_SKILLS, {"first": 50})
    assert small == large
    assert large["list_occupations"] == 1
    assert large["occupation_required_skills_many"] == 1
    assert large["credential_history_many"] == 1
    assert large["occupation_required_skills"] == large["credential_history"] == 0


def test_each_request_gets_its_own_loaders(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'unopened.db'}")  # no I/O until opened
    one, two = make_context(store), make_context(store, max_page_size=10)
    assert one.loaders is not two.loaders
    assert one.loaders.credentials is not two.loaders.credentials
    assert one["store"] is one.store is store
    assert (one.max_page_size, two.max_page_size) == (100, 10)
    with pytest.raises(ValueError, match="max_page_size"):
        make_context(store, max_page_size=0)


BY_KEY = "query ($id: ID!) { credential(id: $id) { id skills { name } } }"
COMPARE = "query ($ids: [ID!]!) { compareCredentials(ids: $ids) { credentials { id } } }"
SIMILAR = "query ($id: ID!) { similarCredentials(id: $id) { credential { id } } }"


async def test_credentials_named_by_id_cost_what_the_store_answer_costs(
    empty_store: GraphStore,
) -> None:
    # Ids are what clients send most: no resolving round trip before the store's own call.
    await empty_store.upsert_credentials(synthetic(10))
    assert await round_trips(empty_store, BY_KEY, {"id": cid(3)}) == {"get_credentials": 1}
    # The views with the equivalents at their skills, in one call of the port.
    assert await round_trips(empty_store, COMPARE, {"ids": [cid(1), cid(2), cid(3)]}) == {
        "compared_credentials": 1,
    }
    # The credential's skills with their equivalents, the similar ones, their views.
    assert await round_trips(empty_store, SIMILAR, {"id": cid(3)}) == {
        "skill_sets_related": 1,
        "similar": 1,
        "get_credentials": 1,
    }


async def test_credentials_named_by_url_are_resolved_first(empty_store: GraphStore) -> None:
    await empty_store.upsert_credentials(synthetic(10))

    def shout(i: int) -> str:  # the same URL, host in capitals: not an id, resolved to one
        return cid(i).replace("school.example", "SCHOOL.EXAMPLE")

    shouted = {"id": shout(3), "ids": [shout(1), cid(2), "https://nowhere.example/x"]}
    for text in (BY_KEY, COMPARE, SIMILAR):
        calls = await round_trips(empty_store, text, shouted)
        assert calls["resolve_credential_ids"] == 1
    one = await SCHEMA.execute(BY_KEY, shouted, context_value=make_context(empty_store))
    assert one.data is not None and one.data["credential"]["id"] == cid(3)
    both = await SCHEMA.execute(COMPARE, shouted, context_value=make_context(empty_store))
    assert both.data is not None
    assert [c["id"] for c in both.data["compareCredentials"]["credentials"]] == [cid(1), cid(2)]
    similar = await SCHEMA.execute(SIMILAR, shouted, context_value=make_context(empty_store))
    assert similar.data is not None and similar.data["similarCredentials"]


class RecordingStore(CountingStore):
    """Counts calls and keeps the projection each credential read was given."""

    def __init__(self, inner: GraphStore) -> None:
        super().__init__(inner)
        self.projections: list[Projection | None] = []

    def __getattr__(self, name: str) -> Any:
        attr = super().__getattr__(name)
        if name not in ("get_credentials", "list_credentials", "compared_credentials"):
            return attr

        async def recorded(*args: Any, projection: Projection | None = None, **kw: Any) -> Any:
            self.projections.append(projection)
            return await attr(*args, projection=projection, **kw)

        return recorded


async def projections_of(store: GraphStore, text: str, variables: dict[str, Any]) -> list[Any]:
    recording = RecordingStore(store)
    result = await SCHEMA.execute(
        text,
        variable_values=variables,
        context_value=make_context(recording),  # type: ignore[arg-type]
    )
    assert result.errors is None, result.errors
    return recording.projections


def narrow(**flags: bool) -> Projection:
    """A projection reading no optional flat field (ids and names only)."""
    none: frozenset[str] = frozenset()
    return Projection(
        **flags,
        credential_fields=none,
        issuer_fields=none,
        skill_fields=none,
        occupation_fields=none,
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (SIMPLE, narrow(issuer=True, skills=True, occupations=True, total_count=False)),
        (
            "query ($first: Int!) { credentials(first: $first) { totalCount nodes { id } } }",
            narrow(total_count=True),
        ),
        (BY_KEY.replace("$id", "$a"), narrow(skills=True, total_count=False)),
        # A comparison names its skills from the compared views.
        (
            "query ($a: ID!) { compareCredentials(ids: [$a]) { credentials { id } } }",
            narrow(skills=True, total_count=False),
        ),
        # Of the flat fields, the ones selected (cost is two of the store's).
        (
            "query ($a: ID!) { credential(id: $a) { cost { amount } url "
            "issuer { country } skills { framework code } } }",
            Projection(
                issuer=True,
                skills=True,
                total_count=False,
                credential_fields=frozenset({"cost_amount", "cost_currency", "url"}),
                issuer_fields=frozenset({"country"}),
                skill_fields=frozenset({"framework", "code"}),
                occupation_fields=frozenset(),
            ),
        ),
        (NESTED, None),  # stacked credentials and accreditors: whole views
        ("query ($a: ID!) { credential(id: $a) { description } }", None),
        ("query ($a: ID!) { credential(id: $a) { transparency { missing } } }", None),
        ("query ($a: ID!) { credential(id: $a) { skills { description } } }", None),
        # Fields asked of skills anywhere in the document count for every skill read.
        (
            "query ($a: ID!) { credential(id: $a) { skills { id } } skill(id: $a) { altLabels } }",
            None,
        ),
        ("query ($a: ID!) { compareCredentials(ids: [$a]) { rows { values } } }", None),
        ("query ($a: ID!) { similarCredentials(id: $a) { credential { id } } }", None),
    ],
)
async def test_credential_reads_are_given_what_the_document_selects(
    empty_store: GraphStore, text: str, expected: Projection | None
) -> None:
    await empty_store.upsert_credentials(synthetic(3))
    projections = await projections_of(empty_store, text, {"first": 2, "a": cid(1)})
    assert projections and set(projections) == {expected}


PROJECTED = """
query ($ids: [ID!]!, $occ: ID!, $id: ID!) {
  credential(id: $id) { ...Flat issuer { id name country url ctid } skills { ...Node } }
  credentials(filter: {occupations: [$occ]}, first: 3) {
    totalCount edges { cursor node { ...Flat occupations { id name framework uri code } skills { ...Node } } }
    pageInfo { hasNextPage endCursor }
  }
  compareCredentials(ids: $ids) {
    credentials { ...Flat transparency { score } skills { id name } }
    sharedSkills { id name framework } uniqueSkills { credential { id } skills { id } }
    similarity { a b jaccard } unknownIds
  }
}
fragment Flat on Credential { id name type url ctid language durationHours cost { amount currency } }
fragment Node on Skill { id name framework uri code }
"""


async def test_projected_answers_equal_whole_ones(store: GraphStore) -> None:
    # `keywords` costs whole views: the same document with it must answer the same otherwise.
    whole_text = PROJECTED.replace("on Credential { id", "on Credential { keywords id")
    variables = {
        "ids": [MSC_ID, "https://acme.example/badges/data-analyst", "https://nope.example"],
        "occ": "onet:15-1242.00",
        "id": MSC_ID,
    }
    assert set(await projections_of(store, whole_text, variables)) == {None}
    assert None not in await projections_of(store, PROJECTED, variables)
    projected = await SCHEMA.execute(PROJECTED, variables, context_value=make_context(store))
    whole = await SCHEMA.execute(whole_text, variables, context_value=make_context(store))
    assert projected.errors is None and whole.errors is None
    assert projected.data == _without(whole.data, "keywords")
    assert projected.data is not None
    # The record's order (not the ids'), as whole views list them.
    assert [s["id"] for s in projected.data["credential"]["skills"]] == [
        data.PY.id,
        data.STATS.id,
        data.ETHICS.id,
        data.SQL.id,
    ]


MSC_ID = "ce-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"

MATCHED = """
query ($text: String!) {
  matchJob(text: $text, first: 20) {
    skills { id name } occupations { id name }
    credentials {
      credential { id name type occupations { id name } skills { id name } issuer { name } }
      coverage coveredSkills { id name } missingSkills { id } score why
    }
  }
}
"""


async def test_a_projected_job_match_answers_as_whole_views_do(store: GraphStore) -> None:
    """Ordered by hours on ties and naming occupations with their codes in `why`, though the
    document selects neither."""
    whole_text = MATCHED.replace("credential { id", "credential { keywords id")
    variables = {"text": "Data analyst: SQL, Python and statistics every day. O*NET 15-2051.00"}
    # (The credentials stating an occupation are read flat in both: `credentials_preparing`.)
    assert None in await projections_of(store, whole_text, variables)
    reads = await projections_of(store, MATCHED, variables)
    assert None not in reads
    assert (
        Projection(
            issuer=True,
            skills=True,
            occupations=True,
            total_count=False,
            credential_fields=frozenset({"duration_hours"}),
            issuer_fields=frozenset(),
            skill_fields=frozenset(),
            occupation_fields=frozenset({"code", "framework"}),
        )
        in reads
    )
    projected = await SCHEMA.execute(MATCHED, variables, context_value=make_context(store))
    whole = await SCHEMA.execute(whole_text, variables, context_value=make_context(store))
    assert projected.errors is None and whole.errors is None
    assert projected.data == _without(whole.data, "keywords")
    assert projected.data is not None
    found = projected.data["matchJob"]["credentials"]
    assert len(found) >= 2 and any("(15-2051.00)" in m["why"] for m in found)


def _without(value: Any, key: str) -> Any:
    if isinstance(value, dict):
        return {k: _without(v, key) for k, v in value.items() if k != key}
    if isinstance(value, list):
        return [_without(v, key) for v in value]
    return value


async def test_a_projected_job_match_orders_ties_by_hours(empty_store: GraphStore) -> None:
    """Credentials alike but for their hours: the document selects no hours, yet the match
    reads them to order the tie (fewest first; unknown last, and less transparent)."""
    skill = Skill("label:kiln firing", "Kiln firing")
    hours = [12.0, None, 300.0, 40.0]
    school = Issuer("https://school.example", "School")
    await empty_store.upsert_credentials(
        [
            Credential(
                cid(i), "Kiln course", issuer=school, skills=(SkillLink(skill),), duration_hours=h
            )
            for i, h in enumerate(hours)
        ]
    )
    text = "query ($t: String!) { matchJob(text: $t) { credentials { credential { id } } } }"
    variables = {"t": "Potter: kiln firing every week."}
    reads = await projections_of(empty_store, text, variables)
    assert reads and None not in reads
    found = await SCHEMA.execute(text, variables, context_value=make_context(empty_store))
    assert found.errors is None and found.data is not None
    order = [m["credential"]["id"] for m in found.data["matchJob"]["credentials"]]
    assert order == [cid(0), cid(3), cid(2), cid(1)]


async def test_a_job_match_beside_a_page_of_credentials_answers_as_alone(
    empty_store: GraphStore,
) -> None:
    """A page in the same document primes the request's occupations from projected views (when
    it is read before the match asks for them); the match still finds an ESCO occupation's
    ISCO-08 group, which needs its framework."""
    developer = Occupation("esco:occ/dev", "software developer", code="2512.4", framework="ESCO")
    group = Occupation("isco:2512", "Unit group 2512", code="2512", framework="ISCO-08")
    school = Issuer("https://school.example", "School")
    linked = [(0, "Developer course", developer), (1, "Group course", group)]
    await empty_store.upsert_credentials(
        [
            Credential(cid(i), name, issuer=school, occupations=(OccupationLink(o),))
            for i, name, o in linked
        ]
    )
    document = """query ($t: String!) {
      credentials(first: 10) { edges { node { id occupations { id name } } } }
      matchJob(text: $t) { occupations { id name } credentials { credential { id } why } }
    }"""
    loaders = make_context(empty_store).loaders
    loaders.projection = projection_of(core_schema(SCHEMA), parse(document), None)
    assert loaders.projection is not None
    page = await empty_store.list_credentials(first=10, projection=loaders.projection)
    loaders.prime_views(page.items)  # the page read first
    asked = Asked(occupation_ids=[developer.id])
    alone = await match(empty_store, asked, 10)
    beside = await match(empty_store, asked, 10, None, partial(load_present, loaders.occupations))
    assert [(m.credential_id, m.occupation) for m in beside.matches] == [
        (m.credential_id, m.occupation) for m in alone.matches
    ]
    assert [m.occupation.relation for m in alone.matches if m.occupation] == [
        SAME,
        ISCO_GROUP,
    ]


async def test_a_padded_query_is_projected_but_its_text_not_kept(store: GraphStore) -> None:
    """Blanks and comments are no tokens: a query padded to the 1 MB a request may carry
    passes the document limits, and 512 such texts kept as keys held half a gigabyte."""
    from credgraph.api.documents import MAX_CACHED_QUERY_CHARS
    from credgraph.api.projection import _documents_of

    padded = "{ stats { credentials } " + " " * (MAX_CACHED_QUERY_CHARS + 1) + "}"
    short = "{ stats { skills } }"
    for query in (padded, padded, short):
        result = await SCHEMA.execute(query, context_value=make_context(store))
        assert not result.errors, result.errors
    kept = _documents_of(SCHEMA).known
    assert (short, None) in kept
    assert all(len(text) <= MAX_CACHED_QUERY_CHARS for text, _name in kept)
