-- Issue 14: logins that can be ended, login throttling that holds across processes, and request ids
-- bound to what they first asked.

-- Every session of the pages and every API token is a row here: a login ends when its row says so
-- (logout, a password change, deactivation), not only when its cookie or token expires. Only the
-- SHA-256 of the token is kept, so a copy of this table lets nobody log in.
CREATE TABLE logins (
    token_hash char(64)    PRIMARY KEY,
    username   text        NOT NULL REFERENCES users (username),
    purpose    text        NOT NULL CHECK (purpose IN ('api', 'web')),
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    ended_at   timestamptz
);
CREATE INDEX logins_open_by_user ON logins (username) WHERE ended_at IS NULL;
COMMENT ON TABLE logins IS 'Sessions and API tokens (SHA-256 of the token); ended_at set by logout, '
    'password change or deactivation (admin.services.auth).';

-- Failed logins, per (username, client address) and per client address: growing delays, shared by
-- every process of the web app.
CREATE TABLE login_failures (
    key             text        PRIMARY KEY,
    failures        integer     NOT NULL CHECK (failures >= 1),
    last_failure_at timestamptz NOT NULL,
    blocked_until   timestamptz NOT NULL
);

-- The first use of each request id: which case, command and user it belongs to. Another use of the
-- same id with anything different is a conflict, refused before it reaches a workflow.
CREATE TABLE request_ids (
    request_id text        PRIMARY KEY CHECK (length(request_id) BETWEEN 1 AND 100),
    case_id    text        NOT NULL,
    command    text        NOT NULL,
    username   text        NOT NULL,
    first_seen timestamptz NOT NULL DEFAULT now()
);

REVOKE ALL ON logins, login_failures, request_ids FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE, DELETE ON logins, login_failures TO inspections_app;
GRANT SELECT, INSERT ON request_ids TO inspections_app;
