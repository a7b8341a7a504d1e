-- Indexes the 1M-claim benchmark's query plans asked for.

-- "Claims by this claimant since a date": the claimant index alone read every claim of the
-- claimant to keep those in the date range.
CREATE INDEX claims_claimant_stated_on ON claims (claimant_id, stated_on, id);

-- as_of lists run the same filters over the history tables.
CREATE INDEX claims_history_claimant ON claims_history (claimant_id, updated_at);
CREATE INDEX figures_history_claim ON figures_history (claim_id, updated_at);
