"""Turning items into a format's bytes, one batch at a time: plain synchronous work, which
`stream.render` runs in a worker thread.

Each call takes a batch and returns the (file name, bytes) chunks completed by it: each file's
bytes contiguous, files in the format's order, a chunk sent once it reaches `CHUNK` bytes.
Edges a nodes-first format cannot place yet wait in a temporary file, not in memory.
"""

from __future__ import annotations

import json
import tempfile
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import IO

from credgraph.export.columns import edge_label, kind_name
from credgraph.export.formats.base import Format
from credgraph.model.values import EdgeType, NodeKind
from credgraph.model.views import CredentialChange, GraphEdge, GraphNode
from credgraph.store.base import GraphItem

CHUNK = 256 * 1024
SPOOL_IN_MEMORY = 4 * 1024 * 1024
Chunk = tuple[str, bytes]
_IN_FRAMEWORKS = frozenset({NodeKind.SKILL, NodeKind.OCCUPATION})


@dataclass
class Tally:
    """What went into an export: counts by kind and type, and the sources cited."""

    nodes: Counter[str] = field(default_factory=Counter)
    edges: Counter[str] = field(default_factory=Counter)
    sources: set[str] = field(default_factory=set)
    # Skills and occupations carry no source of their own: those of a taxonomy are cited
    # through the imports of their framework, by (kind, framework).
    frameworks: Counter[tuple[str, str]] = field(default_factory=Counter)
    unsourced: Counter[str] = field(default_factory=Counter)  # by kind: neither of the above
    credential_ids: list[str] = field(default_factory=list)  # for their change history
    changes: int = 0

    def node(self, node: GraphNode) -> None:
        self.nodes[kind_name(node.kind)] += 1
        if node.kind is NodeKind.CREDENTIAL:
            self.credential_ids.append(node.id)
        source = node.properties.get("source_id")
        framework = node.properties.get("framework")
        if isinstance(source, str):
            self.sources.add(source)
        elif node.kind in _IN_FRAMEWORKS and isinstance(framework, str):
            self.frameworks[kind_name(node.kind), framework] += 1
        else:
            self.unsourced[kind_name(node.kind)] += 1

    def edge(self, edge: GraphEdge) -> None:
        self.edges[edge_label(edge.type)] += 1

    @property
    def empty(self) -> bool:
        return not self.nodes


def _spool(edge: GraphEdge, into: IO[str]) -> None:
    into.write(json.dumps([edge.type.value, edge.source, edge.target, edge.properties]) + "\n")


def _unspool(line: str) -> GraphEdge:
    type_, source, target, props = json.loads(line)
    return GraphEdge(EdgeType(type_), source, target, props)


class Writer:
    """One export's bytes in `fmt`. `interleaved`: the stream may send a node after an edge
    (a neighbourhood does, layer by layer; the whole graph sends every node first)."""

    def __init__(self, fmt: Format, tally: Tally, *, interleaved: bool) -> None:
        self.fmt = fmt
        self.tally = tally
        self.interleaved = interleaved
        self.name = fmt.files[0]
        self.buffer = bytearray(fmt.start())
        self.spool: IO[str] | None = None
        self.edges_open = False  # a nodes-first format has moved on to its edges

    def items(self, batch: Iterable[GraphItem]) -> list[Chunk]:
        fmt, out = self.fmt, []
        for item in batch:
            if isinstance(item, GraphNode):
                if self.edges_open:
                    raise RuntimeError("a node arrived after the edges began; not interleaved?")
                self.tally.node(item)
                self.buffer += fmt.node(item)
            else:
                self.tally.edge(item)
                if fmt.nodes_first and self.interleaved:
                    _spool(item, self._spool_file())
                    continue
                if fmt.nodes_first and not self.edges_open:
                    out += self._open_edges()
                self.buffer += fmt.edge(item)
            out += self._full()
        return out

    def items_done(self) -> list[Chunk]:
        """After the last item: a nodes-first format's edges begin (held ones to follow)."""
        out = self._open_edges() if self.fmt.nodes_first and not self.edges_open else []
        if self.spool is not None:
            self.spool.seek(0)
        return out

    @property
    def holds_edges(self) -> bool:
        return self.spool is not None

    def held_edges(self, limit: int) -> tuple[list[Chunk], bool]:
        """Up to `limit` held edges written; True while more are held."""
        assert self.spool is not None
        out: list[Chunk] = []
        for _ in range(limit):
            line = self.spool.readline()
            if not line:
                return out, False
            self.buffer += self.fmt.edge(_unspool(line))
            out += self._full()
        return out, True

    def changes_begin(self) -> list[Chunk]:
        """Before the change records: their file begins, when it is a file of its own."""
        changes_file = self.fmt.changes_file
        if changes_file is None or changes_file == self.name:
            return []
        done = (self.name, bytes(self.buffer))
        self.name, self.buffer = changes_file, bytearray(self.fmt.changes_start())
        return [done]

    def changes(self, ids: Sequence[str], found: dict[str, list[CredentialChange]]) -> list[Chunk]:
        """The change records of credentials `ids`, in that order."""
        for credential_id in ids:
            for change in found.get(credential_id, ()):
                self.tally.changes += 1
                self.buffer += self.fmt.change(change)
        return self._full()

    def end(self) -> list[Chunk]:
        self.buffer += self.fmt.end()
        return [(self.name, bytes(self.buffer))]

    def close(self) -> None:
        if self.spool is not None:
            self.spool.close()

    def _spool_file(self) -> IO[str]:
        if self.spool is None:
            self.spool = tempfile.SpooledTemporaryFile(  # noqa: SIM115 (closed by close())
                max_size=SPOOL_IN_MEMORY, mode="w+", encoding="utf-8"
            )
        return self.spool

    def _open_edges(self) -> list[Chunk]:
        self.edges_open = True
        if len(self.fmt.files) > 1:
            done = (self.name, bytes(self.buffer))
            self.name, self.buffer = self.fmt.files[1], bytearray(self.fmt.edges_start())
            return [done]
        self.buffer += self.fmt.between()
        return []

    def _full(self) -> list[Chunk]:
        if len(self.buffer) < CHUNK:
            return []
        done = (self.name, bytes(self.buffer))
        self.buffer.clear()
        return [done]
