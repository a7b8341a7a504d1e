-- Backups restore: pg_restore (like the SQL pg_dump writes) runs with an empty search_path,
-- so that objects in the restoring role's schemas cannot stand in for the dump's own. Table
-- definitions come out of pg_dump schema-qualified, but a SQL function's body is text,
-- resolved when it is used: cl_claim_search_text called cl_member_array unqualified, and
-- restoring any dump failed at CREATE TABLE claims, whose generated `search` column calls it
-- ("function cl_member_array(json, unknown) does not exist"). Its body now names the function
-- with the schema the migrations create everything in. What it computes is unchanged, so the
-- stored columns stay as they are.
DO $$
BEGIN
    EXECUTE format($f$
        CREATE OR REPLACE FUNCTION cl_claim_search_text(doc json) RETURNS text
            LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $body$
            SELECT coalesce(doc->>'text', '') || ' ' || coalesce(doc->>'quote', '') || ' '
                   || coalesce(doc->>'basis', '') || ' '
                   || array_to_string(%I.cl_member_array(doc->'citations', 'quote'), ' ')
        $body$
    $f$, current_schema());
END
$$;
