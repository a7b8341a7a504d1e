-- Drafts from text (`/v1/extractions`): versioned like every resource (the live row, one
-- history row per version, an event per change), in tables of the same shape. A draft is
-- not part of the ledger: nothing references it and it references nothing (`refs` stays
-- empty), so it never holds up a delete and an export leaves it out.
CREATE TABLE extractions (
    id          text PRIMARY KEY,
    version     int NOT NULL,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    deleted     boolean NOT NULL DEFAULT false,
    external_id text UNIQUE,
    refs        text[] NOT NULL DEFAULT '{}',
    doc         json NOT NULL,
    status      text GENERATED ALWAYS AS (doc->>'status') STORED
);
-- `?status=draft`: the review queue, in creation order.
CREATE INDEX extractions_status ON extractions (status, id);
CREATE INDEX extractions_updated ON extractions (updated_at, id);

CREATE TABLE extractions_history (LIKE extractions INCLUDING GENERATED);
ALTER TABLE extractions_history
    ADD COLUMN action text NOT NULL CHECK (action IN ('created', 'updated', 'deleted')),
    ADD COLUMN valid_to timestamptz,
    ADD COLUMN api_key_id text,
    ADD COLUMN change_note text,
    ADD PRIMARY KEY (id, version);
CREATE INDEX extractions_history_current ON extractions_history (id, updated_at DESC);
CREATE INDEX extractions_history_valid ON extractions_history (updated_at, valid_to);
