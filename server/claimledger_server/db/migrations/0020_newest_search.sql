-- `GET /v1/claims?q=…&sort=newest` (the default with `q`): the newest matches first, for a
-- query nobody asked before, without reading every match.
--
-- The claims' text index (claims_search) answers "which claims match", but only all of them
-- at once: a bitmap of every match, whose rows are then read and sorted. A common word
-- matches a fifth of a million claims. Walking the claims newest first and testing each
-- one instead reads 1/(share of claims matching) rows per match, ~15,000 rows for a pair of
-- words that 0.3 % of the claims have (bench/README.md, "Search").
--
-- This index narrows the text index to a span of ids: every word of a claim is indexed once
-- more per time bucket the claim falls in, as `word@bucket`, where a bucket is a prefix of
-- the claim's id (ids start with their creation time, so a prefix is a span of time, and
-- sorting ids sorts by it): the first 7, 8 and 9 characters, i.e. `clm_` and 3 to 5 time
-- characters (5 bits each: spans of about 397 days, 12 days and 9 hours). A finer size (17
-- minutes) would serve the commonest words with fewer rows, but its keys, each with a few
-- claims, took the index from 158 to 676 MB on a million claims.
-- `'kursk@clm_01m97' & 'video@clm_01m97'` then reads the posting lists of those words in
-- that bucket only. claims/newest.py walks the buckets newest first, the finest first and
-- coarser ones when matches are sparse, and stops once it has a page.
--
-- Each bucket also indexes `@bucket` (every claim in it: a query made of negations only
-- narrows nothing else). A claim whose words are too many to index (a tsvector holds at
-- most 1 MB) is indexed by `@@` alone, besides its buckets: a walk looks those claims up
-- once and lets their own `search` decide. A word longer than 1,000 bytes is indexed by its
-- MD5 (a lexeme holds at most 2 kB). Both ends use the same rules (cl_newest_pieces below),
-- so a bucket's query finds exactly the claims of that bucket that have the search's words
-- (phrases and `-word` aside, which the claim's own `search` then decides).
--
-- The index is on an expression of the claim's own columns, so every write of a claim (the
-- API, imports, a history restore, a COPY) keeps it without code of its own, and pg_restore
-- rebuilds it. Its functions use only pg_catalog (restores run with an empty search_path).

CREATE FUNCTION cl_newest_terms(id text, search tsvector) RETURNS tsvector
    -- Parallel restricted (it is safe): a parallel plan's workers take 4-5 ms to start, more
    -- than a whole walk, and the planner chose one for the lookup of `@@` claims. Costly per
    -- row: the planner must reach it through its index, never row by row.
    LANGUAGE sql IMMUTABLE STRICT PARALLEL RESTRICTED COST 1000 AS $$
    WITH words AS (
        SELECT CASE WHEN octet_length(lexeme) > 1000 THEN md5(lexeme) ELSE lexeme END AS word
          FROM unnest(tsvector_to_array(search)) AS lexeme
    ), buckets AS (
        SELECT substr(id, 1, n) AS bucket FROM generate_series(7, 9) AS n
    ), size AS (
        SELECT coalesce(sum(octet_length(word)), 0) + count(*) * 18 > 240000 AS too_many
          FROM words
    )
    SELECT array_to_tsvector(ARRAY(
        SELECT '@' || bucket FROM buckets
        UNION ALL
        SELECT word || '@' || bucket FROM words, buckets WHERE NOT (SELECT too_many FROM size)
        UNION ALL
        SELECT '@@' WHERE (SELECT too_many FROM size)
    ))
$$;

-- A search's query for one bucket, in pieces: `array_to_string(pieces, '@' || bucket)` is
-- the query that finds, among the claims of that bucket (but those marked `@@`), every
-- claim the search matches. It is the search's positive part (querytree: what an index can
-- use; `-word` narrows nothing) with each word suffixed by the bucket, phrases as plain AND
-- (the index keeps no positions); `T` (negations only) is the bucket's own mark. NULL for a
-- search without words (only stop words): nothing matches it.
CREATE FUNCTION cl_newest_pieces(query tsquery) RETURNS text[]
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
DECLARE
    core text := querytree(query);
    token text;
    word text;
    piece text := '(';
    pieces text[] := '{}';
BEGIN
    IF numnode(query) = 0 THEN
        RETURN NULL;
    END IF;
    IF core = 'T' THEN
        RETURN ARRAY['''', ''''];
    END IF;
    -- querytree writes each word quoted, with ' and \ doubled inside.
    FOR token IN
        SELECT m[1] FROM regexp_matches(core, $re$('(?:[^'\\]|''|\\.)*'|<[^>]*>|[^'<]+)$re$, 'g') AS m
    LOOP
        IF left(token, 1) = '''' THEN
            word := substr(token, 2, length(token) - 2);
            IF octet_length(regexp_replace(word, $re$(['\\])\1$re$, '\1', 'g')) > 1000 THEN
                word := md5(regexp_replace(word, $re$(['\\])\1$re$, '\1', 'g'));
            END IF;
            pieces := pieces || (piece || '''' || word);
            piece := '''';
        ELSIF left(token, 1) = '<' THEN
            piece := piece || '&';
        ELSE
            piece := piece || token;
        END IF;
    END LOOP;
    RETURN pieces || (piece || ')');
END
$fn$;

-- The query of `pieces` for one bucket (a prefix of ids), quoted as tsquery text wants.
CREATE FUNCTION cl_newest_query(pieces text[], bucket text) RETURNS tsquery
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT array_to_string(pieces, '@' || replace(replace(bucket, '\', '\\'), '''', ''''''))::tsquery
$$;

-- New entries wait in the index's pending list until it holds gin_pending_list_limit, and
-- every scan reads the whole list: a walk is several scans, and after 3,000 claim writes
-- (3.3 MB pending, the default limit is 4 MB) its median went from 1.9 to 7.2 ms on the 1M
-- bench data. 64 kB keeps that cost small; writes then merge their entries into the index a
-- few dozen claims at a time, at about the same cost in total.
-- Built once over every claim (1M: see bench/README.md); memory only for this statement.
SET LOCAL maintenance_work_mem = '256MB';
CREATE INDEX claims_newest ON claims USING gin (cl_newest_terms(id, search))
    WITH (gin_pending_list_limit = 64);
