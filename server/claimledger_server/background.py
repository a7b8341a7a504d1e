"""Work that runs beside the app for as long as it serves: the sequencer, housekeeping, the
metrics' pool sampling."""

import asyncio
import contextlib
from collections.abc import AsyncIterator, Coroutine
from typing import Any


@contextlib.asynccontextmanager
async def running(work: Coroutine[Any, Any, None], name: str) -> AsyncIterator[None]:
    """Run `work` as a task while the block runs; at its end, cancel the task and wait until
    it has stopped (its own `finally` clauses included), so nothing it holds outlives the
    block (the pool it uses closes right after)."""
    task = asyncio.create_task(work, name=name)
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
