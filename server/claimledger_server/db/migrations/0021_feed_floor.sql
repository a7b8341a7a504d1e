-- Where a restored feed continues. A history import restores events at their original
-- positions, but the original's last events may be ones the export does not carry
-- (`api_key.*`, `webhook_endpoint.disabled`), so the restored events can end below the
-- original's last position, which a partner's mirror may already have read. The import
-- records that position here, and the sequencer numbers new events after the greater of it
-- and the highest position: none is handed out twice. At most one row; none on an instance
-- that was never restored from a history export.
CREATE TABLE feed_floor (
    single   boolean PRIMARY KEY DEFAULT true CHECK (single),
    position bigint NOT NULL CHECK (position >= 0)
);
