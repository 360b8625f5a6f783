"""Rendering a stream of nodes and edges in a format, as (file name, bytes) chunks: each file's
bytes contiguous, files in the format's order, memory bounded by one chunk (edges a
nodes-first format cannot place yet wait in a temporary file, not in memory)."""

from __future__ import annotations

import json
import tempfile
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import IO

from credgraph.export.columns import kind_name
from credgraph.export.formats.base import Format
from credgraph.model.values import EdgeType, NodeKind
from credgraph.model.views import CredentialChange, GraphEdge, GraphNode
from credgraph.store.base import GraphItem

CHUNK = 256 * 1024
HISTORY_BATCH = 500  # credentials per history read
History = Callable[[Sequence[str]], Awaitable[dict[str, list[CredentialChange]]]]
SPOOL_IN_MEMORY = 4 * 1024 * 1024


@dataclass
class Tally:
    """What went into an export: counts by kind and type, and the sources cited."""

    nodes: Counter[str] = field(default_factory=Counter)
    edges: Counter[str] = field(default_factory=Counter)
    sources: set[str] = field(default_factory=set)
    credential_ids: list[str] = field(default_factory=list)  # for their change history
    changes: int = 0

    def node(self, node: GraphNode) -> None:
        self.nodes[kind_name(node.kind)] += 1
        if node.kind is NodeKind.CREDENTIAL:
            self.credential_ids.append(node.id)
        source = node.properties.get("source_id")
        if isinstance(source, str):
            self.sources.add(source)

    def edge(self, edge: GraphEdge) -> None:
        self.edges[edge.type.value] += 1

    @property
    def empty(self) -> bool:
        return not self.nodes


def _spool(edge: GraphEdge, into: IO[str]) -> None:
    into.write(json.dumps([edge.type.value, edge.source, edge.target, edge.properties]) + "\n")


def _unspool(line: str) -> GraphEdge:
    type_, source, target, props = json.loads(line)
    return GraphEdge(EdgeType(type_), source, target, props)


async def render(
    items: AsyncIterator[GraphItem],
    fmt: Format,
    tally: Tally,
    *,
    interleaved: bool,
    history: History | None = None,
) -> AsyncIterator[tuple[str, bytes]]:
    """`interleaved`: the stream may send a node after an edge (a neighbourhood does, layer
    by layer; the whole graph sends every node first). `history`: where the exported
    credentials' change records come from, for formats that carry them."""
    name = fmt.files[0]
    buffer = bytearray(fmt.start())
    spool: IO[str] | None = None
    edges_open = False  # a nodes-first format has moved on to its edges

    def open_edges() -> tuple[str, bytes] | None:
        nonlocal name, buffer, edges_open
        edges_open = True
        if len(fmt.files) > 1:
            done = (name, bytes(buffer))
            name, buffer = fmt.files[1], bytearray(fmt.edges_start())
            return done
        buffer += fmt.between()
        return None

    try:
        async for item in items:
            if isinstance(item, GraphNode):
                if edges_open:
                    raise RuntimeError("a node arrived after the edges began; not interleaved?")
                tally.node(item)
                buffer += fmt.node(item)
            else:
                tally.edge(item)
                if fmt.nodes_first and interleaved:
                    if spool is None:
                        spool = tempfile.SpooledTemporaryFile(  # noqa: SIM115 (closed below)
                            max_size=SPOOL_IN_MEMORY, mode="w+", encoding="utf-8"
                        )
                    _spool(item, spool)
                    continue
                if fmt.nodes_first and not edges_open and (done := open_edges()):
                    yield done
                buffer += fmt.edge(item)
            if len(buffer) >= CHUNK:
                yield name, bytes(buffer)
                buffer.clear()
        if fmt.nodes_first and not edges_open and (done := open_edges()):
            yield done
        if spool is not None:
            spool.seek(0)
            for line in spool:
                buffer += fmt.edge(_unspool(line))
                if len(buffer) >= CHUNK:
                    yield name, bytes(buffer)
                    buffer.clear()
        if fmt.changes_file is not None:
            if fmt.changes_file != name:
                yield name, bytes(buffer)
                name, buffer = fmt.changes_file, bytearray(fmt.changes_start())
            ids = tally.credential_ids if history is not None else []
            for start in range(0, len(ids), HISTORY_BATCH):
                batch = ids[start : start + HISTORY_BATCH]
                assert history is not None
                found = await history(batch)
                for credential_id in batch:
                    for change in found.get(credential_id, ()):
                        tally.changes += 1
                        buffer += fmt.change(change)
                if len(buffer) >= CHUNK:
                    yield name, bytes(buffer)
                    buffer.clear()
        buffer += fmt.end()
        yield name, bytes(buffer)
    finally:
        if spool is not None:
            spool.close()
