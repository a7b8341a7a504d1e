-- Webhooks: endpoints, a durable outbox of deliveries, and a log of every attempt.
--
-- Deliveries are created by the sequencer's hook in the same transaction that gives events
-- their feed position, one per (event, matching enabled endpoint): a delivery exists for
-- exactly the positioned events, in feed order. Workers claim due deliveries with
-- FOR UPDATE SKIP LOCKED and hold them by a lease (`locked_until`, `lease`) while sending,
-- so a killed worker's deliveries become due again when the lease runs out.

-- A time-sortable id like `ids.new_id` makes in Python (10 base32 digits of milliseconds,
-- 16 random ones), for rows created in SQL. Not a secret, so random() is good enough.
CREATE FUNCTION cl_new_id(prefix text) RETURNS text LANGUAGE sql VOLATILE AS $$
    SELECT prefix || '_' || string_agg(
        substr('0123456789abcdefghjkmnpqrstvwxyz',
               CASE WHEN i <= 10 THEN ((ms >> (5 * (10 - i))) & 31)::int
                    ELSE floor(random() * 32)::int END + 1, 1),
        '' ORDER BY i)
      FROM generate_series(1, 26) AS i,
           (SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint AS ms) AS t
$$;

CREATE TABLE webhook_endpoints (
    id              text PRIMARY KEY,
    url             text NOT NULL,
    description     text,
    event_types     text[] NOT NULL,
    type_patterns   text[] NOT NULL,           -- event_types as LIKE patterns
    enabled         boolean NOT NULL DEFAULT true,
    disabled_reason text,
    -- Stored so the server can sign; not encrypted at rest (protect the database instead).
    secret          text NOT NULL,
    previous_secret text,                      -- still signs until previous_secret_expires_at
    previous_secret_expires_at timestamptz,
    failing_since   timestamptz,               -- first failure since the last success
    version         int NOT NULL DEFAULT 1,    -- of events about the endpoint
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE webhook_deliveries (
    id              text PRIMARY KEY DEFAULT cl_new_id('whd'),
    endpoint_id     text NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    event_id        text NOT NULL,             -- the webhook-id header
    event_type      text NOT NULL,
    position        bigint,                    -- the event's feed seq; null for pings
    resource_id     text,                      -- order is kept per (endpoint, resource)
    payload         json,                      -- pings only; others are built from events
    status          text NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts        int NOT NULL DEFAULT 0,    -- every attempt ever made
    step            int NOT NULL DEFAULT 0,    -- attempts in the current retry schedule
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    locked_until    timestamptz,
    lease           uuid,
    last_attempt_at timestamptz,
    last_status_code int,
    last_error      text,
    delivered_at    timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (endpoint_id, event_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at)
    WHERE status = 'pending';
CREATE INDEX webhook_deliveries_order ON webhook_deliveries (endpoint_id, resource_id, position)
    WHERE status = 'pending';
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, id);
CREATE INDEX webhook_deliveries_failed ON webhook_deliveries (endpoint_id, created_at)
    WHERE status = 'failed';

CREATE TABLE webhook_attempts (
    id              text PRIMARY KEY,
    delivery_id     text NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    attempted_at    timestamptz NOT NULL,
    status_code     int,
    latency_ms      int NOT NULL,
    response_body   text,
    error           text,
    worker          text NOT NULL
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, id);
