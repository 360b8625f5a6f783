"""What every export format provides: bytes for the start, each node, each edge and the end
of its file(s). A format that must list every node before any edge (CSV tables, node-link
JSON) says so, and the driver holds edges back (on disk) when the stream interleaves them."""

from __future__ import annotations

import abc
import re

from credgraph.model.views import CredentialChange, GraphEdge, GraphNode

# Characters XML 1.0 forbids, and lone surrogates no UTF-8 encoder accepts: hostile text in
# a catalog must not make an export unreadable.
_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean(text: str) -> str:
    return _INVALID.sub("\ufffd", text)


class Format(abc.ABC):
    name: str
    media_type: str
    # The files of one export, in writing order: one, or nodes then edges.
    files: tuple[str, ...]
    nodes_first: bool = False  # every node before any edge (and `between` in the middle)

    def start(self) -> bytes:
        return b""

    @abc.abstractmethod
    def node(self, node: GraphNode) -> bytes: ...

    def between(self) -> bytes:
        """After the last node, before the first edge (nodes_first formats only)."""
        return b""

    def edges_start(self) -> bytes:
        """The start of the edges file (two-file formats only)."""
        return b""

    @abc.abstractmethod
    def edge(self, edge: GraphEdge) -> bytes: ...

    # The file credentials' change records go to (after every node and edge), or None when
    # the format has no place for them.
    changes_file: str | None = None

    def changes_start(self) -> bytes:
        return b""

    def change(self, change: CredentialChange) -> bytes:
        """Rows for one version step of a credential (formats with a `changes_file`)."""
        return b""

    def end(self) -> bytes:
        return b""
