-- Config and issue text searches (`searchconfig`), SQLite. Keep tables and
-- columns identical to migrations/postgres/0009_config_search.sql
-- (TestSchemasMatch).
--
-- 1. latest_configs: the latest revision's config of every item, lowered,
--    kept by the revision writers in their transaction: item searches read
--    it instead of joining every item with its latest revision.
-- 2. issues.item_name: the item's name, copied on insert (names never
--    change for an item), so that an issue search reads only the issues.
-- SQLite has no trigram index here (FTS5's trigram tokenizer would add
-- shadow tables and a second write path for one engine): its searches scan
-- these columns (docs/decisions.md).
-- 3. The store now inserts new issues with their item's columns (dialect
--    insertIssues: SQLite's triggers cannot set a row's columns before it
--    is written, and the copy trigger's update was a second write of every
--    new issue and its indexes); the trigger fills them only for an insert
--    that leaves them unset (decision 120).

CREATE TABLE latest_configs (
    item_id      INTEGER PRIMARY KEY REFERENCES items (id) ON DELETE CASCADE,
    config_lower TEXT NOT NULL
);
INSERT INTO latest_configs (item_id, config_lower)
SELECT i.id, LOWER(r.config) FROM items i JOIN revisions r ON r.id = i.latest_revision_id;

ALTER TABLE issues ADD COLUMN item_name TEXT NOT NULL DEFAULT '';
UPDATE issues SET item_name = (SELECT i.name FROM items i WHERE i.id = issues.item_id);

DROP TRIGGER issues_copy_item;
CREATE TRIGGER issues_copy_item AFTER INSERT ON issues WHEN NEW.account_id = 0 BEGIN
    UPDATE issues SET
        account_id = (SELECT i.account_id FROM items i WHERE i.id = NEW.item_id),
        technology = (SELECT i.technology FROM items i WHERE i.id = NEW.item_id),
        region = (SELECT i.region FROM items i WHERE i.id = NEW.item_id),
        item_active = (SELECT i.latest_active FROM items i WHERE i.id = NEW.item_id),
        item_name = (SELECT i.name FROM items i WHERE i.id = NEW.item_id)
    WHERE id = NEW.id;
END;
