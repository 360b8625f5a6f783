"""Full-text search on SQLite (`GraphStore.search`): the best hits of each kind by bm25.

FTS5 ranks by bm25, and three of its costs grow with the index rather than with the answer
(a million credentials, docs/benchmark-log.md "Scale on SQLite"):

- it scores every match before it can order them (0.6 s for a word in every row);
- bm25 counts the rows holding each word of the query, for the word's IDF, by reading the
  word's whole posting list, on every query (24 ms for a word in every row, whatever else
  the query asks);
- a prefix (`"data"*`) merges the posting lists of every word it begins before it yields a
  row (26-40 ms for a common word).

So a search here, per kind:

1. ranks at most `candidates` matches, the first the index holds (rowid order): below that
   bound the answer is that of ranking every match (bm25 takes its statistics from the whole
   index, not from the candidates);
2. counts the rows holding each word once and keeps the count (`TermCounts`): for as long as
   the kind's full-text index is not written, and after a write for up to a minute while the kind's size stays
   within a tenth of what it was (a word's share of the rows moves slowly; a rewrite in place
   could move it, so a count is never older than that minute once the graph changed). A
   count is kept per text as typed: FTS5 folds case its own way, not as Python does. A word
   with no letter or digit ("_") is no token to FTS5 and is left out;
3. matches the last word as a prefix (the text may be half typed) unless the text with that
   word as typed already has at least `candidates` matches: the candidates are then those.
   A last word that alone fills the bound is scored as typed, its completions matched but
   not scored, so the word as typed ranks before them (as on Neo4j). When such a last word
   (common as typed, so its completions are too) follows words held by at most `POOL_ROWS`
   rows, the completions are matched among those rows only:
   the rows holding the last word as typed are found in the index, and the others' text is
   indexed apart, in memory, by the kind's own table definition (its tokenizer), and matched
   there; FTS5 would merge the posting lists of every word the prefix begins first;
4. matches a word held by more than half of the kind's rows but does not score it: FTS5 gives
   such a word an IDF of 10^-6, so scoring it would move a score by at most some 2x10^-6 (the
   IDF times bm25's weight of the word in the row, below k1 + 1 = 2.2) and cost reading its
   whole posting list. The other words are scored with bm25 on the candidates (read over the
   candidates' rowid range for the rows holding every scored word, up to four times the
   bound; past that, every word is scored). When every word is that common, the matches come
   unscored (score 0): those with every word in their name first, then the others, each in
   index order;
5. ranks the kinds in the order of the best score bm25 could give any of their rows (each
   word's IDF times k1 + 1, the IDF from its count and the kind's highest rowid), and does not
   rank a kind whose best is below the last score of a full page: "data", in half of a
   million credentials (IDF 0.035) but one skill in sixteen, ranks no credential when twenty
   skills score 5.3. A count kept across a write may be too high (a word now in fewer rows
   scores more): the bound takes it less the rows written since (the index's version counts
   them), so a crawl writing a few credentials does not make "data" rank 10,000 of them;
6. computes bm25 itself for at most `POOL_ROWS` candidates found as step 3 says when a scored
   word fills the bound alone (FTS5 would read its whole posting list for its IDF): each
   word's IDF from its count (step 2), each row's term frequencies and length from its text
   indexed apart, the index's rows and length from FTS5's averages record, with FTS5's
   operations in FTS5's order, so the score is the same float. Only the count may differ: it
   is the kept one (step 2), up to a minute older than a write; a word the tokenizer splits in
   two (a phrase), or a count above the rows now indexed, is left to FTS5. The averages
   record (row 1 of `<table>_data`: the rows, then each column's tokens, as varints) is
   FTS5's own storage, defined in its source rather than its documentation; the exact-score
   test compares this bm25 with FTS5's, so a change of that format fails it;
7. answers a ranking FTS5 would compute again from its best rows kept since that kind's
   full-text index was last written (`kept_rankings.py`): the same rows and scores, computed
   once per version of the index (`version.search_version`: a write of credentials leaves
   the skills' index, its counts and its rankings as they were).
"""

from __future__ import annotations

import contextlib
import math
import re
import sqlite3
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence

from credgraph.config.env import count_from_env
from credgraph.errors import StoreURLError
from credgraph.model.values import NodeKind
from credgraph.model.views import SearchHit
from credgraph.store.sqlite import version as graph_version
from credgraph.store.sqlite.kept_rankings import KeptRankings
from credgraph.store.sqlite.reads import words_of
from credgraph.store.sqlite.sql import FTS_TABLES, NODE_TABLES

SEARCH_CANDIDATES_VARIABLE = "CREDGRAPH_SEARCH_CANDIDATES"
DEFAULT_SEARCH_CANDIDATES = 10_000
KEPT_WORD_COUNTS = 4096  # (table, word) counts kept per store, the least recently used dropped
COUNT_MAX_AGE_S = 60.0  # how old a count may be once the graph has been written since
SCORED_RANGE_FACTOR = 4  # rows of the candidates' range scored, in bounds, before all are
POOL_ROWS = 256  # rows holding the other words, at most, tokenized apart to match a last word
POOL_TEXT_CHARS = 500_000  # of those rows' text, at most: past it FTS5's own ways are cheaper
MIN_IDF = 1e-6  # FTS5's IDF of a word in more than half the rows
K1, B = 1.2, 0.75  # FTS5's bm25 parameters
COLUMN_WEIGHTS = {"name": 10.0, "body": 1.0}  # bm25's weight of a word in each column
_TOKEN = re.compile(r"[^\W_]")  # a letter or digit: what makes a word a token to FTS5
SCORE_MARGIN = 1e-6  # above a score's rounding to six decimals and the IDF's float error


def search_candidates() -> int:
    """Matches per kind a search ranks (`CREDGRAPH_SEARCH_CANDIDATES`, default 10,000);
    raises StoreURLError naming the variable when it is not a whole number from 1 to 10^8."""
    try:
        return count_from_env(
            SEARCH_CANDIDATES_VARIABLE, DEFAULT_SEARCH_CANDIDATES, low=1, high=100_000_000
        )
    except ValueError as exc:
        raise StoreURLError(str(exc)) from None


class TermCounts:
    """How many rows of a full-text table hold a word, counted once per word and kept as the
    module docstring says (step 2). Shared by a store's reader threads."""

    def __init__(
        self,
        size: int = KEPT_WORD_COUNTS,
        max_age: float = COUNT_MAX_AGE_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.size = size
        self.max_age = max_age
        self.clock = clock
        # (table, word) -> (rows holding it, table size, the table's version, when counted)
        self._kept: OrderedDict[tuple[str, str], tuple[int, int, int, float]] = OrderedDict()
        self._lock = threading.Lock()

    def rows_holding(
        self, conn: sqlite3.Connection, fts: str, word: str, rows: int, version: int
    ) -> int:
        # The word as typed: FTS5's unicode61 folds case its own way (Python's lower() joins
        # words it keeps apart, Cherokee syllables for one), so only the same text is the
        # same count.
        key = (fts, word)
        now = self.clock()
        with self._lock:
            found = self._kept.get(key)
            if found is not None and (
                found[2] == version
                or (abs(rows - found[1]) * 10 <= found[1] and now - found[3] < self.max_age)
            ):
                self._kept.move_to_end(key)
                return found[0]
        # Outside the lock: counting a common word reads its whole posting list.
        [(count,)] = conn.execute(f"SELECT count(*) FROM {fts} WHERE {fts} MATCH ?", (f'"{word}"',))
        with self._lock:
            self._kept[key] = (count, rows, version, now)
            self._kept.move_to_end(key)
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)
        return int(count)

    def floor(self, fts: str, word: str, version: int) -> int:
        """At most the rows of `fts` holding `word` at `fts`'s version `version`: the kept
        count less the rows written between its version and this one (the versions count
        rows written, `version.bump_search`, and each write of a row takes the word from at
        most that row); 0 when no count is kept."""
        with self._lock:
            found = self._kept.get((fts, word))
        return 0 if found is None else max(found[0] - abs(version - found[2]), 0)


def search(
    conn: sqlite3.Connection,
    text: str,
    kinds: Sequence[NodeKind],
    limit: int,
    candidates: int = DEFAULT_SEARCH_CANDIDATES,
    counts: TermCounts | None = None,
    rankings: KeptRankings | None = None,
) -> list[SearchHit]:
    """The best `limit` hits of `kinds` for the words of `text` (module docstring)."""
    # A word with no letter or digit ("_") is no token to FTS5, which reads "_" as a separator.
    words = [w for w in words_of(text) if _TOKEN.search(w)]
    if not words or limit <= 0:
        return []
    counts = counts or TermCounts()
    rankings = rankings or KeptRankings(size=0)
    bound = max(candidates, limit)
    plans: list[tuple[float, NodeKind, int, list[int], int]] = []
    for kind in kinds:
        table, fts = NODE_TABLES[kind], FTS_TABLES[kind]
        # What is kept of this index (counts, rankings) holds while it is not written.
        version = graph_version.search_version(conn, fts)
        [(rows,)] = conn.execute(f"SELECT coalesce(max(rowid), 0) FROM {table}")
        held = [counts.rows_holding(conn, fts, w, rows, version) for w in words]
        # A count kept across a write may be too high (a word now in fewer rows scores
        # higher): the ceiling takes each count less the rows written since.
        ceiling = _ceiling(conn, fts, [counts.floor(fts, w, version) for w in words])
        plans.append((ceiling, kind, rows, held, version))
    # Kinds whose best possible score is highest first (step 5), the others as asked.
    plans.sort(key=lambda plan: -plan[0])
    # Ties by id, as bm25's are; unscored matches keep their order (name matches first).
    keyed: list[tuple[float, str, str, SearchHit]] = []
    for ceiling, kind, rows, held, version in plans:
        if len(keyed) >= limit and ceiling + SCORE_MARGIN < -keyed[limit - 1][0]:
            break  # no row of this kind, nor of the kinds after it, can score into the page
        table, fts = NODE_TABLES[kind], FTS_TABLES[kind]
        ranked, scored = _ranked(conn, fts, words, held, rows, bound, limit, (rankings, version))
        if not ranked:
            continue
        nodes = {
            rowid: (node_id, name)
            for rowid, node_id, name in conn.execute(
                f"SELECT rowid, id, name FROM {table} "
                f"WHERE rowid IN ({', '.join('?' * len(ranked))})",
                [rowid for rowid, _ in ranked],
            )
        }
        for position, (rowid, rank) in enumerate(ranked):
            if rowid in nodes:  # an index entry without its row is left out, as a join would
                node_id, name = nodes[rowid]
                hit = SearchHit(kind, node_id, name, round(-rank, 6) + 0.0)
                tie = f"{position:09d}" if not scored else node_id
                keyed.append((-hit.score, kind.value, tie, hit))
        keyed.sort(key=lambda k: k[:3])
        del keyed[limit:]
    return [k[3] for k in keyed]


def _ceiling(conn: sqlite3.Connection, fts: str, held: list[int]) -> float:
    """More than bm25 can score any row of `fts` for words held by `held` rows each: a phrase
    adds less than its IDF times k1 + 1, its IDF is at most that of the word as typed (a
    prefix matches more rows), and an IDF grows with the rows indexed, at most the highest
    rowid (rowids are distinct and positive)."""
    [(top,)] = conn.execute(
        f"SELECT coalesce((SELECT rowid FROM {fts} ORDER BY rowid DESC LIMIT 1), 0)"
    )
    return (K1 + 1.0) * sum(
        max(math.log((top - n + 0.5) / (n + 0.5)), MIN_IDF) if top > n else MIN_IDF for n in held
    )


def _ranked(
    conn: sqlite3.Connection,
    fts: str,
    words: list[str],
    held: list[int],
    rows: int,
    bound: int,
    limit: int,
    kept: tuple[KeptRankings, int],
) -> tuple[list[tuple[int, float]], bool]:
    """The best `limit` (rowid, bm25) of one kind, and whether any word was scored; `kept`
    holds the rankings kept and the version of `fts` the search reads (step 7)."""
    typed = [f'"{w}"' for w in words]
    phrases = list(typed)
    if not _fills(conn, fts, typed, held[-1], bound):
        phrases[-1] += "*"
    full = " ".join(phrases)
    # A last word that alone fills the bound is scored as typed even when its completions
    # match too: they then rank after it (as on Neo4j), and its posting list is read once.
    scoring = typed if held[-1] >= bound else phrases
    scored = [p for p, n in zip(scoring, held, strict=True) if n * 2 <= rows or n < bound]
    if not scored:
        return _unscored(conn, fts, full, limit), False
    # A row may hold a completion of the scored last word but not the word: the others'
    # scores alone are its score.
    completions_unscored = scoring[-1] != phrases[-1]
    matches = None
    # Only a last word that alone fills the bound makes FTS5's merge of its completions dear
    # (it is then common, and so are they); below that, indexing the pool apart cost more
    # than the merge (0.5-1.3 ms a kind).
    if phrases[-1] != typed[-1] and len(words) > 1 and held[-1] >= bound:
        matches = _pooled_matches(conn, fts, typed, full)
        if matches is not None:
            if not matches:
                return [], True
            matches = matches[:bound]  # the first `bound` matches, as the index holds them
    if matches is not None and len(matches) <= POOL_ROWS:
        dear = max(n for p, n in zip(scoring, held, strict=True) if p in scored) >= bound
        if dear and not any(p.endswith("*") for p in scored):
            weighed = [(p, n) for p, n in zip(scoring, held, strict=True) if p in scored]
            ranked = _bm25_apart(conn, fts, matches, [(p[1:-1], n) for p, n in weighed])
            if ranked is not None:
                return ranked[:limit], True
    if matches is not None or scored != phrases:
        if matches is None:
            matches = [
                r
                for (r,) in conn.execute(
                    f"SELECT rowid FROM {fts} WHERE {fts} MATCH ? LIMIT ?", (full, bound)
                )
            ]
        ranked = _scored_among(conn, fts, matches, scored, completions_unscored, typed[-1], bound)
        if ranked is not None:
            return ranked[:limit], True
    rankings, version = kept
    return rankings.ranked(conn, fts, full, bound, limit, version), True


def _fills(
    conn: sqlite3.Connection, fts: str, phrases: list[str], last_held: int, bound: int
) -> bool:
    """Whether the text, its last word as typed, has at least `bound` matches (then that word
    is not read as a prefix). One word: its count says it; more: the first `bound` matches
    are read, when the last word alone could fill the bound."""
    if last_held < bound:
        return False
    if len(phrases) == 1:
        return True
    [(found,)] = conn.execute(
        f"SELECT count(*) FROM (SELECT rowid FROM {fts} WHERE {fts} MATCH ? LIMIT ?)",
        (" ".join(phrases), bound),
    )
    return bool(found >= bound)


def _pooled_matches(
    conn: sqlite3.Connection, fts: str, typed: list[str], full: str
) -> list[int] | None:
    """Every match of `full`, its last word a prefix, in index order, found without FTS5
    merging the posting lists of every word the prefix begins (step 3): the rows holding
    the other words, when there are at most `POOL_ROWS`, of which those holding the last
    word as typed, and those of the others whose text, indexed apart the same way, matches
    `full`. None when the other words are held by more rows, or their text is too long."""
    pool = [
        r
        for (r,) in conn.execute(
            f"SELECT rowid FROM {fts} WHERE {fts} MATCH ? LIMIT ?",
            (" ".join(typed[:-1]), POOL_ROWS + 1),
        )
    ]
    if len(pool) > POOL_ROWS or not pool:
        return None if pool else []
    whole = {
        r
        for (r,) in conn.execute(
            f"SELECT rowid FROM {fts} WHERE {fts} MATCH ? AND rowid BETWEEN ? AND ?",
            (" ".join(typed), pool[0], pool[-1]),
        )
    }
    rest = [r for r in pool if r not in whole]
    if not rest:
        return sorted(whole)
    matched = _matching_apart(conn, fts, rest, full)
    return None if matched is None else sorted(whole | matched)


def _apart(
    conn: sqlite3.Connection, fts: str, rowids: list[int]
) -> tuple[sqlite3.Connection, list[tuple[int, str, str]]] | None:
    """A private in-memory database holding the rows `rowids` of `fts` in a table of the same
    name and definition (the schema's own text: the same tokenizer), and those rows' text;
    None when their text passes `POOL_TEXT_CHARS` (indexing it would cost more)."""
    [(definition,)] = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (fts,)
    )
    texts = conn.execute(
        f"SELECT rowid, name, body FROM {fts} WHERE rowid IN ({', '.join('?' * len(rowids))})",
        rowids,
    ).fetchall()
    if sum(len(name or "") + len(body or "") for _, name, body in texts) > POOL_TEXT_CHARS:
        return None
    apart = sqlite3.connect(":memory:")
    try:
        apart.execute(str(definition))
        apart.executemany(f"INSERT INTO {fts} (rowid, name, body) VALUES (?, ?, ?)", texts)
    except BaseException:
        apart.close()
        raise
    return apart, texts


def _matching_apart(
    conn: sqlite3.Connection, fts: str, rowids: list[int], query: str
) -> set[int] | None:
    """The rows of `rowids` matching `query`, matched apart (`_apart`): a prefix there merges
    the posting lists of those rows only. None when their text is too long to index apart."""
    made = _apart(conn, fts, rowids)
    if made is None:
        return None
    apart, _ = made
    with contextlib.closing(apart):
        found = apart.execute(f"SELECT rowid FROM {fts} WHERE {fts} MATCH ?", (query,))
        return {r for (r,) in found}


def _bm25_apart(
    conn: sqlite3.Connection, fts: str, rowids: list[int], words: list[tuple[str, int]]
) -> list[tuple[int, float]] | None:
    """The rows `rowids` ranked by bm25 of `words` (each with the rows holding it), computed
    here as FTS5 computes it (step 6): each word's IDF from its count, the rows' term
    frequencies and lengths from their text indexed apart, the index's size and length from
    its averages. None when a word is not one token (a phrase: bm25 counts its instances,
    which this does not)."""
    made = _apart(conn, fts, rowids)
    if made is None:
        return None
    apart, texts = made
    with contextlib.closing(apart):
        # Each word as the index tokenizes it, in rows of its own below every rowid.
        apart.executemany(
            f"INSERT INTO {fts} (rowid, name, body) VALUES (?, ?, '')",
            [(-1 - i, word) for i, (word, _) in enumerate(words)],
        )
        apart.execute(f"CREATE VIRTUAL TABLE temp.tokens USING fts5vocab(main, {fts}, instance)")
        instances = apart.execute("SELECT term, doc, col FROM temp.tokens").fetchall()
    tokens: dict[int, list[str]] = {}
    lengths: dict[int, int] = {}
    weights: dict[tuple[int, str], float] = {}
    for term, doc, column in instances:
        if doc < 0:
            tokens.setdefault(-1 - doc, []).append(term)
            continue
        lengths[doc] = lengths.get(doc, 0) + 1
        weights[doc, term] = weights.get((doc, term), 0.0) + COLUMN_WEIGHTS[column]
    if any(len(tokens.get(i, [])) != 1 for i in range(len(words))):
        return None
    indexed, total_length = _averages(conn, fts)
    if indexed <= 0:
        return None
    average_length = float(total_length) / float(indexed)
    if any(held > indexed for _, held in words):
        return None  # a count kept across a write that removed rows: FTS5 scores them
    idfs = []
    for _, held in words:
        idf = math.log((indexed - held + 0.5) / (held + 0.5))
        idfs.append(idf if idf > 0.0 else MIN_IDF)
    ranked = []
    for rowid, _, _ in texts:
        # The operations and their order are FTS5's (fts5_aux.c), so the float is the same.
        length = float(lengths.get(rowid, 0))
        score = 0.0
        for i, idf in enumerate(idfs):
            f = weights.get((rowid, tokens[i][0]), 0.0)
            score += idf * ((f * (K1 + 1.0)) / (f + K1 * (1 - B + B * length / average_length)))
        ranked.append((rowid, -1.0 * score))
    return sorted(ranked, key=lambda r: (r[1], r[0]))


def _averages(conn: sqlite3.Connection, fts: str) -> tuple[int, int]:
    """The rows of `fts` and their length in tokens, all columns together, as FTS5 keeps
    them for bm25 (its averages record, row 1 of `<table>_data`: varints, the rows first,
    then each column's tokens) and gives to SQL no other way. (0, 0) when it is empty."""
    found = conn.execute(f"SELECT block FROM {fts}_data WHERE id = 1").fetchone()
    block = bytes(found[0]) if found else b""
    values: list[int] = []
    at = 0
    while at < len(block):
        value, at = _varint(block, at)
        values.append(value)
    return (values[0], sum(values[1:])) if values else (0, 0)


def _varint(block: bytes, at: int) -> tuple[int, int]:
    """SQLite's varint at `at`: 7 bits a byte, high bit set while more follow, the ninth byte
    whole; the value and where the next begins."""
    value = 0
    for i in range(8):
        if at + i >= len(block):
            return value, len(block)
        byte = block[at + i]
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            return value, at + i + 1
    if at + 8 < len(block):
        return (value << 8) | block[at + 8], at + 9
    return value, len(block)


def _scored_among(
    conn: sqlite3.Connection,
    fts: str,
    matches: list[int],
    scored: list[str],
    completions_unscored: bool,
    typed_last: str,
    bound: int,
) -> list[tuple[int, float]] | None:
    """`matches` (rowids in index order) ranked by bm25 of the `scored` words alone. The
    scores are read over the matches' rowid range (FTS5 seeks a range; a list of rowids it
    would test row by row) for the rows holding every scored word, and kept for the matches;
    when the last scored word may be missing from a match (it holds a completion only), the
    other words score it. None when the range holds more than `SCORED_RANGE_FACTOR` times
    the bound of rows with the scored words."""
    if not matches:
        return []
    kept = set(matches)
    most = SCORED_RANGE_FACTOR * bound
    may_lack_last = completions_unscored and scored[-1] == typed_last
    groups = [scored, scored[:-1]] if may_lack_last else [scored]
    found: dict[int, float] = {}
    for group in groups:
        if not group:  # no other word: a row holding a completion only scores 0
            found.update((r, 0.0) for r in kept if r not in found)
            continue
        scores = conn.execute(
            f"SELECT rowid, bm25({fts}, 10.0, 1.0) FROM {fts} "
            f"WHERE {fts} MATCH ? AND rowid BETWEEN ? AND ? LIMIT ?",
            (" ".join(group), matches[0], matches[-1], most + 1),
        ).fetchall()
        if len(scores) > most:  # the scored words fill the range far past the matches
            return None
        for r, score in scores:
            if r in kept and r not in found:
                found[r] = score
        if len(found) == len(kept):
            break
    return sorted(found.items(), key=lambda r: (r[1], r[0]))


def _unscored(conn: sqlite3.Connection, fts: str, full: str, limit: int) -> list[tuple[int, float]]:
    """Matches of words too common to score: every word in the name first, in index order."""
    first = [
        r
        for (r,) in conn.execute(
            f"SELECT rowid FROM {fts} WHERE {fts} MATCH ? LIMIT ?", (f"name : ({full})", limit)
        )
    ]
    if len(first) < limit:
        taken = set(first)
        for (r,) in conn.execute(
            f"SELECT rowid FROM {fts} WHERE {fts} MATCH ? LIMIT ?", (full, limit + len(first))
        ):
            if r not in taken and len(first) < limit:
                first.append(r)
    return [(r, 0.0) for r in first]
