-- Case documents (issue 17): content-addressed by SHA-256, append-only like events.
--
-- The bytes live in document_contents, one row per distinct content; each registration of a
-- document in a case is a row of documents (metadata only). Keeping them apart lets authorised
-- disposal (gallring, issue 18) remove the bytes by rule while the registration (what, when, who)
-- stays; the metadata therefore has no foreign key to the contents.

CREATE TABLE document_contents (
    sha256  char(64) PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    content bytea    NOT NULL,
    -- The database itself guarantees the address: the key is the content's hash.
    CHECK (encode(sha256(content), 'hex') = sha256)
);

COMMENT ON TABLE document_contents IS
    'Bytes of case documents, addressed by the SHA-256 of the content; append-only (only disposal may remove).';

CREATE TABLE documents (
    case_id       text        NOT NULL,
    sha256        char(64)    NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    kind          text        NOT NULL
                  CHECK (kind IN ('decision', 'follow_up_decision', 'referral', 'receipt', 'attachment')),
    direction     text        NOT NULL CHECK (direction IN ('incoming', 'outgoing', 'internal')),
    filename      text        NOT NULL CHECK (filename <> '' AND length(filename) <= 255),
    media_type    text        NOT NULL CHECK (media_type <> ''),
    size          bigint      NOT NULL CHECK (size >= 0),
    added_by      text        NOT NULL,
    request_id    text        CHECK (length(request_id) <= 200),
    registered_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    position      bigint      GENERATED ALWAYS AS IDENTITY UNIQUE,
    PRIMARY KEY (case_id, sha256)
);

-- One document per command: a retried signing finds the document its first attempt stored, even if a
-- re-rendering would differ (e.g. a seal key whose signatures are randomised).
CREATE UNIQUE INDEX documents_one_per_request ON documents (case_id, request_id) WHERE request_id IS NOT NULL;

COMMENT ON TABLE documents IS
    'Registration of a document in a case (the first registration of a content in a case wins); append-only.';
COMMENT ON COLUMN documents.request_id IS 'The command that produced the document (its request_id), if any.';
COMMENT ON COLUMN documents.added_by IS 'Username of the person (or "system" for rendered decisions) who added it.';

CREATE FUNCTION documents_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'Documents are append-only: % on % is not allowed.', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'A document is never changed; register a new one. Disposal follows the disposal rules.';
END
$$;

CREATE TRIGGER documents_append_only_rows BEFORE UPDATE OR DELETE ON documents
    FOR EACH ROW EXECUTE FUNCTION documents_refuse_change();
CREATE TRIGGER documents_append_only_truncate BEFORE TRUNCATE ON documents
    FOR EACH STATEMENT EXECUTE FUNCTION documents_refuse_change();
-- Disposal (issue 18) will let its own function delete rows here; nothing else may.
CREATE TRIGGER document_contents_append_only_rows BEFORE UPDATE OR DELETE ON document_contents
    FOR EACH ROW EXECUTE FUNCTION documents_refuse_change();
CREATE TRIGGER document_contents_append_only_truncate BEFORE TRUNCATE ON document_contents
    FOR EACH STATEMENT EXECUTE FUNCTION documents_refuse_change();

REVOKE ALL ON documents, document_contents FROM PUBLIC;
GRANT SELECT, INSERT ON documents, document_contents TO inspections_app;
