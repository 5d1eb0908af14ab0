-- The outbox of notices (e-mail): written in the transaction of the event that causes it,
-- sent later by a separate process that updates status, sent_at and attempts.

CREATE TABLE notices (
    notice_id  uuid        PRIMARY KEY,
    case_id    text        NOT NULL,
    seq        integer     NOT NULL,
    kind       text        NOT NULL CHECK (kind IN ('decision', 'reminder', 'overdue', 'receipt',
                                                    'follow_up_decision', 'closure', 'referral')),
    recipient  text        NOT NULL CHECK (recipient IN ('organiser', 'inspectorate')),
    subject    text        NOT NULL,
    status     text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    created_at timestamptz NOT NULL,
    sent_at    timestamptz,
    attempts   integer     NOT NULL DEFAULT 0,
    FOREIGN KEY (case_id, seq) REFERENCES events (case_id, seq)
);

CREATE INDEX notices_case_idx ON notices (case_id, seq);
CREATE INDEX notices_pending_idx ON notices (created_at) WHERE status = 'pending';

REVOKE ALL ON notices FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE ON notices TO inspections_app;
