"""Webhook endpoints and the operations on their deliveries (hand-written SQL)."""

from datetime import datetime, timedelta

import asyncpg
import msgspec
from msgspec import UNSET

from claimledger_server.errors import ApiError
from claimledger_server.events.sequencer import Connection
from claimledger_server.events.store import like_patterns
from claimledger_server.ids import new_id
from claimledger_server.pagination import decode_cursor, split_page
from claimledger_server.webhooks import outbox_statistics, signing
from claimledger_server.webhooks.schemas import (
    DeliveryStatus,
    WebhookAttempt,
    WebhookAttemptList,
    WebhookDelivery,
    WebhookDeliveryList,
    WebhookEndpoint,
    WebhookEndpointCreate,
    WebhookEndpointList,
    WebhookEndpointUpdate,
    WebhookEndpointWithSecret,
    WebhookSecret,
)

CHANNEL = "claimledger_webhooks"
"""NOTIFY channel: deliveries were queued (or became sendable again)."""
ROTATION_GRACE = timedelta(hours=24)
# Pending deliveries of a disabled endpoint are parked at 'infinity', out of the workers'
# way, and brought back to now() when it is enabled again.
_WHEN_ENABLED = "CASE WHEN {enabled} THEN now() ELSE 'infinity' END"

_ENDPOINT = (
    "id, url, description, event_types, enabled, disabled_reason, failing_since,"
    " created_at, updated_at"
)
_DELIVERY = (
    "id, endpoint_id, event_id, event_type, position, resource_id, status, attempts,"
    " next_attempt_at, last_attempt_at, last_status_code, last_error, delivered_at, created_at"
)


def _endpoint(row: asyncpg.Record | None) -> WebhookEndpoint:
    assert row is not None  # callers check existence first, in the same transaction
    return WebhookEndpoint(**dict(row))


def _delivery(row: asyncpg.Record | None) -> WebhookDelivery:
    assert row is not None
    values = dict(row)
    values["seq"] = values.pop("position")
    if values["status"] != "pending" or values["next_attempt_at"].tzinfo is None:  # parked
        values["next_attempt_at"] = None
    return WebhookDelivery(**values)


def not_found(endpoint_id: str) -> ApiError:
    return ApiError(404, "not-found", f"No webhook endpoint with id {endpoint_id!r}.")


async def notify(conn: Connection) -> None:
    """Wake the workers (delivered when the transaction commits)."""
    await conn.execute("SELECT pg_notify($1, '')", CHANNEL)


# Endpoints


async def create_endpoint(
    conn: asyncpg.Connection, data: WebhookEndpointCreate
) -> WebhookEndpointWithSecret:
    secret = signing.new_secret()
    row = await conn.fetchrow(
        f"""INSERT INTO webhook_endpoints
                (id, url, description, event_types, type_patterns, enabled, secret)
            VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING {_ENDPOINT}""",
        new_id("whe"),
        data.url,
        data.description,
        data.event_types,
        like_patterns(data.event_types),
        data.enabled,
        secret,
    )
    assert row is not None
    return WebhookEndpointWithSecret(**dict(row), secret=secret)


async def list_endpoints(
    conn: asyncpg.Connection, limit: int, cursor: str | None
) -> WebhookEndpointList:
    after = decode_cursor(cursor, str) if cursor else ""
    rows = await conn.fetch(
        f"SELECT {_ENDPOINT} FROM webhook_endpoints WHERE id > $1 ORDER BY id LIMIT $2",
        after,
        limit + 1,
    )
    page, next_cursor = split_page(rows, limit, lambda row: row["id"])
    return WebhookEndpointList([_endpoint(row) for row in page], next_cursor)


async def get_endpoint(conn: asyncpg.Connection, endpoint_id: str) -> WebhookEndpoint:
    row = await conn.fetchrow(
        f"SELECT {_ENDPOINT} FROM webhook_endpoints WHERE id = $1", endpoint_id
    )
    if row is None:
        raise not_found(endpoint_id)
    return _endpoint(row)


async def update_endpoint(
    conn: asyncpg.Connection, endpoint_id: str, changes: WebhookEndpointUpdate
) -> WebhookEndpoint:
    current = await conn.fetchrow(
        "SELECT enabled FROM webhook_endpoints WHERE id = $1 FOR UPDATE", endpoint_id
    )
    if current is None:
        raise not_found(endpoint_id)
    enabling = changes.enabled is True and not current["enabled"]
    sets: list[str] = ["version = version + 1", "updated_at = now()"]
    args: list[object] = [endpoint_id]

    def assign(column: str, value: object) -> None:
        args.append(value)
        sets.append(f"{column} = ${len(args)}")

    if changes.url is not UNSET:
        assign("url", changes.url)
    if changes.event_types is not UNSET:
        assign("event_types", changes.event_types)
        assign("type_patterns", like_patterns(changes.event_types))
    if changes.description is not UNSET:
        assign("description", changes.description)
    if changes.enabled is not UNSET:
        assign("enabled", changes.enabled)
        if changes.enabled is False or enabling:
            sets.append("disabled_reason = NULL")
        if enabling:
            sets.append("failing_since = NULL")
    row = await conn.fetchrow(
        f"UPDATE webhook_endpoints SET {', '.join(sets)} WHERE id = $1 RETURNING {_ENDPOINT}",
        *args,
    )
    if enabling:
        # What waited while the endpoint was disabled goes now, with a fresh schedule.
        await conn.execute(
            """UPDATE webhook_deliveries SET step = 0, next_attempt_at = now()
                WHERE endpoint_id = $1 AND status = 'pending' AND next_attempt_at > now()""",
            endpoint_id,
        )
        await notify(conn)
    elif changes.enabled is False and current["enabled"]:
        await park(conn, endpoint_id)
    return _endpoint(row)


async def delete_endpoint(conn: asyncpg.Connection, endpoint_id: str) -> None:
    """Deletes the endpoint with its deliveries and their attempts."""
    # Lock in the order the delivery worker does (delivery, then endpoint), or a worker
    # recording an attempt and this delete deadlock on each other's rows.
    await conn.execute(
        "SELECT 1 FROM webhook_deliveries WHERE endpoint_id = $1 ORDER BY id FOR UPDATE",
        endpoint_id,
    )
    status = await conn.execute("DELETE FROM webhook_endpoints WHERE id = $1", endpoint_id)
    if status.endswith(" 0"):
        raise not_found(endpoint_id)


async def rotate_secret(conn: asyncpg.Connection, endpoint_id: str) -> WebhookSecret:
    """A new secret; the current one keeps signing (a second signature) for 24 hours."""
    secret = signing.new_secret()
    row = await conn.fetchrow(
        """UPDATE webhook_endpoints
              SET previous_secret = secret, previous_secret_expires_at = now() + $3::interval,
                  secret = $2, updated_at = now()
            WHERE id = $1 RETURNING previous_secret_expires_at""",
        endpoint_id,
        secret,
        ROTATION_GRACE,
    )
    if row is None:
        raise not_found(endpoint_id)
    return WebhookSecret(secret=secret, previous_secret_expires_at=row[0])


# Deliveries


async def park(conn: Connection, endpoint_id: str) -> None:
    await conn.execute(
        """UPDATE webhook_deliveries SET next_attempt_at = 'infinity'
            WHERE endpoint_id = $1 AND status = 'pending'""",
        endpoint_id,
    )


async def create_deliveries(conn: Connection, first: int, last: int) -> None:
    """Sequencer hook: one delivery per event positioned in (first, last] and enabled
    endpoint whose globs match it, in the transaction that positions the events; and the
    outbox's statistics renewed when they no longer describe it (see `outbox_statistics`)."""
    row = await conn.fetchrow(
        f"""WITH queued AS (
               INSERT INTO webhook_deliveries
                      (endpoint_id, event_id, event_type, position, resource_id)
               SELECT w.id, e.id, e.type, e.position, e.resource_id
                 FROM events e
                 JOIN webhook_endpoints w ON w.enabled AND e.type LIKE ANY (w.type_patterns)
                WHERE e.position > $1 AND e.position <= $2
                ORDER BY e.position, w.id
               ON CONFLICT (endpoint_id, event_id) DO NOTHING
               RETURNING 1)
            SELECT count(*) AS queued, {outbox_statistics.KNOWN} FROM queued""",
        first,
        last,
    )
    assert row is not None  # an aggregate without GROUP BY returns one row
    if not row["queued"]:
        return
    await outbox_statistics.renew_if_outgrown(conn, row)
    await notify(conn)


async def _endpoint_row(conn: asyncpg.Connection, endpoint_id: str) -> asyncpg.Record:
    row = await conn.fetchrow(
        "SELECT id, enabled, type_patterns FROM webhook_endpoints WHERE id = $1", endpoint_id
    )
    if row is None:
        raise not_found(endpoint_id)
    return row


async def enqueue_ping(conn: asyncpg.Connection, endpoint_id: str) -> WebhookDelivery:
    endpoint = await _endpoint_row(conn, endpoint_id)
    if not endpoint["enabled"]:
        raise ApiError(409, "conflict", "The endpoint is disabled; enable it to test it.")
    payload = msgspec.json.encode(
        {"endpoint_id": endpoint_id, "message": "A test delivery from ClaimLedger."}
    ).decode()
    row = await conn.fetchrow(
        f"""INSERT INTO webhook_deliveries (endpoint_id, event_id, event_type, payload)
            VALUES ($1, $2, 'ping', $3) RETURNING {_DELIVERY}""",
        endpoint_id,
        new_id("evt"),
        payload,
    )
    await notify(conn)
    return _delivery(row)


async def replay(conn: asyncpg.Connection, endpoint_id: str, after: int) -> int:
    """Queue every event after feed position `after` that the endpoint subscribes to; a
    delivery already made (or failed) for an event is queued again."""
    endpoint = await _endpoint_row(conn, endpoint_id)
    status = await conn.execute(
        f"""INSERT INTO webhook_deliveries
               (endpoint_id, event_id, event_type, position, resource_id, next_attempt_at)
           SELECT $1, e.id, e.type, e.position, e.resource_id, {_WHEN_ENABLED.format(enabled="$4")}
             FROM events e
            WHERE e.position > $2 AND e.type LIKE ANY ($3)
            ORDER BY e.position
           ON CONFLICT (endpoint_id, event_id) DO UPDATE
              SET status = 'pending', step = 0, next_attempt_at = excluded.next_attempt_at,
                  delivered_at = NULL
            WHERE webhook_deliveries.status <> 'pending'""",
        endpoint_id,
        after,
        endpoint["type_patterns"],
        endpoint["enabled"],
    )
    queued = int(status.split()[-1])
    if queued:
        await notify(conn)
    return queued


async def recover(conn: asyncpg.Connection, endpoint_id: str, since: datetime) -> int:
    endpoint = await _endpoint_row(conn, endpoint_id)
    status = await conn.execute(
        f"""UPDATE webhook_deliveries
               SET status = 'pending', step = 0, locked_until = NULL, lease = NULL,
                   next_attempt_at = {_WHEN_ENABLED.format(enabled="$3")}
             WHERE endpoint_id = $1 AND status = 'failed' AND created_at >= $2""",
        endpoint_id,
        since,
        endpoint["enabled"],
    )
    queued = int(status.split()[-1])
    if queued:
        await notify(conn)
    return queued


async def retry_delivery(
    conn: asyncpg.Connection, endpoint_id: str, delivery_id: str
) -> WebhookDelivery:
    endpoint = await _endpoint_row(conn, endpoint_id)
    row = await conn.fetchrow(
        """SELECT status, locked_until > now() AS sending FROM webhook_deliveries
            WHERE id = $1 AND endpoint_id = $2 FOR UPDATE""",
        delivery_id,
        endpoint_id,
    )
    if row is None:
        raise ApiError(404, "not-found", f"No delivery {delivery_id!r} to this endpoint.")
    if row["sending"]:
        raise ApiError(409, "conflict", "This delivery is being sent right now.")
    updated = await conn.fetchrow(
        f"""UPDATE webhook_deliveries
               SET status = 'pending', step = 0, delivered_at = NULL,
                   next_attempt_at = {_WHEN_ENABLED.format(enabled="$2")}
             WHERE id = $1 RETURNING {_DELIVERY}""",
        delivery_id,
        endpoint["enabled"],
    )
    await notify(conn)
    return _delivery(updated)


async def get_delivery(
    conn: asyncpg.Connection, endpoint_id: str, delivery_id: str
) -> WebhookDelivery:
    row = await conn.fetchrow(
        f"SELECT {_DELIVERY} FROM webhook_deliveries WHERE id = $1 AND endpoint_id = $2",
        delivery_id,
        endpoint_id,
    )
    if row is None:
        await _endpoint_row(conn, endpoint_id)
        raise ApiError(404, "not-found", f"No delivery {delivery_id!r} to this endpoint.")
    return _delivery(row)


async def list_deliveries(
    conn: asyncpg.Connection,
    endpoint_id: str,
    *,
    status: DeliveryStatus | None,
    event_type: str | None,
    limit: int,
    cursor: str | None,
) -> WebhookDeliveryList:
    """Newest first."""
    await _endpoint_row(conn, endpoint_id)
    before = decode_cursor(cursor, str) if cursor else None
    rows = await conn.fetch(
        f"""SELECT {_DELIVERY} FROM webhook_deliveries
             WHERE endpoint_id = $1 AND ($2::text IS NULL OR id < $2)
               AND ($3::text IS NULL OR status = $3)
               AND ($4::text IS NULL OR event_type LIKE $4)
             ORDER BY id DESC LIMIT $5""",
        endpoint_id,
        before,
        status,
        like_patterns([event_type])[0] if event_type else None,
        limit + 1,
    )
    page, next_cursor = split_page(rows, limit, lambda row: row["id"])
    return WebhookDeliveryList([_delivery(row) for row in page], next_cursor)


async def list_attempts(
    conn: asyncpg.Connection, endpoint_id: str, delivery_id: str, limit: int, cursor: str | None
) -> WebhookAttemptList:
    """Oldest first."""
    await get_delivery(conn, endpoint_id, delivery_id)
    after = decode_cursor(cursor, str) if cursor else ""
    rows = await conn.fetch(
        """SELECT id, delivery_id, attempted_at, status_code, latency_ms, response_body, error,
                  coalesce(status_code BETWEEN 200 AND 299, false) AS succeeded
             FROM webhook_attempts WHERE delivery_id = $1 AND id > $2 ORDER BY id LIMIT $3""",
        delivery_id,
        after,
        limit + 1,
    )
    page, next_cursor = split_page(rows, limit, lambda row: row["id"])
    return WebhookAttemptList([WebhookAttempt(**dict(row)) for row in page], next_cursor)
