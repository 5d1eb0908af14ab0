-- Finding work (issue 16): the responsible inspector of each case, and what search and paging need.

-- The handläggare: who opened the case, until a CaseAssigned event names another (store.projections).
ALTER TABLE cases ADD COLUMN responsible text;
COMMENT ON COLUMN cases.responsible IS 'The responsible inspector: CaseOpened''s actor, then the last CaseAssigned''s "to".';

-- Before this migration no case was ever assigned: each case's opener is its handläggare. The snapshot
-- (the folded state) gets the same field, so the next append folds on from a state that has it.
UPDATE cases c
SET responsible = e.actor_username,
    snapshot = jsonb_set(c.snapshot, '{responsible}', to_jsonb(e.actor_username))
FROM events e
WHERE e.case_id = c.case_id AND e.seq = 1;

-- Search: the title's words (Swedish stemming) kept beside the row, so a query never computes them.
ALTER TABLE cases ADD COLUMN title_words tsvector GENERATED ALWAYS AS (to_tsvector('swedish', title)) STORED;
CREATE INDEX cases_title_words_idx ON cases USING gin (title_words);
-- Prefix matches on the Dnr and the organisation number.
CREATE INDEX cases_dnr_prefix_idx ON cases (dnr_key text_pattern_ops);
CREATE INDEX cases_organiser_prefix_idx ON cases (organiser_id text_pattern_ops);
CREATE INDEX cases_responsible_idx ON cases (responsible, state);
-- The list's order and keyset: the soonest due first (no due date last), then the Dnr (unique).
CREATE INDEX cases_due_order_idx ON cases ((coalesce(response_due, 'infinity'::date)), dnr_key);
CREATE INDEX cases_open_due_order_idx ON cases ((coalesce(response_due, 'infinity'::date)), dnr_key)
    WHERE state NOT IN ('closed', 'referred');
-- Organiser names are searched by words too.
CREATE INDEX organisers_name_words_idx ON organisers USING gin (to_tsvector('swedish', name));
-- An auditor's worklist: the cases that ended lately.
CREATE INDEX cases_ended_idx ON cases (updated_at) WHERE state IN ('closed', 'referred');
