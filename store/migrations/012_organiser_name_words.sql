-- Reads (issue 16): each organiser's name words (Swedish stems) kept beside its row, as the case titles' are
-- (008), so a search never stems every organiser's name again: the look-up of organisers by name in each
-- search computed to_tsvector for all of them (0.3-0.6 ms of server time a search at 290 organisers).
ALTER TABLE organisers ADD COLUMN name_words tsvector GENERATED ALWAYS AS (to_tsvector('swedish', name)) STORED;
DROP INDEX organisers_name_words_idx;
CREATE INDEX organisers_name_words_idx ON organisers USING gin (name_words);
