"""Sending one delivery: check the target again, sign, POST with a deadline, read a bounded
part of the answer. Never raises for anything the network or the receiver does."""

import asyncio
import time
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx

from claimledger_server import __version__
from claimledger_server.webhooks import safety, signing
from claimledger_server.webhooks.outbox import Job, Outcome

MAX_READ = 64 * 1024
"""Response bytes read at most; the rest is never downloaded."""
STORED = 4096
"""Response characters kept in the attempt log."""
USER_AGENT = f"ClaimLedger-Webhooks/{__version__}"


def new_client(concurrency: int) -> httpx.AsyncClient:
    # No redirects (a 3xx is a failed attempt), no proxies or credentials from the
    # environment: the request goes to the address `safety.check` approved. Connections
    # are kept alive per pinned address, enough for every send in flight.
    return httpx.AsyncClient(
        follow_redirects=False,
        trust_env=False,
        limits=httpx.Limits(
            max_connections=max(100, concurrency), max_keepalive_connections=concurrency
        ),
    )


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


async def _read_capped(response: httpx.Response) -> bytes:
    received = bytearray()
    async for chunk in response.aiter_raw():
        received += chunk
        if len(received) >= MAX_READ:
            break
    return bytes(received[:MAX_READ])


async def send(
    client: httpx.AsyncClient,
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
    try:
        async with asyncio.timeout(seconds):
            target = await safety.check(job.url, allow_private=allow_private, resolver=resolver)
            timestamp = int(time.time())
            headers = {
                "host": target.host_header,
                "content-type": "application/json",
                "user-agent": USER_AGENT,
                "accept-encoding": "identity",
                **signing.headers(job.secrets, job.event_id, timestamp, job.body),
            }
            request = client.build_request(
                "POST",
                target.url,
                content=job.body,
                headers=headers,
                extensions={"sni_hostname": target.sni_hostname} if target.sni_hostname else {},
            )
            response = await client.send(request, stream=True)
            try:
                status = response.status_code
                if status in (429, 503):
                    retry_after = parse_retry_after(response.headers.get("retry-after"))
                if 300 <= status < 400:
                    error = "redirects are not followed"
                body = (await _read_capped(response))[:STORED].decode("utf-8", "replace")
            finally:
                await response.aclose()
    except TimeoutError:
        error = f"no complete answer within {seconds:g} s"
    except safety.UnsafeTarget as exc:
        error = f"target refused: {exc}"
    except httpx.HTTPError as exc:
        error = f"{type(exc).__name__}: {exc}".rstrip(": ")
    except OSError as exc:
        error = f"{type(exc).__name__}: {exc}"
    latency = int((time.monotonic() - started) * 1000)
    return Outcome(attempted_at, status, latency, body or None, error, retry_after)
