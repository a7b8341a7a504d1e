-- ClaimLedger core schema.
--
-- Every resource table has the same shape: the public JSON document as last written (`doc`),
-- the columns the versioning core needs (id, version, timestamps, deleted, external_id, refs),
-- and generated columns extracted from `doc` for the filters and indexes of that resource.
-- `doc` is `json` (text), not `jsonb`: it is served byte-for-byte, keeping our key order.

CREATE FUNCTION cl_text_array(j json) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN json_typeof(j) = 'array'
                THEN ARRAY(SELECT json_array_elements_text(j))
                ELSE '{}'::text[] END
$$;

-- text::date depends on DateStyle and so is not immutable; our dates are always ISO 8601.
CREATE FUNCTION cl_iso_date(t text) RETURNS date
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT make_date(substr(t, 1, 4)::int, substr(t, 6, 2)::int, substr(t, 9, 2)::int)
$$;

CREATE TABLE api_keys (
    id           text PRIMARY KEY,
    name         text NOT NULL,
    prefix       text NOT NULL,
    secret_hash  bytea NOT NULL UNIQUE,
    scopes       text[] NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    revoked_at   timestamptz
);

CREATE TABLE actors (
    id          text PRIMARY KEY,
    version     int NOT NULL,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    deleted     boolean NOT NULL DEFAULT false,
    external_id text UNIQUE,
    refs        text[] NOT NULL DEFAULT '{}',
    doc         json NOT NULL,
    kind        text GENERATED ALWAYS AS (doc->>'kind') STORED,
    country     text GENERATED ALWAYS AS (doc->>'country') STORED,
    search      tsvector GENERATED ALWAYS AS (
        to_tsvector('simple', coalesce(doc->>'name', '') || ' ' || coalesce(doc->>'aliases', ''))
    ) STORED
);
CREATE INDEX actors_kind ON actors (kind, id);
CREATE INDEX actors_country ON actors (country, id);

CREATE TABLE sources (
    id          text PRIMARY KEY,
    version     int NOT NULL,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    deleted     boolean NOT NULL DEFAULT false,
    external_id text UNIQUE,
    refs        text[] NOT NULL DEFAULT '{}',
    doc         json NOT NULL,
    kind        text GENERATED ALWAYS AS (doc->>'kind') STORED,
    publisher_id text GENERATED ALWAYS AS (doc->>'publisher_id') STORED,
    search      tsvector GENERATED ALWAYS AS (
        to_tsvector('english', coalesce(doc->>'title', ''))
    ) STORED
);
CREATE INDEX sources_publisher ON sources (publisher_id, id);

CREATE TABLE claims (
    id          text PRIMARY KEY,
    version     int NOT NULL,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    deleted     boolean NOT NULL DEFAULT false,
    external_id text UNIQUE,
    refs        text[] NOT NULL DEFAULT '{}',
    doc         json NOT NULL,
    claimant_id text GENERATED ALWAYS AS (doc->>'claimant_id') STORED,
    status      text GENERATED ALWAYS AS (doc->>'status') STORED,
    stated_on   date GENERATED ALWAYS AS (cl_iso_date(doc->>'stated_on')) STORED,
    country     text GENERATED ALWAYS AS (doc->'location'->>'country') STORED,
    subject_ids text[] GENERATED ALWAYS AS (cl_text_array(doc->'subject_ids')) STORED,
    topics      text[] GENERATED ALWAYS AS (cl_text_array(doc->'topics')) STORED,
    search      tsvector GENERATED ALWAYS AS (
        to_tsvector('english', coalesce(doc->>'text', '') || ' ' || coalesce(doc->>'quote', '')
                               || ' ' || coalesce(doc->>'basis', ''))
    ) STORED
);
CREATE INDEX claims_claimant ON claims (claimant_id, id);
CREATE INDEX claims_stated_on ON claims (stated_on, id);
CREATE INDEX claims_status ON claims (status, id);
CREATE INDEX claims_country ON claims (country, id);
CREATE INDEX claims_subjects ON claims USING gin (subject_ids);
CREATE INDEX claims_topics ON claims USING gin (topics);

CREATE TABLE figures (
    id          text PRIMARY KEY,
    version     int NOT NULL,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    deleted     boolean NOT NULL DEFAULT false,
    external_id text UNIQUE,
    refs        text[] NOT NULL DEFAULT '{}',
    doc         json NOT NULL,
    claim_id    text GENERATED ALWAYS AS (doc->>'claim_id') STORED,
    subject_id  text GENERATED ALWAYS AS (doc->>'subject_id') STORED,
    metric      text GENERATED ALWAYS AS (doc->>'metric') STORED,
    unit        text GENERATED ALWAYS AS (doc->>'unit') STORED,
    low         bigint GENERATED ALWAYS AS ((doc->>'low')::bigint) STORED,
    high        bigint GENERATED ALWAYS AS ((doc->>'high')::bigint) STORED
);
CREATE INDEX figures_claim ON figures (claim_id, id);
CREATE INDEX figures_subject_metric ON figures (subject_id, metric, id);

-- Reverse references ("who points at this?") answer the delete check without knowing
-- every field of every kind; updated_since is a common sync filter on every kind.
CREATE INDEX actors_refs ON actors USING gin (refs);
CREATE INDEX sources_refs ON sources USING gin (refs);
CREATE INDEX claims_refs ON claims USING gin (refs);
CREATE INDEX figures_refs ON figures USING gin (refs);
CREATE INDEX actors_updated ON actors (updated_at, id);
CREATE INDEX sources_updated ON sources (updated_at, id);
CREATE INDEX claims_updated ON claims (updated_at, id);
CREATE INDEX figures_updated ON figures (updated_at, id);
CREATE INDEX actors_search ON actors USING gin (search);
CREATE INDEX sources_search ON sources USING gin (search);
CREATE INDEX claims_search ON claims USING gin (search);

-- History: one immutable row per version of every resource, in a table shaped like the live
-- one (same generated columns, so the same filters answer "as of" questions), plus who made
-- the change and the span of time the version was current: [updated_at, valid_to).
CREATE TABLE actors_history (LIKE actors INCLUDING GENERATED);
CREATE TABLE sources_history (LIKE sources INCLUDING GENERATED);
CREATE TABLE claims_history (LIKE claims INCLUDING GENERATED);
CREATE TABLE figures_history (LIKE figures INCLUDING GENERATED);
DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['actors', 'sources', 'claims', 'figures'] LOOP
        EXECUTE format($f$
            ALTER TABLE %1$I_history
                ADD COLUMN action text NOT NULL CHECK (action IN ('created', 'updated', 'deleted')),
                ADD COLUMN valid_to timestamptz,
                ADD COLUMN api_key_id text,
                ADD COLUMN change_note text,
                ADD PRIMARY KEY (id, version);
            CREATE INDEX %1$I_history_current ON %1$I_history (id, updated_at DESC);
            CREATE INDEX %1$I_history_valid ON %1$I_history (updated_at, valid_to);
        $f$, t);
    END LOOP;
END
$$;

-- The changes feed, appended in the same transaction as the revision it announces.
CREATE TABLE events (
    seq         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id          text NOT NULL UNIQUE,
    type        text NOT NULL,
    occurred_at timestamptz NOT NULL,
    resource    text NOT NULL,
    resource_id text NOT NULL,
    version     int NOT NULL,
    data        json NOT NULL
);
CREATE INDEX events_resource ON events (resource_id, seq);
