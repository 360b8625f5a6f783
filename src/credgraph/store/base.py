"""The store port: what the rest of credgraph may ask of a graph store, in the domain's words.

`GraphStore` is the union of the roles in `credgraph.store.ports` (reading, writing, the crawl
ledger, leases, the lifecycle); adapters (SQLite, Neo4j) subclass it and own their queries.
Callers that need one role ask for that role; callers that need several take a `GraphStore`.
One contract suite (tests/contract) runs against every adapter with the same inputs and
expects the same answers. Batch semantics are described in `credgraph.store.ports.writing`.
"""

from __future__ import annotations

from credgraph.store.ports import (
    CrawlLedger,
    GraphItem,
    GraphReader,
    GraphWriter,
    LeaseKeeper,
    StoreLifecycle,
)

__all__ = ["GraphItem", "GraphStore"]


class GraphStore(StoreLifecycle, GraphReader, GraphWriter, CrawlLedger, LeaseKeeper):
    """A graph of issuers, credentials, skills, occupations, sources and crawl runs."""
