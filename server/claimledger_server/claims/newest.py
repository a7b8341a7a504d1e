"""`GET /v1/claims?q=…&sort=newest` (the default with `q`): the matching claims, newest
first, a page at a time, whatever share of the claims the search matches.

Without other filters a page comes from the bucketed text index of migration 0020: one
statement walks the id buckets from the newest down (from the cursor's down, for a later
page) and asks the index for each bucket's matches only, until it has a page. It starts
with the finest buckets (9 hours of claims), so a common word costs a few hundred rows at
most; and after a bucket with few matches it takes the next coarser size (32 times as
long), so a rare search reaches far back in a few steps. A step reads the matches of its
bucket whose ids are below where the walk stands, so buckets of different sizes cover every
id exactly once, and the steps follow each other in id order. The same statement reads the
page's rows where the walk found them and answers the documents as one JSON text, passed on
as stored. On the million-claim bench a word pair nobody asked before costs about 1 ms of
PostgreSQL, 2-15 steps (bench/README.md, "Search").

With other filters (a claimant, a status, …) the planner chooses: their own indexes often
narrow the claims more than the words do. `as_of` reads the history table, which has no
bucketed index (`history_page`). Pages of current claims are kept per process, like
relevance rankings (`search.py`), and used only while no claim has changed since they were
read."""

import functools
from collections.abc import Hashable
from datetime import datetime
from typing import Any

import asyncpg
from asyncpg.pool import PoolConnectionProxy
from litestar.datastructures import State

from claimledger_server.changes import Watermark, watermark_of, watermark_sql
from claimledger_server.claims.store import TEXT_SEARCH_CONFIG
from claimledger_server.kept_answers import Answer
from claimledger_server.lru import SegmentedLru
from claimledger_server.pagination import (
    CursorPart,
    decode_keyset,
    encode_keyset,
    joined_page_body,
    page_body,
)
from claimledger_server.versioning.lists import Filters, common_filters
from claimledger_server.versioning.routes import ListParams

CURSOR_VERSION = 2
"""Newest-first cursors name the last id sent, like those of plain lists (version 1), but
in the other direction: a cursor of one order is refused by the other."""

MAX_PAGES = 2000
MAX_PAGE_BYTES = 16 * 1024 * 1024
"""A page of 50 claims is about 45 kB: some 350 pages, the ones people ask again."""
MAX_PAGE_AGE_SECONDS = 600.0
"""Bounds how long a change made directly in the database (no event) can go unseen."""

FINEST, COARSEST = 9, 7
"""Bucket sizes, as lengths of id prefixes (migration 0020 indexes 7 to 9)."""
HISTORY_WALK = 2000
"""Versions an `as_of` search tests one by one before it asks the history's text index."""
COARSER_WHEN = 2
"""A walk takes the next coarser buckets after a bucket whose matches, 32 times over, come
to at most this many times what the page still lacks: the coarser bucket is then
expected to give at most that many times the rows needed, which costs less than the many
finer steps it replaces."""

_WATERMARK = watermark_sql(("claim",))


def encode_cursor(last_id: str) -> str:
    return encode_keyset(CURSOR_VERSION, [last_id])


def decode_cursor(cursor: str) -> str:
    last_id: str = decode_keyset(cursor, CURSOR_VERSION, (CursorPart,))[0]
    return last_id


def pages(state: State, pool: asyncpg.Pool) -> SegmentedLru[Answer]:
    """The app's kept newest-first pages read from `pool` (see `search.searches`)."""
    found: dict[asyncpg.Pool, SegmentedLru[Answer]] = state.setdefault("claim_newest", {})
    mine = found.get(pool)
    if mine is None:
        mine = found[pool] = SegmentedLru(MAX_PAGES, MAX_PAGE_BYTES, MAX_PAGE_AGE_SECONDS)
    return mine


async def newest_page(
    state: State, pool: asyncpg.Pool, filters: Filters, q: str, page: ListParams, query: str
) -> bytes:
    """One page of the current claims matching `q` and `filters`, newest first; `query` is
    `q` as a cache key (`search.normalized`)."""
    after = decode_cursor(page.cursor) if page.cursor else None
    walkable = not filters.clauses and page.external_id is None and page.updated_since is None
    common_filters(filters, page.include_deleted, page.external_id, page.updated_since)
    key: Hashable = (query, tuple(filters.clauses), tuple(filters.args), after, page.limit)
    kept = pages(state, pool)
    answer = kept.get(key)
    async with pool.acquire() as conn:
        if answer is not None and await _watermark(conn) == answer.watermark:
            return answer.body
        if walkable:
            sql, args = walk_statement(q, after, page.limit, page.include_deleted)
            # The walk's plan is the same for every search: a cached statement. It answers
            # one row (aggregates over one row of each side).
            (row,) = await conn.fetch(
                f"SELECT * FROM ({_WATERMARK}) AS mark, ({sql}) AS page", *args
            )
            body = joined_page_body(row, page.limit, encode_cursor)
            watermark = watermark_of(row)
        else:
            sql, args = _planned("claims", filters, q, after, page.limit)
            sql = f"""SELECT mark.*, found.id, found.doc
                        FROM ({_WATERMARK}) AS mark
                        LEFT JOIN LATERAL ({sql}) AS found ON true
                       ORDER BY found.id DESC"""
            # The planner's choice differs from one search to the next, and a statement
            # cached for the next search could keep a plan made for another one.
            rows = await _planned_fetch(conn, sql, args)
            body = _body([row for row in rows if row["id"] is not None], page.limit)
            watermark = watermark_of(rows[0])
    kept.put(key, Answer(body, watermark, kept.clock()))
    return body


async def history_page(
    conn: asyncpg.Connection, filters: Filters, q: str, page: ListParams, as_of: datetime
) -> bytes:
    """`newest_page` over the claims as they were at `as_of`: uncached, from the history,
    which has no bucketed index. The newest `HISTORY_WALK` versions are tested one by one
    first, which is all a common word needs; otherwise every match is found through the
    history's text index and sorted. Left to itself the planner walked the history newest
    first for a pair in 0.5 % of the claims: 5.5 s on the bench data, against ~0.1 s."""
    after = decode_cursor(page.cursor) if page.cursor else None
    filters.add("updated_at <= {} AND (valid_to IS NULL OR valid_to > {})", as_of, as_of)
    common_filters(filters, page.include_deleted, page.external_id, page.updated_since)
    filters.search(TEXT_SEARCH_CONFIG, q)
    below = "true" if after is None else f"id < {filters.param(after)}"
    where = " AND ".join(filters.clauses)
    n = int(limit := page.limit) + 1
    # The last id of the window may have versions past its end: only ids above it count.
    newest = f"""WITH window_ AS MATERIALIZED (
                     SELECT id, version FROM claims_history WHERE {below}
                      ORDER BY id DESC, version DESC LIMIT {HISTORY_WALK})
                 SELECT id, claims_history.doc::text AS doc
                   FROM window_ JOIN claims_history USING (id, version)
                  WHERE {where} AND id > (SELECT min(id) FROM window_)
                  ORDER BY id DESC LIMIT {n}"""
    rows = await _planned_fetch(conn, newest, filters.args)
    if len(rows) < n:
        every = f"""WITH found AS MATERIALIZED (
                        SELECT id, version FROM claims_history WHERE {where} AND {below})
                    SELECT id, claims_history.doc::text AS doc
                      FROM (SELECT id, version FROM found ORDER BY id DESC LIMIT {n}) AS page
                      JOIN claims_history USING (id, version)
                     ORDER BY id DESC"""
        rows = await _planned_fetch(conn, every, filters.args)
    return _body(rows, limit)


Conn = asyncpg.Connection | PoolConnectionProxy
"""A connection, or one held from a pool."""


async def _watermark(conn: Conn) -> Watermark:
    return watermark_of(await conn.fetchrow(_WATERMARK))


def _body(rows: list[asyncpg.Record], limit: int) -> bytes:
    """The page of `rows` (newest first, one more than `limit` when there is a next page)."""
    page = rows[:limit]
    next_cursor = encode_cursor(page[-1]["id"]) if len(rows) > limit else None
    return page_body([row["doc"].encode() for row in page], next_cursor)


def _planned(
    source: str, filters: Filters, q: str, after: str | None, limit: int
) -> tuple[str, list[Any]]:
    """The first `limit + 1` matches below `after`, newest first, as the planner sees fit."""
    filters.search(TEXT_SEARCH_CONFIG, q)
    if after is not None:
        filters.add("id < {}", after)
    where = " AND ".join(filters.clauses)
    sql = f"""SELECT id, doc::text AS doc FROM {source}
               WHERE {where} ORDER BY id DESC LIMIT {int(limit) + 1}"""
    return sql, filters.args


async def _planned_fetch(conn: Conn, sql: str, args: list[Any]) -> list[asyncpg.Record]:
    """Run a `_planned` statement with a plan made for these arguments. A statement from
    asyncpg's cache is planned once for any arguments after five runs (a generic plan): for
    `ORDER BY id DESC LIMIT 51` over `search @@ $1` that is the primary key walked newest
    first, which for a rare word reads the whole table (seconds on a million claims). A
    statement prepared anew is planned for its first arguments."""
    statement = await conn.prepare(sql)
    return await statement.fetch(*args)


def walk_statement(
    q: str, after: str | None, limit: int, include_deleted: bool
) -> tuple[str, list[Any]]:
    """One row: of the first `limit + 1` matches below `after` (every claim when None),
    newest first, through the bucketed index, how many there are (`found`), and of the
    first `limit` of them the last id (`last_id`) and the documents as the JSON text of a
    page, comma-separated (`docs`, bytes: NULL when none). The page is put together by
    PostgreSQL: one row to decode instead of one per claim, and the stored JSON passed
    through as bytes, never decoded and encoded again (bench/README.md, "Search")."""
    sql = _walk_sql(after is not None, include_deleted, int(limit) + 1)
    return sql, [q, *([after] if after is not None else [])]


@functools.cache
def _walk_sql(below_cursor: bool, include_deleted: bool, rows: int) -> str:
    """The walk's statement for `rows` rows; its parameters are ($1, $2) = (the search, the
    cursor's id when `below_cursor`).

    `rows` is written into the statement rather than passed: PostgreSQL plans a cached
    statement once for all its parameters (a generic plan) only when that plan is estimated
    no dearer than those made for each run, and with the row count unknown it was estimated
    dearer; every search was then planned anew, a millisecond each, twice its own run."""
    live = "" if include_deleted else "AND NOT claims.deleted"

    def bucket(lower: str, upper: str | None) -> str:
        """The matches in the bucket `lower` (an id prefix) below `upper`: their number,
        their ids and where their rows are (`ctid`, to read the page's documents). The id
        tests are written so that no index can take them, or the planner would AND the text
        index with a range scan of the primary key."""
        below = f"AND claims.id < {upper}" if upper is not None else ""
        return f"""SELECT count(*)::int AS found, array_agg(claims.id) AS ids,
                          array_agg(claims.ctid) AS tids
                     FROM claims
                    WHERE cl_newest_terms(claims.id, claims.search)
                              @@ cl_newest_query(query.pieces, {lower})
                      AND (query.exact OR ts_match_vq(claims.search, query.q))
                      AND (claims.id >= {lower} {below}) IS TRUE
                      {live}"""

    top = "SELECT max(id) AS id FROM claims" + (" WHERE id < $2" if below_cursor else "")
    coarser = (
        f"s.n > 1 AND s.level > {COARSEST} AND s.found * 32 <= {COARSER_WHEN} * ({rows} - s.total)"
    )
    return f"""
        WITH RECURSIVE query AS (
            -- Without phrases and `-word`, a bucket's matches in the index are the claims
            -- the search matches: their `search` (a compressed column: a quarter of a
            -- walk's time) need not be tested again.
            SELECT q, cl_newest_pieces(q) AS pieces,
                   strpos(q::text, '!') = 0 AND strpos(q::text, '<') = 0 AS exact
              FROM websearch_to_tsquery('{TEXT_SEARCH_CONFIG}', $1) AS q
        ), overflowing AS (
            -- The claims with too many words to index (`@@`, migration 0020), if any.
            SELECT claims.id, claims.ctid AS tid FROM claims, query
             WHERE cl_newest_terms(claims.id, claims.search) @@ '''@@'''::tsquery
               AND query.pieces IS NOT NULL AND ts_match_vq(claims.search, query.q)
               {"AND claims.id < $2" if below_cursor else ""} {live}
        ), step (n, level, lower, total, found, ids, tids) AS (
            SELECT 1, {FINEST}, first.lower, m.found, m.found, m.ids, m.tids
              FROM query,
                   LATERAL (SELECT substr(top.id, 1, {FINEST}) AS lower
                              FROM ({top}) AS top) AS first,
                   LATERAL ({bucket("first.lower", "$2" if below_cursor else None)}) AS m
             WHERE query.pieces IS NOT NULL AND first.lower IS NOT NULL
            UNION ALL
            SELECT s.n + 1, next.level, next.lower, s.total + m.found, m.found, m.ids, m.tids
              FROM step AS s, query,
                   LATERAL (
                       SELECT size.level, substr(older.id, 1, size.level) AS lower
                         FROM (SELECT max(id) AS id FROM claims WHERE id < s.lower) AS older,
                              (SELECT CASE WHEN {coarser} THEN s.level - 1
                                           ELSE s.level END AS level) AS size
                        WHERE older.id IS NOT NULL
                   ) AS next,
                   LATERAL ({bucket("next.lower", "s.lower")}) AS m
             WHERE s.total < {rows}
        ), found AS (
            -- Numbered in id order, newest first, so one pass answers the count, the
            -- cursor and the page (lists.py `_as_one_page`: 4-10 % of a walk's time).
            SELECT id, tid, row_number() OVER (ORDER BY id DESC) AS n FROM (
                SELECT found.id, found.tid
                  FROM step, unnest(step.ids, step.tids) AS found(id, tid)
                 UNION SELECT id, tid FROM overflowing
                 ORDER BY id DESC LIMIT {rows}
            ) AS found
        )
        -- The one match past the page only tells that there is a next page: its document
        -- is not read. The page's rows are read where the walk found them (their `ctid`,
        -- the version this statement's snapshot sees: the same snapshot reads it again),
        -- not looked up again by id through the primary key: 8-9 % of a search's
        -- PostgreSQL time (bench/README.md, "Search").
        SELECT count(*)::int AS found,
               min(found.id) FILTER (WHERE found.n < {rows}) AS last_id,
               convert_to(string_agg(claims.doc::text, ',' ORDER BY found.id DESC)
                          FILTER (WHERE found.n < {rows}), 'UTF8') AS docs
          FROM found LEFT JOIN claims ON claims.ctid = found.tid AND found.n < {rows}"""
