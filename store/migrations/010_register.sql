-- The register (diarium, issue 18): every handling of a case as an entry, and disposal (gallring) by rule.
--
-- register_entries is a projection of the events (domain/register.py says which events make which
-- entries, and how a secrecy marking or a disposal changes them): written in the transaction of the
-- append that brings the handling (store/register.py), rebuilt from the events by `projections rebuild`.
-- Entries of cases recorded before this migration are filled in by store.migrate right after it.

CREATE TABLE register_entries (
    case_id           text        NOT NULL,
    number            integer     NOT NULL CHECK (number > 0),
    seq               integer     NOT NULL CHECK (seq > 0),
    dnr               text        NOT NULL,
    registered_on     date        NOT NULL,
    recorded_at       timestamptz NOT NULL,
    direction         text        NOT NULL CHECK (direction IN ('incoming', 'outgoing', 'internal')),
    kind              text        NOT NULL,
    counterpart       text,
    description       text        NOT NULL,
    document_sha256   char(64)    CHECK (document_sha256 ~ '^[0-9a-f]{64}$'),
    registered_by     text        NOT NULL,
    secrecy_lagrum    text,
    secrecy_marked_on date,
    secrecy_seq       integer,
    disposed_on       date,
    disposal_rule     text,
    disposal_seq      integer,
    PRIMARY KEY (case_id, number)
);

COMMENT ON TABLE register_entries IS
    'The register (diarium): one row per handling of a case, derived from its events (domain.register); rebuildable.';
COMMENT ON COLUMN register_entries.number IS 'The handling''s number within the case (1, 2, …), in the order of its events.';
COMMENT ON COLUMN register_entries.seq IS 'The event that made the entry.';
COMMENT ON COLUMN register_entries.disposed_on IS 'The day the document''s bytes were disposed of (gallrade) by disposal_rule.';

CREATE INDEX register_entries_registered_on_idx ON register_entries (registered_on, case_id, number);
CREATE INDEX register_entries_dnr_idx ON register_entries (lower(dnr));
CREATE INDEX register_entries_document_idx ON register_entries (document_sha256) WHERE document_sha256 IS NOT NULL;

REVOKE ALL ON register_entries FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE ON register_entries TO inspections_app;

-- Disposal removes a document's bytes, and nothing else, only when every case holding those bytes has
-- recorded a DocumentsDisposed event naming them, and never the bytes of a decision.
CREATE FUNCTION document_disposable(digest text) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT FROM documents d WHERE d.sha256 = digest)
       AND NOT EXISTS (
           SELECT FROM documents d
           WHERE d.sha256 = digest
             AND (d.kind IN ('decision', 'follow_up_decision', 'referral')
                  OR EXISTS (SELECT FROM events e
                              WHERE e.case_id = d.case_id AND e.data->>'document_sha256' = digest)
                  OR NOT EXISTS (SELECT FROM events e
                                  WHERE e.case_id = d.case_id AND e.type = 'DocumentsDisposed'
                                    AND e.data->'documents' ? digest)))
$$;

COMMENT ON FUNCTION document_disposable(text) IS
    'Whether a recorded disposal in every case holding these bytes lets them go (never a decision''s).';

CREATE FUNCTION document_contents_refuse_undisposed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND document_disposable(OLD.sha256) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'Documents are append-only: % on % is not allowed (only bytes a recorded disposal names may go).',
        TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'Disposal follows the configured rules: inspections records dispose.';
END
$$;

DROP TRIGGER document_contents_append_only_rows ON document_contents;
CREATE TRIGGER document_contents_append_only_rows BEFORE UPDATE OR DELETE ON document_contents
    FOR EACH ROW EXECUTE FUNCTION document_contents_refuse_undisposed();

-- Runs as the owner (the application's role has no DELETE on document_contents); the trigger above
-- still decides, so this function can remove nothing a recorded disposal does not name.
CREATE FUNCTION dispose_document(digest text) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
    removed integer;
BEGIN
    IF NOT document_disposable(digest) THEN
        RETURN false;
    END IF;
    DELETE FROM document_contents WHERE sha256 = digest;
    GET DIAGNOSTICS removed = ROW_COUNT;
    RETURN removed > 0;
END
$$;

DO $$
BEGIN
    EXECUTE format('ALTER FUNCTION dispose_document(text) SET search_path = pg_catalog, %I, pg_temp', current_schema());
    EXECUTE format('ALTER FUNCTION document_disposable(text) SET search_path = pg_catalog, %I, pg_temp',
                   current_schema());
    EXECUTE format('ALTER FUNCTION document_contents_refuse_undisposed() SET search_path = pg_catalog, %I, pg_temp',
                   current_schema());
END
$$;

COMMENT ON FUNCTION dispose_document(text) IS
    'Removes the bytes of a document once every case holding them recorded their disposal; true when removed.';

REVOKE ALL ON FUNCTION dispose_document(text), document_disposable(text), document_contents_refuse_undisposed()
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dispose_document(text), document_disposable(text) TO inspections_app;
