-- Commit-ordered changes feed.
--
-- `events.seq` comes from an identity column at insert time, so two concurrent writers can
-- commit their events out of seq order: a reader could see 12 and later find 11. The public
-- order is therefore `position`, assigned after commit by the sequencer: one process at a
-- time (an advisory lock), each pass numbering the committed events it can see after the
-- highest position so far. An event that commits later is seen by a later pass and gets a
-- higher number, so positions become visible in increasing order and never with a hole
-- below one already seen. The feed shows positioned events only.
ALTER TABLE events ADD COLUMN position bigint UNIQUE;
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
