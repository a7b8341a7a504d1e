"""Sending one delivery: check the target again, sign, POST with a deadline, read a bounded
part of the answer. Never raises for anything the network or the receiver does."""

import asyncio
import time
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from claimledger_server import __version__
from claimledger_server.observability.metrics import count_webhook_attempt
from claimledger_server.webhooks import http1, safety, signing
from claimledger_server.webhooks.outbox import Job, Outcome

MAX_READ = 64 * 1024
"""Response bytes read at most; the rest is never downloaded."""
STORED = 4096
"""Response characters kept in the attempt log."""
USER_AGENT = f"ClaimLedger-Webhooks/{__version__}"


def new_client(concurrency: int) -> http1.Client:
    # Connections are kept alive per pinned address, enough for every send in flight and
    # for a few endpoints besides.
    return http1.Client(max_idle=max(100, concurrency))


def parse_retry_after(value: str | None) -> float | None:
    """`Retry-After: 120` or an HTTP date, as seconds from now."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (moment - datetime.now(UTC)).total_seconds())


async def send(
    client: http1.Client,
    job: Job,
    *,
    seconds: float,
    allow_private: bool,
    resolver: safety.Resolver = safety.system_resolver,
) -> Outcome:
    """One attempt, finished within `seconds` (resolving the name included)."""
    attempted_at = datetime.now(UTC)
    started = time.monotonic()
    status: int | None = None
    body: str | None = None
    error: str | None = None
    retry_after: float | None = None
    failure = "connection_error"  # the outcome counted when no answer came
    try:
        async with asyncio.timeout(seconds):
            target = await safety.check(job.url, allow_private=allow_private, resolver=resolver)
            timestamp = int(time.time())
            headers = {
                "content-type": "application/json",
                "user-agent": USER_AGENT,
                "accept-encoding": "identity",
                **signing.headers(job.secrets, job.event_id, timestamp, job.body),
            }
            async with client.post(target, headers, job.body, read_limit=MAX_READ) as response:
                status = response.status
                if status in (429, 503):
                    retry_after = parse_retry_after(response.headers.get("retry-after"))
                if 300 <= status < 400:
                    error = "redirects are not followed"
                body = (await response.read())[:STORED].decode("utf-8", "replace")
    except TimeoutError:
        error = f"no complete answer within {seconds:g} s"
        failure = "timeout"
    except safety.UnsafeTarget as exc:
        error = f"target refused: {exc}"
        failure = "refused_target"
    except (http1.ProtocolError, OSError) as exc:
        # OSError takes in refused and reset connections and TLS failures (ssl.SSLError).
        error = f"{type(exc).__name__}: {exc}".rstrip(": ")
    latency = int((time.monotonic() - started) * 1000)
    count_webhook_attempt(status, failure)
    return Outcome(attempted_at, status, latency, body or None, error, retry_after)
