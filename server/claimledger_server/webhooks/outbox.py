"""The worker's side of the outbox: claim due deliveries under a lease, and record each
attempt with what follows from it (done, retry later, failed, endpoint disabled)."""

import logging
import random
import uuid
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

import asyncpg
import msgspec

from claimledger_server.config import WebhookSettings
from claimledger_server.events.sequencer import Connection
from claimledger_server.ids import new_id
from claimledger_server.webhooks.schemas import WebhookPayload
from claimledger_server.webhooks.store import notify, park

log = logging.getLogger("claimledger.webhooks")

MAX_RETRY_AFTER = timedelta(days=1)
JITTER = 0.2
"""Each retry delay is spread by ±20 %, so deliveries failed together do not return together."""


class Job(NamedTuple):
    """One claimed delivery, ready to send."""

    delivery_id: str
    lease: uuid.UUID
    endpoint_id: str
    event_id: str
    resource_id: str | None
    position: int | None
    url: str
    secrets: list[str]
    body: bytes


class Outcome(NamedTuple):
    attempted_at: datetime
    status_code: int | None
    latency_ms: int
    response_body: str | None
    error: str | None
    retry_after: float | None = None
    """Seconds the receiver asked us to wait (Retry-After on 429 and 503)."""

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


# A delivery is due when its time has come, no worker holds a live lease on it, its
# endpoint is enabled, and it is the first pending delivery of its resource to its endpoint
# (the earlier ones being delivered or failed): per resource, order is kept. The due index
# is scanned in time order and each row checked with index probes, stopping at the limit,
# so the cost stays proportional to what is skipped, even before the table has statistics.
_CLAIM = """
    WITH due AS (
        SELECT d.id FROM webhook_deliveries d
         WHERE d.status = 'pending' AND d.next_attempt_at <= now()
           AND (d.locked_until IS NULL OR d.locked_until <= now())
           AND (SELECT w.enabled FROM webhook_endpoints w WHERE w.id = d.endpoint_id)
           AND (d.resource_id IS NULL OR d.position = (
               SELECT p.position FROM webhook_deliveries p
                WHERE p.endpoint_id = d.endpoint_id AND p.resource_id = d.resource_id
                  AND p.status = 'pending'
                ORDER BY p.endpoint_id, p.resource_id, p.position
                LIMIT 1))
         ORDER BY d.next_attempt_at
         LIMIT $1
         FOR UPDATE OF d SKIP LOCKED
    )
    UPDATE webhook_deliveries d
       SET locked_until = now() + $2 * interval '1 second', lease = gen_random_uuid()
      FROM due WHERE d.id = due.id
    RETURNING d.id, d.lease
"""

_JOBS = """
    SELECT d.id, d.endpoint_id, d.event_id, d.event_type, d.resource_id, d.position,
           d.payload::text AS payload, d.created_at, w.url, w.secret,
           CASE WHEN w.previous_secret_expires_at > now() THEN w.previous_secret END AS previous,
           e.type, e.occurred_at, e.resource, e.version, e.data::text AS data
      FROM webhook_deliveries d
      JOIN webhook_endpoints w ON w.id = d.endpoint_id
      LEFT JOIN events e ON d.payload IS NULL AND e.id = d.event_id
     WHERE d.id = ANY($1::text[])
"""


class _FeedEvent(msgspec.Struct):
    """An event exactly as `GET /v1/events` shows it."""

    id: str
    seq: int
    type: str
    occurred_at: datetime
    resource: str
    resource_id: str
    version: int
    data: msgspec.Raw


def _body(row: asyncpg.Record) -> bytes:
    if row["payload"] is not None:
        payload = WebhookPayload(row["event_type"], row["created_at"], msgspec.Raw(row["payload"]))
    else:
        event = _FeedEvent(
            row["event_id"],
            row["position"],
            row["type"],
            row["occurred_at"],
            row["resource"],
            row["resource_id"],
            row["version"],
            msgspec.Raw(row["data"].encode()),
        )
        data = msgspec.Raw(msgspec.json.encode(event))
        payload = WebhookPayload(row["type"], row["occurred_at"], data)
    return msgspec.json.encode(payload)


async def claim(pool: asyncpg.Pool, limit: int, lease_seconds: float) -> list[Job]:
    async with pool.acquire() as conn:
        async with conn.transaction():
            claimed = await conn.fetch(_CLAIM, limit, lease_seconds)
        leases = {row["id"]: row["lease"] for row in claimed}
        if not leases:
            return []
        rows = await conn.fetch(_JOBS, list(leases))
    jobs = []
    for row in rows:
        if row["payload"] is None and row["type"] is None:  # cannot happen: events stay
            log.error("delivery %s names a missing event %s", row["id"], row["event_id"])
            continue
        secrets = [row["secret"], *([row["previous"]] if row["previous"] else [])]
        jobs.append(
            Job(
                row["id"],
                leases[row["id"]],
                row["endpoint_id"],
                row["event_id"],
                row["resource_id"],
                row["position"],
                row["url"],
                secrets,
                _body(row),
            )
        )
    return jobs


async def next_due_in(pool: asyncpg.Pool) -> float | None:
    """Seconds until the next scheduled retry, if any is scheduled."""
    value = await pool.fetchval(
        """SELECT extract(epoch FROM min(next_attempt_at) - now()) FROM webhook_deliveries
            WHERE status = 'pending' AND next_attempt_at > now()
              AND next_attempt_at < 'infinity'"""
    )
    return None if value is None else max(0.0, float(value))


def retry_delay(settings: WebhookSettings, step: int, retry_after: float | None) -> float | None:
    """Seconds to wait before attempt `step` (0-based) of the schedule; None when the
    schedule is exhausted."""
    if step >= len(settings.retry_schedule):
        return None
    delay = settings.retry_schedule[step] * random.uniform(1 - JITTER, 1 + JITTER)
    if retry_after is not None:
        delay = max(delay, min(retry_after, MAX_RETRY_AFTER.total_seconds()))
    return delay


async def record(
    pool: asyncpg.Pool, job: Job, outcome: Outcome, settings: WebhookSettings, worker: str
) -> None:
    async with pool.acquire() as conn, conn.transaction():
        current = await conn.fetchrow(
            "SELECT lease, step FROM webhook_deliveries WHERE id = $1 FOR UPDATE", job.delivery_id
        )
        if current is None:
            return  # the endpoint was deleted meanwhile, and its deliveries with it
        await conn.execute(
            """INSERT INTO webhook_attempts (id, delivery_id, attempted_at, status_code,
                   latency_ms, response_body, error, worker)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8)""",
            new_id("wha"),
            job.delivery_id,
            outcome.attempted_at,
            outcome.status_code,
            outcome.latency_ms,
            outcome.response_body,
            outcome.error,
            worker,
        )
        if current["lease"] != job.lease:
            log.warning("delivery %s: lease lost before the attempt was recorded", job.delivery_id)
            return
        if outcome.succeeded:
            status, delay = "delivered", None
        elif outcome.status_code == 410:
            status, delay = "failed", None
        else:
            delay = retry_delay(settings, current["step"] + 1, outcome.retry_after)
            status = "failed" if delay is None else "pending"
        await conn.execute(
            """UPDATE webhook_deliveries
                  SET status = $2, attempts = attempts + 1, step = step + 1,
                      next_attempt_at = CASE WHEN $3::float8 IS NULL THEN next_attempt_at
                                        ELSE now() + $3::float8 * interval '1 second' END,
                      locked_until = NULL, lease = NULL, last_attempt_at = $4,
                      last_status_code = $5, last_error = $6,
                      delivered_at = CASE WHEN $2 = 'delivered' THEN now() END
                WHERE id = $1""",
            job.delivery_id,
            status,
            delay,
            outcome.attempted_at,
            outcome.status_code,
            outcome.error,
        )
        await _endpoint_health(conn, job, outcome, settings)
        # The next delivery of this resource may go now: wake whoever is waiting.
        if (
            status != "pending"
            and job.resource_id is not None
            and await conn.fetchval(
                """SELECT EXISTS (SELECT 1 FROM webhook_deliveries
                    WHERE endpoint_id = $1 AND resource_id = $2 AND status = 'pending'
                      AND position > $3)""",
                job.endpoint_id,
                job.resource_id,
                job.position,
            )
        ):
            await notify(conn)


async def _endpoint_health(
    conn: Connection, job: Job, outcome: Outcome, settings: WebhookSettings
) -> None:
    if outcome.succeeded:
        await conn.execute(
            "UPDATE webhook_endpoints SET failing_since = NULL"
            " WHERE id = $1 AND failing_since IS NOT NULL",
            job.endpoint_id,
        )
        return
    if outcome.status_code == 410:
        await disable(conn, job.endpoint_id, "gone")
        return
    failing_since = await conn.fetchval(
        """UPDATE webhook_endpoints SET failing_since = coalesce(failing_since, now())
            WHERE id = $1 RETURNING failing_since""",
        job.endpoint_id,
    )
    cutoff = datetime.now(UTC) - timedelta(seconds=settings.disable_after_seconds)
    if failing_since is not None and failing_since <= cutoff:
        await disable(conn, job.endpoint_id, "failing")


async def disable(conn: Connection, endpoint_id: str, reason: str) -> bool:
    """Disable an enabled endpoint and announce it with a `webhook_endpoint.disabled` event
    in the changes feed (and so to other endpoints that subscribe to it). The feed is open
    to `read` keys, so the event names the endpoint by id only, without its URL."""
    row = await conn.fetchrow(
        """UPDATE webhook_endpoints
              SET enabled = false, disabled_reason = $2, version = version + 1, updated_at = now()
            WHERE id = $1 AND enabled
        RETURNING id, failing_since, version, updated_at""",
        endpoint_id,
        reason,
    )
    if row is None:
        return False
    await park(conn, endpoint_id)
    data = {
        "id": row["id"],
        "enabled": False,
        "disabled_reason": reason,
        "failing_since": row["failing_since"],
        "disabled_at": row["updated_at"],
    }
    await conn.execute(
        """INSERT INTO events (id, type, occurred_at, resource, resource_id, version, data)
           VALUES ($1, 'webhook_endpoint.disabled', $2, 'webhook_endpoint', $3, $4, $5)""",
        new_id("evt"),
        row["updated_at"],
        row["id"],
        row["version"],
        msgspec.json.encode(data).decode(),
    )
    log.warning("webhook endpoint %s disabled: %s", endpoint_id, reason)
    return True
