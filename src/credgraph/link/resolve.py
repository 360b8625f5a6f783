"""Resolving skill and occupation mentions to canonical taxonomy nodes.

Steps, first hit wins:

1. `exact-uri` (1.0): the mention's URI, or its id when that is a URI, is a node's.
   `exact-code` (1.0): its id is a framework node's (`onet:2.A.1.a`), or its code is a node's
   code in the framework it names; an O*NET-SOC code (`15-1252.00`, also read from an
   onetonline.org URI) or an O*NET element id (`2.B.3.e`) needs no framework name. A node
   known only from a mention (`onet-content-model:2.A.1.e`, learned from an alignment) is not
   the framework's: its own mention looks its code up like any other, where the framework's
   node wins, and resolves to it only when no framework node has the code.
2. `label-in-framework` (0.95): the normalised label is a preferred, else an alternative,
   label of exactly one node of the framework the mention names.
3. `label-any-framework` (0.9): exactly one node of any loaded framework carries the label.
4. `fuzzy` (score / 100): one node's label is close enough (see `link.fuzzy`); searched within
   the named framework when the index knows it, else across all.
5. `unresolved` (None): the mention is kept as it is, never dropped.

A framework the index does not know (or none) skips step 2 only. Results are cached per
mention (id, name, framework, uri, code): catalogs repeat the same mentions on every page.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Generic, TypeVar

from credgraph.link.frameworks import ONET, family_of_uri, framework_family
from credgraph.link.index import KindIndex, TaxonomyIndex
from credgraph.link.keys import is_onet_element, soc_code_in
from credgraph.model.copies import replaced
from credgraph.model.records import Credential, Occupation, OccupationLink, Skill, SkillLink

EXACT_URI = "exact-uri"
EXACT_CODE = "exact-code"
LABEL_IN_FRAMEWORK = "label-in-framework"
LABEL_ANY_FRAMEWORK = "label-any-framework"
FUZZY = "fuzzy"
UNRESOLVED = "unresolved"
# Methods whose link points at a canonical node (UNRESOLVED keeps the mention)
LINK_METHODS = frozenset({EXACT_URI, EXACT_CODE, LABEL_IN_FRAMEWORK, LABEL_ANY_FRAMEWORK, FUZZY})
CONFIDENCE = {EXACT_URI: 1.0, EXACT_CODE: 1.0, LABEL_IN_FRAMEWORK: 0.95, LABEL_ANY_FRAMEWORK: 0.9}
DEFAULT_THRESHOLD = 90.0  # fuzzy score (0-100); tuned on tests/fixtures/linking/labelled.csv
CACHE_SIZE = 200_000

Node = TypeVar("Node", Skill, Occupation)
Resolution = tuple[Node, str, float | None]


def _is_uri(value: str | None) -> bool:
    return bool(value) and str(value).startswith(("http://", "https://", "urn:"))


class _Resolver(Generic[Node]):
    def __init__(self, index: KindIndex[Node], threshold: float, soc_codes: bool) -> None:
        self.index: KindIndex[Node] = index
        self.threshold = threshold
        self.soc_codes = soc_codes
        self.cache: dict[Hashable, tuple[str | None, str, float | None]] = {}

    def resolve(self, mention: Node) -> Resolution[Node]:
        key = (mention.id, mention.name, mention.framework, mention.uri, mention.code)
        hit = self.cache.get(key)
        if hit is None:
            if len(self.cache) >= CACHE_SIZE:
                self.cache.clear()
            hit = self.cache[key] = self._resolve(mention)
        node_id, method, confidence = hit
        if node_id is None:
            return mention, method, confidence
        return self.index.refs[node_id], method, confidence

    def _resolve(self, m: Node) -> tuple[str | None, str, float | None]:
        ix = self.index
        family = framework_family(m.framework) or family_of_uri(m.uri)
        for uri in (m.uri, m.id if _is_uri(m.id) else None):
            if uri and (found := ix.lookup_uri(uri)):
                return found, EXACT_URI, 1.0
        own = not _is_uri(m.id) and m.id in ix.refs
        if own and not ix.is_from_mention(m.id):
            return m.id, EXACT_CODE, 1.0
        if found := self._code(m, family):
            return found, EXACT_CODE, 1.0
        if own:  # known from mentions only, and no framework node has its code
            return m.id, EXACT_CODE, 1.0
        known = family is not None and ix.knows_family(family)
        if known and family and (found := ix.lookup_label(family, m.name)):
            return found, LABEL_IN_FRAMEWORK, CONFIDENCE[LABEL_IN_FRAMEWORK]
        if found := ix.lookup_label_any(m.name):
            return found, LABEL_ANY_FRAMEWORK, CONFIDENCE[LABEL_ANY_FRAMEWORK]
        fuzzy = ix.fuzzy(m.name, self.threshold, family if known else None)
        if fuzzy is not None:
            return fuzzy.node_id, FUZZY, round(fuzzy.score / 100, 4)
        return None, UNRESOLVED, None

    def _code(self, m: Node, family: str | None) -> str | None:
        code = (m.code or "").strip()
        if code and family and (found := self.index.lookup_code(family, code)):
            return found
        if family not in (None, ONET):
            return None
        if code and is_onet_element(code):
            return self.index.lookup_code(ONET, code)
        if self.soc_codes:
            for text in (code, m.uri if family_of_uri(m.uri) == ONET else None):
                soc = soc_code_in(text) if text else None
                if soc and (found := self.index.lookup_code(ONET, soc)):
                    return found
        return None


class Linker:
    """Resolves mentions against a `TaxonomyIndex`. Pure: results depend on the mention and
    the index only (the index builds its fuzzy tables lazily; results are cached)."""

    def __init__(self, index: TaxonomyIndex, *, threshold: float = DEFAULT_THRESHOLD) -> None:
        self.index = index
        self.threshold = threshold
        self._skills = _Resolver(index.skills, threshold, soc_codes=False)
        self._occupations = _Resolver(index.occupations, threshold, soc_codes=True)

    def learn(
        self, nodes: Iterable[Skill | Occupation], *, from_mentions: bool = False
    ) -> list[Skill | Occupation]:
        """Add the framework skills and occupations the index does not have yet, so that
        mentions resolve to them from now on; the nodes added, in order. `from_mentions`: the
        nodes are what mentions named (an issuer's alignment to an ESCO URI, an O*NET code),
        not records of their own, and give way to the framework's nodes (`KindIndex.fold`).
        Issuer-local `label:` nodes are not framework nodes and are never added."""
        added: list[Skill | Occupation] = []
        for node in nodes:
            if isinstance(node, Skill):
                known = node.id in self.index.skills.refs
                self.index.add_skill(node, from_mention=from_mentions)
                if not known and node.id in self.index.skills.refs:
                    added.append(node)
            else:
                known = node.id in self.index.occupations.refs
                self.index.add_occupation(node, from_mention=from_mentions)
                if not known and node.id in self.index.occupations.refs:
                    added.append(node)
        if added:  # an unresolved mention may resolve now
            self._skills.cache.clear()
            self._occupations.cache.clear()
        return added

    def link_skill(self, mention: Skill) -> tuple[Skill, str, float | None]:
        return self._skills.resolve(mention)

    def link_occupation(self, mention: Occupation) -> tuple[Occupation, str, float | None]:
        return self._occupations.resolve(mention)

    def link_credential(self, c: Credential) -> Credential:
        """A copy whose skill and occupation links point at canonical nodes, with method and
        confidence set; links that resolve to the same node (and relation) are merged. Links
        this linker made already (a method of `LINK_METHODS`) are kept as they are, so
        linking a linked credential changes nothing."""
        skills = merge_skill_links(self._skill_link(link) for link in c.skills)
        occupations = merge_occupation_links(self._occupation_link(o) for o in c.occupations)
        if skills == c.skills and occupations == c.occupations:
            return c
        return replaced(c, skills=skills, occupations=occupations)

    def _skill_link(self, link: SkillLink) -> SkillLink:
        if link.method in LINK_METHODS:
            return link
        skill, method, confidence = self.link_skill(link.skill)
        return SkillLink(skill, link.relation, method, confidence)

    def _occupation_link(self, link: OccupationLink) -> OccupationLink:
        if link.method in LINK_METHODS:
            return link
        occupation, method, confidence = self.link_occupation(link.occupation)
        return OccupationLink(occupation, method, confidence)


def rank(method: str | None, confidence: float | None) -> tuple[int, float]:
    """Orders links: canonical before unresolved, then by confidence."""
    return (1 if method in LINK_METHODS else 0, confidence or 0.0)


def merge_skill_links(links: Iterable[SkillLink]) -> tuple[SkillLink, ...]:
    """One link per skill (two mentions that link to one node, even one taught and one
    assessed, are one link): the first keeps its place, the best one is kept."""
    kept: dict[str, SkillLink] = {}
    for link in links:
        old = kept.get(link.skill.id)
        if old is None or rank(link.method, link.confidence) > rank(old.method, old.confidence):
            kept[link.skill.id] = link
    return tuple(kept.values())


def merge_occupation_links(links: Iterable[OccupationLink]) -> tuple[OccupationLink, ...]:
    """One link per occupation: the first keeps its place, the best one is kept."""
    kept: dict[str, OccupationLink] = {}
    for link in links:
        old = kept.get(link.occupation.id)
        if old is None or rank(link.method, link.confidence) > rank(old.method, old.confidence):
            kept[link.occupation.id] = link
    return tuple(kept.values())
