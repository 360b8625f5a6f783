"""The roles a graph store plays, one protocol each; `credgraph.store.GraphStore` is all of
them, and each adapter (SQLite, Neo4j) implements it whole. A caller asks for the narrowest
role it uses:

- `GraphReader` (`CatalogueReader`, `EquivalenceReader`, `PostingReader`): the API, exports,
  analysis, matching and name resolution.
- `GraphWriter` (`CatalogueWriter`, `EquivalenceWriter`, `PostingWriter`): crawls and imports.
- `CrawlLedger`: sources, crawl runs, document states, stale marking.
- `LeaseKeeper`: the scheduler's leases.
- `StoreLifecycle`: open, close, ping, check.
"""

from credgraph.store.ports.equivalences import EquivalenceReader, EquivalenceWriter
from credgraph.store.ports.leases import LeaseKeeper
from credgraph.store.ports.ledger import CrawlLedger
from credgraph.store.ports.lifecycle import StoreLifecycle
from credgraph.store.ports.postings import PostingReader, PostingWriter
from credgraph.store.ports.reading import CatalogueReader, GraphItem, GraphReader
from credgraph.store.ports.writing import CatalogueWriter, GraphWriter

__all__ = [
    "CatalogueReader",
    "CatalogueWriter",
    "CrawlLedger",
    "EquivalenceReader",
    "EquivalenceWriter",
    "GraphItem",
    "GraphReader",
    "GraphWriter",
    "LeaseKeeper",
    "PostingReader",
    "PostingWriter",
    "StoreLifecycle",
]
