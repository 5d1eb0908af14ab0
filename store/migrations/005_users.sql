-- People who log in to the admin tool. Passwords are stored only as argon2 hashes.

CREATE TABLE users (
    username      text        PRIMARY KEY CHECK (username ~ '^[a-z0-9][a-z0-9._-]{1,63}$'),
    password_hash text        NOT NULL,
    roles         text[]      NOT NULL CHECK (cardinality(roles) > 0 AND roles <@ ARRAY['inspector', 'decision_maker',
                                              'organiser', 'auditor', 'admin']::text[]),
    organiser_id  text        REFERENCES organisers (organiser_id),
    full_name     text,
    active        boolean     NOT NULL DEFAULT true,
    created_at    timestamptz NOT NULL DEFAULT now(),
    CHECK (NOT ('organiser' = ANY (roles)) OR organiser_id IS NOT NULL)
);

REVOKE ALL ON users FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE ON users TO inspections_app;
