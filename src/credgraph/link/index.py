"""An in-memory index of the canonical skills and occupations the linker resolves mentions to.

Only nodes that belong to a framework are indexed (a framework name, or an ESCO/O*NET URI);
issuer-local `label:` nodes never are: they are what linking resolves *from*. Each node is
kept as a slim reference (id, name, framework, uri, code) so that a credential embedding it
does not change when a taxonomy release rewrites a description.

Lookups, per kind: exact URI, node id, (framework family, code), normalised preferred or
alternative label within a family, normalised label in any family, and fuzzy over all labels
(or one family's). A node that declares itself `same_as` another candidate of the same lookup
is folded into it, so a framework republished elsewhere (O*NET's basic skills as CTDL-ASN) or
a crosswalk does not make a label ambiguous.

A node known only from a mention (an issuer's alignment naming a code or URI of a framework:
a stub in the store) is indexed too, so that other mentions meet it while the framework is not
loaded; but it is not the framework's concept: wherever one of the framework's own nodes is
also a candidate, the mention's node gives way to it (`from_mentions`). Otherwise an alignment
to O*NET element 2.A.1.e crawled before O*NET was imported would make the code ambiguous, its
own node `onet-content-model:2.A.1.e` beside O*NET's `onet:2.A.1.e`, forever.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from credgraph.collector import paused
from credgraph.link.frameworks import family_of_uri, framework_family
from credgraph.link.fuzzy import FuzzyHit, FuzzyTable
from credgraph.link.keys import code_key, derived_labels, label_key
from credgraph.model.ids import normalise_uri
from credgraph.model.records import Occupation, Skill
from credgraph.model.values import NodeKind
from credgraph.model.views import GraphEdge, GraphNode
from credgraph.store.base import GraphStore

Node = TypeVar("Node", Skill, Occupation)
_SCHEME = re.compile(r"^https?://(www\.)?")
_BATCH = 5000
_PLAIN_URI = re.compile(r"https?://[a-z0-9.-]+(/[A-Za-z0-9._~-]+)+")


def uri_key(uri: str | None) -> str | None:
    """A concept URI for comparison: normalised, and blind to http/https and a `www.` host
    prefix (issuers write ESCO's `http://data.europa.eu/...` URIs with https, too)."""
    if not uri or not uri.strip():
        return None
    if _PLAIN_URI.fullmatch(uri):  # already normal (ESCO's and O*NET's are): skip the parse
        text = uri
    else:
        try:
            text = normalise_uri(uri)
        except ValueError:
            return uri.strip()
    return _SCHEME.sub("//", text, count=1)


def _is_uri(value: str | None) -> bool:
    return bool(value) and str(value).startswith(("http://", "https://", "urn:"))


def belongs_to_framework(node_id: str, framework: str | None, uri: str | None) -> bool:
    """Canonical material: not an issuer-local label node, and in a named framework."""
    return not node_id.startswith("label:") and bool(
        framework_family(framework) or family_of_uri(uri)
    )


REBUILD_AFTER_KEYS = 1_000  # keys put into a fuzzy table, at least, before it is rebuilt


@dataclass
class KindIndex(Generic[Node]):
    """The index of one kind of node (skills, or occupations)."""

    refs: dict[str, Node] = field(default_factory=dict)
    family: dict[str, str] = field(default_factory=dict)
    same_as: dict[str, frozenset[str]] = field(default_factory=dict)
    # lookup key -> ids (tuples: most keys name one node, and a tuple is a quarter of a set)
    by_uri: dict[str, tuple[str, ...]] = field(default_factory=dict)
    by_code: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)
    preferred: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)
    alternative: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)
    any_label: dict[str, tuple[str, ...]] = field(default_factory=dict)
    families: set[str] = field(default_factory=set)
    from_mentions: set[str] = field(default_factory=set)  # ids known only from a mention
    _fuzzy: dict[str | None, FuzzyTable] = field(default_factory=dict)

    def add(
        self,
        ref: Node,
        alt_labels: Iterable[str],
        same_as: Iterable[str],
        *,
        from_mention: bool = False,
    ) -> None:
        """Index a node under its id, URI, code and label keys. Derived keys (see
        `keys.derived_labels`) count as alternative labels; a node coded with an 8-digit
        UNSPSC commodity code (O*NET's technology categories) is a category, not a product.
        `from_mention`: the node is known only from a mention; the same id added later as a
        record of its own (a framework document defining it) is the framework's from then."""
        if ref.id in self.refs:  # the first record of an id wins, as a store keeps one node
            if not from_mention:
                self.from_mentions.discard(ref.id)
            return
        family = framework_family(ref.framework) or family_of_uri(ref.uri)
        if family is None:
            return
        self.refs[ref.id] = ref
        if from_mention:
            self.from_mentions.add(ref.id)
        self.family[ref.id] = family
        self.families.add(family)
        self.same_as[ref.id] = frozenset(same_as)
        for raw in {u for u in (ref.id, ref.uri) if u and _is_uri(u)}:  # an id may be a URI
            if (uri := uri_key(raw)) is not None:
                _put(self.by_uri, uri, ref.id)
        if ref.code and ref.code.strip():
            _put(self.by_code, (family, code_key(ref.code)), ref.id)
        key = label_key(ref.name)
        if key:
            _put(self.preferred, (family, key), ref.id)
            _put(self.any_label, key, ref.id)
        alternatives: set[str] = {label_key(a) for a in alt_labels}
        product = not (ref.code and len(ref.code) == 8 and ref.code.isdigit())
        alternatives.update(
            d for text in (ref.name, *alt_labels) for d in derived_labels(text, product=product)
        )
        for alt in alternatives - {key, ""}:
            _put(self.alternative, (family, alt), ref.id)
            _put(self.any_label, alt, ref.id)
        # The fuzzy tables built so far (all labels, and this node's family) learn its keys;
        # one that has grown by a tenth is dropped instead, to be built again when next used
        # (each key put moves the keys after it: a taxonomy's thousands cost more than a build).
        for table_family, table in list(self._fuzzy.items()):
            if table_family is None or table_family == family:
                if table.grown >= max(REBUILD_AFTER_KEYS, len(table) // 10):
                    del self._fuzzy[table_family]
                    continue
                for label in {key, *alternatives} - {""}:
                    ids = self.any_label[label]
                    if table_family is not None:
                        ids = tuple(i for i in ids if self.family[i] == table_family)
                    table.put(label, ids)

    def declare_same(self, node_id: str, other: str) -> None:
        """`node_id` defers to `other` (a crosswalk pair: its first side defers to its
        second), unless `other` already defers to it: both dropping would leave neither."""
        if (
            node_id in self.refs
            and other not in self.same_as.get(node_id, frozenset())
            and (node_id not in self.same_as.get(other, frozenset()))
        ):
            self.same_as[node_id] = self.same_as.get(node_id, frozenset()) | {other}

    def fold(self, ids: set[str]) -> set[str]:
        """Drop candidates that declare themselves the same as another candidate, and nodes
        known only from a mention when a framework's own node is a candidate too."""
        if len(ids) < 2:
            return ids
        ids = {i for i in ids if not (self.same_as.get(i, frozenset()) & (ids - {i}))}
        frameworks = ids - self.from_mentions
        return frameworks if frameworks else ids

    def is_from_mention(self, node_id: str) -> bool:
        """Whether the node is known only from a mention, not as a framework's concept."""
        return node_id in self.from_mentions

    def _one(self, ids: tuple[str, ...] | None) -> str | None:
        if not ids:
            return None
        folded = self.fold(set(ids))
        return next(iter(folded)) if len(folded) == 1 else None

    def by_id(self, node_id: str) -> Node | None:
        return self.refs.get(node_id)

    def lookup_uri(self, uri: str | None) -> str | None:
        key = uri_key(uri)
        return self._one(self.by_uri.get(key)) if key else None

    def lookup_code(self, framework: str, code: str) -> str | None:
        """The node with this code in a framework (a name such as "O*NET-SOC", or a family
        key such as "onet": `framework_family` maps a family key to itself)."""
        family = framework_family(framework) or framework
        return self._one(self.by_code.get((family, code_key(code))))

    def lookup_label(self, framework: str, label: str) -> str | None:
        """A unique node of the framework whose preferred label, else alternative label,
        matches."""
        family = framework_family(framework) or framework
        key = label_key(label)
        preferred = self.fold(set(self.preferred.get((family, key), ())))
        if preferred:
            return next(iter(preferred)) if len(preferred) == 1 else None
        return self._one(self.alternative.get((family, key)))

    def lookup_label_any(self, label: str) -> str | None:
        """The node carrying this label in any family, when exactly one does."""
        return self._one(self.any_label.get(label_key(label)))

    def knows_family(self, framework: str) -> bool:
        return (framework_family(framework) or framework) in self.families

    def fuzzy(self, label: str, cutoff: float, framework: str | None = None) -> FuzzyHit | None:
        """The one best fuzzy match over all labels (or one framework's) at or above `cutoff`
        (0-100); the per-framework tables are built on first use."""
        family = framework_family(framework) if framework else None
        table = self._fuzzy.get(family)
        if table is None:
            keys: dict[str, tuple[str, ...]] = {}
            for key, ids in self.any_label.items():
                mine = ids if family is None else tuple(i for i in ids if self.family[i] == family)
                if mine:
                    keys[key] = mine
            table = self._fuzzy[family] = FuzzyTable(keys)
        return table.best(label_key(label), cutoff, self.fold)


@dataclass
class TaxonomyIndex:
    """Canonical skills and occupations, looked up by URI, code, label or fuzzily."""

    skills: KindIndex[Skill] = field(default_factory=KindIndex)
    occupations: KindIndex[Occupation] = field(default_factory=KindIndex)

    def __len__(self) -> int:
        return len(self.skills.refs) + len(self.occupations.refs)

    def add_skill(self, s: Skill, *, from_mention: bool = False) -> None:
        if belongs_to_framework(s.id, s.framework, s.uri):
            ref = Skill(id=s.id, name=s.name, framework=s.framework, uri=s.uri, code=s.code)
            self.skills.add(ref, s.alt_labels, s.same_as, from_mention=from_mention)

    def add_occupation(self, o: Occupation, *, from_mention: bool = False) -> None:
        if belongs_to_framework(o.id, o.framework, o.uri):
            ref = Occupation(id=o.id, name=o.name, code=o.code, framework=o.framework, uri=o.uri)
            self.occupations.add(ref, o.alt_labels, (), from_mention=from_mention)

    @classmethod
    def from_records(
        cls, skills: Iterable[Skill] = (), occupations: Iterable[Occupation] = ()
    ) -> TaxonomyIndex:
        index = cls()
        with paused():
            for s in skills:
                index.add_skill(s)
            for o in occupations:
                index.add_occupation(o)
        return index

    def add_graph_node(self, node: GraphNode) -> None:
        """A Skill or Occupation node as `iter_graph` streams it (flat properties); a stub
        is a node known only from a mention."""
        p = node.properties
        name = _text(p.get("name"))
        if node.kind not in (NodeKind.SKILL, NodeKind.OCCUPATION) or not name:
            return
        framework, uri, code = _text(p.get("framework")), _text(p.get("uri")), _text(p.get("code"))
        alt = _split(p.get("alt_labels"))
        if node.kind is NodeKind.SKILL:
            self.add_skill(
                Skill(
                    id=node.id,
                    name=name,
                    framework=framework,
                    uri=uri,
                    code=code,
                    alt_labels=alt,
                    same_as=_split(p.get("same_as")),
                ),
                from_mention=node.stub,
            )
        else:
            self.add_occupation(
                Occupation(
                    id=node.id, name=name, code=code, framework=framework, uri=uri, alt_labels=alt
                ),
                from_mention=node.stub,
            )


K = TypeVar("K")


def _put(into: dict[K, tuple[str, ...]], key: K, node_id: str) -> None:
    ids = into.get(key, ())
    if node_id not in ids:
        into[key] = (*ids, node_id)


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _split(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(v for v in value.split("|") if v.strip())
    if isinstance(value, (list, tuple)):
        return tuple(str(v) for v in value if str(v).strip())
    return ()


async def load_index(store: GraphStore) -> TaxonomyIndex:
    """The index of every framework Skill and Occupation node in `store`.

    Cost: the store port has no scan by node kind, so this streams every node once (issuers
    and credentials are read and dropped) in the store's own batches; it stops at the first
    edge, so edges are never read. Measured on an ESCO-sized synthetic release in SQLite
    (17,600 skills and occupations, ~4 alternative labels each): about 2 s, and about 3 KB
    per indexed node, plus about 2 KB per node once the fuzzy tables are built (on the first
    fuzzy lookup). A full ESCO + O*NET import (~30,000 nodes) is thus a few seconds and
    100-150 MB. Load it once per crawl run, never per document.
    """
    index = TaxonomyIndex()
    async for batch in _framework_batches(store):
        with paused():  # no await inside: other tasks never run with the collector off
            for node in batch:
                index.add_graph_node(node)
    declare_equivalences(index, await store.equivalence_pairs())
    return index


def declare_equivalences(index: TaxonomyIndex, pairs: Iterable[tuple[NodeKind, str, str]]) -> None:
    """The equivalences crosswalks state (a skill's own same_as comes with its node)."""
    for kind, node_id, other in pairs:
        of_kind = index.skills if kind is NodeKind.SKILL else index.occupations
        of_kind.declare_same(node_id, other)


async def framework_nodes(store: GraphStore) -> list[GraphNode]:
    """Every framework Skill and Occupation node of `store`, read as `load_index` reads them
    (one stream of the nodes, stopping at the first edge), for an index built elsewhere."""
    return [node async for batch in _framework_batches(store) for node in batch]


async def _framework_batches(store: GraphStore) -> AsyncIterator[list[GraphNode]]:
    """The framework Skill and Occupation nodes of `store`, `_BATCH` at a time: one stream
    of the graph's nodes (they come before its edges), stopped at the first edge."""
    pending: list[GraphNode] = []
    items: AsyncIterator[GraphNode | GraphEdge] = store.iter_graph()
    try:
        async for item in items:
            if isinstance(item, GraphEdge):
                break
            if item.kind in (NodeKind.SKILL, NodeKind.OCCUPATION):
                pending.append(item)
                if len(pending) >= _BATCH:
                    yield pending
                    pending = []
        if pending:
            yield pending
    finally:
        close = getattr(items, "aclose", None)
        if close is not None:  # leaving early: let the store release its cursor/session
            await close()


def index_of(
    nodes: Iterable[GraphNode], pairs: Iterable[tuple[NodeKind, str, str]]
) -> TaxonomyIndex:
    """The index of `nodes` and the equivalences `pairs` state: seconds of CPU at ESCO size
    (about 2 s for 23,000 skills), so a caller on an event loop runs it in a thread. The
    cyclic collector is paused meanwhile, process-wide (`credgraph.collector.paused`): the
    loop's tasks allocate while it is, and are collected once it is back on, a few seconds
    later."""
    index = TaxonomyIndex()
    with paused():
        for node in nodes:
            index.add_graph_node(node)
    declare_equivalences(index, pairs)
    return index
