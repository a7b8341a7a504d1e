-- The v2 model (partial dates, joint claimants, relay chains, provenance): the columns its
-- filters, summaries and indexes read, generated from `doc` like every other, on the live
-- tables and on their histories (so `as_of` answers the same questions).

-- The last day a date of this precision may stand for ("2024-10-01", month → 2024-10-31);
-- dates.span_end is the same rule in Python.
CREATE FUNCTION cl_span_end(d date, known text) RETURNS date
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE known
               WHEN 'year' THEN make_date(extract(year FROM d)::int, 12, 31)
               WHEN 'month' THEN (make_date(extract(year FROM d)::int, extract(month FROM d)::int, 1)
                                  + interval '1 month - 1 day')::date
               ELSE d END
$$;

-- One member of every object of a JSON array: citations[].source_id → text[].
CREATE FUNCTION cl_member_array(j json, member text) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN json_typeof(j) = 'array'
                THEN ARRAY(SELECT e->>member FROM json_array_elements(j) AS e
                            WHERE e->>member IS NOT NULL)
                ELSE '{}'::text[] END
$$;

-- What `q` searches in a claim: its text, quote and basis, and every citation's quote.
CREATE FUNCTION cl_claim_search_text(doc json) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(doc->>'text', '') || ' ' || coalesce(doc->>'quote', '') || ' '
           || coalesce(doc->>'basis', '') || ' '
           || array_to_string(cl_member_array(doc->'citations', 'quote'), ' ')
$$;

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['actors', 'actors_history'] LOOP
        EXECUTE format($f$
            ALTER TABLE %1$I
                ADD COLUMN parent_id text GENERATED ALWAYS AS (doc->>'parent_id') STORED,
                ADD COLUMN anonymous boolean
                    GENERATED ALWAYS AS (coalesce((doc->>'anonymous')::boolean, false)) STORED
        $f$, t);
    END LOOP;
    FOREACH t IN ARRAY ARRAY['sources', 'sources_history'] LOOP
        EXECUTE format($f$
            ALTER TABLE %1$I
                ADD COLUMN published_on date
                    GENERATED ALWAYS AS (cl_iso_date(doc->>'published_on')) STORED,
                ADD COLUMN republished_from_id text
                    GENERATED ALWAYS AS (doc->>'republished_from_id') STORED
        $f$, t);
    END LOOP;
    FOREACH t IN ARRAY ARRAY['claims', 'claims_history'] LOOP
        EXECUTE format($f$
            ALTER TABLE %1$I
                DROP COLUMN search,
                ADD COLUMN search tsvector GENERATED ALWAYS AS (
                    to_tsvector('english', cl_claim_search_text(doc))) STORED,
                ADD COLUMN co_claimant_ids text[]
                    GENERATED ALWAYS AS (cl_text_array(doc->'co_claimant_ids')) STORED,
                ADD COLUMN stated_on_end date GENERATED ALWAYS AS (
                    cl_span_end(cl_iso_date(doc->>'stated_on'), doc->>'stated_on_precision')
                ) STORED,
                ADD COLUMN source_ids text[]
                    GENERATED ALWAYS AS (cl_member_array(doc->'citations', 'source_id')) STORED,
                ADD COLUMN relayed_by_ids text[] GENERATED ALWAYS AS (
                    cl_member_array(doc->'citations', 'relayed_by_id')) STORED,
                ADD COLUMN related_claim_ids text[]
                    GENERATED ALWAYS AS (cl_member_array(doc->'relations', 'claim_id')) STORED
        $f$, t);
    END LOOP;
    FOREACH t IN ARRAY ARRAY['figures', 'figures_history'] LOOP
        EXECUTE format($f$
            ALTER TABLE %1$I
                ADD COLUMN accumulation text
                    GENERATED ALWAYS AS (coalesce(doc->>'accumulation', 'unknown')) STORED,
                ADD COLUMN period_start date
                    GENERATED ALWAYS AS (cl_iso_date(doc->'period'->>'start')) STORED,
                ADD COLUMN period_end date GENERATED ALWAYS AS (
                    cl_span_end(cl_iso_date(doc->'period'->>'end'), doc->'period'->>'end_precision')
                ) STORED
        $f$, t);
    END LOOP;
END
$$;

-- The text indexes went with the column they indexed.
CREATE INDEX claims_search ON claims USING gin (search);
CREATE INDEX claims_history_search ON claims_history USING gin (search);
