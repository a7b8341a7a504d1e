-- Idempotency keys: the first successful response to a POST, replayed for retries of the
-- same request (same API key, same Idempotency-Key, same fingerprint) until it expires.
CREATE TABLE idempotency_keys (
    api_key_id  text NOT NULL,
    key         text NOT NULL,
    fingerprint bytea NOT NULL,
    status      int NOT NULL,
    headers     json NOT NULL,
    body        bytea NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    PRIMARY KEY (api_key_id, key)
);
CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);

-- Per-key request budgets. NULL means the server's default.
ALTER TABLE api_keys ADD COLUMN rate_limit_per_minute int CHECK (rate_limit_per_minute > 0);

-- Fixed one-minute windows shared by every API process. Counters are soft state, so the
-- table is unlogged: cheaper writes, and a crash merely forgets the current minute.
CREATE UNLOGGED TABLE rate_limit_windows (
    api_key_id   text NOT NULL,
    window_start timestamptz NOT NULL,
    count        int NOT NULL,
    PRIMARY KEY (api_key_id, window_start)
);
