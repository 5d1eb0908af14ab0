-- The read model: one row per case and per assessment area, a projection of the events.
-- Updated in the transaction of each append; `inspections projections rebuild` recomputes it.

CREATE TABLE cases (
    case_id      text        PRIMARY KEY,
    dnr          text        NOT NULL,
    dnr_key      text        NOT NULL UNIQUE,
    organiser_id text        NOT NULL,
    title        text        NOT NULL,
    state        text        NOT NULL,
    round        integer     NOT NULL,
    response_due date,
    overdue      boolean     NOT NULL,
    opened_on    date        NOT NULL,
    last_seq     integer     NOT NULL,
    updated_at   timestamptz NOT NULL,
    snapshot     jsonb       NOT NULL
);

COMMENT ON COLUMN cases.dnr_key IS 'The Dnr with blanks collapsed and case ignored (domain.rules.dnr_key).';
COMMENT ON COLUMN cases.updated_at IS 'recorded_at of the case''s last event.';
COMMENT ON COLUMN cases.snapshot IS 'domain.state.CaseState after the last event (derived; rebuildable).';

CREATE INDEX cases_state_idx ON cases (state);
CREATE INDEX cases_organiser_idx ON cases (organiser_id);

CREATE TABLE case_areas (
    case_id     text    NOT NULL REFERENCES cases (case_id),
    code        text    NOT NULL,
    position    integer NOT NULL,
    title       text    NOT NULL,
    legal_basis text    NOT NULL,
    status      text    NOT NULL,
    PRIMARY KEY (case_id, code)
);

REVOKE ALL ON cases, case_areas FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE ON cases, case_areas TO inspections_app;
