"""The Neo4j store adapter.

Layout in the database:
- `(:Issuer|Credential|Skill|Occupation {id, name, name_key, content_hash, doc, search_body,
  stub, first_seen, updated_at, ...})`: the flat fields of `credgraph.store.mapping` plus the
  record's JSON `doc` and its `fingerprint` (16 bytes, `credgraph.model.fingerprint`; none on
  a stub, nor on a record stored before they were kept); credentials also carry `last_seen`, `stale`, `miss_count`, `version`,
  `provenance` (JSON list, one entry per source and URL) and `source_ids`.
- Relationships of `EdgeType` (never FROM_SOURCE) with the `owner` record's id and the
  mapping's edge properties.
- `(:Ref {ref_kind, id})` stands in for a credential or skill that is linked to but not stored
  yet; it becomes the real node when that record arrives.
- `(:CredentialVersion {credential_id, seq, changed_at, changes})` per credential change.
- `(:Source {id, format, content_hash, doc, last_full_run})`, `(:CrawlRun {id, source_id, status,
  started_at, doc})`, `(:CrawlDocument {source_id, url, doc})` (document states of crawls).
"""

from credgraph.store.neo4j.store import Neo4jStore

__all__ = ["Neo4jStore"]
