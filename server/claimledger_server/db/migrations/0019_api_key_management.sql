-- API keys managed over HTTP (`/v1/keys`): a version per change (the ETag, If-Match, and
-- the `version` of its `api_key.*` events), when it last changed, and when it was last used
-- (written at most once a minute per process and key, never on each request).
ALTER TABLE api_keys
    ADD COLUMN version      int NOT NULL DEFAULT 1,
    ADD COLUMN updated_at   timestamptz,
    ADD COLUMN last_used_at timestamptz;
UPDATE api_keys SET updated_at = coalesce(revoked_at, created_at);
ALTER TABLE api_keys
    ALTER COLUMN updated_at SET NOT NULL,
    ALTER COLUMN updated_at SET DEFAULT now(),
    -- The scopes a request names; `keys/schemas.py` keeps the same list.
    ADD CONSTRAINT api_keys_scopes CHECK (
        cardinality(scopes) > 0 AND scopes <@ ARRAY['read', 'write', 'admin']
    );
