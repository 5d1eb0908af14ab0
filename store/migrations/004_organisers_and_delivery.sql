-- School organisers (huvudmän) and what delivering a notice needs: the address it went to,
-- the text as sent, the last error and when to try again.

CREATE TABLE organisers (
    organiser_id text        PRIMARY KEY,
    name         text        NOT NULL CHECK (btrim(name) <> ''),
    email        text        NOT NULL CHECK (email LIKE '%_@_%._%'),
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);

REVOKE ALL ON organisers FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE ON organisers TO inspections_app;

ALTER TABLE notices
    ADD COLUMN recipient_address text,
    ADD COLUMN body_text         text,
    ADD COLUMN body_html         text,
    ADD COLUMN last_error        text,
    ADD COLUMN next_attempt_at   timestamptz;

CREATE INDEX notices_due_idx ON notices (next_attempt_at NULLS FIRST, created_at) WHERE status = 'pending';
