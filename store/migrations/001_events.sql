-- The audit trail: one row per event, append-only, hash-chained per case.
-- Runs as the owner role; the application connects as a member of inspections_app.

-- The group role of the application (NOLOGIN). Roles are cluster-wide: another database of
-- the same cluster may be creating it at the same moment, hence the exception handler.
DO $$
BEGIN
    CREATE ROLE inspections_app NOLOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL;
END
$$;

CREATE TABLE events (
    case_id        text        NOT NULL,
    seq            integer     NOT NULL CHECK (seq >= 1),
    event_id       text        NOT NULL UNIQUE,
    type           text        NOT NULL,
    occurred_on    date        NOT NULL,
    recorded_at    timestamptz NOT NULL,
    actor_username text        NOT NULL,
    actor_role     text        NOT NULL,
    data           jsonb       NOT NULL,
    position       bigint      GENERATED ALWAYS AS IDENTITY UNIQUE,
    prev_hash      char(64)    NOT NULL,
    hash           char(64)    NOT NULL,
    PRIMARY KEY (case_id, seq)
);

COMMENT ON TABLE events IS
    'Audit trail: append-only (a trigger refuses UPDATE, DELETE, TRUNCATE); hash = SHA-256 of the '
    'canonical JSON of the event and prev_hash (see store/chain.py and the README).';
COMMENT ON COLUMN events.position IS
    'Global order of recording, for consumers that follow the whole store.';

CREATE FUNCTION events_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'The audit trail is append-only: % on events is not allowed.', TG_OP
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'Events are never changed or deleted; record a correcting event instead.';
END
$$;

CREATE TRIGGER events_append_only_rows
    BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION events_refuse_change();

CREATE TRIGGER events_append_only_truncate
    BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION events_refuse_change();

REVOKE ALL ON events FROM PUBLIC;
GRANT SELECT, INSERT ON events TO inspections_app;
