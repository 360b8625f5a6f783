"""The GraphQL schema and in-process execution (the CLI's `graphql` command and tests).

    schema = build_schema(extensions=[...])
    result = await schema.execute(query, context_value=make_context(store))

Resolvers are thin: arguments are checked and normalised (`arguments`), nested fields load
through the request's DataLoaders (`loaders`), and store query errors become GraphQL errors
with the store's message. Unknown ids answer null (or are left out of lists), never errors.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Annotated, Any, TypeVar

import strawberry
from strawberry.extensions import SchemaExtension
from strawberry.scalars import JSON
from strawberry.types import ExecutionResult

from credgraph.api import comparing, pathways, resolving
from credgraph.api.arguments import (
    checked_cursor,
    client_errors,
    node_keys,
    occupation_keys,
    page_size,
)
from credgraph.api.context import ApiInfo, loaders_of, make_context, store_of
from credgraph.api.execution import LeanExecutionContext
from credgraph.api.exporting import export_inline
from credgraph.api.listing import issuer_page, occupation_page, skill_page
from credgraph.api.loaders import first_found
from credgraph.api.matching import match_job
from credgraph.api.projection import Projections
from credgraph.api.types.connection import Connection
from credgraph.api.types.crawl_run import CrawlRun
from credgraph.api.types.credential import Credential
from credgraph.api.types.credential_comparison import CredentialComparison
from credgraph.api.types.credential_filter import CredentialFilter
from credgraph.api.types.credential_resolution import CredentialResolution
from credgraph.api.types.credential_sort import CredentialSort
from credgraph.api.types.export_format import ExportFormat
from credgraph.api.types.export_result import ExportResult
from credgraph.api.types.export_selection import ExportSelection
from credgraph.api.types.graph_stats import GraphStats
from credgraph.api.types.issuer import Issuer
from credgraph.api.types.issuer_filter import IssuerFilter
from credgraph.api.types.job_posting import JobPosting
from credgraph.api.types.job_posting_filter import JobPostingFilter
from credgraph.api.types.node_kind import NodeKind
from credgraph.api.types.occupation import Occupation
from credgraph.api.types.occupation_filter import OccupationFilter
from credgraph.api.types.pathway import Pathway
from credgraph.api.types.search_hit import SearchHit
from credgraph.api.types.similar_credential import SimilarCredential
from credgraph.api.types.skill import Skill
from credgraph.api.types.skill_filter import SkillFilter
from credgraph.api.types.skill_gap import SkillGap
from credgraph.api.types.source import Source
from credgraph.api.types.verification_result import VerificationResult, verify_credential
from credgraph.store.base import GraphStore

DEFAULT_PAGE = 20
V = TypeVar("V")

First = Annotated[
    int | None,
    strawberry.argument(description="How many items at most (0-100 by default); null: 20."),
]
After = Annotated[
    str | None,
    strawberry.argument(description="A cursor from a previous page: continue after it."),
]


def _first(info: ApiInfo, first: int | None, default: int = DEFAULT_PAGE) -> int:
    return page_size(default if first is None else first, info.context.max_page_size)


def _given(value: V | None) -> V | None:
    """None for an argument left out (strawberry's UNSET), else the value."""
    return None if value is strawberry.UNSET else value


@strawberry.type(
    description=(
        "Read the credential graph: look credentials, issuers, skills and occupations up, "
        "list and search them, compare credentials, and find skill gaps."
    )
)
class Query:
    @strawberry.field(
        description="A credential by our id, its CTID or its source document URL; null if unknown."
    )
    async def credential(
        self,
        info: ApiInfo,
        id: Annotated[strawberry.ID, strawberry.argument(description="Id, CTID or URL.")],
    ) -> Credential | None:
        view = await loaders_of(info).credentials_by_key.load(str(id))
        return Credential.from_model(view) if view else None

    @strawberry.field(
        description="A page of credentials matching `filter`, in `sort` order (name by default)."
    )
    async def credentials(
        self,
        info: ApiInfo,
        filter: Annotated[
            CredentialFilter | None, strawberry.argument(description="Conditions to meet.")
        ] = strawberry.UNSET,
        sort: Annotated[
            CredentialSort | None, strawberry.argument(description="The order (by name if null).")
        ] = strawberry.UNSET,
        first: First = DEFAULT_PAGE,
        after: After = strawberry.UNSET,
    ) -> Connection[Credential]:
        size = _first(info, first)
        with client_errors():
            page = await store_of(info).list_credentials(
                filter.to_model() if filter else None,
                sort.to_model() if sort else None,
                first=size,
                after=checked_cursor(_given(after)),
                projection=loaders_of(info).projection,
            )
        loaders_of(info).prime_views(page.items)
        return Connection.from_model(page, Credential.from_model)

    @strawberry.field(description="An issuer by id, CTID or URI; null if unknown.")
    async def issuer(
        self,
        info: ApiInfo,
        id: Annotated[strawberry.ID, strawberry.argument(description="Id, CTID or URI.")],
    ) -> Issuer | None:
        found = await first_found(loaders_of(info).issuers, node_keys(str(id)))
        return Issuer.from_model(found) if found else None

    @strawberry.field(
        description=(
            "Issuers matching `filter` (every issuer without one), in name order "
            "(stub nodes known only from a mention included)."
        )
    )
    async def issuers(
        self,
        info: ApiInfo,
        filter: Annotated[
            IssuerFilter | None, strawberry.argument(description="Words and conditions.")
        ] = strawberry.UNSET,
        first: First = DEFAULT_PAGE,
        after: After = strawberry.UNSET,
    ) -> Connection[Issuer]:
        page = await issuer_page(
            store_of(info), loaders_of(info), _given(filter), _first(info, first), _given(after)
        )
        return Connection.from_model(page, Issuer.from_model)

    @strawberry.field(description="A skill by our id or its framework URI; null if unknown.")
    async def skill(
        self,
        info: ApiInfo,
        id: Annotated[strawberry.ID, strawberry.argument(description="Id or framework URI.")],
    ) -> Skill | None:
        found = await first_found(loaders_of(info).skills, node_keys(str(id)))
        return Skill.from_model(found) if found else None

    @strawberry.field(
        description=(
            "Skills matching `filter` (every skill without one), in name order "
            "(stub nodes known only from a mention included)."
        )
    )
    async def skills(
        self,
        info: ApiInfo,
        filter: Annotated[
            SkillFilter | None, strawberry.argument(description="Words and conditions.")
        ] = strawberry.UNSET,
        first: First = DEFAULT_PAGE,
        after: After = strawberry.UNSET,
    ) -> Connection[Skill]:
        page = await skill_page(
            store_of(info), loaders_of(info), _given(filter), _first(info, first), _given(after)
        )
        return Connection.from_model(page, Skill.from_model)

    @strawberry.field(
        description=(
            "An occupation by our id, its URI or its O*NET-SOC code (15-2051.00); null if unknown."
        )
    )
    async def occupation(
        self,
        info: ApiInfo,
        id: Annotated[strawberry.ID, strawberry.argument(description="Id, URI or code.")],
    ) -> Occupation | None:
        found = await first_found(loaders_of(info).occupations, occupation_keys(str(id)))
        return Occupation.from_model(found) if found else None

    @strawberry.field(
        description=(
            "Occupations matching `filter` (every occupation without one), in name order "
            "(stub nodes known only from a mention included)."
        )
    )
    async def occupations(
        self,
        info: ApiInfo,
        filter: Annotated[
            OccupationFilter | None, strawberry.argument(description="Words and conditions.")
        ] = strawberry.UNSET,
        first: First = DEFAULT_PAGE,
        after: After = strawberry.UNSET,
    ) -> Connection[Occupation]:
        page = await occupation_page(
            store_of(info), loaders_of(info), _given(filter), _first(info, first), _given(after)
        )
        return Connection.from_model(page, Occupation.from_model)

    @strawberry.field(
        description=(
            "Full-text search over credentials, issuers, skills and occupations, best first. "
            "The text is matched as words (the last one also as a prefix, unless the text "
            "as typed fills the search bound), never as syntax; of a longer text, the first 16 "
            "words. On the embedded SQLite store, "
            "words matching more than 10,000 nodes of a kind (the server's search bound) rank "
            "the first 10,000 matches found, not all of them; fewer matches are all ranked. A "
            "word in more than half the nodes of a kind is matched but adds nothing to the "
            "score (bm25 gives it no weight); text made only of such words lists the nodes "
            "with every word in their name first, with a score of 0. Scores are bm25, a word "
            "in the name weighing ten times one elsewhere; on SQLite a word's count of nodes, "
            "which sets its weight, may lag a write by up to a minute."
        )
    )
    async def search(
        self,
        info: ApiInfo,
        text: Annotated[str, strawberry.argument(description="Words to look for.")],
        first: First = DEFAULT_PAGE,
        kinds: Annotated[
            list[NodeKind] | None,
            strawberry.argument(description="Only these kinds of node (all if null)."),
        ] = strawberry.UNSET,
    ) -> list[SearchHit]:
        size = _first(info, first)
        if kinds == []:
            return []
        wanted = list(dict.fromkeys(k.to_model() for k in kinds)) if kinds else None
        hits = await store_of(info).search(text, kinds=wanted, limit=size)
        return [SearchHit.from_model(h) for h in hits]

    @strawberry.field(
        description=(
            "Credentials side by side (given by id, CTID or URL, at most 20): shared and "
            "unique skills, pairwise overlap, and one row per field. Unknown ids are left out."
        )
    )
    async def compare_credentials(
        self,
        info: ApiInfo,
        ids: Annotated[
            list[strawberry.ID], strawberry.argument(description="The credentials to compare.")
        ],
    ) -> CredentialComparison:
        return await comparing.compare(info, [str(i) for i in ids])

    @strawberry.field(
        description=(
            "Credentials most like this one by shared skills (Jaccard), best first; empty if "
            "the credential is unknown or has no skills."
        )
    )
    async def similar_credentials(
        self,
        info: ApiInfo,
        id: Annotated[strawberry.ID, strawberry.argument(description="Id, CTID or URL.")],
        first: Annotated[
            int | None, strawberry.argument(description="How many at most (null: 10).")
        ] = 10,
    ) -> list[SimilarCredential]:
        return await comparing.similar(info, str(id), _first(info, first, default=10))

    @strawberry.field(
        description=(
            'The credentials that names as written on a resume or profile stand for ("AWS '
            'SAA", "PMP", "Google Data Analytics cert, Coursera"), read through names, '
            "alternate names and acronyms issuers publish, issuer names and fuzzy matching; "
            "one answer per name, in order. At most 100 names of 500 characters each."
        )
    )
    async def resolve_credentials(
        self,
        info: ApiInfo,
        names: Annotated[
            list[str], strawberry.argument(description="Credential names as people write them.")
        ],
        first: Annotated[
            int, strawberry.argument(description="Matches per name at most (0-10).")
        ] = 3,
    ) -> list[CredentialResolution]:
        return await resolving.resolve_credentials(info, names, first)

    @strawberry.field(
        description=(
            "Routes from one credential to another credential or to an occupation (ending at a "
            "credential that prepares for it), following preparation, part-of, "
            "advanced-standing and published-pathway links forward. Routes whose every step "
            "states its hours come first, then those with fewer steps stating none (their "
            "length is unknown, not 0: `stepsWithoutHours`); then shortest by the hours stated, "
            "then by steps. A credential never appears twice on a route."
        )
    )
    async def pathways(
        self,
        info: ApiInfo,
        from_: Annotated[
            strawberry.ID,
            strawberry.argument(name="from", description="Start: a credential id, CTID or URL."),
        ],
        to: Annotated[
            strawberry.ID,
            strawberry.argument(
                description="End: a credential (id, CTID or URL) or an occupation (id, URI or "
                "code)."
            ),
        ],
        max_steps: Annotated[
            int | None,
            strawberry.argument(description="Links a route may follow, 1-10 (capped at 10)."),
        ] = 6,
        first: Annotated[
            int | None, strawberry.argument(description="How many routes, 1-20 (null: 5).")
        ] = 5,
    ) -> list[Pathway]:
        return await pathways.pathways(
            info,
            str(from_),
            str(to),
            6 if max_steps is None else max_steps,
            5 if first is None else first,
        )

    @strawberry.field(
        description=(
            "What an occupation requires against what someone has (credentials or skills), "
            "and the fewest credentials that teach the rest; null if the occupation is unknown."
        )
    )
    async def skill_gap(
        self,
        info: ApiInfo,
        occupation: Annotated[
            strawberry.ID, strawberry.argument(description="Occupation id, URI or SOC code.")
        ],
        have: Annotated[
            list[strawberry.ID] | None,
            strawberry.argument(
                description=(
                    "Credentials (id, CTID or URL) or skills (id or URI) already held, at most 500."
                )
            ),
        ] = strawberry.UNSET,
    ) -> SkillGap | None:
        return await comparing.gap(info, str(occupation), [str(h) for h in have or ()])

    @strawberry.field(
        description="A job posting by id (its `@id` or URL as crawled); null if unknown."
    )
    async def job_posting(
        self,
        info: ApiInfo,
        id: Annotated[strawberry.ID, strawberry.argument(description="The posting's id.")],
    ) -> JobPosting | None:
        found = await store_of(info).get_job_postings([str(id)])
        return JobPosting.from_model(found[0], datetime.now(UTC)) if found else None

    @strawberry.field(
        description="Job postings matching `filter` (all without one), in title order."
    )
    async def job_postings(
        self,
        info: ApiInfo,
        filter: Annotated[
            JobPostingFilter | None, strawberry.argument(description="Conditions to meet.")
        ] = strawberry.UNSET,
        first: First = DEFAULT_PAGE,
        after: After = strawberry.UNSET,
    ) -> Connection[JobPosting]:
        size = _first(info, first)
        at = datetime.now(UTC)
        with client_errors():
            page = await store_of(info).list_job_postings(
                filter.to_model() if filter else None,
                first=size,
                after=checked_cursor(_given(after)),
                at=at,
            )
        return Connection.from_model(page, lambda view: JobPosting.from_model(view, at))

    match_job = strawberry.field(
        resolver=match_job,
        description=(
            "Credentials that prepare for a job: a stored posting (`id`), a posting URL, a "
            "JobPosting JSON-LD object, or a job ad's text; give exactly one. The job's skills "
            "and occupations in the graph's terms, then the credentials ranked by coverage of "
            "its skills, occupation alignment, transparency, hours and cost."
        ),
    )

    @strawberry.field(description="Every configured source crawled so far, by id.")
    async def sources(self, info: ApiInfo) -> list[Source]:
        return [Source.from_model(s) for s in await store_of(info).list_sources()]

    @strawberry.field(description="Recent crawl runs, most recent first.")
    async def crawl_runs(
        self,
        info: ApiInfo,
        source: Annotated[
            str | None, strawberry.argument(description="Only this source's runs (all if null).")
        ] = strawberry.UNSET,
        first: First = DEFAULT_PAGE,
    ) -> list[CrawlRun]:
        runs = await store_of(info).crawl_runs(_given(source), limit=_first(info, first))
        return [CrawlRun.from_model(r) for r in runs]

    @strawberry.field(description="Counts of issuers, credentials, skills, occupations and links.")
    async def stats(self, info: ApiInfo) -> GraphStats:
        return GraphStats.from_model(await store_of(info).stats())

    @strawberry.field(
        description=(
            "A subgraph as a file: inline when under 1 MB, and always a `downloadUrl` that "
            "streams the same selection from `/export` as a zip with its manifest. The "
            "exports of one request run one after another in one export slot, within 3 s "
            "together; one whose turn comes later gives its `downloadUrl` only."
        )
    )
    async def export_subgraph(
        self,
        info: ApiInfo,
        selection: Annotated[
            ExportSelection, strawberry.argument(description="Which part of the graph.")
        ],
        format: Annotated[ExportFormat, strawberry.argument(description="The file format.")],
    ) -> ExportResult:
        with client_errors():
            return await export_inline(store_of(info), selection.to_model(), format.name.lower())


@strawberry.type(description="Operations that fetch or write: verifying a badge may do both.")
class Mutation:
    @strawberry.mutation(
        description=(
            "Verify a badge a candidate lists, given by `url` or as a `document` (an OB 2.0 "
            "assertion, a compact JWS, an OB 3.0 / CLR credential): status, every check, the "
            "recipient and the credential mapped onto the graph (a verified but unknown "
            "definition is added with provenance `verified-submission`)."
        )
    )
    async def verify_credential(
        self,
        info: ApiInfo,
        url: Annotated[
            str | None, strawberry.argument(description="Where the award is hosted.")
        ] = None,
        document: Annotated[
            JSON | None,
            strawberry.argument(description="The award itself: a JSON object or a JWS string."),
        ] = None,
    ) -> VerificationResult:
        return await verify_credential(info, url, document)


def build_schema(
    extensions: Iterable[type[SchemaExtension] | Callable[[], SchemaExtension]] | None = None,
) -> strawberry.Schema:
    """The one schema. `extensions` (the document limits, the operation records) are
    extension classes or factories: a fresh one runs for every operation.
    `Projections` always runs: stores read only what each document asks of credentials;
    `LeanExecutionContext` reads plain scalar fields without the per-field machinery."""
    return strawberry.Schema(
        query=Query,
        mutation=Mutation,
        extensions=(*(extensions or ()), Projections),
        execution_context_class=LeanExecutionContext,
    )


async def execute(
    store: GraphStore,
    query: str,
    variables: dict[str, Any] | None = None,
    operation_name: str | None = None,
) -> ExecutionResult:
    """Run one operation against `store` without HTTP."""
    return await build_schema().execute(
        query,
        variable_values=variables,
        context_value=make_context(store),
        operation_name=operation_name,
    )
