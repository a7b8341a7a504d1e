"""`db.pool.FairPool`: connections are lent in the order they were asked for, and every way
of asking (awaited, `async with`, the pool's own `fetch`) gives its turn back once, also
when the wait is cancelled or times out."""

import asyncio
from collections.abc import AsyncIterator

import pytest
from claimledger_server.db.pool import FairPool, create_pool
from webhooks.webhook_helpers import eventually


@pytest.fixture
async def pool(database_url: str) -> AsyncIterator[FairPool]:
    pool = await create_pool(database_url, min_size=1, max_size=1)
    try:
        yield pool
    finally:
        await asyncio.wait_for(pool.close(), 10)


async def test_a_task_asking_as_a_connection_comes_back_waits_behind_those_waiting(
    pool: FairPool,
) -> None:
    """The moment asyncpg's own queue lets a newcomer through: its first step is scheduled
    after the release has begun but before the connection is back. asyncpg's pool then lends
    the connection to the newcomer, and the oldest waiter queues again at the back (checked
    by hand with `asyncpg.create_pool`: the order was newcomer, first, second)."""
    served: list[str] = []

    async def use(name: str) -> None:
        async with pool.acquire() as conn:
            served.append(name)
            await conn.fetchval("SELECT 1")

    held = await pool.acquire()
    waiting = [asyncio.create_task(use("first")), asyncio.create_task(use("second"))]
    await eventually(lambda: pool.waiting == 2, within=5)

    release = asyncio.create_task(pool.release(held))
    await asyncio.sleep(0)  # the release starts and hands its work to a shielded task
    newcomer = asyncio.create_task(use("newcomer"))
    await asyncio.wait_for(asyncio.gather(release, newcomer, *waiting), 10)

    assert served == ["first", "second", "newcomer"]
    assert pool.waiting == 0


async def test_many_tasks_are_served_in_the_order_they_asked(database_url: str) -> None:
    """Twenty tasks, five turns each, on two connections opened beforehand (a connection still
    being opened would let the tasks behind it pass, which is not queueing). asyncpg's own
    pool served 21-47 of the 100 out of order in three of four tries."""
    pool = await create_pool(database_url, min_size=2, max_size=2)
    asked: list[int] = []
    served: list[int] = []
    try:

        async def use(n: int) -> None:
            for _ in range(5):
                asked.append(n)
                async with pool.acquire() as conn:
                    served.append(n)
                    await conn.fetchval("SELECT 1")

        await asyncio.wait_for(asyncio.gather(*(use(n) for n in range(20))), 30)
    finally:
        await asyncio.wait_for(pool.close(), 10)
    assert served == asked
    assert len(served) == 100


async def test_a_cancelled_wait_gives_its_turn_back(pool: FairPool) -> None:
    held = await pool.acquire()
    waiter = asyncio.create_task(pool.fetchval("SELECT 1"))
    await eventually(lambda: pool.waiting == 1, within=5)
    waiter.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiter
    assert pool.waiting == 0
    await pool.release(held)
    assert await asyncio.wait_for(pool.fetchval("SELECT 2"), 5) == 2


async def test_a_timed_out_wait_gives_its_turn_back(pool: FairPool) -> None:
    async with pool.acquire():
        with pytest.raises(TimeoutError):
            await pool.acquire(timeout=0.05)
        assert pool.waiting == 0
    async with pool.acquire(timeout=5) as conn:
        assert await conn.fetchval("SELECT 3") == 3


async def test_releasing_twice_gives_one_turn_back(pool: FairPool) -> None:
    """A connection given back twice (asyncpg ignores the second) must not make room for two
    borrowers on a pool of one."""
    conn = await pool.acquire()
    await pool.release(conn)
    await pool.release(conn)
    held = await pool.acquire()
    second = asyncio.create_task(pool.fetchval("SELECT 4"))
    await eventually(lambda: pool.waiting == 1, within=5)
    assert not second.done()
    await pool.release(held)
    assert await asyncio.wait_for(second, 5) == 4
