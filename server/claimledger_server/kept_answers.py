"""Answers that are costly to read and asked again and again — the figures summary and
timeline of a subject (a subject counted 1,000 times costs the summary 4-16 ms of server
and database time) — kept per process as response bodies, and sent again while the
dataset they were read from has not changed (`changes.py`).

A request reads the watermark (one statement) and answers with the kept body when the
body was read at that same watermark. Otherwise it reads the answer in a snapshot that
also reads the watermark, so the body is known to be exactly that state's. Concurrent
requests for the same answer share one reading when its watermark is the one they saw on
arrival; a write committed in between makes them read again, so no request gets an answer
older than the writes it could see.

The same mechanism keeps the actor registry the extractor drafts with
(`extractions/drafting.py`): one answer, changed by actor writes only."""

import asyncio
import sys
from collections.abc import Awaitable, Callable, Hashable

import asyncpg
from litestar.datastructures import State

from claimledger_server.changes import Watermark, watermark_of, watermark_sql
from claimledger_server.lru import SegmentedLru
from claimledger_server.transactions import snapshot

MAX_ANSWERS = 256
MAX_ANSWER_BYTES = 8 * 1024 * 1024
"""The every-metric summary of a subject counted 1,000 times is about 1 MB, a timeline page
or a one-metric summary 20-400 kB; the server stays under the 150 MB it may use under read
load with the search cache (32 MB) beside this."""
MAX_ANSWER_AGE_SECONDS = 600.0
"""Bounds how long a change made directly in the database (no event) can go unseen."""

SHOWN_KINDS = ("claim", "figure", "actor", "source")
"""What a summary or timeline may show (claims, their claimants and the sources they cite),
so a write of any of them is a change to it."""


class Answer:
    __slots__ = ("body", "nbytes", "read_at", "watermark")

    def __init__(self, body: bytes, watermark: Watermark, read_at: float) -> None:
        self.body = body
        self.watermark = watermark
        self.read_at = read_at
        self.nbytes = sys.getsizeof(body)


Reader = Callable[[asyncpg.Connection], Awaitable[bytes]]


class KeptAnswers:
    """Answers that change only with a write of one of `kinds` (resource kind names)."""

    def __init__(
        self,
        kinds: tuple[str, ...] = SHOWN_KINDS,
        max_answers: int = MAX_ANSWERS,
        max_bytes: int = MAX_ANSWER_BYTES,
    ) -> None:
        self.watermark_sql = watermark_sql(kinds)
        self.cache = SegmentedLru[Answer](max_answers, max_bytes, MAX_ANSWER_AGE_SECONDS)
        self.reading: dict[Hashable, asyncio.Task[Answer]] = {}

    async def answer(self, pool: asyncpg.Pool, key: Hashable, read: Reader) -> bytes:
        """The body `read` gives for the dataset as it is now; `key` names the question
        (the same key, the same `read`)."""
        return (await self.kept(pool, key, read)).body

    async def kept(self, pool: asyncpg.Pool, key: Hashable, read: Reader) -> Answer:
        """`answer`, as the kept `Answer`: the same object for as long as it is current, so
        a caller may key its own derived state (a decoded copy) on it."""
        async with pool.acquire() as conn:
            now = watermark_of(await conn.fetchrow(self.watermark_sql))
        kept = self.cache.get(key)
        if kept is not None and kept.watermark == now:
            return kept
        reading = self.reading.get(key)
        if reading is not None:
            # Shielded: a client hanging up must not cancel a reading others wait for.
            shared = await asyncio.shield(reading)
            if shared.watermark == now:
                return shared
        # Started after this request arrived: it sees every write the request could.
        return await asyncio.shield(self._start(key, pool, read))

    def _start(self, key: Hashable, pool: asyncpg.Pool, read: Reader) -> asyncio.Task[Answer]:
        async def read_and_keep() -> Answer:
            async with snapshot(pool) as conn:
                watermark = watermark_of(await conn.fetchrow(self.watermark_sql))
                body = await read(conn)
            answer = Answer(body, watermark, self.cache.clock())
            self.cache.put(key, answer)
            return answer

        task = asyncio.create_task(read_and_keep())
        self.reading[key] = task

        def forget(done: asyncio.Task[Answer]) -> None:
            if self.reading.get(key) is done:
                del self.reading[key]
            if not done.cancelled():
                done.exception()  # retrieved: the requests awaiting it got it already

        task.add_done_callback(forget)
        return task


def kept_answers(state: State) -> KeptAnswers:
    """The app's kept answers, made on first use (tests run several apps in one process)."""
    found: KeptAnswers | None = state.get("kept_answers")
    if found is None:
        found = state["kept_answers"] = KeptAnswers()
    return found
