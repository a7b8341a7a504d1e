"""`GET /v1/claims?q=…` for the current dataset: rankings (and their first pages) cached per
process, always checked against the claims' changes before use.

Ranking a common query reads thousands of rows (the text index intersects long posting
lists and every candidate's row is read to rank it), which no index makes cheap; the same
searches are asked again and again, so each process keeps the ranking of recent searches,
reads a page's documents by id, and keeps the first pages it answered.

A cached ranking or page is used only while no claim has changed since it was read: every
request reads the changes-feed watermark (alone for a kept page, or in the same statement
as the documents), and a different watermark means the ranking is read again. Every API
write of a claim (create, update, delete, import; in any process) adds an event in the
transaction that writes the claim, so results always reflect every write the database
shows, with no invalidation hook in the write path. `as_of` searches never come here: they
run over the history tables uncached."""

import asyncio
import itertools
import random
import re
from collections.abc import Awaitable, Callable, Hashable
from typing import NamedTuple

import asyncpg
from litestar.datastructures import State

from claimledger_server.changes import Watermark, watermark_of, watermark_sql
from claimledger_server.claims.rankings import Ranking, RankingCache
from claimledger_server.claims.store import TEXT_SEARCH_CONFIG
from claimledger_server.pagination import decode_cursor, page_body
from claimledger_server.versioning.lists import SEARCH_CANDIDATES, Filters, common_filters
from claimledger_server.versioning.routes import ListParams

MAX_RANKINGS = 2000
MAX_RANKING_BYTES = 32 * 1024 * 1024
"""A full ranking (2,000 matches) takes about 200 kB and a page of 50 claims about 45 kB,
so this holds some 150 searches with their first pages; the process stays well under the
150 MB it may use under read load."""
MAX_RANKING_AGE_SECONDS = 600.0
"""Bounds how long a change made directly in the database, which leaves no event, can go
unseen; API writes are seen at once, through the watermark. Short bounds buy nothing for
API writes and make every cached search expire at once: with 60 s, the 30 searches of the
benchmark were all ranked again in the same half second, and the p99 of every search in
that second rose past 100 ms."""
REFRESH_AFTER_SECONDS = MAX_RANKING_AGE_SECONDS / 2
"""A ranking still in use past this age (plus up to a quarter of it, at random, so that
searches read together are not read again together) is ranked again in the background."""
BACKGROUND_READINGS = 2
"""Background re-rankings at once: they must leave the database to the requests."""

_WATERMARK = watermark_sql(("claim",))


class _Reading(NamedTuple):
    ticket: int
    """Taken when the reading started: it sees every write that finished before any
    request holding a lower ticket arrived."""
    task: asyncio.Task[Ranking]


class _Searches:
    """One process's rankings, and the readings in flight, which concurrent requests for the
    same uncached search share instead of each running the query."""

    def __init__(self) -> None:
        self.cache = RankingCache(MAX_RANKINGS, MAX_RANKING_BYTES, MAX_RANKING_AGE_SECONDS)
        self.reading: dict[Hashable, _Reading] = {}
        self.refreshing = 0
        self._tickets = itertools.count()

    def ticket(self) -> int:
        return next(self._tickets)

    async def read(
        self,
        key: Hashable,
        reader: Callable[[float], Awaitable[Ranking]],
        started_after: int | None = None,
    ) -> tuple[Ranking, int]:
        """The ranking of a reading in flight (one started after ticket `started_after`, if
        given) or of a new one; and the reading's ticket."""
        reading = self.reading.get(key)
        if reading is None or (started_after is not None and reading.ticket <= started_after):
            reading = self._start(key, reader)
        # Shielded: a client hanging up must not cancel a reading others are waiting for.
        return await asyncio.shield(reading.task), reading.ticket

    def _start(self, key: Hashable, reader: Callable[[float], Awaitable[Ranking]]) -> _Reading:
        async def read_and_keep() -> Ranking:
            ranking = await reader(self.cache.clock())
            self.cache.put(key, ranking)
            return ranking

        reading = _Reading(self.ticket(), asyncio.create_task(read_and_keep()))
        self.reading[key] = reading

        def forget(task: asyncio.Task[Ranking]) -> None:
            if self.reading.get(key) is reading:
                del self.reading[key]
            if not task.cancelled():
                task.exception()  # a refresh nobody awaits fails quietly; the next use retries

        reading.task.add_done_callback(forget)
        return reading

    def refresh_if_old(
        self, key: Hashable, ranking: Ranking, reader: Callable[[float], Awaitable[Ranking]]
    ) -> None:
        age = self.cache.clock() - ranking.read_at
        due = REFRESH_AFTER_SECONDS * (1 + random.random() / 4)
        if age > due and key not in self.reading and self.refreshing < BACKGROUND_READINGS:
            self.refreshing += 1
            reading = self._start(key, reader)

            def done(_: object) -> None:
                self.refreshing -= 1

            reading.task.add_done_callback(done)


def searches(state: State, pool: asyncpg.Pool) -> _Searches:
    """The app's rankings read from `pool`, made on first use (tests run several apps in one
    process). The primary's and the replica's are kept apart: a request the primary answers
    because the replica lags (`consistency.py`) must not share a reading of the replica."""
    found: dict[asyncpg.Pool, _Searches] = state.setdefault("claim_searches", {})
    mine = found.get(pool)
    if mine is None:
        mine = found[pool] = _Searches()
    return mine


def normalized(q: str) -> str:
    """Searches that differ only in spacing parse to the same query, so share a ranking."""
    return re.sub(r"[ \t\r\n]+", " ", q).strip()


async def ranked_page(
    state: State, pool: asyncpg.Pool, filters: Filters, q: str, page: ListParams
) -> bytes:
    """One page of current claims matching `q` and `filters`, best first. The cursor is the
    (rank, id) of the last match sent, as on the uncached `as_of` path."""
    after = decode_cursor(page.cursor, tuple) if page.cursor else None
    common_filters(filters, page.include_deleted, page.external_id, page.updated_since)
    key = (normalized(q), tuple(filters.clauses), tuple(filters.args))
    filters.search(TEXT_SEARCH_CONFIG, q)
    mine = searches(state, pool)
    arrived = mine.ticket()

    async def reader(read_at: float) -> Ranking:
        return await _read_ranking(pool, filters, read_at)

    which = (after, page.limit)
    ranking = mine.cache.get(key)
    if ranking is not None:
        mine.refresh_if_old(key, ranking, reader)
    # A kept page is the answer, byte for byte, while no claim has changed since it was read.
    if (
        ranking is not None
        and (body := ranking.pages.get(which)) is not None
        and await _read_watermark(pool) == ranking.watermark
    ):
        return body
    read_before_arrival = True
    if ranking is None:
        ranking, ticket = await mine.read(key, reader)
        read_before_arrival = ticket < arrived
    ids, next_cursor = ranking.page(after, page.limit)
    docs, watermark = await _documents(pool, filters, ids)
    if read_before_arrival and watermark != ranking.watermark:
        # A claim changed since the ranking was read, maybe by this client just before.
        ranking, _ = await mine.read(key, reader, started_after=arrived)
        ids, next_cursor = ranking.page(after, page.limit)
        docs, watermark = await _documents(pool, filters, ids)
    body = page_body(docs, next_cursor)
    if watermark == ranking.watermark:
        mine.cache.keep_page(key, ranking, which, body)
    return body


async def _read_watermark(pool: asyncpg.Pool) -> Watermark:
    async with pool.acquire() as conn:
        row = await conn.fetchrow(_WATERMARK)
    return watermark_of(row)


async def _read_ranking(pool: asyncpg.Pool, filters: Filters, read_at: float) -> Ranking:
    """Rank the first `SEARCH_CANDIDATES` matches; the watermark comes from the same
    statement, so from the same snapshot as the matches."""
    where = " AND ".join(filters.clauses)
    async with pool.acquire() as conn:
        rows = await conn.fetch(
            f"""SELECT mark.*, match.id, match.rank
                  FROM ({_WATERMARK}) AS mark
                  LEFT JOIN LATERAL (
                      SELECT id, {filters.rank} AS rank FROM claims
                       WHERE {where} LIMIT {SEARCH_CANDIDATES}
                  ) AS match ON true""",
            *filters.args,
        )
    matches = [(row["id"], row["rank"]) for row in rows if row["id"] is not None]
    return Ranking(matches, watermark_of(rows[0]), read_at)


async def _documents(
    pool: asyncpg.Pool, filters: Filters, ids: list[str]
) -> tuple[list[bytes], Watermark]:
    """The documents of `ids` in that order and the watermark, in one round trip. The filters
    apply again, so a claim changed or deleted since the ranking was read is left out
    rather than shown not matching."""
    where = " AND ".join(filters.clauses)
    ids_param = len(filters.args) + 1
    async with pool.acquire() as conn:
        rows = await conn.fetch(
            f"""SELECT mark.*, found.doc
                  FROM ({_WATERMARK}) AS mark
                  LEFT JOIN LATERAL (
                      SELECT claims.doc::text AS doc, wanted.n
                        FROM unnest(${ids_param}::text[]) WITH ORDINALITY AS wanted(id, n)
                        JOIN claims USING (id)
                       WHERE {where}
                  ) AS found ON true
                 ORDER BY found.n""",
            *filters.args,
            ids,
        )
    docs = [row["doc"].encode() for row in rows if row["doc"] is not None]
    return docs, watermark_of(rows[0])
