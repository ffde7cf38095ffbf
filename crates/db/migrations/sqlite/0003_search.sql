-- Korean-capable full-text search over proposals: `search_terms` holds the text's character bigrams
-- (maeul_domain::search::index_terms), indexed here by FTS5 and kept in sync by triggers.
-- PostgreSQL indexes the same column with a GIN tsvector (../postgres/0003_search.sql).
ALTER TABLE proposals ADD COLUMN search_terms TEXT NOT NULL DEFAULT '';

CREATE VIRTUAL TABLE proposals_fts USING fts5(
    search_terms,
    content = 'proposals',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 0'
);

CREATE TRIGGER proposals_fts_insert AFTER INSERT ON proposals BEGIN
    INSERT INTO proposals_fts (rowid, search_terms) VALUES (new.id, new.search_terms);
END;
CREATE TRIGGER proposals_fts_delete AFTER DELETE ON proposals BEGIN
    INSERT INTO proposals_fts (proposals_fts, rowid, search_terms) VALUES ('delete', old.id, old.search_terms);
END;
CREATE TRIGGER proposals_fts_update AFTER UPDATE OF search_terms ON proposals BEGIN
    INSERT INTO proposals_fts (proposals_fts, rowid, search_terms) VALUES ('delete', old.id, old.search_terms);
    INSERT INTO proposals_fts (rowid, search_terms) VALUES (new.id, new.search_terms);
END;

CREATE INDEX proposals_support ON proposals (support_count, id);
