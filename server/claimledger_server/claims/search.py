"""`GET /v1/claims?q=…&sort=relevance` for the current dataset: rankings (and their first
pages) cached per process, always checked against the claims' changes before use.

Ranking a search reads every match (the text index finds them; each match's row is read to
rank it), which no index makes cheap: about 5 µs of PostgreSQL per match, so a word in a
fifth of a million claims costs a second or more. The same searches are asked again and
again, so each process keeps the best matches of recent searches (`rankings.KEPT_MATCHES`),
reads a page's documents by id, and keeps the first pages it answered; a page past the
kept matches is ranked again by the database. A ranking that takes longer than
`relevance_timeout_seconds` is given up: the search is answered 422, pointing at
`sort=newest` (`newest.py`, a page at a time whatever the number of matches).

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
from claimledger_server.claims.rankings import KEPT_MATCHES, Ranking, RankingCache
from claimledger_server.claims.store import TEXT_SEARCH_CONFIG
from claimledger_server.errors import ApiError, FieldError
from claimledger_server.pagination import decode_cursor, page_body, split_page
from claimledger_server.versioning.lists import Filters, common_filters
from claimledger_server.versioning.routes import ListParams

MAX_RANKINGS = 2000
MAX_RANKING_BYTES = 32 * 1024 * 1024
"""A ranking (at most 2,000 matches kept) takes about 200 kB and a page of 50 claims about
45 kB, so this holds some 150 searches with their first pages; the process stays under the
150 MB it may use under read load with the newest-first pages (`newest.py`, 16 MB)."""
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
    time_limit = state.settings.relevance_timeout_seconds or None
    mine = searches(state, pool)
    arrived = mine.ticket()

    async def reader(read_at: float) -> Ranking:
        return await _read_ranking(pool, filters, read_at, time_limit)

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
    if (found := ranking.page(after, page.limit)) is None:
        return await _ranked_past_kept(pool, filters, after, page.limit, time_limit)
    ids, next_cursor = found
    docs, watermark = await _documents(pool, filters, ids)
    if read_before_arrival and watermark != ranking.watermark:
        # A claim changed since the ranking was read, maybe by this client just before.
        ranking, _ = await mine.read(key, reader, started_after=arrived)
        if (found := ranking.page(after, page.limit)) is None:
            return await _ranked_past_kept(pool, filters, after, page.limit, time_limit)
        ids, next_cursor = found
        docs, watermark = await _documents(pool, filters, ids)
    body = page_body(docs, next_cursor)
    if watermark == ranking.watermark:
        mine.cache.keep_page(key, ranking, which, body)
    return body


async def _read_watermark(pool: asyncpg.Pool) -> Watermark:
    async with pool.acquire() as conn:
        row = await conn.fetchrow(_WATERMARK)
    return watermark_of(row)


def too_broad(time_limit: float | None) -> ApiError:
    """The answer to a relevance search that took longer than `time_limit` seconds to rank."""
    return ApiError(
        422,
        "search-too-broad",
        f"Ranking every match of this search took longer than {time_limit or 0:g} s. Ask for"
        " sort=newest (the newest matches first, at the same cost whatever their number),"
        " or narrow the search with more words or filters.",
        errors=[
            FieldError("sort", "relevance: too many matches to rank; use sort=newest or filters")
        ],
    )


async def _read_ranking(
    pool: asyncpg.Pool, filters: Filters, read_at: float, time_limit: float | None
) -> Ranking:
    """Rank every match and keep the best `KEPT_MATCHES`; the watermark comes from the same
    statement, so from the same snapshot as the matches."""
    where = " AND ".join(filters.clauses)
    try:
        async with pool.acquire() as conn:
            rows = await conn.fetch(
                f"""SELECT mark.*, match.id, match.rank
                      FROM ({_WATERMARK}) AS mark
                      LEFT JOIN LATERAL (
                          SELECT id, {filters.rank} AS rank FROM claims WHERE {where}
                           ORDER BY rank DESC, id LIMIT {KEPT_MATCHES + 1}
                      ) AS match ON true""",
                *filters.args,
                timeout=time_limit,
            )
    except TimeoutError:
        raise too_broad(time_limit) from None
    matches = [(row["id"], row["rank"]) for row in rows if row["id"] is not None]
    complete = len(matches) <= KEPT_MATCHES
    return Ranking(matches[:KEPT_MATCHES], watermark_of(rows[0]), read_at, complete)


async def _ranked_past_kept(
    pool: asyncpg.Pool,
    filters: Filters,
    after: tuple[float, str] | None,
    limit: int,
    time_limit: float | None,
) -> bytes:
    """A page the kept matches do not reach: every match ranked again, uncached."""
    where = " AND ".join(filters.clauses)
    args = list(filters.args)
    position = "true"
    if after is not None:
        n = len(args)
        position = f"(rank < ${n + 1}::real OR (rank = ${n + 1}::real AND id > ${n + 2}))"
        args += list(after)
    try:
        async with pool.acquire() as conn:
            rows = await conn.fetch(
                f"""SELECT claims.doc::text AS doc, found.rank, found.id
                      FROM (SELECT id, rank
                              FROM (SELECT id, {filters.rank} AS rank FROM claims
                                     WHERE {where}) AS match
                             WHERE {position}
                             ORDER BY rank DESC, id LIMIT {int(limit) + 1}) AS found
                      JOIN claims USING (id)
                     ORDER BY found.rank DESC, found.id""",
                *args,
                timeout=time_limit,
            )
    except TimeoutError:
        raise too_broad(time_limit) from None
    found, next_cursor = split_page(rows, limit, lambda row: (row["rank"], row["id"]))
    return page_body([row["doc"].encode() for row in found], next_cursor)


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
