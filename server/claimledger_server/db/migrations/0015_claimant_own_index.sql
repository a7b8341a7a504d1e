-- Claims by claimant: the claimant's own claims from an index on claims again, co-claimed
-- ones from claim_refs.
--
-- Since 0013 a claimant list read claim_refs for both and joined each row to claims by
-- primary key: a descent of claims_pkey per row, 0.6 ms of PostgreSQL CPU per page of 50
-- against 0.24 ms for v1's scan of claims_claimant_span, which returns the rows themselves
-- in id order (the benchmark's claimant list at 0.30-0.34x the floor, v1 0.5x and more).
-- Now `claim_refs` tells a claimant ('claimant') from a co-claimant ('co_claimant'), and
-- the list runs two id-ordered statements merged (`versioning/lists.py`, `any_of`): the
-- claimant's rows from the index below, the few co-claimed ones through claim_refs.
--
-- The index is not partial: lists with `include_deleted` read it too, and tombstones are
-- rare. The date columns are key columns, so `stated_from`/`stated_to` are tested on the
-- index entries and only matching rows are fetched. It replaces claims_claimant (0001),
-- whose leading columns it has.
CREATE INDEX claims_claimant_span ON claims (claimant_id, id, stated_on_end, stated_on);
DROP INDEX claims_claimant;

ALTER TABLE claim_refs DROP CONSTRAINT claim_refs_role_check;
ALTER TABLE claim_refs ADD CONSTRAINT claim_refs_role_check
    CHECK (role IN ('claimant', 'co_claimant', 'relayer', 'source'));

CREATE OR REPLACE FUNCTION cl_claim_refs(c claims) RETURNS TABLE (ref_id text, role text)
    LANGUAGE sql IMMUTABLE AS $$
    SELECT c.claimant_id, 'claimant'
    UNION SELECT unnest(c.co_claimant_ids), 'co_claimant'
    UNION SELECT unnest(c.relayed_by_ids), 'relayer'
    UNION SELECT unnest(c.source_ids), 'source'
$$;

UPDATE claim_refs r SET role = 'co_claimant'
  FROM claims c
 WHERE r.claim_id = c.id AND r.role = 'claimant' AND r.ref_id <> c.claimant_id;
