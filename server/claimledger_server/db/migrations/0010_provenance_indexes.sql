-- Indexes for the v2 list filters (issue 10): claimants and co-claimants, dates known only
-- to the month or year, provenance (citations, relays, relations), actors by parent,
-- anonymity and external identifiers, sources by the source they republish. The columns
-- are the generated ones of 0008. Timings are EXPLAIN ANALYZE on the 1M-claim benchmark
-- dataset (second run).

-- "Claims by this claimant since a date", paged in id order (the benchmark's list scenario).
-- `stated_from` now compares with the last day a date may stand for (`stated_on_end`), and
-- `stated_to` with its first (`stated_on`): both are key columns after `id`, so the date
-- tests run on the index entries and the scan still stops after a page. This replaces
-- claims_claimant_live (0006), whose date column was `stated_on`; it has the same leading
-- columns and predicate, so it serves every plan that one did. Claimant lists with
-- stated_from or stated_to: 0.2-0.5 ms for the heaviest claimant (10,685 claims), 0.2 ms
-- for the median one (400), co-claimant scan included (claims/store.py).
CREATE INDEX claims_claimant_span ON claims (claimant_id, id, stated_on_end, stated_on)
    WHERE NOT deleted;
DROP INDEX claims_claimant_live;
-- (claimant_id, stated_on, id) served a claimant with a late `stated_from` compared with
-- `stated_on`, which the filter no longer does; claims_claimant_span answers those lists
-- (and claimant + stated_to) within the times above.
DROP INDEX claims_claimant_stated_on;

-- `claimant_id` also matches co-claimants: the second of the two id-ordered scans a claimant
-- list merges. An actor in 4,000 joint statements (the benchmark's coalition members) costs
-- that scan 9-11 ms, as a GIN index cannot return rows in id order; a few dozen, 0.1 ms.
CREATE INDEX claims_co_claimants ON claims USING gin (co_claimant_ids);

-- Provenance: any citation's source or relaying actor, and relations in either direction
-- (`related_to`, and the incoming side of `?expand=relations`). source_id 0.3 ms,
-- related_to 0.1 ms; an outlet relaying 2,700 claims 14 ms (the planner walks the primary
-- key in id order, as for any common value).
CREATE INDEX claims_sources ON claims USING gin (source_ids);
CREATE INDEX claims_relayed_by ON claims USING gin (relayed_by_ids);
CREATE INDEX claims_related ON claims USING gin (related_claim_ids);

-- The same on the history, for `as_of`, where the benchmark asks it (claimant, source_id)
-- and for `?expand=relations&as_of` (incoming relations): without them each is a scan of
-- every claim version (390 ms on 1.1M versions). `relayed_by_id` with `as_of` still is.
CREATE INDEX claims_history_co_claimants ON claims_history USING gin (co_claimant_ids);
CREATE INDEX claims_history_sources ON claims_history USING gin (source_ids);
CREATE INDEX claims_history_related ON claims_history USING gin (related_claim_ids);

-- Actors: members of a body, in id order; the (few) anonymous ones; and
-- `external_ids.<scheme>=<value>`, a containment test on this very expression
-- (actors/store.py writes it the same way, or the index is not used).
CREATE INDEX actors_parent ON actors (parent_id, id);
CREATE INDEX actors_anonymous ON actors (id) WHERE anonymous;
CREATE INDEX actors_external_ids ON actors USING gin (((doc::jsonb) -> 'external_ids') jsonb_path_ops);

-- Sources that republish a given one.
CREATE INDEX sources_republished_from ON sources (republished_from_id, id);
