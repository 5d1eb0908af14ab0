-- The global log over all events (issue 15): every event once, in commit order, as the leaves of an
-- RFC 6962 Merkle tree; and the signed checkpoints of that tree (see store/log.py, store/checkpoints.py).
--
-- An append's events enter log_queue in the append's own transaction (a statement trigger on events),
-- so a queued row becomes visible exactly when its event is committed. The sequencer, log_sequence(),
-- one at a time under an advisory lock, moves every visible queued event into event_log with the next
-- consecutive log_index. It is one transaction: a crash leaves the queue as it was and the next run
-- does the same work again, so the log never has a gap or an event twice.
-- The application's role can neither write event_log nor log_queue: it may run log_sequence(), which
-- runs as the owner and computes each leaf from the stored event itself.

-- One row per append (the positions of its events), no index: the cheapest write an append can add.
CREATE TABLE log_queue (
    positions bigint[] NOT NULL
);

COMMENT ON TABLE log_queue IS
    'events.position of committed events not yet in event_log (a trigger on events adds them, log_sequence() takes them).';

CREATE TABLE event_log (
    log_index bigint      PRIMARY KEY CHECK (log_index >= 0),
    case_id   text        NOT NULL,
    seq       integer     NOT NULL,
    leaf_hash bytea       NOT NULL CHECK (octet_length(leaf_hash) = 32),
    logged_at timestamptz NOT NULL,
    UNIQUE (case_id, seq)
);

-- No foreign key to events: its check would lock (and so write to) every event row the sequencer logs.
-- log_sequence() only ever logs stored events, and the verifier reports a log entry whose event is gone.
COMMENT ON TABLE event_log IS
    'The global append-only log: leaf log_index of the Merkle tree is SHA-256(0x00 || the event''s hash as 32 bytes).';

CREATE TABLE checkpoints (
    tree_size  bigint      PRIMARY KEY CHECK (tree_size >= 0),
    root_hash  bytea       NOT NULL CHECK (octet_length(root_hash) = 32),
    note       text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE checkpoints IS
    'Signed checkpoints of event_log (C2SP signed-note checkpoint format), append-only.';

CREATE FUNCTION log_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'The log is append-only: % on % is not allowed.', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER event_log_append_only_rows BEFORE UPDATE OR DELETE ON event_log
    FOR EACH ROW EXECUTE FUNCTION log_refuse_change();
CREATE TRIGGER event_log_append_only_truncate BEFORE TRUNCATE ON event_log
    FOR EACH STATEMENT EXECUTE FUNCTION log_refuse_change();
CREATE TRIGGER checkpoints_append_only_rows BEFORE UPDATE OR DELETE ON checkpoints
    FOR EACH ROW EXECUTE FUNCTION log_refuse_change();
CREATE TRIGGER checkpoints_append_only_truncate BEFORE TRUNCATE ON checkpoints
    FOR EACH STATEMENT EXECUTE FUNCTION log_refuse_change();

-- The two functions below run as the owner (SECURITY DEFINER); their search_path (set after them) puts
-- pg_temp last, so that no temporary table of the caller's can stand in for one of these tables.

-- One statement-level trigger per append (not per row): an append's cost barely changes.
CREATE FUNCTION events_enqueue_for_log() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER AS $$
BEGIN
    INSERT INTO log_queue (positions) SELECT array_agg(position) FROM new_events HAVING count(*) > 0;
    RETURN NULL;
END
$$;

CREATE TRIGGER events_enqueue_for_log AFTER INSERT ON events
    REFERENCING NEW TABLE AS new_events
    FOR EACH STATEMENT EXECUTE FUNCTION events_enqueue_for_log();

CREATE FUNCTION log_sequence() RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
    next_index bigint;
    added      bigint;
BEGIN
    -- Alone in its transaction, so that the asynchronous commit below never applies to an append, and
    -- in READ COMMITTED, so that each statement after the lock sees what the previous sequencer committed.
    IF pg_current_xact_id_if_assigned() IS NOT NULL
       OR current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE EXCEPTION 'log_sequence() must run alone in a READ COMMITTED transaction'
            USING ERRCODE = 'invalid_transaction_state';
    END IF;
    PERFORM pg_advisory_xact_lock(1896254705);  -- the sequencer's lock: one writer at a time
    -- The rows are derived and the queue comes back with them if this commit is lost in a crash;
    -- a checkpoint that relies on them commits synchronously afterwards, which flushes this too.
    PERFORM set_config('synchronous_commit', 'off', true);
    SELECT coalesce(max(log_index) + 1, 0) INTO next_index FROM event_log;
    WITH taken AS (DELETE FROM log_queue RETURNING positions),
         queued AS (SELECT unnest(positions) AS position FROM taken)
    INSERT INTO event_log (log_index, case_id, seq, leaf_hash, logged_at)
    SELECT next_index + row_number() OVER (ORDER BY e.position) - 1, e.case_id, e.seq,
           sha256('\x00'::bytea || decode(e.hash, 'hex')), clock_timestamp()
    FROM queued JOIN events e ON e.position = queued.position;
    GET DIAGNOSTICS added = ROW_COUNT;
    RETURN next_index + added;
END
$$;

DO $$
BEGIN
    EXECUTE format('ALTER FUNCTION log_sequence() SET search_path = pg_catalog, %I, pg_temp', current_schema());
    EXECUTE format('ALTER FUNCTION events_enqueue_for_log() SET search_path = pg_catalog, %I, pg_temp',
                   current_schema());
END
$$;

COMMENT ON FUNCTION log_sequence() IS
    'Moves every committed, queued event into event_log (in events.position order); returns the log''s size.';

-- Events recorded before this migration enter the log in recording order at the first run.
INSERT INTO log_queue (positions) SELECT array_agg(position) FROM events HAVING count(*) > 0;

REVOKE ALL ON log_queue, event_log, checkpoints FROM PUBLIC;
GRANT SELECT ON log_queue, event_log TO inspections_app;
GRANT SELECT, INSERT ON checkpoints TO inspections_app;
REVOKE ALL ON FUNCTION log_sequence(), events_enqueue_for_log(), log_refuse_change() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION log_sequence() TO inspections_app;
