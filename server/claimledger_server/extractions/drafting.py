"""Drafting off the event loop: the extractor runs in a pool of processes of its own.

Extraction is pure-Python CPU work. Run on the event loop it would stall every other request
for its whole duration; run in a thread it would still hold the GIL the loop needs. So each
API process keeps a `ProcessPoolExecutor` (`extraction_processes` of them, started on the
first draft, with the `spawn` method: a fork of a process running an event loop, a pool of
connections and threads is not safe) and awaits its answer.

The registry (the gazetteer) is read once per change of actors (`current_registry`) and
sent to each drafting process once per reading: a draft first sends only the reading's
token, and a process that has not decoded that reading yet asks for its JSON."""

import asyncio
import logging
import multiprocessing
import uuid
from collections.abc import AsyncIterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import asynccontextmanager

import asyncpg
import msgspec
from litestar.datastructures import State

from claimledger_server.errors import ApiError
from claimledger_server.extractions import store, worker
from claimledger_server.extractions.schemas import DraftSource, ExtractedDraft, ExtractionFields
from claimledger_server.kept_answers import Answer, KeptAnswers

log = logging.getLogger("claimledger.extractions")

_REGISTRY_SQL = """
    SELECT coalesce(json_agg(json_build_array(
               id, doc->'name', coalesce(doc->'aliases', '[]'::json), doc->'kind', anonymous)
           ORDER BY id), '[]'::json)::text
      FROM actors WHERE NOT deleted
"""
MAX_REGISTRY_BYTES = 64 * 1024 * 1024
"""A registry larger than this is not kept: every draft reads it again."""


async def read_registry(conn: asyncpg.Connection) -> bytes:
    """Every live actor as a JSON array of `gazetteer.KnownActor`, in id order."""
    body: str = await conn.fetchval(_REGISTRY_SQL)
    return body.encode()


async def current_registry(state: State) -> Answer:
    """The registry as it is now, kept while no actor changes: its JSON is `.body`, and the
    same `Answer` comes back for as long as it is current."""
    kept: KeptAnswers | None = state.get("registry")
    if kept is None:
        kept = state["registry"] = KeptAnswers(("actor",), 1, MAX_REGISTRY_BYTES)
    # From the primary: a draft is a write, and the actors a client just created must be in
    # the registry it drafts against.
    return await kept.kept(state.pool, "registry", read_registry)


def extractor_failed(detail: str) -> ApiError:
    return ApiError(500, "extractor-failed", detail)


class Drafter:
    """The drafting processes of one API process."""

    def __init__(self, extractor: str, processes: int) -> None:
        self.extractor = extractor
        self.processes = processes
        self._pool: ProcessPoolExecutor | None = None
        self._sent: tuple[Answer, str] | None = None
        """The registry reading last drafted with, and its token. Holding the `Answer`
        keeps its identity from being reused by another reading."""

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=self.processes,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=worker.start,
                initargs=(self.extractor,),
            )
        return self._pool

    def _token(self, registry: Answer) -> str:
        if self._sent is None or self._sent[0] is not registry:
            self._sent = (registry, uuid.uuid4().hex)
        return self._sent[1]

    async def draft(self, text: str, source: DraftSource, registry: Answer) -> ExtractionFields:
        """The draft of `text`: what the extractor finds, checked as a reviewer's edit would
        be (a result that breaks a rule is the extractor's fault: 500, nothing stored)."""
        token, sent_source = self._token(registry), msgspec.json.encode(source)
        answer = await self._run(token, None, text, sent_source)
        if answer == worker.NEEDS_GAZETTEER:
            answer = await self._run(token, registry.body, text, sent_source)
        try:
            found = msgspec.json.decode(answer, type=ExtractedDraft)
            drafted = ExtractionFields(
                extractor=self.extractor,
                text=text,
                source=store.with_found_source(source, found.source),
                actors=found.actors,
                claims=found.claims,
            )
            # Read back as an edit is: every type and bound of the fields.
            fields = msgspec.convert(msgspec.to_builtins(drafted), ExtractionFields, strict=True)
        except msgspec.ValidationError as exc:
            raise extractor_failed(f"The extractor {self.extractor} drafted {exc}") from None
        errors = store.draft_errors(fields)
        if errors:
            broken = "; ".join(f"{e.field}: {e.message}" for e in errors[:5])
            raise extractor_failed(f"The extractor {self.extractor} drafted {broken}")
        return fields

    async def _run(self, token: str, registry: bytes | None, text: str, source: bytes) -> bytes:
        pool = self._executor()
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(pool, worker.draft, token, registry, text, source)
        except BrokenProcessPool:
            # A drafting process died (killed, out of memory, or the extractor could not be
            # built): the next draft starts a new pool.
            if self._pool is pool:
                self._pool = None
                pool.shutdown(wait=False, cancel_futures=True)
            log.error("a drafting process of %s stopped", self.extractor)
            raise ApiError(
                503,
                "extractor-unavailable",
                "The drafting process stopped before it answered; try again.",
                headers={"Retry-After": "1"},
            ) from None
        except Exception as exc:
            log.exception("extractor %s failed", self.extractor, exc_info=exc)
            raise extractor_failed(
                f"The extractor {self.extractor} failed on this text ({type(exc).__name__})."
            ) from None

    async def close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            await asyncio.to_thread(pool.shutdown, wait=True, cancel_futures=True)


@asynccontextmanager
async def drafting(state: State, extractor: str, processes: int) -> AsyncIterator[Drafter]:
    """The app's `Drafter` while the app runs (`state.drafter`); its processes end with it."""
    drafter = state["drafter"] = Drafter(extractor, processes)
    try:
        yield drafter
    finally:
        await drafter.close()
