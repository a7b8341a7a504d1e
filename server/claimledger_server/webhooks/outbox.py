"""The worker's side of the outbox: claim due deliveries under a lease, and record each
attempt with what follows from it (done, retry later, failed, endpoint disabled)."""

import logging
import random
import uuid
from datetime import datetime, timedelta
from typing import NamedTuple

import asyncpg
import msgspec

from claimledger_server.config import WebhookSettings
from claimledger_server.events.store import row_event_json
from claimledger_server.webhooks.schemas import WebhookPayload

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
# endpoint is enabled, and no earlier delivery of its resource to its endpoint is pending
# (the earlier ones being delivered or failed): per resource, order is kept. The due index
# is scanned in time order and each row checked with index probes, stopping at the limit,
# so the cost stays proportional to what is skipped. The order check is NOT EXISTS, not
# `position = (the first pending position)`: the planner puts an equality with a subquery at
# 1/n of the rows, so it costed every claim as a scan of the whole due index, and past
# ~12,000 pending the estimate crossed jit_above_cost: 61 ms of JIT compilation in each
# 69 ms claim at 30,000. NOT EXISTS counts as half, and the LIMIT keeps the cost small.
# Claiming and reading what to send is one statement (one round trip, its own transaction).
_CLAIM = """
    WITH due AS (
        SELECT d.id FROM webhook_deliveries d
         WHERE d.status = 'pending' AND d.next_attempt_at <= now()
           AND (d.locked_until IS NULL OR d.locked_until <= now())
           AND (SELECT w.enabled FROM webhook_endpoints w WHERE w.id = d.endpoint_id)
           AND (d.resource_id IS NULL OR NOT EXISTS (
               SELECT FROM webhook_deliveries p
                WHERE p.endpoint_id = d.endpoint_id AND p.resource_id = d.resource_id
                  AND p.status = 'pending' AND p.position < d.position))
         ORDER BY d.next_attempt_at
         LIMIT $1
         FOR UPDATE OF d SKIP LOCKED
    ), claimed AS (
        UPDATE webhook_deliveries d
           SET locked_until = now() + $2 * interval '1 second', lease = gen_random_uuid()
          FROM due WHERE d.id = due.id
        RETURNING d.id, d.lease, d.endpoint_id, d.event_id, d.event_type, d.resource_id,
                  d.position, d.payload, d.created_at
    )
    SELECT c.id, c.lease, c.endpoint_id, c.event_id, c.event_type, c.resource_id, c.position,
           c.payload::text AS payload, c.created_at, w.url, w.secret,
           CASE WHEN w.previous_secret_expires_at > now() THEN w.previous_secret END AS previous,
           e.type, e.occurred_at, e.resource, e.version, e.data::text AS data
      FROM claimed c
      JOIN webhook_endpoints w ON w.id = c.endpoint_id
      LEFT JOIN events e ON c.payload IS NULL AND e.id = c.event_id
"""


def _body(row: asyncpg.Record) -> bytes:
    if row["payload"] is not None:
        payload = WebhookPayload(row["event_type"], row["created_at"], msgspec.Raw(row["payload"]))
    else:
        event = row_event_json(row, "event_id")
        data = msgspec.Raw(event)
        payload = WebhookPayload(row["type"], row["occurred_at"], data)
    return msgspec.json.encode(payload)


async def claim(pool: asyncpg.Pool, limit: int, lease_seconds: float) -> list[Job]:
    rows = await pool.fetch(_CLAIM, limit, lease_seconds)
    jobs = []
    for row in rows:
        if row["payload"] is None and row["type"] is None:  # cannot happen: events stay
            log.error("delivery %s names a missing event %s", row["id"], row["event_id"])
            continue
        secrets = [row["secret"], *([row["previous"]] if row["previous"] else [])]
        jobs.append(
            Job(
                row["id"],
                row["lease"],
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
