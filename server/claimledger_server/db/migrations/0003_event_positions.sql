-- Commit-ordered changes feed.
--
-- `events.seq` comes from an identity column at insert time, so two concurrent writers can
-- commit their events out of seq order: a reader could see 12 and later find 11. The public
-- order is therefore `position`, assigned by the sequencer (one at a time, under an advisory
-- lock) only to events whose transaction is older than every transaction still running —
-- such an event is committed for good, and no event that appears later can ever get a lower
-- position. The feed shows positioned events only.
ALTER TABLE events
    ADD COLUMN xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
    ADD COLUMN position bigint UNIQUE;
CREATE INDEX events_unpositioned ON events (seq) WHERE position IS NULL;
CREATE INDEX events_type_position ON events (type, position);

-- Wake the sequencer when events commit (NOTIFY is delivered at commit, once per transaction).
CREATE FUNCTION cl_notify_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('claimledger_events', '');
    RETURN NULL;
END
$$;
CREATE TRIGGER events_notify AFTER INSERT ON events
    FOR EACH STATEMENT EXECUTE FUNCTION cl_notify_events();
