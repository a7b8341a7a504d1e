"""The delivery worker: claims due deliveries, sends them in parallel, records every
attempt. Any number of workers (and processes) share the outbox: a delivery is claimed
under a lease longer than a send may take, so no two workers send it at the same time,
and a worker that dies simply lets its leases run out.

It wakes on NOTIFY (deliveries queued or made sendable), when a send finishes, when the
next retry is due, and at least every `poll_seconds`. Sends that finish while an earlier
batch is being recorded are recorded together, in one transaction. A slot is free again as
soon as its send ends, so claiming, sending and recording overlap: with a fast receiver the
database round trips, not the sends, would otherwise set the pace."""

import asyncio
import contextlib
import logging
import os
import signal
import socket
import time
from collections.abc import AsyncIterator

import asyncpg

from claimledger_server.config import Settings, WebhookSettings
from claimledger_server.db.pool import Listener, create_pool
from claimledger_server.events import sequencer
from claimledger_server.observability.metrics import sampling_pools
from claimledger_server.webhooks import http1, outbox, recording, safety, sender, store

log = logging.getLogger("claimledger.webhooks")


def lease_margin(timeout_seconds: float) -> float:
    """How much longer than a send may take a claim is held: room for the claim's round
    trip and a busy event loop. A send that cannot finish inside it is not started."""
    return max(2.0, timeout_seconds / 2)


class Worker:
    def __init__(
        self,
        pool: asyncpg.Pool,
        settings: WebhookSettings,
        *,
        name: str | None = None,
        resolver: safety.Resolver = safety.system_resolver,
    ) -> None:
        self.pool = pool
        self.settings = settings
        self.name = name or f"{socket.gethostname()}:{os.getpid()}"
        self.resolver = resolver
        self.margin = lease_margin(settings.timeout_seconds)
        self.lease_seconds = settings.timeout_seconds + self.margin
        self.client: http1.Client = sender.new_client(settings.concurrency)
        self.inflight: set[asyncio.Task[None]] = set()
        """Deliveries being sent or waiting for their attempt to be recorded."""
        self.sending = 0
        """Those of them being sent: what `concurrency` limits."""
        self.wake = asyncio.Event()
        self.unrecorded: list[tuple[outbox.Job, outbox.Outcome]] = []
        self.recording = asyncio.Lock()

    async def start_due(self) -> int:
        """Claim what is due, as far as there are free slots, and start sending it. While
        sends are in flight, claims wait for half the slots to be free, so that they come
        in batches rather than one query per finished send."""
        concurrency = self.settings.concurrency
        free = concurrency - self.sending
        if free <= 0 or (self.sending and free < (concurrency + 1) // 2):
            return 0
        if len(self.inflight) - self.sending >= concurrency:
            return 0  # recording lags a batch behind: let it catch up first
        claimed = time.monotonic()  # no later than the leases start
        jobs = await outbox.claim(self.pool, free, self.lease_seconds)
        for job in jobs:
            self.sending += 1
            task = asyncio.create_task(self._deliver(job, claimed), name=job.delivery_id)
            self.inflight.add(task)
            task.add_done_callback(self._finished)
        return len(jobs)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self.inflight.discard(task)
        self.wake.set()
        if not task.cancelled() and task.exception() is not None:
            log.error("webhook delivery crashed", exc_info=task.exception())

    async def _deliver(self, job: outbox.Job, claimed: float) -> None:
        try:
            # The send ends before the lease can run out, however late this task starts.
            budget = claimed + self.lease_seconds - self.margin / 2 - time.monotonic()
            timeout = min(self.settings.timeout_seconds, budget)
            if timeout <= 0:
                return  # too late to send safely; the lease runs out and it is retried
            outcome = await sender.send(
                self.client,
                job,
                seconds=timeout,
                allow_private=self.settings.allow_private,
                resolver=self.resolver,
            )
        finally:
            self.sending -= 1
            self.wake.set()  # a slot is free: the next claim need not wait for the recording
        self.unrecorded.append((job, outcome))
        await self._record()

    async def _record(self) -> None:
        """Record every finished send not yet recorded (one batch at a time: what finishes
        meanwhile waits for the next)."""
        async with self.recording:
            batch, self.unrecorded = self.unrecorded, []
            if not batch:
                return  # recorded with an earlier batch
            for attempt in range(5):
                try:
                    async with self.pool.acquire() as conn, conn.transaction():
                        await recording.record(conn, batch, self.settings, self.name)
                    return
                except (asyncpg.PostgresError, OSError) as exc:
                    log.warning("recording %d deliveries failed (%s); retrying", len(batch), exc)
                    await asyncio.sleep(0.2 * 2**attempt)
        # Not recorded: when the leases run out the deliveries are sent again (at least once).

    async def run_until_idle(self) -> None:
        """Send what is due until nothing is due or in flight (retries scheduled for later
        stay for later): for tests and one-off runs."""
        while True:
            started = await self.start_due()
            if self.inflight:
                await asyncio.wait(self.inflight, return_when=asyncio.FIRST_COMPLETED)
            elif not started:
                return

    async def run(self) -> None:
        def notified(*_: object) -> None:
            self.wake.set()

        listener = Listener(self.pool, store.CHANNEL, notified)
        try:
            while True:
                wait = self.settings.poll_seconds
                self.wake.clear()
                try:
                    await listener.connection()
                    while await self.start_due():
                        pass
                    # With sends in flight, their end wakes us and we look again then.
                    due = None if self.inflight else await outbox.next_due_in(self.pool)
                    if due is not None:
                        wait = min(wait, due + 0.001)
                except Exception as exc:  # keep delivering whatever went wrong
                    if isinstance(exc, asyncpg.PostgresError | OSError):
                        log.warning("webhook worker: %s", exc)
                    else:
                        log.exception("webhook worker: unexpected error")
                    await listener.drop()
                    wait = min(wait, 1.0)
                # asyncio.timeout, not wait_for: on Python 3.11 wait_for can swallow a
                # cancellation that lands as the wait ends, and the worker would never stop.
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(wait):
                        await self.wake.wait()
        finally:
            await listener.close()

    async def aclose(self) -> None:
        """Let sends in flight finish (they are bounded by the timeout), then stop."""
        if self.inflight:
            await asyncio.wait(self.inflight, timeout=self.settings.timeout_seconds + 1)
        for task in list(self.inflight):
            task.cancel()
        await self.client.aclose()


@contextlib.asynccontextmanager
async def running(pool: asyncpg.Pool, settings: WebhookSettings) -> AsyncIterator[Worker]:
    worker = Worker(pool, settings)
    task = asyncio.create_task(worker.run(), name="claimledger-webhook-worker")
    try:
        yield worker
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await worker.aclose()


@contextlib.asynccontextmanager
async def in_process(pool: asyncpg.Pool, settings: WebhookSettings) -> AsyncIterator[None]:
    """A worker inside an API process, unless settings turn it off."""
    if not settings.worker:
        yield
        return
    async with running(pool, settings):
        yield


def sequencing(pool: asyncpg.Pool) -> contextlib.AbstractAsyncContextManager[None]:
    """The sequencer with the outbox hook. Every process that positions events must create
    their deliveries in the same transaction, so both start only through here."""
    return sequencer.running(pool, hooks=[store.create_deliveries])


async def serve(dsn: str, settings: Settings) -> None:
    """`claimledger worker`: the sequencer and a delivery worker until SIGTERM or SIGINT."""
    pool = await create_pool(
        dsn, min_size=2, max_size=max(settings.pool_max_size, settings.webhooks.concurrency + 4)
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    try:
        async with (
            sampling_pools({"primary": pool}),
            sequencing(pool),
            running(pool, settings.webhooks),
        ):
            log.info("webhook worker running")
            await stop.wait()
    finally:
        await pool.close()
