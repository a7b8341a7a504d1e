-- Claims by who said them, who relayed them and what they cite, as one narrow btree.
--
-- The claim lists `claimant_id` (the claimant or a co-claimant), `relayed_by_id` and
-- `source_id` page in claim id order. Against the columns of `claims` they were: two scans
-- merged for the claimant (claims_claimant_span and claim_co_claimants, a UNION that
-- PostgreSQL re-planned on every execution: 0.25-0.55 ms of planning for 0.2-0.3 ms of
-- work, half the claimant list's throughput of v1), and GIN indexes for the other two,
-- which cannot return rows in id order, so for an outlet relaying thousands of claims the
-- planner walked the primary key instead (13-19 ms, p99 0.3-0.5 s under load).
--
-- Each row here says "this claim has this actor (or source) in this role"; the btree on
-- (ref_id, role, claim_id) returns one actor's claims in id order, and the claim's stated
-- span rides along in the index (INCLUDE), so `stated_from`/`stated_to` are tested on index
-- entries and a page costs one short index-only scan plus a primary-key probe per row.
-- Rows stay when a claim is deleted (lists also test the claim's own `deleted`), so
-- `include_deleted` lists are served too. Lists `as_of` read the history table, which keeps
-- its GIN indexes. A trigger keeps the table in the statement that writes the claim, so it
-- cannot drift; it rewrites a claim's rows only when one of the columns they come from
-- changed.
CREATE TABLE claim_refs (
    ref_id text NOT NULL,
    role text NOT NULL CHECK (role IN ('claimant', 'relayer', 'source')),
    claim_id text NOT NULL,
    stated_on date,
    stated_on_end date,
    PRIMARY KEY (ref_id, role, claim_id) INCLUDE (stated_on, stated_on_end)
);
-- Rewriting a claim's rows finds them by claim.
CREATE INDEX claim_refs_claim ON claim_refs (claim_id);

CREATE FUNCTION cl_claim_refs(c claims) RETURNS TABLE (ref_id text, role text)
    LANGUAGE sql IMMUTABLE AS $$
    SELECT c.claimant_id, 'claimant'
    UNION SELECT unnest(c.co_claimant_ids), 'claimant'
    UNION SELECT unnest(c.relayed_by_ids), 'relayer'
    UNION SELECT unnest(c.source_ids), 'source'
$$;

INSERT INTO claim_refs (ref_id, role, claim_id, stated_on, stated_on_end)
SELECT r.ref_id, r.role, c.id, c.stated_on, c.stated_on_end
  FROM claims c, cl_claim_refs(c) r;

CREATE FUNCTION cl_keep_claim_refs() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF NEW.claimant_id = OLD.claimant_id
           AND NEW.co_claimant_ids = OLD.co_claimant_ids
           AND NEW.relayed_by_ids = OLD.relayed_by_ids
           AND NEW.source_ids = OLD.source_ids
           AND NEW.stated_on IS NOT DISTINCT FROM OLD.stated_on
           AND NEW.stated_on_end IS NOT DISTINCT FROM OLD.stated_on_end THEN
            RETURN NULL;
        END IF;
        DELETE FROM claim_refs WHERE claim_id = OLD.id;
    END IF;
    INSERT INTO claim_refs (ref_id, role, claim_id, stated_on, stated_on_end)
    SELECT r.ref_id, r.role, NEW.id, NEW.stated_on, NEW.stated_on_end
      FROM cl_claim_refs(NEW) r;
    RETURN NULL;
END
$$;

CREATE TRIGGER claims_keep_refs AFTER INSERT OR UPDATE ON claims
    FOR EACH ROW EXECUTE FUNCTION cl_keep_claim_refs();

-- Replaced by claim_refs: the co-claimant pairs (0012) and the live table's GIN indexes on
-- the same arrays (0010), which no statement reads any more and every claim write updated.
DROP TRIGGER claims_keep_co_claimants ON claims;
DROP FUNCTION cl_keep_co_claimants();
DROP TABLE claim_co_claimants;
DROP INDEX claims_co_claimants;
DROP INDEX claims_sources;
DROP INDEX claims_relayed_by;
