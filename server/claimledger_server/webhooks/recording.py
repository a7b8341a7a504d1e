"""Recording attempts: each finished send is logged with what follows from it (done, retry
later, failed, endpoint disabled). Outcomes are recorded in batches, one transaction and a
handful of statements for however many finished together, so the database keeps up with
the sends."""

import logging
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import msgspec

from claimledger_server.config import WebhookSettings
from claimledger_server.events.sequencer import Connection
from claimledger_server.ids import new_id
from claimledger_server.webhooks.outbox import Job, Outcome, retry_delay
from claimledger_server.webhooks.store import notify, park

log = logging.getLogger("claimledger.webhooks")

_ATTEMPTS = """
    INSERT INTO webhook_attempts (id, delivery_id, attempted_at, status_code, latency_ms,
                                  response_body, error, worker)
    SELECT a.id, a.delivery_id, a.attempted_at, a.status_code, a.latency_ms,
           a.response_body, a.error, $8
      FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::int[], $5::int[],
                  $6::text[], $7::text[])
           AS a(id, delivery_id, attempted_at, status_code, latency_ms, response_body, error)
"""

_DELIVERIES = """
    UPDATE webhook_deliveries d
       SET status = u.status, attempts = d.attempts + 1, step = d.step + 1,
           next_attempt_at = CASE WHEN u.delay IS NULL THEN d.next_attempt_at
                             ELSE now() + u.delay * interval '1 second' END,
           locked_until = NULL, lease = NULL, last_attempt_at = u.attempted_at,
           last_status_code = u.status_code, last_error = u.error,
           delivered_at = CASE WHEN u.status = 'delivered' THEN now() END
      FROM unnest($1::text[], $2::text[], $3::float8[], $4::timestamptz[], $5::int[],
                  $6::text[]) AS u(id, status, delay, attempted_at, status_code, error)
     WHERE d.id = u.id
"""

# Whether a delivery that finished (delivered or failed) lets a later one of its resource go:
# one index probe per finished delivery (LIMIT 1 keeps it a probe, not a scan of the queue).
_UNBLOCKED = """
    SELECT EXISTS (
        SELECT 1
          FROM unnest($1::text[], $2::text[], $3::bigint[]) AS f(endpoint_id, resource_id, position)
         CROSS JOIN LATERAL (
               SELECT 1 FROM webhook_deliveries p
                WHERE p.endpoint_id = f.endpoint_id AND p.resource_id = f.resource_id
                  AND p.status = 'pending' AND p.position > f.position
                ORDER BY p.endpoint_id, p.resource_id, p.position
                LIMIT 1) AS later)
"""


def _columns(rows: Sequence[tuple[object, ...]]) -> list[list[object]]:
    """Rows as one array per column, for unnest()."""
    return [list(column) for column in zip(*rows, strict=True)]


def _next_status(
    outcome: Outcome, step: int, settings: WebhookSettings
) -> tuple[str, float | None]:
    if outcome.succeeded:
        return "delivered", None
    if outcome.status_code == 410:
        return "failed", None
    delay = retry_delay(settings, step + 1, outcome.retry_after)
    return ("failed" if delay is None else "pending"), delay


async def record(
    conn: Connection,
    finished: Sequence[tuple[Job, Outcome]],
    settings: WebhookSettings,
    worker: str,
) -> None:
    """Record finished sends in one transaction (the caller's)."""
    ids = sorted({job.delivery_id for job, _ in finished})
    # Lock in id order, as deleting an endpoint does, so the two cannot deadlock.
    rows = await conn.fetch(
        "SELECT id, lease, step FROM webhook_deliveries WHERE id = ANY($1::text[])"
        " ORDER BY id FOR UPDATE",
        ids,
    )
    current = {row["id"]: row for row in rows}
    # Deliveries deleted meanwhile (with their endpoint) are not logged.
    logged = [(job, outcome) for job, outcome in finished if job.delivery_id in current]
    if not logged:
        return
    attempts = [
        (
            new_id("wha"),
            job.delivery_id,
            outcome.attempted_at,
            outcome.status_code,
            outcome.latency_ms,
            outcome.response_body,
            outcome.error,
        )
        for job, outcome in logged
    ]
    await conn.execute(_ATTEMPTS, *_columns(attempts), worker)

    updates = []
    applied: list[tuple[Job, Outcome]] = []
    for job, outcome in logged:
        row = current[job.delivery_id]
        if row["lease"] != job.lease:
            log.warning("delivery %s: lease lost before the attempt was recorded", job.delivery_id)
            continue
        status, delay = _next_status(outcome, row["step"], settings)
        updates.append(
            (
                job.delivery_id,
                status,
                delay,
                outcome.attempted_at,
                outcome.status_code,
                outcome.error,
            )
        )
        applied.append((job, outcome))
    if not applied:
        return
    await conn.execute(_DELIVERIES, *_columns(updates))
    await _endpoint_health(conn, applied, settings)
    # The next delivery of a resource may go now: wake whoever is waiting.
    done = [
        job
        for (job, _), update in zip(applied, updates, strict=True)
        if update[1] != "pending" and job.resource_id is not None
    ]
    if done and await conn.fetchval(
        _UNBLOCKED,
        [job.endpoint_id for job in done],
        [job.resource_id for job in done],
        [job.position for job in done],
    ):
        await notify(conn)


async def _endpoint_health(
    conn: Connection, applied: Sequence[tuple[Job, Outcome]], settings: WebhookSettings
) -> None:
    """Successes clear an endpoint's failing state; failures start it, and disable the
    endpoint after `disable_after_seconds` or on 410. Outcomes apply in the order they
    finished; endpoints that only succeeded (the usual case) take one statement."""
    by_endpoint: dict[str, list[Outcome]] = {}
    for job, outcome in applied:
        by_endpoint.setdefault(job.endpoint_id, []).append(outcome)
    healthy = sorted(e for e, outcomes in by_endpoint.items() if all(o.succeeded for o in outcomes))
    if healthy:
        await conn.execute(
            "UPDATE webhook_endpoints SET failing_since = NULL"
            " WHERE id = ANY($1::text[]) AND failing_since IS NOT NULL",
            healthy,
        )
    for endpoint_id in sorted(by_endpoint.keys() - set(healthy)):
        for outcome in by_endpoint[endpoint_id]:
            await _one_outcome(conn, endpoint_id, outcome, settings)


async def _one_outcome(
    conn: Connection, endpoint_id: str, outcome: Outcome, settings: WebhookSettings
) -> None:
    if outcome.succeeded:
        await conn.execute(
            "UPDATE webhook_endpoints SET failing_since = NULL"
            " WHERE id = $1 AND failing_since IS NOT NULL",
            endpoint_id,
        )
        return
    if outcome.status_code == 410:
        await disable(conn, endpoint_id, "gone")
        return
    failing_since = await conn.fetchval(
        """UPDATE webhook_endpoints SET failing_since = coalesce(failing_since, now())
            WHERE id = $1 RETURNING failing_since""",
        endpoint_id,
    )
    cutoff = datetime.now(UTC) - timedelta(seconds=settings.disable_after_seconds)
    if failing_since is not None and failing_since <= cutoff:
        await disable(conn, endpoint_id, "failing")


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
