-- Issue 17: the role registrar (registrator) joins the roles a user may hold: registers incoming documents
-- (an account that arrived by post or e-mail) and reads the register.

ALTER TABLE users DROP CONSTRAINT users_roles_check;
ALTER TABLE users ADD CONSTRAINT users_roles_check CHECK (
    cardinality(roles) > 0
    AND roles <@ ARRAY['inspector', 'decision_maker', 'organiser', 'auditor', 'admin', 'registrar']::text[]
);
