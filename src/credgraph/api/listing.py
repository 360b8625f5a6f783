"""Pages of issuers, skills and occupations, over the store's keyset listings.

Every node of the kind is listed in name order (normalised name, then id), stub nodes made
from a mention in another record included. `filter.text`, when given, is matched as words by
the store's full-text index; the other conditions (country, framework, code prefix) are
applied by the store too, so `totalCount` counts every match (up to the store's count bound,
`credgraph.store.counting`). Cursors are keyset positions (name key, id): a page resumes
after the last item seen; a token that is not such a cursor is refused before the store
decodes it. The listed records prime the request's loaders, so
nested fields asking for them again cost nothing.
"""

from __future__ import annotations

from credgraph.api.arguments import checked_cursor, client_errors
from credgraph.api.loaders import Loaders
from credgraph.api.types.issuer_filter import IssuerFilter
from credgraph.api.types.occupation_filter import OccupationFilter
from credgraph.api.types.skill_filter import SkillFilter
from credgraph.model.records import Issuer, Occupation, Skill
from credgraph.model.views import Page
from credgraph.store.ports import GraphReader


async def issuer_page(
    store: GraphReader,
    loaders: Loaders,
    filter: IssuerFilter | None,
    first: int,
    after: str | None,
) -> Page[Issuer]:
    with client_errors():
        page = await store.list_issuers(
            filter.text if filter else None,
            filter.country if filter else None,
            first=first,
            after=checked_cursor(after),
        )
    loaders.issuers.prime_many({i.id: i for i in page.items})
    return page


async def skill_page(
    store: GraphReader,
    loaders: Loaders,
    filter: SkillFilter | None,
    first: int,
    after: str | None,
) -> Page[Skill]:
    with client_errors():
        page = await store.list_skills(
            filter.text if filter else None,
            filter.framework if filter else None,
            first=first,
            after=checked_cursor(after),
        )
    loaders.skills.prime_many({s.id: s for s in page.items})
    return page


async def occupation_page(
    store: GraphReader,
    loaders: Loaders,
    filter: OccupationFilter | None,
    first: int,
    after: str | None,
) -> Page[Occupation]:
    with client_errors():
        page = await store.list_occupations(
            filter.text if filter else None,
            filter.code_prefix.strip() if filter and filter.code_prefix is not None else None,
            first=first,
            after=checked_cursor(after),
        )
    loaders.occupations.prime_many({o.id: o for o in page.items})
    return page
