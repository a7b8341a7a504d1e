-- `?q=…&as_of=…` searches the claims' history table; without its own text index that was a
-- scan of every version ever written (110 ms on the 1M benchmark, growing with every edit).
CREATE INDEX claims_history_search ON claims_history USING gin (search);
