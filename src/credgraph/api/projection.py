"""What a query document asks of credentials, read once per document from its selection sets,
so the store reads only that (`credgraph.model.views.Projection`) instead of whole views.

A document qualifies when it is a query whose root fields are all lookups, pages or
comparisons of credentials (or need no credential at all), and whose selections on
credentials, issuers, skills, occupations and money stay within the flat fields a projected
view carries; anything else (a description, transparency's lists, provenance, stacked
credentials...) gets whole views. Fields are collected per type over the whole document
(fragments included), so a skill named anywhere is read with every field asked of skills
anywhere: a view shared by two selections answers both. Within those flat fields, only the
ones selected are read (`Projection.credential_fields` and the like): a page that shows
names and hours reads no URLs.

    projection_of(schema, document, operation_name)  # None: whole views
"""

from __future__ import annotations

from collections import OrderedDict, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from weakref import WeakKeyDictionary

from graphql import (
    DocumentNode,
    FieldNode,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
    TypeInfo,
    TypeInfoVisitor,
    Visitor,
    get_named_type,
    visit,
)
from strawberry.extensions import SchemaExtension
from strawberry.schema.base import BaseSchema

from credgraph.api.context import Context
from credgraph.api.core_schema import core_schema
from credgraph.api.documents import MAX_CACHED_QUERY_CHARS
from credgraph.model.views import Projection

# Root fields that read credentials only through the request's projected loaders and pages,
# or read none.
ROOTS = frozenset(
    {"credential", "credentials", "compareCredentials", "search", "matchJob", "__typename"}
)

# What a projected view answers, per GraphQL type (anything else selected: whole views).
FLAT: dict[str, frozenset[str]] = {
    "Credential": frozenset(
        {
            "id",
            "name",
            "type",
            "url",
            "ctid",
            "language",
            "durationHours",
            "cost",
            "issuer",
            "skills",
            "occupations",
            "transparency",
            "__typename",
        }
    ),
    "Issuer": frozenset({"id", "name", "country", "ctid", "url", "__typename"}),
    "Skill": frozenset({"id", "name", "framework", "uri", "code", "__typename"}),
    "Occupation": frozenset({"id", "name", "framework", "uri", "code", "__typename"}),
    "Transparency": frozenset({"score", "__typename"}),
    # `rows` tabulates every field of the compared credentials.
    "CredentialComparison": frozenset(
        {"credentials", "sharedSkills", "uniqueSkills", "similarity", "unknownIds", "__typename"}
    ),
}


# The store's flat fields (credgraph.store.projected) each GraphQL field reads, by kind;
# fields not named here (ids, names, the credential's type) are always read.
CREDENTIAL_FIELDS: dict[str, tuple[str, ...]] = {
    "url": ("url",),
    "ctid": ("ctid",),
    "language": ("language",),
    "durationHours": ("duration_hours",),
    "cost": ("cost_amount", "cost_currency"),
    "transparency": ("transparency",),
}
NODE_FIELDS: dict[str, tuple[str, ...]] = {  # issuers, skills and occupations
    "country": ("country",),
    "ctid": ("ctid",),
    "url": ("url",),
    "framework": ("framework",),
    "uri": ("uri",),
    "code": ("code",),
}


def _store_fields(selected: set[str], reads: dict[str, tuple[str, ...]]) -> frozenset[str]:
    """The store fields that the GraphQL fields `selected` of one type read."""
    return frozenset(f for name in selected for f in reads.get(name, ()))


@dataclass
class _Selected(Visitor):
    """Field names selected per parent type, and whether a page asks for its count."""

    type_info: TypeInfo

    def __post_init__(self) -> None:
        super().__init__()
        self.fields: dict[str, set[str]] = defaultdict(set)

    def enter_field(self, node: FieldNode, *_: object) -> None:
        parent = self.type_info.get_parent_type()
        if parent is not None:
            self.fields[get_named_type(parent).name].add(node.name.value)


def _operation(document: DocumentNode, name: str | None) -> OperationDefinitionNode | None:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if name is None:
        return operations[0] if len(operations) == 1 else None
    return next((o for o in operations if o.name and o.name.value == name), None)


def projection_of(
    schema: GraphQLSchema, document: DocumentNode, operation_name: str | None
) -> Projection | None:
    """The projection `document`'s operation needs, or None when it needs whole views."""
    operation = _operation(document, operation_name)
    if operation is None or operation.operation is not OperationType.QUERY:
        return None
    type_info = TypeInfo(schema)
    selected = _Selected(type_info)
    # Other operations of the document and the fragments they alone use widen the union:
    # harmless (whole views are always right), and one walk.
    visit(document, TypeInfoVisitor(type_info, selected))
    fields = selected.fields
    if not fields[schema.query_type.name if schema.query_type else "Query"] <= ROOTS:
        return None
    for type_name, names in fields.items():
        if type_name in FLAT and not names <= FLAT[type_name]:
            return None
    credential = fields.get("Credential", set())
    compares = "compareCredentials" in fields.get("Query", set())
    # A job match orders its ties by the credentials' hours, finds what stands for the job's
    # occupation by its code and framework (read through the loaders, which views of this
    # request may have primed) and says the code in `why`, whether or not the query selects
    # them.
    matches = "matchJob" in fields.get("Query", set())
    return Projection(
        credential_fields=_store_fields(credential, CREDENTIAL_FIELDS)
        | (frozenset({"duration_hours"}) if matches else frozenset()),
        issuer_fields=_store_fields(fields.get("Issuer", set()), NODE_FIELDS),
        skill_fields=_store_fields(fields.get("Skill", set()), NODE_FIELDS),
        occupation_fields=_store_fields(fields.get("Occupation", set()), NODE_FIELDS)
        | (frozenset({"code", "framework"}) if matches else frozenset()),
        issuer="issuer" in credential,
        # A comparison names its shared and unique skills from the compared views.
        skills="skills" in credential or compares,
        occupations="occupations" in credential,
        # Whether the count is exact needs the count as much as the count does.
        total_count=bool(
            {"totalCount", "totalCountIsExact"} & fields.get("CredentialConnection", set())
        ),
    )


class _Documents:
    """Projections by (query text, operation name) for one schema, the oldest forgotten past
    `size`. A text longer than `MAX_CACHED_QUERY_CHARS` is projected each time, as the
    checked-document cache does not keep it either: padded with blanks or comments (which
    the token limit does not count) to the 1 MB a request may carry, 512 kept texts would
    hold half a gigabyte."""

    def __init__(self, schema: GraphQLSchema, size: int = 512) -> None:
        self.schema = schema
        self.size = size
        self.known: OrderedDict[tuple[str, str | None], Projection | None] = OrderedDict()

    def get(self, query: str, document: DocumentNode, name: str | None) -> Projection | None:
        key = (query, name)
        if key in self.known:
            self.known.move_to_end(key)
            return self.known[key]
        projection = projection_of(self.schema, document, name)
        if len(query) > MAX_CACHED_QUERY_CHARS:
            return projection
        self.known[key] = projection
        if len(self.known) > self.size:
            self.known.popitem(last=False)
        return projection


_BY_SCHEMA: WeakKeyDictionary[BaseSchema, _Documents] = WeakKeyDictionary()


def _documents_of(schema: BaseSchema) -> _Documents:
    found = _BY_SCHEMA.get(schema)
    if found is None:
        found = _BY_SCHEMA[schema] = _Documents(core_schema(schema))
    return found


class Projections(SchemaExtension):
    """Gives each request's loaders the projection of its document before it executes."""

    def on_execute(self) -> Iterator[None]:
        ctx = self.execution_context
        context = ctx.context
        # A context serves one operation (`make_context`): its loaders hold no views yet.
        if (
            isinstance(context, Context)
            and not context.loaders.views
            and ctx.query
            and ctx.graphql_document is not None
        ):
            context.loaders.projection = _documents_of(ctx.schema).get(
                ctx.query, ctx.graphql_document, ctx.operation_name
            )
        yield
