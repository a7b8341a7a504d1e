"""Read-your-writes across a streaming replica: the `ClaimLedger-Consistency` token.

With `DATABASE_READ_URL` set, reads go to a hot standby, which applies the primary's
changes a little later than they commit. A client that creates a resource and reads it back
at once could get a 404 there, or an older version that makes its next If-Match a 412.

So every write answers a token: the primary's WAL position read after its commit, which is
at or past the end of the commit record (`pg_current_wal_insert_lsn()`, on the connection
that committed, once the COMMIT returned). A read that sends a token back is served by the
replica only once the replica has replayed up to it (`pg_last_wal_replay_lsn()`): at once
when this process already saw it that far, else after polling it for at most
`replica_wait_seconds`, and otherwise by the primary. Reads without a token go to the
replica as before. Read answers carry a token too: a position their data is at or past, so a
client can send along the greatest token it has seen and never read older than that.

The token reads `lsn:<hex>/<hex>` (PostgreSQL's spelling of the position); clients should
treat it as opaque and send back the last one they got, or the greatest (compare by the
position, not as text). One token names one primary's history: `DATABASE_READ_URL` must name
one standby of `DATABASE_URL` (or several behind one address only if each answers every
connection of a process the same; a load balancer over standbys at different positions
breaks the per-process knowledge of how far "the replica" got)."""

import asyncio
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Annotated, Any

import asyncpg
from litestar import Request
from litestar.di import NamedDependency
from litestar.params import HeaderParameter
from litestar.types import Scope

from claimledger_server.observability.metrics import REPLICA_READS
from claimledger_server.request_ids import set_response_header

log = logging.getLogger("claimledger")

HEADER = "ClaimLedger-Consistency"
"""The header's one spelling: requests send it, responses carry it, CORS exposes it."""
TOKEN_PATTERN = r"^lsn:[0-9A-Fa-f]{1,8}/[0-9A-Fa-f]{1,8}$"  # noqa: S105 -- not a secret
_TOKEN = re.compile(TOKEN_PATTERN)
_STAMPED = "consistency_lsn"

TRUST_SECONDS = 1.0
"""How long a replay position read from the replica is taken as the replica's without
asking again. The position only grows while the standby runs, but a standby restarted
after a crash may start again from an earlier one; past this age a token beyond what is
known makes the process ask again."""
FIRST_POLL_SECONDS = 0.001
LAST_POLL_SECONDS = 0.008
"""Waiting for the replica polls its position after 1 ms, then 2, 4 and every 8 ms:
replay on a healthy standby trails by a millisecond or two, and one poll serves every
request waiting at the time."""
_CAUGHT_UP = 2**64 - 1
"""The position of a read server that is not a standby (it replays nothing and has every
commit): DATABASE_READ_URL naming the primary, or a standby promoted since."""


def format_token(lsn: int) -> str:
    return f"lsn:{lsn >> 32:X}/{lsn & 0xFFFFFFFF:X}"


def parse_token(text: str) -> int:
    """The position a token names; `TOKEN_PATTERN` has checked its shape already."""
    if not _TOKEN.match(text):
        raise ValueError(f"not a consistency token: {text!r}")
    high, low = text[4:].split("/")
    return int(high, 16) << 32 | int(low, 16)


def stamp(scope: Scope, lsn: int) -> None:
    """Answer `lsn` as this request's token (the greatest, when a request makes several)."""
    state = scope["state"]
    if lsn > state.get(_STAMPED, -1):
        state[_STAMPED] = lsn
        set_response_header(scope, HEADER, format_token(lsn))


_REQUEST: ContextVar[Scope | None] = ContextVar("claimledger_request", default=None)


@contextmanager
def serving(scope: Scope) -> Iterator[None]:
    """Mark `scope` as the request whose commits `after_commit` stamps: the transaction
    helpers that commit writes know the connection, not the request."""
    token = _REQUEST.set(scope)
    try:
        yield
    finally:
        _REQUEST.reset(token)


async def after_commit(conn: asyncpg.Connection) -> None:
    """Stamp the request being served with a position at or past the commit that just
    returned on `conn`: read after it, on the server that wrote it. Outside a request
    (command line, background work) nobody reads the token, so nothing is asked."""
    scope = _REQUEST.get()
    if scope is None:
        return
    try:
        position = await conn.fetchval("SELECT pg_current_wal_insert_lsn()")
    except Exception as exc:
        # The write is committed: answer it without a token rather than fail it (the
        # connection may have died with the COMMIT's answer, in a server restart).
        log.warning("no consistency token for a committed write: %r", exc)
        return
    stamp(scope, position)


class ReadRouting:
    """Where a read goes, given the token it sent: one per app (per process)."""

    def __init__(self, primary: asyncpg.Pool, replica: asyncpg.Pool, wait_seconds: float) -> None:
        self.primary = primary
        self.replica = replica
        self.wait_seconds = wait_seconds
        self.replayed = 0
        """The replica's replay position, as last read."""
        self._replayed_at = -TRUST_SECONDS
        self._asking: asyncio.Task[int] | None = None
        self.served_by_replica = 0
        self.served_by_primary = 0
        """Reads with a token the replica had not replayed in time."""
        # The series exist only with a replica, as its lag gauges do: nothing to count without.
        self._counters = (
            {by: REPLICA_READS.labels(by) for by in ("replica", "primary")}
            if replica is not primary
            else {}
        )

    @property
    def has_replica(self) -> bool:
        return self.replica is not self.primary

    async def choose(self, wanted: int | None) -> tuple[asyncpg.Pool, int | None]:
        """The pool to read from, and the position its answer is at or past (to answer as
        the read's token; `None`: no position known)."""
        if not self.has_replica:
            return self.primary, wanted
        loop = asyncio.get_running_loop()
        trusted = loop.time() - self._replayed_at < TRUST_SECONDS
        if wanted is None:
            self._served_by_replica()
            if not trusted:  # learn it for the reads to come, without holding this one
                self._asking_now()
            return self.replica, self._known() if trusted else None
        if wanted <= self.replayed and trusted:
            self._served_by_replica()
            return self.replica, self._known() or wanted
        deadline = loop.time() + self.wait_seconds
        pause = FIRST_POLL_SECONDS
        # Shielded: a client hanging up must not cancel the query others wait for.
        while (await asyncio.shield(self._asking_now())) < wanted:
            left = deadline - loop.time()
            if left <= 0:
                self._served_by_primary()
                return self.primary, wanted
            await asyncio.sleep(min(pause, left))
            pause = min(pause * 2, LAST_POLL_SECONDS)
        self._served_by_replica()
        return self.replica, self._known() or wanted

    def _served_by_replica(self) -> None:
        self.served_by_replica += 1
        self._counters["replica"].inc()

    def _served_by_primary(self) -> None:
        self.served_by_primary += 1
        self._counters["primary"].inc()

    def _known(self) -> int | None:
        return self.replayed if 0 < self.replayed < _CAUGHT_UP else None

    def _asking_now(self) -> "asyncio.Task[int]":
        """The query of the replica's replay position in flight, started if there is none:
        requests asking at the same time share it (its answer is true whenever it was
        read, the position only growing)."""
        if self._asking is None:
            self._asking = asyncio.create_task(self._read_position())
            self._asking.add_done_callback(self._asked)
        return self._asking

    def _asked(self, task: "asyncio.Task[int]") -> None:
        self._asking = None
        if not task.cancelled():
            # Retrieved: whoever waited got it; a refresh nobody awaits fails quietly (the
            # next read asks again).
            task.exception()

    async def _read_position(self) -> int:
        async with self.replica.acquire() as conn:
            row = await conn.fetchrow("SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn()")
        assert row is not None
        in_recovery, replayed = row
        # Not replaying is not lagging: a primary (or a promoted standby) has every commit.
        self.replayed = (replayed or 0) if in_recovery else _CAUGHT_UP
        self._replayed_at = asyncio.get_running_loop().time()
        return self.replayed


ConsistencyToken = Annotated[
    str | None,
    HeaderParameter(
        name=HEADER,
        required=False,
        pattern=TOKEN_PATTERN,
        max_length=21,
        description="The last `ClaimLedger-Consistency` this client got, e.g."
        " `lsn:0/16B3748`: the answer then reflects at least everything up to that write"
        " (with a replica that has not caught up within a few milliseconds, the primary"
        " answers). Opaque; send back the latest (greatest) you received.",
    ),
]


ReadPool = NamedDependency[Any]
"""A handler parameter `read_pool: ReadPool` is the `asyncpg.Pool` its reads go to (see
`read_pool`); typed loosely, like `State`'s pools, as its connections are proxies."""


async def read_pool(request: Request[Any, Any, Any], consistency: ConsistencyToken = None) -> Any:
    """The `read_pool` dependency: the pool this read goes to, given its token; the answer
    carries the token of what it reads."""
    routing: ReadRouting = request.app.state.reads
    pool, position = await routing.choose(parse_token(consistency) if consistency else None)
    if position is not None:
        stamp(request.scope, position)
    return pool
