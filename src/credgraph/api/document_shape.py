"""How deep a GraphQL document nests and how many aliased fields it holds, fragments expanded,
in time linear in the size of the document.

    depth, aliases = measure_shape(document)   # {operation: depth}, aliased fields in all

Strawberry's `QueryDepthLimiter` and `MaxAliasesLimiter` give the same answers, but walk
every fragment spread afresh: a 4 KB document that spreads one fragment 30 times per level
over six levels is 30^6 walks (minutes of CPU, before any limit refuses it). Here each
fragment is measured once and its figures reused wherever it is spread, so the work is one
pass over the definitions; the counts themselves may be astronomically large, and are exact
Python integers.

Depth follows `QueryDepthLimiter`: a field with a selection counts 1 plus its deepest child,
a leaf or an introspection field (`__schema`, `__type`...) counts 0, fragments and inline
fragments add nothing of their own. Introspection is bounded by the cost estimate instead
(`credgraph.api.query_cost`), which sizes its lists by the schema: the standard introspection
query nests `ofType` nine levels, past any depth limit set for the graph's data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)


@dataclass
class _Measure:
    fragments: Mapping[str, FragmentDefinitionNode]
    depths: dict[str, int] = field(default_factory=dict)
    aliases: dict[str, int] = field(default_factory=dict)
    visiting: set[str] = field(default_factory=set)

    def selection_set(self, selections: SelectionSetNode) -> tuple[int, int]:
        """(depth, aliased fields) of one selection set."""
        depth = aliases = 0
        # An explicit stack of selection sets at the same level keeps deep nesting of inline
        # fragments from recursing; fields recurse, and the parser's token limit bounds them.
        pending = [selections]
        while pending:
            for selection in pending.pop().selections:
                if isinstance(selection, FieldNode):
                    if selection.alias is not None:
                        aliases += 1
                    if selection.selection_set is not None:
                        child_depth, child_aliases = self.selection_set(selection.selection_set)
                        aliases += child_aliases
                        if not selection.name.value.startswith("__"):
                            depth = max(depth, 1 + child_depth)
                elif isinstance(selection, InlineFragmentNode):
                    pending.append(selection.selection_set)
                elif isinstance(selection, FragmentSpreadNode):
                    spread_depth, spread_aliases = self.fragment(selection.name.value)
                    depth = max(depth, spread_depth)
                    aliases += spread_aliases
        return depth, aliases

    def fragment(self, name: str) -> tuple[int, int]:
        if name in self.depths:
            return self.depths[name], self.aliases[name]
        fragment = self.fragments.get(name)
        if fragment is None or name in self.visiting:
            return 0, 0  # unknown or cyclic: graphql's own rules report it
        self.visiting.add(name)
        depth, aliases = self.selection_set(fragment.selection_set)
        self.visiting.discard(name)
        self.depths[name], self.aliases[name] = depth, aliases
        return depth, aliases


def measure_shape(document: DocumentNode) -> tuple[dict[OperationDefinitionNode, int], int]:
    """Each operation's depth, and the aliased fields of all operations, fragments expanded.

    Raises RecursionError for fields nested past the interpreter's stack (the caller refuses
    the document).
    """
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    measure = _Measure(fragments)
    depths: dict[OperationDefinitionNode, int] = {}
    aliases = 0
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            depth, count = measure.selection_set(definition.selection_set)
            depths[definition] = depth
            aliases += count
    return depths, aliases
