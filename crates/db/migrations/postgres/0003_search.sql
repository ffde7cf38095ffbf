-- Korean-capable full-text search over proposals: `search_terms` holds the text's character bigrams
-- (maeul_domain::search::index_terms), indexed here as a 'simple' tsvector.
-- SQLite indexes the same column with FTS5 (../sqlite/0003_search.sql).
ALTER TABLE proposals ADD COLUMN search_terms TEXT NOT NULL DEFAULT '';

CREATE INDEX proposals_search ON proposals USING GIN (to_tsvector('simple', search_terms));

CREATE INDEX proposals_support ON proposals (support_count, id);
