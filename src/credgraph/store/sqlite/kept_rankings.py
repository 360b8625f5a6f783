"""Search rankings, kept until the graph is written (SQLite search).

A search whose words are held by many rows asks FTS5 to score up to the candidate bound
of matches with bm25 before it can return the best twenty: "data" in a million-credential
graph names 12,500 skills, so each such search scored 10,000 rows (12-16 ms), the same rows
with the same statistics for as long as nothing was written. This keeps the best rows of
such a ranking, computed once, as a precomputed rank: the same statement with the same
parameters, its first `KEPT_RANKING_ROWS` rows kept and answered from until its full-text
index's version moves (a write of that index's rows, from any connection: `version.py`; a
crawl writing credentials leaves the skills' rankings kept).

Only the version a ranking was computed at answers from it, never a later one, so an answer
from a kept ranking is the answer the statement gives at that version, row for row and
score for score (bm25 is a function of the index alone). The first search after a write
pays the whole ranking again. Every ranking is kept, the least recently used dropped past
`CREDGRAPH_SEARCH_KEPT_RANKINGS`: what makes one dear is not only its words' counts (a
prefix such as `"data"*` merges the posting lists of every word it begins: 1.6 ms among a
million credentials' occupations, whose "data" alone is rare), and a cheap one kept costs
a hundred pairs of numbers and its query (at most 16 words of 100 characters: `words_of`).
"""

from __future__ import annotations

import sqlite3
import threading
from collections import OrderedDict

from credgraph.config.env import count_from_env
from credgraph.errors import StoreURLError

KEPT_RANKINGS_VARIABLE = "CREDGRAPH_SEARCH_KEPT_RANKINGS"
DEFAULT_KEPT_RANKINGS = 256  # rankings kept per store, the least recently used dropped
KEPT_RANKING_ROWS = 100  # rows kept of each: the API's largest page of search hits

Ranked = list[tuple[int, float]]  # (rowid, bm25), best first


def kept_rankings() -> int:
    """How many rankings a store keeps (`CREDGRAPH_SEARCH_KEPT_RANKINGS`, default 256; 0
    keeps none); raises StoreURLError naming the variable when it is not a whole number from
    0 to 100,000."""
    try:
        return count_from_env(KEPT_RANKINGS_VARIABLE, DEFAULT_KEPT_RANKINGS, low=0, high=100_000)
    except ValueError as exc:
        raise StoreURLError(str(exc)) from None


class KeptRankings:
    """The best rows of FTS5 rankings by (table, query, bound), each with the graph version it
    was computed at. Shared by a store's reader threads."""

    def __init__(self, size: int = DEFAULT_KEPT_RANKINGS, rows: int = KEPT_RANKING_ROWS) -> None:
        self.size = size
        self.rows = rows
        # (table, query, bound) -> (graph version, best rows, whether they are all the matches)
        self._kept: OrderedDict[tuple[str, str, int], tuple[int, Ranked, bool]] = OrderedDict()
        self._lock = threading.Lock()

    def ranked(
        self,
        conn: sqlite3.Connection,
        fts: str,
        query: str,
        bound: int,
        limit: int,
        version: int,
    ) -> Ranked:
        """The best `limit` of the first `bound` matches of `query` in `fts` by bm25, ties by
        rowid: kept from an earlier search at graph version `version` when there is one, else
        ranked now and kept. `version`: the index's (`version.search_version`)."""
        key = (fts, query, bound)
        with self._lock:
            found = self._kept.get(key)
            if found is not None and found[0] == version and (found[2] or limit <= len(found[1])):
                self._kept.move_to_end(key)
                return found[1][:limit]
        keeping = self.size > 0 and limit <= self.rows  # a deeper page is not kept
        depth = self.rows if keeping else limit
        # Outside the lock: this is the dear part, and other readers may rank other words.
        ranked: Ranked = conn.execute(
            f"SELECT rowid, r FROM (SELECT rowid, bm25({fts}, 10.0, 1.0) AS r FROM {fts} "
            f"WHERE {fts} MATCH ? LIMIT ?) ORDER BY r, rowid LIMIT ?",
            (query, bound, depth),
        ).fetchall()
        if keeping:
            with self._lock:
                self._kept[key] = (version, ranked, len(ranked) < depth)
                self._kept.move_to_end(key)
                while len(self._kept) > self.size:
                    self._kept.popitem(last=False)
        return ranked[:limit]
