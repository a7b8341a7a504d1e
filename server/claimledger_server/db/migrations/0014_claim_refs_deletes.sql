-- claim_refs (0013) follows rows removed from claims as well. The API never removes a claim
-- (a delete writes a tombstone), but an operator or a test harness clearing rows directly
-- must not leave pairs behind that every later list of that actor would walk past.
CREATE FUNCTION cl_forget_claim_refs() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM claim_refs WHERE claim_id = OLD.id;
    RETURN NULL;
END
$$;

CREATE TRIGGER claims_forget_refs AFTER DELETE ON claims
    FOR EACH ROW EXECUTE FUNCTION cl_forget_claim_refs();

-- The live claim lists by claimant read claim_refs since 0013, and the figures summary's
-- claimant filter too; no statement reads this index any more, while every claim write
-- updated it. (Lists `as_of` read the history table and its own indexes.)
DROP INDEX claims_claimant_span;
